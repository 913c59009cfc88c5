// The SARIF of realistic runs, checked by the Microsoft SARIF Multitool against
// the SARIF 2.1.0 schema, its own SARIF rules and GitHub's ingestion rules
// (`validate --rule-kind "Sarif;Gh"`). A good log produces no result at all.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "test_util.h"

namespace meshlint::testing {
namespace {

namespace fs = std::filesystem;

// MESHLINT_SARIF_MULTITOOL, else what ci/setup installs into .tools/.
std::string Multitool() {
  if (const char* env = std::getenv("MESHLINT_SARIF_MULTITOOL"); env && *env) return env;
  const fs::path local = fs::path(SourceDir()) /
                         ".tools/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool";
  return fs::exists(local) ? local.string() : "";
}

std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Runs the validator over `inputs`; returns the results of report.sarif, and
// the tool's console output for failure messages.
nlohmann::json Validate(const TempDir& dir, const std::vector<std::string>& inputs,
                        std::string& console) {
  const std::string report = (dir.path() / "report.sarif").string();
  fs::remove(report);
  std::string cmd =
      Quote(Multitool()) + " validate --rule-kind " + Quote("Sarif;Gh") + " -o " + Quote(report);
  for (const auto& in : inputs) cmd += " " + Quote(in);
  cmd += " >" + Quote((dir.path() / "console.txt").string()) + " 2>&1";
  const int status = std::system(cmd.c_str());
  console = ReadFileText((dir.path() / "console.txt").string());
  EXPECT_EQ(status, 0) << cmd << "\n" << console;
  const std::string text = ReadFileText(report);
  EXPECT_FALSE(text.empty()) << "no report from: " << cmd << "\n" << console;
  auto doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.contains("runs") || doc["runs"].empty()) {
    ADD_FAILURE() << "unreadable report " << report;
    return nlohmann::json::array();
  }
  return doc["runs"][0].value("results", nlohmann::json::array());
}

// Writes meshlint's SARIF for `args` run in `cwd` to dir/<name>.sarif.
std::string SarifOf(const TempDir& dir, const std::string& name, std::vector<std::string> args,
                    const std::string& cwd, const std::string& input = "") {
  args.insert(args.begin(), "lint");
  args.insert(args.end(), {"--format", "sarif", "-q"});
  CommandResult r = RunInProcess(args, cwd, input);
  EXPECT_TRUE(r.status == 0 || r.status == 1 || r.status == 2) << name << "\n" << r.err;
  return dir.Write(name + ".sarif", r.out);
}

#define REQUIRE_MULTITOOL()                                                                  \
  if (Multitool().empty() || !fs::exists(Multitool()))                                       \
  GTEST_SKIP() << "SARIF Multitool not found: set MESHLINT_SARIF_MULTITOOL or run ci/setup " \
                  "--for-tests (installs it into .tools/)"

TEST(SarifValidation, RealisticRunsAreClean) {
  REQUIRE_MULTITOOL();
  TempDir dir;
  const std::string src = SourceDir();
  std::vector<std::string> logs;
  logs.push_back(SarifOf(dir, "demo", {"."}, src + "/examples/demo-mesh"));
  logs.push_back(SarifOf(dir, "clean", {"."},
                         src + "/fixtures/mesh-outbound-allow-any/ok-registry-only-operator"));
  logs.push_back(
      SarifOf(dir, "broken", {"."}, src + "/fixtures/scenarios/broken-inputs-rest-still-linted"));
  for (const auto& entry : fs::directory_iterator(src + "/fixtures/scenarios")) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with("seed-")) logs.push_back(SarifOf(dir, name, {"."}, entry.path().string()));
  }
  // Related locations, files outside the working directory, a missing path
  // (a notification), stdin, and names that need percent-encoding.
  dir.Write("odd dir/sé ü.yaml", ReadFileText(src + "/examples/demo-mesh/debian.yaml"));
  logs.push_back(SarifOf(
      dir, "edge",
      {".", "missing.yaml", src + "/fixtures/mesh-config-conflict/fires-operator-vs-configmap",
       src + "/fixtures/namespace-without-sidecar/fires-only-workload-sidecars"},
      (dir.path() / "odd dir").string()));
  // Stdin without a name (the placeholder URI), with --stdin-filename, and
  // a run whose "no mesh config" finding has no physical location.
  logs.push_back(SarifOf(dir, "stdin", {"-"}, dir.str(),
                         ReadFileText(src + "/examples/demo-mesh/debian.yaml")));
  logs.push_back(SarifOf(dir, "stdin-named", {"-", "--stdin-filename", "deploy/debian.yaml"},
                         dir.str(), ReadFileText(src + "/examples/demo-mesh/debian.yaml")));
  logs.push_back(
      SarifOf(dir, "project-level", {"--no-config", "deploy"}, src + "/tests/repos/first-run"));
  const fs::path corpus = fs::path(src) / ".." / "shared" / "corpus";
  if (fs::is_directory(corpus)) logs.push_back(SarifOf(dir, "corpus", {"."}, corpus.string()));

  std::string console;
  const nlohmann::json results = Validate(dir, logs, console);
  EXPECT_TRUE(results.empty()) << results.size() << " problems:\n" << console;
}

TEST(SarifValidation, ValidatorCatchesABrokenLog) {
  // Proves the check above can fail: a region starting at line 0 is an error.
  REQUIRE_MULTITOOL();
  TempDir dir;
  std::string log = ReadFileText(SarifOf(dir, "demo", {"."}, SourceDir() + "/examples/demo-mesh"));
  const std::string from = "\"startLine\": ";
  const std::size_t at = log.find(from);
  ASSERT_NE(at, std::string::npos);
  const std::size_t end = log.find(',', at);
  log.replace(at, end - at, from + "0");
  std::string console;
  const nlohmann::json results = Validate(dir, {dir.Write("broken.sarif", log)}, console);
  EXPECT_FALSE(results.empty()) << console;
}

}  // namespace
}  // namespace meshlint::testing
