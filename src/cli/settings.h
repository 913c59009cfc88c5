// What one `meshlint lint` run does, from the project config (.meshlint.yaml)
// and the command line: flags win over the config, the config over defaults.
// Kept apart from cli.cpp so that the command-line plumbing and the project
// settings evolve separately.
#pragma once

#include <boost/program_options.hpp>
#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/config.h"
#include "engine/finding.h"
#include "engine/runner.h"
#include "loader/loader.h"
#include "model/model.h"

namespace meshlint {

// A bad config file or setting: the run stops with exit status 2. what() holds
// every problem, one "meshlint: path:line:col: message" line each; `usage`
// marks a wrong flag (the help hint follows).
struct SettingsError : std::runtime_error {
  SettingsError(const std::string& message, bool usage_error)
      : std::runtime_error(message), usage(usage_error) {}
  bool usage = false;
};

struct LintSettings {
  std::optional<ProjectConfig> config;  // the .meshlint.yaml in effect, if any
  std::vector<std::string> system_namespaces;  // besides the built-in ones
  std::uint32_t config_file = 0;  // its FileTable index, once AttachConfig ran
  RunOptions run;  // per-rule severities from the config (flags are applied on top)
  LoadOptions load;
  std::optional<Severity> fail_on = Severity::kWarning;  // nullopt: never fail
  bool inline_suppressions = true;
  std::chrono::year_month_day today{};
  bool show_suppressed = false;
  // The egress policy the config names. Passed on as is: the egress audit
  // reads it (its own format and errors).
  std::optional<EgressPolicySetting> egress_policy;

  std::vector<std::string> paths;  // what to load
  // `--context DIR`: findings are reported only when they lie in these files
  // (absolute paths; a directory covers the files below it).
  bool context_mode = false;
  std::vector<std::string> report_only;
};

// The options this file owns, added to `lint`'s option list.
void AddSettingsOptions(boost::program_options::options_description& options);
// Only --config and --no-config (for commands that lint nothing, e.g. egress).
void AddConfigOptions(boost::program_options::options_description& options);

// Finds and reads the config (unless --no-config), validates it, and merges it
// with the flags in `vm` (options of AddSettingsOptions plus lint's
// --fail-on, --default-namespace, --mesh-config and the positional paths).
// Options missing from `vm` count as not given, so another command (egress)
// can take the project's settings too. Throws SettingsError.
LintSettings BuildLintSettings(const boost::program_options::variables_map& vm,
                               const std::vector<std::string>& positional);

// After loading: registers the config file in the model's file table (for
// findings that point into it) and applies the config's model settings: its
// rootNamespace becomes the mesh settings source that wins over all others,
// systemNamespaces extend the built-in list.
void AttachConfig(LintSettings& settings, MeshModel& model);

// After the rules ran: marks suppressed findings, adds the findings about
// suppressions, and in --context mode keeps only findings in the named files.
void FinishFindings(const LintSettings& settings, const MeshModel& model,
                    std::vector<Finding>& findings);

}  // namespace meshlint
