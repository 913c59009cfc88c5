// The CI gate end to end: exit statuses that do not depend on the format,
// severity overrides, several reports in one run, the summary on stderr, and
// baselines. In process (RunInProcess), except where files and streams of
// the real binary are the point (RunMeshlint).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "engine/rule.h"
#include "test_util.h"

namespace meshlint {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;
using testing::ReadFileText;
using testing::RunInProcess;
using testing::RunMeshlint;

using testing::TempDir;

std::string ReadIn(const TempDir& dir, const std::string& name) {
  return ReadFileText((dir.path() / name).string());
}
bool ExistsIn(const TempDir& dir, const std::string& name) { return fs::exists(dir.path() / name); }
void RemoveIn(const TempDir& dir, const std::string& name) { fs::remove(dir.path() / name); }

constexpr const char* kMesh =
    "apiVersion: install.istio.io/v1alpha1\n"
    "kind: IstioOperator\n"
    "metadata:\n"
    "  name: demo\n"
    "  namespace: istio-system\n"
    "spec:\n"
    "  meshConfig:\n"
    "    outboundTrafficPolicy:\n"
    "      mode: ALLOW_ANY\n";

std::string OpenSe(const std::string& name, const std::string& ns) {
  return "apiVersion: networking.istio.io/v1\n"
         "kind: ServiceEntry\n"
         "metadata:\n"
         "  name: " +
         name +
         "\n"
         "  namespace: " +
         ns +
         "\n"
         "spec:\n"
         "  hosts: [" +
         name +
         ".example.com]\n"
         "  location: MESH_EXTERNAL\n";
}

// A mesh with one error (ALLOW_ANY) and warnings.
void WriteHoles(const TempDir& dir) {
  dir.Write("mesh.yaml", kMesh);
  dir.Write("apps/se.yaml", OpenSe("debian", "apps"));
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

const std::vector<std::string> kFormats = {"text", "json", "sarif", "github", "gitlab"};

// --severity RULE=LEVEL for every rule.
std::vector<std::string> AllRulesAt(const std::string& level) {
  std::vector<std::string> args;
  for (const RuleInfo& r : AllRules()) {
    args.push_back("--severity");
    args.push_back(std::string(r.id) + "=" + level);
  }
  return args;
}

TEST(ExitStatus, SameForEveryFormat) {
  TempDir dir;
  WriteHoles(dir);
  struct Setup {
    std::string name;
    std::vector<std::string> args;
    int worst;  // 2 error, 1 warning, 0 note, -1 nothing
  };
  const std::vector<Setup> setups = {
      {"errors", {}, 2},
      {"warnings", {"--severity", "mesh-outbound-allow-any=warning"}, 1},
      {"notes", AllRulesAt("note"), 0},
      {"clean", AllRulesAt("off"), -1},
  };
  const std::vector<std::pair<std::string, int>> thresholds = {
      {"error", 2}, {"warning", 1}, {"note", 0}, {"never", 3}};
  for (const Setup& setup : setups) {
    // The setup is what it claims: the text output's worst severity.
    CommandResult text = RunInProcess(
        [&] {
          auto a = setup.args;
          a.insert(a.begin(), {"lint", "."});
          a.push_back("--fail-on=never");
          return a;
        }(),
        dir.str());
    ASSERT_EQ(text.status, 0) << text.err;
    const std::string worst = setup.worst == 2   ? ": error ["
                              : setup.worst == 1 ? ": warning ["
                              : setup.worst == 0 ? ": note ["
                                                 : "";
    if (worst.empty()) EXPECT_EQ(text.out, "") << setup.name;
    else EXPECT_NE(text.out.find(worst), std::string::npos) << setup.name << "\n" << text.out;

    for (const auto& [fail_on, level] : thresholds) {
      const int expected = setup.worst >= level ? 1 : 0;
      for (const std::string& format : kFormats) {
        std::vector<std::string> args = {"lint", ".", "--format", format, "--fail-on", fail_on};
        args.insert(args.end(), setup.args.begin(), setup.args.end());
        CommandResult r = RunInProcess(args, dir.str());
        EXPECT_EQ(r.status, expected)
            << setup.name << " --fail-on " << fail_on << " --format " << format << "\n"
            << r.err;
      }
    }
  }
}

TEST(ExitStatus, UnreadableInputIsTwoInEveryFormat) {
  TempDir dir;
  WriteHoles(dir);
  for (const std::string& format : kFormats) {
    CommandResult r = RunInProcess(
        {"lint", ".", "missing.yaml", "--format", format, "--fail-on", "never"}, dir.str());
    EXPECT_EQ(r.status, 2) << format;
    EXPECT_EQ(r.err.rfind("meshlint: missing.yaml: no such file or directory\n", 0), 0u) << r.err;
  }
}

TEST(ExitStatus, UsageErrorsAreTwo) {
  TempDir dir;
  WriteHoles(dir);
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--format", "xml"},
       "meshlint: --format must be one of text | json | sarif | github | gitlab, got 'xml'\n"},
      {{"--fail-on", "warn"},
       "meshlint: --fail-on must be error, warning, note or never, got 'warn': did you mean "
       "'warning'?\n"},
      {{"--report", "sarif"},
       "meshlint: --report takes FORMAT=FILE (e.g. sarif=meshlint.sarif), got 'sarif'\n"},
      {{"--report", "xml=out.xml"},
       "meshlint: --report format must be one of text | json | sarif | github | gitlab, got "
       "'xml'\n"},
      {{"--report", "sarif=-"}, "meshlint: --report writes to a file; use --format for stdout\n"},
      {{"--report", "sarif=a.out", "--report", "json=./a.out"},
       "meshlint: two reports would be written to ./a.out\n"},
      {{"--output", "a.out", "--report", "sarif=a.out"},
       "meshlint: two reports would be written to a.out\n"},
      {{"--severity", "no-such-rule=error"},
       "meshlint: unknown rule 'no-such-rule' (see 'meshlint rules')\n"},
      {{"--severity", "mesh-outbound-allow-any=fatal"},
       "meshlint: --severity level must be error, warning, note or off, got 'fatal'\n"},
  };
  for (const auto& [extra, message] : cases) {
    std::vector<std::string> args = {"lint", "."};
    args.insert(args.end(), extra.begin(), extra.end());
    CommandResult r = RunInProcess(args, dir.str());
    EXPECT_EQ(r.status, 2) << extra.back();
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err, message + "(run 'meshlint --help')\n");
  }
  // An input that cannot be used: exit 2, and the message says what is
  // wrong with it; the help would not.
  CommandResult missing = RunInProcess({"lint", ".", "--baseline", "none.json"}, dir.str());
  EXPECT_EQ(missing.status, 2);
  EXPECT_EQ(missing.err, "meshlint: cannot read baseline none.json: No such file or directory\n");
  EXPECT_FALSE(ExistsIn(dir, "a.out"));
}

TEST(SeverityOverride, ChangesLevelExitAndEveryFormat) {
  TempDir dir;
  WriteHoles(dir);
  CommandResult base = RunInProcess({"lint", "."}, dir.str());
  ASSERT_EQ(base.status, 1);
  ASSERT_NE(base.out.find("mesh.yaml:9:13: error [mesh-outbound-allow-any] "), std::string::npos)
      << base.out;

  CommandResult note = RunInProcess(
      {"lint", ".", "--severity", "mesh-outbound-allow-any=note", "--fail-on", "error"}, dir.str());
  EXPECT_EQ(note.status, 0);  // the only error is now a note
  EXPECT_NE(note.out.find("mesh.yaml:9:13: note [mesh-outbound-allow-any] "), std::string::npos);
  EXPECT_EQ(note.out.find("error ["), std::string::npos);

  CommandResult sarif = RunInProcess(
      {"lint", ".", "-f", "sarif", "--severity", "mesh-outbound-allow-any=note"}, dir.str());
  std::size_t index = 0;
  while (AllRules()[index].id != "mesh-outbound-allow-any") ++index;
  EXPECT_NE(sarif.out.find("\"ruleId\": \"mesh-outbound-allow-any\",\n          \"ruleIndex\": " +
                           std::to_string(index) + ",\n          \"level\": \"note\""),
            std::string::npos);
  CommandResult github = RunInProcess(
      {"lint", ".", "-f", "github", "--severity", "mesh-outbound-allow-any=note"}, dir.str());
  EXPECT_NE(github.out.find("::notice file=mesh.yaml,line=9,"), std::string::npos) << github.out;
  CommandResult gitlab = RunInProcess(
      {"lint", ".", "-f", "gitlab", "--severity", "mesh-outbound-allow-any=note"}, dir.str());
  EXPECT_EQ(gitlab.out.find("\"critical\""), std::string::npos);
  EXPECT_NE(gitlab.out.find("\"severity\": \"info\""), std::string::npos);

  CommandResult off =
      RunInProcess({"lint", ".", "--severity", "mesh-outbound-allow-any=off"}, dir.str());
  EXPECT_EQ(off.out.find("[mesh-outbound-allow-any]"), std::string::npos);
  EXPECT_NE(off.out.find("[serviceentry-exported-to-all]"), std::string::npos);

  // The last word wins, as with every repeatable option.
  CommandResult twice = RunInProcess({"lint", ".", "--severity", "mesh-outbound-allow-any=note",
                                      "--severity", "mesh-outbound-allow-any=error"},
                                     dir.str());
  EXPECT_NE(twice.out.find("error [mesh-outbound-allow-any]"), std::string::npos);
}

TEST(Outputs, SeveralReportsInOneRun) {
  // Reports go beside the manifests, not among them: a .json report in a
  // linted directory would be read as a manifest by the next run.
  TempDir dir;
  WriteHoles(dir);
  std::map<std::string, std::string> alone;
  for (const std::string& format : kFormats)
    alone[format] = RunMeshlint({"lint", "mesh.yaml", "apps", "-q", "-f", format}, dir.str()).out;

  CommandResult r = RunMeshlint(
      {"lint", "mesh.yaml", "apps", "--report", "sarif=out/meshlint.sarif", "--report",
       "gitlab=gl-code-quality.json", "--report", "github=gh.txt", "--report", "json=m.json"},
      dir.str() + "");
  // out/ does not exist: nothing can be written there.
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("meshlint: cannot write out/meshlint.sarif: No such file or directory\n"),
            std::string::npos)
      << r.err;

  fs::create_directories(dir.str() + "/out");
  r = RunMeshlint(
      {"lint", "mesh.yaml", "apps", "--report", "sarif=out/meshlint.sarif", "--report",
       "gitlab=gl-code-quality.json", "--report", "github=gh.txt", "--report", "json=m.json"},
      dir.str());
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, alone["text"]);  // stdout: the text report only
  EXPECT_EQ(ReadIn(dir, "out/meshlint.sarif"), alone["sarif"]);
  EXPECT_EQ(ReadIn(dir, "gl-code-quality.json"), alone["gitlab"]);
  EXPECT_EQ(ReadIn(dir, "gh.txt"), alone["github"]);
  EXPECT_EQ(ReadIn(dir, "m.json"), alone["json"]);
  EXPECT_FALSE(ExistsIn(dir, "out/meshlint.sarif.meshlint-tmp"));

  // --output moves the --format report off stdout.
  r = RunMeshlint(
      {"lint", "mesh.yaml", "apps", "-f", "sarif", "-o", "main.sarif", "--report", "text=t.txt"},
      dir.str());
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(ReadIn(dir, "main.sarif"), alone["sarif"]);
  EXPECT_EQ(ReadIn(dir, "t.txt"), alone["text"]);
}

TEST(Outputs, MachineOutputNeverMixedWithMessages) {
  TempDir dir;
  WriteHoles(dir);
  for (const std::string format : {"json", "sarif", "gitlab"}) {
    CommandResult r = RunMeshlint({"lint", ".", "missing", "-f", format}, dir.str());
    EXPECT_EQ(r.status, 2);
    ASSERT_FALSE(r.out.empty());
    EXPECT_TRUE(r.out.front() == '{' || r.out.front() == '[') << r.out;
    EXPECT_EQ(r.out.find("meshlint:"), std::string::npos) << r.out;
    EXPECT_NE(r.err.find("meshlint: missing: no such file or directory\n"), std::string::npos);
    EXPECT_NE(r.err.find(" findings ("), std::string::npos) << r.err;
  }
  CommandResult gh = RunMeshlint({"lint", ".", "-f", "github"}, dir.str());
  for (const std::string& line : Lines(gh.out)) EXPECT_EQ(line.rfind("::", 0), 0u) << line;
}

TEST(SummaryCli, OnStderrWithRuleCountsAndTime) {
  TempDir dir;
  WriteHoles(dir);
  CommandResult r = RunMeshlint({"lint", "."}, dir.str());
  const std::vector<std::string> err = Lines(r.err);
  ASSERT_GE(err.size(), 4u) << r.err;
  EXPECT_EQ(err[0].rfind("meshlint: ", 0), 0u);
  EXPECT_NE(err[0].find(" findings (1 error, "), std::string::npos) << err[0];
  EXPECT_NE(err[0].find(" in 2 files, 2 objects ("), std::string::npos) << err[0];
  EXPECT_EQ(err[0].substr(err[0].size() - 4), " ms)");
  EXPECT_EQ(err[1], "  mesh-outbound-allow-any       1 error");
  EXPECT_NE(r.err.find("  serviceentry-exported-to-all  1 warning\n"), std::string::npos);
  // Time is for people only: never in a report.
  for (const std::string& format : kFormats)
    EXPECT_EQ(RunMeshlint({"lint", ".", "-f", format}, dir.str()).out.find(" ms"),
              std::string::npos);
  EXPECT_EQ(RunMeshlint({"lint", ".", "-q"}, dir.str()).err, "");
}

TEST(BaselineCli, AdoptThenOnlyNewFindingsCount) {
  TempDir dir;
  WriteHoles(dir);
  CommandResult write = RunMeshlint({"lint", ".", "--write-baseline", "base.json"}, dir.str());
  EXPECT_EQ(write.status, 0) << write.err;  // adopting is not a failure
  EXPECT_FALSE(write.out.empty());          // the report still lists them
  const std::string baseline = ReadIn(dir, "base.json");
  ASSERT_NE(baseline.find("\"rule\": \"serviceentry-exported-to-all\""), std::string::npos);
  ASSERT_NE(baseline.find("\"object\": \"apps/ServiceEntry/debian\""), std::string::npos);

  CommandResult again = RunMeshlint({"lint", ".", "--baseline", "base.json"}, dir.str());
  EXPECT_EQ(again.status, 0) << again.err;
  EXPECT_EQ(again.out, "");
  const std::size_t total = Lines(write.out).size();
  EXPECT_NE(again.err.find("meshlint: " + std::to_string(total) +
                           " findings in the baseline base.json not reported\n"),
            std::string::npos)
      << again.err;

  CommandResult json =
      RunMeshlint({"lint", ".", "--baseline", "base.json", "-f", "json"}, dir.str());
  EXPECT_NE(json.out.find("\"findings\": [],"), std::string::npos) << json.out;
  EXPECT_NE(json.out.find("\"baselined\": " + std::to_string(total) + "\n"), std::string::npos)
      << json.out;

  // Edits that move lines and files do not bring them back.
  dir.Write("mesh.yaml", "# The mesh\n# (installed by hand)\n\n" + std::string(kMesh));
  RemoveIn(dir, "apps/se.yaml");
  dir.Write("moved/all.yaml", "---\n# moved here\n" + OpenSe("debian", "apps"));
  CommandResult moved = RunMeshlint({"lint", ".", "--baseline", "base.json"}, dir.str());
  EXPECT_EQ(moved.status, 0) << moved.out;
  EXPECT_EQ(moved.out, "");

  // A new hole fails, alone, in every format.
  dir.Write("moved/all.yaml",
            "---\n# moved here\n" + OpenSe("debian", "apps") + "---\n" + OpenSe("pypi", "apps"));
  for (const std::string& format : kFormats) {
    CommandResult hole =
        RunMeshlint({"lint", ".", "--baseline", "base.json", "-f", format}, dir.str());
    EXPECT_EQ(hole.status, 1) << format;
    // SARIF's rule help (the docs) may name anything: look at the results.
    const std::string reported =
        format == "sarif" ? hole.out.substr(hole.out.find("\"results\": [")) : hole.out;
    EXPECT_NE(reported.find("pypi"), std::string::npos) << format;
    EXPECT_EQ(reported.find("debian"), std::string::npos) << format << "\n" << reported;
  }
  CommandResult text = RunMeshlint({"lint", ".", "--baseline", "base.json"}, dir.str());
  const auto lines = Lines(text.out);
  ASSERT_EQ(lines.size(), 1u) << text.out;
  EXPECT_EQ(lines[0].rfind("moved/all.yaml:", 0), 0u);
  EXPECT_NE(lines[0].find(" [serviceentry-exported-to-all] ServiceEntry 'pypi'"),
            std::string::npos);
  EXPECT_NE(text.err.find("meshlint: 1 new finding ("), std::string::npos) << text.err;

  // Fixed findings are counted so the baseline can be refreshed.
  dir.Write("mesh.yaml", "");
  CommandResult fixed = RunMeshlint({"lint", ".", "--baseline", "base.json"}, dir.str());
  EXPECT_NE(fixed.err.find("; 1 baseline entry no longer occurs (refresh it with "
                           "--write-baseline)\n"),
            std::string::npos)
      << fixed.err;
}

TEST(BaselineCli, RefreshDropsFixedAndAddsNew) {
  TempDir dir;
  WriteHoles(dir);
  ASSERT_EQ(RunInProcess({"lint", ".", "--write-baseline", "base.json"}, dir.str()).status, 0);
  dir.Write("apps/se.yaml", OpenSe("pypi", "apps"));  // debian fixed, pypi new
  CommandResult refresh = RunInProcess(
      {"lint", ".", "--baseline", "base.json", "--write-baseline", "base.json"}, dir.str());
  EXPECT_EQ(refresh.status, 0);
  EXPECT_NE(refresh.out.find("ServiceEntry 'pypi'"), std::string::npos);  // reported once more
  const std::string text = ReadIn(dir, "base.json");
  EXPECT_EQ(text.find("apps/ServiceEntry/debian"), std::string::npos) << text;
  EXPECT_NE(text.find("apps/ServiceEntry/pypi"), std::string::npos) << text;
  CommandResult after = RunInProcess({"lint", ".", "--baseline", "base.json"}, dir.str());
  EXPECT_EQ(after.status, 0);
  EXPECT_EQ(after.out, "");
}

TEST(BaselineCli, RewritingIsStableAndSorted) {
  TempDir dir;
  WriteHoles(dir);
  dir.Write("z.yaml", OpenSe("zeta", "apps"));
  dir.Write("a.yaml", OpenSe("alpha", "web"));
  ASSERT_EQ(RunInProcess({"lint", ".", "--write-baseline", "one.json"}, dir.str()).status, 0);
  // Reordered documents and shifted lines: the same file, byte for byte
  // (messages aside, nothing in it depends on positions).
  RemoveIn(dir, "z.yaml");
  RemoveIn(dir, "a.yaml");
  dir.Write("both.yaml", "\n\n" + OpenSe("alpha", "web") + "---\n" + OpenSe("zeta", "apps"));
  ASSERT_EQ(RunInProcess({"lint", ".", "--write-baseline", "two.json"}, dir.str()).status, 0);
  std::string one = ReadIn(dir, "one.json"), two = ReadIn(dir, "two.json");
  auto strip_files = [](std::string s) {
    std::string out;
    for (const std::string& line : Lines(s))
      if (line.find("\"file\":") == std::string::npos) out += line + "\n";
    return out;
  };
  EXPECT_EQ(strip_files(one), strip_files(two));
  EXPECT_LT(one.find("apps/ServiceEntry/debian"), one.find("apps/ServiceEntry/zeta"));
  EXPECT_LT(one.find("apps/ServiceEntry/zeta"), one.find("web/ServiceEntry/alpha"));
}

TEST(BaselineCli, NotWrittenFromAPartialRun) {
  TempDir dir;
  WriteHoles(dir);
  CommandResult r =
      RunMeshlint({"lint", ".", "missing.yaml", "--write-baseline", "base.json"}, dir.str());
  EXPECT_EQ(r.status, 2);
  EXPECT_FALSE(ExistsIn(dir, "base.json"));
  EXPECT_NE(r.err.find("meshlint: baseline base.json not written: an input could not be read\n"),
            std::string::npos)
      << r.err;
  dir.Write("base.json", "{\"meshlintBaseline\": 1, \"findings\": []}");
  r = RunMeshlint({"lint", ".", "--baseline", "base.json", "--report", "json=base.json"},
                  dir.str());
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err,
            "meshlint: --baseline names a file a report is written to\n(run 'meshlint --help')\n");
}

TEST(BaselineCli, WithContextOnlyTheNamedFilesCount) {
  TempDir dir;
  WriteHoles(dir);
  ASSERT_EQ(RunInProcess({"lint", ".", "--write-baseline", "base.json"}, dir.str()).status, 0);
  // Pre-commit style: the baseline applies, and entries for other files are
  // not reported as gone.
  CommandResult r = RunInProcess(
      {"lint", "--no-config", "--context", ".", "apps/se.yaml", "--baseline", "base.json"},
      dir.str());
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err.find("no longer occur"), std::string::npos) << r.err;
  r = RunInProcess({"lint", "--context", ".", "apps/se.yaml", "--write-baseline", "b2.json"},
                   dir.str());
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err,
            "meshlint: --write-baseline records the whole run; it cannot be combined with "
            "--context\n(run 'meshlint --help')\n");
}

TEST(BaselineCli, BrokenBaselineIsAUsageError) {
  TempDir dir;
  WriteHoles(dir);
  dir.Write("base.json", "{\"runs\": []}");
  CommandResult r = RunInProcess({"lint", ".", "--baseline", "base.json"}, dir.str());
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "meshlint: baseline base.json: not a meshlint baseline (no \"meshlintBaseline\" key; "
            "write one with --write-baseline)\n");
}

TEST(BaselineCli, AdoptedOnTheSharedCorpus) {
  const fs::path corpus = fs::path(testing::SourceDir()) / ".." / "shared" / "corpus";
  if (!fs::is_directory(corpus))
    GTEST_SKIP() << "shared corpus not found at " << corpus.string()
                 << " (it exists only on the team machine)";
  TempDir dir;
  const std::string root = fs::canonical(corpus).string();
  CommandResult adopt = RunInProcess({"lint", root, "--write-baseline", "base.json"}, dir.str());
  ASSERT_EQ(adopt.status, 0) << adopt.err;
  ASSERT_GT(Lines(adopt.out).size(), 20u);  // the corpus has plenty to adopt

  CommandResult second = RunInProcess({"lint", root, "--baseline", "base.json"}, dir.str());
  EXPECT_EQ(second.status, 0) << second.out;
  EXPECT_EQ(second.out, "");

  // A new namespace with an open ServiceEntry: the new holes fail the run,
  // the adopted ones stay quiet.
  dir.Write("hole.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: newteam\n---\n" +
                             OpenSe("leak", "newteam"));
  CommandResult hole =
      RunInProcess({"lint", root, "hole.yaml", "--baseline", "base.json"}, dir.str());
  EXPECT_EQ(hole.status, 1);
  const auto lines = Lines(hole.out);
  ASSERT_FALSE(lines.empty());
  for (const std::string& line : lines) EXPECT_EQ(line.rfind("hole.yaml:", 0), 0u) << line;
  EXPECT_NE(hole.out.find("[serviceentry-exported-to-all] ServiceEntry 'leak'"), std::string::npos)
      << hole.out;
}

}  // namespace
}  // namespace meshlint

namespace meshlint {
namespace {

// The CI examples must not drift from the binary: every option their
// meshlint command lines use is one `meshlint lint` or `meshlint egress`
// knows (curl's are the GitLab note's).
TEST(CiExamples, UseOnlyRealOptions) {
  const std::string help = testing::RunInProcess({"lint", "--help"}, testing::SourceDir()).out +
                           testing::RunInProcess({"egress", "--help"}, testing::SourceDir()).out +
                           " --fail --silent --show-error --request --header --data-urlencode " +
                           " --body-file --edit-last ";
  ASSERT_NE(help.find("--report"), std::string::npos) << help;
  const std::regex option(R"(\s(--[a-z][a-z-]+))");
  for (const char* file : {"ci/github-actions.yml", "ci/gitlab-ci.yml"}) {
    const std::string text = testing::ReadFileText(testing::SourceDir() + "/" + file);
    ASSERT_FALSE(text.empty()) << file;
    std::size_t seen = 0;
    for (std::sregex_iterator it(text.begin(), text.end(), option), end; it != end; ++it) {
      const std::string opt = (*it)[1];
      if (opt == "--depth" || opt == "--no-install-recommends") continue;  // git, apt
      ++seen;
      EXPECT_NE(help.find(" " + opt + " "), std::string::npos) << file << ": " << opt;
    }
    EXPECT_GE(seen, 3u) << file;
  }
}

}  // namespace
}  // namespace meshlint

namespace meshlint {
namespace {

// Suppressed findings are accepted: no exit status 1 in any format, no
// annotation, no Code Quality issue, no baseline entry.
TEST(Suppressed, NeitherGateNorAnnotationNorBaseline) {
  TempDir dir;
  dir.Write("mesh.yaml",
            "apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nmetadata:\n"
            "  name: demo\n  namespace: istio-system\nspec:\n  meshConfig:\n"
            "    outboundTrafficPolicy:\n      mode: REGISTRY_ONLY\n");
  dir.Write("ns.yaml",
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: runners\n  annotations:\n"
            "    ignore.meshlint.io/namespace-without-sidecar: \"CI runners; the gateway limits "
            "them\"\n");
  CommandResult shown = RunInProcess({"lint", ".", "--show-suppressed", "--no-config"}, dir.str());
  ASSERT_NE(shown.out.find("[namespace-without-sidecar]"), std::string::npos)
      << shown.out << shown.err;  // the finding exists, suppressed
  for (const std::string& format : kFormats) {
    CommandResult r =
        RunInProcess({"lint", ".", "--no-config", "--fail-on", "note", "-f", format}, dir.str());
    EXPECT_EQ(r.status, 0) << format << "\n" << r.out << r.err;
  }
  EXPECT_EQ(RunInProcess({"lint", ".", "--no-config", "-f", "github"}, dir.str()).out, "");
  EXPECT_EQ(RunInProcess({"lint", ".", "--no-config", "-f", "gitlab"}, dir.str()).out, "[]\n");
  CommandResult r =
      RunInProcess({"lint", ".", "--no-config", "--write-baseline", "base.json"}, dir.str());
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(ReadIn(dir, "base.json").find("namespace-without-sidecar"), std::string::npos);
  EXPECT_NE(r.err.find("1 suppressed"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("  namespace-without-sidecar"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace meshlint
