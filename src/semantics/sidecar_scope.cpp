// Which Sidecar applies to a workload, and what its egress listeners import
// (istio-notes §2.7–2.9).
#include "semantics/sidecar_scope.h"

#include <algorithm>
#include <tuple>

#include "semantics/exports.h"
#include "semantics/validity.h"

namespace meshlint::istio {

// ---- Which Sidecar applies ----

bool SidecarBefore(const Sidecar& a, const Sidecar& b) {
  const std::string& ta = a.config.creation_timestamp.value;
  const std::string& tb = b.config.creation_timestamp.value;
  // RFC 3339 in UTC ("2024-05-01T10:00:00Z") sorts as text.
  return std::make_tuple(ta.empty(), std::string_view(ta), std::string_view(a.meta.ref.name),
                         std::string_view(a.meta.ref.ns)) <
         std::make_tuple(tb.empty(), std::string_view(tb), std::string_view(b.meta.ref.name),
                         std::string_view(b.meta.ref.ns));
}

std::vector<const Sidecar*> NamespaceSidecars(const MeshModel& model, std::string_view ns,
                                              std::string_view revision) {
  std::vector<const Sidecar*> out;
  const NamespaceInfo* info = model.FindNamespace(ns);
  if (!info) return out;
  for (std::size_t i : info->sidecars) {
    const Sidecar& sc = model.sidecars[i];
    if (!IsRejected(model, sc.meta) && ConfigInRevision(model, sc.config, revision))
      out.push_back(&sc);
  }
  std::stable_sort(out.begin(), out.end(), [](const Sidecar* a, const Sidecar* b) {
    if (a->has_selector != b->has_selector) return a->has_selector;
    return SidecarBefore(*a, *b);
  });
  return out;
}

std::vector<const Sidecar*> DefaultSidecars(const MeshModel& model, std::string_view ns,
                                            std::string_view revision) {
  std::vector<const Sidecar*> out = NamespaceSidecars(model, ns, revision);
  out.erase(
      std::remove_if(out.begin(), out.end(), [](const Sidecar* s) { return s->has_selector; }),
      out.end());
  return out;
}

bool IsRootDefault(const MeshModel& model, const Sidecar& sidecar) {
  return !sidecar.has_selector && sidecar.meta.ref.ns == model.mesh.root_namespace;
}

bool SelectorSelects(const Selector& selector, const Labels* labels) {
  if (selector.labels.empty()) return true;
  return labels && labels->Includes(selector.labels);
}

AppliedSidecar SidecarFor(const MeshModel& model, std::string_view ns, const Labels* labels,
                          std::string_view revision) {
  const std::vector<const Sidecar*> own = NamespaceSidecars(model, ns, revision);
  std::size_t defaults = 0;
  for (const Sidecar* s : own) defaults += s->has_selector ? 0 : 1;
  for (const Sidecar* s : own) {
    if (s->has_selector && !SelectorSelects(s->selector, labels)) continue;
    return {s, s->has_selector ? SidecarOrigin::kSelector : SidecarOrigin::kOwnDefault,
            s->has_selector ? 0 : defaults};
  }
  const std::string& root = model.SettingsForRevision(revision).root_namespace;
  if (ns != root)
    if (auto root_defaults = DefaultSidecars(model, root, revision); !root_defaults.empty())
      return {root_defaults.front(), SidecarOrigin::kRootDefault, root_defaults.size()};
  return {};
}

AppliedSidecar ApplicableSidecar(const MeshModel& model, std::string_view ns) {
  if (auto own = DefaultSidecars(model, ns); !own.empty())
    return {own.front(), SidecarOrigin::kOwnDefault, own.size()};
  if (auto root = DefaultSidecars(model, model.mesh.root_namespace); !root.empty())
    return {root.front(), SidecarOrigin::kRootDefault, root.size()};
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
    out.exported =
        exported.scope == ExportScope::kAll ||
        std::any_of(exported.namespaces.begin(), exported.namespaces.end(),
                    [&](std::string_view ns) { return SidecarGoverns(model, sidecar, ns); });
  }
  return out;
}

// ---- What the egress listeners import ----

bool ImportsEverything(const Sidecar* sidecar) {
  return sidecar == nullptr || sidecar->egress.empty();
}

namespace {

// A listener with a port matches services by that port, except an
// HTTP_PROXY listener (an explicit proxy for any port).
bool NeedsPortMatch(const SidecarEgressListener& l) {
  return l.port_set && l.port.number.value != 0 &&
         ParseProtocol(l.port.protocol.value) != Protocol::kHttpProxy;
}

// The exclusion entry of the listener that removes the host, if any (1.31+:
// "~ns/host" for namespace ns, "~/host" and "~*/host" for every namespace;
// "~./host" for the config namespace).
std::optional<std::size_t> ExcludedBy(const Sidecar& sc, const SidecarEgressListener& l,
                                      std::string_view config_ns, std::string_view svc_ns,
                                      std::string_view host) {
  for (std::size_t k = l.first_host; k < l.first_host + l.host_count; ++k) {
    auto e = SplitEgressHost(sc.egress_hosts[k].value);
    if (!e || e->ns.empty() || e->ns.front() != '~') continue;
    std::string_view ns = e->ns.substr(1);
    if (ns == ".") ns = config_ns;
    if ((ns.empty() || ns == "*" || ns == svc_ns) && HostSubsetOf(host, e->dns)) return k;
  }
  return std::nullopt;
}

// The listener's entry that imports the host: one naming the service's
// namespace first, then one of namespace "*" (selectServices).
std::optional<std::size_t> ListenerEntry(const Sidecar& sc, const SidecarEgressListener& l,
                                         std::string_view config_ns, std::string_view svc_ns,
                                         std::string_view host) {
  std::optional<std::size_t> wildcard;
  for (std::size_t k = l.first_host; k < l.first_host + l.host_count; ++k) {
    auto e = SplitEgressHost(sc.egress_hosts[k].value);
    if (!e || !EntryImports(*e, config_ns, svc_ns, host)) continue;
    if (e->ns != "*") return k;
    if (!wildcard) wildcard = k;
  }
  return wildcard;
}

// A service port the catch-all listener would put on a 0.0.0.0:<port>
// listener already built by an earlier listener with that port: skipped.
bool LockedPort(const RegistryService& svc, const ServicePort& p,
                const std::vector<std::uint32_t>& earlier_ports) {
  if (std::find(earlier_ports.begin(), earlier_ports.end(), p.number) == earlier_ports.end())
    return false;
  const bool own_address = svc.has_addresses && !svc.cidr_addresses_only;
  return !(own_address && !IsHttp(p.protocol) && p.protocol != Protocol::kUnsupported);
}

}  // namespace

ImportDecision SidecarImports(const MeshModel& model, const Sidecar* sc, std::string_view config_ns,
                              const RegistryService& svc, std::uint32_t host) {
  ImportDecision d;
  if (ImportsEverything(sc)) {
    d.all = true;
    d.ports = kAllPorts;
    return d;
  }
  const std::string_view name = svc.hosts[host];
  const bool exclusions = model.istio_version.AtLeast(1, 31);
  std::vector<std::uint32_t> earlier_ports;  // of listeners with a port and no bind
  for (std::size_t li = 0; li < sc->egress.size(); ++li) {
    const SidecarEgressListener& l = sc->egress[li];
    const bool with_port = l.port_set && l.port.number.value != 0;
    std::optional<std::size_t> ex;
    if (exclusions) ex = ExcludedBy(*sc, l, config_ns, svc.ns(), name);
    const std::optional<std::size_t> entry =
        ex ? std::nullopt : ListenerEntry(*sc, l, config_ns, svc.ns(), name);
    if (ex && !d.excluded_by && ListenerEntry(*sc, l, config_ns, svc.ns(), name))
      d.excluded_by = ex;
    if (entry) {
      std::uint64_t bits = 0;
      for (std::size_t i = 0; i < svc.ports.size(); ++i) {
        const ServicePort& p = svc.ports[i];
        if (NeedsPortMatch(l) ? p.number == static_cast<std::uint32_t>(l.port.number.value)
                              : !(!with_port && LockedPort(svc, p, earlier_ports))) {
          bits |= PortBit(i);
        } else if (!with_port) {
          d.locked |= PortBit(i);
        }
      }
      if (NeedsPortMatch(l) && bits == 0 && !d.port_mismatch_entry) {
        d.port_mismatch_entry = entry;
        d.port_mismatch_listener = li;
      }
      // A service without ports is still imported (and reaches nothing).
      if (svc.ports.empty() && !NeedsPortMatch(l) && !d.entry) d.entry = entry;
      if (bits != 0 && !d.entry) d.entry = entry;
      d.ports |= bits;
    }
    if (with_port && l.bind.value.empty())
      earlier_ports.push_back(static_cast<std::uint32_t>(l.port.number.value));
  }
  return d;
}

std::optional<std::size_t> SidecarImportsVirtualHost(const MeshModel& model, const Sidecar* sc,
                                                     std::string_view config_ns,
                                                     std::string_view vs_ns,
                                                     std::string_view host) {
  if (ImportsEverything(sc)) return std::nullopt;
  const bool exclusions = model.istio_version.AtLeast(1, 31);
  for (const SidecarEgressListener& l : sc->egress) {
    if (exclusions && ExcludedBy(*sc, l, config_ns, vs_ns, host)) continue;
    std::optional<std::size_t> wildcard;
    for (std::size_t k = l.first_host; k < l.first_host + l.host_count; ++k) {
      auto e = SplitEgressHost(sc->egress_hosts[k].value);
      if (!e || !SelectsNamespace(*e, config_ns, vs_ns) || !HostsMatch(host, e->dns)) continue;
      if (e->ns != "*") return k;
      if (!wildcard) wildcard = k;
    }
    if (wildcard) return wildcard;
  }
  return std::nullopt;
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

}  // namespace meshlint::istio
