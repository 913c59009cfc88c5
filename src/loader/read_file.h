// Reading a file's bytes for the loader.
#pragma once

#include <filesystem>
#include <string>

namespace meshlint {

// Reads the file at `path` into `content`; false with the reason in `error`.
bool ReadFile(const std::filesystem::path& path, std::string& content, std::string& error);

}  // namespace meshlint
