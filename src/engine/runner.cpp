#include "engine/runner.h"

#include <algorithm>
#include <tuple>

#include "engine/suppress.h"

namespace meshlint {

std::string Finding::StableKey() const {
  std::string key(rule_id);
  key += '|';
  key += diag.object.FullyQualifiedName();
  key += '|';
  key += diag.field;
  // Without environments the key is what it always was.
  if (!environment.empty()) key += "|" + environment;
  return key;
}

std::optional<Severity> EffectiveSeverity(const RuleInfo& rule, const RunOptions& options) {
  auto it = options.severity.find(rule.id);
  if (it == options.severity.end()) return rule.default_severity;
  return it->second;
}

namespace {

class CollectingSink : public FindingSink {
 public:
  CollectingSink(const RuleInfo& rule, Severity severity, std::vector<Finding>& out)
      : rule_(rule), severity_(severity), out_(out) {}
  void Report(Diagnostic diag) override {
    const Severity severity = diag.uncertain ? Lowered(severity_) : severity_;
    out_.push_back(Finding{rule_.id, severity, std::move(diag), std::nullopt, {}});
  }

 private:
  const RuleInfo& rule_;
  Severity severity_;
  std::vector<Finding>& out_;
};

}  // namespace

std::vector<Finding> RunRules(const MeshModel& model, const RunOptions& options) {
  std::vector<Finding> findings;
  for (const RuleInfo& rule : AllRules()) {
    if (rule.phase != Phase::kModel) continue;
    auto severity = EffectiveSeverity(rule, options);
    if (!severity) continue;
    CollectingSink sink(rule, *severity, findings);
    rule.check(model, sink);
  }
  SortFindings(model, findings);
  return findings;
}

void RunRunPhase(const RunContext& run, const RunOptions& options, std::vector<Finding>& findings) {
  ApplySuppressions(run, findings);
  const std::size_t before = findings.size();
  for (const RuleInfo& rule : AllRules()) {
    if (rule.phase != Phase::kRun) continue;
    auto severity = EffectiveSeverity(rule, options);
    if (!severity) continue;
    CollectingSink sink(rule, *severity, findings);
    rule.run_check(run, sink);
  }
  if (findings.size() != before) SortFindings(run.model, findings);
}

void SortFindings(const MeshModel& model, std::vector<Finding>& findings) {
  static const std::string kNoFile;
  auto key = [&](const Finding& f) {
    const std::string& path =
        HasPosition(model.files, f.diag.loc) ? model.files.display(f.diag.loc.file) : kNoFile;
    return std::tie(path, f.diag.loc.line, f.diag.loc.column, f.rule_id, f.diag.message);
  };
  std::stable_sort(findings.begin(), findings.end(),
                   [&](const Finding& a, const Finding& b) { return key(a) < key(b); });
}

}  // namespace meshlint
