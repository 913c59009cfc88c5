// What `cmake --install` puts in place and the .deb cpack makes of it
// (cmake/Install.cmake): the installed binary runs on the demo, the man page,
// completions and rule docs are where Debian's tools look, and Depends names
// the runtime packages of the libraries the binary links.
#include <gtest/gtest.h>

#include <filesystem>
#include <iterator>
#include <regex>
#include <string>

#include "engine/rule.h"
#include "shell_run.h"
#include "test_util.h"

namespace meshlint::testing {
namespace {

namespace fs = std::filesystem;

const char* const kInstalled[] = {
    "bin/meshlint",
    "share/man/man1/meshlint.1.gz",
    "share/bash-completion/completions/meshlint",
    "share/zsh/vendor-completions/_meshlint",
    "share/fish/vendor_completions.d/meshlint.fish",
    "share/doc/meshlint/README.md",
    "share/doc/meshlint/docs/usage.md",
    "share/doc/meshlint/rules/mesh-outbound-allow-any.md",
};

// The installed binary on the demo: its 4 findings, exit 1.
void ExpectRunsTheDemo(const std::string& binary) {
  ShellResult r = RunShell("cd " + ShellQuote(SourceDir()) + " && " + ShellQuote(binary) +
                           " lint examples/demo-mesh --quiet");
  EXPECT_EQ(r.status, 1) << r.err;
  const std::regex finding(R"((^|\n)examples/demo-mesh/[a-z]+\.yaml:\d+:\d+: (error|warning) \[)");
  const auto begin = std::sregex_iterator(r.out.begin(), r.out.end(), finding);
  EXPECT_EQ(std::distance(begin, std::sregex_iterator()), 4) << r.out;
}

TEST(Package, CmakeInstallPutsEverythingInPlace) {
  TempDir prefix;
  ShellResult r = RunShell("cmake --install " + ShellQuote(MESHLINT_BUILD_DIR) + " --prefix " +
                           ShellQuote(prefix.str()));
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  for (const char* f : kInstalled)
    EXPECT_TRUE(fs::exists(prefix.path() / f)) << f << " not installed\n" << r.out;
  // One page per rule, named by its id.
  std::size_t rule_docs = 0;
  for (const auto& e : fs::directory_iterator(prefix.path() / "share/doc/meshlint/rules")) {
    ++rule_docs;
    EXPECT_TRUE(fs::exists(fs::path(SourceDir()) / "rules" / e.path().stem() / "doc.md"))
        << e.path();
  }
  EXPECT_EQ(rule_docs, AllRules().size());
  ExpectRunsTheDemo((prefix.path() / "bin/meshlint").string());
}

TEST(Package, DebDependsOnTheRuntimePackagesAndRuns) {
  if (MESHLINT_SANITIZED) GTEST_SKIP() << "packaging is checked in the normal build";
  ShellResult tools =
      RunShell("command -v dpkg-deb && command -v dpkg-shlibdeps && command -v cpack");
  if (tools.status != 0)
    GTEST_SKIP() << "dpkg-deb, dpkg-shlibdeps or cpack missing (apt-get install dpkg-dev): "
                    "the .deb is not checked";
  TempDir out;
  ShellResult r = RunShell("set -e\ncd " + ShellQuote(out.str()) + "\ncpack -G DEB --config " +
                           ShellQuote(std::string(MESHLINT_BUILD_DIR) + "/CPackConfig.cmake") +
                           " -B " + ShellQuote(out.str()) + " >cpack.log\n" +
                           "deb=$(ls meshlint_*.deb)\necho \"$deb\"\n" +
                           "dpkg-deb -f \"$deb\" Package Depends\n" + "dpkg -x \"$deb\" root\n");
  ASSERT_EQ(r.status, 0) << r.out << r.err << ReadFileText(out.str() + "/cpack.log");
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(^meshlint_0\.1\.0_[a-z0-9]+\.deb\n)")))
      << r.out;
  EXPECT_NE(r.out.find("Package: meshlint\n"), std::string::npos) << r.out;
  // dpkg-shlibdeps names each library's package (versions differ by release).
  for (const char* dep :
       {"libyaml-cpp0.", "libboost-program-options1.", "libre2-", "libc6", "libstdc++6"})
    EXPECT_NE(r.out.find(dep), std::string::npos) << "Depends lacks " << dep << "\n" << r.out;
  for (const char* f : kInstalled) {
    const std::string path = std::string("usr/") + f;
    EXPECT_TRUE(fs::exists(out.path() / "root" / path)) << path << " not in the .deb";
  }
  ExpectRunsTheDemo((out.path() / "root/usr/bin/meshlint").string());
}

}  // namespace
}  // namespace meshlint::testing
