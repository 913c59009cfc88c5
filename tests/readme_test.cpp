// The documentation stays true: README.md, CONTRIBUTING.md, docs/*.md and
// the rule docs. CONTRIBUTING.md ("Documentation that is tested") describes
// the conventions checked here:
// - the README's rule table is the output of `meshlint rules --format
//   markdown` (MESHLINT_UPDATE_GOLDEN=1 rewrites it, like the golden fixtures);
// - every ```console block is run and its output compared;
// - every --option written after `meshlint lint|egress|rules` exists, and
//   docs/usage.md documents every option the commands have;
// - relative links (and #section anchors) resolve;
// - no page uses words that only make sense inside the team.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "shell_run.h"
#include "test_util.h"

namespace meshlint::testing {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kBegin = "<!-- rules:begin -->\n";
constexpr std::string_view kEnd = "<!-- rules:end -->";

TEST(ReadmeRuleTable, MatchesRulesMarkdown) {
  const std::string path = SourceDir() + "/README.md";
  const std::string readme = ReadFileText(path);
  const std::size_t begin = readme.find(kBegin);
  ASSERT_NE(begin, std::string::npos) << "README.md lacks the line " << kBegin;
  const std::size_t start = begin + kBegin.size();
  const std::size_t end = readme.find(kEnd, start);
  ASSERT_NE(end, std::string::npos) << "README.md lacks the line " << kEnd << " after " << kBegin;
  ASSERT_EQ(readme.find(kBegin, end), std::string::npos) << "the rule table markers appear twice";

  auto r = RunInProcess({"rules", "--format", "markdown"}, SourceDir());
  ASSERT_EQ(r.status, 0) << r.err;
  ASSERT_FALSE(r.out.empty());
  const std::string table = readme.substr(start, end - start);
  if (table == r.out) return;

  if (const char* update = std::getenv("MESHLINT_UPDATE_GOLDEN"); update && *update == '1') {
    std::ofstream(path, std::ios::binary | std::ios::trunc)
        << readme.substr(0, start) << r.out << readme.substr(end);
    GTEST_SKIP() << "rewrote the rule table in README.md: review the diff";
  }
  EXPECT_EQ(table, r.out) << "the README rule table is stale: run "
                             "MESHLINT_UPDATE_GOLDEN=1 ctest --test-dir build -R ReadmeRuleTable";
}

// ------------------------------------------------------------ the pages

// Paths relative to the source root of every page these tests read.
std::vector<std::string> DocPages() {
  std::vector<std::string> pages = {"README.md", "CONTRIBUTING.md"};
  std::vector<std::string> more;
  for (const char* dir : {"docs"})
    for (const auto& e : fs::directory_iterator(fs::path(SourceDir()) / dir))
      if (e.path().extension() == ".md")
        more.push_back(std::string(dir) + "/" + e.path().filename().string());
  for (const auto& e : fs::directory_iterator(fs::path(SourceDir()) / "rules"))
    if (fs::exists(e.path() / "doc.md"))
      more.push_back("rules/" + e.path().filename().string() + "/doc.md");
  std::sort(more.begin(), more.end());
  pages.insert(pages.end(), more.begin(), more.end());
  return pages;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string::npos) eol = text.size();
    out.push_back(text.substr(pos, eol - pos));
    pos = eol + 1;
  }
  return out;
}

struct Line {
  std::string text;
  std::size_t number = 0;  // 1-based
  bool in_code = false;    // inside a fenced block
  std::string fence_info;  // the block's language, for code lines
};

// Every line, marked with whether it is inside a ``` or ```` fence.
std::vector<Line> Classify(const std::string& text) {
  std::vector<Line> out;
  std::string fence, info;
  std::size_t n = 0;
  for (const std::string& l : Lines(text)) {
    ++n;
    const std::size_t ticks = l.find_first_not_of('`');
    const bool is_fence = l.starts_with("```");
    if (fence.empty() && is_fence) {
      fence = l.substr(0, ticks == std::string::npos ? l.size() : ticks);
      info = ticks == std::string::npos ? "" : l.substr(ticks);
      out.push_back({l, n, false, ""});
      continue;
    }
    if (!fence.empty() && l == fence) {
      fence.clear();
      out.push_back({l, n, false, ""});
      continue;
    }
    out.push_back({l, n, !fence.empty(), info});
  }
  return out;
}

// ------------------------------------------------------------ console blocks

struct ConsoleCommand {
  std::size_t line = 0;
  std::string command;
  std::string expected;  // stdout, one "\n"-terminated line each
};

std::vector<std::vector<ConsoleCommand>> ConsoleBlocks(const std::string& text) {
  std::vector<std::vector<ConsoleCommand>> blocks;
  bool open = false;
  for (const Line& l : Classify(text)) {
    if (!l.in_code || l.fence_info != "console") {
      open = false;
      continue;
    }
    if (!open) blocks.emplace_back();
    open = true;
    if (l.text.starts_with("$ ")) {
      blocks.back().push_back({l.number, l.text.substr(2), ""});
    } else if (!blocks.back().empty()) {
      blocks.back().back().expected += l.text + "\n";
    } else {
      ADD_FAILURE() << "line " << l.number << ": a console block must start with a $ command";
    }
  }
  return blocks;
}

// Timings differ between runs; everything else must not.
std::string WithoutTimings(const std::string& text) {
  return std::regex_replace(text, std::regex(R"(\([0-9]+ ms\))"), "(N ms)");
}

// A directory whose `meshlint` is the binary under test.
const std::string& ShimDir() {
  static const std::string dir = [] {
    const fs::path d =
        fs::temp_directory_path() / ("meshlint-doc-shim-" + std::to_string(::getpid()));
    fs::create_directories(d);
    std::error_code ec;
    fs::remove(d / "meshlint", ec);
    fs::create_symlink(MESHLINT_BINARY, d / "meshlint");
    return d.string();
  }();
  return dir;
}

// Runs one block's commands in one bash from the source root; returns each
// command's stdout.
std::vector<std::string> RunBlock(const std::vector<ConsoleCommand>& block) {
  const std::string marker =
      "\x1e"
      "meshlint-doc-command\x1e\n";
  std::string script = "cd " + ShellQuote(SourceDir()) +
                       " || exit 99\nexport PATH=" + ShellQuote(ShimDir()) + ":\"$PATH\"\n";
  const std::regex binary(R"((^|[\s;|&(])build/meshlint\b)");
  for (const ConsoleCommand& c : block) {
    script += "printf '\\036meshlint-doc-command\\036\\n'\n";
    script += "timeout 120 bash -c " +
              ShellQuote(std::regex_replace(c.command, binary, "$1meshlint")) + "\n";
  }
  const ShellResult r = RunShell(script);
  std::vector<std::string> outputs;
  std::size_t pos = r.out.find(marker);
  while (pos != std::string::npos) {
    const std::size_t start = pos + marker.size();
    pos = r.out.find(marker, start);
    std::string out =
        r.out.substr(start, pos == std::string::npos ? std::string::npos : pos - start);
    if (!out.empty() && out.back() != '\n') out += '\n';
    outputs.push_back(out);
  }
  return outputs;
}

TEST(DocsCommands, ConsoleBlocksPrintWhatTheDocsShow) {
  std::size_t commands = 0;
  for (const std::string& page : DocPages()) {
    const std::string text = ReadFileText(SourceDir() + "/" + page);
    for (const auto& block : ConsoleBlocks(text)) {
      const std::vector<std::string> outputs = RunBlock(block);
      ASSERT_EQ(outputs.size(), block.size()) << page << ":" << block.front().line;
      for (std::size_t i = 0; i < block.size(); ++i) {
        ++commands;
        EXPECT_EQ(WithoutTimings(outputs[i]), WithoutTimings(block[i].expected))
            << page << ":" << block[i].line << ": $ " << block[i].command;
      }
    }
  }
  EXPECT_GE(commands, 10u) << "the docs show fewer commands than they did";
}

TEST(DocsCommands, ConsoleBlocksAreParsedAsWritten) {
  // The parser the test above relies on.
  const auto blocks = ConsoleBlocks(
      "text\n```console\n$ echo a; echo b\na\nb\n$ true\n```\n```sh\n$ not run\n```\n"
      "```console\n$ printf x\nx\n```\n");
  ASSERT_EQ(blocks.size(), 2u);
  ASSERT_EQ(blocks[0].size(), 2u);
  EXPECT_EQ(blocks[0][0].command, "echo a; echo b");
  EXPECT_EQ(blocks[0][0].expected, "a\nb\n");
  EXPECT_EQ(blocks[0][1].expected, "");
  EXPECT_EQ(blocks[1][0].line, 12u);
  const auto outputs = RunBlock(blocks[0]);
  ASSERT_EQ(outputs.size(), 2u);
  EXPECT_EQ(outputs[0], "a\nb\n");
  EXPECT_EQ(outputs[1], "");
  EXPECT_EQ(RunBlock(blocks[1]), std::vector<std::string>{"x\n"});
  EXPECT_EQ(WithoutTimings("in 5 files (12 ms)\n"), "in 5 files (N ms)\n");
}

// ------------------------------------------------------------ options

// The long options a command's --help lists.
std::set<std::string> HelpOptions(const std::string& command) {
  const std::string help = RunMeshlint({command, "--help"}, SourceDir()).out;
  std::set<std::string> out;
  const std::regex option(R"((^|[\s,\[])(--[a-z][a-z-]*))");
  for (std::sregex_iterator it(help.begin(), help.end(), option), end; it != end; ++it)
    out.insert((*it)[2]);
  return out;
}

// The code on a line: all of it in a fenced block, the `spans` in prose.
std::vector<std::string> CodeOn(const Line& l) {
  if (l.in_code) return {l.text};
  std::vector<std::string> spans;
  const std::regex span("`([^`]+)`");
  for (std::sregex_iterator it(l.text.begin(), l.text.end(), span), end; it != end; ++it)
    spans.push_back((*it)[1]);
  return spans;
}

TEST(DocsCommands, EveryOptionShownIsReal) {
  const std::map<std::string, std::set<std::string>> known = {{"lint", HelpOptions("lint")},
                                                              {"egress", HelpOptions("egress")},
                                                              {"rules", HelpOptions("rules")}};
  ASSERT_TRUE(known.at("lint").count("--fail-on"));
  ASSERT_TRUE(known.at("egress").count("--from"));
  const std::regex invocation(R"(meshlint (lint|egress|rules)\b([^|;&)`]*))");
  const std::regex option(R"((^|\s)(--[a-z][a-z-]*))");
  std::size_t checked = 0;
  for (const std::string& page : DocPages()) {
    for (const Line& l : Classify(ReadFileText(SourceDir() + "/" + page))) {
      for (const std::string& code : CodeOn(l)) {
        for (std::sregex_iterator it(code.begin(), code.end(), invocation), end; it != end; ++it) {
          const std::string command = (*it)[1], rest = (*it)[2];
          for (std::sregex_iterator o(rest.begin(), rest.end(), option), oend; o != oend; ++o) {
            ++checked;
            EXPECT_TRUE(known.at(command).count((*o)[2]))
                << page << ":" << l.number << ": meshlint " << command << " has no option "
                << (*o)[2];
          }
        }
      }
    }
  }
  EXPECT_GE(checked, 40u);  // the docs show about 50: the pattern still finds them
}

TEST(DocsCommands, UsageDocumentsEveryOption) {
  const std::string usage = ReadFileText(SourceDir() + "/docs/usage.md");
  for (const char* command : {"lint", "egress", "rules"})
    for (const std::string& opt : HelpOptions(command))
      EXPECT_NE(usage.find("`" + opt), std::string::npos)
          << "docs/usage.md does not document meshlint " << command << " " << opt;
}

// ------------------------------------------------------------ links

// GitHub's anchor for a heading: lowercase, only letters, digits, spaces,
// '-' and '_' kept, spaces become '-'.
std::string Slug(const std::string& heading) {
  std::string out;
  for (unsigned char c : heading) {
    if (std::isalnum(c) || c == '-' || c == '_') out += static_cast<char>(std::tolower(c));
    else if (c == ' ') out += '-';
    else if (c >= 0x80) out += static_cast<char>(c);
  }
  return out;
}

std::set<std::string> Anchors(const std::string& markdown) {
  std::set<std::string> out;
  for (const Line& l : Classify(markdown)) {
    if (l.in_code || !l.text.starts_with("#")) continue;
    const std::size_t text = l.text.find_first_not_of('#');
    if (text == std::string::npos || l.text[text] != ' ') continue;
    out.insert(Slug(l.text.substr(text + 1)));
  }
  return out;
}

TEST(DocsLinks, RelativeLinksAndAnchorsResolve) {
  EXPECT_EQ(Slug("One question: `--from NAMESPACE --to HOST`"),
            "one-question---from-namespace---to-host");
  EXPECT_EQ(Slug("text (default)"), "text-default");
  const std::regex link(R"(\]\(([^)\s]+)\))");
  std::size_t checked = 0;
  for (const std::string& page : DocPages()) {
    const std::string text = ReadFileText(SourceDir() + "/" + page);
    const fs::path dir = (fs::path(SourceDir()) / page).parent_path();
    for (const Line& l : Classify(text)) {
      if (l.in_code) continue;
      for (std::sregex_iterator it(l.text.begin(), l.text.end(), link), end; it != end; ++it) {
        const std::string target = (*it)[1];
        if (target.starts_with("http://") || target.starts_with("https://") ||
            target.starts_with("mailto:"))
          continue;
        ++checked;
        const std::size_t hash = target.find('#');
        const std::string file = target.substr(0, hash);
        const fs::path resolved = file.empty() ? fs::path(SourceDir()) / page : dir / file;
        ASSERT_TRUE(fs::exists(resolved)) << page << ":" << l.number << ": " << target;
        if (hash == std::string::npos) continue;
        ASSERT_EQ(resolved.extension(), ".md") << page << ":" << l.number << ": " << target;
        EXPECT_TRUE(Anchors(ReadFileText(resolved.string())).count(target.substr(hash + 1)))
            << page << ":" << l.number << ": no heading for " << target;
      }
    }
  }
  EXPECT_GE(checked, 40u);
}

// ------------------------------------------------------------ words

// Words a user cannot place: internal ticket numbers, the material the
// project was started from, the team's machines and files.
std::vector<std::string> InternalWords(const std::string& text) {
  static const std::vector<std::pair<std::regex, std::string>> kWords = {
      {std::regex(R"(\bissues? #?[0-9]+)", std::regex::icase), "issue number"},
      {std::regex(R"(\bseed\b)", std::regex::icase), "seed"},
      {std::regex(R"(write-up)", std::regex::icase), "write-up"},
      {std::regex(R"(plot twist)", std::regex::icase), "plot twist"},
      {std::regex(R"(shared/)", std::regex::icase), "shared/"},
      {std::regex(R"(shared corpus)", std::regex::icase), "shared corpus"},
      {std::regex(R"(development machine)", std::regex::icase), "development machine"},
      {std::regex(R"(2-core)", std::regex::icase), "2-core"},
      {std::regex(R"(\bBRIEF\b)"), "BRIEF"},
  };
  std::vector<std::string> found;
  for (const auto& [pattern, name] : kWords)
    if (std::regex_search(text, pattern)) found.push_back(name);
  return found;
}

TEST(DocsWords, InternalWordsAreFound) {
  EXPECT_EQ(InternalWords("as issue 3 says; see Issue #12"),
            std::vector<std::string>{"issue number"});
  EXPECT_EQ(InternalWords("the seed write-up's plot twist"),
            (std::vector<std::string>{"seed", "write-up", "plot twist"}));
  EXPECT_EQ(InternalWords("../shared/corpus, the shared corpus"),
            (std::vector<std::string>{"shared/", "shared corpus"}));
  EXPECT_EQ(InternalWords("on the 2-core development machine (BRIEF)"),
            (std::vector<std::string>{"development machine", "2-core", "BRIEF"}));
  // Ordinary words stay allowed.
  EXPECT_EQ(InternalWords("fuzz/<target>.seeds, seeded, a brief summary, issues on GitHub"),
            std::vector<std::string>{});
}

TEST(DocsWords, NoInternalWordsInWhatUsersRead) {
  std::vector<std::string> pages = DocPages();
  for (const char* file : {"action.yml", ".pre-commit-hooks.yaml", "ci/github-actions.yml",
                           "ci/github-code-scanning-upload.yml", "ci/gitlab-ci.yml",
                           "schema/meshlint-config.schema.json"})
    pages.push_back(file);
  for (const std::string& page : pages) {
    for (const Line& l : Classify(ReadFileText(SourceDir() + "/" + page)))
      for (const std::string& word : InternalWords(l.text))
        ADD_FAILURE() << page << ":" << l.number << ": '" << word
                      << "' means nothing to a user: " << l.text;
  }
}

}  // namespace
}  // namespace meshlint::testing
