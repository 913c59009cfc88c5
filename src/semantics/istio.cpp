#include "semantics/istio.h"

#include <algorithm>
#include <array>

namespace meshlint::istio {

// ---- Host names ----

bool IsWildcardHost(std::string_view host) { return !host.empty() && host.front() == '*'; }

bool HostSubsetOf(std::string_view host, std::string_view pattern) {
  const bool host_wild = IsWildcardHost(host);
  const bool pattern_wild = IsWildcardHost(pattern);
  if (host_wild) {
    if (!pattern_wild || host.size() < pattern.size()) return false;
    return host.substr(1).ends_with(pattern.substr(1));
  }
  if (pattern_wild) return host.ends_with(pattern.substr(1));
  return host == pattern;
}

// ---- Namespaces ----

bool IsSystemNamespace(const MeshModel& model, std::string_view ns) {
  static constexpr std::array<std::string_view, 4> kSystem = {
      "kube-system", "kube-public", "kube-node-lease", "istio-system"};
  const auto& extra = model.extra_system_namespaces;
  return ns == model.mesh.root_namespace ||
         std::find(kSystem.begin(), kSystem.end(), ns) != kSystem.end() ||
         std::find(extra.begin(), extra.end(), ns) != extra.end();
}

namespace {

bool HasLabel(const NamespaceObject& ns, const char* key, const char* value) {
  auto it = ns.labels.find(key);
  return it != ns.labels.end() && it->second == value;
}

}  // namespace

MeshMembership NamespaceMembership(const MeshModel& model, const NamespaceInfo& info) {
  if (IsSystemNamespace(model, info.name))
    return {Membership::kNotInjected, MembershipReason::kSystemNamespace, {}};
  if (!info.manifest)
    return {Membership::kUnknown, MembershipReason::kNoManifest, info.first_object_loc};
  const NamespaceObject& ns = model.namespaces[*info.manifest];
  const Location loc = ns.meta.anchor();
  if (HasLabel(ns, "istio-injection", "disabled"))
    return {Membership::kNotInjected, MembershipReason::kInjectionDisabled, loc};
  if (HasLabel(ns, "istio-injection", "enabled"))
    return {Membership::kInjected, MembershipReason::kInjectionEnabled, loc};
  if (ns.labels.count("istio.io/rev") != 0)
    return {Membership::kInjected, MembershipReason::kRevisionLabel, loc};
  if (HasLabel(ns, "istio.io/dataplane-mode", "ambient"))
    return {Membership::kAmbient, MembershipReason::kAmbientLabel, loc};
  return {Membership::kUnknown, MembershipReason::kNoInjectionLabel, loc};
}

bool InSidecarMesh(const MeshMembership& membership) {
  switch (membership.state) {
    case Membership::kInjected:
    case Membership::kUnknown: return true;
    case Membership::kNotInjected:
    case Membership::kAmbient: return false;
  }
  return true;
}

// ---- exportTo ----

namespace {

// Calls visit(value) for each value of the effective exportTo list: the
// ServiceEntry's own when non-empty, else the mesh default (which the model
// already reads as "*" when no source sets it, or sets it empty). Stops when
// visit returns true; returns whether it did.
template <typename Visit>
bool AnyExportValue(const MeshModel& model, const ServiceEntry& se, Visit visit) {
  if (!se.export_to.empty()) {
    for (const auto& v : se.export_to)
      if (visit(std::string_view(v.value))) return true;
    return false;
  }
  for (const auto& v : model.mesh.default_service_export_to)
    if (visit(std::string_view(v))) return true;
  return false;
}

}  // namespace

bool Export::Includes(std::string_view ns) const {
  switch (scope) {
    case ExportScope::kAll: return true;
    case ExportScope::kNone: return false;
    case ExportScope::kNamespaces:
      return std::find(namespaces.begin(), namespaces.end(), ns) != namespaces.end();
  }
  return false;
}

Export EffectiveExport(const MeshModel& model, const ServiceEntry& se) {
  Export out;
  if (!se.export_to.empty()) {
    out.origin = ExportOrigin::kExportTo;
    out.loc = se.export_to_key;
  } else if (model.mesh.default_export_from) {
    out.origin = ExportOrigin::kMeshDefault;
    out.mesh_source = model.mesh.default_export_from;
    out.loc = model.mesh_sources[*model.mesh.default_export_from].default_service_export_to_key;
  }
  // "*" anywhere in the list exports everywhere (a list that mixes it with
  // other values is invalid; Istio would reject it, meshlint reads it wide).
  if (IsExportedToAll(model, se)) return out;
  AnyExportValue(model, se, [&](std::string_view v) {
    if (v == "~") return false;
    const std::string_view ns = v == "." ? std::string_view(se.meta.ref.ns) : v;
    if (std::find(out.namespaces.begin(), out.namespaces.end(), ns) == out.namespaces.end())
      out.namespaces.push_back(ns);
    return false;
  });
  out.scope = out.namespaces.empty() ? ExportScope::kNone : ExportScope::kNamespaces;
  return out;
}

bool IsExportedTo(const MeshModel& model, const ServiceEntry& se, std::string_view ns) {
  return AnyExportValue(model, se, [&](std::string_view v) {
    if (v == "~") return false;
    if (v == ".") return se.meta.ref.ns == ns;
    return v == "*" || v == ns;
  });
}

bool IsExportedToAll(const MeshModel& model, const ServiceEntry& se) {
  return AnyExportValue(model, se, [](std::string_view v) { return v == "*"; });
}

// ---- Sidecar egress hosts ----

std::optional<EgressEntry> SplitEgressHost(std::string_view entry) {
  const auto slash = entry.find('/');
  // Istio's validation rejects entries without both parts; they import nothing.
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == entry.size())
    return std::nullopt;
  return EgressEntry{entry.substr(0, slash), entry.substr(slash + 1)};
}

bool SelectsNamespace(const EgressEntry& entry, std::string_view config_ns,
                      std::string_view service_ns) {
  if (entry.ns == "~") return false;
  if (entry.ns == "*") return true;
  return (entry.ns == "." ? config_ns : entry.ns) == service_ns;
}

bool EntryImports(const EgressEntry& entry, std::string_view config_ns,
                  std::string_view service_ns, std::string_view host) {
  return SelectsNamespace(entry, config_ns, service_ns) && HostSubsetOf(host, entry.dns);
}

bool ImportsEverything(const Sidecar* sidecar) {
  // No Sidecar, or one without egress hosts: Istio builds the catch-all
  // listener "*/*".
  return sidecar == nullptr || sidecar->egress_hosts.empty();
}

Import SidecarImport(const Sidecar* sidecar, std::string_view config_ns,
                     std::string_view service_ns, std::string_view host) {
  if (ImportsEverything(sidecar)) return {ImportKind::kAll, 0};
  for (std::size_t i = 0; i < sidecar->egress_hosts.size(); ++i) {
    auto entry = SplitEgressHost(sidecar->egress_hosts[i].value);
    if (entry && EntryImports(*entry, config_ns, service_ns, host)) return {ImportKind::kEntry, i};
  }
  return {};
}

std::optional<ClusterHost> ParseClusterHost(std::string_view dns) {
  const auto svc = dns.find(".svc.");
  if (svc == std::string_view::npos) return std::nullopt;
  const std::string_view head = dns.substr(0, svc);
  const auto dot = head.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  return ClusterHost{head.substr(0, dot), head.substr(dot + 1)};
}

ServiceIndex::ServiceIndex(const MeshModel& model) {
  for (const KubeService& s : model.services) services_.insert({s.meta.ref.ns, s.meta.ref.name});
}

bool ServiceIndex::Contains(std::string_view ns, std::string_view name) const {
  return services_.count({std::string(ns), std::string(name)}) != 0;
}

bool ServiceProvides(const ServiceIndex& services, const EgressEntry& entry) {
  const auto host = ParseClusterHost(entry.dns);
  if (!host || !services.Contains(host->ns, host->name)) return false;
  // "." could be any namespace the Sidecar applies to: accepted.
  return entry.ns == "*" || entry.ns == "." || entry.ns == host->ns;
}

// ---- Which Sidecar applies ----

std::vector<const Sidecar*> DefaultSidecars(const MeshModel& model, std::string_view ns) {
  std::vector<const Sidecar*> out;
  const NamespaceInfo* info = model.FindNamespace(ns);
  if (!info) return out;
  for (std::size_t i : info->sidecars)
    if (!model.sidecars[i].has_selector) out.push_back(&model.sidecars[i]);
  return out;
}

bool IsRootDefault(const MeshModel& model, const Sidecar& sidecar) {
  return !sidecar.has_selector && sidecar.meta.ref.ns == model.mesh.root_namespace;
}

AppliedSidecar ApplicableSidecar(const MeshModel& model, std::string_view ns) {
  // Istio uses the oldest when there are several; manifests carry no creation
  // time, so the first in input order stands in for it.
  if (auto own = DefaultSidecars(model, ns); !own.empty())
    return {own.front(), SidecarOrigin::kOwnDefault};
  if (auto root = DefaultSidecars(model, model.mesh.root_namespace); !root.empty())
    return {root.front(), SidecarOrigin::kRootDefault};
  return {};
}

bool SidecarGoverns(const MeshModel& model, const Sidecar& sidecar, std::string_view ns) {
  if (ns == sidecar.meta.ref.ns) return true;
  return IsRootDefault(model, sidecar) && DefaultSidecars(model, ns).empty();
}

GovernedImport ImportWhereApplied(const MeshModel& model, const Sidecar& sidecar,
                                  const EgressEntry& entry, const ServiceEntry& se) {
  const std::string& own_ns = sidecar.meta.ref.ns;
  const std::string& se_ns = se.meta.ref.ns;
  GovernedImport out;
  if (!IsRootDefault(model, sidecar)) {
    out.selects = SelectsNamespace(entry, own_ns, se_ns);
    out.exported = IsExportedTo(model, se, own_ns);
  } else if (entry.ns == ".") {
    // "." in the root default is each namespace's own: the ServiceEntry's
    // namespace, if the Sidecar applies there.
    out.selects = SidecarGoverns(model, sidecar, se_ns);
    out.exported = IsExportedTo(model, se, se_ns);
  } else {
    out.selects = SelectsNamespace(entry, own_ns, se_ns);
    const Export exported = EffectiveExport(model, se);
    out.exported = exported.scope == ExportScope::kAll ||
                   std::any_of(exported.namespaces.begin(), exported.namespaces.end(),
                               [&](std::string_view ns) { return SidecarGoverns(model, sidecar, ns); });
  }
  return out;
}

// ---- Outbound traffic policy ----

OutboundDecision MeshOutbound(const MeshModel& model) {
  OutboundDecision d;
  d.mode = model.mesh.outbound_mode;
  if (model.mesh.outbound_from) {
    d.origin = ModeOrigin::kMesh;
    d.mesh_source = model.mesh.outbound_from;
    d.loc = model.mesh_sources[*d.mesh_source].outbound_mode->loc;
  } else if (model.mesh.outbound_unset_at) {
    // Unset: point at the mesh config whose setting would decide, where a
    // person would add the mode.
    d.mesh_source = model.mesh.outbound_unset_at;
    const MeshConfigSource& src = model.mesh_sources[*d.mesh_source];
    d.loc = src.outbound_key.valid() ? src.outbound_key : src.loc;
  }
  return d;
}

OutboundDecision EffectiveOutbound(const MeshModel& model, const Sidecar* sidecar) {
  if (!sidecar || !sidecar->outbound_set) return MeshOutbound(model);
  OutboundDecision d;
  d.mode = sidecar->outbound_mode;
  d.origin = ModeOrigin::kSidecar;
  d.sidecar = sidecar;
  d.mode_written = sidecar->outbound_mode_loc.valid();
  d.loc = d.mode_written ? sidecar->outbound_mode_loc : sidecar->outbound_key;
  return d;
}

}  // namespace meshlint::istio
