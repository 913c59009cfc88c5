// Replays every input in tests/fuzz-regressions/<target>/ through the real
// binary, the way its fuzz target feeds it (a manifest, a --mesh-config file,
// a --policy file), in every build, not only the clang fuzz build: each must
// end with a documented exit status, under a CPU limit, with SARIF that
// parses.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "test_util.h"

namespace fs = std::filesystem;

namespace {

constexpr int kCpuSeconds = MESHLINT_SANITIZED ? 120 : 20;

constexpr const char* kManifests =
    "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: payments\n---\n"
    "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: stripe\n"
    "  namespace: payments\nspec:\n  hosts: [\"api.stripe.com\"]\n";

std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

struct Case {
  std::string target;
  fs::path input;
};

std::vector<Case> Cases() {
  std::vector<Case> out;
  const fs::path root = fs::path(meshlint::testing::SourceDir()) / "tests" / "fuzz-regressions";
  std::error_code ec;
  for (const auto& dir : fs::directory_iterator(root, ec)) {
    if (!dir.is_directory()) continue;
    for (const auto& f : fs::directory_iterator(dir.path()))
      if (f.is_regular_file()) out.push_back({dir.path().filename().string(), f.path()});
  }
  std::sort(out.begin(), out.end(), [](const Case& a, const Case& b) { return a.input < b.input; });
  return out;
}

TEST(FuzzRegressions, EveryInputEndsCleanly) {
  const std::vector<Case> cases = Cases();
  ASSERT_FALSE(cases.empty()) << "tests/fuzz-regressions/ holds no input";
  const fs::path tmp =
      fs::temp_directory_path() / ("meshlint-fuzz-regressions-" + std::to_string(::getpid()));
  fs::remove_all(tmp);
  fs::create_directories(tmp);
  std::ofstream(tmp / "mesh.yaml") << kManifests;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.input.string());
    const std::string input = meshlint::testing::ReadFileText(c.input.string());
    std::vector<std::string> args = {"lint", "--format", "sarif", "-q"};
    if (c.target == "loader_fuzzer") {
      // As the fuzz target names it: JSON when it starts like JSON.
      const std::size_t first = input.find_first_not_of(" \t\r\n");
      const bool json = first != std::string::npos && (input[first] == '{' || input[first] == '[');
      const std::string name = json ? "input.json" : "input.yaml";
      fs::copy_file(c.input, tmp / name, fs::copy_options::overwrite_existing);
      args.push_back(name);
    } else if (c.target == "mesh_config_fuzzer") {
      fs::copy_file(c.input, tmp / "config.yaml", fs::copy_options::overwrite_existing);
      args.insert(args.end(), {"--mesh-config", "config.yaml", "mesh.yaml"});
    } else if (c.target == "policy_fuzzer") {
      fs::copy_file(c.input, tmp / "policy.yaml", fs::copy_options::overwrite_existing);
      args.insert(args.end(), {"--policy", "policy.yaml", "mesh.yaml"});
    } else if (c.target == "config_fuzzer") {
      fs::copy_file(c.input, tmp / "project.yaml", fs::copy_options::overwrite_existing);
      args.insert(args.end(), {"--config", "project.yaml", "mesh.yaml"});
    } else {
      ADD_FAILURE() << "no replay for fuzz target " << c.target << ": add one here";
      continue;
    }
    std::string cmd = "cd " + Quote(tmp.string()) + " && ulimit -t " + std::to_string(kCpuSeconds) +
                      " && exec " + Quote(MESHLINT_BINARY);
    for (const auto& a : args) cmd += " " + Quote(a);
    cmd += " >out.sarif 2>err.txt </dev/null";
    const int raw = std::system(cmd.c_str());
    const std::string err = meshlint::testing::ReadFileText((tmp / "err.txt").string());
    ASSERT_TRUE(WIFEXITED(raw)) << "killed by signal " << WTERMSIG(raw) << "\n" << err;
    const int status = WEXITSTATUS(raw);
    EXPECT_TRUE(status == 0 || status == 1 || status == 2) << "status " << status << "\n" << err;
    EXPECT_EQ(err.find("Sanitizer"), std::string::npos) << err;
    const std::string out = meshlint::testing::ReadFileText((tmp / "out.sarif").string());
    if (status != 2) {
      EXPECT_FALSE(nlohmann::json::parse(out, nullptr, false).is_discarded())
          << "SARIF does not parse:\n"
          << out.substr(0, 2000);
    }
  }
  fs::remove_all(tmp);
}

}  // namespace
