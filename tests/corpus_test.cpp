// Real-world manifests nobody on this project wrote (../shared/corpus: Istio's
// samples and the istioctl analyze test data). They must load without a crash,
// and only files that really are broken or templated may be invalid-manifest.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "test_util.h"

namespace meshlint::testing {
namespace {

namespace fs = std::filesystem;

std::string CorpusDir() {
  return (fs::path(SourceDir()) / ".." / "shared" / "corpus").lexically_normal().string();
}

#define REQUIRE_CORPUS()                                                                       \
  if (!fs::is_directory(CorpusDir()))                                                          \
  GTEST_SKIP() << "corpus not found at " << CorpusDir()                                        \
               << " (it lives beside the project in the development workspace; a fresh clone " \
                  "has none)"

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

// No invalid file in the corpus: the one Helm chart (its templates hold
// {{ ... }}) is set aside with one note, and everything else is plain,
// valid YAML (values.yaml and unnamed IstioOperators included).
const std::map<std::string, int> kExpectedInvalid = {};
const char* const kChartNote =
    "meshlint: note: istio/samples/ambient-argo/tag-chart: a Helm chart: its templates are not "
    "linted raw (5 files); render it and lint the output: helm template "
    "istio/samples/ambient-argo/tag-chart | meshlint lint -\n";

void CheckRun(const CommandResult& r) {
  ASSERT_TRUE(r.status == 0 || r.status == 1) << "exit " << r.status << "\n" << r.err;
  static const std::regex kLine(
      R"(^[^:]+:[1-9][0-9]*:[1-9][0-9]*: (error|warning|note) \[[a-z-]+\] .+)");
  std::map<std::string, int> invalid;
  for (const std::string& line : Lines(r.out)) {
    EXPECT_TRUE(std::regex_match(line, kLine)) << "not a located finding: " << line;
    if (line.find(" [invalid-manifest] ") == std::string::npos) continue;
    ++invalid[line.substr(0, line.find(':'))];
    EXPECT_NE(line.find("Helm/Go template syntax ('{{') found"), std::string::npos) << line;
  }
  EXPECT_EQ(invalid, kExpectedInvalid);
  // Run with -q: nothing on stderr but the chart's note, so no unreadable
  // path and no crash report.
  EXPECT_EQ(r.err, kChartNote);
}

TEST(Corpus, LoadsWithOnlyTemplatesInvalid) {
  REQUIRE_CORPUS();
  CheckRun(RunInProcess({"lint", ".", "-q"}, CorpusDir()));
}

TEST(Corpus, WithItsBareMeshConfig) {
  REQUIRE_CORPUS();
  // testdata/common/meshconfig.yaml is the form `istioctl analyze --meshConfigFile` takes.
  auto r = RunInProcess({"lint", ".", "-q", "--mesh-config",
                         "istio/pkg/config/analysis/analyzers/testdata/common/meshconfig.yaml"},
                        CorpusDir());
  CheckRun(r);
}

TEST(Corpus, EveryFormat) {
  REQUIRE_CORPUS();
  for (const char* format : {"json", "sarif"}) {
    auto r = RunInProcess({"lint", ".", "--format", format, "-q"}, CorpusDir());
    EXPECT_EQ(r.status, 1) << format << "\n" << r.err;
    EXPECT_EQ(r.err, kChartNote) << format;
    ASSERT_FALSE(r.out.empty()) << format;
    EXPECT_EQ(r.out.front(), '{') << format;
    EXPECT_EQ(r.out.substr(r.out.size() - 2), "}\n") << format;
  }
}

TEST(Corpus, EachFileAlone) {
  REQUIRE_CORPUS();
  // One file at a time through stdin: no input may crash or hang the loader.
  int files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(CorpusDir())) {
    if (!entry.is_regular_file()) continue;
    const std::string ext = entry.path().extension().string();
    if (ext != ".yaml" && ext != ".yml" && ext != ".json") continue;
    ++files;
    auto r = RunInProcess({"lint", "-", "-q"}, CorpusDir(), ReadFileText(entry.path().string()));
    EXPECT_TRUE(r.status == 0 || r.status == 1) << entry.path() << " exit " << r.status << "\n"
                                                << r.err;
  }
  EXPECT_GT(files, 200);
}

}  // namespace
}  // namespace meshlint::testing
