#include "loader/text.h"

#include <algorithm>
#include <array>
#include <cstring>

namespace meshlint {

namespace {

bool IsMarker(std::string_view line, std::string_view marker) {
  if (line.substr(0, 3) != marker) return false;
  return line.size() == 3 || line[3] == ' ' || line[3] == '\t' || line[3] == '\r' ||
         line[3] == '\n';
}

bool IsBlankOrComment(std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    std::size_t first = line.find_first_not_of(" \t\r");
    if (first != std::string_view::npos && line[first] != '#') return false;
    pos = eol + 1;
  }
  return true;
}

}  // namespace

std::vector<DocumentChunk> SplitDocuments(std::string_view text, bool is_json) {
  std::vector<DocumentChunk> out;
  if (is_json) {
    if (!IsBlankOrComment(text)) out.push_back({text, 1});
    return out;
  }
  std::size_t start = 0;  // offset of the current chunk
  std::uint32_t start_line = 1;
  bool explicit_start = false;  // the chunk begins with `---`
  auto flush = [&](std::size_t end) {
    std::string_view chunk = text.substr(start, end - start);
    if (explicit_start || !IsBlankOrComment(chunk)) out.push_back({chunk, start_line});
  };
  std::size_t pos = 0;
  std::uint32_t line_no = 1;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    std::size_t next = eol == std::string_view::npos ? text.size() : eol + 1;
    std::string_view line = text.substr(pos, next - pos);
    // Most lines start with neither marker's character: one look rules them out.
    const char first = line[0];
    if (first == '-' && IsMarker(line, "---")) {
      flush(pos);
      start = pos;
      start_line = line_no;
      explicit_start = true;
    } else if (first == '.' && IsMarker(line, "...")) {
      flush(pos);
      start = next;
      start_line = line_no + 1;
      explicit_start = false;
    }
    pos = next;
    ++line_no;
  }
  flush(text.size());
  return out;
}

std::string_view StripBom(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  return text;
}

namespace {

constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;
constexpr std::uint64_t kLow7Bits = 0x7F7F7F7F7F7F7F7FULL;

// The high bit of each byte of `w` that FindBinary must look at (one with
// the high bit, or below 0x20 but not a line break), and no other bit. Exact
// byte by byte: no sum below carries into the next byte.
constexpr std::uint64_t SlowBytes(std::uint64_t w) {
  const std::uint64_t high = w & kHighBits;
  // (x & 0x7F) + 0x60 has the high bit when x & 0x7F >= 0x20.
  const std::uint64_t below_space = ~(((w & kLow7Bits) + 0x6060606060606060ULL) | w) & kHighBits;
  const std::uint64_t nl = w ^ 0x0A0A0A0A0A0A0A0AULL;  // zero where w has `\n`
  const std::uint64_t is_nl = ~(((nl & kLow7Bits) + kLow7Bits) | nl | kLow7Bits);
  return high | (below_space & ~is_nl);
}

// How many of the 64 bytes at `s` SlowBytes would flag. Branch-free over a
// fixed length, so that the compiler vectorises it.
unsigned SlowBytesIn64(const unsigned char* s) {
  std::uint8_t count = 0;  // at most 64
  for (std::size_t k = 0; k < 64; ++k) {
    const auto c = static_cast<std::int8_t>(s[k]);  // negative from 0x80 on
    // `\n` is below 0x20 too: this is "below 0x20 and not a line break".
    count = static_cast<std::uint8_t>(count + ((c < 0x20) ^ (c == '\n')));
  }
  return count;
}

}  // namespace

std::optional<TextIssue> FindBinary(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  auto issue = [&](std::size_t i, std::string message) {
    // Line and column are worked out only for the one position reported.
    const std::size_t line_start = i == 0 ? 0 : text.rfind('\n', i - 1) + 1;
    const auto line = static_cast<std::uint32_t>(
        1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(i), '\n'));
    return TextIssue{line, static_cast<std::uint32_t>(i - line_start + 1), std::move(message)};
  };
  // A NUL anywhere makes it a binary file, whatever comes before it.
  if (std::size_t nul = text.find('\0'); nul != std::string_view::npos)
    return issue(nul, "binary file (NUL byte): not a YAML or JSON manifest");
  for (std::size_t i = 0; i < n;) {
    // 64 bytes, then eight, at a time while they are printable ASCII or
    // line breaks: almost every manifest. A byte with the high bit, or below
    // 0x20 but not `\n` (a control, a tab, a CR), leaves the fast path for
    // one byte.
    while (i + 64 <= n && SlowBytesIn64(s + i) == 0) i += 64;
    while (i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, s + i, 8);
      if (SlowBytes(w) != 0) break;
      i += 8;
    }
    if (i >= n) break;
    unsigned char c = s[i];
    // YAML and JSON allow no C0 control but tab and line breaks in their text
    // (escapes like "\e" are fine); raw ones are binary data or an attempt
    // to smuggle escape sequences.
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
      static constexpr char kHex[] = "0123456789ABCDEF";
      return issue(i, std::string("control character (byte 0x") + kHex[c >> 4] + kHex[c & 15] +
                          ") in YAML text: not a YAML or JSON manifest");
    }
    if (c < 0x80) {
      ++i;
      continue;
    }
    // Multi-byte UTF-8: lead byte, then continuation bytes, no overlongs or
    // surrogates.
    std::size_t len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    bool ok = len != 0 && i + len <= n && c >= 0xC2 && c <= 0xF4;
    for (std::size_t k = 1; ok && k < len; ++k) ok = (s[i + k] & 0xC0) == 0x80;
    if (ok && len == 3) {
      if (c == 0xE0 && s[i + 1] < 0xA0) ok = false;
      if (c == 0xED && s[i + 1] >= 0xA0) ok = false;
    }
    if (ok && len == 4) {
      if (c == 0xF0 && s[i + 1] < 0x90) ok = false;
      if (c == 0xF4 && s[i + 1] >= 0x90) ok = false;
    }
    if (!ok) return issue(i, "invalid UTF-8: YAML and JSON manifests must be UTF-8 text");
    i += len;
  }
  return std::nullopt;
}

namespace {

// yaml-cpp parses recursively; far below these limits no real manifest goes,
// far above them the parser would exhaust the stack.
constexpr int kMaxFlowDepth = 1000;
constexpr std::size_t kMaxIndent = 2000;

// Whether FindExcessiveNesting cannot object to `text`, by a test far cheaper
// than its walk (which every document the scanner declines passes): the walk
// objects only to more than kMaxFlowDepth opening brackets in all, or to
// indentation past kMaxIndent, on a line longer than that. Such a line holds
// a whole aligned block of kMaxIndent / 2 bytes without a line break, so one
// memchr a block (which stops at the block's first line break) rules it out.
bool ClearlyShallow(std::string_view text) {
  // One branch-free pass, which the compiler vectorises.
  std::size_t brackets = 0;
  for (const char c : text) brackets += static_cast<std::size_t>((c == '[') | (c == '{'));
  if (brackets > static_cast<std::size_t>(kMaxFlowDepth)) return false;
  constexpr std::size_t kBlock = kMaxIndent / 2;
  for (std::size_t at = 0; at + kBlock <= text.size(); at += kBlock)
    if (std::memchr(text.data() + at, '\n', kBlock) == nullptr) return false;
  return true;
}

// The bytes that can change the walk's state, by state: bit 0 outside a
// quoted scalar, bit 1 inside a double-quoted one, bit 2 inside a
// single-quoted one. Every other byte is skipped without a look.
constexpr std::array<unsigned char, 256> kNestingBytes = [] {
  std::array<unsigned char, 256> t{};
  for (unsigned char c : std::string_view("\n#\"'[{]}")) t[c] |= 1;
  for (unsigned char c : std::string_view("\n\\\"")) t[c] |= 2;
  for (unsigned char c : std::string_view("\n'")) t[c] |= 4;
  return t;
}();

// The first byte from `i` on whose entry in kNestingBytes has a bit of
// `mask`, or n.
std::size_t SkipDull(const unsigned char* s, std::size_t i, std::size_t n, unsigned char mask) {
  while (i + 4 <= n) {
    if (kNestingBytes[s[i]] & mask) return i;
    if (kNestingBytes[s[i + 1]] & mask) return i + 1;
    if (kNestingBytes[s[i + 2]] & mask) return i + 2;
    if (kNestingBytes[s[i + 3]] & mask) return i + 3;
    i += 4;
  }
  while (i < n && !(kNestingBytes[s[i]] & mask)) ++i;
  return i;
}

// The first byte from `i` on that is not a space, or n.
std::size_t SkipSpaces(const unsigned char* s, std::size_t i, std::size_t n) {
  constexpr std::uint64_t kSpaces = 0x2020202020202020ULL;
  for (std::uint64_t w; i + 8 <= n; i += 8) {
    std::memcpy(&w, s + i, 8);
    if (w != kSpaces) break;
  }
  while (i < n && s[i] == ' ') ++i;
  return i;
}

}  // namespace

// A walk over the text that follows brackets, quotes, comments and line
// starts; only the bytes that can change what it follows are looked at one
// by one (the others are skipped a table lookup each, and runs of
// indentation eight at a time). tests/text_fast_paths_test.cpp checks it
// against a byte-by-byte walk.
std::optional<TextIssue> FindExcessiveNesting(std::string_view text) {
  if (ClearlyShallow(text)) return std::nullopt;
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  int depth = 0;
  char quote = 0;
  std::uint32_t line = 1;
  std::size_t line_start = 0;
  bool at_line_start = true;
  std::size_t i = 0;
  while (i < n) {
    if (at_line_start) {
      i = SkipSpaces(s, i, n);
      if (i == n) break;
      if (s[i] != '\n') {
        at_line_start = false;
        if (i - line_start > kMaxIndent)
          return TextIssue{line, static_cast<std::uint32_t>(i - line_start + 1),
                           "indentation deeper than " + std::to_string(kMaxIndent) +
                               " columns: nesting too deep to be a manifest, not parsed"};
      }
    } else {
      i = SkipDull(s, i, n, quote == 0 ? 1 : quote == '"' ? 2 : 4);
      if (i == n) break;
    }
    const char c = static_cast<char>(s[i]);
    if (c == '\n') {
      ++line;
      line_start = ++i;
      at_line_start = true;
      continue;
    }
    if (quote) {
      // An escape skips the byte after it, a line break too.
      if (c == '\\' && quote == '"') ++i;
      else if (c == quote) quote = 0;
      ++i;
      continue;
    }
    if (c == '#' && (i == 0 || text[i - 1] == ' ' || text[i - 1] == '\t' || text[i - 1] == '\n')) {
      const void* eol = std::memchr(s + i, '\n', n - i);
      if (eol == nullptr) break;
      i = static_cast<std::size_t>(static_cast<const unsigned char*>(eol) - s);
      continue;
    }
    if (c == '"' || c == '\'') {
      // Only a quote that starts a scalar opens a quoted string.
      char prev = i == line_start ? ' ' : text[i - 1];
      if (prev == ' ' || prev == '\t' || prev == '[' || prev == '{' || prev == ',' || prev == ':' ||
          prev == '-')
        quote = c;
      ++i;
      continue;
    }
    if (c == '[' || c == '{') {
      if (++depth > kMaxFlowDepth)
        return TextIssue{
            line, static_cast<std::uint32_t>(i - line_start + 1),
            "brackets nested more than " + std::to_string(kMaxFlowDepth) + " deep: not parsed"};
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
    ++i;
  }
  return std::nullopt;
}

std::optional<TextIssue> FindTemplateMarker(std::string_view text) {
  std::size_t pos = text.find("{{");
  if (pos == std::string_view::npos) return std::nullopt;
  std::uint32_t line =
      1 + static_cast<std::uint32_t>(std::count(text.begin(), text.begin() + pos, '\n'));
  std::size_t line_start = text.rfind('\n', pos);
  line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
  return TextIssue{line, static_cast<std::uint32_t>(pos - line_start + 1), "template"};
}

std::uint32_t ScalarWidth(std::string_view line, std::size_t column, const std::string& value) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (column >= line.size()) return 1;
  std::string_view rest = line.substr(column);
  char first = rest.front();
  if (first == '"' || first == '\'') {
    for (std::size_t i = 1; i < rest.size(); ++i) {
      if (first == '"' && rest[i] == '\\') {
        ++i;
        continue;
      }
      if (rest[i] == first) {
        if (first == '\'' && i + 1 < rest.size() && rest[i + 1] == '\'') {
          ++i;
          continue;
        }
        return static_cast<std::uint32_t>(i + 1);
      }
    }
    return static_cast<std::uint32_t>(rest.size());  // continues on the next line
  }
  if (first == '|' || first == '>') return 1;
  if (!value.empty() && rest.substr(0, value.size()) == value)
    return static_cast<std::uint32_t>(value.size());
  std::size_t end = rest.find(" #");
  if (end == std::string_view::npos) end = rest.size();
  while (end > 0 && (rest[end - 1] == ' ' || rest[end - 1] == '\t')) --end;
  return static_cast<std::uint32_t>(std::max<std::size_t>(end, 1));
}

std::uint32_t TextSpan::LineCount() const {
  Line(UINT32_MAX - 1);
  return static_cast<std::uint32_t>(starts_.size() - 1);
}

std::string_view TextSpan::Line(std::uint32_t i) const {
  // Line starts are found only as far as asked: positions lie near the top of
  // most documents. The last entry is text.size() + 1 once the end is found.
  if (starts_.empty()) {
    starts_.reserve(64);  // one allocation for the lines of most documents' positions
    starts_.push_back(0);
  }
  while (starts_.size() <= static_cast<std::size_t>(i) + 1 && starts_.back() <= text.size()) {
    const std::size_t eol = text.find('\n', starts_.back());
    starts_.push_back(eol == std::string_view::npos ? text.size() + 1 : eol + 1);
  }
  if (static_cast<std::size_t>(i) + 1 >= starts_.size()) return {};
  return text.substr(starts_[i], starts_[i + 1] - 1 - starts_[i]);
}

TextSpan EmbeddedSpan(const TextSpan& outer, std::uint32_t line, std::size_t column,
                      std::string_view value, Location fallback) {
  TextSpan inner;
  inner.file = outer.file;
  inner.text = value;
  std::string_view at = outer.Line(line);
  if (column >= at.size() || at[column] != '|') {
    inner.collapse_to = fallback;
    return inner;
  }
  // Indentation: an explicit indicator (`|2`), else the first non-blank line.
  std::size_t indent = 0;
  for (char c : at.substr(column + 1))
    if (c >= '1' && c <= '9') indent = static_cast<std::size_t>(c - '0');
  if (indent != 0) {
    std::string_view parent = at.substr(0, at.find_first_not_of(' '));
    indent += parent.size();
  } else {
    for (std::uint32_t l = line + 1; l < outer.LineCount(); ++l) {
      std::string_view text = outer.Line(l);
      std::size_t first = text.find_first_not_of(' ');
      if (first != std::string_view::npos && text[first] != '\r') {
        indent = first;
        break;
      }
    }
  }
  if (indent == 0) {
    inner.collapse_to = fallback;
    return inner;
  }
  inner.first_line = outer.first_line + line + 1;
  inner.column_offset = outer.column_offset + static_cast<std::uint32_t>(indent);
  return inner;
}

}  // namespace meshlint

namespace meshlint {

namespace {

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t pos = 0;
  while (pos <= path.size()) {
    std::size_t slash = path.find('/', pos);
    if (slash == std::string_view::npos) slash = path.size();
    out.push_back(path.substr(pos, slash - pos));
    pos = slash + 1;
  }
  return out;
}

// One segment against `*` and `?`: the classic greedy match that backtracks to
// the last star only, linear in practice.
bool SegmentMatch(std::string_view pattern, std::string_view text) {
  std::size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace

bool GlobMatchCounting(std::string_view pattern, std::string_view path, std::size_t* steps) {
  while (pattern.size() > 1 && pattern.back() == '/') pattern.remove_suffix(1);
  const auto pat = Segments(pattern);
  const auto segs = Segments(path);
  // The pattern as a machine over path segments: state i means "pat[0, i)
  // matched so far". All states are followed at once, one path segment at a
  // time, so the work is (path segments) x (pattern segments) segment
  // matches whatever the `**`s, where trying every split backtracks
  // exponentially.
  const std::size_t accept = pat.size();
  std::vector<char> now(pat.size() + 1, 0), next(pat.size() + 1, 0);
  // A `**` matches no segment too: from its state, the next one is active.
  auto close = [&](std::vector<char>& states) {
    for (std::size_t i = 0; i < pat.size(); ++i)
      if (states[i] && pat[i] == "**") states[i + 1] = 1;
  };
  now[0] = 1;
  close(now);
  for (const std::string_view seg : segs) {
    std::fill(next.begin(), next.end(), 0);
    bool any = false;
    for (std::size_t i = 0; i < pat.size(); ++i) {
      if (!now[i]) continue;
      if (steps) ++*steps;
      if (pat[i] == "**") {
        next[i] = 1;  // it takes this segment and may take more
      } else if (SegmentMatch(pat[i], seg)) {
        next[i + 1] = 1;
      } else {
        continue;
      }
      any = true;
    }
    if (!any) return false;
    close(next);
    now.swap(next);
    // The path so far is matched: the path itself, or a directory it lies in.
    if (now[accept]) return true;
  }
  return false;
}

bool GlobMatch(std::string_view pattern, std::string_view path) {
  return GlobMatchCounting(pattern, path, nullptr);
}

std::optional<HelmSource> FindHelmSource(std::string_view chunk) {
  constexpr std::string_view kPrefix = "# Source: ";
  std::size_t pos = 0;
  for (std::uint32_t line = 0; pos < chunk.size(); ++line) {
    std::size_t eol = chunk.find('\n', pos);
    if (eol == std::string_view::npos) eol = chunk.size();
    std::string_view text = chunk.substr(pos, eol - pos);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (text.substr(0, kPrefix.size()) == kPrefix) {
      std::string_view path = text.substr(kPrefix.size());
      while (!path.empty() && (path.back() == ' ' || path.back() == '\t')) path.remove_suffix(1);
      if (path.empty()) return std::nullopt;
      return HelmSource{std::string(path), line, pos};
    }
    const std::size_t first = text.find_first_not_of(" \t");
    const bool skippable = first == std::string_view::npos || text[first] == '#' ||
                           (line == 0 && IsMarker(text, "---") &&
                            text.find_first_not_of(" \t", 3) == std::string_view::npos);
    if (!skippable) return std::nullopt;
    pos = eol + 1;
  }
  return std::nullopt;
}

std::optional<std::string> GlobProblem(std::string_view pattern) {
  if (pattern.empty()) return "an empty glob matches nothing";
  if (pattern.front() == '/')
    return "globs are relative to the config file's directory: drop the leading '/'";
  for (char c : std::string_view("[]{}\\"))
    if (pattern.find(c) != std::string_view::npos)
      return std::string("'") + c + "' is not supported in globs (only *, ? and **)";
  std::string_view trimmed = pattern;
  while (trimmed.size() > 1 && trimmed.back() == '/') trimmed.remove_suffix(1);
  for (std::string_view seg : Segments(trimmed)) {
    if (seg.empty()) return "a glob must not contain '//'";
    if (seg == "." || seg == "..")
      return "'.' and '..' segments are not supported: write the path from the config "
             "file's directory";
    if (seg != "**" && seg.find("**") != std::string_view::npos)
      return "'**' must be a whole path segment (a/**/b.yaml), not part of one";
  }
  return std::nullopt;
}

}  // namespace meshlint
