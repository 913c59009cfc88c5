// Runs the rules over a model and stamps what they report.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/finding.h"
#include "engine/rule.h"
#include "model/model.h"

namespace meshlint {

struct RunOptions {
  // Per-rule severity; nullopt turns the rule off. Rules not named keep their
  // default severity.
  std::map<std::string, std::optional<Severity>, std::less<>> severity;
};

// Findings of every enabled Phase::kModel rule, sorted by file, line,
// column, rule, message. The rules run on up to `jobs` threads (0: the
// machine's cores); the findings do not depend on it.
std::vector<Finding> RunRules(const MeshModel& model, const RunOptions& options, unsigned jobs = 1);

// The run phase, after RunRules: marks the findings that suppressions accept
// (engine/suppress.h), then adds the findings of every enabled Phase::kRun
// rule (never suppressed) and restores report order.
void RunRunPhase(const RunContext& run, const RunOptions& options, std::vector<Finding>& findings);

// Sorts findings into report order: file, line, column, rule, message.
void SortFindings(const MeshModel& model, std::vector<Finding>& findings);

// The severity a rule runs at under `options` (nullopt: off).
std::optional<Severity> EffectiveSeverity(const RuleInfo& rule, const RunOptions& options);

}  // namespace meshlint
