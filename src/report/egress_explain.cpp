// The sentences of `meshlint egress --from/--to`: one per step of the
// explanation (src/egress/explain.cpp decides the steps), as text or JSON.
#include "report/egress_common.h"
#include "report/egress_report.h"
#include "report/json_common.h"
#include "report/report.h"

namespace meshlint {

using egress::Explanation;
using egress::Step;
using egress::StepKind;
using egress_detail::At;
using egress_detail::Position;
using egress_detail::Qualified;
using report_detail::Json;

namespace {

std::string Quote(std::string_view s) { return "\"" + std::string(s) + "\""; }

// ["a", "b", ... 3 more]
std::string JoinQuoted(const std::vector<Located<std::string>>& values, std::size_t max = 6) {
  std::string out = "[";
  for (std::size_t i = 0; i < values.size() && i < max; ++i) {
    if (i) out += ", ";
    out += Quote(values[i].value);
  }
  if (values.size() > max) out += ", ... " + std::to_string(values.size() - max) + " more";
  return out + "]";
}

// What a sentence names, worked out once per explanation.
struct Names {
  const MeshModel& model;
  const Explanation& ex;
  std::string root;     // the root namespace
  std::string sidecar;  // "Sidecar ns/name" of the applicable Sidecar, or ""
  bool allow_any;

  Names(const MeshModel& m, const Explanation& e)
      : model(m),
        ex(e),
        root(m.mesh.root_namespace),
        sidecar(e.scope.sidecar ? "Sidecar " + Qualified(e.scope.sidecar->meta.ref) : ""),
        allow_any(AllowsAny(e.scope.mode)) {}

  // "ns/host" of the step's ServiceEntry host.
  std::string Target(const Step& s) const {
    return s.service_entry->meta.ref.ns + "/" + s.service_entry->hosts[s.host].value;
  }
  const std::string& SeHost(const Step& s) const { return s.service_entry->hosts[s.host].value; }
  const std::string& Entry(const Step& s) const { return s.sidecar->egress_hosts[*s.egress_host].value; }
  const std::string& Source(const Step& s) const {
    return model.mesh_sources[*s.mesh_source].description;
  }
  // Changing the root namespace's default changes every namespace that has
  // no default of its own.
  std::string RootNote() const {
    if (ex.sidecar_origin != istio::SidecarOrigin::kRootDefault) return "";
    return " (it applies to every namespace without a default Sidecar of its own; to change only " +
           ex.ns + ", give " + ex.ns + " its own)";
  }
  // Under ALLOW_ANY the registry only matters for REGISTRY_ONLY.
  std::string InRegistry() const {
    return allow_any ? "In the registry (what counts under REGISTRY_ONLY): " : "";
  }
};

std::string ModeText(const Names& n, const Step& s) {
  const std::string mode(OutboundModeName(s.mode));
  const std::string effect = AllowsAny(s.mode)
                                 ? ": traffic to any host passes, registered or not."
                                 : ": only hosts in the service registry (ServiceEntries) pass.";
  switch (s.kind) {
    case StepKind::kModeBySidecar:
      return "Outbound mode is " + mode + ", set by " + n.sidecar + effect;
    case StepKind::kModeBySidecarUnset:
      return "Outbound mode is REGISTRY_ONLY: " + n.sidecar +
             " has outboundTrafficPolicy without a mode, which Istio reads as REGISTRY_ONLY (the "
             "enum's zero value)" + effect;
    case StepKind::kModeByMesh:
      return "Outbound mode is " + mode + ", set by the mesh config (" + n.Source(s) + ")" + effect;
    case StepKind::kModeMeshUnset:
      return "Outbound mode is ALLOW_ANY: the mesh config (" + n.Source(s) +
             ") does not set outboundTrafficPolicy.mode, and Istio's default is ALLOW_ANY" + effect;
    default:
      return "Outbound mode is ALLOW_ANY: no mesh config in the inputs sets "
             "outboundTrafficPolicy.mode, and Istio's default is ALLOW_ANY" + effect;
  }
}

std::string ExportText(const Names& n, const Step& s) {
  const ServiceEntry& se = *s.service_entry;
  const std::string& ns = n.ex.ns;
  if (s.kind == StepKind::kExportToList)
    return "Its exportTo " + JoinQuoted(se.export_to) +
           (s.included ? " includes " + ns : " does not include " + ns) + ".";
  std::string def = "[";
  const auto& values = n.model.mesh.default_service_export_to;
  for (std::size_t i = 0; i < values.size(); ++i) def += (i ? ", " : "") + Quote(values[i]);
  def += "]";
  return std::string(se.export_to_set ? "Its exportTo is empty" : "It has no exportTo") +
         ", so the mesh default defaultServiceExportTo " + def +
         (s.included ? " applies, which includes " + ns : " applies, which does not include " + ns) +
         ".";
}

std::string ImportText(const Names& n, const Step& s) {
  const std::string& ns = n.ex.ns;
  if (s.kind == StepKind::kNoSidecar)
    return "No Sidecar applies to " + ns + " (it has no default Sidecar, nor has the root namespace " +
           n.root + "), so its proxies import every service exported to it.";
  const std::string which =
      n.ex.sidecar_origin == istio::SidecarOrigin::kOwnDefault
          ? n.sidecar + ", the default Sidecar of " + ns
          : n.sidecar + ", the root namespace's default, which applies to " + ns +
                " (it has none of its own)";
  switch (s.kind) {
    case StepKind::kSidecarImportsAll:
      return which + ", has no egress hosts, so it imports every service exported to " + ns + ".";
    case StepKind::kSidecarImportsThrough:
      return which + ", imports it through egress host " + Quote(n.Entry(s)) + ".";
    default:
      return which + ", does not import it: none of its egress hosts " +
             JoinQuoted(s.sidecar->egress_hosts) + " selects " + n.Target(s) + ".";
  }
}

std::string ChainText(const Names& n, const Step& s) {
  const std::string& host = n.ex.host;
  switch (s.kind) {
    case StepKind::kNamespaceUnknown:
      return "No input names namespace " + n.ex.ns +
             "; the answer is what a new namespace of that name would get.";
    case StepKind::kSeveralDefaults:
      return "Namespace " + n.ex.ns + " has " + std::to_string(s.count) +
             " Sidecars without workloadSelector: Istio's choice is undefined (it uses the "
             "oldest); this answer uses " + n.sidecar + ", the first in the inputs.";
    case StepKind::kNotInRegistry:
      return n.InRegistry() + "No ServiceEntry in the inputs lists " + host +
             " (nor a wildcard covering it), so it is not in the registry.";
    case StepKind::kMeshInternal:
      return "ServiceEntry " + Qualified(s.service_entry->meta.ref) + " lists " + host +
             " as MESH_INTERNAL (a service inside the mesh), so it does not count as an external "
             "host.";
    case StepKind::kListed: {
      const ServiceEntry& se = *s.service_entry;
      const std::string& se_host = n.SeHost(s);
      return n.InRegistry() + "ServiceEntry " + Qualified(se.meta.ref) + " lists " +
             (se_host == host ? host : se_host + ", which covers " + host) + " (location " +
             (se.location.value.empty() ? std::string("unset: external") : se.location.value) +
             ").";
    }
    case StepKind::kExportToList:
    case StepKind::kExportMeshDefault: return ExportText(n, s);
    case StepKind::kNoSidecar:
    case StepKind::kSidecarImportsAll:
    case StepKind::kSidecarImportsThrough:
    case StepKind::kSidecarDoesNotImport: return ImportText(n, s);
    case StepKind::kImportsButNotExported:
      return n.sidecar + " has egress host " + Quote(n.Entry(s)) +
             ", but a Sidecar can only import services exported to its namespace: it imports "
             "nothing here.";
    case StepKind::kMoreServiceEntries:
      return "(" + std::to_string(s.count) + " more ServiceEntries list " + host + ".)";
    default: return ModeText(n, s);
  }
}

// The changes that add or fix a registration (the host is not reachable).
std::string OpenText(const Names& n, const Step& s) {
  const std::string& ns = n.ex.ns;
  switch (s.kind) {
    case StepKind::kAddServiceEntry:
      return "Add a ServiceEntry with hosts: [\"" + n.ex.host +
             "\"] and location: MESH_EXTERNAL that is exported to " + ns + " (e.g. in namespace " +
             ns + " with exportTo: [\".\"])" +
             (s.import_too ? ", and import it in " + n.sidecar + " (egress host \"./" + n.ex.host +
                                 "\")"
                           : std::string()) +
             ".";
    case StepKind::kAddToExport:
      return "add " + ns + " to the exportTo of ServiceEntry " +
             Qualified(s.service_entry->meta.ref) +
             (s.import_too ? ", and add " + Quote(n.Target(s)) + " to the egress hosts of " + n.sidecar
                           : std::string()) +
             ".";
    default:  // kAddEgressHost
      return "add " + Quote(n.Target(s)) + " to the egress hosts of " + n.sidecar + n.RootNote() +
             ".";
  }
}

std::string ChangeBody(const Names& n, const Step& s) {
  const std::string examples = " (e.g. \"./*\", \"" + n.root + "/*\").";
  switch (s.kind) {
    case StepKind::kSetSidecarMode:
      return "Set outboundTrafficPolicy.mode to REGISTRY_ONLY in " + n.sidecar +
             (AllowsAny(s.mode) ? std::string(".")
                                : " (or remove its outboundTrafficPolicy: the mesh is REGISTRY_ONLY).");
    case StepKind::kSetMeshMode: return "Set meshConfig.outboundTrafficPolicy.mode to REGISTRY_ONLY.";
    case StepKind::kAddMeshMode:
      return "Set meshConfig.outboundTrafficPolicy.mode: REGISTRY_ONLY in the mesh config "
             "(IstioOperator spec.meshConfig, ConfigMap istio data.mesh, or Helm values).";
    case StepKind::kAddDefaultSidecar:
      return "add a default Sidecar (no workloadSelector) to " + n.ex.ns +
             " whose egress hosts do not select " + n.Target(s) + examples;
    case StepKind::kGiveEgressHosts:
      return "give " + n.sidecar + " egress hosts that do not select " + n.Target(s) + examples;
    case StepKind::kRemoveEgressHost:
      return "remove egress host " + Quote(n.Entry(s)) + " from " + n.sidecar + n.RootNote() + ".";
    case StepKind::kReplaceEgressHost:
      return "replace egress host " + Quote(n.Entry(s)) + " of " + n.sidecar +
             " with entries that do not select " + n.Target(s) + n.RootNote() + ".";
    case StepKind::kNarrowExport:
      return "export ServiceEntry " + Qualified(s.service_entry->meta.ref) +
             " only to the namespaces that need it, not " + n.ex.ns + " (e.g. exportTo: [\".\"]).";
    case StepKind::kRemoveHost:
      return "remove " + n.SeHost(s) + " from ServiceEntry " + Qualified(s.service_entry->meta.ref) +
             ".";
    default: return OpenText(n, s);
  }
}

std::string ChangeText(const Names& n, const Step& s) {
  std::string text = ChangeBody(n, s);
  if (s.relation == egress::Relation::kAlternative) text = "Or " + text;
  if (s.relation == egress::Relation::kAlsoNeeded) text = "Then also " + text;
  if (!text.empty() && text[0] >= 'a' && text[0] <= 'z')
    text[0] = static_cast<char>(text[0] - 'a' + 'A');
  return text;
}

std::string WorkloadText(const Names& n, const Step& s) {
  return "Workload-scoped Sidecar " + Qualified(s.sidecar->meta.ref) +
         " applies instead to the workloads it selects: for them " + n.ex.host + " is " +
         (s.reachable ? "reachable" : "not reachable") + " (mode " +
         std::string(OutboundModeName(s.mode)) + ").";
}

}  // namespace

RenderedExplanation RenderExplanation(const MeshModel& model, const Explanation& ex) {
  const Names names(model, ex);
  RenderedExplanation out;
  for (const Step& s : ex.chain) out.chain.push_back({s.loc, ChainText(names, s)});
  for (const Step& s : ex.changes) out.changes.push_back({s.loc, ChangeText(names, s)});
  for (const Step& s : ex.workload_notes) out.workload_notes.push_back({s.loc, WorkloadText(names, s)});
  return out;
}

void WriteExplanationText(std::ostream& out, const MeshModel& model, const Explanation& ex,
                          const egress::CompiledPolicy* policy) {
  const RenderedExplanation r = RenderExplanation(model, ex);
  const std::string host = TerminalSafe(ex.host), ns = TerminalSafe(ex.ns);
  if (ex.reachable) {
    out << host << " is reachable from namespace " << ns << ".\n";
  } else {
    out << host << " is NOT reachable from namespace " << ns
        << ": its sidecars send the request to the BlackHoleCluster (HTTP clients get 502 Bad "
           "Gateway).\n";
  }
  auto lines = [&](const std::vector<ExplainLine>& reasons, bool numbered) {
    for (std::size_t i = 0; i < reasons.size(); ++i) {
      out << "  " << (numbered ? std::to_string(i + 1) + ". " : std::string("- "));
      const std::string at = At(model, reasons[i].loc);
      if (!at.empty()) out << at << ": ";
      out << TerminalSafe(reasons[i].text) << '\n';
    }
  };
  out << "\nWhy:\n";
  lines(r.chain, true);
  if (!r.workload_notes.empty()) {
    out << "\nWorkload-scoped Sidecars:\n";
    lines(r.workload_notes, false);
  }
  if (policy) {
    const bool allowed = policy->Allows(ex.ns, ex.host);
    out << "\nPolicy: the egress policy " << (allowed ? "allows" : "does NOT allow") << " " << host
        << " for " << ns << ".\n";
  }
  out << "\nTo make it " << (ex.reachable ? "unreachable" : "reachable") << ":\n";
  lines(r.changes, false);
}

void WriteExplanationJson(std::ostream& out, const MeshModel& model, const Explanation& ex,
                          const egress::CompiledPolicy* policy) {
  const RenderedExplanation r = RenderExplanation(model, ex);
  auto reasons = [&](const std::vector<ExplainLine>& list) {
    Json arr = Json::array();
    for (const auto& line : list) {
      Json j = {{"text", line.text}};
      Json pos = Position(model, line.loc);
      j["file"] = pos.is_null() ? Json(nullptr) : pos["file"];
      j["line"] = pos.is_null() ? Json(nullptr) : pos["line"];
      j["column"] = pos.is_null() ? Json(nullptr) : pos["column"];
      arr.push_back(std::move(j));
    }
    return arr;
  };
  Json doc;
  doc["from"] = ex.ns;
  doc["to"] = ex.host;
  doc["reachable"] = ex.reachable;
  doc["viaRegistry"] = ex.via_registry;
  doc["outboundTrafficPolicy"] = AllowsAny(ex.scope.mode) ? "ALLOW_ANY" : "REGISTRY_ONLY";
  doc["sidecar"] = ex.scope.sidecar ? Json(Qualified(ex.scope.sidecar->meta.ref)) : Json(nullptr);
  doc["reasons"] = reasons(r.chain);
  doc["workloadSidecars"] = reasons(r.workload_notes);
  doc["changes"] = reasons(r.changes);
  if (policy) doc["allowedByPolicy"] = policy->Allows(ex.ns, ex.host);
  out << report_detail::Dump(doc, 2) << '\n';
}

}  // namespace meshlint
