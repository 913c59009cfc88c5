// The graph the Markdown and HTML reports draw: sources (namespaces, workload
// groups) → external hosts. Sources that reach the same hosts the same way
// are one node, and so are hosts reached by the same sources the same way,
// so a mesh of hundreds of namespaces draws as a handful of boxes.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "egress/pairs.h"

namespace meshlint {

enum class EdgeKind { kReaches, kOpened, kClosed };

struct GraphNode {
  std::vector<std::string> members;  // sorted
  bool host = false;
  // "newguy"; "default, istio-system"; "12 namespaces: a, b, c, ..."
  std::string Label(std::size_t shown = 3) const;
};

struct GraphEdge {
  std::size_t from = 0;  // index into EgressGraph::nodes (a source)
  std::size_t to = 0;    // (a host)
  EdgeKind kind = EdgeKind::kReaches;
  std::size_t pairs = 0;             // the pairs it stands for
  std::vector<std::size_t> entries;  // indices into the input, in order (for explanations)
};

struct EgressGraph {
  std::vector<GraphNode> nodes;  // sources first, then hosts
  std::vector<GraphEdge> edges;
  std::size_t dropped_edges = 0;  // past max_edges
  std::size_t dropped_pairs = 0;
};

// `pairs` in any order; at most `max_edges` edges (the rest counted).
EgressGraph BuildGraph(const std::vector<std::pair<egress::Pair, EdgeKind>>& pairs,
                       std::size_t max_edges);

// BuildGraph of every pair of `sources` as kReaches, without the edges'
// entries, in time of the distinct target lists rather than of the pairs.
EgressGraph BuildReachGraph(const std::vector<egress::SourceTargets>& sources,
                            std::size_t max_edges);

}  // namespace meshlint
