// A LiteTree as text, one node a line with its type, mark and value: what
// "the same tree" means when the libyaml event builder is compared with
// yaml-cpp's (tests/yaml_events_test.cpp, fuzz/scan_differential_fuzzer.cpp).
// A node met again (an alias) is written as a reference to its first visit,
// so alias cycles end.
#pragma once

#include <string>
#include <vector>

#include "loader/tree.h"

namespace meshlint::testing {

inline void DumpTreeNode(const LiteTree& tree, std::uint32_t n, int indent, std::vector<int>& seen,
                         int& order, std::string& out) {
  out.append(static_cast<std::size_t>(indent), ' ');
  if (seen[n] >= 0) {
    out += "*" + std::to_string(seen[n]) + "\n";
    return;
  }
  seen[n] = order++;
  const LiteTree::Rec& r = tree.nodes[n];
  static const char* const kTypes[] = {"null", "scalar", "seq", "map"};
  out += kTypes[static_cast<int>(r.type)];
  out += " " + std::to_string(r.line) + ":" + std::to_string(r.column);
  if (r.type == LiteTree::Type::kScalar) out += " '" + r.scalar + "'";
  out += "\n";
  for (std::uint32_t kid : r.kids) DumpTreeNode(tree, kid, indent + 1, seen, order, out);
}

inline std::string DumpTree(const LiteTree& tree) {
  std::string out = "nodes " + std::to_string(tree.used) + "\n";
  if (tree.used == 0) return out;
  std::vector<int> seen(tree.used, -1);
  int order = 0;
  DumpTreeNode(tree, 0, 0, seen, order, out);
  return out;
}

}  // namespace meshlint::testing
