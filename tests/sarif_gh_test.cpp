// The SARIF of the CI features (baselines, automationDetails, notifications
// for unusable inputs, the shared corpus) passes the Microsoft SARIF
// Multitool with GitHub's ingestion rules: no error and no warning. The basic
// clean/findings runs are covered by sarif_validation_test.cpp.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "test_util.h"

namespace meshlint {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;
using testing::ReadFileText;
using testing::RunInProcess;
using testing::RunMeshlint;

// MESHLINT_SARIF_MULTITOOL, else the copy ci/setup installs into .tools/.
std::string Multitool() {
  if (const char* env = std::getenv("MESHLINT_SARIF_MULTITOOL"); env && *env) return env;
  const fs::path local = fs::path(testing::SourceDir()) /
                         ".tools/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool";
  return fs::exists(local) ? local.string() : "";
}

std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

class SarifGh : public ::testing::Test {
 protected:
  void SetUp() override {
    tool_ = Multitool();
    if (tool_.empty())
      GTEST_SKIP() << "SARIF Multitool not found: set MESHLINT_SARIF_MULTITOOL or run ci/setup "
                      "--with-node";
    dir_ = fs::temp_directory_path() / ("meshlint-sarifgh-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "repo");
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  void Write(const std::string& name, const std::string& text) {
    fs::create_directories((dir_ / name).parent_path());
    std::ofstream(dir_ / name, std::ios::binary) << text;
  }
  std::string Repo() const { return (dir_ / "repo").string(); }
  // Saves a SARIF log under a name for Validate().
  std::string Save(const std::string& name, const std::string& sarif) {
    Write("logs/" + name + ".sarif", sarif);
    return (dir_ / "logs" / (name + ".sarif")).string();
  }

  // The Multitool's error and warning lines ("file(l,c): error GH1013: ...")
  // for each log, validated in one call (the tool takes seconds to start).
  std::map<std::string, std::vector<std::string>> Validate(const std::vector<std::string>& logs) {
    std::string cmd = Quote(tool_) + " validate --rule-kind 'Sarif;Gh' --log ForceOverwrite -o " +
                      Quote((dir_ / "report.sarif").string());
    for (const auto& l : logs) cmd += " " + Quote(l);
    cmd += " >" + Quote((dir_ / "mt.out").string()) + " 2>&1";
    const int raw = std::system(cmd.c_str());
    const std::string out = ReadFileText((dir_ / "mt.out").string());
    EXPECT_TRUE(WIFEXITED(raw)) << out;
    // It must have looked at every log.
    EXPECT_NE(out.find("Done. " + std::to_string(logs.size()) + " file"), std::string::npos) << out;
    static const std::regex kProblem(R"(^(.*)\(\d+(,\d+)?\): (error|warning) [A-Z]+\d+: .*$)");
    std::map<std::string, std::vector<std::string>> problems;
    for (const auto& l : logs) problems[l];
    std::istringstream lines(out);
    for (std::string line; std::getline(lines, line);) {
      std::smatch m;
      if (std::regex_match(line, m, kProblem)) problems[m[1]].push_back(line);
    }
    return problems;
  }

  std::string tool_;
  fs::path dir_;
};

constexpr const char* kMesh =
    "apiVersion: install.istio.io/v1alpha1\n"
    "kind: IstioOperator\n"
    "metadata:\n"
    "  name: demo\n"
    "  namespace: istio-system\n"
    "spec:\n"
    "  meshConfig:\n"
    "    outboundTrafficPolicy:\n"
    "      mode: ALLOW_ANY\n";

std::string OpenSe(const std::string& name) {
  return "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: " + name +
         "\n  namespace: apps\nspec:\n  hosts: [" + name + ".example.com]\n";
}

TEST_F(SarifGh, CiRunsValidateWithoutErrorOrWarning) {
  Write("repo/mesh.yaml", kMesh);
  Write("repo/apps/se.yaml", OpenSe("debian"));
  // Adopt a baseline, then add a hole: SARIF with baselineState and a
  // "baselined" notification.
  ASSERT_EQ(RunMeshlint({"lint", ".", "--write-baseline", "../base.json"}, Repo()).status, 0);
  Write("repo/apps/new.yaml", OpenSe("pypi"));
  CommandResult baselined = RunMeshlint({"lint", ".", "-f", "sarif", "--baseline", "../base.json",
                                         "--automation-id", "meshlint/egress/"},
                                        Repo());
  ASSERT_EQ(baselined.status, 1) << baselined.err;
  EXPECT_NE(baselined.out.find("\"automationDetails\": {\n        \"id\": \"meshlint/egress/\"\n"),
            std::string::npos);
  EXPECT_NE(baselined.out.find("\"baselineState\": \"new\""), std::string::npos);
  EXPECT_NE(baselined.out.find(" findings are in the baseline ../base.json and not reported."),
            std::string::npos);

  // Everything baselined: still a results array, empty.
  Write("repo/apps/new.yaml", "");
  CommandResult all =
      RunMeshlint({"lint", ".", "-f", "sarif", "--baseline", "../base.json"}, Repo());
  ASSERT_EQ(all.status, 0) << all.err;
  EXPECT_NE(all.out.find("\"results\": []"), std::string::npos);
  EXPECT_NE(all.out.find("\"executionSuccessful\": true"), std::string::npos);

  // Broken inputs and a path that does not exist: findings for the files,
  // an error notification for the path, and a run that did not succeed.
  Write("repo/broken/syntax.yaml", "apiVersion: v1\nkind: [\n");
  Write("repo/broken/notk8s.yaml", "foo: bar\n");
  Write("repo/broken/types.yaml",
        "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\n"
        "metadata:\n  name: t\n  namespace: x\nspec:\n  hosts: 5\n");
  CommandResult broken = RunMeshlint({"lint", ".", "missing.yaml", "-f", "sarif"}, Repo());
  ASSERT_EQ(broken.status, 2);
  EXPECT_NE(broken.out.find("\"executionSuccessful\": false"), std::string::npos);
  EXPECT_NE(broken.out.find("\"text\": \"missing.yaml: no such file or directory.\""),
            std::string::npos)
      << broken.out;
  EXPECT_NE(broken.out.find("\"text\": \"1 YAML document has no apiVersion and kind and was "
                            "skipped as not Kubernetes objects.\""),
            std::string::npos);
  EXPECT_NE(broken.out.find("\"ruleId\": \"invalid-manifest\""), std::string::npos);

  // Files outside the working directory: absolute file:// URIs.
  fs::create_directories(dir_ / "elsewhere");
  CommandResult outside =
      RunMeshlint({"lint", Repo() + "/apps", "-f", "sarif"}, (dir_ / "elsewhere").string());
  ASSERT_EQ(outside.status, 1) << outside.err;
  EXPECT_NE(outside.out.find("\"uri\": \"file://" + Repo() + "/apps/se.yaml\""), std::string::npos);

  // Stdin: no file of the repository.
  CommandResult piped = RunMeshlint({"lint", "-", "-f", "sarif"}, Repo(),
                                    std::string(kMesh) + "---\n" + OpenSe("stdin-se"));
  ASSERT_EQ(piped.status, 1) << piped.err;

  std::vector<std::string> logs = {Save("baselined", baselined.out), Save("all", all.out),
                                   Save("broken", broken.out), Save("outside", outside.out),
                                   Save("stdin", piped.out)};
  // The validator does catch problems: a log without $schema breaks GH1013.
  std::string no_schema = all.out;
  no_schema.erase(no_schema.find("\"$schema\""),
                  no_schema.find("\"version\"") - no_schema.find("\"$schema\""));
  const std::string bad = Save("no-schema", no_schema);
  logs.push_back(bad);

  auto problems = Validate(logs);
  for (const auto& l : logs) {
    if (l == bad) continue;
    EXPECT_EQ(problems[l], std::vector<std::string>{}) << l;
  }
  ASSERT_FALSE(problems[bad].empty());
  EXPECT_NE(problems[bad].front().find("GH1013"), std::string::npos) << problems[bad].front();
}

TEST_F(SarifGh, SharedCorpusValidates) {
  const fs::path corpus = fs::path(testing::SourceDir()) / ".." / "shared" / "corpus";
  if (!fs::is_directory(corpus))
    GTEST_SKIP() << "shared corpus not found at " << corpus.string()
                 << " (it exists only on the team machine)";
  CommandResult plain = RunInProcess({"lint", ".", "-f", "sarif"}, fs::canonical(corpus).string());
  ASSERT_EQ(plain.status, 1);
  // With a baseline of half the corpus: the rest are new.
  CommandResult adopt =
      RunInProcess({"lint", "istio/samples", "--write-baseline", (dir_ / "base.json").string()},
                   fs::canonical(corpus).string());
  ASSERT_EQ(adopt.status, 0);
  CommandResult half =
      RunInProcess({"lint", ".", "-f", "sarif", "--baseline", (dir_ / "base.json").string(),
                    "--automation-id", "meshlint/corpus/"},
                   fs::canonical(corpus).string());
  EXPECT_NE(half.out.find("\"baselineState\": \"new\""), std::string::npos);
  auto problems = Validate({Save("corpus", plain.out), Save("corpus-baseline", half.out)});
  for (const auto& [log, lines] : problems) EXPECT_EQ(lines, std::vector<std::string>{}) << log;
}

}  // namespace
}  // namespace meshlint
