// VirtualServices and the egress gateway hop (istio-notes §2.11–2.12).
#include "semantics/routes.h"

#include <algorithm>
#include <tuple>

#include "semantics/hosts.h"
#include "semantics/sidecar_scope.h"

namespace meshlint::istio {

// ---- Mesh VirtualServices ----

bool BoundToMesh(const VirtualService& vs) {
  if (vs.gateways.empty()) return true;
  return std::any_of(vs.gateways.begin(), vs.gateways.end(),
                     [](const auto& g) { return g.value == "mesh"; });
}

std::optional<ImportedVs> ImportVirtualService(const MeshModel& model, const Registry& registry,
                                               const Sidecar* sidecar, std::string_view config_ns,
                                               std::uint32_t index) {
  const VirtualService& vs = model.virtual_services[index];
  if (!registry.Applies(vs.meta, &vs.config) || !BoundToMesh(vs) || vs.hosts.empty())
    return std::nullopt;
  if (!VirtualServiceExport(model, registry.settings(), vs).Includes(config_ns))
    return std::nullopt;
  if (ImportsEverything(sidecar)) return ImportedVs{index, std::nullopt};
  for (const auto& h : vs.hosts)
    if (auto entry = SidecarImportsVirtualHost(model, sidecar, config_ns, vs.meta.ref.ns, h.value))
      return ImportedVs{index, entry};
  return std::nullopt;
}

std::vector<ImportedVs> ImportedVirtualServices(const MeshModel& model, const Registry& registry,
                                                const Sidecar* sidecar,
                                                std::string_view config_ns) {
  struct Ranked {
    int tier;  // 0 private to the namespace, 1 exported to it by name, 2 public
    ImportedVs vs;
  };
  std::vector<Ranked> out;
  for (std::uint32_t i = 0; i < model.virtual_services.size(); ++i) {
    auto imported = ImportVirtualService(model, registry, sidecar, config_ns, i);
    if (!imported) continue;
    const Export e = VirtualServiceExport(model, registry.settings(), model.virtual_services[i]);
    const int tier = e.scope == ExportScope::kAll                         ? 2
                     : model.virtual_services[i].meta.ref.ns == config_ns ? 0
                                                                          : 1;
    out.push_back({tier, *imported});
  }
  auto key = [&](const Ranked& r) {
    const VirtualService& vs = model.virtual_services[r.vs.vs];
    const std::string& created = vs.config.creation_timestamp.value;
    return std::make_tuple(r.tier, created.empty(), std::string_view(created),
                           std::string_view(vs.meta.ref.name), std::string_view(vs.meta.ref.ns));
  };
  std::stable_sort(out.begin(), out.end(),
                   [&](const Ranked& a, const Ranked& b) { return key(a) < key(b); });
  std::vector<ImportedVs> result;
  result.reserve(out.size());
  for (const Ranked& r : out) result.push_back(r.vs);
  return result;
}

bool MeshRouteApplies(const VirtualService& vs, const Route& route, std::uint32_t port,
                      std::string_view source_ns) {
  if (route.matches.empty()) return BoundToMesh(vs);
  for (const RouteMatch& m : route.matches) {
    const bool mesh = m.gateways.empty()
                          ? BoundToMesh(vs)
                          : std::any_of(m.gateways.begin(), m.gateways.end(),
                                        [](const auto& g) { return g.value == "mesh"; });
    if (!mesh) continue;
    if (port != 0 && m.port.value != 0 && static_cast<std::uint32_t>(m.port.value) != port)
      continue;
    if (!m.source_namespace.value.empty() && m.source_namespace.value != source_ns) continue;
    return true;
  }
  return false;
}

std::optional<std::uint32_t> ResolveDestination(const MeshModel& model, const Registry& registry,
                                                std::string_view host, std::string_view config_ns) {
  const std::span<const std::uint32_t> named = registry.WithHost(host);
  for (std::uint32_t i : named)
    if (registry.service(i).ns() == config_ns) return i;
  std::optional<std::uint32_t> best;
  const bool pick_best = model.istio_version.AtLeast(1, 30);
  auto rank = [&](std::uint32_t i) {
    const RegistryService& s = registry.service(i);
    if (!pick_best)
      return std::make_tuple(false, false, std::string_view(), std::string_view(s.ns()));
    return std::make_tuple(s.IsServiceEntry(), s.created().empty(), s.created(),
                           std::string_view(s.ns()));
  };
  for (std::uint32_t i : named) {
    if (!registry.service(i).visibility.Includes(config_ns)) continue;
    if (!best || rank(i) < rank(*best)) best = i;
  }
  return best;
}

std::uint64_t DestinationPorts(const RegistryService& svc, const RouteDestination& dest) {
  if (dest.port.value == 0) return kAllPorts;
  std::uint64_t bits = 0;
  for (std::size_t i = 0; i < svc.ports.size(); ++i)
    if (svc.ports[i].number == static_cast<std::uint32_t>(dest.port.value)) bits |= PortBit(i);
  return bits;
}

namespace {

const RouteDestination* FirstDestination(const Route& route) {
  for (const RouteDestination& d : route.destinations)
    if (!d.mirror) return &d;
  return nullptr;
}

bool SniMatches(const Route& route, std::string_view host) {
  for (const RouteMatch& m : route.matches)
    for (const auto& sni : m.sni_hosts)
      if (HostSubsetOf(host, sni.value)) return true;
  return route.matches.empty();
}

}  // namespace

std::optional<MeshRoute> RouteRequest(const MeshModel& model,
                                      const std::vector<ImportedVs>& imported,
                                      std::string_view host, std::uint32_t port,
                                      std::string_view source_ns, Route::Kind kind) {
  for (const ImportedVs& iv : imported) {
    const VirtualService& vs = model.virtual_services[iv.vs];
    std::optional<std::uint32_t> covering;
    for (std::uint32_t h = 0; h < vs.hosts.size() && !covering; ++h)
      if (HostSubsetOf(host, vs.hosts[h].value)) covering = h;
    if (!covering) continue;
    for (const Route& r : vs.routes) {
      if (r.kind != kind || r.delegate || !MeshRouteApplies(vs, r, port, source_ns)) continue;
      if (kind == Route::Kind::kTls && !SniMatches(r, host)) continue;
      const RouteDestination* dest = FirstDestination(r);
      if (!dest) continue;
      return MeshRoute{iv.vs, &r, dest, *covering};
    }
  }
  return std::nullopt;
}

}  // namespace meshlint::istio
