// GitLab Code Quality report: a JSON array of Code Climate issues, shown in
// merge requests and compared by fingerprint between the source and target
// branches (so a stable fingerprint is what makes "new" mean new).
#include "report/json_common.h"

namespace meshlint {

using report_detail::Json;

namespace {

// GitLab has five levels where meshlint has three. A finding keeps its
// (possibly overridden) severity; an error of a rule whose security-severity
// GitHub would call high (>= 7.0) or critical (>= 9.0) ranks critical or
// blocker, so the two platforms agree on what is most urgent.
std::string_view GitlabSeverity(const Finding& f) {
  switch (f.severity) {
    case Severity::kNote: return "info";
    case Severity::kWarning: return "minor";
    case Severity::kError: break;
  }
  const RuleInfo* rule = FindRule(f.rule_id);
  const double security = rule ? rule->security_severity.value_or(0) : 0;
  if (security >= 9.0) return "blocker";
  if (security >= 7.0) return "critical";
  return "major";
}

}  // namespace

void WriteGitlab(std::ostream& out, const ReportContext& ctx) {
  const std::vector<std::string> fingerprints = report_detail::FingerprintsOf(ctx);
  Json issues = Json::array();
  for (std::size_t i = 0; i < ctx.findings.size(); ++i) {
    const Finding& f = ctx.findings[i];
    if (f.suppression) continue;  // GitLab has no notion of an accepted issue
    std::string path = report_detail::RootRelativePath(ctx, f.diag.loc);
    // GitLab requires a path: a finding without a position gets the root.
    if (path.empty()) path.push_back('.');
    Json issue;
    issue["description"] = f.diag.message;
    issue["check_name"] = f.rule_id;
    issue["fingerprint"] = fingerprints[i];
    issue["severity"] = GitlabSeverity(f);
    issue["location"] = {{"path", path},
                         {"lines", {{"begin", std::max<std::uint32_t>(f.diag.loc.line, 1)}}}};
    issues.push_back(std::move(issue));
  }
  out << report_detail::Dump(issues, 2) << '\n';
}

}  // namespace meshlint
