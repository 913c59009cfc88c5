// The CI examples build meshlint once per meshlint commit: GitLab's job
// caches the .deb under a key made of the commit it names, the GitHub
// Action caches the binary under the commit and runner image.
#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "shell_run.h"
#include "test_util.h"

namespace meshlint::testing {
namespace {

TEST(CiCache, GitlabJobCachesTheDebPerMeshlintCommit) {
  const std::string job = ReadFileText(SourceDir() + "/ci/gitlab-ci.yml");
  std::smatch commit;
  ASSERT_TRUE(std::regex_search(job, commit, std::regex("\n    MESHLINT_COMMIT: ([0-9a-f]{40})")))
      << job;
  EXPECT_NE(job.find("\n  cache:\n    key: meshlint-bookworm-$MESHLINT_COMMIT\n    paths:\n"
                     "      - .meshlint-cache/\n    when: always"),
            std::string::npos)
      << job;
  EXPECT_NE(job.find("  image: debian:bookworm\n"), std::string::npos);
  EXPECT_NE(
      job.find("fetch -q --depth 1 https://github.com/meshlint/meshlint \"$MESHLINT_COMMIT\""),
      std::string::npos);
  EXPECT_NE(job.find("deb=\"$(/opt/meshlint/ci/package)\""), std::string::npos);
  EXPECT_NE(
      job.find("apt-get install -y -qq --no-install-recommends ./.meshlint-cache/meshlint_*.deb"),
      std::string::npos);
  // The commit it names is one of meshlint's that has ci/package, when this
  // is a checkout that has it.
  const std::string git = "git -C " + ShellQuote(SourceDir());
  if (RunShell(git + " cat-file -e " + commit[1].str() + "^{commit}").status != 0)
    GTEST_SKIP() << "commit " << commit[1] << " is not in this checkout (a shallow clone?)";
  EXPECT_EQ(RunShell(git + " cat-file -e " + commit[1].str() + ":ci/package").status, 0)
      << commit[1] << " has no ci/package";
}

TEST(CiCache, GithubActionCachesTheBinaryPerCommitAndImage) {
  const std::string action = ReadFileText(SourceDir() + "/action.yml");
  EXPECT_NE(action.find("uses: actions/cache/restore@v4"), std::string::npos);
  EXPECT_NE(action.find("uses: actions/cache/save@v4"), std::string::npos);
  TempDir home;
  ShellResult r = RunShell(
      "cd " + ShellQuote(SourceDir()) + " && GITHUB_OUTPUT=" + ShellQuote(home.str() + "/out") +
      " ImageOS=ubuntu24 ImageVersion=1.2 " + "HOME=" + ShellQuote(home.str()) +
      " ci/github-action key && cat " + ShellQuote(home.str() + "/out"));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("^key=meshlint-ubuntu24-1\\.2-[a-z0-9_]+-"
                                                  "([0-9a-f]{40}|src-[0-9a-f]{16})\n")))
      << r.out;
}

}  // namespace
}  // namespace meshlint::testing
