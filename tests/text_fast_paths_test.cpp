// The loader's text helpers after their speed-ups: FindBinary skips ASCII
// 64, then eight, bytes at a time and works positions out afterwards; TextSpan::Line
// finds line starts only as far as asked. Positions must not change.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "loader/text.h"

namespace meshlint {
namespace {

TEST(FindBinaryFast, PositionsAfterLongAsciiRuns) {
  const std::string text =
      "apiVersion: v1\nkind: ConfigMap\ndata:\n  x: ab" + std::string(1, '\0') + "c\n";
  auto issue = FindBinary(text);
  ASSERT_TRUE(issue);
  EXPECT_EQ(issue->line, 4u);
  EXPECT_EQ(issue->column, 8u);
  EXPECT_EQ(issue->message, "binary file (NUL byte): not a YAML or JSON manifest");

  auto bad = FindBinary("0123456789abcdef\nname: caf\xC3\n");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->line, 2u);
  EXPECT_EQ(bad->column, 10u);
  EXPECT_EQ(bad->message, "invalid UTF-8: YAML and JSON manifests must be UTF-8 text");

  auto first = FindBinary(std::string(1, '\0'));
  ASSERT_TRUE(first);
  EXPECT_EQ(first->line, 1u);
  EXPECT_EQ(first->column, 1u);

  EXPECT_FALSE(FindBinary("name: caf\xC3\xA9 \xE2\x82\xAC and a long ASCII tail after it\n"));
  EXPECT_FALSE(FindBinary(""));
}

// The fast path takes 64 bytes, then eight, a step while they are printable
// ASCII or line breaks; any other byte, wherever it falls in a step, must be
// looked at, and line breaks inside a step must still count.
TEST(FindBinaryFast, EveryOffsetOfAStep) {
  const std::string control =
      "control character (byte 0x01) in YAML text: not a YAML or JSON manifest";
  const std::string utf8 = "invalid UTF-8: YAML and JSON manifests must be UTF-8 text";
  for (std::size_t pad = 0; pad < 140; ++pad) {
    const std::string run(pad, 'a');
    for (const std::string head : {"", "k: v\n", "\n\n\n", "x\ny\nz\n"}) {
      const auto line = static_cast<std::uint32_t>(1 + std::count(head.begin(), head.end(), '\n'));
      // Allowed: tab, CR, DEL, UTF-8, line breaks.
      for (const std::string ok : {"\t", "\r\n", "\x7F", "\xC3\xA9", "\xE2\x82\xAC", "\n\n"})
        EXPECT_FALSE(FindBinary(head + run + ok + run + "\n")) << pad;
      auto issue = FindBinary(head + run + "\x01" + run + "\n");
      ASSERT_TRUE(issue) << pad;
      EXPECT_EQ(issue->line, line) << pad;
      EXPECT_EQ(issue->column, pad + 1) << pad;
      EXPECT_EQ(issue->message, control);
      for (const std::string bad : {"\x80", "\x8A", "\xC3", "\xC3(", "\xED\xA0\x80", "\xFF"}) {
        issue = FindBinary(head + run + bad + run + "\n");
        ASSERT_TRUE(issue) << pad;
        EXPECT_EQ(issue->line, line) << pad;
        EXPECT_EQ(issue->column, pad + 1) << pad;
        EXPECT_EQ(issue->message, utf8);
      }
      // Past a valid multi-byte character, in the same step.
      issue = FindBinary(head + run + "\xC3\xA9\x1F");
      ASSERT_TRUE(issue) << pad;
      EXPECT_EQ(issue->line, line) << pad;
      EXPECT_EQ(issue->column, pad + 3) << pad;
    }
  }
  // Line breaks every other byte, then a control byte.
  std::string lines;
  for (int i = 0; i < 40; ++i) lines += "a\n";
  auto issue = FindBinary(lines + "b\x02");
  ASSERT_TRUE(issue);
  EXPECT_EQ(issue->line, 41u);
  EXPECT_EQ(issue->column, 2u);
}

// FindExcessiveNesting's quick test (bracket count, no line long enough to
// be indented too deep) must not hide what its walk finds, wherever it is.
TEST(ExcessiveNestingFast, SameVerdictsAsTheWalk) {
  std::string lines;
  for (int i = 0; i < 200; ++i) lines += "key" + std::to_string(i) + ": value\n";
  // Deep indentation after many short lines, at every offset within a block.
  for (std::size_t pad = 0; pad < 1100; pad += 97) {
    const std::string text =
        lines + std::string(pad, 'x') + "\n" + std::string(2001, ' ') + "a: 1\n";
    auto issue = FindExcessiveNesting(text);
    ASSERT_TRUE(issue) << pad;
    EXPECT_EQ(issue->line, 202u);
    EXPECT_EQ(issue->column, 2002u);
  }
  // Indented exactly to the limit, on a long line: nothing to report.
  EXPECT_FALSE(FindExcessiveNesting(lines + std::string(2000, ' ') + "a: 1\n"));
  // Long lines that are no indentation, and many closed brackets.
  EXPECT_FALSE(FindExcessiveNesting(lines + "k: " + std::string(5000, 'x') + "\n"));
  std::string flat = "k: [";
  for (int i = 0; i < 1500; ++i) flat += "[], ";
  EXPECT_FALSE(FindExcessiveNesting(flat + "]\n"));
  // Brackets nested past the limit, on short lines.
  std::string deep;
  for (int i = 0; i < 1001; ++i) deep += "[\n";
  auto issue = FindExcessiveNesting(deep);
  ASSERT_TRUE(issue);
  EXPECT_EQ(issue->line, 1001u);
  EXPECT_EQ(issue->message, "brackets nested more than 1000 deep: not parsed");
}

// FindExcessiveNesting as it was first written: one byte at a time, with no
// quick test first. The walk that skips bytes must find exactly what it finds.
std::optional<TextIssue> PlainNestingWalk(std::string_view text) {
  int depth = 0;
  char quote = 0;
  std::uint32_t line = 1;
  std::size_t line_start = 0;
  bool at_line_start = true;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\n') {
      ++line;
      line_start = i + 1;
      at_line_start = true;
      continue;
    }
    if (at_line_start && c != ' ') {
      at_line_start = false;
      if (i - line_start > 2000)
        return TextIssue{line, static_cast<std::uint32_t>(i - line_start + 1),
                         "indentation deeper than 2000 columns: nesting too deep to be a "
                         "manifest, not parsed"};
    }
    if (quote) {
      if (c == '\\' && quote == '"') ++i;
      else if (c == quote) quote = 0;
      continue;
    }
    if (c == '#' && (i == 0 || text[i - 1] == ' ' || text[i - 1] == '\t' || text[i - 1] == '\n')) {
      std::size_t eol = text.find('\n', i);
      if (eol == std::string_view::npos) break;
      i = eol - 1;
      continue;
    }
    if (c == '"' || c == '\'') {
      char prev = i == line_start ? ' ' : text[i - 1];
      if (prev == ' ' || prev == '\t' || prev == '[' || prev == '{' || prev == ',' || prev == ':' ||
          prev == '-')
        quote = c;
      continue;
    }
    if (c == '[' || c == '{') {
      if (++depth > 1000)
        return TextIssue{line, static_cast<std::uint32_t>(i - line_start + 1),
                         "brackets nested more than 1000 deep: not parsed"};
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::nullopt;
}

void ExpectSameNesting(const std::string& text) {
  const auto fast = FindExcessiveNesting(text);
  const auto plain = PlainNestingWalk(text);
  ASSERT_EQ(fast.has_value(), plain.has_value())
      << text.size() << " bytes: " << text.substr(0, 200);
  if (!fast) return;
  EXPECT_EQ(fast->line, plain->line) << text.substr(0, 200);
  EXPECT_EQ(fast->column, plain->column) << text.substr(0, 200);
  EXPECT_EQ(fast->message, plain->message);
}

TEST(ExcessiveNestingFast, SameAsThePlainWalkOnAdversarialInput) {
  const std::string deep(1001, '[');
  const std::string indent = "\n" + std::string(2001, ' ') + "x\n";
  // What hides the brackets or the indentation from the walk, or does not.
  const std::vector<std::string> cases = {
      deep,
      "a: " + deep,
      "a: \"" + deep,
      "a: '" + deep,
      "a:'" + deep,
      "a: x\"" + deep,
      "# " + deep,
      "a:#" + deep,
      "a: #" + deep,
      "a: \"\\\"\" " + deep,
      "a: '''' " + deep,
      "a: 'it''s " + deep,
      "a: \"x\\" + indent,  // an escaped line break: no line start counted
      "a: \"x\\" + indent + "\"" + deep,
      "a: \"x\\\ny\"" + indent,
      "a: \"x" + indent,  // indentation inside a quoted scalar counts
      "a: 'x" + indent,
      "# c" + indent,
      "a: x\n\"" + deep,      // a quote at a line start opens...
      "a: \"x\\\n\"" + deep,  // ... unless the line start was escaped
      "a: \"\\",
      "a: \"\\\\\" " + deep,
      "#" + deep,
      "\t#" + deep,
      std::string(2001, ' '),  // spaces to the end: no content
      std::string(2001, ' ') + "\n",
      std::string(2001, ' ') + "x",
      std::string(2000, ' ') + "x",
      std::string(1999, ' ') + "#" + deep,
      std::string(3000, ' ') + "\n" + deep,
      "{" + std::string(999, '[') + "]" + std::string(2, '{'),
      std::string(1001, '{') + "}",
      std::string(500, '[') + "\n" + std::string(500, ' ') + std::string(501, '{'),
  };
  for (const std::string& text : cases) ExpectSameNesting(text);
}

TEST(ExcessiveNestingFast, SameAsThePlainWalkOnRandomInput) {
  std::uint64_t state = 0x9E3779B97F4A7C15ULL;
  auto next = [&](std::uint64_t bound) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state % bound;
  };
  constexpr std::string_view kBytes = " \n#\"'\\[{]}\t,:-ax";
  int issues = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const std::uint64_t pieces = 1 + next(40);
    for (std::uint64_t p = 0; p < pieces; ++p) {
      switch (next(6)) {
        case 0: text.append(next(1200), "[{"[next(2)]); break;             // toward the depth limit
        case 1: text += "\n" + std::string(1900 + next(200), ' '); break;  // and the indentation
        case 2: text.append(next(300), "]}"[next(2)]); break;
        default:
          for (std::uint64_t k = next(60); k > 0; --k) text += kBytes[next(kBytes.size())];
      }
    }
    ExpectSameNesting(text);
    if (HasFailure()) break;
    issues += PlainNestingWalk(text) ? 1 : 0;
  }
  // Both verdicts are common, so both kinds of walk are compared.
  EXPECT_GT(issues, 500);
  EXPECT_LT(issues, 2500);
}

TEST(NestingCheck, WalksOnce) {
  std::string deep(1001, '[');
  NestingCheck check(deep);
  EXPECT_FALSE(check.Done());
  ASSERT_TRUE(check.Result());
  EXPECT_TRUE(check.Done());
  EXPECT_EQ(check.Result()->column, 1001u);
  NestingCheck flat("a: b\n");
  EXPECT_FALSE(flat.Result());
  EXPECT_TRUE(flat.Done());
}

TEST(TextSpanLines, LazyLineStarts) {
  TextSpan span;
  span.text = "a\nbb\n\nccc";
  EXPECT_EQ(span.Line(1), "bb");
  EXPECT_EQ(span.Line(0), "a");
  EXPECT_EQ(span.Line(3), "ccc");
  EXPECT_EQ(span.Line(2), "");
  EXPECT_EQ(span.Line(4), "");
  EXPECT_EQ(span.LineCount(), 4u);

  TextSpan trailing;
  trailing.text = "a\n";
  EXPECT_EQ(trailing.LineCount(), 2u);
  EXPECT_EQ(trailing.Line(1), "");

  TextSpan empty;
  EXPECT_EQ(empty.LineCount(), 1u);
  EXPECT_EQ(empty.Line(0), "");
}

// Globs: linear whatever the pattern.

TEST(GlobMatch, TwelveDoubleStarsAgainstAFortyDeepPathStayLinear) {
  std::string pattern;
  for (int i = 0; i < 12; ++i) pattern += "**/a";
  pattern += "/x.yaml";  // never matches: every way of splitting the path is tried
  std::string path;
  for (int i = 0; i < 40; ++i) path += "a/";
  path += "b.yaml";
  std::size_t steps = 0;
  EXPECT_FALSE(GlobMatchCounting(pattern, path, &steps));
  // Each path segment meets each pattern segment at most once per prefix
  // the match may end at (a directory pattern covers what is below it).
  const std::size_t segments = 41, pattern_segments = 25;
  EXPECT_LE(steps, segments * (pattern_segments + 1));
  EXPECT_TRUE(GlobMatch(pattern.substr(0, pattern.size() - 7), path));  // as a directory
  EXPECT_TRUE(GlobMatch("**/a/**/b.yaml", path));
}

TEST(GlobMatch, Semantics) {
  EXPECT_TRUE(GlobMatch("**", "a/b.yaml"));
  EXPECT_TRUE(GlobMatch("a/**", "a"));
  EXPECT_TRUE(GlobMatch("a/**", "a/b/c.yaml"));
  EXPECT_FALSE(GlobMatch("a/**/c.yaml", "b/c.yaml"));
  EXPECT_TRUE(GlobMatch("a/**/**/c.yaml", "a/c.yaml"));
  EXPECT_TRUE(GlobMatch("*/b", "a/b/c/d.yaml"));
  EXPECT_FALSE(GlobMatch("*/b", "a/x/b/d.yaml"));
  EXPECT_TRUE(GlobMatch("**/b", "a/x/b/d.yaml"));
  EXPECT_TRUE(GlobMatch("a*b*c", "aXbYbZc"));
  EXPECT_FALSE(GlobMatch("a*b*c", "aXbYbZ"));
  EXPECT_TRUE(GlobMatch("?", "x"));
  EXPECT_FALSE(GlobMatch("?", ""));
  EXPECT_TRUE(GlobMatch("x", "x/"));
}

}  // namespace
}  // namespace meshlint
