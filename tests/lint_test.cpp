// Lint() in process (engine/lint.h): what a front end gets back, without the
// CLI: located problems, findings in report order, the config's settings and
// the flags that override them.
#include <gtest/gtest.h>

#include <filesystem>

#include "engine/lint.h"
#include "loader/config_file.h"
#include "report/report.h"
#include "test_util.h"

namespace meshlint::testing {
namespace {

constexpr const char* kRegistryOnly =
    "apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\n"
    "metadata: {name: cp, namespace: istio-system}\n"
    "spec:\n  meshConfig:\n    outboundTrafficPolicy: {mode: REGISTRY_ONLY}\n";

constexpr const char* kLeakySe =
    "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\n"
    "metadata: {name: deb, namespace: istio-system}\n"
    "spec:\n  hosts: [deb.debian.org]\n  exportTo: ['*']\n";  // 6

std::vector<std::string> Keys(const LintResult& r) {
  std::vector<std::string> out;
  for (const Finding& f : r.findings)
    out.push_back(r.model.files.display(f.diag.loc.file) + ":" + std::to_string(f.diag.loc.line) +
                  ":" + std::to_string(f.diag.loc.column) + " " + std::string(f.rule_id) +
                  (f.suppression ? " suppressed" : ""));
  return out;
}

ProjectConfig Config(const std::string& text) {
  ProjectConfig config;
  std::vector<Problem> problems = ParseConfig(text, "/project/.meshlint.yaml", config);
  if (problems.empty()) problems = ValidateConfig(config);
  EXPECT_TRUE(problems.empty()) << (problems.empty() ? "" : problems[0].message);
  return config;
}

TEST(Lint, TextsOnlyReadNoPathAndReportInOrder) {
  TempDir empty;  // the working directory holds nothing a walk would find
  ScopedCwd here(empty.path());
  const LintResult r =
      LintTexts({{"se.yaml", kLeakySe}, {"mesh.yaml", kRegistryOnly}}, RequestFromConfig(nullptr));
  EXPECT_TRUE(r.input_problems.empty());
  EXPECT_EQ(r.model.files.size(), 2u);
  EXPECT_EQ(Keys(r), (std::vector<std::string>{"se.yaml:6:14 serviceentry-exported-to-all"}));
  EXPECT_EQ(TextReport(r).rfind("se.yaml:6:14: warning [serviceentry-exported-to-all] ", 0), 0u);
}

TEST(Lint, ConfigSeveritiesThenRequestOverrides) {
  const ProjectConfig config = Config("rules:\n  serviceentry-exported-to-all: error\n");
  LintRequest request = RequestFromConfig(&config);
  LintResult r = LintTexts({{"se.yaml", kLeakySe}, {"mesh.yaml", kRegistryOnly}}, request);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].severity, Severity::kError);
  // The config file is registered after the inputs, which keep their indices.
  EXPECT_EQ(r.config_file, 2u);
  EXPECT_EQ(r.model.files.absolute(r.config_file), "/project/.meshlint.yaml");
  request.run.severity["serviceentry-exported-to-all"] = std::nullopt;  // a flag wins
  r = LintTexts({{"se.yaml", kLeakySe}, {"mesh.yaml", kRegistryOnly}}, request);
  EXPECT_TRUE(r.findings.empty());
}

TEST(Lint, RunPhaseRulesSeeTheRequestsConfigAndDay) {
  const ProjectConfig config = Config(
      "suppressions:\n"
      "  - rule: serviceentry-exported-to-all\n"
      "    reason: the mirror is for everyone\n"
      "    expires: 2027-03-31\n");  // 4
  LintRequest request = RequestFromConfig(&config);
  request.today = *ParseIsoDate("2027-03-31");
  const std::vector<std::pair<std::string, std::string>> files = {{"se.yaml", kLeakySe},
                                                                  {"mesh.yaml", kRegistryOnly}};
  EXPECT_EQ(Keys(LintTexts(files, request)),
            (std::vector<std::string>{"se.yaml:6:14 serviceentry-exported-to-all suppressed"}));
  request.today = *ParseIsoDate("2027-04-01");
  // Sorted by display path: the config's finding lands before se.yaml's.
  EXPECT_EQ(Keys(LintTexts(files, request)),
            (std::vector<std::string>{"/project/.meshlint.yaml:4:14 suppression-expired",
                                      "se.yaml:6:14 serviceentry-exported-to-all"}));
}

TEST(Lint, InlineSuppressionsOffReportsEachAnnotation) {
  const std::string annotated =
      "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\n"
      "metadata:\n  name: deb\n  namespace: istio-system\n  annotations:\n"
      "    ignore.meshlint.io/serviceentry-exported-to-all: \"shared mirror\"\n"  // 7:5
      "spec:\n  hosts: [deb.debian.org]\n  exportTo: ['*']\n";                    // 10
  LintRequest request = RequestFromConfig(nullptr);
  EXPECT_EQ(Keys(LintTexts({{"se.yaml", annotated}, {"mesh.yaml", kRegistryOnly}}, request)),
            (std::vector<std::string>{"se.yaml:10:14 serviceentry-exported-to-all suppressed"}));
  request.inline_suppressions = false;
  EXPECT_EQ(Keys(LintTexts({{"se.yaml", annotated}, {"mesh.yaml", kRegistryOnly}}, request)),
            (std::vector<std::string>{"se.yaml:7:5 inline-suppression-ignored",
                                      "se.yaml:10:14 serviceentry-exported-to-all"}));
}

TEST(Lint, UnreadablePathsAreLocatedProblemsAndTheRestIsLinted) {
  TempDir dir;
  dir.Write("mesh.yaml", kRegistryOnly);
  dir.Write("se.yaml", kLeakySe);
  ScopedCwd here(dir.path());
  LintRequest request = RequestFromConfig(nullptr);
  request.paths = {"missing.yaml", "."};
  const LintResult r = Lint(request);
  ASSERT_EQ(r.input_problems.size(), 1u);
  EXPECT_EQ(ProblemText(r.model.files, r.input_problems[0]),
            "missing.yaml: no such file or directory");
  EXPECT_EQ(r.model.files.absolute(r.input_problems[0].loc.file),
            (dir.path() / "missing.yaml").string());
  EXPECT_EQ(Keys(r), (std::vector<std::string>{"se.yaml:6:14 serviceentry-exported-to-all"}));
}

TEST(Lint, AnUnusablePolicyStopsTheRunWithFileLineColumn) {
  LintRequest request = RequestFromConfig(nullptr);
  PolicySource policy;
  policy.path = "policy.yaml";
  policy.is_inline = true;
  policy.inline_text = "egress:\n  - namespaces: \"((\"\n    hosts: [\"*\"]\n";
  request.policy = policy;
  const LintResult r = LintTexts({{"mesh.yaml", kRegistryOnly}}, request);
  ASSERT_EQ(r.policy_problems.size(), 1u);
  EXPECT_EQ(ProblemText(r.model.files, r.policy_problems[0]).rfind("policy.yaml:2:17: ", 0), 0u)
      << ProblemText(r.model.files, r.policy_problems[0]);
  EXPECT_TRUE(r.findings.empty());
  EXPECT_EQ(r.policy, nullptr);
}

TEST(Lint, ReportOnlyKeepsTheNamedFilesAndDropsProjectLevelFindings) {
  TempDir dir;
  dir.Write("a/se.yaml", kLeakySe);
  dir.Write("b/se.yaml",
            std::string(kLeakySe).replace(std::string(kLeakySe).find("deb,"), 3, "mir"));
  ScopedCwd here(dir.path());
  LintRequest request = RequestFromConfig(nullptr);
  request.paths = {"."};
  // No mesh config anywhere: a project-level mesh-outbound-allow-any.
  LintResult all = Lint(request);
  bool project_level = false;
  for (const Finding& f : all.findings) project_level |= f.diag.project_level;
  EXPECT_TRUE(project_level);
  request.report_only = std::vector<std::string>{(dir.path() / "b").string()};
  const LintResult some = Lint(request);
  EXPECT_EQ(Keys(some), (std::vector<std::string>{"b/se.yaml:6:14 serviceentry-exported-to-all"}));
}

TEST(Lint, ConfigProblemsAreLocatedInTheConfigFile) {
  TempDir dir;
  dir.Write(".meshlint.yaml", "rules:\n  no-such-rule: error\nfailOn: sometimes\n");
  ScopedCwd here(dir.path());
  const ConfigResult project = LoadProjectConfig({});
  EXPECT_FALSE(project.config);
  ASSERT_EQ(project.problems.size(), 1u);  // the reader stops the check by the engine
  EXPECT_EQ(ProblemText(project.files, project.problems[0]),
            ".meshlint.yaml:3:9: failOn must be error, warning, note or never, not 'sometimes'");
  ConfigChoice none;
  none.mode = ConfigChoice::Mode::kNone;
  EXPECT_TRUE(LoadProjectConfig(none).problems.empty());
  ConfigChoice missing;
  missing.mode = ConfigChoice::Mode::kFile;
  missing.file = "ci/nope.yaml";
  const ConfigResult nope = LoadProjectConfig(missing);
  ASSERT_EQ(nope.problems.size(), 1u);
  EXPECT_EQ(ProblemText(nope.files, nope.problems[0]), "ci/nope.yaml: no such config file");
}

// Pre-commit: `lint --context DIR FILE` loads all of DIR but reports only
// what is located in FILE. Its findings must be exactly those a lint of DIR
// places in FILE (project-level ones aside), message for message, for every
// file of the demo mesh and of every fixture case of several files.
std::vector<std::string> FindingsIn(const LintResult& r, const std::string& file) {
  std::vector<std::string> out;
  for (const Finding& f : r.findings) {
    if (f.diag.project_level || f.diag.loc.line == 0) continue;
    if (!file.empty() && r.model.files.absolute(f.diag.loc.file) != file) continue;
    out.push_back(r.model.files.absolute(f.diag.loc.file) + ":" + std::to_string(f.diag.loc.line) +
                  ":" + std::to_string(f.diag.loc.column) + " " + std::string(f.rule_id) + " " +
                  f.diag.message);
  }
  return out;
}

TEST(Lint, ContextRunIsTheFullRunFilteredToTheNamedFile) {
  namespace fs = std::filesystem;
  const fs::path source(SourceDir());
  std::vector<fs::path> dirs = {source / "examples" / "demo-mesh"};
  for (const auto& group : fs::directory_iterator(source / "fixtures"))
    for (const auto& c : fs::directory_iterator(group.path()))
      if (c.is_directory()) dirs.push_back(c.path());
  std::size_t compared = 0, nonempty = 0;
  for (const fs::path& dir : dirs) {
    std::vector<fs::path> files;
    for (const auto& e : fs::recursive_directory_iterator(dir))
      if (e.is_regular_file() && e.path().extension() == ".yaml") files.push_back(e.path());
    if (files.size() < 2) continue;
    ScopedCwd here(dir);
    LintRequest full = RequestFromConfig(nullptr);
    full.paths = {"."};
    const LintResult all = Lint(full);
    for (const fs::path& file : files) {
      const std::string abs = fs::absolute(file).lexically_normal().string();
      LintRequest one = RequestFromConfig(nullptr);
      one.paths = {".", fs::relative(file, dir).string()};
      one.report_only = std::vector<std::string>{abs};
      const std::vector<std::string> expected = FindingsIn(all, abs);
      EXPECT_EQ(FindingsIn(Lint(one), ""), expected) << abs;
      ++compared;
      nonempty += !expected.empty();
    }
  }
  EXPECT_GT(compared, 40u);
  EXPECT_GT(nonempty, 20u);
}

}  // namespace
}  // namespace meshlint::testing
