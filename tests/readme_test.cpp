// The README's rule table is the output of `meshlint rules --format markdown`,
// pasted between two markers. This test fails when it is stale;
// MESHLINT_UPDATE_GOLDEN=1 rewrites it, like the golden fixtures.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "test_util.h"

namespace meshlint {
namespace {

constexpr std::string_view kBegin = "<!-- rules:begin -->\n";
constexpr std::string_view kEnd = "<!-- rules:end -->";

TEST(ReadmeRuleTable, MatchesRulesMarkdown) {
  const std::string path = testing::SourceDir() + "/README.md";
  const std::string readme = testing::ReadFileText(path);
  const std::size_t begin = readme.find(kBegin);
  ASSERT_NE(begin, std::string::npos) << "README.md lacks the line " << kBegin;
  const std::size_t start = begin + kBegin.size();
  const std::size_t end = readme.find(kEnd, start);
  ASSERT_NE(end, std::string::npos) << "README.md lacks the line " << kEnd << " after "
                                    << kBegin;
  ASSERT_EQ(readme.find(kBegin, end), std::string::npos) << "the rule table markers appear twice";

  auto r = testing::RunInProcess({"rules", "--format", "markdown"}, testing::SourceDir());
  ASSERT_EQ(r.status, 0) << r.err;
  ASSERT_FALSE(r.out.empty());
  const std::string table = readme.substr(start, end - start);
  if (table == r.out) return;

  if (const char* update = std::getenv("MESHLINT_UPDATE_GOLDEN"); update && *update == '1') {
    std::ofstream(path, std::ios::binary | std::ios::trunc)
        << readme.substr(0, start) << r.out << readme.substr(end);
    GTEST_SKIP() << "rewrote the rule table in README.md: review the diff";
  }
  EXPECT_EQ(table, r.out) << "the README rule table is stale: run "
                             "MESHLINT_UPDATE_GOLDEN=1 ctest --test-dir build -R ReadmeRuleTable";
}

}  // namespace
}  // namespace meshlint
