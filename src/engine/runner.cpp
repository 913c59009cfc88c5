#include "engine/runner.h"

#include <algorithm>
#include <iterator>
#include <tuple>

#include "engine/suppress.h"
#include "model/parallel.h"

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

std::vector<Finding> RunRules(const MeshModel& model, const RunOptions& options, unsigned jobs) {
  struct Enabled {
    const RuleInfo* rule;
    Severity severity;
  };
  std::vector<Enabled> enabled;
  for (const RuleInfo& rule : AllRules())
    if (rule.phase == Phase::kModel)
      if (auto severity = EffectiveSeverity(rule, options)) enabled.push_back({&rule, *severity});
  // The rules are pure functions of the model, so they run side by side,
  // each into its own list. The lists are joined in rule order, as one
  // thread would have filled one list, and the sort below is stable: the
  // findings, and their order, do not depend on the threads.
  std::vector<std::vector<Finding>> found(enabled.size());
  ParallelForEach(enabled.size(), jobs, [&](std::size_t i) {
    CollectingSink sink(*enabled[i].rule, enabled[i].severity, found[i]);
    enabled[i].rule->check(model, sink);
  });
  std::size_t total = 0;
  for (const auto& f : found) total += f.size();
  std::vector<Finding> findings;
  findings.reserve(total);
  for (auto& f : found) std::move(f.begin(), f.end(), std::back_inserter(findings));
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
  // By path, then position, rule and message. Each finding's path is ranked
  // once (equal paths, equal ranks), and indices are sorted rather than the
  // findings: a run with thousands of findings compared long paths and moved
  // whole findings at every step.
  const std::size_t n = findings.size();
  std::vector<std::string_view> paths(n);
  for (std::size_t i = 0; i < n; ++i)
    if (HasPosition(model.files, findings[i].diag.loc))
      paths[i] = model.files.display(findings[i].diag.loc.file);
  std::vector<std::string_view> distinct = paths;
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  std::vector<std::size_t> rank(n), order(n);
  for (std::size_t i = 0; i < n; ++i) {
    rank[i] = static_cast<std::size_t>(
        std::lower_bound(distinct.begin(), distinct.end(), paths[i]) - distinct.begin());
    order[i] = i;
  }
  auto key = [&](std::size_t i) {
    const Finding& f = findings[i];
    return std::tie(rank[i], f.diag.loc.line, f.diag.loc.column, f.rule_id, f.diag.message);
  };
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return key(a) < key(b); });
  std::vector<Finding> sorted;
  sorted.reserve(n);
  for (std::size_t i : order) sorted.push_back(std::move(findings[i]));
  findings = std::move(sorted);
}

}  // namespace meshlint
