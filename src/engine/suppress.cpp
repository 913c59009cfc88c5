#include "engine/suppress.h"

#include <re2/re2.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>

#include "engine/rule.h"

namespace meshlint {

namespace {

constexpr std::string_view kWithoutReason = "suppression-without-reason";
constexpr std::string_view kUnknownRule = "suppression-unknown-rule";
constexpr std::string_view kExpired = "suppression-expired";
constexpr std::string_view kInlineIgnored = "inline-suppression-ignored";

bool Blank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

// "Sidecar 'team-a/default'", "Namespace 'team-a'"
std::string Describe(const ObjectRef& ref) {
  return ref.kind + " '" + (ref.ns.empty() ? ref.name : ref.ns + "/" + ref.name) + "'";
}

class Reporter {
 public:
  Reporter(const RunOptions& run, std::vector<Finding>& out) : run_(run), out_(out) {}
  void Report(std::string_view rule_id, Diagnostic diag) {
    const RuleInfo* rule = FindRule(rule_id);
    if (!rule) return;
    auto severity = EffectiveSeverity(*rule, run_);
    if (!severity) return;
    out_.push_back(Finding{rule->id, *severity, std::move(diag), std::nullopt});
  }

 private:
  const RunOptions& run_;
  std::vector<Finding>& out_;
};

struct Central {
  const ConfigSuppression* entry;
  std::unique_ptr<RE2> object;  // null: every object
};

}  // namespace

bool IsSuppressionRule(std::string_view id) {
  return id == kWithoutReason || id == kUnknownRule || id == kExpired || id == kInlineIgnored;
}

std::string FormatIsoDate(std::chrono::year_month_day date) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return buf;
}

std::optional<std::chrono::year_month_day> Today(std::string* error) {
  if (const char* pinned = std::getenv("MESHLINT_TODAY"); pinned && *pinned) {
    if (auto date = ParseIsoDate(pinned)) return date;
    if (error) *error = std::string("MESHLINT_TODAY must be a date written YYYY-MM-DD, not '") +
                        pinned + "'";
    return std::nullopt;
  }
  return std::chrono::year_month_day{
      std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())};
}

void ApplySuppressions(const MeshModel& model, const RunOptions& run,
                       const SuppressOptions& options, std::vector<Finding>& findings) {
  std::vector<Finding> extra;
  Reporter report(run, extra);

  // Annotations: suppressions per object (fully qualified name → rule →
  // annotation), and findings about the ones that cannot work.
  std::map<std::string, std::map<std::string, const Located<std::string>*, std::less<>>>
      inline_by_object;
  model.ForEachMeta([&](const ObjectMeta& meta) {
    for (const auto& [key, value] : meta.meshlint_annotations) {
      const std::string rule_id = key.substr(kSuppressionAnnotationPrefix.size());
      Diagnostic d;
      d.loc = value.loc;
      d.object = meta.ref;
      d.field = "metadata.annotations." + key;
      if (!options.inline_enabled) {
        d.message = "Annotation " + key + " on " + Describe(meta.ref) +
                    " is ignored: in-manifest suppressions are disabled for this project "
                    "(--no-inline-suppressions or inlineSuppressions: false). Fix the finding, "
                    "or ask for a suppression in the project's .meshlint.yaml.";
        report.Report(kInlineIgnored, std::move(d));
        continue;
      }
      if (!FindRule(rule_id)) {
        const std::string named =
            rule_id.empty() ? std::string("no rule") : "no meshlint rule '" + rule_id + "'";
        d.message = "Annotation " + key + " on " + Describe(meta.ref) + " names " + named +
                    ", so it suppresses nothing. Correct the rule id (see 'meshlint rules') or "
                    "remove the annotation.";
        report.Report(kUnknownRule, std::move(d));
        continue;
      }
      if (IsSuppressionRule(rule_id)) {
        d.message = "Annotation " + key + " on " + Describe(meta.ref) + " names " + rule_id +
                    ", a rule about suppressions whose findings cannot be suppressed, so it "
                    "suppresses nothing. Remove the annotation (the rule can be turned off in "
                    ".meshlint.yaml).";
        report.Report(kUnknownRule, std::move(d));
        continue;
      }
      if (Blank(value.value)) {
        d.message = "Annotation " + key + " on " + Describe(meta.ref) +
                    " gives no reason, so it suppresses nothing. Write why the finding is "
                    "acceptable as the annotation's value.";
        report.Report(kWithoutReason, std::move(d));
        continue;
      }
      inline_by_object[meta.ref.FullyQualifiedName()].emplace(rule_id, &value);
    }
  });

  // Central suppressions that still apply; expired ones say so.
  std::vector<Central> central;
  if (options.config) {
    for (const ConfigSuppression& s : options.config->suppressions) {
      if (s.expires && s.expires->value < options.today) {
        Diagnostic d;
        d.loc = s.expires->loc;
        d.loc.file = options.config_file;
        d.field = "suppressions";
        d.message = "Suppression of " + s.rule.value +
                    (s.object ? " for objects matching '" + s.object->value + "'" : std::string()) +
                    " expired on " + FormatIsoDate(s.expires->value) +
                    ", so those findings are reported again. Fix them, or renew the suppression "
                    "with a new expires date and reason.";
        report.Report(kExpired, std::move(d));
        continue;
      }
      Central c{&s, nullptr};
      if (s.object) {
        c.object = std::make_unique<RE2>(s.object->value, RE2::Quiet);
        if (!c.object->ok()) continue;  // ValidateConfig rejected it already
      }
      central.push_back(std::move(c));
    }
  }

  for (Finding& f : findings) {
    if (f.suppression) continue;
    const std::string fqn =
        f.diag.object.empty() ? std::string() : f.diag.object.FullyQualifiedName();
    if (!f.diag.object.empty()) {
      if (auto obj = inline_by_object.find(fqn); obj != inline_by_object.end()) {
        if (auto it = obj->second.find(f.rule_id); it != obj->second.end()) {
          f.suppression =
              Suppression{Suppression::Kind::kInSource, it->second->value, it->second->loc};
          continue;
        }
      }
    }
    for (const Central& c : central) {
      if (c.entry->rule.value != f.rule_id) continue;
      if (c.object && !RE2::FullMatch(fqn, *c.object)) continue;
      Location loc = c.entry->loc;
      loc.file = options.config_file;
      f.suppression = Suppression{Suppression::Kind::kExternal, c.entry->reason.value, loc};
      break;
    }
  }

  if (!extra.empty()) {
    findings.insert(findings.end(), std::make_move_iterator(extra.begin()),
                    std::make_move_iterator(extra.end()));
    SortFindings(model, findings);
  }
}

}  // namespace meshlint
