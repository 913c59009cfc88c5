// The rule list (rules/all_rules.cpp) against the tree: every rule has an id in
// the right form, a doc, and fixtures that fire and stay silent; every fixture
// directory belongs to a rule.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>

#include "engine/rule.h"
#include "test_util.h"

namespace meshlint::testing {
namespace {

namespace fs = std::filesystem;

bool IsKebabCase(std::string_view id) {
  if (id.empty() || id.front() == '-' || id.back() == '-') return false;
  for (std::size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) return false;
    if (c == '-' && id[i + 1] == '-') return false;
  }
  return id.front() >= 'a' && id.front() <= 'z';
}

TEST(Registry, IdsAreUniqueSortedKebabCase) {
  ASSERT_FALSE(AllRules().empty());
  std::string_view previous;
  for (const RuleInfo& r : AllRules()) {
    EXPECT_TRUE(IsKebabCase(r.id)) << "'" << r.id << "' is not kebab-case";
    if (!previous.empty()) {
      EXPECT_LT(previous, r.id) << "rules must be sorted and unique";
    }
    previous = r.id;
    EXPECT_EQ(FindRule(r.id), &r);
    // The check its phase calls, and only that one.
    EXPECT_EQ(r.check != nullptr, r.phase == Phase::kModel) << r.id;
    EXPECT_EQ(r.run_check != nullptr, r.phase == Phase::kRun) << r.id;
    EXPECT_FALSE(r.summary.empty()) << r.id;
  }
  EXPECT_EQ(FindRule("no-such-rule"), nullptr);
}

TEST(IsKebabCase, Works) {
  EXPECT_TRUE(IsKebabCase("mesh-outbound-allow-any"));
  EXPECT_TRUE(IsKebabCase("rule2"));
  EXPECT_FALSE(IsKebabCase("Mesh-config"));
  EXPECT_FALSE(IsKebabCase("mesh_config"));
  EXPECT_FALSE(IsKebabCase("mesh--config"));
  EXPECT_FALSE(IsKebabCase("-mesh"));
  EXPECT_FALSE(IsKebabCase("mesh-"));
  EXPECT_FALSE(IsKebabCase("2mesh"));
}

TEST(Registry, EveryRuleHasADoc) {
  for (const RuleInfo& r : AllRules()) {
    const fs::path doc = fs::path(SourceDir()) / "rules" / std::string(r.id) / "doc.md";
    ASSERT_TRUE(fs::is_regular_file(doc)) << doc << " is missing";
    const std::string text = ReadFileText(doc.string());
    EXPECT_FALSE(text.empty()) << doc << " is empty";
    EXPECT_TRUE(text.starts_with("# " + std::string(r.id) + "\n"))
        << doc << " must start with '# " << r.id << "'";
    // The embedded copy is what `explain` and SARIF use: it must be this file.
    EXPECT_EQ(r.doc, text) << r.id << ": embedded doc differs from " << doc;
  }
}

TEST(Registry, EveryRuleHasFiringAndSilentFixtures) {
  for (const RuleInfo& r : AllRules()) {
    const fs::path dir = fs::path(SourceDir()) / "fixtures" / std::string(r.id);
    ASSERT_TRUE(fs::is_directory(dir)) << dir << " is missing";
    int fires = 0, ok = 0;
    for (const auto& c : fs::directory_iterator(dir)) {
      if (!c.is_directory()) continue;
      const std::string name = c.path().filename().string();
      EXPECT_TRUE(fs::is_regular_file(c.path() / "expected.txt")) << c.path();
      if (name.starts_with("fires")) ++fires;
      else if (name.starts_with("ok")) ++ok;
      else ADD_FAILURE() << c.path() << ": case names start with fires or ok";
    }
    EXPECT_GE(fires, 1) << r.id << " has no fires* fixture";
    EXPECT_GE(ok, 1) << r.id << " has no ok* fixture";
  }
}

TEST(Registry, EveryFixtureDirectoryNamesARule) {
  const fs::path root = fs::path(SourceDir()) / "fixtures";
  ASSERT_TRUE(fs::is_directory(root));
  for (const auto& d : fs::directory_iterator(root)) {
    if (!d.is_directory()) continue;
    const std::string name = d.path().filename().string();
    if (name == "scenarios") continue;
    EXPECT_NE(FindRule(name), nullptr) << "fixtures/" << name << " names no registered rule";
  }
}

}  // namespace
}  // namespace meshlint::testing
