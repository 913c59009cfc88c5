#include "engine/runner.h"

#include <algorithm>
#include <iterator>
#include <tuple>

#include "engine/suppress.h"
#include "model/parallel.h"

namespace meshlint {

std::string Finding::StableKey() const {
  // As FullyQualifiedName() writes it, appended in place.
  std::string key;
  key.reserve(rule_id.size() + diag.object.ns.size() + diag.object.kind.size() +
              diag.object.name.size() + diag.field.size() + 5);
  key += rule_id;
  key += '|';
  if (!diag.object.ns.empty()) {
    key += diag.object.ns;
    key += '/';
  }
  key += diag.object.kind;
  key += '/';
  key += diag.object.name;
  key += '|';
  key += diag.field;
  // Without environments the key is what it always was.
  if (!environment.empty()) {
    key += '|';
    key += environment.view();
  }
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
  // Each rule's list is given back once joined, so that the findings are
  // not held twice over (with each list's growth slack) until the end.
  for (auto& f : found) {
    std::move(f.begin(), f.end(), std::back_inserter(findings));
    std::vector<Finding>().swap(f);
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
  // By path, then position, rule and message. Each finding's path is ranked
  // once (equal paths, equal ranks), and indices are sorted rather than the
  // findings: a run with thousands of findings compared long paths and moved
  // whole findings at every step. The paths ranked are those of the files
  // the findings are in, each once, not one per finding; a finding without a
  // position ranks as the empty path.
  const std::size_t n = findings.size();
  constexpr std::uint32_t kNoFile = ~std::uint32_t{0};
  std::vector<std::uint32_t> file(n, kNoFile);
  std::vector<std::uint32_t> files;  // distinct, in first-seen order
  std::vector<std::size_t> file_rank(model.files.size(), 0);
  std::vector<bool> seen(model.files.size(), false);
  for (std::size_t i = 0; i < n; ++i) {
    if (!HasPosition(model.files, findings[i].diag.loc)) continue;
    file[i] = findings[i].diag.loc.file;
    if (!seen[file[i]]) {
      seen[file[i]] = true;
      files.push_back(file[i]);
    }
  }
  // The empty path (kNoFile) sorts before every other; files with equal
  // paths share a rank.
  files.push_back(kNoFile);
  const auto path = [&](std::uint32_t f) -> std::string_view {
    return f == kNoFile ? std::string_view() : std::string_view(model.files.display(f));
  };
  std::sort(files.begin(), files.end(),
            [&](std::uint32_t a, std::uint32_t b) { return path(a) < path(b); });
  std::size_t no_file_rank = 0;
  for (std::size_t k = 0, r = 0; k < files.size(); ++k) {
    if (k > 0 && path(files[k]) != path(files[k - 1])) ++r;
    if (files[k] == kNoFile) no_file_rank = r;
    else file_rank[files[k]] = r;
  }
  std::vector<std::size_t> rank(n), order(n);
  for (std::size_t i = 0; i < n; ++i) {
    rank[i] = file[i] == kNoFile ? no_file_rank : file_rank[file[i]];
    order[i] = i;
  }
  auto key = [&](std::size_t i) {
    const Finding& f = findings[i];
    return std::tie(rank[i], f.diag.loc.line, f.diag.loc.column, f.rule_id, f.diag.message);
  };
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return key(a) < key(b); });
  // The findings are put in that order in place, one cycle of the
  // permutation at a time, rather than moved into a second list: a run with
  // 100,000 findings would hold both at once.
  constexpr std::size_t kPlaced = ~std::size_t{0};
  for (std::size_t start = 0; start < n; ++start) {
    if (order[start] == kPlaced || order[start] == start) continue;
    Finding first = std::move(findings[start]);
    std::size_t to = start;
    while (order[to] != start) {
      const std::size_t from = order[to];
      findings[to] = std::move(findings[from]);
      order[to] = kPlaced;
      to = from;
    }
    findings[to] = std::move(first);
    order[to] = kPlaced;
  }
}

}  // namespace meshlint
