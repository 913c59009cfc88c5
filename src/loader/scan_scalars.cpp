#include "loader/scan_scalars.h"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>

namespace meshlint::scan {

namespace {

constexpr std::size_t kNone = std::string::npos;

// yaml-cpp's chomping, which it applies to quoted scalars too (as `clip`):
// the trailing line breaks are cut after the last character that is not one
// or, when an escape came later, after that escape's end. (yaml-cpp compares
// a character's position with one past an escape; that is kept, as it
// decides which line breaks survive.)
void ChompValue(std::string& value, Chomp chomp, std::size_t last_escape) {
  if (chomp == Chomp::kKeep) return;
  std::size_t pos = value.find_last_not_of('\n');
  if (last_escape != kNone && (pos == kNone || pos < last_escape)) pos = last_escape;
  if (pos == kNone) {
    value.clear();
    return;
  }
  const std::size_t keep = chomp == Chomp::kClip ? pos + 2 : pos + 1;
  if (keep < value.size()) value.erase(keep);
}

// The code point that `digits` hex digits at the start of `text` name, when
// yaml-cpp encodes it (not a surrogate, at most U+10FFFF), else -1.
long UnicodeEscape(std::string_view text, std::size_t digits) {
  if (text.size() < digits) return -1;
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < digits; ++i) {
    const char c = text[i];
    std::uint32_t d = 0;
    if (c >= '0' && c <= '9') d = static_cast<std::uint32_t>(c - '0');
    else if (c >= 'a' && c <= 'f') d = static_cast<std::uint32_t>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') d = static_cast<std::uint32_t>(c - 'A' + 10);
    else return -1;
    if (value > 0x10FFFF) return -1;  // stays within 32 bits
    value = value * 16 + d;
  }
  if (value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return -1;
  return static_cast<long>(value);
}

// A code point as yaml-cpp writes it: UTF-8 (`\x80` too is two bytes, not
// one), at `out`; returns one past the last byte written.
char* WriteUtf8(char* out, std::uint32_t cp) {
  auto byte = [&](std::uint32_t b) { *out++ = static_cast<char>(static_cast<unsigned char>(b)); };
  if (cp <= 0x7F) {
    byte(cp);
  } else if (cp <= 0x7FF) {
    byte(0xC0 + (cp >> 6));
    byte(0x80 + (cp & 0x3F));
  } else if (cp <= 0xFFFF) {
    byte(0xE0 + (cp >> 12));
    byte(0x80 + ((cp >> 6) & 0x3F));
    byte(0x80 + (cp & 0x3F));
  } else {
    byte(0xF0 + (cp >> 18));
    byte(0x80 + ((cp >> 12) & 0x3F));
    byte(0x80 + ((cp >> 6) & 0x3F));
    byte(0x80 + (cp & 0x3F));
  }
  return out;
}

// What yaml-cpp 0.7 makes of `\e` (one of "0abtnvfre \"/\\N_LP"). `\N` and
// `\_` are single bytes (0x85, 0xA0), not UTF-8: what yaml-cpp writes.
std::string_view SimpleEscape(char e) {
  switch (e) {
    case '0': return std::string_view("\0", 1);
    case 'a': return "\x07";
    case 'b': return "\x08";
    case 't': return "\t";
    case 'n': return "\n";
    case 'v': return "\x0B";
    case 'f': return "\x0C";
    case 'r': return "\r";
    case 'e': return "\x1B";
    case ' ': return " ";
    case '"': return "\"";
    case '/': return "/";
    case '\\': return "\\";
    case 'N': return "\x85";
    case '_': return "\xA0";
    case 'L': return "\xE2\x80\xA8";
    case 'P': return "\xE2\x80\xA9";
    default: return {};
  }
}

// The high bit of each byte of `v` that is zero, and no other bit: exact, as
// no sum carries into the next byte ((x & 0x7F) + 0x7F is at most 0xFE).
constexpr std::uint64_t ZeroBytes(std::uint64_t v) {
  constexpr std::uint64_t kLow7 = 0x7F7F7F7F7F7F7F7FULL;
  return ~(((v & kLow7) + kLow7) | v | kLow7);
}

// The first position from `i` on of `quote` or `other` in `line`, or
// line.size(). Eight bytes a step; the bytes of the last, shorter step one
// by one.
std::size_t FindEither(std::string_view line, std::size_t i, char quote, char other) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  const std::uint64_t quotes = kOnes * static_cast<unsigned char>(quote);
  const std::uint64_t others = kOnes * static_cast<unsigned char>(other);
  const std::size_t n = line.size();
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, line.data() + i, 8);
    const std::uint64_t hits = ZeroBytes(w ^ quotes) | ZeroBytes(w ^ others);
    if (hits != 0) {
      const int bit = std::endian::native == std::endian::little ? std::countr_zero(hits)
                                                                 : std::countl_zero(hits);
      return i + static_cast<std::size_t>(bit / 8);
    }
  }
  for (; i < n; ++i)
    if (line[i] == quote || line[i] == other) return i;
  return n;
}

std::size_t LeadingSpaces(std::string_view line) {
  std::size_t n = 0;
  while (n < line.size() && line[n] == ' ') ++n;
  return n;
}

}  // namespace

// yaml-cpp reads a block scalar as a series of steps, one at each line break:
// it eats the next line's indentation, then joins the two lines (a line
// break, a space when folding, or nothing yet when an empty line may follow),
// then reads that line's content. The same steps here, line by line; the last
// step is the line break before what ends the scalar, when there is one.
std::string BlockScalarValue(const std::vector<std::string_view>& lines, int min_indent,
                             bool folded, Chomp chomp, bool ends_with_break) {
  std::string value;
  auto indent = static_cast<std::size_t>(std::max(min_indent, 0));
  bool found = false;  // some content read: the indentation is settled
  bool prev_empty = false;
  bool prev_more = false;
  std::size_t prev_from = 0;  // where the previous line's content starts
  int held_breaks = 0;        // empty lines folded but not yet written
  bool held_after_more = false;
  const std::size_t n = lines.size();
  const std::size_t steps = n + (ends_with_break ? 1 : 0);
  for (std::size_t j = 0; j < steps; ++j) {
    if (j > 0) {
      const std::string_view content = lines[j - 1].substr(prev_from);
      value.append(content);
      found = found || !content.empty();
    }
    std::size_t from = 0;  // past the indentation eaten
    bool empty = false;    // nothing after it
    bool more = false;     // a space after it: a more indented line
    if (j < n) {
      const std::string_view line = lines[j];
      const std::size_t spaces = LeadingSpaces(line);
      if (!found) {
        // Until content is found, all leading spaces are eaten and the
        // widest sets the indentation.
        from = spaces;
        indent = std::max(indent, spaces);
      } else {
        from = std::min(spaces, indent);
      }
      // The last line when no line break ends the text is never empty to
      // yaml-cpp, whose empty lines are those a break follows: a line of
      // spaces there is joined as one with text, and what it has past the
      // indentation is the scalar's last content.
      empty = from == line.size() && (ends_with_break || j + 1 < n);
      more = from < line.size() && line[from] == ' ';
    }
    // What ends the scalar (j == n) is less indented, or the end of the text.
    const bool at_indent = j < n && from >= indent;
    if (folded && held_breaks == 0 && empty) held_after_more = prev_more;
    if (j > 0) {
      if (!folded) {
        value += '\n';
      } else {
        if (!prev_empty && !empty && !prev_more && !more && at_indent) value += ' ';
        else if (empty) ++held_breaks;
        else value += '\n';
        if (!empty && held_breaks > 0) {
          // yaml-cpp writes one break fewer than the empty lines, plus one
          // around more indented lines or before the first content: so
          // empty lines at the end of a `>+` scalar lose a break, unlike
          // the spec's.
          value.append(static_cast<std::size_t>(held_breaks - 1), '\n');
          if (held_after_more || more || !found) value += '\n';
          held_breaks = 0;
        }
      }
    }
    prev_empty = empty;
    prev_more = more;
    prev_from = from;
  }
  if (!ends_with_break && n > 0) value.append(lines[n - 1].substr(prev_from));
  ChompValue(value, chomp, kNone);
  return value;
}

void QuotedScalar::Start(char quote, bool decode) {
  quote_ = quote;
  decode_ = decode;
  escaped_break_ = false;
  empty_line_ = false;
  last_escape_ = kNone;
  length_ = 0;
}

char* QuotedScalar::Grow(std::size_t n) {
  // Geometrically; first to its capacity, which a short value fits in
  // without the heap.
  value_.resize(std::max({length_ + n, 2 * value_.size(), value_.capacity()}));
  return value_.data();
}

QuotedScalar::Step QuotedScalar::First(std::string_view line, std::size_t from, std::size_t& end) {
  return Scan(line, from, end);
}

QuotedScalar::Step QuotedScalar::Next(std::string_view line, std::size_t& end) {
  // yaml-cpp requires no indentation here (the caller does) and eats every
  // leading space; a document marker at column 0 is an error.
  const std::size_t from = LeadingSpaces(line);
  if (from == 0 && (line.starts_with("---") || line.starts_with("..."))) return Step::kDecline;
  const bool empty = from == line.size();
  if (decode_) {
    // An empty line is a line break; a line break between two lines with
    // text is a space, unless escaped.
    if (empty) Room(1)[length_++] = '\n';
    else if (!empty_line_ && !escaped_break_) Room(1)[length_++] = ' ';
  }
  empty_line_ = empty;
  return Scan(line, from, end);
}

QuotedScalar::Step QuotedScalar::Scan(std::string_view line, std::size_t from, std::size_t& end) {
  escaped_break_ = false;
  const char quote = quote_;
  const bool decode = decode_;
  // In a single-quoted scalar only the quote stops the run (looked for twice).
  const char other = quote == '"' ? '\\' : quote;
  // One past the last character of this line that is not a trailing space:
  // those are dropped at a line break.
  std::size_t kept = length_;
  for (std::size_t i = from; i < line.size();) {
    // A run of ordinary bytes is taken at once.
    const std::size_t stop = FindEither(line, i, quote, other);
    if (stop > i && decode) {
      const std::size_t n = stop - i;
      char* const to = Room(std::max<std::size_t>(n, 8)) + length_;
      // A short run (JSON in a string: one between every two escapes) as one
      // word, when the line has eight bytes from it; what is written past
      // the run is room, written over next.
      if (n <= 8 && i + 8 <= line.size()) std::memcpy(to, line.data() + i, 8);
      else std::memcpy(to, line.data() + i, n);
      length_ += n;
      std::size_t last = stop;
      while (last > i && line[last - 1] == ' ') --last;
      if (last > i) kept = length_ - (stop - last);
    }
    i = stop;
    if (i == line.size()) break;
    if (line[i] == quote) {
      if (quote == '\'' && i + 1 < line.size() && line[i + 1] == '\'') {
        i += 2;
        if (decode) {
          Room(1)[length_++] = '\'';
          kept = last_escape_ = length_;
        }
        continue;
      }
      end = i + 1;
      return Step::kClosed;
    }
    // A backslash in a double-quoted scalar.
    if (i + 1 == line.size()) {
      // An escaped line break: nothing joins this line to the next, and
      // its trailing spaces stay.
      escaped_break_ = true;
      if (decode) last_escape_ = length_;
      return Step::kOpen;
    }
    const char e = line[i + 1];
    i += 2;
    // The escapes yaml-cpp accepts, less `\'` (not YAML; libyaml refuses it).
    if (e == '"' || e == '\\') {  // the usual ones: JSON in a string
      if (decode) Room(1)[length_++] = e;
    } else if (e == 'x' || e == 'u' || e == 'U') {
      const std::size_t digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
      const long cp = UnicodeEscape(line.substr(i), digits);
      if (cp < 0) return Step::kDecline;
      i += digits;
      if (decode) {
        char* const buf = Room(4);
        length_ = static_cast<std::size_t>(
            WriteUtf8(buf + length_, static_cast<std::uint32_t>(cp)) - buf);
      }
    } else {
      const std::string_view decoded = SimpleEscape(e);
      if (decoded.empty()) return Step::kDecline;
      if (decode) {
        std::memcpy(Room(decoded.size()) + length_, decoded.data(), decoded.size());
        length_ += decoded.size();
      }
    }
    if (decode) kept = last_escape_ = length_;
  }
  if (decode) length_ = kept;
  return Step::kOpen;
}

std::string QuotedScalar::Take() {
  // A copy: value_ keeps its memory for the next scalar of the document.
  std::string value(value_.data(), length_);
  length_ = 0;
  ChompValue(value, Chomp::kClip, last_escape_);
  return value;
}

}  // namespace meshlint::scan
