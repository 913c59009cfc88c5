// The rule interface: a descriptor plus a pure check function of the model.
#pragma once

#include <functional>
#include <span>
#include <string_view>
#include <vector>

#include "engine/finding.h"
#include "model/model.h"

namespace meshlint {

// Collects what checks report.
class FindingSink {
 public:
  virtual ~FindingSink() = default;
  virtual void Report(Diagnostic diag) = 0;
};

using CheckFn = void (*)(const MeshModel& model, FindingSink& sink);

struct RuleInfo {
  std::string_view id;          // stable kebab-case id: part of the interface
  Severity default_severity;
  std::string_view summary;     // one sentence: what it flags
  CheckFn check;
  std::string_view doc;         // rules/<id>/doc.md, embedded at build time
  std::string_view tags;        // comma-separated, for SARIF
  std::string_view precision;   // SARIF precision: very-high, high, medium, low
  std::string_view security_severity;  // SARIF security-severity, "" if none
};

// Every rule, sorted by id (rules/all_rules.cpp).
std::span<const RuleInfo> AllRules();
const RuleInfo* FindRule(std::string_view id);

}  // namespace meshlint
