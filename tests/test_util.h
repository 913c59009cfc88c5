// Helpers shared by the tests: load YAML from strings, run the CLI binary.
#pragma once

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
std::string ReadFileText(const std::string& path);

}  // namespace meshlint::testing
