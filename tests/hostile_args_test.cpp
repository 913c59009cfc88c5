// Every subcommand with every kind of hostile flag value, run as a process:
// each run ends with exit 0, 1 or 2, never a signal (an abort is exit 134
// from a shell), a usage error always says why, and no message lets an
// escape sequence through. Values for flags that write a file are names in
// the scratch directory or harmless devices only: the tests may run as root.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_util.h"

namespace meshlint::testing {
namespace {

constexpr const char* kLeakySe =
    "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: debian-org\n"
    "  namespace: istio-system\nspec:\n  hosts: [deb.debian.org]\n  exportTo: [\"*\"]\n";

// Values for flags that name something to read or a word to parse.
std::vector<std::string> ReadValues() {
  return {"",
          "-",
          "--",
          "0",
          "-1",
          "4294967296",
          "99999999999999999999",
          "not-a-thing",
          "\x1b[2J\x1b]0;t\x07",
          "\xff\xfe\xc2\x9b",
          std::string(5000, 'a'),
          std::string(300, '/') + "x",
          "/dev/zero",
          "/dev/full",
          "/proc/self/mem",
          ".",
          "a=b=c",
          "=",
          "%s%n%x",
          "se.yaml"};
}

// Values for flags that name a file to write: never a path outside the
// scratch directory but devices that absorb or refuse what is written.
std::vector<std::string> WriteValues() {
  return {"",          "-",       ".",        "/dev/null",           "/dev/full",
          "/dev/zero", "\x1b[2J", "\xff\xfe", std::string(300, 'n'), "missing/report",
          "se.yaml/x", "a=b"};
}

struct Sweep {
  std::vector<std::string> prefix;  // the subcommand and fixed arguments
  std::vector<std::string> read_flags;
  std::vector<std::string> write_flags;
};

std::vector<Sweep> Sweeps() {
  return {
      {{"lint", "."},
       {"--format", "--severity", "--disable", "--fail-on", "-j", "--today", "--context",
        "--config", "--mesh-config", "--policy", "--baseline", "--default-namespace",
        "--automation-id"},
       {"-o", "--report", "--write-baseline"}},
      {{"egress", "."},
       {"--format", "--from", "--to", "--policy", "-j", "--mesh-config", "--default-namespace",
        "--config"},
       {"-o"}},
      {{"rules"}, {"--format"}, {}},
  };
}

std::string Show(const std::vector<std::string>& args) {
  std::string s;
  for (const std::string& a : args) s += (s.empty() ? "" : " ") + a.substr(0, 40);
  return s;
}

void Check(const std::vector<std::string>& args, const std::string& cwd) {
  const CommandResult r = RunMeshlint(args, cwd);
  ASSERT_GE(r.status, 0) << "killed by a signal: " << Show(args);
  EXPECT_LE(r.status, 2) << Show(args);
  if (r.status == 2) {
    EXPECT_NE(r.err, "") << Show(args);
  }
  EXPECT_EQ(r.err.find('\x1b'), std::string::npos) << Show(args) << ": " << r.err;
}

TEST(HostileArguments, EveryFlagEveryValue) {
  TempDir dir;
  dir.Write("se.yaml", kLeakySe);
  for (const Sweep& sweep : Sweeps()) {
    for (const std::string& flag : sweep.read_flags) {
      for (const std::string& value : ReadValues()) {
        std::vector<std::string> args = sweep.prefix;
        args.push_back(flag);
        args.push_back(value);
        Check(args, dir.str());
      }
      // The flag last, without its value.
      std::vector<std::string> args = sweep.prefix;
      args.push_back(flag);
      Check(args, dir.str());
    }
    for (const std::string& flag : sweep.write_flags) {
      for (const std::string& value : WriteValues()) {
        std::vector<std::string> args = sweep.prefix;
        args.push_back(flag);
        args.push_back(flag == "--report" ? "sarif=" + value : value);
        Check(args, dir.str());
      }
    }
  }
}

TEST(HostileArguments, CommandsAndArguments) {
  TempDir dir;
  dir.Write("se.yaml", kLeakySe);
  for (const std::string& value : ReadValues()) {
    Check({value}, dir.str());
    Check({"explain", value}, dir.str());
    Check({"explain", "serviceentry-exported-to-all", value}, dir.str());
    Check({"lint", "--" + value}, dir.str());
    Check({"egress", ".", "--from", value, "--to", value}, dir.str());
  }
  for (const char* report : {"=", "sarif", "=x", "nope=x", "sarif=", "text=a=b", "json=."})
    Check({"lint", ".", "--report", report}, dir.str());
  Check({"lint", ".", "-o", "same", "--report", "sarif=same"}, dir.str());
}

}  // namespace
}  // namespace meshlint::testing
