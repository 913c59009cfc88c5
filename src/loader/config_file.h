// Finding and reading .meshlint.yaml. YAML parsing stays in the loader layer;
// the result is plain data (engine/config.h).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/config.h"
#include "loader/repo_boundary.h"

namespace meshlint {

inline constexpr const char* kConfigFileName = ".meshlint.yaml";

// The config file that applies in directory `start`: `start/.meshlint.yaml`,
// else the nearest parent's, up to and including the repository root (the
// first directory, going up, that holds `.git`). Outside a repository the
// search stops at `outside_root` when `start` lies below it (the working
// directory: a linted subdirectory finds the config beside it), else only
// `start` itself is searched, so a stray file in a home directory never
// changes a run.
std::optional<std::string> FindConfigFile(const std::string& start,
                                          const std::string& outside_root = "");

// Reads the file at `path` into `out` (path, dir and display are set here;
// `display` is how messages name it). Every unknown key, wrong type and bad
// value is an error; none is skipped.
std::vector<ConfigError> ReadConfigFile(const std::string& path, const std::string& display,
                                        ProjectConfig& out);

// The same on a text, as if it were the file at `path` (tests).
std::vector<ConfigError> ParseConfig(std::string_view text, const std::string& path,
                                     ProjectConfig& out);

// How the files a config names (meshConfig, egressPolicy) are held to the
// repository boundary: given the path as written and the config's directory,
// the accepted real path or the refusal. The default checks the work tree
// (ResolveInRepository); a config read from a git revision checks that
// revision's tree instead.
using ConfigFileCheck =
    std::function<RepositoryFile(const std::string& path, const std::string& config_dir)>;
std::vector<ConfigError> ParseConfig(std::string_view text, const std::string& path,
                                     ProjectConfig& out, const ConfigFileCheck& check);

}  // namespace meshlint
