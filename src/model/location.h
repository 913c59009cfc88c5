// Source positions. Every object the loader models, and every field a rule may
// point at, carries one, so that findings land on the offending line.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace meshlint {

// A span in one input file. Lines and columns are 1-based; column counts bytes.
// `line == 0` means "no position" (e.g. a finding about the whole run).
struct Location {
  std::uint32_t file = 0;  // index into FileTable
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::uint32_t end_line = 0;    // inclusive line of the last character
  std::uint32_t end_column = 0;  // exclusive: one past the last character

  bool valid() const { return line != 0; }
  friend bool operator==(const Location&, const Location&) = default;
};

// The input files, in the order they were enumerated. Locations refer to them
// by index so that a model with millions of fields stays compact.
class FileTable {
 public:
  // `display` is what users see (relative to the working directory when the
  // file lies below it); `absolute` is used for SARIF URIs.
  std::uint32_t Add(std::string display, std::string absolute) {
    display_.push_back(std::move(display));
    absolute_.push_back(std::move(absolute));
    return static_cast<std::uint32_t>(display_.size() - 1);
  }
  const std::string& display(std::uint32_t i) const { return display_.at(i); }
  const std::string& absolute(std::uint32_t i) const { return absolute_.at(i); }
  std::size_t size() const { return display_.size(); }

 private:
  std::vector<std::string> display_;
  std::vector<std::string> absolute_;
};

// A value read from a manifest together with where it was written.
template <typename T>
struct Located {
  T value{};
  Location loc;
};

}  // namespace meshlint
