// Differential: the scanner's fast path and the full yaml-cpp parse must load
// the same model and give the same findings for any input (the scanner is an
// optimisation only). Any difference aborts, with the first differing line.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "loader/loader.h"
#include "tests/model_dump.h"

namespace {

std::string Load(std::string_view text, bool json, bool full_parse) {
  meshlint::LoadOptions options;
  options.full_parse = full_parse;
  meshlint::MeshModel model;
  meshlint::LoadText(text, json ? "fuzz input.json" : "fuzz input.yaml", options, model);
  model.Finalize();
  return meshlint::testing::Dump(model);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  const bool json = first != std::string_view::npos && (text[first] == '{' || text[first] == '[');
  const std::string scan = Load(text, json, false);
  const std::string full = Load(text, json, true);
  if (scan != full) {
    std::fprintf(stderr, "fuzz property violated: fast path and full parse differ at %s\n",
                 meshlint::testing::FirstDifference(scan, full).c_str());
    std::abort();
  }
  return 0;
}
