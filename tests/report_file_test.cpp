// Report files (--output, --report, --write-baseline, egress -o) as a pull
// request could set them up: links planted where the report or its temporary
// file goes, devices, FIFOs, /dev/stdout, read-only files, many runs writing
// one report at once. Each case runs the binary as the invoking user and, when
// that is root, again as nobody (setpriv): root may write anything, so what
// protects a file must not depend on permissions alone. Device nodes are made
// only in the test's scratch directory (mknod, root only; skipped otherwise).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "shell_run.h"
#include "test_util.h"

namespace meshlint::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kRegistryOnly =
    "apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nmetadata:\n  name: cp\n"
    "  namespace: istio-system\nspec:\n  meshConfig:\n    outboundTrafficPolicy:\n"
    "      mode: REGISTRY_ONLY\n";
constexpr const char* kLeakySe =
    "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: debian-org\n"
    "  namespace: istio-system\nspec:\n  hosts: [deb.debian.org]\n  exportTo: [\"*\"]\n";
// The one finding of that mesh, as text.
constexpr const char* kSeLine =
    "se.yaml:8:14: warning [serviceentry-exported-to-all] ServiceEntry 'debian-org' exports "
    "deb.debian.org to every namespace (exportTo: \"*\"). Export it only to the namespaces that "
    "need it, e.g. exportTo: [\".\"].\n";

bool IsRoot() { return ::geteuid() == 0; }

class ReportFile : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    if (nobody() && !IsRoot()) GTEST_SKIP() << "runs as nobody only when the tests run as root";
    dir_.Write("mesh.yaml", kRegistryOnly);
    dir_.Write("se.yaml", kLeakySe);
    // nobody must be able to create files here (no sticky bit: it may also
    // rename over files root made, as in a shared checkout).
    fs::permissions(dir_.path(), fs::perms::all);
  }

  bool nobody() const { return std::string(GetParam()) == "nobody"; }

  // Runs `script` with bash in the scratch directory; `ml` runs meshlint as
  // the user under test, everything else runs as the invoker.
  ShellResult Run(const std::string& script) const {
    std::string ml = ShellQuote(MESHLINT_BINARY);
    if (nobody()) ml = "setpriv --reuid=65534 --regid=65534 --clear-groups " + ml;
    return RunShell("cd " + ShellQuote(dir_.str()) + " || exit 99\nml() { " + ml + " \"$@\"; }\n" +
                    script);
  }

  // Device nodes need root; the scratch directory is the only place made.
  void RequireMknod() const {
    if (!IsRoot()) GTEST_SKIP() << "mknod needs root: device cases skipped";
  }

  std::string Read(const std::string& name) const { return ReadFileText(dir_.str() + "/" + name); }
  std::string path(const std::string& name) const { return dir_.str() + "/" + name; }

  TempDir dir_;
};

TEST_P(ReportFile, PlantedTemporaryLinkIsNeverFollowed) {
  // The name the temporary file used to have, committed as a link to a file
  // the runner can write: the report must not land there.
  auto r =
      Run("printf 'precious\\n' > victim; chmod 0666 victim\n"
          "ln -s victim meshlint.sarif.meshlint-tmp\n"
          "ln -s victim .meshlint.sarif.meshlint-tmp\n"
          "ml lint . -q --report sarif=meshlint.sarif -o report.txt; echo \"rc=$?\"\n");
  EXPECT_EQ(r.out, "rc=1\n") << r.err;
  EXPECT_EQ(Read("victim"), "precious\n");
  EXPECT_TRUE(fs::is_symlink(path("meshlint.sarif.meshlint-tmp")));
  EXPECT_TRUE(fs::is_regular_file(fs::symlink_status(path("meshlint.sarif"))));
  EXPECT_EQ(nlohmann::json::parse(Read("meshlint.sarif"))["runs"][0]["results"].size(), 1u);
  EXPECT_EQ(Read("report.txt"), kSeLine);
}

TEST_P(ReportFile, LinkAtTheReportNameIsRefused) {
  auto r =
      Run("printf 'precious\\n' > victim; chmod 0666 victim\n"
          "ln -s victim meshlint.sarif; ln -s nowhere dangling.txt; ln -s . dir-link\n"
          "ml lint . -q --report sarif=meshlint.sarif >/dev/null; echo \"rc=$?\"\n"
          "ml lint . -q -o dangling.txt; echo \"rc=$?\"\n"
          "ml lint . -q --write-baseline dir-link >/dev/null; echo \"rc=$?\"\n");
  EXPECT_EQ(r.out, "rc=2\nrc=2\nrc=2\n");
  EXPECT_EQ(r.err,
            "meshlint: cannot write meshlint.sarif: it is a symbolic link to a file; reports are "
            "not written through links (name the file itself)\n"
            "meshlint: cannot write dangling.txt: it is a symbolic link that leads nowhere (No "
            "such file or directory); reports are not written through links\n"
            "meshlint: cannot write dir-link: it is a symbolic link to a directory; reports are "
            "not written through links (name the file itself)\n");
  EXPECT_EQ(Read("victim"), "precious\n");
  EXPECT_FALSE(fs::exists(fs::symlink_status(path("nowhere"))));
}

TEST_P(ReportFile, ConcurrentRunsWriteOneCompleteReport) {
  // Eight runs at once, five times, all writing the same two reports: every
  // run succeeds and what is left is one whole report, no temporary file.
  auto r =
      Run("for round in 1 2 3 4 5; do\n"
          "  for i in 1 2 3 4 5 6 7 8; do\n"
          "    (ml lint . -q --report sarif=shared.sarif -o shared.txt; echo $? > rc.$round.$i) &\n"
          "  done\n"
          "  wait\n"
          "done\n"
          "cat rc.* | sort | uniq -c | tr -s ' '\n"
          "ls -a | grep -c meshlint-tmp\n");
  EXPECT_EQ(r.out, " 40 1\n0\n") << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(Read("shared.txt"), kSeLine);
  const auto sarif = nlohmann::json::parse(Read("shared.sarif"));
  EXPECT_EQ(sarif["runs"][0]["results"].size(), 1u);
}

TEST_P(ReportFile, ReadOnlyReportIsRefused) {
  // The rename would replace it as if it were writable: refused, for root too.
  auto r =
      Run("printf 'old\\n' > ro.txt; chmod 0444 ro.txt\n"
          "ml lint . -q -o ro.txt; echo \"rc=$?\"\n"
          "printf 'old\\n' > rw.txt; chmod 0666 rw.txt\n"
          "ml lint . -q -o rw.txt; echo \"rc=$?\"\n");
  EXPECT_EQ(r.out, "rc=2\nrc=1\n");
  EXPECT_EQ(r.err,
            "meshlint: cannot write ro.txt: the file is read-only (a report replaces its file; "
            "make it writable or remove it)\n");
  EXPECT_EQ(Read("ro.txt"), "old\n");
  EXPECT_EQ(Read("rw.txt"), kSeLine);
}

TEST_P(ReportFile, ErrorsSayWhy) {
  auto r =
      Run("ml lint . -q -o missing-dir/report.txt; echo \"rc=$?\"\n"
          "ml lint . -q -o .; echo \"rc=$?\"\n"
          "ml egress . -o missing-dir/egress.txt; echo \"rc=$?\"\n"
          "ml lint . -q > /dev/full; echo \"rc=$?\"\n"
          "ml lint . -q -o /dev/full; echo \"rc=$?\"\n"
          "ml lint . -q --report sarif=/dev/full >/dev/null; echo \"rc=$?\"\n"
          "ml egress . -o /dev/full; echo \"rc=$?\"\n");
  EXPECT_EQ(r.out, "rc=2\nrc=2\nrc=2\nrc=2\nrc=2\nrc=2\nrc=2\n");
  EXPECT_EQ(r.err,
            "meshlint: cannot write missing-dir/report.txt: No such file or directory\n"
            "meshlint: cannot write .: it is a directory\n"
            "meshlint: cannot write missing-dir/egress.txt: No such file or directory\n"
            "meshlint: error writing the report to stdout: No space left on device\n"
            "meshlint: error writing /dev/full: No space left on device\n"
            "meshlint: error writing /dev/full: No space left on device\n"
            "meshlint: error writing /dev/full: No space left on device\n");
}

TEST_P(ReportFile, DevicesAreWrittenInPlace) {
  RequireMknod();
  auto r = Run(
      "mknod null c 1 3 && mknod full c 1 7 && chmod 0666 null full || exit 99\n"
      "ml lint . -q -o null; echo \"rc=$?\"\n"
      "ml lint . -q -o full; echo \"rc=$?\"\n"
      "ml egress . -o full; echo \"rc=$?\"\n"
      "ln -s null null-link; ml lint . -q --report sarif=null-link >/dev/null; echo \"rc=$?\"\n"
      "ln -s full full-link; ml lint . -q --write-baseline full-link >/dev/null; echo \"rc=$?\"\n"
      "test -c null && test -c full && test -L null-link && test -L full-link && echo kept\n");
  EXPECT_EQ(r.out, "rc=1\nrc=2\nrc=2\nrc=1\nrc=2\nkept\n") << r.err;
  EXPECT_EQ(r.err,
            "meshlint: error writing full: No space left on device\n"
            "meshlint: error writing full: No space left on device\n"
            "meshlint: error writing full-link: No space left on device\n");
}

TEST_P(ReportFile, OtherNodesAreRefused) {
  RequireMknod();
  // A disk is never a report's place; nor is a device a link leads to that
  // is not a terminal, null, zero or full (opening some devices acts).
  auto r =
      Run("mknod blk b 7 250 && mknod mem c 1 1 && chmod 0666 blk mem || exit 99\n"
          "ml lint . -q -o blk; echo \"rc=$?\"\n"
          "ln -s mem mem-link; ml lint . -q -o mem-link; echo \"rc=$?\"\n"
          "test -b blk && test -L mem-link && echo kept\n");
  EXPECT_EQ(r.out, "rc=2\nrc=2\nkept\n") << r.err;
  EXPECT_EQ(r.err,
            "meshlint: cannot write blk: it is a block device\n"
            "meshlint: cannot write mem-link: it is a symbolic link to a device; reports are not "
            "written through links (name the file itself)\n");
}

TEST_P(ReportFile, StdoutByNameKeepsTheLink) {
  // What /dev/stdout is (a link to /proc/self/fd/1), made in the scratch
  // directory so that the real one is never at risk.
  auto r =
      Run("ln -s /proc/self/fd/1 stdout-link\n"
          "ml lint . -q -o stdout-link > captured; echo \"rc=$?\"\n"
          "ml lint . -q -o /dev/stdout | cat > piped; echo \"rc=${PIPESTATUS[0]}\"\n"
          "test -L stdout-link && echo kept\n");
  EXPECT_EQ(r.out, "rc=1\nrc=1\nkept\n") << r.err;
  EXPECT_EQ(Read("captured"), kSeLine);
  EXPECT_EQ(Read("piped"), kSeLine);
}

TEST_P(ReportFile, FifoIsWrittenNotReplaced) {
  // Through a link and with no reader: refused at once, never a hang.
  auto r =
      Run("mkfifo -m 0666 fifo lonely || exit 99\n"
          // The reader gives up if meshlint never opens the FIFO, so a failure
          // is reported instead of hanging the test.
          "timeout 30 cat fifo > got &\n"
          "ml lint . -q -o fifo; echo \"rc=$?\"; wait\n"
          "ln -s lonely lonely-link\n"
          "ml lint . -q -o lonely-link & pid=$!\n"
          "for i in $(seq 600); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done\n"
          "kill -9 $pid 2>/dev/null && echo hung; wait $pid; echo \"rc=$?\"\n"
          "test -p fifo && test -p lonely && echo kept\n");
  EXPECT_EQ(r.out, "rc=1\nrc=2\nkept\n") << r.err;
  EXPECT_EQ(Read("got"), kSeLine);
  EXPECT_EQ(r.err, "meshlint: cannot write lonely-link: no process reads it\n");
}

INSTANTIATE_TEST_SUITE_P(Users, ReportFile, ::testing::Values("invoker", "nobody"),
                         [](const auto& info) { return std::string(info.param); });

}  // namespace
}  // namespace meshlint::testing
