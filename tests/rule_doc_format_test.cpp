// Every rule's doc.md follows the one format that `meshlint explain`, the
// SARIF rule help and the README all rely on, and its Example and Fix say
// what the rule really does: the Example fires the rule, the Fix does not.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "engine/rule.h"
#include "test_util.h"

namespace meshlint {
namespace {

using testing::RunMeshlint;
using testing::SourceDir;

std::vector<std::string> Lines(std::string_view text) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    out.emplace_back(text.substr(pos, eol - pos));
    pos = eol + 1;
  }
  return out;
}

// The lines of one `## Heading` section, up to the next `## ` heading.
std::vector<std::string> Section(const std::vector<std::string>& lines, std::string_view heading) {
  std::vector<std::string> out;
  bool in = false;
  for (const std::string& line : lines) {
    if (line.starts_with("## ")) {
      if (in) break;
      in = line == heading;
      continue;
    }
    if (in) out.push_back(line);
  }
  return out;
}

// The text of the first ```yaml block among `lines`, or "" if there is none.
std::string FirstYamlBlock(const std::vector<std::string>& lines) {
  std::string out;
  bool in = false;
  for (const std::string& line : lines) {
    if (!in && line == "```yaml") {
      in = true;
      continue;
    }
    if (in && line == "```") return out;
    if (in) out += line + "\n";
  }
  return "";
}

bool HasText(const std::vector<std::string>& lines) {
  for (const std::string& line : lines)
    if (!line.empty()) return true;
  return false;
}

TEST(RuleDocFormat, EveryDocHasTitleParagraphAndSectionsInOrder) {
  ASSERT_FALSE(AllRules().empty());
  for (const RuleInfo& rule : AllRules()) {
    SCOPED_TRACE("rules/" + std::string(rule.id) + "/doc.md");
    // The embedded doc is what users see; it must be the file's text.
    const std::string file = testing::ReadFileText(SourceDir() + "/rules/" +
                                                   std::string(rule.id) + "/doc.md");
    EXPECT_EQ(file, rule.doc) << "embedded doc is stale: rebuild";
    const std::vector<std::string> lines = Lines(rule.doc);
    ASSERT_GE(lines.size(), 3u);
    EXPECT_EQ(lines[0], "# " + std::string(rule.id)) << "the title must be the rule id";
    EXPECT_EQ(lines[1], "") << "a blank line must follow the title";
    // The first paragraph becomes SARIF fullDescription: real prose.
    EXPECT_FALSE(lines[2].empty() || lines[2].starts_with("#"))
        << "the first paragraph (what the rule flags) must follow the title";
    EXPECT_EQ(rule.doc.find("TBD"), std::string_view::npos) << "placeholder text left in";

    std::vector<std::string> headings;
    for (const std::string& line : lines)
      if (line.starts_with("## ")) headings.push_back(line);
    const std::vector<std::string> required = {"## Why it matters", "## Example", "## Fix"};
    ASSERT_GE(headings.size(), required.size());
    for (std::size_t i = 0; i < required.size(); ++i) EXPECT_EQ(headings[i], required[i]);
    for (std::size_t i = required.size(); i < headings.size(); ++i)
      EXPECT_EQ(headings[i], "## Options / notes") << "only one optional section";

    for (const std::string& h : required) EXPECT_TRUE(HasText(Section(lines, h))) << h;
    EXPECT_NE(FirstYamlBlock(Section(lines, "## Example")), "") << "Example needs a ```yaml block";
    EXPECT_NE(FirstYamlBlock(Section(lines, "## Fix")), "") << "Fix needs a ```yaml block";
  }
}

// The Example's egress policy, for rules that need one: a ```yaml block of
// the Example section that starts with "egress:" ("" when there is none).
std::string PolicyBlock(const std::vector<std::string>& lines) {
  std::vector<std::string> rest = lines;
  for (std::string block = FirstYamlBlock(rest); !block.empty(); block = FirstYamlBlock(rest)) {
    if (block.starts_with("egress:")) return block;
    // Drop everything up to the end of this block and look further.
    auto open = std::find(rest.begin(), rest.end(), "```yaml");
    auto close = std::find(open + 1, rest.end(), "```");
    rest.erase(rest.begin(), close == rest.end() ? rest.end() : close + 1);
  }
  return "";
}

// Lints one YAML text from stdin and tells whether `rule` reported anything.
bool Fires(std::string_view rule, const std::string& yaml, std::string& output,
           const std::string& policy = "", const std::vector<std::string>& extra_args = {}) {
  std::vector<std::string> args = {"lint", "-", "--quiet", "--fail-on", "never", "--no-config"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  std::string policy_file;
  if (!policy.empty()) {
    policy_file = (std::filesystem::temp_directory_path() /
                   ("meshlint-doc-policy-" + std::string(rule) + ".yaml"))
                      .string();
    std::ofstream(policy_file, std::ios::binary | std::ios::trunc) << policy;
    args.push_back("--policy");
    args.push_back(policy_file);
  }
  auto r = RunMeshlint(args, SourceDir(), yaml);
  if (!policy_file.empty()) std::filesystem::remove(policy_file);
  output = r.out + r.err;
  EXPECT_EQ(r.status, 0) << output;
  return r.out.find(" [" + std::string(rule) + "] ") != std::string::npos;
}

// The rules about suppressions need more than a manifest on stdin: their
// Example is linted as the doc says (a flag, or the block as .meshlint.yaml
// next to a manifest it is about).
bool FiresAsDocumented(std::string_view rule, const std::string& yaml, std::string& output,
                       const std::string& policy) {
  if (rule == "inline-suppression-ignored")
    return Fires(rule, yaml, output, policy, {"--no-inline-suppressions"});
  if (rule != "suppression-expired") return Fires(rule, yaml, output, policy);
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() /
                       ("meshlint-doc-example-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / ".meshlint.yaml", std::ios::binary) << yaml;
  std::ofstream(dir / "ns.yaml", std::ios::binary)
      << "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: build-runners\n";
  auto r = RunMeshlint({"lint", ".", "--quiet", "--fail-on", "never", "--today", "2027-04-01"},
                       dir.string());
  fs::remove_all(dir);
  output = r.out + r.err;
  EXPECT_EQ(r.status, 0) << output;
  return r.out.find(" [" + std::string(rule) + "] ") != std::string::npos;
}

TEST(RuleDocFormat, ExampleFiresAndFixDoesNot) {
  for (const RuleInfo& rule : AllRules()) {
    SCOPED_TRACE("rules/" + std::string(rule.id) + "/doc.md");
    const std::vector<std::string> lines = Lines(rule.doc);
    const std::string example = FirstYamlBlock(Section(lines, "## Example"));
    const std::string fix = FirstYamlBlock(Section(lines, "## Fix"));
    ASSERT_NE(example, "");
    ASSERT_NE(fix, "");
    const std::string policy = PolicyBlock(Section(lines, "## Example"));
    std::string output;
    EXPECT_TRUE(FiresAsDocumented(rule.id, example, output, policy))
        << "the Example does not fire the rule:\n" << output;
    EXPECT_FALSE(FiresAsDocumented(rule.id, fix, output, policy))
        << "the Fix still fires the rule:\n" << output;
  }
}

}  // namespace
}  // namespace meshlint
