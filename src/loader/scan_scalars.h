// The values of the scalars the scanner (scan.h) reads over several lines:
// `|` and `>` block scalars, and double- and single-quoted scalars that run
// on past their first line. yaml-cpp is the oracle, so these follow what
// yaml-cpp 0.7 computes, quirks included (where it differs from the YAML
// spec, the comments say so), for the inputs the scanner lets through: no
// tabs, no CR, ASCII only. Whatever they are unsure of they decline.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace meshlint::scan {

enum class Chomp : unsigned char { kClip, kStrip, kKeep };

// The value of a block scalar whose header (`|`, `>`, with `-` or `+`) ends
// a line, from the lines after it that belong to it (blank ones included,
// with no spaces on a blank line before the first content line: yaml-cpp
// would take their width as the indentation). `min_indent` is one more than
// the column of the block collection holding the scalar; `ends_with_break`:
// the last line is followed by a line break (a less indented line or the end
// of the document after a final newline), not the end of the text.
std::string BlockScalarValue(const std::vector<std::string_view>& lines, int min_indent,
                             bool folded, Chomp chomp, bool ends_with_break);

// A quoted scalar read line by line. `decode`: its value is wanted (else it
// is only checked). Escapes are decoded as yaml-cpp 0.7 decodes them; `\'`
// (which it accepts, YAML does not), a surrogate or a code point past
// U+10FFFF are declined.
class QuotedScalar {
 public:
  enum class Step : unsigned char { kOpen, kClosed, kDecline };

  void Start(char quote, bool decode);
  // The opening line, from just past the opening quote at `from`. When the
  // scalar closes on it, `end` is one past the closing quote.
  Step First(std::string_view line, std::size_t from, std::size_t& end);
  // A line after the first.
  Step Next(std::string_view line, std::size_t& end);
  // The value, once closed (with `decode`).
  std::string Take();

 private:
  Step Scan(std::string_view line, std::size_t from, std::size_t& end);
  // value_'s memory, with room for `n` bytes past length_.
  char* Room(std::size_t n) { return length_ + n <= value_.size() ? value_.data() : Grow(n); }
  char* Grow(std::size_t n);

  char quote_ = '"';
  bool decode_ = false;
  bool escaped_break_ = false;  // the last line ended with `\`
  bool empty_line_ = false;     // the last line was empty
  std::size_t last_escape_ = std::string::npos;
  // The value is value_'s first length_ bytes (Take copies them out); the
  // rest is room to write into, so that no byte written is a call. It keeps
  // its memory from one scalar to the next.
  std::string value_;
  std::size_t length_ = 0;
};

}  // namespace meshlint::scan
