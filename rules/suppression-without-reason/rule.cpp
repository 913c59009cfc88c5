// suppression-without-reason: an annotation that does not say why the finding
// is acceptable suppresses nothing, so that every suppression is reviewed.
#include "engine/suppress.h"
#include "rules/rules.h"

namespace meshlint::rules {

void CheckSuppressionWithoutReason(const RunContext& run, FindingSink& sink) {
  ForEachSuppressionAnnotation(run.model, [&](const ObjectMeta& meta, const std::string& key,
                                              const Located<std::string>& value) {
    if (ClassifyAnnotation(key, value.value, run.inline_suppressions) != AnnotationUse::kNoReason)
      return;
    Diagnostic d = AnnotationDiagnostic(meta, key, value);
    d.message = "Annotation " + key + " on " + DescribeObject(meta.ref) +
                " gives no reason, so it suppresses nothing. Write why the finding is "
                "acceptable as the annotation's value.";
    sink.Report(std::move(d));
  });
}

}  // namespace meshlint::rules
