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
