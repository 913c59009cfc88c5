// The GitHub Action (action.yml) and the workflow examples: valid for
// GitHub's schemas (action-validator, installed by ci/setup --for-tests), and
// the steps of ci/github-action doing what the inputs say when run here with
// the environment GitHub gives them.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <regex>
#include <string>

#include "shell_run.h"
#include "test_util.h"

namespace meshlint::testing {
namespace {

namespace fs = std::filesystem;

const char* const kGithubFiles[] = {"action.yml", "ci/github-actions.yml",
                                    "ci/github-code-scanning-upload.yml"};

std::string Validator() { return NpmTool("MESHLINT_ACTION_VALIDATOR", "action-validator"); }

#define REQUIRE_VALIDATOR()                                                                    \
  if (Validator().empty())                                                                     \
  GTEST_SKIP() << "action-validator not found: set MESHLINT_ACTION_VALIDATOR or run ci/setup " \
                  "--for-tests (installs @action-validator/cli into .tools/)"

TEST(GithubAction, ActionAndWorkflowsMatchGithubsSchemas) {
  REQUIRE_VALIDATOR();
  for (const char* file : kGithubFiles) {
    ShellResult r =
        RunShell("cd " + ShellQuote(SourceDir()) + " && " + ShellQuote(Validator()) + " " + file);
    EXPECT_EQ(r.status, 0) << file << "\n" << r.out << r.err;
  }
}

TEST(GithubAction, TheValidatorRejectsBrokenFiles) {
  // So that the test above can fail: an action without steps, a job with a
  // misspelt key.
  REQUIRE_VALIDATOR();
  TempDir dir;
  dir.Write("action.yml", "name: x\ndescription: y\nruns:\n  using: composite\n  stepz: []\n");
  dir.Write("workflow.yml",
            "on: push\njobs:\n  lint:\n    runs-on: ubuntu-latest\n    step:\n    - run: true\n");
  for (const char* file : {"action.yml", "workflow.yml"}) {
    ShellResult r =
        RunShell("cd " + ShellQuote(dir.str()) + " && " + ShellQuote(Validator()) + " " + file);
    EXPECT_EQ(r.status, 1) << file << "\n" << r.out << r.err;
    EXPECT_NE((r.out + r.err).find("Additional property"), std::string::npos) << r.out << r.err;
  }
}

TEST(GithubAction, DeclaresTheInputsTheDocsName) {
  const std::string action = ReadFileText(SourceDir() + "/action.yml");
  EXPECT_NE(action.find("\n  using: composite\n"), std::string::npos);
  for (const char* input : {"paths", "format", "fail-on", "config", "baseline", "sarif-file",
                            "upload-sarif", "automation-id", "args"}) {
    EXPECT_NE(action.find("\n  " + std::string(input) + ":\n"), std::string::npos) << input;
    EXPECT_NE(
        ReadFileText(SourceDir() + "/docs/ci-integration.md").find("`" + std::string(input) + "`"),
        std::string::npos)
        << "docs/ci-integration.md does not describe the input " << input;
  }
  EXPECT_NE(action.find("uses: actions/cache/restore@v"), std::string::npos);
  EXPECT_NE(action.find("uses: actions/cache/save@v"), std::string::npos);
  EXPECT_NE(action.find("uses: github/codeql-action/upload-sarif@v"), std::string::npos);
  // The example workflow uses the action rather than building by hand.
  const std::string workflow = ReadFileText(SourceDir() + "/ci/github-actions.yml");
  EXPECT_NE(workflow.find("uses: meshlint/meshlint@"), std::string::npos);
  EXPECT_NE(workflow.find("security-events: write"), std::string::npos);
  EXPECT_NE(workflow.find("contents: read"), std::string::npos);
}

TEST(GithubAction, EveryOptionItPassesIsALintOption) {
  const std::string help = RunMeshlint({"lint", "--help"}, SourceDir()).out;
  const std::regex option(R"([\s(](--[a-z][a-z-]+))");
  for (const char* file :
       {"ci/github-action", "action.yml", "ci/github-code-scanning-upload.yml"}) {
    const std::string text = ReadFileText(SourceDir() + "/" + file);
    for (std::sregex_iterator it(text.begin(), text.end(), option), end; it != end; ++it) {
      const std::string opt = (*it)[1];
      // Not meshlint lint's: the binary's own, cmake's and git's.
      if (opt == "--version" || opt == "--target" || opt == "--build" || opt == "--show-toplevel")
        continue;
      EXPECT_NE(help.find(" " + opt + " "), std::string::npos) << file << ": " << opt;
    }
  }
}

// ------------------------------------------------------------ the steps

// A workspace with one hole of each kind, as a repository checkout.
void WriteWorkspace(const TempDir& dir) {
  dir.Write("deploy/mesh.yaml",
            "apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nmetadata:\n"
            "  name: istio\n  namespace: istio-system\nspec:\n  meshConfig:\n"
            "    outboundTrafficPolicy:\n      mode: REGISTRY_ONLY\n");
  dir.Write("deploy/se.yaml",
            "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: debian\n"
            "  namespace: team-b\nspec:\n  hosts: [deb.debian.org]\n");
  dir.Write(
      "deploy/ns.yaml",
      "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-b\n  labels: {istio-injection: enabled}\n");
}

struct StepResult {
  ShellResult shell;
  std::map<std::string, std::string> outputs;  // what the step wrote to $GITHUB_OUTPUT
};

StepResult RunStep(const std::string& step, const TempDir& dir,
                   const std::map<std::string, std::string>& env) {
  const std::string output_file = (dir.path() / "github-output").string();
  std::error_code ec;
  fs::remove(output_file, ec);
  std::string script = "cd " + ShellQuote(dir.str()) +
                       "\nexport GITHUB_OUTPUT=" + ShellQuote(output_file) +
                       "\nexport MESHLINT=" + ShellQuote(MESHLINT_BINARY) + "\n";
  for (const auto& [name, value] : env) script += "export " + name + "=" + ShellQuote(value) + "\n";
  script += ShellQuote(SourceDir() + "/ci/github-action") + " " + step + "\n";
  StepResult r;
  r.shell = RunShell(script);
  const std::string text = ReadFileText(output_file);
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string::npos) eol = text.size();
    const std::string line = text.substr(pos, eol - pos);
    const std::size_t eq = line.find('=');
    if (eq != std::string::npos) r.outputs[line.substr(0, eq)] = line.substr(eq + 1);
    pos = eol + 1;
  }
  return r;
}

// The inputs as action.yml passes them with their defaults.
std::map<std::string, std::string> Defaults() {
  return {{"INPUT_PATHS", "."},
          {"INPUT_FORMAT", "github"},
          {"INPUT_FAIL_ON", "warning"},
          {"INPUT_CONFIG", ""},
          {"INPUT_BASELINE", ".meshlint-baseline.json"},
          {"INPUT_SARIF_FILE", "meshlint.sarif"},
          {"INPUT_UPLOAD_SARIF", "true"},
          {"INPUT_AUTOMATION_ID", "meshlint/"},
          {"INPUT_ARGS", ""},
          {"GITHUB_EVENT_NAME", "push"},
          {"GITHUB_REPOSITORY", "acme/platform"},
          {"PR_HEAD_REPO", ""}};
}

TEST(GithubActionSteps, LintWithTheDefaults) {
  TempDir dir;
  WriteWorkspace(dir);
  StepResult r = RunStep("lint", dir, Defaults());
  EXPECT_EQ(r.shell.status, 0) << r.shell.out << r.shell.err;  // the gate step fails, not this
  EXPECT_EQ(r.outputs["exit-code"], "1");
  EXPECT_EQ(r.outputs["sarif-file"], "meshlint.sarif");
  EXPECT_EQ(r.outputs["upload"], "true");
  EXPECT_NE(r.shell.out.find("meshlint lint . --format github --fail-on warning --report "
                             "sarif=meshlint.sarif --automation-id meshlint/\n"),
            std::string::npos)
      << r.shell.out;
  EXPECT_NE(r.shell.out.find("::warning file=deploy/se.yaml,line=7,col=3,"), std::string::npos)
      << r.shell.out;
  EXPECT_NE(r.shell.out.find("::warning file=deploy/ns.yaml,line=4,col=9,"), std::string::npos)
      << r.shell.out;
  const std::string sarif = ReadFileText((dir.path() / "meshlint.sarif").string());
  EXPECT_NE(sarif.find("\"id\": \"meshlint/\""), std::string::npos) << sarif.substr(0, 400);
  EXPECT_NE(sarif.find("\"uri\": \"deploy/se.yaml\""), std::string::npos);
}

TEST(GithubActionSteps, InputsBecomeOptions) {
  TempDir dir;
  WriteWorkspace(dir);
  dir.Write("lint.yaml", "rules:\n  namespace-without-sidecar: off\n");
  auto env = Defaults();
  env["INPUT_PATHS"] = "deploy/se.yaml\n  deploy/ns.yaml";
  env["INPUT_FORMAT"] = "text";
  env["INPUT_FAIL_ON"] = "warning";
  env["INPUT_CONFIG"] = "lint.yaml";
  env["INPUT_SARIF_FILE"] = "";
  env["INPUT_AUTOMATION_ID"] = "";
  env["INPUT_ARGS"] = "--disable serviceentry-exported-to-all -q";
  StepResult r = RunStep("lint", dir, env);
  EXPECT_EQ(r.shell.status, 0) << r.shell.err;
  // Only the named files: no mesh config among them, so the mesh-wide
  // finding, the one left with these settings (a warning: the files
  // install no Istio).
  EXPECT_EQ(r.shell.out,
            "meshlint lint deploy/se.yaml deploy/ns.yaml --format text --fail-on warning --config "
            "lint.yaml --disable serviceentry-exported-to-all -q\n"
            "warning [mesh-outbound-allow-any] No mesh config was found "
            "(IstioOperator spec.meshConfig, ConfigMap istio data.mesh, or --mesh-config FILE), "
            "so Istio's default outboundTrafficPolicy ALLOW_ANY applies: every sidecar passes "
            "traffic to any external host. Add the mesh config to the inputs or pass "
            "--mesh-config. The inputs install no Istio (an application repository?): pass the "
            "cluster's mesh config with --mesh-config to judge it.\n");
  EXPECT_EQ(r.outputs["exit-code"], "1");
  EXPECT_EQ(r.outputs.count("sarif-file"), 0u);
  EXPECT_EQ(r.outputs["upload"], "false");
  EXPECT_FALSE(fs::exists(dir.path() / "meshlint.sarif"));

  // config: none ignores .meshlint.yaml; a path with shell syntax is a path.
  dir.Write(".meshlint.yaml", "rules: [broken\n");
  env = Defaults();
  env["INPUT_CONFIG"] = "none";
  env["INPUT_PATHS"] = "deploy/ns.yaml";
  env["INPUT_SARIF_FILE"] = "";
  env["INPUT_ARGS"] = "-q";
  r = RunStep("lint", dir, env);
  EXPECT_EQ(r.outputs["exit-code"], "1") << r.shell.out << r.shell.err;
  env["INPUT_PATHS"] = "$(touch pwned) deploy/*.yaml";
  r = RunStep("lint", dir, env);
  EXPECT_FALSE(fs::exists(dir.path() / "pwned"));
  EXPECT_EQ(r.outputs["exit-code"], "2") << r.shell.out << r.shell.err;
  EXPECT_NE(r.shell.err.find("meshlint: $(touch: "), std::string::npos) << r.shell.err;
}

TEST(GithubActionSteps, TheBaselineIsUsedWhenPresent) {
  TempDir dir;
  WriteWorkspace(dir);
  auto env = Defaults();
  env["INPUT_SARIF_FILE"] = "";
  ASSERT_EQ(
      RunMeshlint({"lint", ".", "--write-baseline", ".meshlint-baseline.json", "-q"}, dir.str())
          .status,
      0);
  StepResult r = RunStep("lint", dir, env);
  EXPECT_EQ(r.outputs["exit-code"], "0") << r.shell.out;
  EXPECT_NE(r.shell.out.find("--baseline .meshlint-baseline.json"), std::string::npos);
  // Named explicitly, a missing baseline is an error, not ignored.
  env["INPUT_BASELINE"] = "ci/accepted.json";
  r = RunStep("lint", dir, env);
  EXPECT_EQ(r.outputs["exit-code"], "2") << r.shell.out;
  // The default name, absent: linted without one.
  fs::remove(dir.path() / ".meshlint-baseline.json");
  env = Defaults();
  r = RunStep("lint", dir, env);
  EXPECT_EQ(r.outputs["exit-code"], "1");
  EXPECT_EQ(r.shell.out.find("--baseline"), std::string::npos) << r.shell.out;
}

TEST(GithubActionSteps, NoUploadForPullRequestsFromForks) {
  TempDir dir;
  WriteWorkspace(dir);
  auto env = Defaults();
  env["GITHUB_EVENT_NAME"] = "pull_request";
  env["PR_HEAD_REPO"] = "acme/platform";  // a branch of the same repository
  StepResult r = RunStep("lint", dir, env);
  EXPECT_EQ(r.outputs["upload"], "true");
  env["PR_HEAD_REPO"] = "stranger/platform";
  r = RunStep("lint", dir, env);
  EXPECT_EQ(r.outputs["upload"], "false");
  EXPECT_EQ(r.outputs["sarif-file"], "meshlint.sarif");  // kept for a workflow_run upload
  EXPECT_NE(r.shell.out.find("::notice title=meshlint::SARIF not uploaded: a pull request from a "
                             "fork gets a read-only token."),
            std::string::npos)
      << r.shell.out;
  env["INPUT_UPLOAD_SARIF"] = "false";
  env["GITHUB_EVENT_NAME"] = "push";
  r = RunStep("lint", dir, env);
  EXPECT_EQ(r.outputs["upload"], "false");
}

TEST(GithubActionSteps, TheGateFollowsTheExitStatus) {
  TempDir dir;
  EXPECT_EQ(RunStep("gate", dir, {{"STATUS", "0"}}).shell.status, 0);
  StepResult r = RunStep("gate", dir, {{"STATUS", "1"}, {"INPUT_FAIL_ON", "error"}});
  EXPECT_EQ(r.shell.status, 1);
  EXPECT_EQ(r.shell.out, "::error title=meshlint::findings at or above --fail-on error\n");
  r = RunStep("gate", dir, {{"STATUS", "2"}});
  EXPECT_EQ(r.shell.status, 2);
  EXPECT_NE(r.shell.out.find("meshlint exited with status 2"), std::string::npos);
}

TEST(GithubActionSteps, CacheKeyNamesTheCommitAndTheImage) {
  TempDir dir;
  StepResult r = RunStep(
      "key", dir, {{"ImageOS", "ubuntu24"}, {"ImageVersion", "20250101.1"}, {"HOME", dir.str()}});
  ASSERT_EQ(r.shell.status, 0) << r.shell.err;
  ShellResult head = RunShell("git -C " + ShellQuote(SourceDir()) + " rev-parse HEAD");
  const std::string& key = r.outputs["key"];
  EXPECT_EQ(key.rfind("meshlint-ubuntu24-20250101.1-", 0), 0u) << key;
  if (head.status == 0) {
    EXPECT_EQ(key.substr(key.size() - 40), head.out.substr(0, 40)) << key;
  } else {
    EXPECT_NE(key.find("-src-"), std::string::npos) << key;  // a digest of the sources
  }
  EXPECT_EQ(r.outputs["dir"], dir.str() + "/.cache/meshlint-action");
}

TEST(GithubActionSteps, ACachedBinaryThatRunsIsUsed) {
  TempDir dir;
  fs::create_directories(dir.path() / "bin");
  fs::copy_file(MESHLINT_BINARY, dir.path() / "bin/meshlint");
  StepResult r = RunStep("build", dir, {{"MESHLINT_BIN_DIR", (dir.path() / "bin").string()}});
  EXPECT_EQ(r.shell.status, 0) << r.shell.out << r.shell.err;
  EXPECT_EQ(r.shell.out.rfind("meshlint: using the cached build (meshlint ", 0), 0u) << r.shell.out;
}

}  // namespace
}  // namespace meshlint::testing
