// What each row imports: the services visible to every namespace through
// its Sidecar's listeners (shared between rows with the same filter), those
// visible to its namespace by name, and the destinations of the
// VirtualServices it imports.
#include <algorithm>
#include <iterator>
#include <tuple>

#include "egress/egress.h"
#include "egress/import_index.h"

namespace meshlint::egress {

using istio::EgressEntry;
using istio::RegistryService;
using istio::SplitEgressHost;

namespace {

// A namespace no service lives in: the shared filter is computed for it, so
// that "." entries (which differ per namespace) select nothing there and each
// row adds what they select in its own namespace.
constexpr std::string_view kNoNamespace = "\x01";

bool RefLess(const HostRef& a, const HostRef& b) {
  return std::tie(a.svc, a.host) < std::tie(b.svc, b.host);
}

// Does the Sidecar have entries whose meaning depends on the namespace it
// is applied in ("./...", "~./...")?
bool HasDotEntries(const Sidecar* sc) {
  if (istio::ImportsEverything(sc)) return false;
  return std::any_of(sc->egress_hosts.begin(), sc->egress_hosts.end(), [](const auto& h) {
    auto e = SplitEgressHost(h.value);
    return e && (e->ns == "." || e->ns == "~.");
  });
}

}  // namespace

std::shared_ptr<const std::vector<HostRef>> EgressAnalysis::SharedFor(std::uint32_t reg_index,
                                                                      const Sidecar* sc) const {
  const bool all = istio::ImportsEverything(sc);
  const auto key = std::make_pair(reg_index, all ? nullptr : sc);
  if (auto it = shared_cache_.find(key); it != shared_cache_.end()) return it->second;
  const istio::Registry& reg = *registries_[reg_index];
  const Index& idx = index_[reg_index];
  auto out = std::make_shared<std::vector<HostRef>>();
  auto consider = [&](std::uint32_t s, std::uint32_t h) {
    const istio::ImportDecision d =
        istio::SidecarImports(model_, sc, kNoNamespace, reg.service(s), h);
    if (d.imports() || (d.entry && reg.service(s).ports.empty())) out->push_back({s, h, d.ports});
  };
  if (all) {
    for (std::uint32_t s : idx.to_all)
      for (std::uint32_t h = 0; h < reg.service(s).hosts.size(); ++h)
        out->push_back({s, h, istio::kAllPorts});
  } else {
    // The entries narrow the candidates (by host, or by namespace); the
    // listeners decide. A flag per candidate would cost every Sidecar the
    // size of the whole mesh.
    std::vector<std::pair<std::uint32_t, std::uint32_t>> candidates;
    bool every = false;
    for (const auto& written : sc->egress_hosts) {
      auto e = SplitEgressHost(written.value);
      if (!e || e->ns == "." || e->ns.front() == '~') continue;
      if (e->ns == "*" && istio::IsWildcardHost(e->dns)) {
        every = true;
        break;
      }
      if (!istio::IsWildcardHost(e->dns)) {
        for (std::uint32_t s : reg.WithHost(e->dns))
          if (reg.service(s).visibility.scope == istio::ExportScope::kAll)
            for (std::uint32_t h = 0; h < reg.service(s).hosts.size(); ++h)
              if (reg.service(s).hosts[h] == e->dns) candidates.push_back({s, h});
      } else if (auto it = idx.all_by_ns.find(std::string(e->ns)); it != idx.all_by_ns.end()) {
        for (std::uint32_t s : it->second)
          for (std::uint32_t h = 0; h < reg.service(s).hosts.size(); ++h)
            candidates.push_back({s, h});
      }
    }
    if (every) {
      candidates.clear();
      for (std::uint32_t s : idx.to_all)
        for (std::uint32_t h = 0; h < reg.service(s).hosts.size(); ++h)
          candidates.push_back({s, h});
    }
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    for (const auto& [s, h] : candidates) consider(s, h);
  }
  std::sort(out->begin(), out->end(), RefLess);
  shared_cache_.emplace(key, out);
  return out;
}

void EgressAnalysis::FillImports(Scope& s) const {
  if (!s.mediated()) {
    static const auto kEmpty = std::make_shared<const std::vector<HostRef>>();
    s.shared = kEmpty;
    return;
  }
  const istio::Registry& reg = *registries_[s.registry];
  const Index& idx = index_[s.registry];
  s.shared = SharedFor(s.registry, s.sidecar);
  auto add = [&](std::uint32_t svc, std::uint32_t h) {
    const istio::ImportDecision d =
        istio::SidecarImports(model_, s.sidecar, s.ns, reg.service(svc), h);
    if (d.imports() || (d.entry && reg.service(svc).ports.empty()))
      s.own.push_back({svc, h, d.ports});
  };
  if (auto it = idx.to_ns.find(s.ns); it != idx.to_ns.end())
    for (std::uint32_t svc : it->second)
      for (std::uint32_t h = 0; h < reg.service(svc).hosts.size(); ++h) add(svc, h);
  if (HasDotEntries(s.sidecar)) {
    // "." entries select the row's own namespace: its services visible to
    // all, recomputed for it. One that a "~./" entry narrows needs a list of
    // its own.
    auto it = idx.all_by_ns.find(s.ns);
    std::vector<HostRef> narrowed;
    if (it != idx.all_by_ns.end())
      for (std::uint32_t svc : it->second)
        for (std::uint32_t h = 0; h < reg.service(svc).hosts.size(); ++h) {
          const istio::ImportDecision d =
              istio::SidecarImports(model_, s.sidecar, s.ns, reg.service(svc), h);
          const HostRef probe{svc, h, 0};
          auto in_shared = std::lower_bound(s.shared->begin(), s.shared->end(), probe, RefLess);
          const bool shared_has =
              in_shared != s.shared->end() && in_shared->svc == svc && in_shared->host == h;
          const std::uint64_t before = shared_has ? in_shared->ports : 0;
          // A port-less service that an entry selects is imported (as
          // `add` above has it), though it brings no port.
          const bool portless = d.entry && reg.service(svc).ports.empty() && !shared_has;
          if ((d.ports | before) != d.ports) narrowed.push_back({svc, h, d.ports});
          else if (d.ports != before || portless) s.own.push_back({svc, h, d.ports});
        }
    if (!narrowed.empty()) {
      auto copy = std::make_shared<std::vector<HostRef>>(*s.shared);
      for (const HostRef& n : narrowed) {
        auto at = std::lower_bound(copy->begin(), copy->end(), n, RefLess);
        if (n.ports == 0) copy->erase(at);
        else at->ports = n.ports;
      }
      s.shared = std::move(copy);
    }
  }
  FillVirtualServices(s);
}

namespace {

// Sorted imports, each (service, host) once with the union of its ports.
std::vector<HostRef> Collapse(const std::vector<HostRef>& all) {
  std::vector<HostRef> out;
  for (const HostRef& h : all) {
    if (!out.empty() && out.back().svc == h.svc && out.back().host == h.host) {
      out.back().ports |= h.ports;
    } else {
      out.push_back(h);
    }
  }
  return out;
}

}  // namespace

std::vector<HostRef> MergeRefs(std::vector<HostRef> all) {
  std::sort(all.begin(), all.end(), RefLess);
  return Collapse(all);
}

std::vector<HostRef> EgressAnalysis::Merge(const Scope& s) const {
  // The shared list is sorted already (SharedFor) and long; a row's own
  // imports are few: sorted and merged in, not the whole list sorted again.
  std::vector<HostRef> own(s.own.begin(), s.own.end());
  std::sort(own.begin(), own.end(), RefLess);
  std::vector<HostRef> all;
  all.reserve(s.shared->size() + own.size());
  std::merge(s.shared->begin(), s.shared->end(), own.begin(), own.end(), std::back_inserter(all),
             RefLess);
  return Collapse(all);
}

std::vector<WildcardListener> EgressAnalysis::FindWildcardListeners(
    const std::vector<HostRef>& refs, std::uint32_t registry, bool dns_capture) const {
  const istio::Registry& reg = *registries_[registry];
  std::vector<WildcardListener> out;
  for (const HostRef& h : refs) {
    const RegistryService& svc = reg.service(h.svc);
    for (std::uint32_t i = 0; i < svc.ports.size(); ++i) {
      if (!(h.ports & istio::PortBit(i))) continue;
      const istio::PortListener l = istio::ListenerFor(model_, svc, svc.ports[i], dns_capture);
      if (l == istio::PortListener::kPassthrough || l == istio::PortListener::kRangePassthrough ||
          l == istio::PortListener::kHijack)
        out.push_back({h.svc, h.host, i, l});
    }
  }
  return out;
}

std::vector<WildcardListener> EgressAnalysis::WildcardListeners(const Scope& s) const {
  if (!s.mediated()) return {};
  // A row's merged imports are its shared list with its own imports merged
  // in (a (service, host) in both has the union of their ports), so its
  // listeners are the union of both lists' listeners, in the same order.
  std::vector<WildcardListener> computed;
  const std::vector<WildcardListener>* shared = &computed;
  if (auto it = wildcard_of_shared_.find({s.shared.get(), s.dns_capture});
      it != wildcard_of_shared_.end()) {
    shared = &it->second;
  } else {
    computed = FindWildcardListeners(*s.shared, s.registry, s.dns_capture);
  }
  if (s.own.empty()) return *shared;
  const std::vector<WildcardListener> own =
      FindWildcardListeners(MergeRefs(s.own), s.registry, s.dns_capture);
  std::vector<WildcardListener> out;
  out.reserve(shared->size() + own.size());
  std::set_union(shared->begin(), shared->end(), own.begin(), own.end(), std::back_inserter(out),
                 [](const WildcardListener& a, const WildcardListener& b) {
                   return std::tie(a.svc, a.host, a.index) < std::tie(b.svc, b.host, b.index);
                 });
  return out;
}

std::vector<HostRef> EgressAnalysis::Dedup(std::vector<HostRef> hosts, const Scope& s) const {
  // One service per host name: the one in the row's namespace, then a
  // Kubernetes Service, then the first by namespace and name.
  const istio::Registry& reg = *registries_[s.registry];
  auto rank = [&](const HostRef& h) {
    const RegistryService& svc = reg.service(h.svc);
    return std::make_tuple(std::string_view(svc.hosts[h.host]), svc.ns() != s.ns,
                           svc.IsServiceEntry(), svc.ns(), std::string_view(svc.meta->ref.name),
                           h.svc, h.host);
  };
  std::sort(hosts.begin(), hosts.end(),
            [&](const HostRef& a, const HostRef& b) { return rank(a) < rank(b); });
  hosts.erase(std::unique(hosts.begin(), hosts.end(),
                          [&](const HostRef& a, const HostRef& b) {
                            return reg.service(a.svc).hosts[a.host] ==
                                   reg.service(b.svc).hosts[b.host];
                          }),
              hosts.end());
  return hosts;
}

namespace {

// Hosts the report lists: ServiceEntry hosts with some imported port.
bool Listed(const RegistryService& svc, const HostRef& h) {
  if (!svc.IsServiceEntry()) return false;
  for (std::size_t i = 0; i < svc.ports.size(); ++i)
    if (h.ports & istio::PortBit(i)) return true;
  return false;
}

// Merged imports as the report lists them: ServiceEntry hosts only unless
// `with_kube` (Dedup then keeps one service a host name).
std::vector<HostRef> ListedOnly(std::vector<HostRef> merged, const istio::Registry& reg,
                                bool with_kube) {
  if (!with_kube)
    merged.erase(std::remove_if(merged.begin(), merged.end(),
                                [&](const HostRef& h) { return !Listed(reg.service(h.svc), h); }),
                 merged.end());
  return merged;
}

}  // namespace

std::vector<HostRef> EgressAnalysis::Reachable(const Scope& s, bool with_kube) const {
  return Dedup(ListedOnly(Merge(s), *registries_[s.registry], with_kube), s);
}

std::vector<HostRef> EgressAnalysis::ReachableBeyondGroup(const Scope& s) const {
  const auto group = GroupOf(s);
  if (!group) return Reachable(s);
  const auto& in_group = group_names_[*group];
  // Only a host name the row imports itself (`own`) can be beyond its group:
  // every other host it reaches comes from the shared list unchanged, and
  // is the group's. So only the entries of those names are merged and
  // chosen among, not the whole shared list again for every row.
  const istio::Registry& reg = *registries_[s.registry];
  std::vector<HostRef> named(s.own.begin(), s.own.end());
  for (const HostRef& o : s.own) {
    const std::string_view name = reg.service(o.svc).hosts[o.host];
    for (std::uint32_t svc : reg.WithHost(name)) {
      const istio::HostNames& hosts = reg.service(svc).hosts;
      for (std::uint32_t h = 0; h < hosts.size(); ++h) {
        if (hosts[h] != name) continue;
        const HostRef probe{svc, h, 0};
        auto it = std::lower_bound(s.shared->begin(), s.shared->end(), probe, RefLess);
        if (it != s.shared->end() && it->svc == svc && it->host == h) named.push_back(*it);
      }
    }
  }
  std::vector<HostRef> out;
  for (const HostRef& h : Dedup(ListedOnly(MergeRefs(std::move(named)), reg, false), s)) {
    // A host of the group counts as the group's unless this row imports
    // more of its ports.
    auto it = std::lower_bound(s.shared->begin(), s.shared->end(), h, RefLess);
    const bool same =
        it != s.shared->end() && it->svc == h.svc && it->host == h.host && it->ports == h.ports;
    if (!(in_group.count(HostName(s, h)) && same)) out.push_back(h);
  }
  return out;
}

void EgressAnalysis::BuildGroups() {
  // Shared import lists that several rows use become groups, in the order
  // their first row appears.
  std::unordered_map<const std::vector<HostRef>*,
                     std::pair<std::size_t, std::vector<std::string_view>>>
      rows;
  for (const Scope& s : scopes_) {
    if (!s.mediated() || s.shared->empty()) continue;
    auto& [count, namespaces] = rows[s.shared.get()];
    ++count;
    if (namespaces.empty() || namespaces.back() != s.ns) namespaces.push_back(s.ns);
  }
  for (const Scope& s : scopes_) {
    auto it = rows.find(s.shared.get());
    if (it == rows.end() || it->second.first < 2 || group_of_.count(s.shared.get())) continue;
    HostGroup g;
    g.registry = s.registry;
    g.rows = it->second.first;
    g.namespaces = it->second.second.size();
    Scope probe;
    probe.registry = s.registry;
    probe.shared = s.shared;
    g.hosts = Reachable(probe);
    if (g.hosts.empty()) continue;
    g.unfiltered = istio::ImportsEverything(s.sidecar);
    group_of_.emplace(s.shared.get(), groups_.size());
    std::unordered_set<std::string_view> names;
    for (const HostRef& h : g.hosts)
      names.insert(registries_[s.registry]->service(h.svc).hosts[h.host]);
    group_names_.push_back(std::move(names));
    groups_.push_back(std::move(g));
  }
}

std::optional<std::size_t> EgressAnalysis::GroupOf(const Scope& scope) const {
  if (!scope.shared) return std::nullopt;
  auto it = group_of_.find(scope.shared.get());
  if (it == group_of_.end()) return std::nullopt;
  return it->second;
}

}  // namespace meshlint::egress
