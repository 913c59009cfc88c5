#include "loader/embedded_yaml.h"

#include "loader/scan.h"
#include "loader/yaml_events.h"

namespace meshlint {

namespace {

// A line that starts with `---` or `...` past the first: where yaml-cpp may
// end the first document. The file loader cuts documents there before any
// reader sees them; an embedded text is not cut.
bool MaySpanDocuments(std::string_view text) {
  if (text.starts_with("...")) return true;
  for (std::size_t at = text.find('\n'); at != std::string_view::npos;
       at = text.find('\n', at + 1)) {
    std::string_view rest = text.substr(at + 1);
    if (rest.starts_with("---") || rest.starts_with("...")) return true;
  }
  return false;
}

}  // namespace

EmbeddedParse ParseEmbeddedYaml(std::string_view text, LiteTree& tree, bool full_parse) {
  EmbeddedParse out;
  const bool fast = !full_parse && !MaySpanDocuments(text);
  // The scanner declines every text FindExcessiveNesting could object to.
  if (fast && ScanDocument(text, &tree)) return out;
  if ((out.too_deep = FindExcessiveNesting(text))) {
    tree.Clear();
    return out;
  }
  if (fast && ParseYamlEvents(text, tree)) return out;
  out.error = ParseYaml(text, tree);
  return out;
}

}  // namespace meshlint
