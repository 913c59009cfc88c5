#include "report/json_writer.h"

#include <charconv>
#include <cstring>

namespace meshlint::report_detail {

namespace {

constexpr std::size_t kIndent = 2;       // as Dump(j, 2)
constexpr std::size_t kBlock = 1 << 16;  // bytes buffered before a write

}  // namespace

void AppendJsonString(std::string& out, std::string_view text) {
  // Nearly every string is ASCII with nothing to escape: one pass that the
  // compiler can do many bytes at a time (no early exit), one copy.
  unsigned char special = 0;
  for (const char ch : text) {
    const unsigned char c = static_cast<unsigned char>(ch);
    special |= static_cast<unsigned char>((c < 0x20) | (c == '"') | (c == '\\') | (c >= 0x80));
  }
  if (!special) {
    const std::size_t at = out.size();
    out.resize(at + text.size() + 2);
    char* p = out.data() + at;
    *p = '"';
    if (!text.empty()) std::memcpy(p + 1, text.data(), text.size());
    p[text.size() + 1] = '"';
    return;
  }
  // Bytes past ASCII are left to nlohmann: what it makes of text that is not
  // UTF-8 (error_handler_t::replace) is its own.
  for (const char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      out += Dump(Json(std::string(text)), 2);
      return;
    }
  }
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  std::size_t run = 0;  // start of the bytes copied as they are
  for (std::size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text, run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\f': out += "\\f"; break;
      case '\r': out += "\\r"; break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xf];
    }
  }
  out.append(text, run, text.size() - run);
  out += '"';
}

JsonWriter::JsonWriter(std::ostream& out) : out_(out) { buf_.reserve(kBlock + 4096); }

void JsonWriter::Newline() {
  const std::size_t at = buf_.size(), pad = open_.size() * kIndent;
  buf_.resize(at + 1 + pad, ' ');
  buf_[at] = '\n';
}

void JsonWriter::MaybeFlush() {
  if (buf_.size() < kBlock) return;
  out_.write(buf_.data(), static_cast<std::streamsize>(buf_.size()));
  buf_.clear();
}

void JsonWriter::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (open_.empty()) return;
  // An element of an array.
  if (open_.back().count++ > 0) buf_ += ',';
  Newline();
}

void JsonWriter::Key(std::string_view key) {
  if (open_.back().count++ > 0) buf_ += ',';
  Newline();
  AppendJsonString(buf_, key);
  buf_ += ": ";
  after_key_ = true;
}

void JsonWriter::BeginObject() {
  BeforeValue();
  buf_ += '{';
  open_.push_back({true, 0});
}

void JsonWriter::EndObject() {
  const bool empty = open_.back().count == 0;
  open_.pop_back();
  if (!empty) Newline();
  buf_ += '}';
  MaybeFlush();
}

void JsonWriter::BeginArray() {
  BeforeValue();
  buf_ += '[';
  open_.push_back({false, 0});
}

void JsonWriter::EndArray() {
  const bool empty = open_.back().count == 0;
  open_.pop_back();
  if (!empty) Newline();
  buf_ += ']';
  MaybeFlush();
}

void JsonWriter::String(std::string_view text) {
  BeforeValue();
  AppendJsonString(buf_, text);
}

void JsonWriter::Unsigned(std::uint64_t n) {
  BeforeValue();
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
  buf_.append(digits, end);
}

void JsonWriter::Bool(bool b) {
  BeforeValue();
  buf_ += b ? "true" : "false";
}

void JsonWriter::Null() {
  BeforeValue();
  buf_ += "null";
}

void JsonWriter::Raw(const Json& value) {
  BeforeValue();
  // Dumped on its own it starts at column 0: its inner lines are indented
  // by the depth it is written at. No string holds a raw line break.
  const std::string text = Dump(value, static_cast<int>(kIndent));
  const std::string pad(open_.size() * kIndent, ' ');
  std::size_t from = 0;
  for (std::size_t nl; (nl = text.find('\n', from)) != std::string::npos; from = nl + 1) {
    buf_.append(text, from, nl + 1 - from);
    buf_ += pad;
  }
  buf_.append(text, from, std::string::npos);
  MaybeFlush();
}

void JsonWriter::Finish() {
  out_.write(buf_.data(), static_cast<std::streamsize>(buf_.size()));
  buf_.clear();
}

}  // namespace meshlint::report_detail
