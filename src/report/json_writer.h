// A streaming JSON writer whose bytes are those of nlohmann's
// `dump(2, ' ', false, replace)` (report_detail::Dump) of the same document:
// the lint reports with thousands of findings are written with it instead
// of being built as a tree first, which cost more than loading the input.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "report/json_common.h"

namespace meshlint::report_detail {

class JsonWriter {
 public:
  // Writes to `out` a block at a time; Finish() writes the rest.
  explicit JsonWriter(std::ostream& out);
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;

  void BeginObject();
  void EndObject();
  void BeginArray();
  void EndArray();
  // The next member's key; its value follows.
  void Key(std::string_view key);

  void String(std::string_view text);
  void Unsigned(std::uint64_t n);
  void Bool(bool b);
  void Null();
  // A whole value built with nlohmann (the small, rare parts of a report).
  void Raw(const Json& value);

  // Writes what is buffered; the document must be complete.
  void Finish();

 private:
  void BeforeValue();
  void Newline();
  void MaybeFlush();

  std::ostream& out_;
  std::string buf_;
  // Per open container: whether it is an object, and its member count.
  struct Open {
    bool object;
    std::size_t count;
  };
  std::vector<Open> open_;
  bool after_key_ = false;
};

// `text` as a JSON string literal, quotes included, as Dump writes it.
void AppendJsonString(std::string& out, std::string_view text);

}  // namespace meshlint::report_detail
