// yaml-cpp's parse of one document, built straight into a LiteTree: the
// readers then see the same kind of tree whether the scanner or yaml-cpp
// read the text. With config_file.cpp, the only code that touches yaml-cpp.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "loader/tree.h"

namespace meshlint {

// Why yaml-cpp refused a text.
struct YamlError {
  int line = -1;  // 0-based, as yaml-cpp marks count; -1: no position
  int column = -1;
  std::string message;  // yaml-cpp's own words
  int depth = 0;        // > 0: its nesting guard stopped at this depth
};

// Parses the first YAML document of `text` into `tree` (cleared first), with
// yaml-cpp's rules for every node: an alias is the node it names (one node,
// not a copy, so an alias bomb stays as small as its text), a key written
// twice is kept twice, marks as yaml-cpp gives them. nullopt on success.
std::optional<YamlError> ParseYaml(std::string_view text, LiteTree& tree);

}  // namespace meshlint
