// Istio-derived reachability cases (tests/istio-cases/, format in its README):
// each question of each expect.yaml runs
//   meshlint egress . [args] [--istio-version V] --from F --to T
// in the case directory and must exit 0 when Istio lets the traffic through
// and 1 when it does not. Questions meshlint still answers differently are
// listed in tests/istio-cases/KNOWN-DISAGREEMENTS with a reason: they are
// reported as skipped, and a listed question that now agrees fails, so the
// list only shrinks.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "test_util.h"

namespace meshlint::testing {
namespace {

namespace fs = std::filesystem;

struct Question {
  std::string case_name;
  fs::path dir;
  int index = 0;  // 1-based, in expect.yaml order
  std::string from;
  std::string to;
  bool reachable = false;
  std::string why;
  std::vector<std::string> args;  // args: plus --istio-version from istioVersion:
};

void PrintTo(const Question& q, std::ostream* os) {
  *os << q.case_name << " --from " << q.from << " --to " << q.to;
}

fs::path CasesRoot() { return fs::path(SourceDir()) / "tests" / "istio-cases"; }

// The key KNOWN-DISAGREEMENTS uses: "<case> <from> <to>".
std::string Key(const std::string& c, const std::string& from, const std::string& to) {
  return c + " " + from + " " + to;
}

std::string Scalar(const YAML::Node& n) { return n && n.IsScalar() ? n.as<std::string>() : ""; }

// A malformed expect.yaml becomes one question whose `why` names the problem,
// so the suite fails on it instead of silently testing less.
Question Malformed(const std::string& name, const fs::path& dir, const std::string& problem) {
  Question q;
  q.case_name = name;
  q.dir = dir;
  q.from = "<malformed>";
  q.to = "<malformed>";
  q.why = "MALFORMED: " + problem;
  return q;
}

void ReadCase(const fs::path& dir, std::vector<Question>& out) {
  const std::string name = dir.filename().string();
  YAML::Node doc;
  try {
    doc = YAML::LoadFile((dir / "expect.yaml").string());
  } catch (const YAML::Exception& e) {
    out.push_back(Malformed(name, dir, e.what()));
    return;
  }
  if (Scalar(doc["provenance"]).empty()) {
    out.push_back(Malformed(name, dir, "no provenance"));
    return;
  }
  std::vector<std::string> args;
  if (const YAML::Node a = doc["args"]; a && a.IsSequence())
    for (const auto& arg : a) args.push_back(Scalar(arg));
  if (const std::string v = Scalar(doc["istioVersion"]); !v.empty()) {
    args.push_back("--istio-version");
    args.push_back(v);
  }
  const YAML::Node qs = doc["questions"];
  if (!qs || !qs.IsSequence() || qs.size() == 0) {
    out.push_back(Malformed(name, dir, "no questions"));
    return;
  }
  int index = 0;
  for (const auto& node : qs) {
    Question q;
    q.case_name = name;
    q.dir = dir;
    q.index = ++index;
    q.from = Scalar(node["from"]);
    q.to = Scalar(node["to"]);
    q.why = Scalar(node["why"]);
    q.args = args;
    const std::string r = Scalar(node["reachable"]);
    if (q.from.empty() || q.to.empty() || q.why.empty() || (r != "true" && r != "false")) {
      out.push_back(Malformed(name, dir,
                              "question " + std::to_string(q.index) +
                                  " needs from, to, reachable (true|false) and why"));
      continue;
    }
    q.reachable = r == "true";
    out.push_back(q);
  }
}

std::vector<Question> DiscoverQuestions() {
  std::vector<Question> out;
  std::error_code ec;
  if (!fs::is_directory(CasesRoot(), ec)) return out;
  std::vector<fs::path> dirs;
  for (const auto& e : fs::directory_iterator(CasesRoot()))
    if (e.is_directory() && fs::exists(e.path() / "expect.yaml")) dirs.push_back(e.path());
  std::sort(dirs.begin(), dirs.end());
  for (const auto& d : dirs) ReadCase(d, out);
  return out;
}

// KNOWN-DISAGREEMENTS: "<case> <from> <to> <reason...>" per line; '#' starts a comment.
std::map<std::string, std::string> KnownDisagreements() {
  std::map<std::string, std::string> out;
  std::istringstream in(ReadFileText((CasesRoot() / "KNOWN-DISAGREEMENTS").string()));
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string c, from, to, reason;
    fields >> c >> from >> to;
    std::getline(fields >> std::ws, reason);
    if (!to.empty()) out[Key(c, from, to)] = reason.empty() ? "(no reason given)" : reason;
  }
  return out;
}

std::string ParamName(const ::testing::TestParamInfo<Question>& info) {
  std::string s = info.param.case_name + "_q" + std::to_string(info.param.index);
  for (char& c : s)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return s;
}

class IstioCase : public ::testing::TestWithParam<Question> {};

TEST_P(IstioCase, AnswersAsIstio) {
  const Question& q = GetParam();
  ASSERT_EQ(q.why.rfind("MALFORMED: ", 0), std::string::npos) << q.dir / "expect.yaml"
                                                              << ": " << q.why;
  std::vector<std::string> args = {"egress", "."};
  args.insert(args.end(), q.args.begin(), q.args.end());
  args.insert(args.end(), {"--from", q.from, "--to", q.to});
  const CommandResult r = RunInProcess(args, q.dir.string());
  const int want = q.reachable ? 0 : 1;
  const bool agrees = r.status == want;

  static const std::map<std::string, std::string> known = KnownDisagreements();
  const auto listed = known.find(Key(q.case_name, q.from, q.to));
  if (listed != known.end()) {
    if (agrees) {
      ADD_FAILURE()
          << q.case_name << " --from " << q.from << " --to " << q.to
          << " now agrees with Istio: remove its line from tests/istio-cases/KNOWN-DISAGREEMENTS";
      return;
    }
    GTEST_SKIP() << "known disagreement: " << listed->second << " (exit " << r.status
                 << ", Istio: " << (q.reachable ? "reachable" : "not reachable") << ")";
  }
  EXPECT_EQ(r.status, want) << q.case_name << ": Istio says "
                            << (q.reachable ? "reachable" : "NOT reachable") << " (" << q.why
                            << ")\n"
                            << r.out << r.err;
}

INSTANTIATE_TEST_SUITE_P(Cases, IstioCase, ::testing::ValuesIn(DiscoverQuestions()), ParamName);

// The list must not outlive its questions: a stale line would hide nothing and mislead.
TEST(IstioCases, KnownDisagreementsNameExistingQuestions) {
  std::set<std::string> keys;
  for (const Question& q : DiscoverQuestions()) keys.insert(Key(q.case_name, q.from, q.to));
  for (const auto& [key, reason] : KnownDisagreements())
    EXPECT_TRUE(keys.count(key)) << "KNOWN-DISAGREEMENTS names no question: " << key;
}

// Two questions with the same from/to in one case could not be told apart in the list.
TEST(IstioCases, QuestionsAreUniquePerCase) {
  std::set<std::string> seen;
  for (const Question& q : DiscoverQuestions())
    EXPECT_TRUE(seen.insert(Key(q.case_name, q.from, q.to)).second)
        << "duplicate question: " << Key(q.case_name, q.from, q.to);
}

TEST(IstioCases, CasesArePresent) {
#ifdef MESHLINT_ISTIO_CASE_COUNT
  std::size_t dirs = 0;
  std::error_code ec;
  if (fs::is_directory(CasesRoot(), ec))
    for (const auto& e : fs::directory_iterator(CasesRoot())) dirs += e.is_directory() ? 1 : 0;
  EXPECT_EQ(dirs, static_cast<std::size_t>(MESHLINT_ISTIO_CASE_COUNT))
      << "tests/istio-cases changed since the last CMake run: rebuild so ctest lists the new questions";
#endif
  EXPECT_GE(DiscoverQuestions().size(), 1u);
}

}  // namespace
}  // namespace meshlint::testing
