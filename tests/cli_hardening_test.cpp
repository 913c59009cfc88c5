// What a pull request (or a careless script) can do to the command line and
// the project config: files the config names outside the repository, the
// config itself a link out of it, absurd -j values, a deleted working
// directory, a full stdout, and escape sequences in every place that is
// echoed. Each refusal is exit 2 with a message that quotes nothing read
// from a refused file.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "shell_run.h"
#include "test_util.h"

namespace meshlint::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kSecretMesh =
    "meshConfig:\n  outboundTrafficPolicy:\n    mode: SECRET-TOKEN-0123\n";
constexpr const char* kSecretPolicy = "egressPolicy:\n  SECRET-TOKEN-0123: [x]\n";
constexpr const char* kLeakySe =
    "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: debian-org\n"
    "  namespace: istio-system\nspec:\n  hosts: [deb.debian.org]\n  exportTo: [\"*\"]\n";

// A repository (repo/.git) beside a directory of secrets it must not reach.
class ConfigBoundary : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(dir_.path() / "repo/.git");
    dir_.Write("repo/se.yaml", kLeakySe);
    dir_.Write("secrets/mesh.yaml", kSecretMesh);
    dir_.Write("secrets/policy.yaml", kSecretPolicy);
    dir_.Write("secrets/config.yaml", "rules:\n  SECRET-TOKEN-0123: error\n");
    root_ = fs::canonical(dir_.path() / "repo").string();
  }

  CommandResult Lint(const std::string& config, std::vector<std::string> extra = {}) {
    if (!config.empty()) dir_.Write("repo/.meshlint.yaml", config);
    std::vector<std::string> args = {"lint", "se.yaml"};
    args.insert(args.end(), extra.begin(), extra.end());
    CommandResult r = RunInProcess(args, repo());
    EXPECT_EQ(r.out.find("SECRET"), std::string::npos) << r.out;
    EXPECT_EQ(r.err.find("SECRET"), std::string::npos) << r.err;
    return r;
  }

  std::string repo() const { return (dir_.path() / "repo").string(); }
  void Link(const std::string& target, const std::string& name) const {
    fs::create_symlink(target, dir_.path() / "repo" / name);
  }

  TempDir dir_;
  std::string root_;
};

TEST_F(ConfigBoundary, FilesOutsideTheRepositoryAreNotRead) {
  auto r = Lint("meshConfig: ../secrets/mesh.yaml\n");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err,
            "meshlint: .meshlint.yaml:1:13: meshConfig '../secrets/mesh.yaml' lies "
            "outside the repository (" +
                root_ + "): not read\n");
  const std::string abs = (dir_.path() / "secrets/policy.yaml").string();
  r = Lint("egressPolicy: " + abs + "\n");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err, "meshlint: .meshlint.yaml:1:15: egressPolicy '" + abs +
                       "' lies outside the repository (" + root_ + "): not read\n");
}

TEST_F(ConfigBoundary, LinksOutOfTheRepositoryAreNotFollowed) {
  Link("../secrets/mesh.yaml", "mesh.yaml");
  Link("../secrets/policy.yaml", "policy.yaml");
  Link("/dev/zero", "zero.yaml");
  auto r = Lint("meshConfig: mesh.yaml\negressPolicy: policy.yaml\n");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err,
            "meshlint: .meshlint.yaml:1:13: meshConfig 'mesh.yaml' is a symbolic link to a file "
            "outside the repository (" +
                root_ +
                "): not read\n"
                "meshlint: .meshlint.yaml:2:15: egressPolicy 'policy.yaml' is a symbolic link to a "
                "file outside the repository (" +
                root_ + "): not read\n");
  r = Lint("meshConfig: zero.yaml\n");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err,
            "meshlint: .meshlint.yaml:1:13: meshConfig 'zero.yaml' is a symbolic link to a "
            "file outside the repository (" +
                root_ + "): not read\n");
}

TEST_F(ConfigBoundary, TheConfigItselfMustStayInside) {
  // Its lines would be echoed in the errors about them.
  Link("../secrets/config.yaml", ".meshlint.yaml");
  auto r = Lint("");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err,
            "meshlint: .meshlint.yaml: '.meshlint.yaml' is a symbolic link to a file "
            "outside the repository (" +
                root_ + "): not read\n");
  // Named on the command line it is the user's choice: read (and its
  // unknown rule reported).
  r = RunInProcess({"lint", ".", "--config", "../secrets/config.yaml"}, repo());
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("SECRET-TOKEN-0123"), std::string::npos) << r.err;
}

TEST_F(ConfigBoundary, InsideTheRepositoryAndOnTheCommandLineAreRead) {
  dir_.Write("repo/mesh/mesh.yaml", "meshConfig:\n  outboundTrafficPolicy:\n    mode: ALLOW_ANY\n");
  Link("mesh/mesh.yaml", "linked.yaml");
  auto r = Lint("meshConfig: linked.yaml\n", {"-q"});
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_EQ(r.err, "");
  // A command-line file may be anywhere; its values are the user's.
  r = RunInProcess({"lint", ".", "-q", "--no-config", "--mesh-config", "../secrets/mesh.yaml"},
                   repo());
  EXPECT_EQ(r.err.find("outside the repository"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("SECRET-TOKEN-0123"), std::string::npos) << r.out;
}

TEST(CliArguments, JobsMustBeASaneNumber) {
  TempDir dir;
  dir.Write("se.yaml", kLeakySe);
  for (const char* bad : {"0", "-1", "257", "40000", "4294967297", "99999999999999999999", "two",
                          "", " 2", "2x", "+3", "0x10"}) {
    auto r = RunInProcess({"lint", ".", "-q", "-j", bad}, dir.str());
    EXPECT_EQ(r.status, 2) << bad;
    EXPECT_EQ(r.err, "meshlint: -j/--jobs takes a number from 1 to 256, got '" + std::string(bad) +
                         "'\n(run 'meshlint --help')\n");
    r = RunInProcess({"egress", ".", "--jobs=" + std::string(bad)}, dir.str());
    EXPECT_EQ(r.status, 2) << bad;
  }
  for (const char* good : {"1", "2", "256"}) {
    auto r = RunInProcess({"lint", ".", "-q", "-j", good}, dir.str());
    EXPECT_EQ(r.status, 1) << good << r.err;
  }
}

// --config names a file: what exists but is not one is refused as what it
// is (and never read: /dev/zero never ends), a missing one as missing; the
// path as the user typed it.
TEST(CliArguments, ConfigThatIsNoFileSaysWhatItIs) {
  TempDir dir;
  dir.Write("se.yaml", kLeakySe);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"/dev/zero", "meshlint: /dev/zero: not a regular file (a character device): not read\n"},
      {".", "meshlint: .: not a regular file (a directory): not read\n"},
      {"nope.yaml", "meshlint: nope.yaml: no such config file\n"}};
  for (const auto& [config, message] : cases) {
    auto r = RunInProcess({"lint", "se.yaml", "-q", "--config", config}, dir.str());
    EXPECT_EQ(r.status, 2) << config;
    EXPECT_EQ(r.err, message) << config;
  }
}

TEST(CliProcess, DeletedWorkingDirectoryIsAUsageError) {
  const std::string ml = ShellQuote(MESHLINT_BINARY);
  auto r = RunShell("d=$(mktemp -d) && cd \"$d\" && rmdir \"$d\" || exit 99\n" + ml +
                    " lint; echo \"rc=$?\"\n" + ml + " egress; echo \"rc=$?\"\n" + ml +
                    " rules >/dev/null; echo \"rc=$?\"\n");
  EXPECT_EQ(r.out, "rc=2\nrc=2\nrc=0\n");
  const std::string message =
      "meshlint: the working directory cannot be read (No such file or directory): run meshlint "
      "from a directory that exists\n";
  EXPECT_EQ(r.err, message + message);
}

TEST(CliProcess, FullStdoutIsExitTwo) {
  const std::string ml = ShellQuote(MESHLINT_BINARY);
  std::string script;
  for (const char* args : {"rules", "rules --format json", "explain serviceentry-exported-to-all",
                           "--help", "--version", "lint --help"})
    script += ml + " " + args + " >/dev/full; echo \"rc=$?\"\n";
  auto r = RunShell(script);
  EXPECT_EQ(r.out, "rc=2\nrc=2\nrc=2\nrc=2\nrc=2\nrc=2\n");
  std::string expected;
  for (int i = 0; i < 6; ++i)
    expected += "meshlint: error writing to stdout: No space left on device\n";
  EXPECT_EQ(r.err, expected);
}

// Bytes a terminal acts on: C0 controls but newline, DEL, C1 controls (as
// UTF-8), the bidi overrides and isolates, and bytes that are not UTF-8.
std::string RawControl(const std::string& text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\n') || c == 0x7f) return "byte " + std::to_string(c);
    if (c == 0xc2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) < 0xa0)
      return "a C1 control";
    if (text.compare(i, 2, "\xe2\x80") == 0 || text.compare(i, 2, "\xe2\x81") == 0) {
      const unsigned char d = static_cast<unsigned char>(text[i + 2]);
      if ((text[i + 1] == '\x80' && d >= 0xaa && d <= 0xae) ||
          (text[i + 1] == '\x81' && d >= 0xa6 && d <= 0xa9))
        return "a bidi control";
    }
    if (c == 0xff || c == 0xfe) return "invalid UTF-8";
  }
  return "";
}

TEST(TerminalEscapes, EveryFormatIsInert) {
  TempDir dir;
  // A host with ESC, a C1 CSI, a bidi override and BEL, from YAML escapes;
  // file names with escapes and a byte that is not UTF-8.
  const std::string se =
      "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: evil\n"
      "  namespace: istio-system\nspec:\n  hosts: [\"a\\e[2J\\x9b31m\\u202Eb\\a.example.com\"]\n"
      "  exportTo: [\"*\"]\n";
  dir.Write("esc\x1b]0;title\x07.yaml", se);
  dir.Write("bad\xff\xfe.yaml", kLeakySe);
  for (const char* format : {"text", "github"}) {
    auto r = RunInProcess({"lint", ".", "-q", "--format", format}, dir.str());
    EXPECT_EQ(r.status, 1) << format << r.err;
    EXPECT_EQ(RawControl(r.out), "") << format << ": " << r.out;
    EXPECT_NE(r.out.find("\\x1B[2J"), std::string::npos) << format << ": " << r.out;
    EXPECT_NE(r.out.find("bad\\xFF\\xFE.yaml"), std::string::npos) << format << ": " << r.out;
  }
  for (const char* format : {"json", "sarif", "gitlab"}) {
    auto r = RunInProcess({"lint", ".", "-q", "--format", format}, dir.str());
    EXPECT_EQ(r.status, 1) << format << r.err;
    EXPECT_EQ(r.out.find('\x1b'), std::string::npos) << format;
    EXPECT_TRUE(nlohmann::json::accept(r.out)) << format;
    // The strings themselves are carried exactly (JSON escapes them).
    EXPECT_NE(r.out.find("\\u001b[2J"), std::string::npos) << format;
  }
  auto r = RunInProcess({"egress", "."}, dir.str());
  EXPECT_EQ(RawControl(r.out), "") << r.out;
  EXPECT_EQ(RawControl(r.err), "") << r.err;
}

TEST(TerminalEscapes, MessagesQuotingArgumentsAndConfigAreInert) {
  TempDir dir;
  dir.Write("se.yaml", kLeakySe);
  dir.Write(".meshlint.yaml", "rules:\n  \"\\e[31mred\\x9b\": error\n");
  const std::string esc = "\x1b[2J\xc2\x9b\xe2\x80\xae\xff";
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"lint", "."},
           {"lint", ".", "--no-config", "--format", esc},
           {"lint", ".", "--no-config", "--severity", esc + "=error"},
           {"lint", ".", "--no-config", "--disable", esc},
           {"lint", ".", "--no-config", "--fail-on", esc},
           {"lint", ".", "--no-config", "--today", esc},
           {"lint", ".", "--no-config", "--mesh-config", esc},
           {"lint", ".", "--no-config", esc},
           {"explain", esc},
           {"rules", "--format", esc},
           {esc},
           {"lint", "--" + esc},
       }) {
    auto r = RunInProcess(args, dir.str());
    EXPECT_EQ(r.status, 2) << args.back();
    EXPECT_NE(r.err, "") << args.back();
    EXPECT_EQ(RawControl(r.err), "") << r.err;
  }
}

}  // namespace
}  // namespace meshlint::testing
