// The sentences of `meshlint egress --from/--to` that say why: one per step
// of the chain (src/egress/explain*.cpp decides the steps). The changes and
// the writers are in egress_explain_write.cpp.
#include "report/egress_explain.h"

namespace meshlint::egress_detail {

using egress::Step;
using egress::StepKind;

std::string Quote(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::string JoinQuoted(const std::vector<Located<std::string>>& values, std::size_t max) {
  std::string out = "[";
  for (std::size_t i = 0; i < values.size() && i < max; ++i) {
    if (i) out += ", ";
    out += Quote(values[i].value);
  }
  if (values.size() > max) out += ", ... " + std::to_string(values.size() - max) + " more";
  return out + "]";
}

std::string PortsText(const istio::RegistryService& svc, std::uint64_t mask) {
  std::string out;
  for (std::size_t i = 0; i < svc.ports.size(); ++i) {
    if (!(mask & istio::PortBit(i))) continue;
    if (!out.empty()) out += ", ";
    out += std::to_string(svc.ports[i].number) + "/" +
           std::string(istio::ProtocolName(svc.ports[i].protocol));
  }
  return out;
}

std::string RangesText(const istio::RegistryService& svc) {
  std::string out;
  const auto ranges = svc.cidr_ranges();
  for (std::size_t i = 0; i < ranges.size() && i < 8; ++i)
    out.append(i ? ", " : "").append(ranges[i].value);
  if (ranges.size() > 8) out += ", ... " + std::to_string(ranges.size() - 8) + " more";
  return out;
}

Names::Names(const MeshModel& m, const egress::Explanation& e)
    : model(m),
      ex(e),
      root(m.SettingsForRevision(e.scope.proxy.revision).root_namespace),
      sidecar(e.scope.sidecar ? "Sidecar " + Qualified(e.scope.sidecar->meta.ref) : ""),
      allow_any(AllowsAny(e.scope.mode)) {}

std::string Names::Target(const Step& s) const {
  return std::string(s.service->ns()) + "/" + SeHost(s);
}
std::string Names::SeHost(const Step& s) const { return std::string(s.service->hosts[s.host]); }
const std::string& Names::Entry(const Step& s) const {
  return s.sidecar->egress_hosts[*s.egress_host].value;
}
const std::string& Names::Source(const Step& s) const {
  return model.mesh_sources[*s.mesh_source].description;
}
std::string Names::Port() const {
  return ex.verdict.port ? " on port " + std::to_string(ex.verdict.port) : std::string();
}
std::string Names::RootNote() const {
  if (ex.sidecar_origin != istio::SidecarOrigin::kRootDefault) return "";
  return " (it applies to every namespace without a default Sidecar of its own; to change only " +
         ex.ns + ", give " + ex.ns + " its own)";
}
std::string Names::InRegistry() const {
  return allow_any ? "In the registry (what counts under REGISTRY_ONLY): " : "";
}

namespace {

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
             "enum's zero value)" +
             effect;
    case StepKind::kModeByMesh:
      return "Outbound mode is " + mode + ", set by the mesh config (" + n.Source(s) + ")" + effect;
    case StepKind::kModeMeshUnset:
      return "Outbound mode is ALLOW_ANY: the mesh config (" + n.Source(s) +
             ") does not set outboundTrafficPolicy.mode, and Istio's default is ALLOW_ANY" + effect;
    default:
      return "Outbound mode is ALLOW_ANY: no mesh config in the inputs sets "
             "outboundTrafficPolicy.mode, and Istio's default is ALLOW_ANY" +
             effect;
  }
}

std::string ExportText(const Names& n, const Step& s) {
  const istio::RegistryService& svc = *s.service;
  const std::string& ns = n.ex.scope.ns;
  const std::string verdict = s.included ? " includes " + ns : " does not include " + ns;
  if (s.kind == StepKind::kExportVisibility)
    return "meshConfig.serviceEntryVisibility (applyToSidecars) narrows its visibility, which" +
           verdict + ".";
  if (s.kind == StepKind::kExportToList) {
    if (!svc.IsServiceEntry())
      return "Its networking.istio.io/exportTo annotation " +
             Quote(n.model.services[svc.index].export_to->value) + verdict + ".";
    return "Its exportTo " + JoinQuoted(n.model.service_entries[svc.index].export_to) + verdict +
           ".";
  }
  std::string def = "[";
  const auto& values =
      n.model.SettingsForRevision(n.ex.scope.proxy.revision).default_service_export_to;
  for (std::size_t i = 0; i < values.size(); ++i) def += (i ? ", " : "") + Quote(values[i]);
  def += "]";
  std::string intro = "It has no exportTo";
  if (!svc.IsServiceEntry()) intro = "It has no networking.istio.io/exportTo annotation";
  else if (n.model.service_entries[svc.index].export_to_set) intro = "Its exportTo is empty";
  return intro + ", so the mesh default defaultServiceExportTo " + def + " applies, which" +
         verdict + ".";
}

std::string ImportText(const Names& n, const Step& s) {
  const std::string& ns = n.ex.scope.ns;
  if (s.kind == StepKind::kNoSidecar)
    return "No Sidecar applies to " + ns +
           " (it has no default Sidecar, nor has the root namespace " + n.root +
           "), so its proxies import every service exported to it.";
  std::string which;
  switch (n.ex.sidecar_origin) {
    case istio::SidecarOrigin::kSelector:
      which = n.sidecar + ", which selects these workloads";
      break;
    case istio::SidecarOrigin::kOwnDefault:
      which = n.sidecar + ", the default Sidecar of " + ns;
      break;
    default:
      which = n.sidecar + ", the root namespace's default, which applies to " + ns +
              " (it has none of its own)";
  }
  switch (s.kind) {
    case StepKind::kSidecarImportsAll:
      return which + ", has no egress listeners, so it imports every service exported to " + ns +
             ".";
    case StepKind::kSidecarImportsThrough:
      return which + ", imports it through egress host " + Quote(n.Entry(s)) + ".";
    case StepKind::kSidecarExcludes:
      return which + ", excludes it through egress host " + Quote(n.Entry(s)) +
             " (a \"~\" namespace excludes from Istio 1.31 on).";
    case StepKind::kListenerPort:
      return which + ": its egress host " + Quote(n.Entry(s)) + " is on a listener for port " +
             std::to_string(s.port) + ", and " + n.Target(s) +
             " has no such port, so that listener does not import it.";
    default:
      return which + ", does not import it: none of its egress hosts " +
             JoinQuoted(s.sidecar->egress_hosts) + " selects " + n.Target(s) + ".";
  }
}

std::string ListedText(const Names& n, const Step& s) {
  const istio::RegistryService& svc = *s.service;
  const std::string& host = n.ex.host;
  const std::string& se_host = n.SeHost(s);
  std::string what =
      ServiceName(svc) + " lists " + (se_host == host ? host : se_host + ", which covers " + host);
  if (svc.IsServiceEntry()) {
    const std::string_view location = n.model.service_entries[svc.index].location.value.view();
    what += " (location ";
    what += location.empty() ? std::string_view("unset: external") : location;
  } else {
    what = "Kubernetes Service " + Qualified(svc.meta->ref) + " is " + host + " (in-cluster";
  }
  const std::string ports = PortsText(svc);
  what += ports.empty() ? "; no ports)" : "; ports " + ports + ")";
  return n.InRegistry() + what + ".";
}

}  // namespace

std::string ChainText(const Names& n, const Step& s) {
  switch (s.kind) {
    case StepKind::kNamespaceUnknown:
    case StepKind::kMembershipAssumed:
    case StepKind::kProxyInjected:
    case StepKind::kNoProxy:
    case StepKind::kAmbient:
    case StepKind::kGatewaySource:
    case StepKind::kCaptureBypass:
    case StepKind::kSidecarSelects:
    case StepKind::kSeveralDefaults: return WhoText(n, s);
    case StepKind::kNotInRegistry:
      return n.InRegistry() + "No ServiceEntry or Service in the inputs lists " + n.ex.host +
             " (nor a wildcard covering it), so it is not in the registry.";
    case StepKind::kListed: return ListedText(n, s);
    case StepKind::kAlias:
      return "Kubernetes Service " + Qualified(s.service->meta->ref) +
             " is an ExternalName alias of " + std::string(s.service->alias_target) +
             ": it has no listener of its own, and is matched wherever " +
             std::string(s.service->alias_target) + " is.";
    case StepKind::kExportToList:
    case StepKind::kExportMeshDefault:
    case StepKind::kExportVisibility: return ExportText(n, s);
    case StepKind::kNoSidecar:
    case StepKind::kSidecarImportsAll:
    case StepKind::kSidecarImportsThrough:
    case StepKind::kSidecarDoesNotImport:
    case StepKind::kSidecarExcludes:
    case StepKind::kListenerPort: return ImportText(n, s);
    case StepKind::kImportsButNotExported:
      return n.sidecar + " has egress host " + Quote(n.Entry(s)) +
             ", but a Sidecar can only import services exported to its namespace: it imports "
             "nothing here.";
    case StepKind::kMoreServiceEntries:
      return "(" + std::to_string(s.count) + " more services list " + n.ex.host + ".)";
    case StepKind::kModeBySidecar:
    case StepKind::kModeBySidecarUnset:
    case StepKind::kModeByMesh:
    case StepKind::kModeMeshUnset:
    case StepKind::kModeNoMeshConfig: return ModeText(n, s);
    default: return RouteText(n, s);
  }
}

}  // namespace meshlint::egress_detail
