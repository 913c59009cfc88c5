#include "report/egress_graph.h"

#include <algorithm>
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

EgressGraph BuildReachGraph(const std::vector<egress::SourceTargets>& sources,
                            std::size_t max_edges) {
  // BuildGraph's graph of every pair (kReaches), computed per distinct
  // target list: sources with equal lists are one node already, so only
  // each list's targets are walked, not every source's.
  std::map<const std::vector<egress::Target>*, std::set<std::string>> names_of;
  std::map<std::set<std::string>, std::vector<std::string>> source_groups;
  for (const egress::SourceTargets& s : sources) {
    if (s.targets->empty()) continue;  // no pair names it
    auto [it, fresh] = names_of.try_emplace(s.targets.get());
    if (fresh)
      for (const egress::Target& t : *s.targets)
        it->second.insert(egress::TargetName({s.ns, s.workload, t.host, t.port, t.protocol}));
    source_groups[it->second].push_back(egress::SourceName({s.ns, s.workload, "", 0, ""}));
  }
  EgressGraph g;
  std::vector<std::pair<std::vector<std::string>, const std::set<std::string>*>> groups;
  for (auto& [set, members] : source_groups) {
    std::sort(members.begin(), members.end());
    groups.push_back({members, &set});
  }
  std::sort(groups.begin(), groups.end());
  std::map<std::string, std::set<std::size_t>> by_host;
  for (auto& [members, set] : groups) {
    for (const std::string& host : *set) by_host[host].insert(g.nodes.size());
    g.nodes.push_back({members, false});
  }
  std::map<std::string, std::size_t> host_node = AddHostNodes(g, by_host);
  // Edges in the order BuildGraph meets them over the sorted pairs: a
  // node's edges come with its first source (by (namespace, workload)), and
  // each of its sources adds a pair for each of its targets.
  std::map<std::string, std::size_t> source_node;
  for (std::size_t n = 0; n < groups.size(); ++n)
    for (const std::string& m : groups[n].first) source_node[m] = n;
  std::vector<bool> done(groups.size(), false);
  std::map<std::pair<std::size_t, std::size_t>, std::size_t> edge_of;
  for (const egress::SourceTargets& s : sources) {
    if (s.targets->empty()) continue;
    const std::size_t node = source_node[egress::SourceName({s.ns, s.workload, "", 0, ""})];
    if (done[node]) continue;
    done[node] = true;
    const std::size_t members = groups[node].first.size();
    for (const egress::Target& t : *s.targets) {
      const std::size_t to =
          host_node[egress::TargetName({s.ns, s.workload, t.host, t.port, t.protocol})];
      auto [it, fresh] = edge_of.try_emplace({node, to}, g.edges.size());
      if (fresh) g.edges.push_back({node, to, EdgeKind::kReaches, 0, {}});
      g.edges[it->second].pairs += members;
    }
  }
  DropEdgesPast(g, max_edges);
  return g;
}

}  // namespace meshlint
