// ci/new-rule, run on a scratch copy of the files it reads and writes: the
// rule's files, fixtures and registry entries it adds, checked without a
// rebuild of the tree. The registry and the new rule are compiled with
// -fsyntax-only, so the compile-time checks of rules/all_rules.cpp (sorted,
// a doc per rule, the check its phase needs) run on the edited list. CI
// (ci/test) builds the tree itself, so a rule added this way is built, listed
// and run by the golden, registry and doc tests there.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "test_util.h"

namespace meshlint::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kId = "scaffold-demo-rule";

std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Runs a shell command; its exit status, with stdout and stderr in `output`.
int Shell(const std::string& command, const TempDir& dir, std::string& output) {
  const std::string log = (dir.path() / "command.log").string();
  const int raw = std::system((command + " >" + Quote(log) + " 2>&1").c_str());
  output = ReadFileText(log);
  fs::remove(log);
  return WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
}

// The tree ci/new-rule edits: the script, the rules (with every doc), the
// README, and an empty fixtures/.
struct Scratch {
  TempDir dir;
  Scratch() {
    const fs::path src = SourceDir();
    fs::create_directories(dir.path() / "ci");
    fs::create_directories(dir.path() / "fixtures");
    fs::copy_file(src / "ci/new-rule", dir.path() / "ci/new-rule");
    fs::copy(src / "rules", dir.path() / "rules", fs::copy_options::recursive);
    fs::copy_file(src / "README.md", dir.path() / "README.md");
    fs::copy_file(src / ".clang-format", dir.path() / ".clang-format");
  }
  std::string Read(const std::string& rel) const {
    return ReadFileText((dir.path() / rel).string());
  }
  bool Exists(const std::string& rel) const { return fs::exists(dir.path() / rel); }
};

bool HavePython() { return std::system("python3 --version >/dev/null 2>&1") == 0; }
bool HaveClangFormat() { return std::system("clang-format --version >/dev/null 2>&1") == 0; }

// Where `needle` starts in `text`, or npos; for order checks.
std::size_t At(const std::string& text, const std::string& needle) { return text.find(needle); }

TEST(NewRule, ScaffoldsFilesFixturesAndRegistryInIdOrder) {
  if (!HavePython()) GTEST_SKIP() << "python3 is not installed (ci/setup installs it)";
  Scratch s;
  std::string output;
  ASSERT_EQ(Shell(Quote((s.dir.path() / "ci/new-rule").string()) + " " + kId, s.dir, output), 0)
      << output;
  const std::string rule_dir = std::string("rules/") + kId,
                    fixtures = std::string("fixtures/") + kId;
  for (const std::string& rel : {rule_dir + "/rule.cpp", rule_dir + "/doc.md",
                                 fixtures + "/fires/input.yaml", fixtures + "/fires/expected.txt",
                                 fixtures + "/ok/input.yaml", fixtures + "/ok/expected.txt"})
    EXPECT_TRUE(s.Exists(rel)) << rel << " was not written\n" << output;

  // The doc has the format every doc must have, and its Example and Fix are
  // the two fixtures, so the doc test and the golden test judge the same text.
  const std::string doc = s.Read(rule_dir + "/doc.md");
  EXPECT_EQ(RuleDocFormatProblems(kId, doc), std::vector<std::string>{});
  const std::vector<std::string> lines = DocLines(doc);
  EXPECT_EQ(FirstYamlBlock(DocSection(lines, "## Example")),
            s.Read(fixtures + "/fires/input.yaml"));
  EXPECT_EQ(FirstYamlBlock(DocSection(lines, "## Fix")), s.Read(fixtures + "/ok/input.yaml"));

  // fires/expected.txt names the line and column of the host the scaffolded
  // check flags (the host that ends in .example), with the rule's severity.
  const MeshModel fires = LoadFiles({{"input.yaml", s.Read(fixtures + "/fires/input.yaml")}});
  ASSERT_EQ(fires.service_entries.size(), 1u);
  ASSERT_EQ(fires.service_entries[0].hosts.size(), 1u);
  const Location& host = fires.service_entries[0].hosts[0].loc;
  EXPECT_EQ(s.Read(fixtures + "/fires/expected.txt")
                .rfind("input.yaml:" + std::to_string(host.line) + ":" +
                           std::to_string(host.column) + ": warning [" + kId + "] ServiceEntry ",
                       0),
            0u)
      << s.Read(fixtures + "/fires/expected.txt");
  EXPECT_EQ(s.Read(fixtures + "/ok/expected.txt"), "");

  // The registry entry, the declaration and the README row, each in id order.
  const std::string registry = s.Read("rules/all_rules.cpp");
  ASSERT_NE(At(registry, std::string("RuleInfo{.id = \"") + kId + "\""), std::string::npos);
  EXPECT_LT(At(registry, "RuleInfo{.id = \"egress-not-allowed\""),
            At(registry, std::string("RuleInfo{.id = \"") + kId + "\""));
  EXPECT_LT(At(registry, std::string("RuleInfo{.id = \"") + kId + "\""),
            At(registry, "RuleInfo{.id = \"serviceentry-exported-to-all\""));
  EXPECT_NE(At(registry, ".check = rules::CheckScaffoldDemoRule,"), std::string::npos);
  const std::string header = s.Read("rules/rules.h");
  EXPECT_NE(At(header, "void CheckScaffoldDemoRule(const MeshModel& model, FindingSink& sink);"),
            std::string::npos);
  const std::string readme = s.Read("README.md");
  const std::string row = std::string("| [`") + kId + "`](rules/" + kId + "/doc.md) | warning | ";
  ASSERT_NE(At(readme, row), std::string::npos);
  EXPECT_LT(At(readme, "| [`multiple-default-sidecars`]"), At(readme, row));
  EXPECT_LT(At(readme, row), At(readme, "| [`serviceentry-exported-to-all`]"));

  // A second run changes nothing: the rule exists.
  EXPECT_NE(Shell(Quote((s.dir.path() / "ci/new-rule").string()) + " " + kId, s.dir, output), 0);
  EXPECT_NE(output.find("exists already"), std::string::npos) << output;
  EXPECT_EQ(s.Read("rules/all_rules.cpp"), registry);
}

TEST(NewRule, TheEditedRegistryAndTheRuleCompile) {
  if (!HavePython()) GTEST_SKIP() << "python3 is not installed (ci/setup installs it)";
  Scratch s;
  std::string output;
  ASSERT_EQ(Shell(Quote((s.dir.path() / "ci/new-rule").string()) + " " + kId, s.dir, output), 0)
      << output;
  // The docs embedded as the build embeds them, then the registry with its
  // static_asserts and the scaffolded check, against the real headers.
  const std::string gen = (s.dir.path() / "generated").string();
  const std::string embed = "cmake -DRULES_DIR=" + Quote((s.dir.path() / "rules").string()) +
                            " -DOUT=" + Quote(gen + "/rule_docs.inc") + " -P " +
                            Quote(SourceDir() + "/cmake/EmbedDocs.cmake");
  fs::create_directories(gen);
  ASSERT_EQ(Shell(embed, s.dir, output), 0) << output;
  const std::string compile =
      Quote(MESHLINT_CXX) + " -std=c++20 -fsyntax-only -Wall -Wextra -Wpedantic -Werror -I " +
      Quote(s.dir.str()) + " -I " + Quote(gen) + " -I " + Quote(SourceDir() + "/src") + " -I " +
      Quote(SourceDir()) + " " + Quote(s.dir.str() + "/rules/all_rules.cpp") + " " +
      Quote(s.dir.str() + "/rules/" + kId + "/rule.cpp");
  EXPECT_EQ(Shell(compile, s.dir, output), 0) << compile << "\n" << output;
}

// ci/test runs `ci/format --check`: what ci/new-rule writes and edits must
// already be formatted, or a freshly scaffolded rule turns CI red.
TEST(NewRule, WritesFormattedCpp) {
  if (!HavePython()) GTEST_SKIP() << "python3 is not installed (ci/setup installs it)";
  if (!HaveClangFormat()) GTEST_SKIP() << "clang-format is not installed (ci/setup installs it)";
  Scratch s;
  std::string output;
  ASSERT_EQ(Shell(Quote((s.dir.path() / "ci/new-rule").string()) + " " + kId, s.dir, output), 0)
      << output;
  const std::string rules = s.dir.str() + "/rules/";
  const std::string check = "clang-format --dry-run --Werror " + Quote(rules + "all_rules.cpp") +
                            " " + Quote(rules + "rules.h") + " " + Quote(rules + kId + "/rule.cpp");
  EXPECT_EQ(Shell(check, s.dir, output), 0) << output;
}

TEST(NewRule, RefusesBadIdsAndLeavesTheTreeAlone) {
  if (!HavePython()) GTEST_SKIP() << "python3 is not installed (ci/setup installs it)";
  Scratch s;
  const std::string before = s.Read("rules/all_rules.cpp");
  std::string output;
  for (const char* id : {"Bad_Id", "-lead", "two--dashes", "egress-not-allowed"}) {
    EXPECT_NE(
        Shell(Quote((s.dir.path() / "ci/new-rule").string()) + " " + Quote(id), s.dir, output), 0)
        << id;
    EXPECT_EQ(s.Read("rules/all_rules.cpp"), before) << id;
  }
  EXPECT_NE(Shell(Quote((s.dir.path() / "ci/new-rule").string()) + " ok-id --summary 'a | b'",
                  s.dir, output),
            0);
  EXPECT_FALSE(s.Exists("rules/ok-id"));
}

}  // namespace
}  // namespace meshlint::testing
