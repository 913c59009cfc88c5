// suppression-unknown-rule: an annotation names no rule it could suppress (a
// typo, a removed rule, or a rule about suppressions themselves).
#include "engine/suppress.h"
#include "rules/rules.h"

namespace meshlint::rules {

void CheckSuppressionUnknownRule(const RunContext& run, FindingSink& sink) {
  ForEachSuppressionAnnotation(run.model, [&](const ObjectMeta& meta, const std::string& key,
                                              const Located<std::string>& value) {
    const AnnotationUse use = ClassifyAnnotation(key, value.value, run.inline_suppressions);
    if (use != AnnotationUse::kUnknownRule && use != AnnotationUse::kRunPhaseRule) return;
    const std::string rule_id = key.substr(kSuppressionAnnotationPrefix.size());
    Diagnostic d = AnnotationDiagnostic(meta, key, value);
    if (use == AnnotationUse::kUnknownRule) {
      const std::string named =
          rule_id.empty() ? std::string("no rule") : "no meshlint rule '" + rule_id + "'";
      d.message = "Annotation " + key + " on " + DescribeObject(meta.ref) + " names " + named +
                  ", so it suppresses nothing. Correct the rule id (see 'meshlint rules') or "
                  "remove the annotation.";
    } else {
      d.message = "Annotation " + key + " on " + DescribeObject(meta.ref) + " names " + rule_id +
                  ", a rule about suppressions whose findings cannot be suppressed, so it "
                  "suppresses nothing. Remove the annotation (the rule can be turned off in "
                  ".meshlint.yaml).";
    }
    sink.Report(std::move(d));
  });
}

}  // namespace meshlint::rules
