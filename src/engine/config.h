// The project configuration (.meshlint.yaml) as plain data. The loader reads
// it (src/loader/config_file.cpp, the only YAML code); the engine checks what
// needs the rule list and RE2 (ValidateConfig); the CLI merges it with flags.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/finding.h"
#include "model/location.h"
#include "model/problem.h"

namespace meshlint {

// A problem in the config file: always fatal (exit status 2), never ignored.
// loc.line is 0 when the file as a whole is wrong; loc.file is set by the
// code that registers the file in a FileTable (LoadProjectConfig).
using ConfigError = Problem;

// One entry of `suppressions:`.
struct ConfigSuppression {
  Location loc;  // the list item
  Located<std::string> rule;
  // RE2, matched against the whole "<namespace>/<Kind>/<name>" ("<Kind>/<name>"
  // for cluster-scoped objects). Absent: every object of the rule.
  std::optional<Located<std::string>> object;
  Located<std::string> reason;
  // Last day the suppression works (inclusive).
  std::optional<Located<std::chrono::year_month_day>> expires;
};

// `egressPolicy:` — a path to a policy file, or the policy written inline.
struct EgressPolicySetting {
  Location loc;  // the value
  // By path: the file, resolved against the config file's directory.
  std::string path;
  // Inline: the mapping's text exactly as written (original indentation kept,
  // so columns stay right); its first line is line `inline_first_line` of the
  // config file.
  std::string inline_text;
  std::uint32_t inline_first_line = 0;
  bool is_inline() const { return path.empty(); }
};

struct ProjectConfig {
  std::string path;     // absolute path of the file
  std::string display;  // as shown in messages (relative to the working directory)
  std::string dir;      // its directory: relative paths and globs start here
  // Locations below carry no file index; see ConfigLocation().

  // rules: <id>: off | note | warning | error (nullopt: off).
  std::map<std::string, Located<std::optional<Severity>>, std::less<>> rules;
  std::vector<ConfigSuppression> suppressions;
  std::vector<Located<std::string>> include;  // path globs, relative to dir
  std::vector<Located<std::string>> exclude;
  // environments: directory globs relative to dir (`envs/*`); each directory
  // they match is linted as its own mesh, with the files outside all of
  // them (engine/environments.h).
  std::vector<Located<std::string>> environments;
  std::optional<Located<std::string>> default_namespace;
  std::optional<Located<std::string>> root_namespace;
  std::vector<Located<std::string>> system_namespaces;  // in addition to the built-in ones
  std::optional<Located<std::string>> mesh_config;      // resolved against dir
  std::optional<EgressPolicySetting> egress_policy;
  // failOn: error | warning | note | never (nullopt inside: never).
  std::optional<Located<std::optional<Severity>>> fail_on;
  std::optional<Located<bool>> inline_suppressions;
  // istioVersion: "1.30" (MAJOR.MINOR[.PATCH]), checked against the releases
  // meshlint models.
  std::optional<Located<std::string>> istio_version;
};

// "2027-03-31" → a valid calendar date, else nullopt. Inline: the loader
// (config file) and the engine (MESHLINT_TODAY) both parse dates.
inline std::optional<std::chrono::year_month_day> ParseIsoDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  int parts[3] = {0, 0, 0};
  const std::size_t from[3] = {0, 5, 8}, len[3] = {4, 2, 2};
  for (int k = 0; k < 3; ++k)
    for (std::size_t i = from[k]; i < from[k] + len[k]; ++i) {
      if (s[i] < '0' || s[i] > '9') return std::nullopt;
      parts[k] = parts[k] * 10 + (s[i] - '0');
    }
  std::chrono::year_month_day ymd{std::chrono::year{parts[0]},
                                  std::chrono::month{static_cast<unsigned>(parts[1])},
                                  std::chrono::day{static_cast<unsigned>(parts[2])}};
  if (!ymd.ok()) return std::nullopt;
  return ymd;
}

// Checks what the loader cannot: rule ids exist, object patterns are valid RE2.
std::vector<ConfigError> ValidateConfig(const ProjectConfig& config);

}  // namespace meshlint
