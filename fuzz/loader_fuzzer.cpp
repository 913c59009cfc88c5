// Fuzzes the manifest loader on arbitrary bytes, then every rule and report
// writer on what it loaded. The input is one file; when it looks like JSON it
// is also named .json, which changes how it is split into documents.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_common.h"
#include "loader/loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  const bool json = first != std::string_view::npos && (text[first] == '{' || text[first] == '[');
  meshlint::MeshModel model;
  meshlint::LoadText(text, json ? "fuzz input.json" : "fuzz input.yaml", {}, model);
  meshlint::fuzz::LintAndReport(model, meshlint::fuzz::SampleOf(data, size));
  return 0;
}
