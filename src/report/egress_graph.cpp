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
  std::map<std::set<std::pair<std::size_t, EdgeKind>>, std::vector<std::string>> host_groups;
  for (const auto& [host, set] : by_host) host_groups[set].push_back(host);
  std::vector<std::vector<std::string>> hosts;
  for (auto& [set, members] : host_groups) hosts.push_back(members);
  std::sort(hosts.begin(), hosts.end());
  std::map<std::string, std::size_t> host_node;
  for (auto& members : hosts) {
    for (const std::string& m : members) host_node[m] = g.nodes.size();
    g.nodes.push_back({members, true});
  }
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
  return g;
}

}  // namespace meshlint
