// Differential: the fast paths (the scanner, then libyaml's events) and the
// full yaml-cpp parse must load the same model and give the same findings for
// any input (both are optimisations only); and the libyaml event builder must
// build yaml-cpp's very tree, marks included, for every document it accepts
// (and accept none yaml-cpp refuses); and so must the scanner, for every
// document it reads with a tree. Any difference aborts, with the first
// differing line.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <tuple>

#include "loader/loader.h"
#include "loader/scan.h"
#include "loader/text.h"
#include "loader/yaml_events.h"
#include "loader/yaml_tree.h"
#include "tests/model_dump.h"
#include "tests/tree_dump.h"

namespace {

std::string Load(std::string_view text, bool json, bool full_parse) {
  meshlint::LoadOptions options;
  options.full_parse = full_parse;
  meshlint::MeshModel model;
  meshlint::LoadText(text, json ? "fuzz input.json" : "fuzz input.yaml", options, model);
  model.Finalize();
  return meshlint::testing::Dump(model);
}

// Each document as the loader cuts it, through both tree builders.
void CompareTrees(std::string_view text) {
  if (meshlint::FindBinary(text)) return;
  for (const meshlint::DocumentChunk& chunk :
       meshlint::SplitDocuments(meshlint::StripBom(text), false)) {
    if (meshlint::FindExcessiveNesting(chunk.text)) continue;
    meshlint::LiteTree events, scanned, yaml_cpp;
    const bool by_events = meshlint::ParseYamlEvents(chunk.text, events);
    const bool by_scanner = meshlint::ScanDocument(chunk.text, &scanned).has_value();
    if (!by_events && !by_scanner) continue;
    const bool refused = meshlint::ParseYaml(chunk.text, yaml_cpp).has_value();
    const std::string b = refused ? "yaml-cpp refuses" : meshlint::testing::DumpTree(yaml_cpp);
    for (const auto& [built, tree, who] :
         {std::tuple{by_events, &events, "event"}, std::tuple{by_scanner, &scanned, "scanner"}}) {
      if (!built) continue;
      const std::string a = meshlint::testing::DumpTree(*tree);
      if (a != b) {
        std::fprintf(stderr, "fuzz property violated: %s tree and yaml-cpp tree differ at %s\n",
                     who, meshlint::testing::FirstDifference(a, b).c_str());
        std::abort();
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  const bool json = first != std::string_view::npos && (text[first] == '{' || text[first] == '[');
  if (!json) CompareTrees(text);
  const std::string scan = Load(text, json, false);
  const std::string full = Load(text, json, true);
  if (scan != full) {
    std::fprintf(stderr, "fuzz property violated: fast path and full parse differ at %s\n",
                 meshlint::testing::FirstDifference(scan, full).c_str());
    std::abort();
  }
  return 0;
}
