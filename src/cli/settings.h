// From the command line to a LintRequest: which project config applies, and
// the flags that override its settings (flags win over the config, the
// config over defaults; the merging itself is RequestFromConfig's).
// Kept apart from cli.cpp so that the command-line plumbing and the project
// settings evolve separately.
#pragma once

#include <boost/program_options.hpp>
#include <iosfwd>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/lint.h"

namespace meshlint {

// A wrong flag or argument: "meshlint: <what>" and the help hint, exit 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
// An input that cannot be used (the base, its config, the working
// directory): exit 2 too, but the message says what is wrong with the input,
// and the help hint would not.
struct UnusableInput : UsageError {
  using UsageError::UsageError;
};

// How inputs are loaded: the same for lint and egress.
void AddLoadOptions(boost::program_options::options_description& options);
// --config and --no-config.
void AddConfigOptions(boost::program_options::options_description& options);
// Lint's: the config options, suppressions, --today, --context.
void AddSettingsOptions(boost::program_options::options_description& options);

// Reads the project config that --config / --no-config choose (else the one
// found from the linted paths, --context's directory among them). Its problems go to `err`, one
// line each; nullopt then: the run stops (exit 2). Throws UsageError.
std::optional<ConfigResult> LoadConfigOption(const boost::program_options::variables_map& vm,
                                             std::ostream& err);

// The request for `config` plus the flags in `vm` and the positional paths:
// loading (--default-namespace, --mesh-config, -j, --full-parse), --policy,
// --no-inline-suppressions, --today (else MESHLINT_TODAY), --context,
// --severity and --disable. Options the command does not have count as not
// given, so egress takes the project's settings too. Throws UsageError.
LintRequest RequestFromFlags(const boost::program_options::variables_map& vm,
                             const std::vector<std::string>& positional,
                             const ProjectConfig* config);

// The rule named `id`, else UsageError.
const RuleInfo& RequireRule(const std::string& id);

// Set on the command line, not just its default.
bool Given(const boost::program_options::variables_map& vm, const char* name);

}  // namespace meshlint
