// Linting before a commit: `lint --context DIR FILE...` (context from the whole
// project, findings from the named files only), the hook script and the
// pre-commit manifest, and rendered input on stdin (helm template with its
// `# Source:` comments, kubectl kustomize).
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>

#include "loader/text.h"
#include "shell_run.h"
#include "test_util.h"

namespace meshlint::testing {
namespace {

namespace fs = std::filesystem;

// A small project spread over files, as repositories are.
void WriteProject(const TempDir& dir) {
  dir.Write(
      "apps/team-a/ns.yaml",
      "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a\n  labels: {istio-injection: enabled}\n");
  // team-a's Sidecar lives in another file: it still counts.
  dir.Write("apps/team-a/sidecar.yaml",
            "apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata:\n  name: default\n"
            "  namespace: team-a\nspec:\n  egress:\n  - hosts: [\"./*\", \"istio-system/*\"]\n");
  dir.Write(
      "apps/team-b/ns.yaml",
      "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-b\n  labels: {istio-injection: enabled}\n");
  dir.Write("apps/team-b/se.yaml",
            "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: debian\n"
            "  namespace: team-b\nspec:\n  hosts: [deb.debian.org]\n");
  dir.Write("broken.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: [\n");
}

const std::string kTeamBNamespace =
    "apps/team-b/ns.yaml:4:9: warning [namespace-without-sidecar] Namespace 'team-b' has no "
    "default Sidecar and the root namespace istio-system has none to inherit: the Istio proxies "
    "of its pods import every service exported to namespace 'team-b', including 1 external host. Add a Sidecar without "
    "workloadSelector whose egress hosts list only what it needs (e.g. \"./*\", "
    "\"istio-system/*\").\n";
const std::string kTeamBServiceEntry =
    "apps/team-b/se.yaml:7:3: warning [serviceentry-exported-to-all] ServiceEntry 'debian' "
    "exports deb.debian.org to every namespace: it has no exportTo and the mesh default "
    "(defaultServiceExportTo) is \"*\". Add exportTo: [\".\"] or the namespaces that need it.\n";

TEST(Context, TheFullRunHasFindingsEverywhere) {
  // What --context must filter: findings in every file, and the mesh-wide one
  // (about the project, in no file).
  TempDir dir;
  WriteProject(dir);
  CommandResult r = RunMeshlint({"lint", ".", "-q"}, dir.str());
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find("apps/team-b/ns.yaml:4:9: warning [namespace-without-sidecar]"),
            std::string::npos);
  EXPECT_NE(r.out.find("apps/team-b/se.yaml:7:3: warning [serviceentry-exported-to-all]"),
            std::string::npos);
  EXPECT_NE(r.out.find("warning [mesh-outbound-allow-any] No mesh config"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("broken.yaml:3:11: error [invalid-manifest]"), std::string::npos) << r.out;
}

TEST(Context, ASidecarInAnotherFileStillCounts) {
  TempDir dir;
  WriteProject(dir);
  // Alone, team-a's Namespace looks unprotected...
  CommandResult alone = RunMeshlint({"lint", "apps/team-a/ns.yaml", "-q"}, dir.str());
  EXPECT_NE(alone.out.find("apps/team-a/ns.yaml:4:9: warning [namespace-without-sidecar]"),
            std::string::npos)
      << alone.out;
  // ...with the project as context it is not, and nothing from the other
  // files (team-b, broken.yaml, the mesh-wide finding) is reported.
  CommandResult r = RunMeshlint({"lint", "--context", ".", "apps/team-a/ns.yaml", "-q"}, dir.str());
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST(Context, OnlyTheNamedFilesFindingsAreReported) {
  TempDir dir;
  WriteProject(dir);
  CommandResult r = RunMeshlint({"lint", "--context", ".", "apps/team-b/se.yaml", "-q"}, dir.str());
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, kTeamBServiceEntry);
  r = RunMeshlint({"lint", "--context", ".", "apps/team-b/se.yaml", "apps/team-b/ns.yaml", "-q"},
                  dir.str());
  EXPECT_EQ(r.out, kTeamBNamespace + kTeamBServiceEntry);
  // A named directory covers its files.
  r = RunMeshlint({"lint", "--context", ".", "apps/team-b", "-q"}, dir.str());
  EXPECT_EQ(r.out, kTeamBNamespace + kTeamBServiceEntry);
}

TEST(Context, ANamedBrokenFileIsReportedButNotTheMeshWideFinding) {
  TempDir dir;
  WriteProject(dir);
  fs::remove(dir.path() / "apps/team-a/ns.yaml");
  dir.Write(
      "a-first.yaml",
      "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a\n  labels: {istio-injection: enabled}\n");
  CommandResult full = RunMeshlint({"lint", ".", "-q"}, dir.str());
  ASSERT_NE(full.out.find("warning [mesh-outbound-allow-any] No mesh config"), std::string::npos)
      << full.out;
  CommandResult r =
      RunMeshlint({"lint", "--context", ".", "a-first.yaml", "broken.yaml", "-q"}, dir.str());
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out,
            "broken.yaml:3:11: error [invalid-manifest] YAML syntax error: end of sequence flow "
            "not found\n");
}

TEST(Context, NamedFilesOutsideTheContextDirectoryAreLoadedToo) {
  TempDir dir;
  WriteProject(dir);
  dir.Write("extra/se.yaml",
            "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: pypi\n"
            "  namespace: team-a\nspec:\n  hosts: [pypi.org]\n  exportTo: [\".\"]\n");
  CommandResult r = RunMeshlint(
      {"lint", "--context", "apps", "extra/se.yaml", "apps/team-a/ns.yaml", "-q"}, dir.str());
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_EQ(r.out, "");
}

TEST(Context, UsageErrors) {
  TempDir dir;
  WriteProject(dir);
  CommandResult r = RunMeshlint({"lint", "--context", "broken.yaml", "broken.yaml"}, dir.str());
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err,
            "meshlint: --context takes a directory, got 'broken.yaml'\n(run 'meshlint --help')\n");
  r = RunMeshlint({"lint", "--context", ".", "-"}, dir.str());
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err,
            "meshlint: --context reports on named files; stdin cannot be one\n"
            "(run 'meshlint --help')\n");
}

TEST(Context, NothingNamedNothingReported) {
  TempDir dir;
  WriteProject(dir);
  CommandResult r = RunMeshlint({"lint", "--context", ".", "-q"}, dir.str());
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "");
}

// ---------------------------------------------------------------- the hook

// Runs `cmd` with sh; its stdout goes to `output`, stderr is dropped.
int Shell(const std::string& cmd, std::string* output = nullptr) {
  const std::string out_file =
      fs::temp_directory_path() / ("meshlint-hook-out-" + std::to_string(::getpid()));
  int raw = std::system(("(" + cmd + ") >'" + out_file + "' 2>/dev/null").c_str());
  if (output) *output = ReadFileText(out_file);
  fs::remove(out_file);
  return WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
}

TEST(PreCommitHook, PlainGitHookLintsTheStagedFilesWithTheRepositoryAsContext) {
  if (Shell("git --version") != 0) GTEST_SKIP() << "git is not installed";
  TempDir dir;
  WriteProject(dir);
  const std::string hook = SourceDir() + "/ci/pre-commit-hook";
  const std::string in_repo = "cd '" + dir.str() + "' && ";
  const std::string run = in_repo + "MESHLINT='" + MESHLINT_BINARY + "' '" + hook + "'";
  ASSERT_EQ(Shell(in_repo + "git init -q ."), 0);

  std::string out;
  EXPECT_EQ(Shell(run, &out), 0) << out;  // nothing staged
  EXPECT_EQ(out, "");

  ASSERT_EQ(Shell(in_repo + "git add apps/team-a/ns.yaml"), 0);
  EXPECT_EQ(Shell(run, &out), 0) << out;  // its Sidecar is not staged but counts
  EXPECT_EQ(out, "");

  ASSERT_EQ(Shell(in_repo + "git add apps/team-b/se.yaml"), 0);
  EXPECT_EQ(Shell(run, &out), 1);
  EXPECT_EQ(out, kTeamBServiceEntry);

  // Run from a subdirectory, as git does not guarantee the hook's directory.
  EXPECT_EQ(
      Shell("cd '" + dir.str() + "/apps' && MESHLINT='" + MESHLINT_BINARY + "' '" + hook + "'",
            &out),
      1);
  EXPECT_EQ(out, kTeamBServiceEntry);

  // As the pre-commit framework calls it: the files as arguments.
  EXPECT_EQ(Shell(run + " apps/team-b/ns.yaml", &out), 1);
  EXPECT_EQ(out, kTeamBNamespace);
}

// The manifest as the pre-commit framework itself reads it (`pre-commit
// try-repo` runs this repository's committed hook on a scratch repository).
TEST(PreCommitHook, ThePreCommitFrameworkRunsIt) {
  if (Shell("pre-commit --version") != 0) GTEST_SKIP() << "pre-commit is not installed";
  if (Shell("cd '" + SourceDir() + "' && git rev-parse HEAD") != 0)
    GTEST_SKIP() << "the source directory is not a git repository";
  TempDir dir;
  WriteProject(dir);
  dir.Write(".meshlint.yaml", "rules:\n  mesh-outbound-allow-any: off\n");
  const std::string in_repo = "cd '" + dir.str() + "/project' && ";
  ASSERT_EQ(Shell("mkdir '" + dir.str() + "/project' && mv '" + dir.str() + "/apps' '" + dir.str() +
                  "/.meshlint.yaml' '" + dir.str() + "/project/'"),
            0);
  ASSERT_EQ(Shell(in_repo + "git init -q . && git add apps/team-a/ns.yaml"), 0);
  const std::string run = in_repo + "PRE_COMMIT_HOME='" + dir.str() + "/cache' MESHLINT='" +
                          MESHLINT_BINARY + "' pre-commit try-repo '" + SourceDir() + "' meshlint";
  std::string out;
  EXPECT_EQ(Shell(run, &out), 0) << out;  // team-a's Sidecar is not staged but counts
  ASSERT_EQ(Shell(in_repo + "git add apps/team-b/se.yaml"), 0);
  EXPECT_EQ(Shell(run, &out), 1) << out;
  EXPECT_NE(out.find(kTeamBServiceEntry), std::string::npos) << out;
  EXPECT_EQ(out.find("apps/team-b/ns.yaml"), std::string::npos) << out;  // not staged
}

TEST(PreCommitHook, ManifestForThePreCommitFramework) {
  const std::string manifest = ReadFileText(SourceDir() + "/.pre-commit-hooks.yaml");
  EXPECT_NE(manifest.find("- id: meshlint\n"), std::string::npos);
  EXPECT_NE(manifest.find("  entry: ci/pre-commit-hook\n"), std::string::npos);
  EXPECT_NE(manifest.find("  language: script\n"), std::string::npos);
  EXPECT_NE(manifest.find("  files: \\.(ya?ml|json)$\n"), std::string::npos);
  EXPECT_NE(manifest.find("  require_serial: true\n"), std::string::npos);
  EXPECT_TRUE((fs::status(SourceDir() + "/ci/pre-commit-hook").permissions() &
               fs::perms::owner_exec) != fs::perms::none)
      << "ci/pre-commit-hook must be executable";
}

// The pre-commit snippet of the docs, as a user pastes it: only `repo:` is
// pointed at this checkout (no network here); `rev:` stays as written, so a
// rev that does not exist fails this test.
std::string DocumentedSnippet(const std::string& doc) {
  const std::string text = ReadFileText(SourceDir() + "/" + doc);
  const std::string open = "```yaml\nrepos:\n- repo: https://github.com/meshlint/meshlint\n";
  const std::size_t begin = text.find(open);
  if (begin == std::string::npos) return "";
  const std::size_t end = text.find("```\n", begin + open.size());
  return text.substr(begin + 8, end - begin - 8);
}

TEST(PreCommitHook, TheDocumentedSnippetRunsAsWritten) {
  const std::string snippet = DocumentedSnippet("docs/ci-integration.md");
  ASSERT_NE(snippet, "") << "docs/ci-integration.md lacks the pre-commit snippet";
  EXPECT_EQ(DocumentedSnippet("README.md"), snippet) << "README.md and the docs disagree";
  std::smatch rev;
  ASSERT_TRUE(std::regex_search(snippet, rev, std::regex("\n  rev: ([0-9a-f]{40})\n")))
      << "rev: must be a full commit SHA (or change this test for a tag):\n"
      << snippet;
  if (RunShell("pre-commit --version").status != 0) GTEST_SKIP() << "pre-commit is not installed";
  const std::string src = ShellQuote(SourceDir());
  if (RunShell("git -C " + src + " rev-parse HEAD").status != 0)
    GTEST_SKIP() << "the source directory is not a git repository";
  if (RunShell("git -C " + src + " cat-file -e " + rev[1].str() + "^{commit}").status != 0) {
    if (RunShell("git -C " + src + " rev-parse --is-shallow-repository").out == "true\n")
      GTEST_SKIP() << "shallow clone: the documented rev " << rev[1] << " is not in it";
    FAIL() << "the documented rev " << rev[1] << " is not a commit of this repository";
  }
  TempDir dir;
  WriteProject(dir);
  std::string config = snippet;
  config.replace(config.find("https://github.com/meshlint/meshlint"),
                 std::string("https://github.com/meshlint/meshlint").size(), SourceDir());
  dir.Write("project/.pre-commit-config.yaml", config);
  dir.Write("project/.meshlint.yaml", "rules:\n  mesh-outbound-allow-any: off\n");
  ASSERT_EQ(
      RunShell("mv " + ShellQuote(dir.str() + "/apps") + " " + ShellQuote(dir.str() + "/project/"))
          .status,
      0);
  const std::string in_project = "cd " + ShellQuote(dir.str() + "/project") + " && ";
  ASSERT_EQ(RunShell(in_project + "git init -q . && git add apps/team-a/ns.yaml").status, 0);
  const std::string run = in_project +
                          "export PRE_COMMIT_HOME=" + ShellQuote(dir.str() + "/cache") +
                          " MESHLINT=" + ShellQuote(MESHLINT_BINARY) + " && pre-commit run";
  ShellResult r = RunShell(run);
  EXPECT_EQ(r.status, 0) << r.out << r.err;  // team-a's Sidecar is not staged but counts
  EXPECT_NE(r.out.find("meshlint"), std::string::npos) << r.out;
  ASSERT_EQ(RunShell(in_project + "git add apps/team-b/se.yaml").status, 0);
  r = RunShell(run);
  EXPECT_EQ(r.status, 1) << r.out << r.err;
  EXPECT_NE(r.out.find(kTeamBServiceEntry), std::string::npos) << r.out;
}

// A copy of the hook in a directory that looks like a meshlint checkout, and
// a PATH with only the tools the hook needs (so no installed meshlint).
struct FakeCheckout {
  TempDir dir;
  std::string hook, path;

  FakeCheckout() {
    WriteProject(dir);
    ShellResult r = RunShell("cd " + ShellQuote(dir.str()) + " && git init -q . && git add apps");
    EXPECT_EQ(r.status, 0) << r.err;
    hook = dir.Write("meshlint-src/ci/pre-commit-hook",
                     ReadFileText(SourceDir() + "/ci/pre-commit-hook"));
    fs::permissions(hook, fs::perms::owner_all);
    dir.Write("meshlint-src/CMakeLists.txt", "project(meshlint)\n");
    dir.Write("meshlint-src/rules/README", "");
    path = (dir.path() / "bin").string();
    fs::create_directories(path);
    for (const char* tool : {"bash", "git", "readlink", "dirname", "mktemp", "tail", "rm", "nproc",
                             "cp", "mkdir", "cat", "env"}) {
      ShellResult which = RunShell(std::string("command -v ") + tool);
      if (which.status == 0)
        fs::create_symlink(which.out.substr(0, which.out.size() - 1), fs::path(path) / tool);
    }
  }
  // A stand-in for cmake: configure makes the build directory, --build puts
  // the real binary there (or fails, when `works` is false).
  std::string FakeCmake(bool works) const {
    const std::string file = dir.Write(
        works ? "cmake-ok" : "cmake-broken",
        "#!/bin/bash\n"
        "if [ \"$1\" = --build ]; then\n" +
            std::string(works ? "  cp " + ShellQuote(MESHLINT_BINARY) + " \"$2/meshlint\"; exit 0\n"
                              : "  echo 'yaml-cpp not found' >&2; exit 1\n") +
            "fi\nwhile [ $# -gt 0 ]; do [ \"$1\" = -B ] && mkdir -p \"$2\"; shift; done\n");
    fs::permissions(file, fs::perms::owner_all);
    return file;
  }
  ShellResult Run(const std::string& env) const {
    return RunShell("cd " + ShellQuote(dir.str()) + " && PATH=" + ShellQuote(path) + " " + env +
                    " " + ShellQuote(hook) + " apps/team-b/se.yaml");
  }
};

TEST(PreCommitHook, BuildsMeshlintOnceInItsOwnCheckout) {
  if (RunShell("git --version").status != 0) GTEST_SKIP() << "git is not installed";
  FakeCheckout c;
  ShellResult r = c.Run("CMAKE=" + ShellQuote(c.FakeCmake(true)));
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_EQ(r.out, kTeamBServiceEntry);
  const std::string built = c.dir.str() + "/meshlint-src/build-hook";
  EXPECT_EQ(r.err.rfind("meshlint pre-commit hook: building meshlint once into " + built +
                            " (this takes a few minutes)...\nmeshlint pre-commit hook: built " +
                            built + "/meshlint\nmeshlint: 1 finding (",
                        0),
            0u)
      << r.err;
  // The next commit uses that build.
  r = c.Run("CMAKE=/nonexistent");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, kTeamBServiceEntry);
  EXPECT_EQ(r.err.rfind("meshlint: 1 finding (", 0), 0u) << r.err;
}

TEST(PreCommitHook, SaysWhatToDoWhenItCannotBuild) {
  if (RunShell("git --version").status != 0) GTEST_SKIP() << "git is not installed";
  FakeCheckout c;
  const std::string src = c.dir.str() + "/meshlint-src";
  ShellResult r = c.Run("CMAKE=/nonexistent");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "meshlint pre-commit hook: no meshlint binary found, and cmake is not installed to "
            "build one.\nmeshlint pre-commit hook: Install the build dependencies "
            "(Debian/Ubuntu: sudo " +
                src +
                "/ci/setup), or put\nmeshlint pre-commit hook: "
                "meshlint on PATH, or set MESHLINT=/path/to/meshlint.\n");
  r = c.Run("CMAKE=" + ShellQuote(c.FakeCmake(false)));
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("yaml-cpp not found\nmeshlint pre-commit hook: building meshlint failed "
                       "(the last lines are above).\n"),
            std::string::npos)
      << r.err;
  // Outside a meshlint checkout (a copy in .git/hooks) it cannot build.
  const std::string copy = c.dir.Write(".git/hooks/pre-commit", ReadFileText(c.hook));
  fs::permissions(copy, fs::perms::owner_all);
  r = RunShell("cd " + ShellQuote(c.dir.str()) + " && PATH=" + ShellQuote(c.path) + " " +
               ShellQuote(copy));
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err,
            "meshlint pre-commit hook: no meshlint found: set MESHLINT, put meshlint on PATH, or "
            "build it into build/meshlint\n");
}

// ---------------------------------------------------------------- rendered input

// What `helm template team-b ./mychart` prints: every document preceded by
// the template it came from.
const char* const kHelmOutput =
    "---\n"                                         // 1
    "# Source: mychart/templates/namespace.yaml\n"  // 2
    "apiVersion: v1\n"                              // 3
    "kind: Namespace\n"                             // 4
    "metadata:\n"                                   // 5
    "  name: team-b\n"                              // 6
    "---\n"                                         // 7
    "# Source: mychart/templates/egress.yaml\n"     // 8
    "apiVersion: networking.istio.io/v1\n"          // 9
    "kind: ServiceEntry\n"                          // 10
    "metadata:\n"                                   // 11
    "  name: pypi\n"                                // 12
    "  namespace: team-b\n"                         // 13
    "spec:\n"                                       // 14
    "  hosts:\n"                                    // 15
    "    - pypi.org\n"                              // 16
    "  exportTo: [\".\"]\n"                         // 17
    "---\n"                                         // 18
    "# Source: mychart/templates/egress.yaml\n"     // 19
    "apiVersion: networking.istio.io/v1\n"          // 20
    "kind: ServiceEntry\n"                          // 21
    "metadata:\n"                                   // 22
    "  name: debian\n"                              // 23
    "  namespace: team-b\n"                         // 24
    "spec:\n"                                       // 25
    "  hosts:\n"                                    // 26
    "    - deb.debian.org\n";                       // 27

TEST(HelmSource, FoundBeforeTheDocumentsContent) {
  auto s = FindHelmSource("---\n# Source: chart/templates/a.yaml\napiVersion: v1\n");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->path, "chart/templates/a.yaml");
  EXPECT_EQ(s->line, 1u);
  EXPECT_EQ(s->offset, 4u);
  s = FindHelmSource("# Source: c/templates/b.yaml\r\nkind: X\r\n");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->path, "c/templates/b.yaml");
  EXPECT_EQ(s->line, 0u);
  s = FindHelmSource("---\n\n# generated\n# Source: c/templates/b.yaml  \nkind: X\n");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->path, "c/templates/b.yaml");
  EXPECT_EQ(s->line, 3u);
  // Only before the content: a comment further down is just a comment.
  EXPECT_FALSE(FindHelmSource("---\nkind: X\n# Source: c/templates/b.yaml\n"));
  EXPECT_FALSE(FindHelmSource("---\n# Source:\nkind: X\n"));
  EXPECT_FALSE(FindHelmSource("--- !tag\n# Source: c/t.yaml\nkind: X\n"));
}

TEST(HelmSource, DocumentsAreAttributedToTheirTemplates) {
  MeshModel model = LoadFiles({{"<stdin>", kHelmOutput}});
  ASSERT_EQ(model.namespaces.size(), 1u);
  ASSERT_EQ(model.service_entries.size(), 2u);
  const Location& ns = model.namespaces[0].meta.name_loc;
  EXPECT_EQ(model.files.display(ns.file), "mychart/templates/namespace.yaml");
  EXPECT_EQ(ns.line, 4u);  // the 4th line after the # Source: comment
  EXPECT_EQ(ns.column, 9u);
  const ServiceEntry& pypi = model.service_entries[0];
  EXPECT_EQ(model.files.display(pypi.meta.name_loc.file), "mychart/templates/egress.yaml");
  EXPECT_EQ(pypi.hosts.at(0).loc.line, 8u);
  EXPECT_EQ(pypi.hosts.at(0).loc.column, 7u);
  // A second document of the same template: the same file, lines counted
  // from its own comment.
  const ServiceEntry& debian = model.service_entries[1];
  EXPECT_EQ(debian.meta.name_loc.file, pypi.meta.name_loc.file);
  EXPECT_EQ(debian.hosts.at(0).loc.line, 8u);
}

TEST(HelmSource, FindingsNameTheTemplateOnStdin) {
  TempDir dir;
  CommandResult r = RunMeshlint({"lint", "-", "-q", "--disable", "mesh-outbound-allow-any"},
                                dir.str(), kHelmOutput);
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out,
            "mychart/templates/egress.yaml:7:3: warning [serviceentry-exported-to-all] "
            "ServiceEntry 'debian' exports deb.debian.org to every namespace: it has no exportTo "
            "and the mesh default (defaultServiceExportTo) is \"*\". Add exportTo: [\".\"] or the "
            "namespaces that need it.\n"
            "mychart/templates/namespace.yaml:4:9: note [namespace-without-sidecar] Namespace "
            "'team-b' has no default Sidecar and the root namespace istio-system has none to "
            "inherit. Its Namespace manifest has no injection label, so only pods labelled "
            "sidecar.istio.io/inject=true get an Istio proxy, and the inputs hold none of its "
            "workloads, so the finding is one level lower than usual. If some of its pods do get "
            "an Istio proxy, those proxies import every service exported to namespace 'team-b', "
            "including 2 external hosts. Add a Sidecar without "
            "workloadSelector whose egress hosts list only what it needs (e.g. \"./*\", "
            "\"istio-system/*\").\n");
  // SARIF points at the template path, relative to the working directory.
  r = RunMeshlint({"lint", "-", "-q", "-f", "sarif"}, dir.str(), kHelmOutput);
  const std::size_t uri = r.out.find("\"uri\": \"mychart/templates/egress.yaml\",\n");
  ASSERT_NE(uri, std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("\"uriBaseId\": \"%SRCROOT%\"", uri), r.out.find('\n', uri) + 19);
}

TEST(HelmSource, DocumentsWithoutSourceStayOnStdin) {
  TempDir dir;
  CommandResult r = RunMeshlint(
      {"lint", "-", "-q", "--disable", "mesh-outbound-allow-any"}, dir.str(),
      std::string(
          "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: plain\n  labels: {istio-injection: enabled}\n") +
          kHelmOutput);
  EXPECT_NE(r.out.find("<stdin>:4:9: warning [namespace-without-sidecar] Namespace 'plain'"),
            std::string::npos)
      << r.out;
  // The chart's namespace has no injection label and no workload: a note.
  EXPECT_NE(r.out.find("mychart/templates/namespace.yaml:4:9: note [namespace-without-sidecar]"),
            std::string::npos);
}

TEST(HelmSource, ARegularFileKeepsItsOwnPathsButAPipeIsMapped) {
  // Rendered output committed to the repository is the file users open and
  // fix (and the one pre-commit names): its findings stay in it.
  TempDir dir;
  dir.Write("rendered/all.yaml", kHelmOutput);
  CommandResult r = RunMeshlint(
      {"lint", "rendered/all.yaml", "-q", "--disable", "mesh-outbound-allow-any"}, dir.str());
  EXPECT_NE(r.out.find("rendered/all.yaml:26:3: warning [serviceentry-exported-to-all]"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("rendered/all.yaml:6:9: note [namespace-without-sidecar]"),
            std::string::npos)
      << r.out;
  r = RunMeshlint(
      {"lint", "--context", ".", "rendered/all.yaml", "-q", "--disable", "mesh-outbound-allow-any"},
      dir.str());
  EXPECT_NE(r.out.find("rendered/all.yaml:26:3: warning [serviceentry-exported-to-all]"),
            std::string::npos)
      << r.out;
  // Streamed through a pipe, as `meshlint lint <(helm template ...)`.
  if (Shell("bash -c true") != 0) GTEST_SKIP() << "bash is not installed";
  std::string out;
  Shell("cd '" + dir.str() + "' && bash -c \"'" + MESHLINT_BINARY +
            "' lint <(cat rendered/all.yaml) -q --disable mesh-outbound-allow-any\"",
        &out);
  EXPECT_NE(out.find("mychart/templates/egress.yaml:7:3: warning [serviceentry-exported-to-all]"),
            std::string::npos)
      << out;
}

TEST(Kustomize, RenderedOutputOnStdin) {
  if (Shell("kubectl version --client") != 0) GTEST_SKIP() << "kubectl is not installed";
  TempDir dir;
  dir.Write("kustomization.yaml",
            "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
            "namespace: team-a\nresources:\n- se.yaml\n- ns.yaml\n");
  dir.Write("se.yaml",
            "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: debian\n"
            "spec:\n  hosts: [\"deb.debian.org\"]\n");
  dir.Write(
      "ns.yaml",
      "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a\n  labels: {istio-injection: enabled}\n");
  std::string out;
  const std::string cmd = "cd '" + dir.str() + "' && kubectl kustomize . | '" + MESHLINT_BINARY +
                          "' lint - -q --disable mesh-outbound-allow-any";
  EXPECT_EQ(Shell(cmd, &out), 1);
  // kustomize sorts Namespaces first (their keys too: labels before name) and
  // sets the namespace on the ServiceEntry.
  EXPECT_EQ(out,
            "<stdin>:6:9: warning [namespace-without-sidecar] Namespace 'team-a' has no default "
            "Sidecar and the root namespace istio-system has none to inherit: the Istio proxies of "
            "its pods import every service exported to namespace 'team-a', including 1 external "
            "host. Add a Sidecar without "
            "workloadSelector whose egress hosts list only what it needs (e.g. \"./*\", "
            "\"istio-system/*\").\n"
            "<stdin>:14:3: warning [serviceentry-exported-to-all] ServiceEntry 'debian' exports "
            "deb.debian.org to every namespace: it has no exportTo and the mesh default "
            "(defaultServiceExportTo) is \"*\". Add exportTo: [\".\"] or the namespaces that need "
            "it.\n");
}

}  // namespace
}  // namespace meshlint::testing
