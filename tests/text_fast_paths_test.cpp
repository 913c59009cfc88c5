// The loader's text helpers after their speed-ups: FindBinary skips ASCII
// eight bytes at a time and works positions out afterwards; TextSpan::Line
// finds line starts only as far as asked. Positions must not change.
#include <gtest/gtest.h>

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
