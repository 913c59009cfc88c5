// libyaml's event parse of one document, built into a LiteTree: the path for
// documents the scanner (scan.h) declines — flow collections, anchors, block
// scalars, tags, any style — at a fraction of yaml-cpp's cost. yaml-cpp stays
// the full parse (--full-parse) and the oracle: this builder gives the tree
// yaml-cpp would give, marks included (0-based, columns in bytes), or declines
// and lets yaml-cpp decide. The only code that touches libyaml.
#pragma once

#include <string_view>

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

}  // namespace meshlint
