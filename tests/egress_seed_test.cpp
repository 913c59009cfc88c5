// The seed write-up (shared/seed/restricting-egress-per-namespace.txt), step by
// step: `meshlint egress --from NS --to deb.debian.org` must give the answer
// the author observed (apt update worked: exit 0; 502 Bad Gateway: exit 1),
// and its explanation must stay as reviewed (egress-<ns>.txt beside the
// manifests; MESHLINT_UPDATE_GOLDEN=1 rewrites them).
//
// The Sidecar steps (5, 6) are the write-up's second option, an alternative to
// the first (exportTo), so their ServiceEntry is exported everywhere again:
// with exportTo ["."] the step-6 Sidecar entry would import nothing (that case
// is fixtures/sidecar-egress-unresolved-host/fires-not-exported).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "test_util.h"

namespace meshlint::testing {
namespace {

namespace fs = std::filesystem;

struct Step {
  int step;
  bool default_reaches;
  bool newguy_reaches;
};

// What the author saw. newguy does not exist before step 3: the answer is what
// a namespace created then gets, the same as default's (REGISTRY_ONLY, no
// ServiceEntry: 502).
constexpr Step kSteps[] = {
    {1, false, false},  // REGISTRY_ONLY, no ServiceEntry: 502 everywhere
    {2, true, true},    // ServiceEntry without exportTo: apt update works
    {3, true, true},    // plot twist: newguy works too
    {4, true, false},   // exportTo ["."]: newguy 502, default still works
    {5, true, false},   // Sidecar "./*", "istio-system/*" in newguy: 502
    {6, true, true},    // + "default/deb.debian.org": works again
};

bool Updating() {
  const char* v = std::getenv("MESHLINT_UPDATE_GOLDEN");
  return v && std::string(v) == "1";
}

class SeedEgress : public ::testing::TestWithParam<Step> {};

TEST_P(SeedEgress, AnswersAsTheAuthorObserved) {
  const Step& s = GetParam();
  const fs::path dir = fs::path(SourceDir()) / "fixtures" / "scenarios" /
                       ("seed-egress-step-" + std::to_string(s.step));
  ASSERT_TRUE(fs::is_directory(dir)) << dir;
  for (const auto& [ns, reaches] : {std::pair<std::string, bool>{"default", s.default_reaches},
                                    std::pair<std::string, bool>{"newguy", s.newguy_reaches}}) {
    const CommandResult r =
        RunInProcess({"egress", ".", "--from", ns, "--to", "deb.debian.org"}, dir.string());
    EXPECT_EQ(r.status, reaches ? 0 : 1)
        << "step " << s.step << ", --from " << ns << ": the author observed "
        << (reaches ? "apt update working" : "502 Bad Gateway") << "\n"
        << r.out << r.err;
    EXPECT_EQ(r.out.rfind(std::string("deb.debian.org is ") +
                              (reaches ? "reachable" : "NOT reachable") + " from namespace " + ns,
                          0),
              0u)
        << r.out;
    const fs::path golden = dir / ("egress-" + ns + ".txt");
    if (Updating()) {
      std::ofstream(golden, std::ios::binary | std::ios::trunc) << r.out;
      continue;
    }
    ASSERT_TRUE(fs::exists(golden)) << golden << " missing (MESHLINT_UPDATE_GOLDEN=1)";
    EXPECT_EQ(ReadFileText(golden.string()), r.out) << "step " << s.step << " --from " << ns;
  }
}

// The whole report of each step, as reviewed (egress-report.txt).
TEST_P(SeedEgress, ReportAsReviewed) {
  const Step& s = GetParam();
  const fs::path dir = fs::path(SourceDir()) / "fixtures" / "scenarios" /
                       ("seed-egress-step-" + std::to_string(s.step));
  const CommandResult r = RunInProcess({"egress", "."}, dir.string());
  EXPECT_EQ(r.status, 0) << r.err;
  const fs::path golden = dir / "egress-report.txt";
  if (Updating()) {
    std::ofstream(golden, std::ios::binary | std::ios::trunc) << r.out;
    GTEST_SKIP() << "rewrote " << golden;
  }
  ASSERT_TRUE(fs::exists(golden)) << golden << " missing (MESHLINT_UPDATE_GOLDEN=1)";
  EXPECT_EQ(ReadFileText(golden.string()), r.out) << "step " << s.step;
}

INSTANTIATE_TEST_SUITE_P(Steps, SeedEgress, ::testing::ValuesIn(kSteps),
                         [](const ::testing::TestParamInfo<Step>& info) {
                           return "step" + std::to_string(info.param.step);
                         });

}  // namespace
}  // namespace meshlint::testing
