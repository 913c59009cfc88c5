#include "egress/pairs.h"

#include <algorithm>
#include <map>
#include <set>
#include <string_view>
#include <tuple>
#include <unordered_map>

#include "report/egress_report.h"

namespace meshlint::egress {

namespace {

std::string WorkloadOf(const Scope& s) {
  return s.workload_scoped && s.sidecar ? "Sidecar/" + s.sidecar->meta.ref.name : "";
}

// "Any host": ALLOW_ANY, or pods without a proxy in the way.
bool AllowsAnyHost(const Scope& s) { return AllowsAny(s.mode) || s.unmediated(); }

bool IsModeStep(StepKind k) {
  switch (k) {
    case StepKind::kNamespaceUnknown:
    case StepKind::kMembershipAssumed:
    case StepKind::kNoProxy:
    case StepKind::kAmbient:
    case StepKind::kSeveralDefaults:
    case StepKind::kModeBySidecar:
    case StepKind::kModeBySidecarUnset:
    case StepKind::kModeByMesh:
    case StepKind::kModeMeshUnset:
    case StepKind::kModeNoMeshConfig: return true;
    default: return false;
  }
}

// Steps about the ServiceEntry (listed, exported), which hold for every
// workload of the namespace; the Sidecar steps are the default workloads'.
bool IsRegistryStep(StepKind k) {
  switch (k) {
    case StepKind::kNotInRegistry:
    case StepKind::kListed:
    case StepKind::kExportToList:
    case StepKind::kExportMeshDefault:
    case StepKind::kMoreServiceEntries: return true;
    default: return false;
  }
}

// Each imported port of each host, as FlattenPairs lists them.
void AddTargets(const EgressAnalysis& analysis, const Scope& s, const std::vector<HostRef>& hosts,
                std::vector<Target>& out) {
  for (const HostRef& h : hosts) {
    const istio::RegistryService& svc = analysis.Service(s, h);
    const std::string host(analysis.HostName(s, h));
    for (std::size_t i = 0; i < svc.ports.size(); ++i)
      if (h.ports & istio::PortBit(i))
        out.push_back(
            {host, svc.ports[i].number, std::string(istio::ProtocolName(svc.ports[i].protocol))});
  }
}

// What one row reaches, as a key two rows that reach alike share: any host;
// its host group and the hosts beyond it; or its own hosts.
struct RowReach {
  enum Kind : std::uint8_t { kAny, kGroup, kOwn } kind = kOwn;
  std::size_t group = 0;
  std::uint32_t registry = 0;
  std::vector<HostRef> hosts;  // beyond the group (kGroup), or all (kOwn)

  auto Key() const { return std::tie(kind, group, registry); }
  friend bool operator<(const RowReach& a, const RowReach& b) {
    if (a.Key() != b.Key()) return a.Key() < b.Key();
    return std::lexicographical_compare(a.hosts.begin(), a.hosts.end(), b.hosts.begin(),
                                        b.hosts.end(), [](const HostRef& x, const HostRef& y) {
                                          return std::tie(x.svc, x.host, x.ports) <
                                                 std::tie(y.svc, y.host, y.ports);
                                        });
  }
  friend bool operator==(const RowReach& a, const RowReach& b) {
    return a.Key() == b.Key() && a.hosts == b.hosts;
  }
};

// The namespaces whose rows may choose another service than the group's
// for one of its host names: several listed services of the shared list
// have that name, and the row's namespace holds one (Dedup prefers it).
std::set<std::string_view> ChoosingNamespaces(const EgressAnalysis& analysis, const Scope& s) {
  const istio::Registry& reg = analysis.RegistryOf(s);
  std::unordered_map<std::string_view, std::vector<std::string_view>> by_name;
  for (const HostRef& h : *s.shared) {
    const istio::RegistryService& svc = reg.service(h.svc);
    if (!svc.IsServiceEntry()) continue;
    bool listed = false;
    for (std::size_t i = 0; i < svc.ports.size(); ++i)
      listed = listed || (h.ports & istio::PortBit(i));
    if (listed) by_name[svc.hosts[h.host]].push_back(svc.ns());
  }
  std::set<std::string_view> out;
  for (const auto& [name, namespaces] : by_name)
    if (namespaces.size() > 1) out.insert(namespaces.begin(), namespaces.end());
  return out;
}

}  // namespace

std::vector<SourceTargets> TargetsBySource(const EgressAnalysis& analysis) {
  std::map<std::pair<std::string, std::string>, std::vector<RowReach>> sources;
  std::map<std::size_t, std::set<std::string_view>> choosing;  // per group, on first use
  for (const Scope& s : analysis.scopes()) {
    if (s.gateway()) continue;
    std::vector<RowReach>& rows = sources[{s.ns, WorkloadOf(s)}];
    RowReach r;
    r.registry = s.registry;
    if (AllowsAnyHost(s)) {
      r.kind = RowReach::kAny;
    } else if (const auto g = analysis.GroupOf(s)) {
      auto it = choosing.find(*g);
      if (it == choosing.end()) it = choosing.emplace(*g, ChoosingNamespaces(analysis, s)).first;
      if (it->second.count(s.ns)) {
        r.hosts = analysis.Reachable(s);
      } else {
        r.kind = RowReach::kGroup;
        r.group = *g;
        r.hosts = analysis.ReachableBeyondGroup(s);
      }
    } else {
      r.hosts = analysis.Reachable(s);
    }
    rows.push_back(std::move(r));
  }
  // Each group's targets once; each distinct set of rows' reaches once.
  const auto none = std::make_shared<const std::vector<Target>>();
  std::map<std::size_t, std::shared_ptr<const std::vector<Target>>> group_targets;
  auto group_of = [&](std::size_t group, std::uint32_t registry) {
    auto& g = group_targets[group];
    if (!g) {
      Scope probe;
      probe.registry = registry;
      std::vector<Target> t;
      AddTargets(analysis, probe, analysis.groups()[group].hosts, t);
      std::sort(t.begin(), t.end());
      t.erase(std::unique(t.begin(), t.end()), t.end());
      g = std::make_shared<const std::vector<Target>>(std::move(t));
    }
    return g;
  };
  struct Lists {
    std::shared_ptr<const std::vector<Target>> group, removed, own;
  };
  std::map<std::vector<RowReach>, Lists> lists;
  std::vector<SourceTargets> out;
  out.reserve(sources.size());
  for (auto& [source, rows] : sources) {
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    auto [it, fresh] = lists.try_emplace(rows);
    Lists& l = it->second;
    if (fresh) {
      l.removed = none;
      Scope probe;
      if (rows.size() == 1 && rows[0].kind == RowReach::kGroup) {
        // The group's targets stay shared: the hosts beyond it replace its
        // entries of their names (another service, or more ports).
        const RowReach& r = rows[0];
        probe.registry = r.registry;
        l.group = group_of(r.group, r.registry);
        std::vector<Target> own;
        AddTargets(analysis, probe, r.hosts, own);
        std::sort(own.begin(), own.end());
        own.erase(std::unique(own.begin(), own.end()), own.end());
        std::vector<std::string_view> beyond;
        for (const HostRef& h : r.hosts) beyond.push_back(analysis.HostName(probe, h));
        std::sort(beyond.begin(), beyond.end());
        beyond.erase(std::unique(beyond.begin(), beyond.end()), beyond.end());
        std::vector<Target> removed;
        const std::vector<Target>& g = *l.group;
        for (std::string_view name : beyond) {
          auto at = std::lower_bound(
              g.begin(), g.end(), name,
              [](const Target& t, std::string_view n) { return std::string_view(t.host) < n; });
          for (; at != g.end() && at->host == name; ++at) removed.push_back(*at);
        }
        // A removed entry the row lists again, protocol and all, stays.
        std::vector<Target> kept_own, kept_removed;
        std::size_t i = 0, k = 0;
        while (i < own.size() || k < removed.size()) {
          if (k == removed.size() || (i < own.size() && own[i] < removed[k])) {
            kept_own.push_back(std::move(own[i++]));
          } else if (i == own.size() || removed[k] < own[i]) {
            kept_removed.push_back(std::move(removed[k++]));
          } else if (own[i].protocol == removed[k].protocol) {
            ++i, ++k;
          } else {
            kept_own.push_back(std::move(own[i++]));
            kept_removed.push_back(std::move(removed[k++]));
          }
        }
        l.own = std::make_shared<const std::vector<Target>>(std::move(kept_own));
        if (!kept_removed.empty())
          l.removed = std::make_shared<const std::vector<Target>>(std::move(kept_removed));
      } else {
        std::vector<Target> targets;
        for (const RowReach& r : rows) {
          if (r.kind == RowReach::kAny) {
            targets.push_back({kAnyHost, 0, ""});
            continue;
          }
          probe.registry = r.registry;
          if (r.kind == RowReach::kOwn) {
            AddTargets(analysis, probe, r.hosts, targets);
            continue;
          }
          const auto g = group_of(r.group, r.registry);
          std::vector<std::string_view> beyond;
          for (const HostRef& h : r.hosts) beyond.push_back(analysis.HostName(probe, h));
          std::sort(beyond.begin(), beyond.end());
          for (const Target& t : *g)
            if (!std::binary_search(beyond.begin(), beyond.end(), std::string_view(t.host)))
              targets.push_back(t);
          AddTargets(analysis, probe, r.hosts, targets);
        }
        std::sort(targets.begin(), targets.end());
        targets.erase(std::unique(targets.begin(), targets.end()), targets.end());
        l.own = targets.empty() ? none
                                : std::make_shared<const std::vector<Target>>(std::move(targets));
      }
    }
    out.push_back({source.first, source.second, l.group, l.removed, l.own});
  }
  return out;
}

bool SourceTargets::Lists(const Target& t) const {
  if (std::binary_search(own->begin(), own->end(), t)) return true;
  return group && std::binary_search(group->begin(), group->end(), t) &&
         !std::binary_search(removed->begin(), removed->end(), t);
}

std::vector<Target> SourceTargets::All() const {
  std::vector<Target> out;
  out.reserve(size());
  std::size_t i = 0, r = 0;
  auto next_group = [&]() -> const Target* {
    while (group && i < group->size()) {
      const Target& t = (*group)[i];
      while (r < removed->size() && (*removed)[r] < t) ++r;
      if (r < removed->size() && (*removed)[r] == t) {
        ++i;
        continue;
      }
      return &t;
    }
    return nullptr;
  };
  std::size_t o = 0;
  for (const Target* g = next_group(); g || o < own->size(); g = next_group()) {
    if (g && (o == own->size() || *g < (*own)[o])) {
      out.push_back(*g);
      ++i;
    } else {
      out.push_back((*own)[o++]);
    }
  }
  return out;
}

std::vector<Pair> FlattenPairs(const EgressAnalysis& analysis) {
  std::vector<Pair> out;
  for (const SourceTargets& s : TargetsBySource(analysis))
    for (const Target& t : s.All()) out.push_back({s.ns, s.workload, t.host, t.port, t.protocol});
  return out;
}

PairWhy ExplainPair(const EgressAnalysis& analysis, const Pair& pair) {
  const MeshModel& model = analysis.model();
  const bool any_host = pair.host == kAnyHost;
  // The port asked, so the explanation is that port's listener.
  const Explanation ex = analysis.Explain(
      pair.ns, any_host || !pair.port ? pair.host : pair.host + ":" + std::to_string(pair.port));
  const RenderedExplanation text = RenderExplanation(model, ex);
  PairWhy why;
  auto add = [&](const Step& step, const ExplainLine& line) {
    Reason r;
    r.text = line.text;
    if (line.loc.valid() && line.loc.file < model.files.size()) {
      r.file = model.files.display(line.loc.file);
      r.line = line.loc.line;
      r.column = line.loc.column;
    }
    why.reasons.push_back(std::move(r));
    // Without a Namespace manifest, the namespace's first object stands for
    // it: the assumption rests on no line of that object, which is then no
    // change behind the answer.
    const bool stands_for_namespace =
        step.kind == StepKind::kMembershipAssumed || step.kind == StepKind::kNamespaceUnknown;
    if (step.loc.valid() && !stands_for_namespace) why.grounds.push_back(step.loc);
    if (step.service && step.service->meta) why.grounds.push_back(step.service->meta->anchor());
  };
  if (ex.scope.sidecar) why.grounds.push_back(ex.scope.sidecar->meta.anchor());

  if (pair.workload.empty()) {
    why.reachable = any_host ? AllowsAnyHost(ex.scope) : ex.reachable;
    for (std::size_t i = 0; i < ex.chain.size(); ++i)
      if (!any_host || IsModeStep(ex.chain[i].kind)) add(ex.chain[i], text.chain[i]);
    return why;
  }
  // A workload group: its Sidecar's note decides; the registry steps say
  // what it would import.
  for (std::size_t i = 0; i < ex.workload_notes.size(); ++i) {
    const Step& note = ex.workload_notes[i];
    if (!note.sidecar || "Sidecar/" + note.sidecar->meta.ref.name != pair.workload) continue;
    why.reachable = any_host ? AllowsAny(note.mode) : note.reachable;
    if (!any_host)
      for (std::size_t k = 0; k < ex.chain.size(); ++k)
        if (IsRegistryStep(ex.chain[k].kind)) add(ex.chain[k], text.chain[k]);
    add(note, text.workload_notes[i]);
    why.grounds.push_back(note.sidecar->meta.anchor());
    return why;
  }
  // The Sidecar is gone on this side: its workloads fall back to the
  // namespace's answer.
  why.reachable = any_host ? AllowsAnyHost(ex.scope) : ex.reachable;
  for (std::size_t i = 0; i < ex.chain.size(); ++i)
    if (!any_host || IsModeStep(ex.chain[i].kind)) add(ex.chain[i], text.chain[i]);
  return why;
}

std::string SourceName(const Pair& pair) {
  return pair.workload.empty() ? pair.ns : pair.ns + " (" + pair.workload + ")";
}

std::string TargetName(const Pair& pair) {
  std::string out = pair.host == kAnyHost ? "any host" : pair.host;
  if (pair.port) out += ":" + std::to_string(pair.port);
  return out;
}

}  // namespace meshlint::egress
