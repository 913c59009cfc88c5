// What the yardsticks read: the same files meshlint would, in a fixed order.
//   PATH... : files, and directories walked for .yaml/.yml/.json
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace bench {

inline std::vector<std::filesystem::path> ListInputs(int argc, char** argv, int first) {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  for (int i = first; i < argc; ++i) {
    const fs::path p(argv[i]);
    if (!fs::is_directory(p)) {
      files.push_back(p);
      continue;
    }
    for (const auto& e : fs::recursive_directory_iterator(p)) {
      const std::string ext = e.path().extension().string();
      if (e.is_regular_file() && (ext == ".yaml" || ext == ".yml" || ext == ".json"))
        files.push_back(e.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

inline std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace bench
