// The benchmark's yardstick: what it costs to merely parse every input the
// obvious way, single-threaded yaml-cpp YAML::LoadAll over each file. ci/bench
// reports meshlint's time as a ratio of this one.
//
//   baseline_loadall PATH...   (directories are walked for .yaml/.yml/.json)
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

int main(int argc, char** argv) {
  std::vector<fs::path> files;
  for (int i = 1; i < argc; ++i) {
    fs::path p(argv[i]);
    if (fs::is_directory(p)) {
      for (const auto& e : fs::recursive_directory_iterator(p)) {
        const std::string ext = e.path().extension().string();
        if (e.is_regular_file() && (ext == ".yaml" || ext == ".yml" || ext == ".json"))
          files.push_back(e.path());
      }
    } else {
      files.push_back(p);
    }
  }
  std::sort(files.begin(), files.end());
  std::size_t documents = 0, bytes = 0, errors = 0;
  for (const fs::path& path : files) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    const std::string text = buffer.str();
    bytes += text.size();
    try {
      documents += YAML::LoadAll(text).size();
    } catch (const YAML::Exception&) {
      ++errors;  // counted; the benchmark inputs have none
    }
  }
  std::cout << files.size() << " files, " << documents << " documents, " << bytes << " bytes, "
            << errors << " files with YAML errors\n";
  return 0;
}
