// Real-looking repositories, part two (tests/repos/platform-repo and
// envs-repo): ignore files in and out of a git work tree, the config found
// from the linted path, one object written twice, and environments. Each
// test lints a copy in a scratch directory, so that the meshlint repository
// around the fixtures (its git work tree, its configs) plays no part.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "shell_run.h"
#include "test_util.h"

namespace meshlint {
namespace {

namespace fs = std::filesystem;
using testing::RunInProcess;
using testing::RunShell;
using testing::ShellQuote;
using testing::TempDir;

// A copy of tests/repos/NAME in `dir`; its dot-gitignore becomes .gitignore
// (a real one in the fixture would hide files from the meshlint repository).
fs::path CopyRepo(const char* name, const TempDir& dir) {
  const fs::path to = dir.path() / name;
  fs::copy(fs::path(testing::SourceDir()) / "tests" / "repos" / name, to,
           fs::copy_options::recursive);
  if (fs::exists(to / "dot-gitignore")) fs::rename(to / "dot-gitignore", to / ".gitignore");
  return to;
}

bool HaveGit() { return RunShell("git --version").status == 0; }

// Makes `dir` a git work tree (nothing committed: every file untracked).
void GitInit(const fs::path& dir) {
  ASSERT_EQ(RunShell("cd " + ShellQuote(dir.string()) + " && git init -q .").status, 0);
}

// The report's finding lines and section headers.
std::string Lines(const std::string& out) {
  std::string lines, line;
  std::istringstream in(out);
  while (std::getline(in, line))
    if (line.find(": error [") != std::string::npos ||
        line.find(": warning [") != std::string::npos ||
        line.find(": note [") != std::string::npos || line.starts_with("== "))
      lines += line + "\n";
  return lines;
}

std::string SummaryLine(const std::string& out) {
  std::string line, last;
  std::istringstream in(out);
  while (std::getline(in, line))
    if (line.starts_with("meshlint: ")) last = line;
  return last.substr(0, last.find(" ("));
}

constexpr const char* kDuplicateStripe =
    "apps/legacy/stripe.yaml:5:9: note [duplicate-object] shop/ServiceEntry/stripe is written "
    "again at apps/shop/stripe.yaml:4:9: one object, as `kubectl apply` of both leaves it; "
    "meshlint lints the copy read last (apps/shop/stripe.yaml:4:9) and not this one. Remove one "
    "copy.\n";

TEST(RealRepos, GitWorkTreeRespectsGitignoreAndMeshlintignore) {
  if (!HaveGit()) GTEST_SKIP() << "git is not installed: .gitignore cannot be read";
  TempDir tmp;
  const fs::path repo = CopyRepo("platform-repo", tmp);
  GitInit(repo);
  auto r = RunInProcess({"lint", "--no-config"}, repo.string());
  // build/ and *.rendered.yaml (.gitignore) and scratch/ (.meshlintignore)
  // are left out; the Flux HelmRelease is the mesh config; the second
  // stripe ServiceEntry is one object with the first.
  EXPECT_EQ(Lines(r.out), kDuplicateStripe);
  EXPECT_EQ(SummaryLine(r.out),
            "meshlint: 1 finding (0 errors, 0 warnings, 1 note) in 5 files, 4 objects, "
            "3 ignored files");
  EXPECT_EQ(r.status, 0) << r.err;
}

TEST(RealRepos, NoIgnoreLintsEverything) {
  if (!HaveGit()) GTEST_SKIP() << "git is not installed: .gitignore cannot be read";
  TempDir tmp;
  const fs::path repo = CopyRepo("platform-repo", tmp);
  GitInit(repo);
  auto r = RunInProcess({"lint", "--no-config", "--no-ignore"}, repo.string());
  EXPECT_EQ(Lines(r.out), "NO-IGNORE");
  EXPECT_EQ(r.status, 1);
}

TEST(RealRepos, OutsideGitOnlyMeshlintignoreApplies) {
  if (!HaveGit()) GTEST_SKIP() << "git is not installed: .meshlintignore cannot be read";
  TempDir tmp;
  const fs::path repo = CopyRepo("platform-repo", tmp);
  auto r = RunInProcess({"lint", "--no-config"}, repo.string());
  EXPECT_EQ(Lines(r.out), "OUTSIDE-GIT");
  EXPECT_EQ(r.status, 1);
}

TEST(RealRepos, NamedFilesAreLintedWhateverIgnoreFilesSay) {
  if (!HaveGit()) GTEST_SKIP() << "git is not installed: .gitignore cannot be read";
  TempDir tmp;
  const fs::path repo = CopyRepo("platform-repo", tmp);
  GitInit(repo);
  auto r =
      RunInProcess({"lint", "--no-config", "build/out.yaml", "scratch/wip.yaml"}, repo.string());
  EXPECT_EQ(Lines(r.out), "NAMED");
  EXPECT_EQ(r.status, 1);
}

TEST(RealRepos, TrackedFilesAreNotIgnoredByGit) {
  if (!HaveGit()) GTEST_SKIP() << "git is not installed: .gitignore cannot be read";
  TempDir tmp;
  const fs::path repo = CopyRepo("platform-repo", tmp);
  GitInit(repo);
  // As for git itself: .gitignore is about untracked files.
  ASSERT_EQ(RunShell("cd " + ShellQuote(repo.string()) + " && git add -f build/out.yaml").status,
            0);
  auto r = RunInProcess({"lint", "--no-config"}, repo.string());
  EXPECT_NE(Lines(r.out).find("build/out.yaml:4:"), std::string::npos) << r.out;
  EXPECT_EQ(Lines(r.out).find("sidecar.rendered.yaml"), std::string::npos) << r.out;
}

TEST(RealRepos, EnvironmentsAreMeshesOfTheirOwn) {
  TempDir tmp;
  const fs::path repo = CopyRepo("envs-repo", tmp);
  auto r = RunInProcess({"lint"}, repo.string());
  EXPECT_EQ(Lines(r.out), "ENVS");
  EXPECT_EQ(r.status, 0) << r.err;
}

TEST(RealRepos, WithoutEnvironmentsTheCopiesAreOneObject) {
  TempDir tmp;
  const fs::path repo = CopyRepo("envs-repo", tmp);
  auto r = RunInProcess({"lint", "--no-config"}, repo.string());
  EXPECT_EQ(Lines(r.out), "NOENVS");
}

TEST(RealRepos, OneEnvironmentAtATime) {
  TempDir tmp;
  const fs::path repo = CopyRepo("envs-repo", tmp);
  auto r = RunInProcess({"lint", "--environment", "envs/prod"}, repo.string());
  EXPECT_EQ(Lines(r.out), "PROD");
  auto e = RunInProcess({"egress"}, repo.string());
  EXPECT_EQ(e.err, "EGRESS-ERR");
  EXPECT_EQ(e.status, 2);
  auto p = RunInProcess({"egress", "--environment", "envs/prod"}, repo.string());
  EXPECT_EQ(p.out, "EGRESS-PROD");
  EXPECT_EQ(p.status, 0) << p.err;
  auto bad = RunInProcess({"lint", "--environment", "envs/qa"}, repo.string());
  EXPECT_EQ(bad.err, "BAD");
  EXPECT_EQ(bad.status, 2);
}

TEST(RealRepos, ConfigIsFoundFromTheLintedPath) {
  TempDir tmp;
  CopyRepo("envs-repo", tmp);
  CopyRepo("platform-repo", tmp);
  // From above the repository: envs-repo/.meshlint.yaml applies (its
  // environments make the sections).
  auto r = RunInProcess({"lint", "envs-repo"}, tmp.str());
  EXPECT_NE(r.out.find("== environment envs/prod =="), std::string::npos) << r.out << r.err;
  // Two paths under different configs: refused, with both named.
  auto two = RunInProcess({"lint", "envs-repo", "platform-repo"}, tmp.str());
  EXPECT_EQ(two.err, "TWO");
  EXPECT_EQ(two.status, 2);
}

}  // namespace
}  // namespace meshlint
