// Suppressions: after the model rules ran, findings that an annotation on
// their object (`ignore.meshlint.io/<rule-id>: "<reason>"`) or an entry of the
// project config accepts are marked suppressed. Suppressions that cannot work
// (no reason, unknown rule, expired, inline ones while those are disabled) are
// reported by the run-phase rules about suppressions (rules/suppression-*,
// rules/inline-suppression-ignored), which classify them with the functions
// below, so that what is reported and what is applied never disagree.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/config.h"
#include "engine/finding.h"
#include "engine/rule.h"
#include "model/model.h"

namespace meshlint {

inline constexpr std::string_view kSuppressionAnnotationPrefix = "ignore.meshlint.io/";

// What one ignore.meshlint.io/<rule-id> annotation does in a run, in the
// order the cases are decided.
enum class AnnotationUse {
  kInlineDisabled,  // in-manifest suppressions are disabled for the run
  kUnknownRule,     // <rule-id> is no meshlint rule (or empty)
  kRunPhaseRule,    // a rule about suppressions, whose findings cannot be suppressed
  kNoReason,        // the value (the reason) is blank
  kSuppresses,      // it suppresses <rule-id>'s findings on its object
};
AnnotationUse ClassifyAnnotation(std::string_view key, std::string_view reason,
                                 bool inline_enabled);

// Calls fn(meta, key, value) for every ignore.meshlint.io/ annotation of
// every object, in model order.
template <typename Fn>
void ForEachSuppressionAnnotation(const MeshModel& model, Fn fn) {
  model.ForEachMeta([&](const ObjectMeta& meta) {
    for (const auto& [key, value] : meta.meshlint_annotations) fn(meta, key, value);
  });
}

// A finding about one annotation: where it is written, on its object, with the
// annotation as the field.
Diagnostic AnnotationDiagnostic(const ObjectMeta& meta, const std::string& key,
                                const Located<std::string>& value);

// A config suppression whose last day lies before `today` applies no more.
bool Expired(const ConfigSuppression& s, std::chrono::year_month_day today);

// "Sidecar 'team-a/default'", "Namespace 'team-a'": objects in messages.
std::string DescribeObject(const ObjectRef& ref);

// Marks the findings that a usable annotation or a current config
// suppression accepts (the annotation wins over the config).
void ApplySuppressions(const RunContext& run, std::vector<Finding>& findings);

// Today's date in UTC, or MESHLINT_TODAY (YYYY-MM-DD) when set, so that tests
// and reproducible CI runs can pin it. Nullopt with a message when
// MESHLINT_TODAY is malformed.
std::optional<std::chrono::year_month_day> Today(std::string* error);
std::string FormatIsoDate(std::chrono::year_month_day date);

}  // namespace meshlint
