#include "loader/read_file.h"

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>

namespace meshlint {
namespace fs = std::filesystem;

bool ReadFile(const fs::path& path, std::string& content, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot open: " + std::string(std::strerror(errno));
    return false;
  }
  // A regular file is read straight into place: a 200 MB file costs 200 MB,
  // not the two or three copies a stringstream makes.
  std::error_code ec;
  if (fs::is_regular_file(path, ec)) {
    const std::uintmax_t size = fs::file_size(path, ec);
    if (!ec) content.reserve(static_cast<std::size_t>(size));
  }
  std::array<char, 1 << 16> chunk;
  while (in.read(chunk.data(), chunk.size()) || in.gcount() > 0)
    content.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
  if (in.bad()) {
    error = "cannot read: " + std::string(std::strerror(errno));
    return false;
  }
  return true;
}

}  // namespace meshlint
