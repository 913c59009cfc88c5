// inline-suppression-ignored: the project disabled in-manifest suppressions,
// so every ignore.meshlint.io/ annotation is reported instead of applied.
#include "engine/suppress.h"
#include "rules/rules.h"

namespace meshlint::rules {

void CheckInlineSuppressionIgnored(const RunContext& run, FindingSink& sink) {
  ForEachSuppressionAnnotation(run.model, [&](const ObjectMeta& meta, const std::string& key,
                                              const Located<std::string>& value) {
    if (ClassifyAnnotation(key, value.value, run.inline_suppressions) !=
        AnnotationUse::kInlineDisabled)
      return;
    Diagnostic d = AnnotationDiagnostic(meta, key, value);
    d.message = "Annotation " + key + " on " + DescribeObject(meta.ref) +
                " is ignored: in-manifest suppressions are disabled for this project "
                "(--no-inline-suppressions or inlineSuppressions: false). Fix the finding, "
                "or ask for a suppression in the project's .meshlint.yaml.";
    sink.Report(std::move(d));
  });
}

}  // namespace meshlint::rules
