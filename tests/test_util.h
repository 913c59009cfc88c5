// Helpers shared by the tests: load YAML from strings, run the CLI binary.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "engine/runner.h"
#include "loader/loader.h"
#include "model/model.h"

namespace meshlint::testing {

// Loads `files` (name → YAML text) as one input set and finalizes the model.
MeshModel LoadFiles(const std::vector<std::pair<std::string, std::string>>& files,
                    const LoadOptions& options = {});

// "file:line:col rule-id" for each finding of `model`, in report order.
std::vector<std::string> FindingKeys(const MeshModel& model, const RunOptions& options = {});

struct CommandResult {
  int status = -1;
  std::string out;
  std::string err;
};

// Runs build/meshlint with `args` (shell-quoted here) from `cwd`, feeding `input`.
CommandResult RunMeshlint(const std::vector<std::string>& args, const std::string& cwd,
                          const std::string& input = "");

std::string SourceDir();

// A scratch directory, removed with everything in it when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  // Writes `text` to `name` (parent directories created); returns the full path.
  std::string Write(const std::string& name, const std::string& text) const;
  const std::filesystem::path& path() const { return path_; }
  std::string str() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};
std::string ReadFileText(const std::string& path);

}  // namespace meshlint::testing
