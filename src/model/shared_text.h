// A short text that many objects hold alike (an apiVersion): kept once for
// the whole process, each holder keeps a pointer to it.
#pragma once

#include <compare>
#include <ostream>
#include <string>
#include <string_view>

namespace meshlint {

class SharedText {
 public:
  SharedText() = default;
  // The process's one copy of `text`, made on first use. Safe from any
  // thread. The copies live until the process ends: there are as many as
  // distinct texts were read, never more than one per object read.
  explicit SharedText(std::string_view text);

  std::string_view view() const { return text_ ? std::string_view(*text_) : std::string_view(); }
  operator std::string_view() const { return view(); }  // NOLINT: reads as the text
  bool empty() const { return view().empty(); }
  bool starts_with(std::string_view prefix) const { return view().starts_with(prefix); }

  // The pool holds each text once (and never the empty one): equal texts
  // are the same pointer.
  friend bool operator==(const SharedText& a, const SharedText& b) { return a.text_ == b.text_; }
  friend bool operator==(const SharedText& a, std::string_view b) { return a.view() == b; }
  friend bool operator==(const SharedText& a, const char* b) { return a.view() == b; }
  friend std::strong_ordering operator<=>(const SharedText& a, const SharedText& b) {
    return a.view() <=> b.view();
  }
  friend std::ostream& operator<<(std::ostream& o, const SharedText& t) { return o << t.view(); }
  // Joined into messages as a std::string is.
  friend std::string operator+(std::string a, const SharedText& b) { return a.append(b.view()); }

 private:
  const std::string* text_ = nullptr;  // nullptr: the empty text
};

}  // namespace meshlint
