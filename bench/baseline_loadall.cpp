// The benchmark's yardstick: what it costs to merely parse every input the
// obvious way, single-threaded yaml-cpp YAML::LoadAll over each file. ci/bench
// reports meshlint's time as a ratio of this one.
//
//   baseline_loadall PATH...   (directories are walked for .yaml/.yml/.json)
#include <yaml-cpp/yaml.h>

#include <iostream>

#include "inputs.h"

int main(int argc, char** argv) {
  std::size_t files = 0, documents = 0, bytes = 0, errors = 0;
  for (const auto& path : bench::ListInputs(argc, argv, 1)) {
    const std::string text = bench::ReadAll(path);
    ++files;
    bytes += text.size();
    try {
      documents += YAML::LoadAll(text).size();
    } catch (const YAML::Exception&) {
      ++errors;  // counted; the generated inputs have none
    }
  }
  std::cout << files << " files, " << documents << " documents, " << bytes << " bytes, " << errors
            << " files with YAML errors\n";
  return 0;
}
