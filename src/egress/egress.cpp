#include "egress/egress.h"

#include <algorithm>
#include <tuple>

namespace meshlint::egress {

using istio::EntryImports;
using istio::HostSubsetOf;
using istio::IsWildcardHost;
using istio::SplitEgressHost;

namespace {

bool RefLess(const HostRef& a, const HostRef& b) {
  return std::tie(a.se, a.host) < std::tie(b.se, b.host);
}

}  // namespace

EgressAnalysis::EgressAnalysis(const MeshModel& model) : model_(model) {
  // Index every external ServiceEntry by where it is exported: one pass, so
  // no namespace is ever compared with every ServiceEntry.
  auto shared = std::make_shared<std::vector<HostRef>>();
  for (std::uint32_t i = 0; i < model.service_entries.size(); ++i) {
    const ServiceEntry& se = model.service_entries[i];
    if (!Counts(se)) continue;
    const istio::Export exported = istio::EffectiveExport(model, se);
    if (exported.scope == istio::ExportScope::kAll) {
      to_all_.push_back(i);
      for (std::uint32_t h = 0; h < se.hosts.size(); ++h) {
        const auto pos = static_cast<std::uint32_t>(shared->size());
        shared->push_back({i, h});
        shared_by_ns_[se.meta.ref.ns].push_back(pos);
        shared_by_host_[se.hosts[h].value].push_back(pos);
      }
      continue;
    }
    for (std::string_view ns : exported.namespaces) to_ns_[std::string(ns)].push_back(i);
  }
  all_shared_ = std::move(shared);

  for (const NamespaceInfo& info : model.namespace_index()) {
    scopes_.push_back(NamespaceScope(info.name));
    for (std::size_t i : info.sidecars) {
      const Sidecar& sc = model.sidecars[i];
      if (sc.has_selector) scopes_.push_back(MakeScope(info.name, &sc, true));
    }
  }

  // Shared import lists that several namespace rows use become groups, in
  // the order their first row appears.
  std::unordered_map<const std::vector<HostRef>*, std::size_t> rows;
  for (const Scope& s : scopes_)
    if (!s.workload_scoped && !s.shared->empty()) ++rows[s.shared.get()];
  for (const Scope& s : scopes_) {
    auto it = rows.find(s.shared.get());
    if (it == rows.end() || it->second < 2 || group_of_.count(s.shared.get())) continue;
    group_of_.emplace(s.shared.get(), groups_.size());
    HostGroup g;
    g.hosts = Dedup(*s.shared, "");
    g.namespaces = it->second;
    g.unfiltered = s.shared == all_shared_;
    std::unordered_set<std::string_view> names;
    names.reserve(g.hosts.size());
    for (const HostRef& h : g.hosts) names.insert(HostName(h));
    group_names_.push_back(std::move(names));
    groups_.push_back(std::move(g));
  }
}

std::optional<std::size_t> EgressAnalysis::GroupOf(const Scope& scope) const {
  auto it = group_of_.find(scope.shared.get());
  if (it == group_of_.end()) return std::nullopt;
  return it->second;
}

std::shared_ptr<const std::vector<HostRef>> EgressAnalysis::SharedFor(const Sidecar* sidecar) const {
  if (istio::ImportsEverything(sidecar)) return all_shared_;
  if (auto it = shared_cache_.find(sidecar); it != shared_cache_.end()) return it->second;
  const std::vector<HostRef>& all = *all_shared_;
  // Positions picked, sorted at the end: a flag per shared host would cost
  // every Sidecar the size of the whole mesh (quadratic on big meshes).
  std::vector<std::uint32_t> picked;
  static const std::vector<std::uint32_t> kNone;
  auto find = [](const auto& map, std::string_view k) -> const std::vector<std::uint32_t>& {
    auto it = map.find(std::string(k));
    return it == map.end() ? kNone : it->second;
  };
  // The indexes only narrow the candidates; EntryImports decides.
  auto pick = [&](const istio::EgressEntry& entry, std::uint32_t p) {
    const HostRef& h = all[p];
    if (EntryImports(entry, sidecar->meta.ref.ns, model_.service_entries[h.se].meta.ref.ns,
                     HostName(h)))
      picked.push_back(p);
  };
  for (const auto& written : sidecar->egress_hosts) {
    auto entry = SplitEgressHost(written.value);
    // "." depends on the namespace the Sidecar is applied to: per row.
    if (!entry || entry->ns == "." || entry->ns == "~") continue;
    if (!IsWildcardHost(entry->dns)) {
      for (std::uint32_t p : find(shared_by_host_, entry->dns)) pick(*entry, p);
    } else if (entry->ns == "*") {
      for (std::size_t p = 0; p < all.size(); ++p) pick(*entry, static_cast<std::uint32_t>(p));
    } else {
      for (std::uint32_t p : find(shared_by_ns_, entry->ns)) pick(*entry, p);
    }
  }
  std::sort(picked.begin(), picked.end());
  picked.erase(std::unique(picked.begin(), picked.end()), picked.end());
  auto out = std::make_shared<std::vector<HostRef>>();
  out->reserve(picked.size());
  for (std::uint32_t p : picked) out->push_back(all[p]);
  shared_cache_.emplace(sidecar, out);
  return out;
}

Scope EgressAnalysis::MakeScope(std::string_view ns, const Sidecar* sidecar,
                                bool workload_scoped) const {
  Scope s;
  s.ns = std::string(ns);
  s.sidecar = sidecar;
  s.workload_scoped = workload_scoped;
  s.namespace_known = model_.FindNamespace(ns) != nullptr;
  const istio::OutboundDecision outbound = istio::EffectiveOutbound(model_, sidecar);
  s.mode = outbound.mode;
  s.mode_source = outbound.origin;
  s.shared = SharedFor(sidecar);

  if (auto it = to_ns_.find(s.ns); it != to_ns_.end()) {
    for (std::uint32_t i : it->second) {
      const ServiceEntry& se = model_.service_entries[i];
      for (std::uint32_t h = 0; h < se.hosts.size(); ++h)
        if (istio::SidecarImport(sidecar, ns, se.meta.ref.ns, se.hosts[h].value).imports())
          s.own.push_back({i, h});
    }
  }
  // "./..." entries import the row's own exported-to-all ServiceEntries.
  if (!istio::ImportsEverything(sidecar)) {
    std::vector<istio::EgressEntry> dots;
    for (const auto& written : sidecar->egress_hosts)
      if (auto e = SplitEgressHost(written.value); e && e->ns == ".") dots.push_back(*e);
    auto it = shared_by_ns_.find(s.ns);
    if (!dots.empty() && it != shared_by_ns_.end()) {
      for (std::uint32_t p : it->second) {
        const HostRef& h = (*all_shared_)[p];
        if (std::binary_search(s.shared->begin(), s.shared->end(), h, RefLess)) continue;
        for (const istio::EgressEntry& e : dots)
          if (EntryImports(e, ns, ns, HostName(h))) {
            s.own.push_back(h);
            break;
          }
      }
    }
  }
  return s;
}

Scope EgressAnalysis::NamespaceScope(std::string_view ns) const {
  return MakeScope(ns, istio::ApplicableSidecar(model_, ns).sidecar, false);
}

std::vector<HostRef> EgressAnalysis::Dedup(std::vector<HostRef> hosts, std::string_view ns) const {
  // One ServiceEntry per host name: the one in the namespace itself, else the
  // first by namespace and name (Istio picks one too).
  auto rank = [&](const HostRef& h) {
    const ObjectRef& ref = model_.service_entries[h.se].meta.ref;
    return std::make_tuple(std::string_view(HostName(h)), ref.ns != ns, std::string_view(ref.ns),
                           std::string_view(ref.name), h.se, h.host);
  };
  std::sort(hosts.begin(), hosts.end(),
            [&](const HostRef& a, const HostRef& b) { return rank(a) < rank(b); });
  hosts.erase(std::unique(hosts.begin(), hosts.end(),
                          [&](const HostRef& a, const HostRef& b) {
                            return HostName(a) == HostName(b);
                          }),
              hosts.end());
  return hosts;
}

std::vector<HostRef> EgressAnalysis::Reachable(const Scope& scope) const {
  std::vector<HostRef> all(scope.shared->begin(), scope.shared->end());
  all.insert(all.end(), scope.own.begin(), scope.own.end());
  return Dedup(std::move(all), scope.ns);
}

std::vector<HostRef> EgressAnalysis::ReachableBeyondGroup(const Scope& scope) const {
  const auto group = GroupOf(scope);
  if (!group) return Reachable(scope);
  const auto& in_group = group_names_[*group];
  std::vector<HostRef> out;
  for (const HostRef& h : Dedup(scope.own, scope.ns))
    if (!in_group.count(HostName(h))) out.push_back(h);
  return out;
}

}  // namespace meshlint::egress
