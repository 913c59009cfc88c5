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
  return last.substr(0, last.rfind(" ("));  // without the time
}

constexpr const char* kDuplicateStripe =
    "apps/legacy/stripe.yaml:5:9: note [duplicate-object] shop/ServiceEntry/stripe is written "
    "again at apps/shop/stripe.yaml:4:9: one object, as `kubectl apply` of both leaves it; "
    "meshlint lints the copy read last (apps/shop/stripe.yaml:4:9) and not this one. Remove one "
    "copy.\n";

constexpr const char* kRenderedSidecar =
    "apps/shop/sidecar.rendered.yaml:10:15: warning [sidecar-egress-wildcard] Sidecar 'rendered' egress "
    "host \"*/*\" imports every service exported to its namespace, from every namespace: a "
    "ServiceEntry added by any team reaches these proxies. Name the namespaces instead "
    "(\"./*\", \"istio-system/*\", \"<ns>/<host>\").\n";
constexpr const char* kBrokenBuildOutput =
    "build/out.yaml:4:26: error [invalid-manifest] YAML syntax error: end of sequence flow not "
    "found\n";
constexpr const char* kDraftServiceEntry =
    "scratch/wip.yaml:7:3: warning [serviceentry-exported-to-all] ServiceEntry 'wip' exports "
    "*.example.org to every namespace: it has no exportTo and the mesh default "
    "(defaultServiceExportTo) is \"*\". Add exportTo: [\".\"] or the namespaces that need it.\n";
constexpr const char* kPartnerExported =
    "envs/prod/partner.yaml:7:3: warning [serviceentry-exported-to-all] ServiceEntry 'partner' "
    "exports api.partner.example.com to every namespace: it has no exportTo and the mesh "
    "default (defaultServiceExportTo) is \"*\". Add exportTo: [\".\"] or the namespaces that "
    "need it.\n";

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
  EXPECT_EQ(SummaryLine(r.err),
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
  EXPECT_EQ(Lines(r.out), std::string(kDuplicateStripe) + kRenderedSidecar + kBrokenBuildOutput +
                              kDraftServiceEntry);
  EXPECT_EQ(r.status, 1);
}

TEST(RealRepos, OutsideGitOnlyMeshlintignoreApplies) {
  if (!HaveGit()) GTEST_SKIP() << "git is not installed: .meshlintignore cannot be read";
  TempDir tmp;
  const fs::path repo = CopyRepo("platform-repo", tmp);
  auto r = RunInProcess({"lint", "--no-config"}, repo.string());
  // .gitignore means nothing outside a work tree; .meshlintignore does.
  EXPECT_EQ(Lines(r.out), std::string(kDuplicateStripe) + kRenderedSidecar + kBrokenBuildOutput);
  EXPECT_EQ(SummaryLine(r.err),
            "meshlint: 3 findings (1 error, 1 warning, 1 note) in 7 files, 5 objects, "
            "1 ignored file");
  EXPECT_EQ(r.status, 1);
}

TEST(RealRepos, NamedFilesAreLintedWhateverIgnoreFilesSay) {
  if (!HaveGit()) GTEST_SKIP() << "git is not installed: .gitignore cannot be read";
  TempDir tmp;
  const fs::path repo = CopyRepo("platform-repo", tmp);
  GitInit(repo);
  auto r =
      RunInProcess({"lint", "--no-config", "build/out.yaml", "scratch/wip.yaml"}, repo.string());
  const std::string lines = Lines(r.out);
  EXPECT_NE(lines.find(kBrokenBuildOutput), std::string::npos) << lines;
  EXPECT_NE(lines.find(kDraftServiceEntry), std::string::npos) << lines;
  EXPECT_EQ(r.status, 1);
}

// A directory named on the command line deep inside an ignored one (build/) is
// linted whole, without a note: git refuses to list ignored files below an
// ignored directory, and every file there is ignored by the pattern the
// user overrode by naming it.
TEST(RealRepos, NamedDirectoryInsideAnIgnoredOneIsLintedWhole) {
  if (!HaveGit()) GTEST_SKIP() << "git is not installed: .gitignore cannot be read";
  TempDir tmp;
  const fs::path repo = CopyRepo("platform-repo", tmp);
  GitInit(repo);
  fs::create_directories(repo / "build" / "gen" / "eu");
  fs::copy_file(repo / "build" / "out.yaml", repo / "build" / "gen" / "eu" / "out.yaml");
  auto r = RunInProcess({"lint", "--no-config", "build/gen/eu"}, repo.string());
  EXPECT_EQ(Lines(r.out), "build/gen/eu/" + std::string(kBrokenBuildOutput).substr(6));
  EXPECT_EQ(r.err.find("git ls-files failed"), std::string::npos) << r.err;
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
  EXPECT_EQ(Lines(r.out), std::string(kDuplicateStripe) + kBrokenBuildOutput);
}

TEST(RealRepos, EnvironmentsAreMeshesOfTheirOwn) {
  TempDir tmp;
  const fs::path repo = CopyRepo("envs-repo", tmp);
  auto r = RunInProcess({"lint"}, repo.string());
  // The same shop/Sidecar/default in envs/dev and envs/prod: one in each
  // mesh, no conflict and no duplicate; the true finding is prod's.
  EXPECT_EQ(Lines(r.out), std::string("== environment envs/prod ==\n") + kPartnerExported);
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(SummaryLine(r.err),
            "meshlint: 1 finding (0 errors, 1 warning, 0 notes) in 6 files, 9 objects");
  auto json = RunInProcess({"lint", "--format", "json"}, repo.string());
  EXPECT_NE(json.out.find("\"environment\": \"envs/prod\""), std::string::npos) << json.out;
  auto sarif = RunInProcess({"lint", "--format", "sarif"}, repo.string());
  EXPECT_NE(sarif.out.find("\"environment\": \"envs/prod\""), std::string::npos) << sarif.out;
}

TEST(RealRepos, WithoutEnvironmentsTheCopiesAreOneObject) {
  TempDir tmp;
  const fs::path repo = CopyRepo("envs-repo", tmp);
  auto r = RunInProcess({"lint", "--no-config"}, repo.string());
  EXPECT_EQ(Lines(r.out),
            "envs/dev/sidecar.yaml:4:9: note [duplicate-object] shop/Sidecar/default is written "
            "again at envs/prod/sidecar.yaml:4:9: one object, as `kubectl apply` of both leaves "
            "it; meshlint lints the copy read last (envs/prod/sidecar.yaml:4:9) and not this one. "
            "Remove one copy.\n" +
                std::string(kPartnerExported));
}

TEST(RealRepos, OneEnvironmentAtATime) {
  TempDir tmp;
  const fs::path repo = CopyRepo("envs-repo", tmp);
  auto r = RunInProcess({"lint", "--environment", "envs/prod"}, repo.string());
  EXPECT_EQ(Lines(r.out), std::string("== environment envs/prod ==\n") + kPartnerExported);
  auto e = RunInProcess({"egress"}, repo.string());
  EXPECT_EQ(e.err,
            "meshlint: .meshlint.yaml: the project config declares environments (the linted "
            "paths reach envs/dev, envs/prod): each is its own mesh; choose one with "
            "--environment NAME\n");
  EXPECT_EQ(e.status, 2);
  auto p = RunInProcess({"egress", "--environment", "envs/prod"}, repo.string());
  // The shared ServiceEntry and prod's own, each once.
  EXPECT_NE(p.out.find("  api.partner.example.com  shop/partner  443/TLS  "
                       "envs/prod/partner.yaml:7:11\n  api.stripe.com           shop/stripe   "
                       "443/TLS  base/stripe.yaml:8:11\n"),
            std::string::npos)
      << p.out;
  EXPECT_EQ(p.status, 0) << p.err;
  auto bad = RunInProcess({"lint", "--environment", "envs/qa"}, repo.string());
  EXPECT_NE(bad.err.find("meshlint: .meshlint.yaml: --environment envs/qa: no such environment "
                         "(the linted paths reach envs/dev, envs/prod)\n"),
            std::string::npos)
      << bad.err;
  EXPECT_EQ(bad.status, 2);
  auto none = RunInProcess({"lint", "--no-config", "--environment", "envs/qa"}, repo.string());
  EXPECT_EQ(none.status, 2);
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
  EXPECT_EQ(two.err,
            "meshlint: platform-repo: the linted paths are governed by different project "
            "configs: envs-repo by envs-repo/.meshlint.yaml, platform-repo by no config; lint "
            "them in separate runs, or choose one with --config\n");
  EXPECT_EQ(two.status, 2);
}

}  // namespace
}  // namespace meshlint
