#include "engine/suppress.h"

#include <re2/re2.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>

namespace meshlint {

namespace {

bool Blank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

// fully qualified object name → rule id → the annotation's value.
using InlineIndex =
    std::map<std::string, std::map<std::string, const Located<std::string>*, std::less<>>>;

InlineIndex IndexAnnotations(const RunContext& run) {
  InlineIndex index;
  ForEachSuppressionAnnotation(run.model, [&](const ObjectMeta& meta, const std::string& key,
                                              const Located<std::string>& value) {
    if (ClassifyAnnotation(key, value.value, run.inline_suppressions) != AnnotationUse::kSuppresses)
      return;
    index[meta.ref.FullyQualifiedName()].emplace(key.substr(kSuppressionAnnotationPrefix.size()),
                                                 &value);
  });
  return index;
}

struct Central {
  const ConfigSuppression* entry;
  std::unique_ptr<RE2> object;  // null: every object
};

// The config's suppressions that still apply.
std::vector<Central> CurrentConfigSuppressions(const RunContext& run) {
  std::vector<Central> central;
  if (!run.config) return central;
  for (const ConfigSuppression& s : run.config->suppressions) {
    if (Expired(s, run.today)) continue;  // suppression-expired says so
    Central c{&s, nullptr};
    if (s.object) {
      c.object = std::make_unique<RE2>(s.object->value, RE2::Quiet);
      if (!c.object->ok()) continue;  // ValidateConfig rejected it already
    }
    central.push_back(std::move(c));
  }
  return central;
}

}  // namespace

AnnotationUse ClassifyAnnotation(std::string_view key, std::string_view reason,
                                 bool inline_enabled) {
  if (!inline_enabled) return AnnotationUse::kInlineDisabled;
  const RuleInfo* rule = FindRule(key.substr(kSuppressionAnnotationPrefix.size()));
  if (!rule) return AnnotationUse::kUnknownRule;
  if (rule->phase == Phase::kRun) return AnnotationUse::kRunPhaseRule;
  if (Blank(reason)) return AnnotationUse::kNoReason;
  return AnnotationUse::kSuppresses;
}

Diagnostic AnnotationDiagnostic(const ObjectMeta& meta, const std::string& key,
                                const Located<std::string>& value) {
  Diagnostic d;
  d.loc = value.loc;
  d.object = meta.ref;
  d.field = "metadata.annotations." + key;
  return d;
}

bool Expired(const ConfigSuppression& s, std::chrono::year_month_day today) {
  return s.expires && s.expires->value < today;
}

std::string DescribeObject(const ObjectRef& ref) {
  return ref.kind + " '" + (ref.ns.empty() ? ref.name : ref.ns + "/" + ref.name) + "'";
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
    if (error)
      *error =
          std::string("MESHLINT_TODAY must be a date written YYYY-MM-DD, not '") + pinned + "'";
    return std::nullopt;
  }
  return std::chrono::year_month_day{
      std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())};
}

void ApplySuppressions(const RunContext& run, std::vector<Finding>& findings) {
  const InlineIndex inline_by_object = IndexAnnotations(run);
  const std::vector<Central> central = CurrentConfigSuppressions(run);
  if (inline_by_object.empty() && central.empty()) return;  // nothing to look up
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
      loc.file = run.config_file;
      f.suppression = Suppression{Suppression::Kind::kExternal, c.entry->reason.value, loc};
      break;
    }
  }
}

}  // namespace meshlint
