// Golden tests over fixtures/ (the convention is in the README and BRIEF):
//   fixtures/<rule-id>/<fires*|ok*>/  input manifests + expected.txt holding the
//       exact text-format lines of that rule only (ok* cases: empty);
//   fixtures/scenarios/<name>/        expected.txt with the full text output and
//       expected-exit with the exit status.
// Either may hold args.txt: extra arguments, one per line. `meshlint lint`
// runs in process (Lint() and the text writer, as the binary runs them) with
// the case directory as working directory and `.` as the path.
// MESHLINT_UPDATE_GOLDEN=1 rewrites the expected files instead of comparing.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "loader/kustomize.h"
#include "test_util.h"

namespace meshlint::testing {
namespace {

namespace fs = std::filesystem;

struct GoldenCase {
  std::string rule;  // empty for scenarios
  std::string name;  // the case directory's name
  fs::path dir;
};

// Failures name the case directory, not the bytes of the struct.
void PrintTo(const GoldenCase& c, std::ostream* os) { *os << c.dir.string(); }

std::vector<GoldenCase> DiscoverCases() {
  std::vector<GoldenCase> cases;
  const fs::path root = fs::path(SourceDir()) / "fixtures";
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return cases;
  for (const auto& group : fs::directory_iterator(root)) {
    if (!group.is_directory()) continue;
    const std::string group_name = group.path().filename().string();
    for (const auto& c : fs::directory_iterator(group.path())) {
      if (!c.is_directory()) continue;
      cases.push_back(
          {group_name == "scenarios" ? "" : group_name, c.path().filename().string(), c.path()});
    }
  }
  std::sort(cases.begin(), cases.end(),
            [](const GoldenCase& a, const GoldenCase& b) { return a.dir < b.dir; });
  return cases;
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string JoinLines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

std::vector<std::string> ReadArgs(const fs::path& dir) {
  std::vector<std::string> args;
  if (!fs::exists(dir / "args.txt")) return args;
  for (const std::string& line : SplitLines(ReadFileText((dir / "args.txt").string())))
    if (!line.empty()) args.push_back(line);
  return args;
}

bool Updating() {
  const char* v = std::getenv("MESHLINT_UPDATE_GOLDEN");
  return v && std::string(v) == "1";
}

void WriteFile(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

// The case holds a kustomization, which only the real tool renders.
bool HasKustomization(const fs::path& dir) {
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().filename() == "kustomization.yaml") return true;
  return false;
}

class GoldenTest : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(GoldenTest, Matches) {
  const GoldenCase& c = GetParam();
  const bool scenario = c.rule.empty();
  if (!scenario) {
    ASSERT_TRUE(c.name.starts_with("fires") || c.name.starts_with("ok"))
        << c.dir << ": a rule's case directory must be named fires* or ok*";
  }
  if (HasKustomization(c.dir) && !FindKustomizeTool(""))
    GTEST_SKIP() << c.dir << " holds a kustomization: neither kustomize nor kubectl is on PATH";
  std::vector<std::string> args = {"lint", ".", "--format", "text"};
  for (const std::string& a : ReadArgs(c.dir)) args.push_back(a);
  const CommandResult r = RunInProcess(args, c.dir.string());

  std::vector<std::string> lines = SplitLines(r.out);
  if (!scenario) {
    // Only this rule's lines: other rules have their own fixtures.
    const std::string tag = " [" + c.rule + "] ";
    std::erase_if(lines, [&](const std::string& l) { return l.find(tag) == std::string::npos; });
  }
  const std::string actual = JoinLines(lines);

  if (Updating()) {
    WriteFile(c.dir / "expected.txt", actual);
    if (scenario) WriteFile(c.dir / "expected-exit", std::to_string(r.status) + "\n");
    GTEST_SKIP() << "rewrote " << (c.dir / "expected.txt");
  }

  ASSERT_TRUE(fs::exists(c.dir / "expected.txt"))
      << c.dir << " has no expected.txt (run with MESHLINT_UPDATE_GOLDEN=1 and review it)";
  const std::string expected = ReadFileText((c.dir / "expected.txt").string());
  EXPECT_EQ(expected, actual) << "case " << c.dir << "\nstderr:\n" << r.err;

  if (scenario) {
    ASSERT_TRUE(fs::exists(c.dir / "expected-exit")) << c.dir << " has no expected-exit";
    const int want = std::stoi(ReadFileText((c.dir / "expected-exit").string()));
    EXPECT_EQ(want, r.status) << "exit status of " << c.dir << "\nstderr:\n" << r.err;
  } else {
    // A per-rule case is a well-formed lint run: never a usage error or crash.
    EXPECT_TRUE(r.status == 0 || r.status == 1) << "exit " << r.status << "\n" << r.err;
    if (c.name.starts_with("ok")) {
      EXPECT_TRUE(expected.empty()) << c.dir << ": an ok* case expects no finding of its rule";
    } else {
      EXPECT_FALSE(expected.empty()) << c.dir << ": a fires* case must expect a finding";
    }
  }
}

std::string CaseName(const ::testing::TestParamInfo<GoldenCase>& info) {
  std::string name =
      (info.param.rule.empty() ? "scenario" : info.param.rule) + "__" + info.param.name;
  for (char& ch : name)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, GoldenTest, ::testing::ValuesIn(DiscoverCases()), CaseName);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(GoldenTest);

}  // namespace
}  // namespace meshlint::testing
