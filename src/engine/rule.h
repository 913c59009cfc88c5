// The rule interface: a descriptor with typed metadata plus a check function.
// Every rule is listed, with its metadata, in rules/all_rules.cpp.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "engine/config.h"
#include "engine/finding.h"
#include "model/model.h"

namespace meshlint {

// Collects what checks report.
class FindingSink {
 public:
  virtual ~FindingSink() = default;
  virtual void Report(Diagnostic diag) = 0;
};

// What a run-phase check sees: the model and the run's settings that decide
// which suppressions work.
struct RunContext {
  const MeshModel& model;
  const ProjectConfig* config = nullptr;  // null without a project config
  std::uint32_t config_file = 0;          // its index in model.files
  bool inline_suppressions = true;        // ignore.meshlint.io/ annotations count
  std::chrono::year_month_day today{};    // suppressions expire against this day
};

// When a rule's check runs.
enum class Phase {
  // `check`: a pure function of the model. Its findings can be suppressed.
  kModel,
  // `run_check`: after every model rule ran and suppressions were applied,
  // with the run's configuration. For findings about the run itself (a
  // suppression that cannot work); they are never suppressed, since they
  // would hide why a suppression does not work.
  kRun,
};

using CheckFn = void (*)(const MeshModel& model, FindingSink& sink);
using RunCheckFn = void (*)(const RunContext& run, FindingSink& sink);

// SARIF reportingDescriptor properties.precision: how often a finding is real.
enum class Precision { kVeryHigh, kHigh, kMedium, kLow };

constexpr std::string_view PrecisionName(Precision p) {
  switch (p) {
    case Precision::kVeryHigh: return "very-high";
    case Precision::kHigh: return "high";
    case Precision::kMedium: return "medium";
    case Precision::kLow: return "low";
  }
  return "high";
}

// A rule's tags (SARIF properties.tags), written as {"security", "egress"}.
// A short list fixed at compile time: more than kMax tags does not compile.
class Tags {
 public:
  static constexpr std::size_t kMax = 4;
  constexpr Tags() = default;
  consteval Tags(std::initializer_list<std::string_view> tags) {
    for (std::string_view tag : tags) {
      if (size_ == kMax || tag.empty()) throw "a rule has at most 4 tags, none empty";
      items_[size_++] = tag;
    }
  }
  constexpr const std::string_view* begin() const { return items_.data(); }
  constexpr const std::string_view* end() const { return items_.data() + size_; }
  constexpr std::size_t size() const { return size_; }
  constexpr bool contains(std::string_view tag) const {
    for (std::string_view t : *this)
      if (t == tag) return true;
    return false;
  }

 private:
  std::array<std::string_view, kMax> items_{};
  std::size_t size_ = 0;
};

struct RuleInfo {
  std::string_view id;  // stable kebab-case id: part of the interface
  Severity default_severity = Severity::kWarning;
  std::string_view summary;  // one sentence: what it flags
  Phase phase = Phase::kModel;
  CheckFn check = nullptr;         // Phase::kModel
  RunCheckFn run_check = nullptr;  // Phase::kRun
  Tags tags;
  Precision precision = Precision::kHigh;
  // SARIF security-severity, 0.0 to 10.0 in steps of 0.1 (GitHub ranks
  // alerts by it: 9.0 critical, 7.0 high, 4.0 medium); none for rules that
  // are not about security.
  std::optional<double> security_severity;
  std::string_view doc;  // rules/<id>/doc.md, embedded at build time
};

// Every rule, sorted by id (rules/all_rules.cpp).
std::span<const RuleInfo> AllRules();
const RuleInfo* FindRule(std::string_view id);

// "8.0": the security-severity as SARIF writes it (one decimal).
std::string SecuritySeverityText(double value);

}  // namespace meshlint
