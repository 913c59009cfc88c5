// Running shell scripts from the tests that check the repository's scripts,
// docs and CI files (github_action_test, config_schema_test, readme_test,
// precommit_test): a script's exit status with its stdout and stderr apart.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "test_util.h"

namespace meshlint::testing {

struct ShellResult {
  int status = -1;  // the exit status, or -1 when killed by a signal
  std::string out;
  std::string err;
};

// 'text' quoted for sh.
inline std::string ShellQuote(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Runs `script` with bash (stdin from /dev/null).
inline ShellResult RunShell(const std::string& script) {
  namespace fs = std::filesystem;
  static std::atomic<int> counter{0};
  const fs::path base =
      fs::temp_directory_path() /
      ("meshlint-shell-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  const std::string file = base.string() + ".sh", out = base.string() + ".out",
                    err = base.string() + ".err";
  std::ofstream(file, std::ios::binary | std::ios::trunc) << script;
  const int raw = std::system(
      ("bash " + ShellQuote(file) + " </dev/null >" + ShellQuote(out) + " 2>" + ShellQuote(err))
          .c_str());
  ShellResult r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  r.out = ReadFileText(out);
  r.err = ReadFileText(err);
  std::error_code ec;
  for (const std::string& f : {file, out, err}) fs::remove(f, ec);
  return r;
}

// An npm tool that ci/setup --for-tests installs into .tools/: $env_var if
// set, else .tools/node_modules/.bin/<name> in the source tree, else "".
inline std::string NpmTool(const char* env_var, const std::string& name) {
  if (const char* env = std::getenv(env_var); env && *env) return env;
  const std::filesystem::path local =
      std::filesystem::path(SourceDir()) / ".tools/node_modules/.bin" / name;
  return std::filesystem::exists(local) ? local.string() : "";
}

}  // namespace meshlint::testing
