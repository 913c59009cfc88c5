// The habits of the command line people expect: "did you mean" for
// commands, options, formats and rule ids; colour on a terminal only;
// help in the usual layout for every command; a --version that says what
// was built. Exact output throughout.
#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "shell_run.h"
#include "test_util.h"

namespace meshlint::testing {
namespace {

const std::string kHint = "(run 'meshlint --help')\n";

void ExpectUsageError(const std::vector<std::string>& args, const std::string& message) {
  CommandResult r = RunInProcess(args, SourceDir());
  EXPECT_EQ(r.status, 2) << args.back();
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "meshlint: " + message + "\n" + kHint);
}

TEST(DidYouMean, Commands) {
  ExpectUsageError({"lnt"}, "unknown command 'lnt': did you mean 'lint'?");
  ExpectUsageError({"egres", "."}, "unknown command 'egres': did you mean 'egress'?");
  ExpectUsageError({"expalin", "x"}, "unknown command 'expalin': did you mean 'explain'?");
  ExpectUsageError({"frobnicate"}, "unknown command 'frobnicate'");
  ExpectUsageError({"help", "lnt"},
                   "usage: meshlint help COMMAND, where COMMAND is lint, egress, rules or "
                   "explain: did you mean 'lint'?");
}

TEST(DidYouMean, Options) {
  ExpectUsageError({"lint", ".", "--formt", "json"},
                   "unknown option '--formt' for meshlint lint: did you mean '--format'?");
  ExpectUsageError({"lint", ".", "--fail-of", "error"},
                   "unknown option '--fail-of' for meshlint lint: did you mean '--fail-on'?");
  ExpectUsageError({"egress", ".", "--frm", "a"},
                   "unknown option '--frm' for meshlint egress: did you mean '--from'?");
  ExpectUsageError({"lint", ".", "--no-such-thing"},
                   "unknown option '--no-such-thing' for meshlint lint");
}

TEST(DidYouMean, FormatsLevelsAndColors) {
  ExpectUsageError({"lint", ".", "--format", "jsn"},
                   "--format must be one of text | json | sarif | github | gitlab, got 'jsn': "
                   "did you mean 'json'?");
  ExpectUsageError({"lint", ".", "--report", "sarf=out.sarif"},
                   "--report format must be one of text | json | sarif | github | gitlab, got "
                   "'sarf': did you mean 'sarif'?");
  ExpectUsageError({"lint", ".", "--fail-on", "warn"},
                   "--fail-on must be error, warning, note or never, got 'warn': did you mean "
                   "'warning'?");
  ExpectUsageError(
      {"egress", ".", "--format", "jsno"},
      "--format must be text, json, markdown or html for egress, got 'jsno': did you mean 'json'?");
  ExpectUsageError({"rules", "--format", "markdwn"},
                   "--format must be text, markdown or json, got 'markdwn': did you mean "
                   "'markdown'?");
  ExpectUsageError({"lint", ".", "--color", "alway"},
                   "--color must be auto, always or never, got 'alway': did you mean 'always'?");
  ExpectUsageError({"lint", ".", "--severity", "mesh-outbound-allow-any=eror"},
                   "--severity level must be error, warning, note or off, got 'eror': did you "
                   "mean 'error'?");
}

TEST(DidYouMean, RuleIds) {
  ExpectUsageError({"explain", "mesh-outbound-allow-al"},
                   "unknown rule 'mesh-outbound-allow-al': did you mean "
                   "'mesh-outbound-allow-any'? (see 'meshlint rules')");
  ExpectUsageError({"lint", ".", "--disable", "namespace-without-sidcar"},
                   "unknown rule 'namespace-without-sidcar': did you mean "
                   "'namespace-without-sidecar'? (see 'meshlint rules')");
  ExpectUsageError({"explain", "no-such-rule"},
                   "unknown rule 'no-such-rule' (see 'meshlint rules')");
}

// The demo's error line, as the text report prints it.
const std::string kDemoError =
    "examples/demo-mesh/mesh.yaml:10:3: error [mesh-outbound-allow-any] The mesh config";

TEST(Color, AlwaysColoursLocationSeverityAndRule) {
  CommandResult r =
      RunInProcess({"lint", "examples/demo-mesh", "--quiet", "--color", "always"}, SourceDir());
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find("\x1b[1mexamples/demo-mesh/mesh.yaml:10:3:\x1b[0m \x1b[1;31merror\x1b[0m "
                       "[\x1b[35mmesh-outbound-allow-any\x1b[0m] The mesh config"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("\x1b[1mexamples/demo-mesh/namespaces.yaml:11:9:\x1b[0m "
                       "\x1b[1;33mwarning\x1b[0m [\x1b[35mnamespace-without-sidecar\x1b[0m]"),
            std::string::npos)
      << r.out;
  // Never in a file, nor in another format.
  TempDir dir;
  r = RunInProcess({"lint", SourceDir() + "/examples/demo-mesh", "--quiet", "--color", "always",
                    "--output", "out.txt", "--report", "json=out.json"},
                   dir.str());
  EXPECT_EQ(ReadFileText(dir.str() + "/out.txt").find('\x1b'), std::string::npos);
  EXPECT_EQ(ReadFileText(dir.str() + "/out.json").find('\x1b'), std::string::npos);
}

TEST(Color, OffOnAPipeAndWithNever) {
  for (const std::vector<std::string>& extra :
       {std::vector<std::string>{}, {"--color", "auto"}, {"--color", "never"}}) {
    std::vector<std::string> args = {"lint", "examples/demo-mesh", "--quiet"};
    args.insert(args.end(), extra.begin(), extra.end());
    CommandResult r = RunMeshlint(args, SourceDir());  // stdout is a pipe
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.out.find('\x1b'), std::string::npos) << r.out;
    EXPECT_NE(r.out.find(kDemoError), std::string::npos) << r.out;
  }
}

// On a terminal (script(1) gives the binary one): colour unless NO_COLOR
// is set and not empty, or TERM is dumb; --color never and always win.
TEST(Color, OnATerminalUnlessNoColor) {
  if (RunShell("command -v script").status != 0) GTEST_SKIP() << "script (util-linux) missing";
  auto on_tty = [](const std::string& env, const std::string& flags) {
    return RunShell("cd " + ShellQuote(SourceDir()) + " && " + env + " TERM=xterm script -qec " +
                    ShellQuote(ShellQuote(MESHLINT_BINARY) + " lint examples/demo-mesh --quiet " +
                               flags) +
                    " /dev/null")
        .out;
  };
  const std::string colored = "\x1b[1;31merror\x1b[0m";
  EXPECT_NE(on_tty("env -u NO_COLOR", "").find(colored), std::string::npos);
  EXPECT_NE(on_tty("NO_COLOR=", "").find(colored), std::string::npos);  // empty: not set
  EXPECT_EQ(on_tty("NO_COLOR=1", "").find('\x1b'), std::string::npos);
  EXPECT_NE(on_tty("NO_COLOR=1", "--color always").find(colored), std::string::npos);
  EXPECT_EQ(on_tty("env -u NO_COLOR", "--color never").find('\x1b'), std::string::npos);
  EXPECT_NE(on_tty("env -u NO_COLOR", "").find("mesh.yaml:10:3:"), std::string::npos);
}

TEST(Help, EveryCommandHasTheSameLayout) {
  for (const char* command : {"lint", "egress", "rules", "explain"}) {
    CommandResult help = RunInProcess({"help", command}, SourceDir());
    CommandResult flag = RunInProcess({command, "--help"}, SourceDir());
    CommandResult h = RunInProcess({command, "-h"}, SourceDir());
    EXPECT_EQ(help.status, 0) << command;
    EXPECT_EQ(help.out, flag.out) << command;
    EXPECT_EQ(help.out, h.out) << command;
    EXPECT_TRUE(help.out.starts_with(std::string("Usage: meshlint ") + command)) << help.out;
    EXPECT_NE(help.out.find("\nExamples:\n  meshlint " + std::string(command)), std::string::npos)
        << help.out;
    EXPECT_NE(help.out.find("\n  -h, --help                  show this help\n"), std::string::npos)
        << help.out;
    EXPECT_NE(help.out.find("\nExit status: "), std::string::npos) << help.out;
    // Not Boost's own layout.
    EXPECT_EQ(help.out.find("[ --"), std::string::npos) << help.out;
    EXPECT_EQ(help.out.find(" arg"), std::string::npos) << help.out;
    EXPECT_EQ(help.out.find("(="), std::string::npos) << help.out;
    for (std::size_t start = 0, end; (end = help.out.find('\n', start)) != std::string::npos;
         start = end + 1)
      EXPECT_LE(end - start, 80u) << command << ": " << help.out.substr(start, end - start);
  }
}

TEST(Help, LintGroupsItsOptionsWithArgumentsAndDefaults) {
  const std::string help = RunInProcess({"lint", "--help"}, SourceDir()).out;
  EXPECT_TRUE(help.starts_with("Usage: meshlint lint [PATH...] [options]\n\nLints Kubernetes"))
      << help;
  std::size_t last = 0;
  for (const char* group : {"\nRules:\n", "\nInputs:\n", "\nProject config and suppressions:\n",
                            "\nOutput options:\n", "\nGeneral:\n", "\nExamples:\n"}) {
    const std::size_t at = help.find(group);
    ASSERT_NE(at, std::string::npos) << group << help;
    EXPECT_GT(at, last) << group;
    last = at;
  }
  EXPECT_NE(help.find("\n  -f, --format FORMAT         report format on stdout: text | json | "
                      "sarif |\n                              github | gitlab (default: text)\n"),
            std::string::npos)
      << help;
  EXPECT_NE(help.find("\n      --severity RULE=LEVEL   run RULE at LEVEL"), std::string::npos);
  EXPECT_NE(help.find("\n      --color WHEN            colour the text report"), std::string::npos);
  EXPECT_NE(help.find("\n  -j, --jobs N  "), std::string::npos) << help;
}

TEST(Help, MainHelpListsCommandsAndGoesToStderrWithoutOne) {
  CommandResult r = RunInProcess({"--help"}, SourceDir());
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(
      r.out.starts_with("meshlint: static policy linter and egress auditor for Istio "
                        "manifests\n\nUsage: meshlint COMMAND [PATH...] [options]\n\n"
                        "Commands:\n  lint      lint manifests"))
      << r.out;
  EXPECT_NE(r.out.find("\n  -V, --version  show the version"), std::string::npos);
  EXPECT_EQ(RunInProcess({"help"}, SourceDir()).out, r.out);
  EXPECT_EQ(RunInProcess({"-h"}, SourceDir()).out, r.out);
  CommandResult none = RunInProcess({}, SourceDir());
  EXPECT_EQ(none.status, 2);
  EXPECT_EQ(none.out, "");
  EXPECT_EQ(none.err, r.out);
}

TEST(Version, NamesCommitBuildAndLibraries) {
  CommandResult r = RunMeshlint({"--version"}, SourceDir());
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(RunMeshlint({"-V"}, SourceDir()).out, r.out);
  const std::regex layout(
      "meshlint 0\\.1\\.0\n"
      "commit:    ([0-9a-f]{12}(-dirty)?|unknown)\n"
      "build:     [A-Za-z]+, [A-Za-z]+ [0-9.]+, (shared|static \\(only glibc shared\\))\n"
      "libraries: yaml-cpp [0-9.]+, RE2 [^,]+, Boost [0-9.]+, nlohmann_json [0-9.]+\n"
      "models:    Istio 1\\.24 to 1\\.31 \\(default 1\\.30\\)\n");
  EXPECT_TRUE(std::regex_match(r.out, layout)) << r.out;
  // The commit is one of the checkout's, when it is one (the one built:
  // ctest does not rebuild after a commit, so not necessarily HEAD).
  std::smatch m;
  if (RunShell("git -C " + ShellQuote(SourceDir()) + " rev-parse HEAD").status == 0 &&
      std::regex_search(r.out, m, std::regex("commit:    ([0-9a-f]{12})"))) {
    EXPECT_EQ(
        RunShell("git -C " + ShellQuote(SourceDir()) + " cat-file -e " + m[1].str() + "^{commit}")
            .status,
        0)
        << m[1];
  }
}

}  // namespace
}  // namespace meshlint::testing
