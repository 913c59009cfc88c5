// Building only what is asked: ci/demo and the GitHub Action build the
// binary, not the test suite, and MESHLINT_TESTS=OFF leaves no test target.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "shell_run.h"
#include "test_util.h"

namespace meshlint {
namespace {

using testing::RunShell;
using testing::ShellQuote;
using testing::SourceDir;

TEST(BuildOptions, TestsOffConfiguresTheBinaryAlone) {
  const std::string dir = (std::filesystem::temp_directory_path() /
                           ("meshlint-tests-off-" + std::to_string(::getpid())))
                              .string();
  const auto r = RunShell("set -e\ncmake -S " + ShellQuote(SourceDir()) + " -B " + ShellQuote(dir) +
                          " -G Ninja -DMESHLINT_TESTS=OFF >/dev/null\n" + "ninja -C " +
                          ShellQuote(dir) + " -t targets all\n");
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("\nmeshlint: "), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("meshlint_tests"), std::string::npos) << "a test target was configured";
  EXPECT_EQ(r.out.find("gtest"), std::string::npos);
}

TEST(BuildOptions, DemoAndActionBuildOnlyTheBinary) {
  const std::string demo = testing::ReadFileText(SourceDir() + "/ci/demo");
  EXPECT_NE(demo.find("\nci/build --binary-only"), std::string::npos);
  const std::string build = testing::ReadFileText(SourceDir() + "/ci/build");
  EXPECT_NE(build.find("targets=(--target meshlint)"), std::string::npos);
  EXPECT_NE(build.find("tests=OFF"), std::string::npos);
  const std::string action = testing::ReadFileText(SourceDir() + "/ci/github-action");
  EXPECT_NE(action.find("-DMESHLINT_TESTS=OFF"), std::string::npos);
  EXPECT_NE(action.find("--target meshlint"), std::string::npos);
}

}  // namespace
}  // namespace meshlint
