// The man page and the bash, zsh and fish completions are written from the
// options --help shows (meshlint --help-man, --completion SHELL; the build
// installs their output): every option of every command is in each of them,
// and the bash completion completes what it should when bash runs it.
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>

#include "shell_run.h"
#include "test_util.h"

namespace meshlint::testing {
namespace {

const char* const kCommands[] = {"lint", "egress", "rules", "explain"};

// The long options `meshlint COMMAND --help` lists.
std::set<std::string> HelpOptions(const std::string& command) {
  const std::string help = RunInProcess({command, "--help"}, SourceDir()).out;
  std::set<std::string> out;
  const std::regex option(R"((^|\n) {2,6}(-[a-zA-Z], )?--([a-z][a-z-]*))");
  for (std::sregex_iterator it(help.begin(), help.end(), option), end; it != end; ++it)
    out.insert((*it)[3]);
  return out;
}

std::string Output(const std::vector<std::string>& args) {
  CommandResult r = RunInProcess(args, SourceDir());
  EXPECT_EQ(r.status, 0) << r.err;
  return r.out;
}

TEST(Completion, EveryOptionOfHelpIsInEachShellAndTheManPage) {
  const std::string bash = Output({"--completion", "bash"});
  const std::string zsh = Output({"--completion", "zsh"});
  const std::string fish = Output({"--completion", "fish"});
  const std::string man = Output({"--help-man"});
  std::size_t checked = 0;
  for (const char* command : kCommands) {
    const std::set<std::string> options = HelpOptions(command);
    EXPECT_GE(options.size(), 1u) << command;
    for (const std::string& o : options) {
      ++checked;
      EXPECT_NE(bash.find(" --" + o), std::string::npos) << "bash lacks " << command << " --" << o;
      EXPECT_TRUE(zsh.find("--" + o + "[") != std::string::npos ||
                  zsh.find(",--" + o + "}'[") != std::string::npos)
          << "zsh lacks " << command << " --" << o;
      EXPECT_NE(fish.find("'__fish_seen_subcommand_from " + std::string(command) + "'"),
                std::string::npos);
      EXPECT_TRUE(std::regex_search(
          fish, std::regex("from " + std::string(command) + "'( -s .)? -l " + o + "( |\n)")))
          << "fish lacks " << command << " --" << o;
      std::string roff;
      for (char c : o) roff += c == '-' ? std::string("\\-") : std::string(1, c);
      EXPECT_NE(man.find("\\fB\\-\\-" + roff + "\\fR"), std::string::npos)
          << "the man page lacks --" << o;
    }
    EXPECT_NE(man.find(".SS meshlint " + std::string(command) + "\n"), std::string::npos);
  }
  EXPECT_GE(checked, 35u);
  EXPECT_EQ(RunInProcess({"--completion", "tcsh"}, SourceDir()).status, 2);
}

// bash itself runs the completion function, as when Tab is pressed.
std::string Complete(const std::string& line) {
  const std::string script = "source <(" + ShellQuote(MESHLINT_BINARY) +
                             " --completion bash)\n"
                             "cd " +
                             ShellQuote(SourceDir()) +
                             "\n"
                             "read -ra COMP_WORDS <<< " +
                             ShellQuote(line) + "\n" +
                             (line.ends_with(" ") ? "COMP_WORDS+=('')\n" : "") +
                             "COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))\n"
                             "_meshlint\nprintf '%s\\n' \"${COMPREPLY[@]}\" | sort\n";
  ShellResult r = RunShell(script);
  EXPECT_EQ(r.status, 0) << r.err;
  return r.out;
}

TEST(Completion, BashCompletesCommandsOptionsValuesAndRules) {
  EXPECT_EQ(Complete("meshlint li"), "lint\n");
  EXPECT_EQ(Complete("meshlint e"), "egress\nexplain\n");
  EXPECT_EQ(Complete("meshlint lint --fail"), "--fail-on\n");
  EXPECT_EQ(Complete("meshlint lint --format "), "github\ngitlab\njson\nsarif\ntext\n");
  EXPECT_EQ(Complete("meshlint egress -f "), "html\njson\nmarkdown\ntext\n");
  EXPECT_EQ(Complete("meshlint lint --color "), "always\nauto\nnever\n");
  EXPECT_EQ(Complete("meshlint explain mesh-outbound"), "mesh-outbound-allow-any\n");
  EXPECT_EQ(Complete("meshlint lint examples/demo-mesh/mesh"), "examples/demo-mesh/mesh.yaml\n");
  EXPECT_EQ(Complete("meshlint help eg"), "egress\n");
}

TEST(Completion, ManPageRendersWithoutWarnings) {
  if (RunShell("command -v groff").status != 0) GTEST_SKIP() << "groff missing: not rendered";
  TempDir dir;
  dir.Write("meshlint.1", Output({"--help-man"}));
  ShellResult r = RunShell("groff -man -Tutf8 -ww " + ShellQuote(dir.str() + "/meshlint.1"));
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.err, "");
  EXPECT_NE(r.out.find("meshlint lint"), std::string::npos);
}

TEST(Completion, ZshAndFishParseTheirs) {
  for (const char* shell : {"zsh", "fish"}) {
    if (RunShell(std::string("command -v ") + shell).status != 0) {
      std::cout << shell << " is not installed: its completion's syntax is not checked\n";
      continue;
    }
    TempDir dir;
    const std::string file = dir.Write("completion", Output({"--completion", shell}));
    ShellResult r = RunShell(std::string(shell) + " -n " + ShellQuote(file));
    EXPECT_EQ(r.status, 0) << shell << r.err;
  }
}

}  // namespace
}  // namespace meshlint::testing
