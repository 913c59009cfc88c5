// The lint pipeline in process: what `meshlint lint` and `meshlint egress`
// run, for the CLI, the tests and any other front end. The CLI only maps
// flags onto a LintRequest and writes reports from the LintResult.
//
//   ConfigResult project = LoadProjectConfig({});          // .meshlint.yaml
//   if (!project.problems.empty()) ...                     // unusable: stop
//   LintRequest request = RequestFromConfig(project.config ? &*project.config : nullptr);
//   request.paths = {"manifests/"};                        // flags win: assign after
//   LintResult result = Lint(request);
//   // result.model, result.findings, result.input_problems, result.policy_problems
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/config.h"
#include "engine/finding.h"
#include "engine/runner.h"
#include "loader/loader.h"
#include "model/model.h"
#include "model/problem.h"

namespace meshlint {

namespace egress {
class CompiledPolicy;
}

// ---- The project config (.meshlint.yaml) ----

struct ConfigChoice {
  enum class Mode {
    // Found from each linted path upwards (loader/config_file.h
    // FindConfigFile); paths governed by different configs are an error.
    kDiscover,
    kFile,  // `file`, which must exist (--config FILE)
    kNone,  // no config (--no-config)
  };
  Mode mode = Mode::kDiscover;
  std::string file;  // kFile: as the user named it
  // kDiscover: the linted paths (files, directories, "-"); none (or only
  // stdin): the working directory.
  std::vector<std::string> paths;
};

struct ConfigResult {
  // The config in effect, read and validated; nullopt when there is none or
  // it cannot be used.
  std::optional<ProjectConfig> config;
  // Why the config cannot be used (every problem, not only the first): the
  // run must stop. Their loc.file indexes `files`, which holds the config.
  std::vector<Problem> problems;
  FileTable files;
};

// Finds, reads and validates the project config. Display paths are relative
// to the working directory.
ConfigResult LoadProjectConfig(const ConfigChoice& choice);

// ---- One run ----

// Where the egress policy comes from.
struct PolicySource {
  std::string path;  // the policy file, or the file an inline policy is part of
  // A policy written inside `path` (the config's `egressPolicy:` mapping):
  // its text, from line `first_line` of `path`, columns unchanged.
  bool is_inline = false;
  std::string inline_text;
  std::uint32_t first_line = 1;
};

struct LintRequest {
  // Files, directories (walked for .yaml, .yml, .json) or "-" for stdin;
  // empty (and no texts): the working directory.
  std::vector<std::string> paths;
  // In-memory inputs (an editor's buffers, tests): display name → text, each
  // loaded as a file of that name, before `paths`. With texts only, no path
  // is read (not even load.mesh_config_file).
  std::vector<std::pair<std::string, std::string>> texts;
  // Load `texts` only, even when there are none (a git revision's files).
  bool texts_only = false;
  // With texts: the mesh config as display name and text, loaded as the
  // --mesh-config file would be (load.mesh_config_file is not read then).
  std::optional<std::pair<std::string, std::string>> mesh_config_text;
  LoadOptions load;
  // Per-rule severities (nullopt: off); rules not named keep their default.
  RunOptions run;
  // The project config in effect, or null. Its suppressions, rootNamespace
  // and systemNamespaces apply; its other settings are copied into the
  // fields here by RequestFromConfig. Registered in the result's file table
  // after the inputs, so findings can point into it. Must outlive Lint().
  const ProjectConfig* config = nullptr;
  std::optional<PolicySource> policy;  // enables egress-not-allowed
  // false: ignore.meshlint.io/ annotations suppress nothing and each is
  // reported (inline-suppression-ignored).
  bool inline_suppressions = true;
  // The day suppression expiry is judged against.
  std::chrono::year_month_day today{};
  // Report only findings in these files (absolute paths; a directory covers
  // the files below it); project-level findings are left out. Nullopt: all.
  std::optional<std::vector<std::string>> report_only;
  // --environment NAME: with `environments:` in the config, lint (or audit)
  // only that environment's mesh. Without it, lint runs every environment
  // the paths reach, one after the other; egress needs one.
  std::optional<std::string> environment;
};

// A request with the config's settings (or the built-in defaults): severities
// from `rules:`, defaultNamespace, meshConfig, include/exclude, egressPolicy,
// inlineSuppressions; today is today (UTC). Override fields afterwards.
LintRequest RequestFromConfig(const ProjectConfig* config);

struct LintResult {
  MeshModel model;  // every input, the config and the policy are in model.files
  // In report order; suppressed ones are marked, not removed.
  std::vector<Finding> findings;
  // Paths (and the mesh config file) that could not be read: the rest was
  // linted, but the run did not check everything it was asked to (exit 2).
  // Problems inside files are model.problems (invalid-manifest findings).
  std::vector<Problem> input_problems;
  // Why the egress policy cannot be used. Nothing was checked then (no
  // findings): half a policy would mislead.
  std::vector<Problem> policy_problems;
  std::shared_ptr<const egress::CompiledPolicy> policy;  // null: no policy
  std::uint32_t config_file = 0;                         // index of request.config in model.files
};

// Loads the inputs, the config's model settings and the policy, then runs
// every enabled rule, applies suppressions and request.report_only. With
// environments (engine/environments.h): once per environment, the findings
// grouped by environment and each marked with it.
LintResult Lint(const LintRequest& request);

// The same without running the rules: the model `meshlint egress` audits.
// With environments, one environment's (request.environment, which must
// then be set: an input problem otherwise).
LintResult LoadForLint(const LintRequest& request);

}  // namespace meshlint
