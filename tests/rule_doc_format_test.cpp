// Every rule's doc.md follows the one format that `meshlint explain`, the
// SARIF rule help and the README all rely on, and its Example and Fix say
// what the rule really does: the Example fires the rule, the Fix does not.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "engine/lint.h"
#include "engine/rule.h"
#include "loader/config_file.h"
#include "report/report.h"
#include "test_util.h"

namespace meshlint {
namespace {

using testing::SourceDir;

using testing::DocSection;
using testing::FirstYamlBlock;

TEST(RuleDocFormat, EveryDocHasTitleParagraphAndSectionsInOrder) {
  ASSERT_FALSE(AllRules().empty());
  for (const RuleInfo& rule : AllRules()) {
    SCOPED_TRACE("rules/" + std::string(rule.id) + "/doc.md");
    // The embedded doc is what users see; it must be the file's text.
    const std::string file =
        testing::ReadFileText(SourceDir() + "/rules/" + std::string(rule.id) + "/doc.md");
    EXPECT_EQ(file, rule.doc) << "embedded doc is stale: rebuild";
    EXPECT_EQ(testing::RuleDocFormatProblems(rule.id, rule.doc), std::vector<std::string>{});
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

// Whether `rule` reported anything in `result`; `output` gets the findings
// and problems, for failure messages.
bool Reported(std::string_view rule, const LintResult& result, std::string& output) {
  output = testing::TextReport(result);
  for (const auto& problems : {&result.input_problems, &result.policy_problems})
    for (const Problem& p : *problems) output += ProblemText(result.model.files, p) + "\n";
  EXPECT_TRUE(result.input_problems.empty() && result.policy_problems.empty()) << output;
  for (const Finding& f : result.findings)
    if (f.rule_id == rule) return true;
  return false;
}

// Lints one YAML text (as stdin would be) in process, with the Example's
// egress policy when there is one, and tells whether `rule` reported anything.
bool Fires(std::string_view rule, const std::string& yaml, std::string& output,
           const std::string& policy = "", bool inline_suppressions = true) {
  LintRequest request = RequestFromConfig(nullptr);
  request.inline_suppressions = inline_suppressions;
  if (!policy.empty()) {
    PolicySource source;
    source.path = "policy.yaml";
    source.is_inline = true;
    source.inline_text = policy;
    request.policy = std::move(source);
  }
  return Reported(rule, testing::LintTexts({{"<stdin>", yaml}}, std::move(request)), output);
}

// The rules about suppressions need more than a manifest: their Example is
// linted as the doc says (a flag, or the block as .meshlint.yaml next to a
// manifest it is about, on the doc's day).
bool FiresAsDocumented(std::string_view rule, const std::string& yaml, std::string& output,
                       const std::string& policy) {
  if (rule == "inline-suppression-ignored") return Fires(rule, yaml, output, policy, false);
  if (rule != "suppression-expired") return Fires(rule, yaml, output, policy);
  ProjectConfig config;
  std::vector<Problem> problems = ParseConfig(yaml, "/doc-example/.meshlint.yaml", config);
  if (problems.empty()) problems = ValidateConfig(config);
  EXPECT_TRUE(problems.empty()) << (problems.empty() ? "" : problems[0].message);
  LintRequest request = RequestFromConfig(&config);
  request.today = *ParseIsoDate("2027-04-01");
  return Reported(rule,
                  testing::LintTexts({{"ns.yaml",
                                       "apiVersion: v1\nkind: Namespace\nmetadata:\n"
                                       "  name: build-runners\n"}},
                                     std::move(request)),
                  output);
}

TEST(RuleDocFormat, ExampleFiresAndFixDoesNot) {
  for (const RuleInfo& rule : AllRules()) {
    SCOPED_TRACE("rules/" + std::string(rule.id) + "/doc.md");
    const std::vector<std::string> lines = testing::DocLines(rule.doc);
    const std::string example = FirstYamlBlock(DocSection(lines, "## Example"));
    const std::string fix = FirstYamlBlock(DocSection(lines, "## Fix"));
    ASSERT_NE(example, "");
    ASSERT_NE(fix, "");
    const std::string policy = PolicyBlock(DocSection(lines, "## Example"));
    std::string output;
    EXPECT_TRUE(FiresAsDocumented(rule.id, example, output, policy))
        << "the Example does not fire the rule:\n"
        << output;
    EXPECT_FALSE(FiresAsDocumented(rule.id, fix, output, policy))
        << "the Fix still fires the rule:\n"
        << output;
  }
}

}  // namespace
}  // namespace meshlint
