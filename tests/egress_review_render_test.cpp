// The review view as people see it: the Markdown comment rendered by a
// Markdown renderer with its Mermaid graph parsed by Mermaid itself
// (tests/tools/check_markdown.mjs; npm packages installed by
// `ci/setup --for-tests` into .tools/), its size bound, and the HTML page
// opened in headless Chromium (nodes drawn, no console error). Each skips,
// saying why, where its tool is missing.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "egress/diff.h"
#include "report/egress_diff.h"
#include "shell_run.h"
#include "test_util.h"

namespace meshlint::testing {
namespace {

namespace fs = std::filesystem;

fs::path StepDir(int step) {
  return fs::path(SourceDir()) / "fixtures" / "scenarios" /
         ("seed-egress-step-" + std::to_string(step));
}

std::string NodeModules() {
  const fs::path dir = fs::path(SourceDir()) / ".tools" / "node_modules";
  if (fs::is_directory(dir / "markdown-it") && fs::is_directory(dir / "mermaid") &&
      fs::is_directory(dir / "jsdom"))
    return dir.string();
  return "";
}

ShellResult CheckMarkdown(const std::string& markdown) {
  TempDir t;
  const std::string file = t.Write("comment.md", markdown);
  return RunShell("node " + ShellQuote(SourceDir() + "/tests/tools/check_markdown.mjs") + " " +
                  ShellQuote(NodeModules()) + " " + ShellQuote(file));
}

#define REQUIRE_MARKDOWN_TOOLS()                                                        \
  if (NodeModules().empty() || RunShell("node --version").status != 0)                  \
  GTEST_SKIP() << "markdown-it, mermaid and jsdom are not in .tools/node_modules (run " \
                  "ci/setup --for-tests), or node is missing"

// Every step's comment (and the mesh picture) renders, and its graph parses.
TEST(EgressMarkdown, RendersAndItsMermaidParses) {
  REQUIRE_MARKDOWN_TOOLS();
  for (int step = 2; step <= 6; ++step) {
    const CommandResult r = RunInProcess(
        {"egress", "--base", "../seed-egress-step-" + std::to_string(step - 1), "-f", "markdown"},
        StepDir(step).string());
    ASSERT_NE(r.status, 2) << r.err;
    const ShellResult check = CheckMarkdown(r.out);
    EXPECT_EQ(check.status, 0) << "step " << step << ": " << check.out << check.err << "\n"
                               << r.out;
    EXPECT_EQ(check.out, "ok: 1 tables, 1 mermaid graphs\n") << "step " << step;
    const CommandResult picture =
        RunInProcess({"egress", "-f", "markdown"}, StepDir(step).string());
    const ShellResult pc = CheckMarkdown(picture.out);
    EXPECT_EQ(pc.status, 0) << pc.out << pc.err << picture.out;
  }
  // The checker itself fails on a broken graph.
  const ShellResult bad = CheckMarkdown("```mermaid\nflowchart LR\n  a[\"x\" --> \n```\n");
  EXPECT_EQ(bad.status, 1) << bad.out;
}

// The step-4 comment as reviewed (MESHLINT_UPDATE_GOLDEN=1 rewrites it).
TEST(EgressMarkdown, CommentAsReviewed) {
  const CommandResult r = RunInProcess(
      {"egress", "--base", "../seed-egress-step-3", "-f", "markdown"}, StepDir(4).string());
  const fs::path golden = fs::path(SourceDir()) / "tests" / "egress-diff" / "step-4.md";
  const char* update = std::getenv("MESHLINT_UPDATE_GOLDEN");
  if (update && std::string(update) == "1") {
    std::ofstream(golden, std::ios::binary | std::ios::trunc) << r.out;
    GTEST_SKIP() << "rewrote " << golden;
  }
  EXPECT_EQ(ReadFileText(golden.string()), r.out);
}

// A mesh of many namespaces, each opening hosts of its own: the comment is
// cut by whole rows under the limit, says how many it left out, and still
// renders with its graph.
TEST(EgressMarkdown, LargeChangeFitsAComment) {
  egress::EgressDiff d;
  for (int n = 0; n < 400; ++n)
    for (int h = 0; h < 5; ++h) {
      egress::DiffEntry e;
      e.pair = {"team-" + std::to_string(n), "",
                "api-" + std::to_string(n) + "-" + std::to_string(h) + ".example.com", 443, "TLS"};
      e.reasons.push_back(
          {"ServiceEntry team/x lists it | with a pipe and <b>markup</b> and `ticks`.",
           "manifests/team " + std::to_string(n) + ".yaml", 7, 5});
      e.changes.push_back(
          {egress::Change::What::kAdded, "ServiceEntry team/x", false, "manifests/x.yaml", 4, 9});
      d.opened.push_back(e);
    }
  d.unchanged = 12;
  std::ostringstream out;
  WriteEgressDiffMarkdown(out, d, DiffLabels{"main", "", "working tree"});
  const std::string md = out.str();
  EXPECT_LE(md.size(), kMaxCommentBytes);
  EXPECT_NE(md.find("more pairs left out to fit a comment"), std::string::npos);
  EXPECT_NE(md.find("lists it \\| with a pipe"), std::string::npos) << "cells escaped";
  EXPECT_EQ(md.find("<b>"), std::string::npos) << "no markup from a manifest";
  EXPECT_NE(md.find("manifests/team%200.yaml#L7"), std::string::npos) << "links percent-encoded";
  if (NodeModules().empty()) GTEST_SKIP() << "markdown tools missing (ci/setup --for-tests)";
  const ShellResult check = CheckMarkdown(md);
  EXPECT_EQ(check.status, 0) << check.out << check.err;
}

// The page in a real browser: the graph's nodes are drawn and the console
// stays clean.
TEST(EgressHtml, RendersInHeadlessChromium) {
  if (RunShell("command -v chromium").status != 0)
    GTEST_SKIP()
        << "chromium is not installed (ci/setup --for-tests installs Debian's): the HTML page "
           "was not opened in a browser";
  TempDir t;
  const std::string page = (t.path() / "egress.html").string();
  const CommandResult r = RunInProcess(
      {"egress", "--base", "../seed-egress-step-2", "-f", "html", "-o", page}, StepDir(3).string());
  ASSERT_EQ(r.status, 1) << r.err;
  const ShellResult dom = RunShell(
      "cd " + ShellQuote(t.str()) + " && HOME=" + ShellQuote(t.str()) +
      " timeout 120 chromium --headless --no-sandbox --disable-gpu "
      "--no-first-run --disable-extensions --enable-logging=stderr --v=0 --user-data-dir=" +
      ShellQuote(t.str() + "/profile") + " --dump-dom " + ShellQuote("file://" + page));
  ASSERT_EQ(dom.status, 0) << dom.err;
  // Two boxes (newguy; the two Debian hosts) and one edge, drawn by the script.
  std::size_t sources = 0, hosts = 0, edges = 0;
  for (std::size_t p = 0; (p = dom.out.find("class=\"node source\"", p)) != std::string::npos; ++p)
    ++sources;
  for (std::size_t p = 0; (p = dom.out.find("class=\"node host\"", p)) != std::string::npos; ++p)
    ++hosts;
  for (std::size_t p = 0; (p = dom.out.find("class=\"edge opened", p)) != std::string::npos; ++p)
    ++edges;
  EXPECT_EQ(sources, 1u) << dom.out;
  EXPECT_EQ(hosts, 1u);
  EXPECT_EQ(edges, 1u);
  EXPECT_NE(dom.out.find(">newguy</text>"), std::string::npos);
  EXPECT_NE(dom.out.find(">deb.debian.org:80, security.debian.org:80</text>"), std::string::npos);
  // Chromium logs the page's console messages and uncaught errors as CONSOLE lines.
  EXPECT_EQ(dom.err.find("CONSOLE"), std::string::npos) << dom.err;
  EXPECT_EQ(dom.err.find("Uncaught"), std::string::npos) << dom.err;
}

}  // namespace
}  // namespace meshlint::testing

namespace meshlint::testing {
namespace {

// Without a base, a large mesh draws as a few grouped boxes: 300 namespaces
// reaching the same 40 hosts are one box and one edge, and the table cell
// names 30 of them and counts the rest.
TEST(EgressMarkdown, LargeMeshPictureIsGrouped) {
  std::vector<egress::Pair> pairs;
  for (int n = 0; n < 300; ++n)
    for (int h = 0; h < 40; ++h)
      pairs.push_back({"ns-" + std::to_string(1000 + n), "",
                       "host-" + std::to_string(h) + ".example.com", 0, ""});
  std::ostringstream out;
  WriteEgressPictureMarkdown(out, pairs);
  const std::string md = out.str();
  EXPECT_LE(md.size(), 8000u) << md;
  EXPECT_NE(md.find("### Egress: 300 sources reach 40 external destinations"), std::string::npos)
      << md;
  EXPECT_NE(md.find("n0[\"300 sources: ns-1000, ns-1001, ns-1002, ...\"]"), std::string::npos)
      << md;
  EXPECT_NE(md.find("n0 -->|\"12000 pairs\"| n1"), std::string::npos) << md;
  EXPECT_NE(md.find("and 270 more |"), std::string::npos);
  if (NodeModules().empty()) GTEST_SKIP() << "markdown tools missing (ci/setup --for-tests)";
  const ShellResult check = CheckMarkdown(md);
  EXPECT_EQ(check.status, 0) << check.out << check.err;
}

}  // namespace
}  // namespace meshlint::testing
