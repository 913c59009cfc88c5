// Suppressions: annotations on the object (inSource) and config entries
// (external), expiry, --no-inline-suppressions, and how suppressed findings
// show in each output and in the exit status.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "engine/suppress.h"
#include "loader/config_file.h"
#include "test_util.h"

namespace meshlint::testing {
namespace {

namespace fs = std::filesystem;
using std::chrono::year_month_day;

year_month_day Date(int y, unsigned m, unsigned d) {
  return year_month_day{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

// Two namespaces without Sidecars, one ServiceEntry exported to all.
const char* const kMesh =
    "apiVersion: v1\n"                                                              // 1
    "kind: Namespace\n"                                                             // 2
    "metadata:\n"                                                                   // 3
    "  name: build-a\n"                                                             // 4
    "  annotations:\n"                                                              // 5
    "    ignore.meshlint.io/namespace-without-sidecar: \"runners need mirrors\"\n"  // 6
    "---\n"                                                                         // 7
    "apiVersion: v1\n"                                                              // 8
    "kind: Namespace\n"                                                             // 9
    "metadata:\n"                                                                   // 10
    "  name: team-b\n"                                                              // 11
    "---\n"                                                                         // 12
    "apiVersion: networking.istio.io/v1\n"                                          // 13
    "kind: ServiceEntry\n"                                                          // 14
    "metadata:\n"                                                                   // 15
    "  name: debian\n"                                                              // 16
    "  namespace: team-b\n"                                                         // 17
    "spec:\n"                                                                       // 18
    "  hosts: [deb.debian.org]\n"                                                   // 19
    "---\n"                                                                         // 20
    "apiVersion: install.istio.io/v1alpha1\n"                                       // 21
    "kind: IstioOperator\n"                                                         // 22
    "metadata:\n"                                                                   // 23
    "  name: mesh\n"                                                                // 24
    "  namespace: istio-system\n"                                                   // 25
    "spec:\n"                                                                       // 26
    "  meshConfig:\n"                                                               // 27
    "    outboundTrafficPolicy:\n"                                                  // 28
    "      mode: REGISTRY_ONLY\n"                                                   // 29
    // Every namespace is injected, so their findings are warnings.
    "  values:\n"                               // 30
    "    sidecarInjectorWebhook:\n"             // 31
    "      enableNamespacesByDefault: true\n";  // 32

struct Run {
  std::vector<Finding> findings;
  MeshModel model;
};

// "line:col rule [inSource|external: reason]" per finding.
std::vector<std::string> Describe(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const Finding& f : findings) {
    std::string s = std::to_string(f.diag.loc.line) + ":" + std::to_string(f.diag.loc.column) +
                    " " + std::string(f.rule_id);
    if (f.suppression)
      s += std::string(" [") +
           (f.suppression->kind == Suppression::Kind::kInSource ? "inSource" : "external") + ": " +
           f.suppression->justification + "]";
    out.push_back(s);
  }
  return out;
}

std::vector<std::string> Suppress(const std::string& manifests, const std::string& config_text,
                                  year_month_day today = Date(2027, 1, 1),
                                  bool inline_enabled = true) {
  MeshModel model = LoadFiles({{"mesh.yaml", manifests}});
  ProjectConfig config;
  EXPECT_TRUE(ParseConfig(config_text, "/p/.meshlint.yaml", config).empty());
  EXPECT_TRUE(ValidateConfig(config).empty());
  RunOptions run;
  std::vector<Finding> findings = RunRules(model, run);
  RunRunPhase(RunContext{model, &config, 7, inline_enabled, today}, run, findings);
  for (const Finding& f : findings)
    if (f.rule_id == "suppression-expired") {
      EXPECT_EQ(f.diag.loc.file, 7u);
    }
  return Describe(findings);
}

using Lines = std::vector<std::string>;

TEST(Suppress, AnnotationWithReasonSuppressesItsRuleOnItsObjectOnly) {
  EXPECT_EQ(Suppress(kMesh, ""),
            (Lines{"4:9 namespace-without-sidecar [inSource: runners need mirrors]",
                   "11:9 namespace-without-sidecar", "19:3 serviceentry-exported-to-all"}));
}

TEST(Suppress, CentralSuppressionMatchesTheWholeObjectName) {
  const std::string config =
      "suppressions:\n"
      "- rule: serviceentry-exported-to-all\n"
      "  object: \"team-.*/ServiceEntry/deb.*\"\n"
      "  reason: shared mirror\n"
      "- rule: namespace-without-sidecar\n"
      "  object: \"team\"\n"  // a partial match is no match
      "  reason: never applies\n";
  EXPECT_EQ(Suppress(kMesh, config),
            (Lines{"4:9 namespace-without-sidecar [inSource: runners need mirrors]",
                   "11:9 namespace-without-sidecar",
                   "19:3 serviceentry-exported-to-all [external: shared mirror]"}));
}

TEST(Suppress, CentralSuppressionWithoutObjectCoversTheRule) {
  EXPECT_EQ(
      Suppress(kMesh, "suppressions:\n- rule: namespace-without-sidecar\n  reason: r\n"),
      (Lines{"4:9 namespace-without-sidecar [inSource: runners need mirrors]",
             "11:9 namespace-without-sidecar [external: r]", "19:3 serviceentry-exported-to-all"}));
}

TEST(Suppress, ClusterScopedObjectsHaveNoNamespacePart) {
  EXPECT_EQ(
      Suppress(kMesh,
               "suppressions:\n- rule: namespace-without-sidecar\n"
               "  object: Namespace/team-b\n  reason: r\n"),
      (Lines{"4:9 namespace-without-sidecar [inSource: runners need mirrors]",
             "11:9 namespace-without-sidecar [external: r]", "19:3 serviceentry-exported-to-all"}));
}

TEST(Suppress, ExpiryIsInclusiveAndThenReported) {
  const std::string config =
      "suppressions:\n"
      "- rule: serviceentry-exported-to-all\n"
      "  reason: shared mirror\n"
      "  expires: 2027-03-31\n";
  EXPECT_EQ(Suppress(kMesh, config, Date(2027, 3, 31)),
            (Lines{"4:9 namespace-without-sidecar [inSource: runners need mirrors]",
                   "11:9 namespace-without-sidecar",
                   "19:3 serviceentry-exported-to-all [external: shared mirror]"}));
  // From the day after, the finding is back and the expiry is reported (its
  // file index 7 is not in this model, so it sorts like a finding without file).
  EXPECT_EQ(Suppress(kMesh, config, Date(2027, 4, 1)),
            (Lines{"4:12 suppression-expired",
                   "4:9 namespace-without-sidecar [inSource: runners need mirrors]",
                   "11:9 namespace-without-sidecar", "19:3 serviceentry-exported-to-all"}));
}

TEST(Suppress, EmptyReasonAndUnknownRuleSuppressNothing) {
  const std::string manifests =
      "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-c\n  annotations:\n"
      "    ignore.meshlint.io/namespace-without-sidecar: \"\"\n"
      "    ignore.meshlint.io/namespace-without-sidcar: \"typo\"\n"
      "    ignore.meshlint.io/: \"no rule\"\n"
      "    other.example.com/owner: team-c\n"
      "    ignore.meshlint.io/suppression-without-reason: \"cannot be suppressed\"\n";
  EXPECT_EQ(Suppress(manifests, ""),
            // The missing mesh config is about the project: no position.
            (Lines{"0:0 mesh-outbound-allow-any", "4:9 namespace-without-sidecar",
                   "6:5 suppression-without-reason", "7:5 suppression-unknown-rule",
                   "8:5 suppression-unknown-rule", "10:5 suppression-unknown-rule"}));
}

TEST(Suppress, DisabledInlineSuppressionsAreIgnoredAndReported) {
  EXPECT_EQ(Suppress(kMesh, "", Date(2027, 1, 1), /*inline_enabled=*/false),
            (Lines{"4:9 namespace-without-sidecar", "6:5 inline-suppression-ignored",
                   "11:9 namespace-without-sidecar", "19:3 serviceentry-exported-to-all"}));
}

TEST(Suppress, InlineWinsOverCentralForTheJustification) {
  EXPECT_EQ(
      Suppress(kMesh, "suppressions:\n- rule: namespace-without-sidecar\n  reason: central\n"),
      (Lines{"4:9 namespace-without-sidecar [inSource: runners need mirrors]",
             "11:9 namespace-without-sidecar [external: central]",
             "19:3 serviceentry-exported-to-all"}));
}

TEST(Suppress, TodayComesFromTheEnvironment) {
  ::setenv("MESHLINT_TODAY", "2030-12-24", 1);
  std::string error;
  EXPECT_EQ(Today(&error), Date(2030, 12, 24));
  ::setenv("MESHLINT_TODAY", "24.12.2030", 1);
  EXPECT_EQ(Today(&error), std::nullopt);
  EXPECT_EQ(error, "MESHLINT_TODAY must be a date written YYYY-MM-DD, not '24.12.2030'");
  ::unsetenv("MESHLINT_TODAY");
  EXPECT_TRUE(Today(&error).has_value());
  EXPECT_EQ(FormatIsoDate(Date(2027, 3, 1)), "2027-03-01");
}

// ---------------------------------------------------------------- the CLI

const char* const kConfig =
    "suppressions:\n"
    "- rule: serviceentry-exported-to-all\n"
    "  object: \"team-b/ServiceEntry/.*\"\n"
    "  reason: \"shared mirror, see PLAT-12\"\n"
    "  expires: 2027-03-31\n"
    "- rule: namespace-without-sidecar\n"
    "  object: Namespace/team-b\n"
    "  reason: \"team-b moves to ambient\"\n";

TEST(SuppressCli, SuppressedFindingsDoNotFailTheGateButAreCounted) {
  TempDir dir;
  dir.Write("mesh.yaml", kMesh);
  dir.Write(".meshlint.yaml", kConfig);
  CommandResult r = RunMeshlint({"lint", ".", "--today", "2027-03-31"}, dir.str());
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("meshlint: no findings, 3 suppressed, in 1 file, 4 objects"),
            std::string::npos)
      << r.err;

  r = RunMeshlint({"lint", ".", "--today", "2027-03-31", "--show-suppressed"}, dir.str());
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(
      r.out.find("mesh.yaml:4:9: warning [namespace-without-sidecar] Namespace 'build-a' has no "
                 "default Sidecar"),
      std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("[suppressed by annotation: runners need mirrors]\n"), std::string::npos);
  EXPECT_NE(r.out.find("[suppressed by config: team-b moves to ambient]\n"), std::string::npos);
  EXPECT_NE(r.out.find("[suppressed by config: shared mirror, see PLAT-12]\n"), std::string::npos);
}

TEST(SuppressCli, ExpiredSuppressionFailsAndSaysSo) {
  TempDir dir;
  dir.Write("mesh.yaml", kMesh);
  dir.Write(".meshlint.yaml", kConfig);
  CommandResult r = RunInProcess({"lint", ".", "--today", "2027-04-01"}, dir.str());
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out,
            ".meshlint.yaml:5:12: warning [suppression-expired] Suppression of "
            "serviceentry-exported-to-all for objects matching 'team-b/ServiceEntry/.*' expired "
            "on 2027-03-31, so those findings are reported again. Fix them, or renew the "
            "suppression with a new expires date and reason.\n"
            "mesh.yaml:19:3: warning [serviceentry-exported-to-all] ServiceEntry 'debian' exports "
            "deb.debian.org to every namespace: it has no exportTo and the mesh default "
            "(defaultServiceExportTo) is \"*\". Add exportTo: [\".\"] or the namespaces that need "
            "it.\n");
  // MESHLINT_TODAY does the same as --today.
  ::setenv("MESHLINT_TODAY", "2027-04-01", 1);
  CommandResult env = RunInProcess({"lint", "."}, dir.str());
  ::unsetenv("MESHLINT_TODAY");
  EXPECT_EQ(env.out, r.out);
  EXPECT_EQ(env.status, 1);
}

TEST(SuppressCli, NoInlineSuppressionsFlagAndConfigKey) {
  TempDir dir;
  dir.Write("mesh.yaml", kMesh);
  const std::string expected =
      "mesh.yaml:4:9: warning [namespace-without-sidecar] Namespace 'build-a' has no default "
      "Sidecar and the root namespace istio-system has none to inherit: the Istio proxies of its "
      "pods import every service exported to namespace 'build-a', including 1 external host. Add a Sidecar without "
      "workloadSelector whose egress hosts list only what it needs (e.g. \"./*\", "
      "\"istio-system/*\").\n"
      "mesh.yaml:6:5: warning [inline-suppression-ignored] Annotation "
      "ignore.meshlint.io/namespace-without-sidecar on Namespace 'build-a' is ignored: in-manifest "
      "suppressions are disabled for this project (--no-inline-suppressions or "
      "inlineSuppressions: false). Fix the finding, or ask for a suppression in the project's "
      ".meshlint.yaml.\n";
  dir.Write(".meshlint.yaml", std::string(kConfig) + "inlineSuppressions: false\n");
  CommandResult r = RunInProcess({"lint", ".", "--today", "2027-01-01"}, dir.str());
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, expected);
  dir.Write(".meshlint.yaml", kConfig);
  r = RunInProcess({"lint", ".", "--today", "2027-01-01", "--no-inline-suppressions"}, dir.str());
  EXPECT_EQ(r.out, expected);
}

TEST(SuppressCli, JsonCarriesTheSuppression) {
  TempDir dir;
  dir.Write("mesh.yaml", kMesh);
  dir.Write(".meshlint.yaml", kConfig);
  CommandResult r = RunInProcess({"lint", ".", "--today", "2027-01-01", "-f", "json"}, dir.str());
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("      \"suppressed\": {\n"
                       "        \"kind\": \"inSource\",\n"
                       "        \"justification\": \"runners need mirrors\"\n"
                       "      }\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("      \"suppressed\": {\n"
                       "        \"kind\": \"external\",\n"
                       "        \"justification\": \"shared mirror, see PLAT-12\"\n"
                       "      }\n"),
            std::string::npos);
  EXPECT_NE(r.out.find("    \"warnings\": 0,\n    \"notes\": 0,\n    \"suppressed\": 3\n"),
            std::string::npos);
}

TEST(SuppressCli, SarifCarriesTheSuppressionAndValidates) {
  TempDir dir;
  dir.Write("mesh.yaml", kMesh);
  dir.Write(".meshlint.yaml", kConfig);
  CommandResult r = RunInProcess({"lint", ".", "--today", "2027-01-01", "-f", "sarif"}, dir.str());
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("          \"suppressions\": [\n"
                       "            {\n"
                       "              \"kind\": \"inSource\",\n"
                       "              \"justification\": \"runners need mirrors\"\n"
                       "            }\n"
                       "          ]\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("              \"kind\": \"external\",\n"
                       "              \"justification\": \"team-b moves to ambient\"\n"),
            std::string::npos);

  const char* multitool = std::getenv("MESHLINT_SARIF_MULTITOOL");
  if (!multitool || !fs::exists(multitool))
    GTEST_SKIP() << "MESHLINT_SARIF_MULTITOOL not set (ci/test sets it): schema not validated";
  dir.Write("out.sarif", r.out);
  const std::string cmd = std::string("cd '") + dir.str() + "' && '" + multitool +
                          "' validate --rule-kind 'Sarif;Gh' -o report.sarif out.sarif "
                          ">/dev/null 2>&1";
  std::system(cmd.c_str());
  const std::string report = ReadFileText(dir.str() + "/report.sarif");
  ASSERT_FALSE(report.empty()) << "the multitool wrote no report";
  EXPECT_EQ(report.find("\"level\": \"error\""), std::string::npos) << report;
  EXPECT_EQ(report.find("\"level\": \"warning\""), std::string::npos) << report;
}

// The config keys are an interface: the example of the issue that defined
// them, verbatim, keeps working.
TEST(SuppressCli, TheDocumentedExampleConfigWorksVerbatim) {
  TempDir dir;
  dir.Write("sc.yaml",
            "apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata:\n  name: default\n"
            "  namespace: build-runners\nspec:\n  egress:\n  - hosts: [\"*/*\"]\n");
  dir.Write(".meshlint.yaml",
            "rules:\n"
            "  namespace-without-sidecar: off          # off | note | warning | error\n"
            "  serviceentry-exported-to-all: error\n"
            "suppressions:\n"
            "- rule: sidecar-egress-wildcard\n"
            "  object: \"build-.*/Sidecar/.*\"           # RE2 over <namespace>/<Kind>/<name>\n"
            "  reason: \"CI runners pull from every mirror\"\n"
            "  expires: 2027-03-31                     # optional\n");
  CommandResult r = RunInProcess({"lint", "sc.yaml", "--today", "2027-03-31", "-q", "--disable",
                                  "mesh-outbound-allow-any", "--show-suppressed"},
                                 dir.str());
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out,
            "sc.yaml:8:13: warning [sidecar-egress-wildcard] Sidecar 'default' egress host "
            "\"*/*\" imports every service exported to its namespace, from every namespace: a "
            "ServiceEntry added by any team reaches these proxies. Name the namespaces instead "
            "(\"./*\", \"istio-system/*\", \"<ns>/<host>\"). [suppressed by config: CI runners "
            "pull from every mirror]\n");
}

TEST(SuppressCli, SuppressionRulesCanBeTurnedOff) {
  TempDir dir;
  dir.Write("ns.yaml",
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n  annotations:\n"
            "    ignore.meshlint.io/nope: \"\"\n");
  dir.Write(".meshlint.yaml",
            "rules:\n  suppression-unknown-rule: off\n  mesh-outbound-allow-any: off\n"
            "  namespace-without-sidecar: off\n");
  CommandResult r = RunInProcess({"lint", "."}, dir.str());
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "");
}

// A finding's suppression is held on the heap (absent, it costs a pointer):
// still a value, copied with the finding and changed on one copy only.
TEST(FindingSuppression, HeldAsAValue) {
  Finding f;
  EXPECT_FALSE(f.suppression);
  f.suppression =
      Suppression{Suppression::Kind::kExternal, "vendor mirror", Location{0, 3, 5, 3, 9}};
  ASSERT_TRUE(f.suppression.has_value());
  Finding copy = f;
  ASSERT_TRUE(copy.suppression);
  copy.suppression->justification = "changed";
  copy.suppression->loc.file = 7;
  EXPECT_EQ(f.suppression->justification, "vendor mirror");
  EXPECT_EQ(f.suppression->loc.file, 0u);
  EXPECT_EQ((*copy.suppression).justification, "changed");
  copy = f;  // assigned back: the same value again, still its own
  EXPECT_EQ(copy.suppression->justification, "vendor mirror");
  EXPECT_NE(&*copy.suppression, &*f.suppression);
  Finding moved = std::move(copy);
  EXPECT_EQ(moved.suppression->loc.line, 3u);
  moved.suppression = std::nullopt;
  EXPECT_FALSE(moved.suppression);
  Finding none;
  f = none;
  EXPECT_FALSE(f.suppression);
  EXPECT_LE(sizeof(f.suppression), sizeof(void*));
}

}  // namespace
}  // namespace meshlint::testing
