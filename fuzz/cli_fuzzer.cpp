// Fuzzes the command line and the project config together, through RunCli
// (what main() runs): the input's lines up to a line "%%" are the
// arguments, the rest is the .meshlint.yaml of a small repository the run
// starts in. Every run must end with exit 0, 1 or 2, a usage error must say
// why, and no message may carry an escape character; anything else aborts.
//
// The fuzzer may run as root, so it must never name a file outside its
// scratch repository: an argument holding '/' or '..' is replaced (no
// absolute path, no parent: `..` alone named /tmp, whose gigabytes of build
// trees took a run past libFuzzer's timeout), stdin is /dev/null, and the
// repository is rebuilt before each run (a report written over a manifest
// would make runs depend on order).
// What the config names is held to the repository boundary by meshlint.
#include <fcntl.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "cli/cli.h"

namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxArgs = 64;
constexpr std::size_t kMaxArgBytes = 4096;

constexpr std::string_view kManifests = R"(apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: debian-org
  namespace: istio-system
  annotations:
    ignore.meshlint.io/serviceentry-exported-to-all: "reviewed"
spec:
  hosts: [deb.debian.org]
  exportTo: ["*"]
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata:
  name: default
  namespace: payments
spec:
  outboundTrafficPolicy: {mode: ALLOW_ANY}
)";

constexpr std::string_view kMesh = R"(meshConfig:
  outboundTrafficPolicy:
    mode: REGISTRY_ONLY
)";

constexpr std::string_view kPolicy = R"(egress:
- namespaces: ["pay.*"]
  hosts: ["*.debian.org"]
)";

const fs::path& Repository() {
  static const fs::path dir = [] {
    char name[] = "/tmp/meshlint-cli-fuzz-XXXXXX";
    if (!::mkdtemp(name)) std::abort();
    return fs::path(name);
  }();
  return dir;
}

void Write(const fs::path& path, std::string_view text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

// The repository as every run starts: manifests, a mesh config, a policy
// and `config` as .meshlint.yaml (none when empty); nothing else.
void Reset(std::string_view config) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(Repository(), ec)) fs::remove_all(entry, ec);
  fs::create_directory(Repository() / ".git", ec);
  Write(Repository() / "mesh.yaml", kManifests);
  Write(Repository() / "istio.yaml", kMesh);
  Write(Repository() / "policy.yaml", kPolicy);
  if (!config.empty()) Write(Repository() / ".meshlint.yaml", config);
}

std::vector<std::string> Arguments(std::string_view& text) {
  std::vector<std::string> args{"meshlint"};
  while (!text.empty() && args.size() <= kMaxArgs) {
    const std::size_t eol = std::min(text.find('\n'), text.size());
    std::string arg(text.substr(0, eol));
    text.remove_prefix(std::min(eol + 1, text.size()));
    if (arg == "%%") break;
    if (arg.size() > kMaxArgBytes) arg.resize(kMaxArgBytes);
    if (arg.find('/') != std::string::npos || arg.find("..") != std::string::npos) arg = "outside";
    args.push_back(std::move(arg));
  }
  return args;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (!std::freopen("/dev/null", "r", stdin)) std::abort();
  ::setenv("MESHLINT_TODAY", "2026-06-01", 1);
  ::unsetenv("GITHUB_ACTIONS");
  Reset("");
  std::atexit([] {
    std::error_code ec;
    fs::remove_all(Repository(), ec);
  });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::vector<std::string> args = Arguments(text);
  Reset(text);
  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  std::cin.clear();
  std::ostringstream out, err;
  // In the repository for the run only: libFuzzer's own paths (the corpus,
  // -artifact_prefix) may be relative to where it started.
  const int home = ::open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (home < 0 || ::chdir(Repository().c_str()) != 0) std::abort();
  const int status = meshlint::RunCli(static_cast<int>(argv.size()), argv.data(), out, err);
  if (::fchdir(home) != 0) std::abort();
  ::close(home);
  if (status < 0 || status > 2) std::abort();
  const std::string messages = err.str();
  if (status == 2 && messages.empty()) std::abort();             // a usage error says why
  if (messages.find('\x1b') != std::string::npos) std::abort();  // TerminalSafe
  return 0;
}
