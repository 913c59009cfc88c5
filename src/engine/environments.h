// Environments (`environments:` in .meshlint.yaml): directories such as
// envs/dev and envs/prod, or clusters/eu, that each hold one mesh's
// configuration. Each is linted as its own mesh, with the files that lie
// outside every environment (a shared base, the mesh config) loaded into
// each; findings say which environment they are about. Internal to
// engine/lint.cpp.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "engine/lint.h"

namespace meshlint {

// A pull request controls the tree the globs are matched against.
inline constexpr std::size_t kMaxEnvironments = 64;
inline constexpr std::size_t kMaxEnvironmentDirsVisited = 100000;

struct Environment {
  std::string name;  // the directory relative to the config's ("envs/dev")
  std::string dir;   // absolute
};

// The request lints paths under a config that declares environments.
bool UsesEnvironments(const LintRequest& request);

// The directories the config's globs match that the request's paths reach
// (a path inside one, or one inside a path), in name order. false (with
// `error`) when an environment lies inside another or a bound is passed.
bool FindEnvironments(const LintRequest& request, std::vector<Environment>& out,
                      std::string& error);

// The request for environment `i`: the other environments' directories left out.
LintRequest ForEnvironment(const LintRequest& request, const std::vector<Environment>& envs,
                           std::size_t i);

// Marks every finding of `result` as about `name`.
void TagEnvironment(LintResult& result, const std::string& name);

// Adds the findings and problems of another environment's run to `into`,
// their locations moved into into's file table. A finding that `into`
// already holds (same rule, place, message: a problem of a shared file) is
// kept once, with both environments named.
void MergeEnvironment(LintResult& into, LintResult&& from);

// Findings grouped by environment (stable: report order kept within each).
void GroupByEnvironment(std::vector<Finding>& findings);

}  // namespace meshlint
