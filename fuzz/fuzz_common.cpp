// The fuzz targets' oracle. Built without coverage instrumentation
// (fuzz/CMakeLists.txt): parsing our own output is not what is being
// explored, and it would dominate the fuzzer's feedback.
#include "fuzz_common.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>

#include "engine/runner.h"
#include "report/report.h"

namespace meshlint::fuzz {

namespace {

[[noreturn]] void Fail(const char* what, const std::string& output) {
  std::fprintf(stderr, "fuzz property violated: %s\n--- output ---\n%s\n", what, output.c_str());
  std::abort();
}

}  // namespace

void LintAndReport(MeshModel& model, std::size_t sample) {
  model.Finalize();
  const std::vector<Finding> findings = RunRules(model, RunOptions{});
  ReportContext ctx{model, findings, "/src", {}, std::chrono::milliseconds(0)};

  std::ostringstream text;
  WriteText(text, ctx);
  // Text output: one line per finding, nothing a terminal would act on.
  for (char c : text.str()) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\n') || u == 0x7F) Fail("control character in text output", text.str());
  }
  std::size_t lines = 0;
  for (char c : text.str()) lines += c == '\n';
  if (lines != findings.size()) Fail("text output is not one line per finding", text.str());

  std::ostringstream json;
  WriteJson(json, ctx);
  const auto j = nlohmann::json::parse(json.str(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) Fail("JSON output does not parse", json.str());
  if (j["findings"].size() != findings.size()) Fail("JSON findings count", json.str());

  // SARIF embeds every rule's documentation, so writing and parsing it costs
  // ten times the rest of an execution; doing it for one input in eight keeps
  // the fuzzer's time on the loader. Which ones depends only on the input, so
  // a crash still reproduces.
  if (sample % 8 != 0) return;
  std::ostringstream sarif;
  WriteSarif(sarif, ctx);
  const auto s = nlohmann::json::parse(sarif.str(), nullptr, false);
  if (s.is_discarded()) Fail("SARIF output does not parse", sarif.str());
  if (s["runs"][0]["results"].size() != findings.size()) Fail("SARIF results count", sarif.str());
  for (const auto& r : s["runs"][0]["results"]) {
    for (const auto& l : r["locations"]) {
      if (!l.contains("physicalLocation")) continue;
      const auto& region = l["physicalLocation"]["region"];
      if (region["startLine"].get<long>() < 1 || region["startColumn"].get<long>() < 1)
        Fail("SARIF region before line 1 / column 1", sarif.str());
    }
  }
}

}  // namespace meshlint::fuzz
