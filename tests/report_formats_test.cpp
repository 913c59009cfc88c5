// The CI-facing writers on hand-made findings, so the expected text depends
// on the writer alone: GitHub workflow commands, GitLab Code Quality, the
// baseline file, the summary.
#include <gtest/gtest.h>

#include <sstream>

#include "report/report.h"
#include "test_util.h"

namespace meshlint {
namespace {

constexpr const char* kSe =
    "apiVersion: networking.istio.io/v1\n"
    "kind: ServiceEntry\n"
    "metadata:\n"
    "  name: a\n"
    "  namespace: apps\n"
    "spec:\n"
    "  hosts: [a.example.com]\n";

Finding Make(std::string_view rule, Severity sev, Location loc, std::string message,
             ObjectRef object = {}, std::string field = "") {
  Finding f;
  f.rule_id = rule;
  f.severity = sev;
  f.diag.loc = loc;
  f.diag.message = std::move(message);
  f.diag.object = std::move(object);
  f.diag.field = std::move(field);
  return f;
}

struct Fixture {
  MeshModel model = testing::LoadFiles(
      {{"/repo/k8s/se.yaml", kSe}, {"/repo/odd %,:name.yaml", kSe}, {"/elsewhere/mesh.yaml", kSe}});
  std::vector<Finding> findings;
  ReportContext Context() { return ReportContext{model, findings, "/repo", {}}; }
};

template <typename Fn>
std::string Render(Fn fn, const ReportContext& ctx) {
  std::ostringstream out;
  fn(out, ctx);
  return out.str();
}

TEST(GithubFormat, OneCommandPerFindingWithRepoRelativePaths) {
  Fixture fx;
  fx.findings = {
      Make("serviceentry-exported-to-all", Severity::kWarning, {0, 7, 3, 7, 8},
           "ServiceEntry 'a' is visible everywhere. Add exportTo."),
      Make("mesh-outbound-allow-any", Severity::kError, {2, 2, 1, 4, 6}, "Mode is ALLOW_ANY."),
      Make("namespace-without-sidecar", Severity::kNote, {0, 5, 14, 5, 15}, "A note."),
  };
  // Errors first: GitHub shows a limited number of annotations.
  EXPECT_EQ(Render(WriteGithub, fx.Context()),
            // Several lines: GitHub takes no columns then.
            "::error file=/elsewhere/mesh.yaml,line=2,endLine=4,"
            "title=meshlint [mesh-outbound-allow-any]::Mode is ALLOW_ANY.\n"
            "::warning file=k8s/se.yaml,line=7,col=3,endLine=7,endColumn=7,"
            "title=meshlint [serviceentry-exported-to-all]::ServiceEntry 'a' is visible "
            "everywhere. Add exportTo.\n"
            // A one-character span has no endColumn: it would equal col.
            "::notice file=k8s/se.yaml,line=5,col=14,endLine=5,"
            "title=meshlint [namespace-without-sidecar]::A note.\n");
}

TEST(GithubFormat, EscapesDataAndProperties) {
  Fixture fx;
  // A message with every character the runner treats specially; a path with
  // the property separators.
  fx.findings = {Make("invalid-manifest", Severity::kError, {1, 1, 1, 1, 2},
                      "100% broken:\r\nline two, :: still data")};
  EXPECT_EQ(Render(WriteGithub, fx.Context()),
            "::error file=odd %25%2C%3Aname.yaml,line=1,col=1,endLine=1,"
            "title=meshlint [invalid-manifest]::100%25 broken:%0D%0Aline two, :: still data\n");
}

TEST(GithubFormat, FindingWithoutFileHasOnlyTitle) {
  Fixture fx;
  fx.findings = {Make("mesh-outbound-allow-any", Severity::kError, {}, "No mesh config.")};
  EXPECT_EQ(Render(WriteGithub, fx.Context()),
            "::error title=meshlint [mesh-outbound-allow-any]::No mesh config.\n");
}

TEST(GithubFormat, StdinIsNoFile) {
  MeshModel model = testing::LoadFiles({{"<stdin>", kSe}});
  std::vector<Finding> findings = {
      Make("serviceentry-exported-to-all", Severity::kWarning, {0, 7, 3, 7, 8}, "Open.")};
  EXPECT_EQ(Render(WriteGithub, ReportContext{model, findings, "/repo", {}}),
            "::warning title=meshlint [serviceentry-exported-to-all]::Open.\n");
}

TEST(GitlabFormat, CodeQualityIssues) {
  Fixture fx;
  fx.findings = {
      Make("serviceentry-exported-to-all", Severity::kWarning, {0, 7, 3, 7, 8},
           "ServiceEntry \"a\" is open.", ObjectRef{"ServiceEntry", "apps", "a"}, "spec.exportTo"),
      Make("serviceentry-exported-to-all", Severity::kError, {0, 9, 3, 9, 8}, "Error level."),
      Make("mesh-outbound-allow-any", Severity::kError, {2, 2, 1, 2, 6}, "Mode."),
      Make("mesh-outbound-allow-any", Severity::kNote, {}, "Note."),
  };
  const std::string fp0 = Fingerprint(fx.findings[0]);
  const std::vector<std::string> fps = ComputeFingerprints(fx.model, fx.findings);
  auto issue = [](const std::string& desc, const std::string& rule, const std::string& fp,
                  const std::string& sev, const std::string& path, int line) {
    return "  {\n    \"description\": " + desc + ",\n    \"check_name\": \"" + rule +
           "\",\n    \"fingerprint\": \"" + fp + "\",\n    \"severity\": \"" + sev +
           "\",\n    \"location\": {\n      \"path\": \"" + path +
           "\",\n      \"lines\": {\n        \"begin\": " + std::to_string(line) +
           "\n      }\n    }\n  }";
  };
  EXPECT_EQ(Render(WriteGitlab, fx.Context()),
            "[\n" +
                issue("\"ServiceEntry \\\"a\\\" is open.\"", "serviceentry-exported-to-all", fp0,
                      "minor", "k8s/se.yaml", 7) +
                ",\n" +
                // security-severity 6.5: an error, but not high.
                issue("\"Error level.\"", "serviceentry-exported-to-all", fps[1], "major",
                      "k8s/se.yaml", 9) +
                ",\n" +
                // security-severity 8.0: high, so critical when it is an error.
                issue("\"Mode.\"", "mesh-outbound-allow-any", fps[2], "critical",
                      "/elsewhere/mesh.yaml", 2) +
                ",\n" + issue("\"Note.\"", "mesh-outbound-allow-any", fps[3], "info", ".", 1) +
                "\n]\n");
}

TEST(GitlabFormat, CleanRunIsAnEmptyArray) {
  Fixture fx;
  EXPECT_EQ(Render(WriteGitlab, fx.Context()), "[]\n");
}

TEST(Baseline, SortedReadableAndReadBack) {
  Fixture fx;
  fx.findings = {
      Make("serviceentry-exported-to-all", Severity::kWarning, {0, 7, 3, 7, 8}, "Open b.",
           ObjectRef{"ServiceEntry", "apps", "b"}, "spec.exportTo"),
      Make("mesh-outbound-allow-any", Severity::kError, {2, 2, 1, 2, 6}, "Mode.",
           ObjectRef{"IstioOperator", "istio-system", "demo"}, "meshConfig"),
      Make("serviceentry-exported-to-all", Severity::kWarning, {1, 7, 3, 7, 8}, "Open a.",
           ObjectRef{"ServiceEntry", "apps", "a"}, "spec.exportTo"),
  };
  const std::string text = Render(WriteBaseline, fx.Context());
  // By rule, then object: never by line or file.
  const auto mode = text.find("\"Mode.\""), open_a = text.find("\"Open a.\""),
             open_b = text.find("\"Open b.\"");
  ASSERT_NE(mode, std::string::npos);
  EXPECT_LT(mode, open_a);
  EXPECT_LT(open_a, open_b);
  EXPECT_NE(text.find("    {\n      \"rule\": \"serviceentry-exported-to-all\",\n"
                      "      \"object\": \"apps/ServiceEntry/a\",\n"
                      "      \"field\": \"spec.exportTo\",\n"
                      "      \"file\": \"odd %,:name.yaml\",\n"
                      "      \"message\": \"Open a.\",\n"
                      "      \"fingerprint\": \"" +
                      Fingerprint(fx.findings[2]) + "\"\n    }"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.rfind("{\n  \"meshlintBaseline\": 1,\n", 0), 0u) << text;

  std::vector<std::string> read;
  std::string error;
  ASSERT_TRUE(ReadBaseline(text, read, error)) << error;
  std::vector<std::string> expected = {Fingerprint(fx.findings[1]), Fingerprint(fx.findings[2]),
                                       Fingerprint(fx.findings[0])};
  EXPECT_EQ(read, expected);
}

TEST(Baseline, RejectsWhatIsNotABaseline) {
  std::vector<std::string> read;
  std::string error;
  EXPECT_FALSE(ReadBaseline("not json", read, error));
  EXPECT_EQ(error, "not valid JSON");
  EXPECT_FALSE(ReadBaseline("{\"version\": \"2.1.0\"}", read, error));
  EXPECT_EQ(
      error,
      "not a meshlint baseline (no \"meshlintBaseline\" key; write one with --write-baseline)");
  EXPECT_FALSE(ReadBaseline("{\"meshlintBaseline\": 2, \"findings\": []}", read, error));
  EXPECT_EQ(error, "baseline version 2 is not supported (expected 1)");
  EXPECT_FALSE(
      ReadBaseline("{\"meshlintBaseline\": 1, \"findings\": [{\"rule\": \"x\"}]}", read, error));
  EXPECT_EQ(error, "findings[0] has no \"fingerprint\" string");
  EXPECT_TRUE(ReadBaseline("{\"meshlintBaseline\": 1, \"findings\": []}", read, error));
  EXPECT_TRUE(read.empty());
}

// A rule with findings at two levels is one row, its counts by level (as
// --summary writes them), ranked by its most severe level.
TEST(Summary, OneRowPerRuleWithItsCountsByLevel) {
  Fixture fx;
  fx.findings = {
      Make("namespace-without-sidecar", Severity::kNote, {0, 7, 3, 7, 8}, "x"),
      Make("serviceentry-exported-to-all", Severity::kWarning, {0, 7, 3, 7, 8}, "x"),
      Make("namespace-without-sidecar", Severity::kWarning, {0, 7, 3, 7, 8}, "x"),
      Make("namespace-without-sidecar", Severity::kNote, {0, 7, 3, 7, 8}, "x"),
  };
  ReportContext ctx = fx.Context();
  ctx.elapsed = std::chrono::milliseconds(42);
  EXPECT_EQ(Render(WriteSummary, ctx),
            "meshlint: 4 findings (0 errors, 2 warnings, 2 notes) in 3 files, 3 objects (42 ms)\n"
            "  namespace-without-sidecar     1 warning, 2 notes\n"
            "  serviceentry-exported-to-all  1 warning\n");
}

TEST(Summary, CountsBySeverityAndRule) {
  Fixture fx;
  fx.findings = {
      Make("serviceentry-exported-to-all", Severity::kWarning, {0, 7, 3, 7, 8}, "x"),
      Make("namespace-without-sidecar", Severity::kWarning, {0, 7, 3, 7, 8}, "x"),
      Make("mesh-outbound-allow-any", Severity::kError, {0, 7, 3, 7, 8}, "x"),
      Make("serviceentry-exported-to-all", Severity::kWarning, {0, 7, 3, 7, 8}, "x"),
  };
  ReportContext ctx = fx.Context();
  ctx.elapsed = std::chrono::milliseconds(42);
  EXPECT_EQ(Render(WriteSummary, ctx),
            "meshlint: 4 findings (1 error, 3 warnings, 0 notes) in 3 files, 3 objects (42 ms)\n"
            "  mesh-outbound-allow-any       1 error\n"
            "  serviceentry-exported-to-all  2 warnings\n"
            "  namespace-without-sidecar     1 warning\n");
  ctx.baseline_file = "base.json";
  ctx.baselined = 5;
  ctx.baseline_stale = 1;
  ctx.findings = {};
  EXPECT_EQ(Render(WriteSummary, ctx),
            "meshlint: no new findings in 3 files, 3 objects (42 ms)\n"
            "meshlint: 5 findings in the baseline base.json not reported; 1 baseline entry no "
            "longer occurs (refresh it with --write-baseline)\n");
}

}  // namespace
}  // namespace meshlint

namespace meshlint {
namespace {

TEST(SarifRules, HelpFromDocsAndSecuritySeverity) {
  MeshModel model = testing::LoadFiles({{"/repo/a.yaml", kSe}});
  std::vector<Finding> none;
  std::ostringstream out;
  WriteSarif(out, ReportContext{model, none, "/repo", {}});
  const std::string sarif = out.str();
  EXPECT_NE(sarif.find("\"results\": []"), std::string::npos);
  for (const RuleInfo& r : AllRules()) {
    const std::string id(r.id);
    const std::size_t at = sarif.find("\"id\": \"" + id + "\"");
    ASSERT_NE(at, std::string::npos) << id;
    const std::size_t end = sarif.find("\"properties\"", at);
    const std::string rule = sarif.substr(at, sarif.find('}', sarif.find('}', end) + 1) - at);
    // help.markdown is the doc itself; help.text the same without markup.
    EXPECT_NE(rule.find("\"markdown\": \"# " + id + "\\n"), std::string::npos) << rule;
    EXPECT_NE(rule.find("\"help\": {\n                \"text\": \"" + id + "\\n\\n"),
              std::string::npos)
        << rule;
    const std::string text = rule.substr(rule.find("\"text\": \"" + id));
    EXPECT_EQ(text.substr(0, text.find("\"markdown\"")).find("```"), std::string::npos) << id;
    EXPECT_NE(rule.find("\"helpUri\": \"https://github.com/meshlint/meshlint/blob/main/rules/" +
                        id + "/doc.md\""),
              std::string::npos);
    EXPECT_NE(rule.find("\"precision\": \""), std::string::npos) << id;
    // Security rules carry a security-severity, so GitHub ranks their alerts.
    const bool security = r.tags.contains("security");
    EXPECT_EQ(rule.find("\"security-severity\": \"") != std::string::npos, security) << id;
  }
}

}  // namespace
}  // namespace meshlint

namespace meshlint {
namespace {

TEST(SarifLimits, AtMost25000ResultsMostSevereKept) {
  MeshModel model = testing::LoadFiles({{"/repo/a.yaml", kSe}});
  std::vector<Finding> findings(
      25001, Make("serviceentry-exported-to-all", Severity::kNote, {0, 7, 3, 7, 8}, "Note."));
  findings.push_back(Make("mesh-outbound-allow-any", Severity::kError, {0, 9, 1, 9, 2}, "Error."));
  std::ostringstream out;
  WriteSarif(out, ReportContext{model, findings, "/repo", {}});
  const std::string sarif = out.str();
  std::size_t results = 0;
  for (std::size_t at = sarif.find("\"ruleId\""); at != std::string::npos;
       at = sarif.find("\"ruleId\"", at + 1))
    ++results;
  EXPECT_EQ(results, 25000u);
  EXPECT_NE(sarif.find("\"text\": \"Error.\""), std::string::npos);  // the error survived
  EXPECT_NE(sarif.find("\"text\": \"2 of 25002 findings are left out of this SARIF log"),
            std::string::npos);
}

}  // namespace
}  // namespace meshlint
