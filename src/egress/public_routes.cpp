// The VirtualServices a row imports and the hosts they route (istio-notes
// §2.11). Most rows import exactly the VirtualServices exported to every
// namespace; those are found, resolved and answered once per registry, so
// that a mesh of N namespaces each exporting a VirtualService costs N, not
// N rows times N VirtualServices.
#include <algorithm>
#include <functional>
#include <set>

#include "egress/egress.h"
#include "egress/import_index.h"

namespace meshlint::egress {

namespace {

// A namespace no object lives in or is exported to by name: what Istio
// gives it is what it gives every namespace.
constexpr std::string_view kNoNamespace = "\x01";

bool RefLess(const HostRef& a, const HostRef& b) {
  return std::tie(a.svc, a.host) < std::tie(b.svc, b.host);
}

// Does the namespace of the asking row change what `vs` routes, or where?
// A sourceNamespace match does; so does a destination host that several
// services list (the one in the row's namespace wins), one that not every
// namespace sees, or a Kubernetes Service (it may be an egress gateway's,
// whose AuthorizationPolicies look at the source namespace).
bool DependsOnNamespace(const VirtualService& vs, const istio::Registry& reg) {
  for (const Route& r : vs.routes) {
    for (const RouteMatch& m : r.matches)
      if (!m.source_namespace.value.empty()) return true;
    for (const RouteDestination& d : r.destinations) {
      const std::span<const std::uint32_t> named = reg.WithHost(d.host.value);
      if (named.size() > 1) return true;
      if (named.size() == 1) {
        const istio::RegistryService& svc = reg.service(named.front());
        if (!svc.IsServiceEntry() || svc.visibility.scope != istio::ExportScope::kAll) return true;
      }
    }
  }
  return false;
}

}  // namespace

const std::vector<RoutedHost>& RoutedHostList::Hosts() const {
  static const std::vector<RoutedHost> kNone;
  return hosts_ ? *hosts_ : kNone;
}

const EgressAnalysis::PublicRoutes& EgressAnalysis::PublicRoutesOf(std::uint32_t registry) const {
  auto [it, fresh] = public_routes_.try_emplace(registry);
  PublicRoutes& pub = it->second;
  if (!fresh) return pub;
  const istio::Registry& reg = *registries_[registry];
  for (const VirtualService& vs : model_.virtual_services) {
    if (!reg.Applies(vs.meta, &vs.config) || !istio::BoundToMesh(vs) || vs.hosts.empty()) continue;
    const istio::Export e = istio::VirtualServiceExport(model_, reg.settings(), vs);
    if (e.scope == istio::ExportScope::kNamespaces)
      pub.named_namespaces.insert(e.namespaces.begin(), e.namespaces.end());
  }
  // Without a Sidecar, in a namespace nothing is exported to by name: the
  // public VirtualServices alone, in Istio's order.
  pub.list = istio::ImportedVirtualServices(model_, reg, nullptr, kNoNamespace);
  for (std::uint32_t i = 0; i < pub.list.size(); ++i) {
    const VirtualService& vs = model_.virtual_services[pub.list[i].vs];
    pub.in_namespace[vs.meta.ref.ns].push_back(i);
    pub.per_namespace |= DependsOnNamespace(vs, reg);
  }
  if (pub.per_namespace) return pub;
  // Their destinations, alike in every namespace; those the unfiltered
  // shared list imports with their ports already add nothing to a row.
  Scope probe;
  probe.ns = std::string(kNoNamespace);
  probe.registry = registry;
  probe.shared = SharedFor(registry, nullptr);
  for (const istio::ImportedVs& iv : pub.list) AddDestinations(probe, iv);
  for (const HostRef& ref : MergeRefs(std::move(probe.own))) {
    auto at = std::lower_bound(probe.shared->begin(), probe.shared->end(), ref, RefLess);
    const bool covered = at != probe.shared->end() && at->svc == ref.svc && at->host == ref.host &&
                         (ref.ports & ~at->ports) == 0;
    if (!covered) pub.beyond_shared.push_back(ref);
  }
  return pub;
}

void EgressAnalysis::FillVirtualServices(Scope& s) const {
  const PublicRoutes& pub = PublicRoutesOf(s.registry);
  if (pub.named_namespaces.count(s.ns)) {
    // VirtualServices exported to the namespace by name come first (and
    // private ones before them): Istio's whole walk.
    s.virtual_services =
        istio::ImportedVirtualServices(model_, *registries_[s.registry], s.sidecar, s.ns);
  } else if (!istio::ImportsEverything(s.sidecar)) {
    s.virtual_services = ImportPublic(s, pub);
    s.public_routes = true;
  } else {
    s.virtual_services = pub.list;
    s.public_routes = true;
    if (!pub.per_namespace) {
      s.public_routes_only = true;
      s.own.insert(s.own.end(), pub.beyond_shared.begin(), pub.beyond_shared.end());
      return;
    }
  }
  for (const istio::ImportedVs& iv : s.virtual_services) AddDestinations(s, iv);
}

std::vector<istio::ImportedVs> EgressAnalysis::ImportPublic(const Scope& s,
                                                            const PublicRoutes& pub) const {
  // An egress host imports a VirtualService of the namespace it names ("."
  // the row's own, "*" any); "~" entries only exclude (SelectsNamespace).
  std::vector<std::uint32_t> at;
  bool every = false;
  for (const auto& written : s.sidecar->egress_hosts) {
    const auto e = istio::SplitEgressHost(written.value);
    if (!e || e->ns.front() == '~') continue;
    if (e->ns == "*") {
      every = true;
      break;
    }
    const std::string ns(e->ns == "." ? std::string_view(s.ns) : e->ns);
    if (auto it = pub.in_namespace.find(ns); it != pub.in_namespace.end())
      at.insert(at.end(), it->second.begin(), it->second.end());
  }
  if (every) {
    at.resize(pub.list.size());
    for (std::uint32_t i = 0; i < at.size(); ++i) at[i] = i;
  }
  // In the list's order, which is Istio's.
  std::sort(at.begin(), at.end());
  at.erase(std::unique(at.begin(), at.end()), at.end());
  std::vector<istio::ImportedVs> out;
  const istio::Registry& reg = *registries_[s.registry];
  for (std::uint32_t i : at)
    if (auto iv = istio::ImportVirtualService(model_, reg, s.sidecar, s.ns, pub.list[i].vs))
      out.push_back(*iv);
  return out;
}

void EgressAnalysis::AddDestinations(Scope& s, const istio::ImportedVs& iv) const {
  // An imported VirtualService brings its destinations into the scope.
  const istio::Registry& reg = *registries_[s.registry];
  const VirtualService& vs = model_.virtual_services[iv.vs];
  for (const Route& r : vs.routes) {
    if (!r.matches.empty() &&
        std::none_of(r.matches.begin(), r.matches.end(), [&](const RouteMatch& m) {
          return m.source_namespace.value.empty() || m.source_namespace.value == s.ns;
        }))
      continue;
    for (const RouteDestination& d : r.destinations) {
      const auto svc = istio::ResolveDestination(model_, reg, d.host.value, s.ns);
      if (!svc) continue;
      const istio::RegistryService& target = reg.service(*svc);
      const std::uint64_t ports = istio::DestinationPorts(target, d);
      if (ports == 0) continue;
      for (std::uint32_t h = 0; h < target.hosts.size(); ++h)
        if (target.hosts[h] == d.host.value) s.own.push_back({*svc, h, ports});
    }
  }
}

std::optional<EgressAnalysis::RoutesKey> EgressAnalysis::SharedRoutesKey(const Scope& s) const {
  if (!s.mediated() || s.virtual_services.empty()) return std::nullopt;
  // A row that routes with the public VirtualServices alone, imports
  // nothing of its own beyond their destinations and captures every port
  // answers each routed host as every such row of its registry, outbound
  // mode and DNS capture does: its namespace enters no step of the answer
  // (DependsOnNamespace), and the rest of it is the shared list's.
  if (s.public_routes_only && s.own.size() == PublicRoutesOf(s.registry).beyond_shared.size() &&
      s.capture.CapturesAll())
    return std::make_tuple(s.registry, s.mode, s.dns_capture);
  return std::nullopt;
}

RoutedHostList EgressAnalysis::RoutedHosts(const Scope& s) const {
  if (!s.mediated() || s.virtual_services.empty()) return RoutedHostList();
  // A row of the analysis whose routes route_groups() computed.
  if (const Scope* row = RowOf(s); row && !routes_of_row_.empty()) {
    const RoutedHostList& known = routes_of_row_[static_cast<std::size_t>(row - scopes_.data())];
    if (known.computed()) return known;
  }
  if (const auto key = SharedRoutesKey(s)) {
    auto it = routed_of_public_.find(*key);
    if (it == routed_of_public_.end())
      it =
          routed_of_public_
              .emplace(*key, std::make_shared<const std::vector<RoutedHost>>(ComputeRoutedHosts(s)))
              .first;
    return RoutedHostList(it->second);
  }
  return RoutedHostList(std::make_shared<const std::vector<RoutedHost>>(ComputeRoutedHosts(s)));
}

EgressAnalysis::RoutesText EgressAnalysis::TextOf(const RoutedHostList& routes) {
  return RoutesText(routes.begin(), routes.end());
}

const Scope* EgressAnalysis::RowOf(const Scope& s) const {
  const std::less<const Scope*> less;
  if (scopes_.empty() || less(&s, scopes_.data()) || !less(&s, scopes_.data() + scopes_.size()))
    return nullptr;
  return &s;
}

const std::vector<EgressAnalysis::RouteGroup>& EgressAnalysis::route_groups() const {
  if (route_groups_) return *route_groups_;
  // Rows are in namespace order: a namespace is new to a list when it is
  // not the last one counted for it.
  struct Count {
    std::size_t first = 0;
    std::size_t rows = 0, namespaces = 0;
    const std::string* last_ns = nullptr;
    bool public_routes = false;  // a row of it routes with public VirtualServices alone
  };
  std::map<RoutesText, Count> counts;
  std::vector<const RoutesText*> order;
  std::vector<RoutedHostList> routes(scopes_.size());
  for (std::size_t i = 0; i < scopes_.size(); ++i) {
    const Scope& s = scopes_[i];
    if (!s.mediated() || s.virtual_services.empty()) continue;
    routes[i] = RoutedHosts(s);
    if (routes[i].empty()) continue;
    auto [it, fresh] = counts.try_emplace(TextOf(routes[i]));
    if (fresh) {
      it->second.first = i;
      order.push_back(&it->first);
    }
    Count& c = it->second;
    ++c.rows;
    if (!c.last_ns || *c.last_ns != s.ns) ++c.namespaces;
    c.last_ns = &s.ns;
    c.public_routes = c.public_routes || s.public_routes;
  }
  // A list that a row with public VirtualServices alone has is theirs (the
  // VirtualService is part of each route): every row that has it takes it,
  // also one that more VirtualServices are exported to by name.
  std::vector<RouteGroup> groups;
  for (const RoutesText* text : order) {
    const Count& c = counts[*text];
    if (c.rows < 2 || !c.public_routes) continue;
    route_group_of_.emplace(*text, groups.size());
    groups.push_back(RouteGroup{routes[c.first], c.rows, c.namespaces});
  }
  routes_of_row_ = std::move(routes);
  route_groups_ = std::move(groups);
  return *route_groups_;
}

std::optional<std::size_t> EgressAnalysis::RouteGroupOf(const Scope& s) const {
  route_groups();
  if (!s.mediated() || s.virtual_services.empty()) return std::nullopt;
  const RoutedHostList routes = RoutedHosts(s);
  if (routes.empty()) return std::nullopt;
  auto it = route_group_of_.find(TextOf(routes));
  if (it == route_group_of_.end()) return std::nullopt;
  return it->second;
}

std::vector<RoutedHost> EgressAnalysis::ComputeRoutedHosts(const Scope& s) const {
  std::vector<RoutedHost> out;
  std::set<std::pair<std::string_view, std::uint32_t>> seen;
  // The row's imports indexed once for all its routed hosts, so that no
  // host walks them.
  const RowImports imports = ImportsOf(s);
  const std::vector<OpenPort> open = OpenPorts(s);
  for (const istio::ImportedVs& iv : s.virtual_services) {
    const VirtualService& vs = model_.virtual_services[iv.vs];
    for (const auto& h : vs.hosts) {
      // In-cluster hosts are the mesh's own business; egress routes are
      // the ones to external names.
      if (h.value.find(".svc.") != std::string::npos || h.value.find('.') == std::string::npos ||
          istio::IsWildcardHost(h.value))
        continue;
      const Verdict v = AnswerWith(s, imports, open, h.value, 0);
      if (!v.route || !seen.insert({h.value, v.port}).second) continue;
      out.push_back({h.value, v.port, v.route->vs, v.route->dest, v.reachable,
                     v.hop ? v.hop->gateway : nullptr});
    }
  }
  return out;
}

}  // namespace meshlint::egress
