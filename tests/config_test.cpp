// The project config: .meshlint.yaml discovery, every key, and every way it can
// be wrong (always an error with file:line:col and exit status 2).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "engine/config.h"
#include "loader/config_file.h"
#include "loader/text.h"
#include "test_util.h"

namespace meshlint::testing {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> Errors(const std::string& text, ProjectConfig* out = nullptr,
                                const std::string& path = "/project/.meshlint.yaml") {
  ProjectConfig config;
  std::vector<ConfigError> errors = ParseConfig(text, path, config);
  if (errors.empty()) errors = ValidateConfig(config);
  std::vector<std::string> lines;
  for (const ConfigError& e : errors)
    lines.push_back(std::to_string(e.loc.line) + ":" + std::to_string(e.loc.column) + ": " +
                    e.message);
  if (out) *out = std::move(config);
  return lines;
}

using Lines = std::vector<std::string>;

const char* const kNamespaceYaml =
    "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a\n  labels: {istio-injection: enabled}\n";

// ---------------------------------------------------------------- parsing

TEST(ConfigParse, EveryKeyIsRead) {
  TempDir dir;
  dir.Write("mesh/istio.yaml", "rootNamespace: istio-system\n");
  dir.Write("policy.yaml", "egress: []\n");
  ProjectConfig c;
  ASSERT_EQ(Errors("rules:\n"
                   "  namespace-without-sidecar: off\n"
                   "  serviceentry-exported-to-all: error\n"
                   "  mesh-config-conflict: note\n"
                   "suppressions:\n"
                   "- rule: namespace-without-sidecar\n"
                   "  object: \"Namespace/build-.*\"\n"
                   "  reason: \"CI runners pull from every mirror\"\n"
                   "  expires: 2027-03-31\n"
                   "- rule: serviceentry-exported-to-all\n"
                   "  reason: shared mirrors\n"
                   "include: [\"manifests/**\"]\n"
                   "exclude:\n"
                   "- manifests/vendor\n"
                   "defaultNamespace: apps\n"
                   "rootNamespace: mesh-root\n"
                   "systemNamespaces: [monitoring, cert-manager]\n"
                   "meshConfig: mesh/istio.yaml\n"
                   "egressPolicy: policy.yaml\n"
                   "failOn: error\n"
                   "inlineSuppressions: false\n",
                   &c, (dir.path() / ".meshlint.yaml").string()),
            Lines{});
  ASSERT_EQ(c.rules.size(), 3u);
  EXPECT_EQ(c.rules.at("namespace-without-sidecar").value, std::nullopt);
  EXPECT_EQ(c.rules.at("serviceentry-exported-to-all").value, Severity::kError);
  EXPECT_EQ(c.rules.at("mesh-config-conflict").value, Severity::kNote);
  EXPECT_EQ(c.rules.at("mesh-config-conflict").loc.line, 4u);
  ASSERT_EQ(c.suppressions.size(), 2u);
  const ConfigSuppression& s = c.suppressions[0];
  EXPECT_EQ(s.rule.value, "namespace-without-sidecar");
  ASSERT_TRUE(s.object);
  EXPECT_EQ(s.object->value, "Namespace/build-.*");
  EXPECT_EQ(s.reason.value, "CI runners pull from every mirror");
  ASSERT_TRUE(s.expires);
  EXPECT_EQ(s.expires->value,
            std::chrono::year_month_day{std::chrono::year{2027} / std::chrono::March / 31});
  EXPECT_EQ(s.expires->loc.line, 9u);
  EXPECT_EQ(s.expires->loc.column, 12u);
  EXPECT_EQ(s.expires->loc.end_column, 22u);
  EXPECT_FALSE(c.suppressions[1].object);
  EXPECT_FALSE(c.suppressions[1].expires);
  ASSERT_EQ(c.include.size(), 1u);
  EXPECT_EQ(c.include[0].value, "manifests/**");
  ASSERT_EQ(c.exclude.size(), 1u);
  EXPECT_EQ(c.exclude[0].value, "manifests/vendor");
  EXPECT_EQ(c.default_namespace->value, "apps");
  EXPECT_EQ(c.root_namespace->value, "mesh-root");
  ASSERT_EQ(c.system_namespaces.size(), 2u);
  EXPECT_EQ(c.system_namespaces[1].value, "cert-manager");
  EXPECT_EQ(c.mesh_config->value, (dir.path() / "mesh/istio.yaml").string());
  ASSERT_TRUE(c.egress_policy);
  EXPECT_FALSE(c.egress_policy->is_inline());
  EXPECT_EQ(c.egress_policy->path, (dir.path() / "policy.yaml").string());
  EXPECT_EQ(c.fail_on->value, Severity::kError);
  EXPECT_FALSE(c.inline_suppressions->value);
  EXPECT_EQ(c.dir, dir.str());
}

TEST(ConfigParse, EmptyFileMeansDefaults) {
  ProjectConfig c;
  EXPECT_EQ(Errors("", &c), Lines{});
  EXPECT_EQ(Errors("# only a comment\n", &c), Lines{});
  EXPECT_TRUE(c.rules.empty());
  EXPECT_FALSE(c.fail_on);
}

TEST(ConfigParse, FailOnNever) {
  ProjectConfig c;
  ASSERT_EQ(Errors("failOn: never\n", &c), Lines{});
  ASSERT_TRUE(c.fail_on);
  EXPECT_EQ(c.fail_on->value, std::nullopt);
}

TEST(ConfigParse, InlineEgressPolicyKeepsItsTextAndPosition) {
  ProjectConfig c;
  ASSERT_EQ(Errors("failOn: error\n"
                   "egressPolicy:\n"
                   "  egress:\n"
                   "  - namespaces: \"payments|checkout\"\n"
                   "    hosts: [\"api.stripe.com\"]\n"
                   "# trailing comment\n"
                   "inlineSuppressions: true\n",
                   &c),
            Lines{});
  ASSERT_TRUE(c.egress_policy);
  EXPECT_TRUE(c.egress_policy->is_inline());
  EXPECT_EQ(c.egress_policy->inline_first_line, 3u);
  EXPECT_EQ(c.egress_policy->inline_text,
            "  egress:\n"
            "  - namespaces: \"payments|checkout\"\n"
            "    hosts: [\"api.stripe.com\"]\n"
            "# trailing comment\n");
  EXPECT_EQ(c.egress_policy->loc.line, 3u);
  EXPECT_EQ(c.egress_policy->loc.column, 3u);
}

TEST(ConfigParse, InlineFlowEgressPolicyKeepsColumns) {
  ProjectConfig c;
  ASSERT_EQ(Errors("egressPolicy: {egress: [{namespaces: \".*\", hosts: [\"*\"]}]}\n", &c),
            Lines{});
  ASSERT_TRUE(c.egress_policy);
  EXPECT_EQ(c.egress_policy->inline_first_line, 1u);
  EXPECT_EQ(c.egress_policy->inline_text,
            "              {egress: [{namespaces: \".*\", hosts: [\"*\"]}]}\n");
}

// ---------------------------------------------------------------- errors

TEST(ConfigErrors, UnknownTopLevelKeySuggestsTheNearOne) {
  EXPECT_EQ(
      Errors("rule:\n  namespace-without-sidecar: off\n"),
      Lines{
          "1:1: unknown key 'rule': did you mean 'rules'? (known keys: defaultNamespace "
          "egressPolicy environments exclude failOn include inlineSuppressions istioVersion meshConfig "
          "rootNamespace rules suppressions systemNamespaces)"});
  EXPECT_EQ(Errors("failon: error\n").at(0).substr(0, 48),
            "1:1: unknown key 'failon': did you mean 'failOn'");
  EXPECT_EQ(
      Errors("colour: blue\n"),
      Lines{
          "1:1: unknown key 'colour' (known keys: defaultNamespace egressPolicy environments exclude "
          "failOn include inlineSuppressions istioVersion meshConfig rootNamespace rules "
          "suppressions systemNamespaces)"});
}

TEST(ConfigErrors, WrongTypes) {
  EXPECT_EQ(Errors("rules:\n- namespace-without-sidecar\n"),
            Lines{"2:1: rules must be a mapping of rule id to off, note, warning or error, not "
                  "a list"});
  EXPECT_EQ(Errors("suppressions: {}\n"),
            Lines{"1:15: suppressions must be a list, not a mapping"});
  EXPECT_EQ(Errors("suppressions:\n- namespace-without-sidecar\n"),
            Lines{"2:3: suppressions[0] must be a mapping with rule, object, reason and optional "
                  "expires, not a string"});
  EXPECT_EQ(Errors("include: \"*.yaml\"\n"), Lines{"1:10: include must be a list, not a string"});
  EXPECT_EQ(Errors("exclude:\n- [a, b]\n"), Lines{"2:3: exclude[0] must be a string, not a list"});
  EXPECT_EQ(Errors("defaultNamespace:\n"),
            Lines{"1:1: defaultNamespace must be a string, not empty"});
  EXPECT_EQ(Errors("systemNamespaces: monitoring\n"),
            Lines{"1:19: systemNamespaces must be a list, not a string"});
  EXPECT_EQ(Errors("egressPolicy: [a]\n"),
            Lines{"1:15: egressPolicy must be a file path or the policy itself (a mapping with "
                  "'egress:'), not a list"});
  EXPECT_EQ(Errors("- rules\n"),
            Lines{"1:1: the config file must be a mapping of settings, not a list"});
  EXPECT_EQ(Errors("rules:\n  namespace-without-sidecar: [off]\n"),
            Lines{"2:30: rules.namespace-without-sidecar must be a string, not a list"});
}

TEST(ConfigErrors, BadValues) {
  EXPECT_EQ(Errors("rules:\n  namespace-without-sidecar: disabled\n"),
            Lines{"2:30: rules.namespace-without-sidecar must be off, note, warning or error, "
                  "not 'disabled'"});
  EXPECT_EQ(Errors("failOn: critical\n"),
            Lines{"1:9: failOn must be error, warning, note or never, not 'critical'"});
  EXPECT_EQ(Errors("inlineSuppressions: no\n"),
            Lines{"1:21: inlineSuppressions must be true or false, not 'no'"});
  EXPECT_EQ(Errors("defaultNamespace: Team_A\n"),
            Lines{"1:19: defaultNamespace 'Team_A' is not a namespace name (lowercase letters, "
                  "digits and '-', at most 63, starting and ending with a letter or digit)"});
  EXPECT_EQ(Errors("systemNamespaces: [ok, -bad]\n").size(), 1u);
  EXPECT_EQ(Errors("include: [\"/abs/*.yaml\"]\n"),
            Lines{"1:11: include[0] '/abs/*.yaml': globs are relative to the config file's "
                  "directory: drop the leading '/'"});
  EXPECT_EQ(Errors("exclude: [\"charts/{a,b}\"]\n"),
            Lines{"1:11: exclude[0] 'charts/{a,b}': '{' is not supported in globs (only *, ? "
                  "and **)"});
  EXPECT_EQ(Errors("meshConfig: missing.yaml\n"),
            Lines{"1:13: meshConfig 'missing.yaml': no such file (paths are relative to the "
                  "config file's directory)"});
  EXPECT_EQ(Errors("egressPolicy: missing.yaml\n"),
            Lines{"1:15: egressPolicy 'missing.yaml': no such file (paths are relative to the "
                  "config file's directory)"});
}

TEST(ConfigErrors, Suppressions) {
  EXPECT_EQ(Errors("suppressions:\n- rule: namespace-without-sidecar\n  object: x\n"),
            Lines{"2:3: suppressions[0] has no 'reason': every suppression records why"});
  EXPECT_EQ(Errors("suppressions:\n- rule: namespace-without-sidecar\n  reason: \"\"\n"),
            Lines{"3:11: suppressions[0].reason must say why the finding is acceptable; an "
                  "empty reason suppresses nothing"});
  EXPECT_EQ(Errors("suppressions:\n- reason: because\n"),
            Lines{"2:3: suppressions[0] has no 'rule'"});
  EXPECT_EQ(Errors("suppressions:\n- rule: namespace-without-sidecar\n  reason: r\n"
                   "  expires: 2027-02-30\n"),
            Lines{"4:12: suppressions[0].expires must be a date written YYYY-MM-DD, not "
                  "'2027-02-30'"});
  EXPECT_EQ(Errors("suppressions:\n- rule: namespace-without-sidecar\n  reason: r\n"
                   "  expires: 31/03/2027\n"),
            Lines{"4:12: suppressions[0].expires must be a date written YYYY-MM-DD, not "
                  "'31/03/2027'"});
  EXPECT_EQ(Errors("suppressions:\n- rule: namespace-without-sidecar\n  reason: r\n"
                   "  namespace: build\n"),
            Lines{"4:3: unknown key 'namespace' in suppressions[0] (known keys: expires object "
                  "reason rule)"});
  EXPECT_EQ(Errors("suppressions:\n- rule: namespace-without-sidecar\n  reason: r\n"
                   "  reasn: typo\n"),
            Lines{"4:3: unknown key 'reasn' in suppressions[0]: did you mean 'reason'? (known "
                  "keys: expires object reason rule)"});
}

TEST(ConfigErrors, DuplicateKeysAndSyntax) {
  EXPECT_EQ(Errors("failOn: error\nfailOn: note\n"),
            Lines{"2:1: duplicate key 'failOn' (first at line 1)"});
  EXPECT_EQ(Errors("rules: [\n").size(), 1u);
  EXPECT_EQ(Errors("rules: [\n").at(0).substr(0, 24), "2:1: YAML syntax error: ");
  EXPECT_EQ(Errors("failOn: error\n---\nfailOn: note\n"),
            Lines{"3:1: the config file must hold one YAML document, not 2"});
}

TEST(ConfigErrors, HostileInputIsAnErrorNotACrash) {
  EXPECT_EQ(Errors(std::string(100000, '[')),
            Lines{"1:1001: brackets nested more than 1000 deep: not parsed"});
  EXPECT_EQ(Errors(std::string("failOn: error\n\0", 15)),
            Lines{"2:1: binary file (NUL byte): not a YAML or JSON manifest"});
}

TEST(ConfigErrors, AllProblemsAreReportedNotOnlyTheFirst) {
  EXPECT_EQ(
      Errors("colour: blue\nfailOn: sometimes\nrules:\n  namespace-without-sidecar: on\n"),
      (Lines{
          "1:1: unknown key 'colour' (known keys: defaultNamespace egressPolicy environments exclude "
          "failOn include inlineSuppressions istioVersion meshConfig rootNamespace rules "
          "suppressions systemNamespaces)",
          "2:9: failOn must be error, warning, note or never, not 'sometimes'",
          "4:30: rules.namespace-without-sidecar must be off, note, warning or error, "
          "not 'on'"}));
}

TEST(ConfigErrors, UnknownRulesAndBadPatternsNeedTheEngine) {
  EXPECT_EQ(Errors("rules:\n  namespace-without-sidecars: off\n"),
            Lines{"2:3: rules: 'namespace-without-sidecars' is not a meshlint rule (see "
                  "'meshlint rules')"});
  EXPECT_EQ(Errors("suppressions:\n- rule: no-such-rule\n  reason: r\n"),
            Lines{"2:9: suppression rule 'no-such-rule' is not a meshlint rule (see 'meshlint "
                  "rules')"});
  EXPECT_EQ(Errors("suppressions:\n- rule: suppression-expired\n  reason: r\n"),
            Lines{"2:9: suppression rule 'suppression-expired' reports on suppressions and "
                  "cannot be suppressed; turn it off under rules: instead"});
  EXPECT_EQ(Errors("suppressions:\n- rule: namespace-without-sidecar\n  object: \"build-(.*\"\n"
                   "  reason: r\n"),
            Lines{"3:11: suppression object 'build-(.*' is not a valid RE2 pattern: missing ): "
                  "build-(.*"});
}

// ---------------------------------------------------------------- globs

TEST(Globs, Match) {
  EXPECT_TRUE(GlobMatch("*.yaml", "a.yaml"));
  EXPECT_FALSE(GlobMatch("*.yaml", "dir/a.yaml"));
  EXPECT_TRUE(GlobMatch("**/*.yaml", "a.yaml"));
  EXPECT_TRUE(GlobMatch("**/*.yaml", "dir/sub/a.yaml"));
  EXPECT_TRUE(GlobMatch("manifests/**", "manifests/a/b.yaml"));
  EXPECT_TRUE(GlobMatch("vendor", "vendor/x/y.yaml"));  // a directory covers what is below
  EXPECT_TRUE(GlobMatch("vendor/", "vendor/y.yaml"));
  EXPECT_FALSE(GlobMatch("vendor", "vendored/y.yaml"));
  EXPECT_TRUE(GlobMatch("charts/*/templates", "charts/web/templates/d.yaml"));
  EXPECT_FALSE(GlobMatch("charts/*/templates", "charts/web/x/templates/d.yaml"));
  EXPECT_TRUE(GlobMatch("a/**/b.yaml", "a/b.yaml"));
  EXPECT_TRUE(GlobMatch("a/**/b.yaml", "a/x/y/b.yaml"));
  EXPECT_TRUE(GlobMatch("se-?.yaml", "se-1.yaml"));
  EXPECT_FALSE(GlobMatch("se-?.yaml", "se-12.yaml"));
  EXPECT_TRUE(GlobMatch("*test*", "my-test-file.yaml"));
}

TEST(Globs, Problems) {
  EXPECT_EQ(GlobProblem("ok/**/x*.yaml"), std::nullopt);
  EXPECT_EQ(GlobProblem("a**"), "'**' must be a whole path segment (a/**/b.yaml), not part of one");
  EXPECT_EQ(GlobProblem("../x"),
            "'.' and '..' segments are not supported: write the path from "
            "the config file's directory");
  EXPECT_EQ(GlobProblem("a//b"), "a glob must not contain '//'");
  EXPECT_EQ(GlobProblem("[ab].yaml"), "'[' is not supported in globs (only *, ? and **)");
  EXPECT_EQ(GlobProblem(""), "an empty glob matches nothing");
}

// ---------------------------------------------------------------- discovery

TEST(ConfigDiscovery, NearestParentUpToTheRepositoryRoot) {
  TempDir dir;
  fs::create_directories(dir.path() / "repo/.git");
  dir.Write("repo/.meshlint.yaml", "");
  dir.Write("repo/team/.meshlint.yaml", "");
  fs::create_directories(dir.path() / "repo/team/app/deep");
  fs::create_directories(dir.path() / "repo/other");
  EXPECT_EQ(FindConfigFile((dir.path() / "repo/team/app/deep").string()),
            (dir.path() / "repo/team/.meshlint.yaml").string());
  EXPECT_EQ(FindConfigFile((dir.path() / "repo/other").string()),
            (dir.path() / "repo/.meshlint.yaml").string());
  EXPECT_EQ(FindConfigFile((dir.path() / "repo").string()),
            (dir.path() / "repo/.meshlint.yaml").string());
}

TEST(ConfigDiscovery, NeverAboveTheRepositoryRoot) {
  TempDir dir;
  dir.Write(".meshlint.yaml", "");  // outside the repository
  fs::create_directories(dir.path() / "repo/sub");
  dir.Write("repo/.git", "gitdir: /elsewhere\n");  // a worktree's .git is a file
  EXPECT_EQ(FindConfigFile((dir.path() / "repo/sub").string()), std::nullopt);
}

TEST(ConfigDiscovery, OutsideARepositoryOnlyTheDirectoryItself) {
  TempDir dir;
  dir.Write(".meshlint.yaml", "");
  fs::create_directories(dir.path() / "sub");
  EXPECT_EQ(FindConfigFile(dir.str()), (dir.path() / ".meshlint.yaml").string());
  EXPECT_EQ(FindConfigFile((dir.path() / "sub").string()), std::nullopt);
}

// ---------------------------------------------------------------- the CLI

TEST(ConfigCli, ErrorsStopTheRunWithFileLineColumn) {
  TempDir dir;
  dir.Write("ns.yaml", kNamespaceYaml);
  dir.Write(".meshlint.yaml", "rules:\n  namespace-without-sidecar: of\nfailOn: sometimes\n");
  CommandResult r = RunMeshlint({"lint", "."}, dir.str());
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "meshlint: .meshlint.yaml:2:30: rules.namespace-without-sidecar must be off, note, "
            "warning or error, not 'of'\n"
            "meshlint: .meshlint.yaml:3:9: failOn must be error, warning, note or never, not "
            "'sometimes'\n");
}

TEST(ConfigCli, FoundInAParentDirectoryOfTheRepository) {
  TempDir dir;
  fs::create_directories(dir.path() / ".git");
  dir.Write(".meshlint.yaml", "colour: blue\n");
  dir.Write("k8s/ns.yaml", kNamespaceYaml);
  CommandResult r = RunInProcess({"lint", "."}, (dir.path() / "k8s").string());
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err.substr(0, 56), "meshlint: ../.meshlint.yaml:1:1: unknown key 'colour' (k");
}

TEST(ConfigCli, ExplicitConfigAndNoConfig) {
  TempDir dir;
  dir.Write("ns.yaml", kNamespaceYaml);
  dir.Write(".meshlint.yaml", "colour: blue\n");
  dir.Write("ci/strict.yaml",
            "rules:\n  mesh-outbound-allow-any: off\n"
            "  namespace-without-sidecar: error\n");
  CommandResult r =
      RunInProcess({"lint", "ns.yaml", "--config", "ci/strict.yaml", "-q"}, dir.str());
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_EQ(r.out.substr(0, 52), "ns.yaml:4:9: error [namespace-without-sidecar] Names");
  EXPECT_EQ(r.out.find("mesh-outbound-allow-any"), std::string::npos);

  r = RunInProcess({"lint", "ns.yaml", "--no-config", "-q"}, dir.str());
  EXPECT_EQ(r.status, 1) << r.err;
  // No Istio installation among the inputs (an application repository):
  // the missing mesh config is a level lower.
  // About the project: no file, first.
  EXPECT_TRUE(r.out.starts_with("warning [mesh-outbound-allow-any] No mesh config")) << r.out;
  EXPECT_NE(r.out.find("ns.yaml:4:9: warning [namespace-without-sidecar]"), std::string::npos);

  r = RunInProcess({"lint", ".", "--config", "nope.yaml"}, dir.str());
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err, "meshlint: nope.yaml: no such config file\n");
}

TEST(ConfigCli, FailOnFromConfigAndFlagsWin) {
  TempDir dir;
  dir.Write("ns.yaml", kNamespaceYaml);
  dir.Write(".meshlint.yaml", "rules:\n  mesh-outbound-allow-any: off\nfailOn: error\n");
  // An Istio installation without mesh config: ALLOW_ANY, certainly.
  dir.Write("istio.yaml",
            "apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\n"
            "metadata:\n  name: istio\n  namespace: istio-system\n");
  // Only a warning remains: failOn error passes it.
  CommandResult r = RunInProcess({"lint", ".", "-q"}, dir.str());
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("[namespace-without-sidecar]"), std::string::npos);
  // The flag wins over the config.
  r = RunInProcess({"lint", ".", "-q", "--fail-on", "warning"}, dir.str());
  EXPECT_EQ(r.status, 1);
  // --severity wins over rules:.
  r = RunInProcess({"lint", ".", "-q", "--severity", "mesh-outbound-allow-any=error"}, dir.str());
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find("[mesh-outbound-allow-any]"), std::string::npos);
}

TEST(ConfigCli, DefaultNamespaceAndItsFlag) {
  TempDir dir;
  dir.Write("se.yaml",
            "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: debian\n"
            "spec:\n  hosts: [deb.debian.org]\n  exportTo: [\".\"]\n");
  dir.Write(".meshlint.yaml", "defaultNamespace: apps\nrules:\n  mesh-outbound-allow-any: off\n");
  CommandResult r = RunInProcess({"lint", ".", "-q", "-f", "json"}, dir.str());
  EXPECT_NE(r.out.find("Namespace 'apps' (no Namespace manifest"), std::string::npos) << r.out;
  r = RunInProcess({"lint", ".", "-q", "--default-namespace", "web"}, dir.str());
  EXPECT_NE(r.out.find("Namespace 'web' (no Namespace manifest"), std::string::npos) << r.out;
}

TEST(ConfigCli, RootNamespaceMakesItsSidecarTheDefault) {
  TempDir dir;
  dir.Write("ns.yaml", kNamespaceYaml);
  dir.Write("root.yaml",
            "apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata:\n  name: default\n"
            "  namespace: mesh-root\nspec:\n  egress:\n  - hosts: [\"./*\"]\n");
  dir.Write(".meshlint.yaml", "rules:\n  mesh-outbound-allow-any: off\n");
  CommandResult r = RunInProcess({"lint", ".", "-q"}, dir.str());
  // With istio-system as the root, mesh-root is an ordinary namespace and
  // team-a has no Sidecar.
  EXPECT_NE(r.out.find("ns.yaml:4:9: warning [namespace-without-sidecar] Namespace 'team-a'"),
            std::string::npos)
      << r.out;
  dir.Write(".meshlint.yaml", "rootNamespace: mesh-root\nrules:\n  mesh-outbound-allow-any: off\n");
  r = RunInProcess({"lint", ".", "-q"}, dir.str());
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_EQ(r.out, "");
}

TEST(ConfigCli, RootNamespaceDisagreeingWithTheMeshConfigIsAConflict) {
  TempDir dir;
  dir.Write("mesh.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: istio\n  namespace: istio-system\n"
            "data:\n  mesh: |\n    rootNamespace: istio-config\n"
            "    outboundTrafficPolicy:\n      mode: REGISTRY_ONLY\n");
  dir.Write(".meshlint.yaml", "rootNamespace: mesh-root\n");
  CommandResult r = RunInProcess({"lint", ".", "-q"}, dir.str());
  EXPECT_EQ(r.out,
            "mesh.yaml:8:20: warning [mesh-config-conflict] Mesh config sources disagree on "
            "rootNamespace: ConfigMap istio-system/istio sets istio-config, .meshlint.yaml "
            "rootNamespace (.meshlint.yaml:1) sets mesh-root. meshlint uses mesh-root; keep one "
            "source of truth for the mesh config.\n");
}

TEST(ConfigCli, SystemNamespacesAreLeftAlone) {
  TempDir dir;
  dir.Write("ns.yaml", std::string(kNamespaceYaml) +
                           "---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: monitoring\n");
  dir.Write(".meshlint.yaml",
            "systemNamespaces: [monitoring]\nrules:\n  mesh-outbound-allow-any: off\n");
  CommandResult r = RunInProcess({"lint", ".", "-q"}, dir.str());
  EXPECT_NE(r.out.find("Namespace 'team-a'"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("Namespace 'monitoring'"), std::string::npos) << r.out;
}

TEST(ConfigCli, IncludeAndExcludeGlobs) {
  TempDir dir;
  dir.Write("manifests/a/ns.yaml", kNamespaceYaml);
  dir.Write(
      "manifests/vendor/ns.yaml",
      "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: vendor-ns\n  labels: {istio-injection: enabled}\n");
  dir.Write(
      "docs/example.yaml",
      "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: doc-ns\n  labels: {istio-injection: enabled}\n");
  dir.Write(".meshlint.yaml",
            "include: [\"manifests/**\"]\nexclude: [manifests/vendor]\n"
            "rules:\n  mesh-outbound-allow-any: off\n");
  CommandResult r = RunInProcess({"lint", "."}, dir.str());
  EXPECT_EQ(
      r.out,
      "manifests/a/ns.yaml:4:9: warning [namespace-without-sidecar] Namespace 'team-a' has "
      "no default Sidecar and the root namespace istio-system has none to inherit: the Istio "
      "proxies of its pods import every service exported to namespace 'team-a'. Add a Sidecar without workloadSelector whose "
      "egress hosts list only what it needs (e.g. \"./*\", \"istio-system/*\").\n");
  EXPECT_NE(r.err.find(" in 1 file, 1 object"), std::string::npos) << r.err;
  // Named files are filtered the same way (pre-commit names excluded files too).
  r = RunInProcess({"lint", "manifests/vendor/ns.yaml", "docs/example.yaml"}, dir.str());
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.status, 0);
}

TEST(ConfigCli, MeshConfigPathIsRelativeToTheConfigFile) {
  TempDir dir;
  fs::create_directories(dir.path() / ".git");
  dir.Write("istio/mesh.yaml", "outboundTrafficPolicy:\n  mode: REGISTRY_ONLY\n");
  dir.Write("apps/ns.yaml", kNamespaceYaml);
  dir.Write(".meshlint.yaml",
            "meshConfig: istio/mesh.yaml\nrules:\n  namespace-without-sidecar: off\n");
  CommandResult r = RunInProcess({"lint", "."}, (dir.path() / "apps").string());
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_EQ(r.out, "");
  // Without it the mesh is ALLOW_ANY.
  r = RunInProcess({"lint", ".", "--no-config"}, (dir.path() / "apps").string());
  EXPECT_NE(r.out.find("[mesh-outbound-allow-any]"), std::string::npos);
}

TEST(ConfigCli, ConfigFileIsNotLintedAsAManifest) {
  TempDir dir;
  dir.Write("ns.yaml", kNamespaceYaml);
  dir.Write(".meshlint.yaml", "failOn: never\n");
  CommandResult r = RunInProcess({"lint", "."}, dir.str());
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.err.find("in 1 file, 1 object ("), std::string::npos) << r.err;
}

TEST(ConfigCli, TodayMustBeADate) {
  TempDir dir;
  dir.Write("ns.yaml", kNamespaceYaml);
  CommandResult r = RunInProcess({"lint", ".", "--today", "tomorrow"}, dir.str());
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err,
            "meshlint: --today must be a date written YYYY-MM-DD, got 'tomorrow'\n"
            "(run 'meshlint --help')\n");
}

}  // namespace
}  // namespace meshlint::testing

namespace meshlint::testing {
namespace {

// The egress audit's policy, from the config: by path, inline, or overridden
// by --policy.
void WriteEgressProject(const TempDir& dir) {
  dir.Write("istio.yaml",
            "apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nmetadata:\n"
            "  name: installed-state\n  namespace: istio-system\nspec:\n  meshConfig:\n"
            "    outboundTrafficPolicy:\n      mode: REGISTRY_ONLY\n");
  dir.Write(
      "debian.yaml",
      "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n"
      "  name: debian-org\n  namespace: default\nspec:\n  hosts:\n  - deb.debian.org\n"
      "  location: MESH_EXTERNAL\n  ports:\n  - {number: 443, name: https, protocol: HTTPS}\n");
  dir.Write("ns.yaml",
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: newguy\n"
            "  labels:\n    istio-injection: enabled\n");
}

const char* const kEgressFinding =
    "debian.yaml:8:5: error [egress-not-allowed] Namespaces istio-system and newguy can reach "
    "deb.debian.org through ServiceEntry default/debian-org, which the egress policy does not "
    "allow. Narrow its exportTo or the importing Sidecar's egress hosts, or allow the pair in "
    "the policy.\n";

std::string EgressLines(const std::string& out) {
  std::string lines;
  std::size_t pos = 0;
  while (pos < out.size()) {
    std::size_t eol = out.find('\n', pos);
    if (eol == std::string::npos) eol = out.size();
    std::string line = out.substr(pos, eol - pos);
    if (line.find(" [egress-not-allowed] ") != std::string::npos) lines += line + "\n";
    pos = eol + 1;
  }
  return lines;
}

TEST(ConfigEgressPolicy, ByPathInlineAndOverriddenByTheFlag) {
  TempDir dir;
  WriteEgressProject(dir);
  dir.Write("policy/egress.yaml", "egress:\n- namespaces: default\n  hosts: [\"*.debian.org\"]\n");
  dir.Write(".meshlint.yaml", "egressPolicy: policy/egress.yaml\n");
  CommandResult r = RunInProcess({"lint", ".", "-q"}, dir.str());
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_EQ(EgressLines(r.out), kEgressFinding);

  dir.Write(".meshlint.yaml",
            "failOn: error\n"
            "egressPolicy:\n"
            "  egress:\n"
            "  - namespaces: default\n"
            "    hosts: [\"*.debian.org\"]\n");
  r = RunInProcess({"lint", ".", "-q"}, dir.str());
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_EQ(EgressLines(r.out), kEgressFinding);

  // --policy wins over the config.
  dir.Write("allow-all.yaml", "egress:\n- namespaces: \".*\"\n  hosts: [\"*\"]\n");
  r = RunInProcess({"lint", ".", "-q", "--policy", "allow-all.yaml"}, dir.str());
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_EQ(EgressLines(r.out), "");
  // No policy: the rule has nothing to check.
  r = RunInProcess({"lint", ".", "-q", "--no-config"}, dir.str());
  EXPECT_EQ(EgressLines(r.out), "");
}

TEST(ConfigEgressPolicy, ErrorsInAnInlinePolicyPointIntoTheConfig) {
  TempDir dir;
  WriteEgressProject(dir);
  dir.Write(".meshlint.yaml",
            "failOn: error\n"
            "egressPolicy:\n"
            "  egress:\n"
            "  - namespaces: \"(default\"\n"
            "    hosts: [\"*.debian.org\"]\n");
  CommandResult r = RunInProcess({"lint", ".", "-q"}, dir.str());
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "meshlint: .meshlint.yaml:4:17: invalid namespace pattern \"(default\": missing ): "
            "(?:(default) (RE2 syntax, matched against the whole name)\n");
}

TEST(ConfigEgressPolicy, TheEgressCommandUsesTheConfig) {
  TempDir dir;
  WriteEgressProject(dir);
  dir.Write(".meshlint.yaml",
            "egressPolicy:\n  egress:\n  - namespaces: default\n    hosts: [\"*.debian.org\"]\n");
  CommandResult r = RunInProcess({"egress", "."}, dir.str());
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.out.find("NOT ALLOWED by policy for istio-system, newguy"), std::string::npos)
      << r.out;
  r = RunInProcess({"egress", ".", "--no-config"}, dir.str());
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out.find("NOT ALLOWED"), std::string::npos) << r.out;
  // A broken config stops egress too.
  dir.Write(".meshlint.yaml", "egressPolicy: 7\n");
  r = RunInProcess({"egress", "."}, dir.str());
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err,
            "meshlint: .meshlint.yaml:1:15: egressPolicy '7': no such file (paths are relative "
            "to the config file's directory)\n");
}

}  // namespace
}  // namespace meshlint::testing
