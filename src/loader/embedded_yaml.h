// YAML held in a string of a manifest (a mesh ConfigMap's `mesh`, the
// injector's `config` and `values`, a pod's proxy.istio.io/config): parsed
// by the cheapest reader certain to build yaml-cpp's tree, as the documents
// of a file are.
#pragma once

#include <optional>
#include <string_view>

#include "loader/text.h"
#include "loader/tree.h"
#include "loader/yaml_tree.h"

namespace meshlint {

// What became of an embedded text.
struct EmbeddedParse {
  std::optional<TextIssue> too_deep;  // FindExcessiveNesting objected: not parsed
  std::optional<YamlError> error;     // yaml-cpp's syntax error
  bool ok() const { return !too_deep && !error; }
};

// Parses the first document of `text` into `tree`: the tree ParseYaml
// builds, with its errors, after FindExcessiveNesting's guard. The scanner
// reads it when it can prove the text is in its subset, libyaml's events
// when they are certain to agree with yaml-cpp, yaml-cpp otherwise (and
// always with `full_parse`), so that every problem is worded by yaml-cpp.
// A text with a second document, or a document end marker, is read by
// yaml-cpp alone: only it decides what its first document is.
EmbeddedParse ParseEmbeddedYaml(std::string_view text, LiteTree& tree, bool full_parse);

}  // namespace meshlint
