// libyaml's event parse of one document, built into a LiteTree: the path for
// documents the scanner (scan.h) declines — flow collections, anchors, block
// scalars, tags, any style — at a fraction of yaml-cpp's cost. yaml-cpp stays
// the full parse (--full-parse) and the oracle: this builder gives the tree
// yaml-cpp would give, marks included (0-based, columns in bytes), or declines
// and lets yaml-cpp decide. The only code that touches libyaml.
#pragma once

#include <string_view>
#include <vector>

#include "loader/tree.h"

namespace meshlint {

// Documents nested deeper than this are declined, as the scanner declines
// them (scan.cpp): yaml-cpp's own guard (500 nested nodes) then decides for
// every path, with its own finding.
inline constexpr std::size_t kMaxEventDepth = 400;

// Parses the first YAML document of `text` (one document as SplitDocuments
// cuts it) into `tree` (cleared first). True when `tree` is the tree yaml-cpp
// (ParseYaml, yaml_tree.h) would build: the same nodes, keys kept in order
// (twice when written twice), an alias the node it names, the same nulls and
// the same marks. False — declined, `tree` unspecified — whenever that is not
// certain: a syntax error (yaml-cpp words the finding), an alias of an
// undefined anchor, nesting past kMaxEventDepth, a line break yaml-cpp does
// not count as libyaml does (a lone CR, NEL, LS, PS), an empty stream.
bool ParseYamlEvents(std::string_view text, LiteTree& tree);

// The collections of a document its object's reader does not look into (a
// Deployment's containers, a ConfigMap's data), left out of the tree: each
// is one node of its type, marked LiteTree::Partial::kPruned, which throws
// NeedsFullTree when anything inside it is asked for. Only a mapping's
// value can be left out.
struct PrunePlan {
  // When not empty: the only keys of the root mapping whose collections
  // are kept (scalars are always kept).
  std::vector<std::string_view> keep_at_root;
  // Keys whose collections are left out wherever they are.
  std::vector<std::string_view> prune_anywhere;
};

enum class EventParse {
  kBuilt,       // `tree` is yaml-cpp's, less what the plan left out
  kNeedsWhole,  // an alias in a kept place names a node left out: parse again without a plan
  kDeclined,    // as ParseYamlEvents' false: yaml-cpp decides
};

// ParseYamlEvents with `plan` (none: the whole tree). Declines exactly the
// documents the whole parse declines: the events of what is left out pass
// every check too.
EventParse ParseYamlEvents(std::string_view text, LiteTree& tree, const PrunePlan* plan);

}  // namespace meshlint
