// The changes that flip an answer, the other rows of a namespace, and the
// text and JSON of `meshlint egress --from/--to`.
#include "report/egress_explain.h"
#include "report/json_common.h"

namespace meshlint {

using egress::Explanation;
using egress::Step;
using egress::StepKind;
using egress::Verdict;
using egress_detail::At;
using egress_detail::Names;
using egress_detail::Position;
using egress_detail::Qualified;
using egress_detail::Quote;
using report_detail::Json;

namespace egress_detail {

namespace {

std::string OpenText(const Names& n, const Step& s) {
  const std::string& ns = n.ex.scope.ns;
  switch (s.kind) {
    case StepKind::kAddServiceEntry:
      return "Add a ServiceEntry with hosts: [\"" + n.ex.host + "\"], its ports" +
             (n.ex.port ? " (" + std::to_string(n.ex.port) + ")" : std::string()) +
             " and location: MESH_EXTERNAL that is exported to " + ns + " (e.g. in namespace " +
             ns + " with exportTo: [\".\"])" +
             (s.import_too
                  ? ", and import it in " + n.sidecar + " (egress host \"./" + n.ex.host + "\")"
                  : std::string()) +
             ".";
    case StepKind::kAddToExport:
      return "add " + ns + " to the exportTo of " + ServiceName(*s.service) +
             (s.import_too
                  ? ", and add " + Quote(n.Target(s)) + " to the egress hosts of " + n.sidecar
                  : std::string()) +
             ".";
    case StepKind::kAddPort:
      if (s.included)
        return "import port " + std::to_string(n.ex.verdict.port) + " in " + n.sidecar +
               ": add an egress listener for it, or a catch-all listener (without a port) that imports " +
               n.Target(s) + ".";
      return "declare port " + std::to_string(n.ex.verdict.port ? n.ex.verdict.port : 443) +
             " in the ports of " + ServiceName(*s.service) + ".";
    default:  // kAddEgressHost
      return "add " + Quote(n.Target(s)) + " to the egress hosts of " + n.sidecar + n.RootNote() +
             ".";
  }
}

std::string InjectText(const Names& n, const Step& s) {
  const std::string& ns = n.ex.scope.ns;
  switch (s.proxy.reason) {
    case istio::ProxyReason::kPodLabelFalse:
    case istio::ProxyReason::kPodAnnotationFalse:
      return "Remove sidecar.istio.io/inject=false from the pod template, so that its pods get a sidecar.";
    case istio::ProxyReason::kHostNetwork:
      return "Run the pods without hostNetwork: Istio never injects hostNetwork pods.";
    case istio::ProxyReason::kAmbientNamespace:
    case istio::ProxyReason::kAmbientPod:
      return "Restrict ambient egress with a waypoint (not modelled by meshlint), or label the namespace "
             "istio-injection=enabled so that its pods get sidecars.";
    case istio::ProxyReason::kIgnoredNamespace:
      return "Run the workload outside " + ns + ": the injector never injects it.";
    case istio::ProxyReason::kAnnotationOnlyTrue:
      return "Make sidecar.istio.io/inject=true a pod label, not only an annotation, or label namespace " +
             ns + " istio-injection=enabled.";
    case istio::ProxyReason::kNeverInjectSelector:
      return "Take the pod labels out of the injector's neverInjectSelector.";
    default:
      return "Label namespace " + ns +
             " istio-injection=enabled (or istio.io/rev=<revision>) and restart its "
             "pods, so that they get a sidecar.";
  }
}

std::string ChangeBody(const Names& n, const Step& s) {
  const std::string examples = " (e.g. \"./*\", \"" + n.root + "/*\").";
  switch (s.kind) {
    case StepKind::kSetSidecarMode:
      return "Set outboundTrafficPolicy.mode to REGISTRY_ONLY in " + n.sidecar +
             (AllowsAny(s.mode)
                  ? std::string(".")
                  : " (or remove its outboundTrafficPolicy: the mesh is REGISTRY_ONLY).");
    case StepKind::kSetMeshMode:
      return "Set meshConfig.outboundTrafficPolicy.mode to REGISTRY_ONLY.";
    case StepKind::kAddMeshMode:
      return "Set meshConfig.outboundTrafficPolicy.mode: REGISTRY_ONLY in the mesh config "
             "(IstioOperator spec.meshConfig, ConfigMap istio data.mesh, or Helm values).";
    case StepKind::kAddDefaultSidecar:
      return "add a default Sidecar (no workloadSelector) to " + n.ex.scope.ns +
             " whose egress hosts do not select " + n.Target(s) + examples;
    case StepKind::kGiveEgressHosts:
      return "give " + n.sidecar + " egress hosts that do not select " + n.Target(s) + examples;
    case StepKind::kRemoveEgressHost:
      return "remove egress host " + Quote(n.Entry(s)) + " from " + n.sidecar + n.RootNote() + ".";
    case StepKind::kReplaceEgressHost:
      return "replace egress host " + Quote(n.Entry(s)) + " of " + n.sidecar +
             " with entries that do not select " + n.Target(s) + n.RootNote() + ".";
    case StepKind::kNarrowExport:
      return "export " + ServiceName(*s.service) + " only to the namespaces that need it, not " +
             n.ex.scope.ns + " (e.g. exportTo: [\".\"]).";
    case StepKind::kRemoveHost:
      return "remove " + n.SeHost(s) + " from " + ServiceName(*s.service) + ".";
    case StepKind::kInjectSidecar: return InjectText(n, s);
    case StepKind::kRemoveBypass:
      return "Remove the traffic capture setting that lets the connection bypass the proxy (the "
             "traffic.sidecar.istio.io annotation, or the mesh-wide values.global.proxy value).";
    case StepKind::kFixPassthrough:
      if (s.included)
        return "Give " + ServiceName(*s.service) +
               " addresses (or let the proxies use DNS capture), so that "
               "its port no longer takes every TCP connection on it.";
      if (s.service->cidr_addresses_only && !s.service->whole_space_range)
        return "Narrow the CIDR addresses of " + ServiceName(*s.service) + " (" +
               RangesText(*s.service) +
               ") so that they leave out this address, or give it endpoints (or a resolution "
               "other than NONE).";
      return "Give " + ServiceName(*s.service) +
             " addresses or endpoints (or a resolution other than NONE): "
             "as it is, its TCP port is open to every destination.";
    case StepKind::kDenyAtGateway:
      return "Add an AuthorizationPolicy on the egress gateway (or narrow " +
             (s.policy ? Qualified(s.policy->meta.ref) : std::string("its ALLOW policy")) +
             ") that does not allow namespace " + n.ex.scope.ns + ".";
    case StepKind::kAllowAtGateway:
      return "Allow namespace " + n.ex.scope.ns + " in AuthorizationPolicy " +
             (s.policy ? Qualified(s.policy->meta.ref) : std::string()) +
             " on the gateway (rules[].from.source.namespaces).";
    case StepKind::kExportToGateway:
      return "Export the ServiceEntry for " + s.dest->host.value + " to the gateway's namespace " +
             s.gateway->meta.ref.ns + ".";
    default: return OpenText(n, s);
  }
}

std::string Capitalize(std::string text) {
  if (!text.empty() && text[0] >= 'a' && text[0] <= 'z')
    text[0] = static_cast<char>(text[0] - 'a' + 'A');
  return text;
}

}  // namespace

std::string ChangeText(const Names& n, const Step& s) {
  std::string text = ChangeBody(n, s);
  if (s.relation == egress::Relation::kAlternative) text = "Or " + text;
  if (s.relation == egress::Relation::kAlsoNeeded) text = "Then also " + text;
  return Capitalize(text);
}

std::string RowLabel(const MeshModel& model, const egress::Scope& r) {
  (void)model;
  if (!r.workloads.empty()) return r.WorkloadNames();
  if (r.hypothetical)
    return "the workloads Sidecar " + Qualified(r.selected_by->meta.ref) + " selects";
  return "its pods";
}

std::string OtherRowText(const Names& n, const Step& s) {
  const egress::Scope& r = n.ex.rows[s.row_index];
  std::string how;
  if (r.unmediated()) {
    how = "no sidecar (" + ProxyReasonText(n.model, r.ns, r.proxy) + ")";
  } else if (r.gateway()) {
    how = "a gateway";
  } else {
    how = (r.sidecar ? "Sidecar " + Qualified(r.sidecar->meta.ref) : std::string("no Sidecar")) +
          ", mode " + std::string(OutboundModeName(r.mode));
  }
  return Capitalize(RowLabel(n.model, r)) + " (" + how + "): " + n.ex.host + " is " +
         (s.reachable ? "reachable" : "not reachable") + ".";
}

}  // namespace egress_detail

RenderedExplanation RenderExplanation(const MeshModel& model, const Explanation& ex) {
  const Names names(model, ex);
  RenderedExplanation out;
  for (const Step& s : ex.chain) out.chain.push_back({s.loc, egress_detail::ChainText(names, s)});
  for (const Step& s : ex.changes)
    out.changes.push_back({s.loc, egress_detail::ChangeText(names, s)});
  for (const Step& s : ex.workload_notes)
    out.workload_notes.push_back({s.loc, egress_detail::OtherRowText(names, s)});
  return out;
}

namespace {

// "deb.debian.org is reachable from namespace newguy (port 80)."
std::string Headline(const Explanation& ex) {
  const std::string to =
      TerminalSafe(ex.host) + (ex.port ? ":" + std::to_string(ex.port) : std::string());
  std::string from = "namespace " + TerminalSafe(ex.ns);
  if (!ex.workload.empty())
    from = TerminalSafe(ex.workload) + " in namespace " + TerminalSafe(ex.ns);
  const Verdict& v = ex.verdict;
  const std::string port =
      !ex.port && v.port ? " (port " + std::to_string(v.port) + ")" : std::string();
  if (ex.reachable) {
    if (v.via == Verdict::Via::kNoProxy || v.via == Verdict::Via::kAmbient)
      return to + " is reachable from " + from +
             ": Istio does not mediate its egress (any host, any port).";
    return to + " is reachable from " + from + port + ".";
  }
  std::string why =
      ": its sidecars send the request to the BlackHoleCluster (HTTP clients get 502 Bad Gateway).";
  switch (v.block) {
    case Verdict::Block::kHijacked:
      why = ": every TCP connection on port " + std::to_string(v.port) +
            " is sent to another service.";
      break;
    case Verdict::Block::kGatewayDenied:
      why = v.hop && v.hop->outcome == istio::GatewayHop::Outcome::kDenied
                ? ": the egress gateway refuses it (403 Forbidden)."
            : v.hop && v.hop->outcome == istio::GatewayHop::Outcome::kNoCluster
                ? ": the egress gateway has no cluster for it (503)."
                : ": the egress gateway does not route it (404).";
      break;
    case Verdict::Block::kNoCluster:
      why = ": the route's destination is not in its registry (503).";
      break;
    case Verdict::Block::kGatewayRow:
      why = ": these pods are an Istio gateway, not a client.";
      break;
    default: break;
  }
  return to + " is NOT reachable from " + from + port + why;
}

}  // namespace

void WriteExplanationText(std::ostream& out, const MeshModel& model, const Explanation& ex,
                          const egress::CompiledPolicy* policy) {
  const RenderedExplanation r = RenderExplanation(model, ex);
  out << Headline(ex) << "\n";
  auto lines = [&](const std::vector<ExplainLine>& reasons, bool numbered) {
    for (std::size_t i = 0; i < reasons.size(); ++i) {
      out << "  " << (numbered ? std::to_string(i + 1) + ". " : std::string("- "));
      const std::string at = At(model, reasons[i].loc);
      if (!at.empty()) out << at << ": ";
      out << TerminalSafe(reasons[i].text) << '\n';
    }
  };
  if (ex.rows.size() > 1)
    out << "\nFor " << TerminalSafe(egress_detail::RowLabel(model, ex.scope)) << ":\n";
  else out << "\nWhy:\n";
  lines(r.chain, true);
  if (!r.workload_notes.empty()) {
    out << "\nThe namespace's other workloads:\n";
    lines(r.workload_notes, false);
  }
  if (policy) {
    const bool allowed = policy->Allows(ex.ns, ex.host);
    out << "\nPolicy: the egress policy " << (allowed ? "allows" : "does NOT allow") << " "
        << TerminalSafe(ex.host) << " for " << TerminalSafe(ex.ns) << ".\n";
  }
  if (!r.changes.empty()) {
    out << "\nTo make it " << (ex.reachable ? "unreachable" : "reachable") << ":\n";
    lines(r.changes, false);
  }
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
  doc["from"] = ex.workload.empty() ? ex.ns : ex.ns + "/" + ex.workload;
  doc["to"] = ex.host;
  doc["port"] = ex.verdict.port ? Json(ex.verdict.port) : Json(nullptr);
  doc["reachable"] = ex.reachable;
  doc["viaRegistry"] = ex.via_registry;
  doc["mediated"] = ex.scope.mediated();
  doc["assumed"] = !ex.scope.namespace_known || ex.scope.proxy.assumed;
  doc["outboundTrafficPolicy"] = AllowsAny(ex.scope.mode) ? "ALLOW_ANY" : "REGISTRY_ONLY";
  doc["sidecar"] = ex.scope.sidecar ? Json(Qualified(ex.scope.sidecar->meta.ref)) : Json(nullptr);
  Json workloads = Json::array();
  for (const Workload* w : ex.scope.workloads) workloads.push_back(egress_detail::WorkloadName(*w));
  doc["workloads"] = std::move(workloads);
  doc["reasons"] = reasons(r.chain);
  doc["workloadSidecars"] = reasons(r.workload_notes);
  doc["changes"] = reasons(r.changes);
  if (policy) doc["allowedByPolicy"] = policy->Allows(ex.ns, ex.host);
  out << report_detail::Dump(doc, 2) << '\n';
}

}  // namespace meshlint
