// scan::QuotedScalar on its own: it takes runs of ordinary bytes eight at a
// time, so a quote or backslash must be found wherever it falls in such a
// step, and no other byte taken for one (bytes with the high bit among them,
// 0xA2 and 0xDC being '"' and '\\' with that bit set). The scanner lets no
// byte past 0x7F through, but the reader must not depend on that.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "loader/scan_scalars.h"

namespace meshlint::scan {
namespace {

using Step = QuotedScalar::Step;

struct Read {
  Step step;
  std::size_t end;
  std::string value;
};

// The first line of a scalar, its text starting at `from`.
Read First(char quote, std::string_view line, std::size_t from = 0) {
  QuotedScalar q;
  q.Start(quote, true);
  std::size_t end = 0;
  const Step step = q.First(line, from, end);
  return {step, end, step == Step::kClosed ? q.Take() : std::string()};
}

TEST(QuotedScalar, ClosingQuoteAndEscapesAtEveryOffsetOfAStep) {
  for (std::size_t pad = 0; pad < 24; ++pad) {
    const std::string run(pad, 'x');
    Read r = First('"', run + "\"tail");
    EXPECT_EQ(r.step, Step::kClosed) << pad;
    EXPECT_EQ(r.end, pad + 1) << pad;
    EXPECT_EQ(r.value, run) << pad;

    r = First('"', run + "\\\"" + run + "\\\\\" x");
    EXPECT_EQ(r.step, Step::kClosed) << pad;
    EXPECT_EQ(r.end, 2 * pad + 5) << pad;
    EXPECT_EQ(r.value, run + "\"" + run + "\\") << pad;

    r = First('\'', run + "''" + run + "\\'");
    EXPECT_EQ(r.step, Step::kClosed) << pad;
    EXPECT_EQ(r.end, 2 * pad + 4) << pad;
    EXPECT_EQ(r.value, run + "'" + run + "\\") << pad;

    // The text starts past an opening quote: offsets count from there.
    r = First('"', "k: \"" + run + "\"", 4);
    EXPECT_EQ(r.end, pad + 5) << pad;
    EXPECT_EQ(r.value, run) << pad;
  }
}

TEST(QuotedScalar, BytesWithTheHighBitAreOrdinary) {
  for (std::size_t pad = 0; pad < 17; ++pad) {
    const std::string run(pad, 'y');
    const std::string high = "\xA2\xDC\xC3\xA9\x80\xFF";
    Read r = First('"', run + high + "\"" + high);
    EXPECT_EQ(r.step, Step::kClosed) << pad;
    EXPECT_EQ(r.end, pad + high.size() + 1) << pad;
    EXPECT_EQ(r.value, run + high) << pad;

    r = First('"', high + run + "\\\"\xA2\"");
    EXPECT_EQ(r.step, Step::kClosed) << pad;
    EXPECT_EQ(r.end, high.size() + pad + 4) << pad;
    EXPECT_EQ(r.value, high + run + "\"\xA2") << pad;

    r = First('\'', run + "\xA7\xA7'");  // 0xA7: '\'' with the high bit
    EXPECT_EQ(r.end, pad + 3) << pad;
    EXPECT_EQ(r.value, run + "\xA7\xA7") << pad;

    QuotedScalar open;
    open.Start('"', true);
    std::size_t end = 0;
    EXPECT_EQ(open.First(run + "\xA2\xDC", 0, end), Step::kOpen) << pad;
  }
}

TEST(QuotedScalar, LinesFoldAndDropTrailingSpaces) {
  for (std::size_t pad = 0; pad < 17; ++pad) {
    const std::string run(pad, 'z');
    QuotedScalar q;
    q.Start('"', true);
    std::size_t end = 0;
    ASSERT_EQ(q.First(run + "a   ", 0, end), Step::kOpen);
    ASSERT_EQ(q.Next("    " + run + "b\\ ", end), Step::kOpen);
    ASSERT_EQ(q.Next("", end), Step::kOpen);
    ASSERT_EQ(q.Next("  c\\", end), Step::kOpen);
    ASSERT_EQ(q.Next("  " + run + "e   d\" # after", end), Step::kClosed);
    EXPECT_EQ(end, 2 + pad + 6) << pad;
    // A line break between text is a space, an empty line a break; the
    // spaces before a break go, an escaped space stays, an escaped break
    // joins without one.
    EXPECT_EQ(q.Take(), run + "a " + run + "b \nc" + run + "e   d") << pad;

    // Unwanted values are checked the same way.
    QuotedScalar check;
    check.Start('"', false);
    ASSERT_EQ(check.First(run + "a   ", 0, end), Step::kOpen);
    ASSERT_EQ(check.Next("  " + run + "\\q", end), Step::kDecline) << pad;
  }
}

}  // namespace
}  // namespace meshlint::scan
