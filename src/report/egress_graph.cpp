#include "report/egress_graph.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <iterator>
#include <map>
#include <set>
#include <tuple>

namespace meshlint {

std::string GraphNode::Label(std::size_t shown) const {
  std::string out;
  if (members.size() > shown)
    out = std::to_string(members.size()) + (host ? " hosts: " : " sources: ");
  for (std::size_t i = 0; i < members.size() && i < shown; ++i) out += (i ? ", " : "") + members[i];
  if (members.size() > shown) out += ", ...";
  return out;
}

namespace {

void DropEdgesPast(EgressGraph& g, std::size_t max_edges) {
  if (g.edges.size() > max_edges) {
    for (std::size_t i = max_edges; i < g.edges.size(); ++i) g.dropped_pairs += g.edges[i].pairs;
    g.dropped_edges = g.edges.size() - max_edges;
    g.edges.resize(max_edges);
    // Nodes no edge reaches any more go too.
    std::vector<bool> used(g.nodes.size(), false);
    for (const GraphEdge& e : g.edges) used[e.from] = used[e.to] = true;
    std::vector<std::size_t> renumber(g.nodes.size());
    std::vector<GraphNode> kept;
    for (std::size_t i = 0; i < g.nodes.size(); ++i)
      if (used[i]) {
        renumber[i] = kept.size();
        kept.push_back(std::move(g.nodes[i]));
      }
    g.nodes = std::move(kept);
    for (GraphEdge& e : g.edges) {
      e.from = renumber[e.from];
      e.to = renumber[e.to];
    }
  }
}

}  // namespace

namespace {

// Hosts reached from the same set (of source nodes, and how) are one node,
// appended to `g` in the order of their sorted member lists; each host's node.
template <typename Set>
std::map<std::string, std::size_t> AddHostNodes(EgressGraph& g,
                                                const std::map<std::string, Set>& by_host) {
  std::map<Set, std::vector<std::string>> host_groups;
  for (const auto& [host, set] : by_host) host_groups[set].push_back(host);
  std::vector<std::vector<std::string>> hosts;
  for (auto& [set, members] : host_groups) hosts.push_back(members);
  std::sort(hosts.begin(), hosts.end());
  std::map<std::string, std::size_t> host_node;
  for (auto& members : hosts) {
    for (const std::string& m : members) host_node[m] = g.nodes.size();
    g.nodes.push_back({members, true});
  }
  return host_node;
}

}  // namespace

EgressGraph BuildGraph(const std::vector<std::pair<egress::Pair, EdgeKind>>& pairs,
                       std::size_t max_edges) {
  // Each source's (host, kind) set; sources with equal sets are one node.
  std::map<std::string, std::set<std::pair<std::string, EdgeKind>>> by_source;
  for (const auto& [p, kind] : pairs)
    by_source[egress::SourceName(p)].insert({egress::TargetName(p), kind});
  std::map<std::set<std::pair<std::string, EdgeKind>>, std::vector<std::string>> source_groups;
  for (const auto& [source, set] : by_source) source_groups[set].push_back(source);

  EgressGraph g;
  std::map<std::string, std::size_t> source_node;
  // Nodes in the order of their first member's name.
  std::vector<std::vector<std::string>> groups;
  for (auto& [set, members] : source_groups) groups.push_back(members);
  std::sort(groups.begin(), groups.end());
  for (auto& members : groups) {
    for (const std::string& m : members) source_node[m] = g.nodes.size();
    g.nodes.push_back({members, false});
  }
  // Each host's (source node, kind) set; hosts with equal sets are one node.
  std::map<std::string, std::set<std::pair<std::size_t, EdgeKind>>> by_host;
  for (const auto& [p, kind] : pairs)
    by_host[egress::TargetName(p)].insert({source_node[egress::SourceName(p)], kind});
  std::map<std::string, std::size_t> host_node = AddHostNodes(g, by_host);
  std::map<std::tuple<std::size_t, std::size_t, EdgeKind>, std::size_t> edge_of;
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    const auto& [p, kind] = pairs[i];
    const auto key =
        std::make_tuple(source_node[egress::SourceName(p)], host_node[egress::TargetName(p)], kind);
    auto [it, fresh] = edge_of.try_emplace(key, g.edges.size());
    if (fresh) g.edges.push_back({std::get<0>(key), std::get<1>(key), kind, 0, {}});
    g.edges[it->second].pairs++;
    g.edges[it->second].entries.push_back(i);
  }
  DropEdgesPast(g, max_edges);
  return g;
}

namespace {

using egress::Target;

std::string Name(const Target& t) { return egress::TargetName({"", "", t.host, t.port, ""}); }

std::uint64_t Mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}
std::uint64_t HashOf(const Target& t) {
  return Mix(std::hash<std::string>{}(t.host) ^ Mix(t.port));
}

// What a source reaches, by key: its group's entries but `removed`, and
// `own`, none of the group's keys; both sorted.
struct Reach {
  const std::vector<Target>* group = nullptr;
  std::vector<const Target*> removed;
  std::vector<const Target*> own;
  std::size_t size = 0;
  std::uint64_t hash = 0;  // the sum of its keys' hashes
  std::vector<Target> All() const {
    std::vector<Target> out;
    std::size_t r = 0;
    if (group)
      for (const Target& t : *group) {
        if (r < removed.size() && *removed[r] == t) {
          ++r;
          continue;
        }
        out.push_back(t);
      }
    for (const Target* t : own) out.push_back(*t);
    std::sort(out.begin(), out.end());
    return out;
  }
  bool SameAs(const Reach& o) const {
    auto keys = [](const std::vector<const Target*>& v, const std::vector<const Target*>& w) {
      return std::equal(v.begin(), v.end(), w.begin(), w.end(),
                        [](const Target* x, const Target* y) { return *x == *y; });
    };
    if (size != o.size || hash != o.hash) return false;
    if (group == o.group) return keys(removed, o.removed) && keys(own, o.own);
    return All() == o.All();
  }
};

// A source's lists as Reach: an entry removed from the group that the
// source lists again (another protocol) is reached.
Reach ReachOf(const egress::SourceTargets& s, std::map<const void*, std::uint64_t>& group_hash) {
  Reach r;
  r.group = s.group.get();
  std::size_t k = 0;
  for (const Target& t : *s.removed) {
    while (k < s.own->size() && (*s.own)[k] < t) ++k;
    if (!(k < s.own->size() && (*s.own)[k] == t)) r.removed.push_back(&t);
  }
  for (const Target& t : *s.own)
    if (!std::binary_search(s.removed->begin(), s.removed->end(), t)) r.own.push_back(&t);
  r.size = (r.group ? r.group->size() - r.removed.size() : 0) + r.own.size();
  if (r.group) {
    auto [it, fresh] = group_hash.try_emplace(r.group, 0);
    if (fresh)
      for (const Target& t : *r.group) it->second += HashOf(t);
    r.hash = it->second;
  }
  for (const Target* t : r.removed) r.hash -= HashOf(*t);
  for (const Target* t : r.own) r.hash += HashOf(*t);
  return r;
}

// The nodes of one group among the source nodes that reach (`explicit`) or
// do not reach (complement) a host, whichever is at most half: the same
// set of reaching nodes is written one way only, so hosts reached from the
// same sources have equal signatures.
using Part = std::tuple<std::size_t, bool, std::vector<std::size_t>>;

std::vector<std::size_t> Minus(const std::vector<std::size_t>& all,
                               const std::vector<std::size_t>& some) {
  std::vector<std::size_t> out;
  std::set_difference(all.begin(), all.end(), some.begin(), some.end(), std::back_inserter(out));
  return out;
}

}  // namespace

EgressGraph BuildReachGraph(const std::vector<egress::SourceTargets>& sources,
                            std::size_t max_edges) {
  // BuildGraph's graph of every pair (kReaches), computed from each
  // distinct list once, a group's targets once for all the sources that
  // share it and each source's own part: never sources x group hosts.
  std::map<const void*, std::uint64_t> group_hash;
  std::map<std::tuple<const void*, const void*, const void*>, std::size_t> reach_of;
  std::vector<Reach> reaches;
  // Sources with equal target sets are one class, found by (size, hash)
  // and checked.
  std::map<std::pair<std::size_t, std::uint64_t>, std::vector<std::size_t>> buckets;
  std::vector<std::size_t> class_of;  // per reach
  std::vector<std::size_t> class_rep;
  std::vector<std::vector<std::string>> class_members;
  std::vector<std::size_t> source_class(sources.size(), static_cast<std::size_t>(-1));
  for (std::size_t i = 0; i < sources.size(); ++i) {
    const egress::SourceTargets& s = sources[i];
    if (!s.size()) continue;  // no pair names it
    auto [it, fresh] =
        reach_of.try_emplace({s.group.get(), s.removed.get(), s.own.get()}, reaches.size());
    if (fresh) {
      reaches.push_back(ReachOf(s, group_hash));
      const Reach& r = reaches.back();
      std::vector<std::size_t>& bucket = buckets[{r.size, r.hash}];
      std::size_t c = class_rep.size();
      for (std::size_t k : bucket)
        if (reaches[class_rep[k]].SameAs(r)) c = k;
      if (c == class_rep.size()) {
        class_rep.push_back(it->second);
        class_members.emplace_back();
        bucket.push_back(c);
      }
      class_of.push_back(c);
    }
    source_class[i] = class_of[it->second];
    class_members[source_class[i]].push_back(egress::SourceName({s.ns, s.workload, "", 0, ""}));
  }
  // Nodes in the order of their sorted member lists.
  std::vector<std::pair<std::vector<std::string>, std::size_t>> order;
  for (std::size_t c = 0; c < class_members.size(); ++c) {
    std::sort(class_members[c].begin(), class_members[c].end());
    order.push_back({std::move(class_members[c]), c});
  }
  std::sort(order.begin(), order.end());
  EgressGraph g;
  std::vector<std::size_t> node_of_class(order.size());
  std::vector<const Reach*> node_reach;
  for (auto& [members, c] : order) {
    node_of_class[c] = g.nodes.size();
    node_reach.push_back(&reaches[class_rep[c]]);
    g.nodes.push_back({std::move(members), false});
  }
  // Each host's signature: per group of the nodes, which of its nodes reach it.
  std::map<const std::vector<Target>*, std::size_t> group_id;
  std::vector<const std::vector<Target>*> groups;
  std::vector<std::vector<std::size_t>> group_nodes;
  std::vector<std::size_t> node_group;
  for (std::size_t n = 0; n < node_reach.size(); ++n) {
    auto [it, fresh] = group_id.try_emplace(node_reach[n]->group, groups.size());
    if (fresh) {
      groups.push_back(node_reach[n]->group);
      group_nodes.emplace_back();
    }
    group_nodes[it->second].push_back(n);
    node_group.push_back(it->second);
  }
  auto part = [&](std::size_t gid, bool reached_listed, std::vector<std::size_t> listed) {
    const std::vector<std::size_t>& all = group_nodes[gid];
    const std::size_t reach = reached_listed ? listed.size() : all.size() - listed.size();
    if (2 * reach <= all.size())
      return Part{gid, true, reached_listed ? std::move(listed) : Minus(all, listed)};
    return Part{gid, false, reached_listed ? Minus(all, listed) : std::move(listed)};
  };
  std::map<std::string, std::vector<Part>> by_host;
  std::map<std::string, std::map<std::size_t, std::vector<std::size_t>>> included;
  for (std::size_t gid = 0; gid < groups.size(); ++gid) {
    std::map<std::string, std::vector<std::size_t>> excluded;
    for (std::size_t n : group_nodes[gid]) {
      for (const Target* t : node_reach[n]->removed) excluded[Name(*t)].push_back(n);
      for (const Target* t : node_reach[n]->own) included[Name(*t)][gid].push_back(n);
    }
    if (!groups[gid]) continue;
    for (const Target& t : *groups[gid]) {
      std::string name = Name(t);
      auto e = excluded.find(name);
      std::vector<std::size_t> none;
      if (e != excluded.end() && e->second.size() == group_nodes[gid].size()) continue;
      by_host[name].push_back(part(gid, false, e == excluded.end() ? none : e->second));
    }
  }
  for (auto& [name, per_group] : included)
    for (auto& [gid, nodes] : per_group) by_host[name].push_back(part(gid, true, std::move(nodes)));
  for (auto& [name, parts] : by_host) std::sort(parts.begin(), parts.end());
  std::map<std::string, std::size_t> host_node = AddHostNodes(g, by_host);
  // Per group: its entries' host nodes, and each host node's positions in it.
  struct Along {
    std::vector<std::size_t> local_of;            // per position
    std::vector<std::size_t> node;                // per local class
    std::vector<std::vector<std::size_t>> where;  // its positions
  };
  std::vector<Along> along(groups.size());
  for (std::size_t gid = 0; gid < groups.size(); ++gid) {
    if (!groups[gid]) continue;
    Along& a = along[gid];
    std::map<std::size_t, std::size_t> local;
    for (std::size_t p = 0; p < groups[gid]->size(); ++p) {
      auto h = host_node.find(Name((*groups[gid])[p]));
      if (h == host_node.end()) {  // reached from no node of the group
        a.local_of.push_back(static_cast<std::size_t>(-1));
        continue;
      }
      auto [it, fresh] = local.try_emplace(h->second, a.node.size());
      if (fresh) {
        a.node.push_back(h->second);
        a.where.emplace_back();
      }
      a.local_of.push_back(it->second);
      a.where[it->second].push_back(p);
    }
  }
  // Edges in the order BuildGraph meets them over the sorted pairs: a
  // node's edges come with its first source (by (namespace, workload)), in
  // the order of their first target, and each of its sources adds a pair
  // for each of its targets.
  std::vector<bool> done(g.nodes.size(), false);
  std::map<std::pair<std::size_t, std::size_t>, std::size_t> edge_of;
  for (std::size_t i = 0; i < sources.size(); ++i) {
    if (source_class[i] == static_cast<std::size_t>(-1)) continue;
    const std::size_t node = node_of_class[source_class[i]];
    if (done[node]) continue;
    done[node] = true;
    const Reach& r = *node_reach[node];
    const std::size_t members = g.nodes[node].members.size();
    struct Candidate {
      const Target* first;
      std::size_t to;
      std::size_t count;
    };
    std::vector<Candidate> candidates;
    if (r.group) {
      const Along& a = along[node_group[node]];
      std::vector<std::size_t> removed;
      std::map<std::size_t, std::size_t> removed_count;
      for (const Target* t : r.removed) {
        const auto p = static_cast<std::size_t>(
            std::lower_bound(r.group->begin(), r.group->end(), *t) - r.group->begin());
        removed.push_back(p);
        ++removed_count[a.local_of[p]];
      }
      std::sort(removed.begin(), removed.end());
      for (std::size_t l = 0; l < a.node.size(); ++l) {
        const std::size_t count = a.where[l].size() - removed_count[l];
        if (!count) continue;
        std::size_t first = 0;
        for (std::size_t p : a.where[l])
          if (!std::binary_search(removed.begin(), removed.end(), p)) {
            first = p;
            break;
          }
        candidates.push_back({&(*r.group)[first], a.node[l], count});
      }
    }
    for (const Target* t : r.own) candidates.push_back({t, host_node[Name(*t)], 1});
    std::sort(candidates.begin(), candidates.end(),
              [](const Candidate& x, const Candidate& y) { return *x.first < *y.first; });
    for (const Candidate& c : candidates) {
      auto [it, fresh] = edge_of.try_emplace({node, c.to}, g.edges.size());
      if (fresh) g.edges.push_back({node, c.to, EdgeKind::kReaches, 0, {}});
      g.edges[it->second].pairs += members * c.count;
    }
  }
  DropEdgesPast(g, max_edges);
  return g;
}

}  // namespace meshlint
