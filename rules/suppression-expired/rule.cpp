// suppression-expired: a suppression of the project config past its expires
// date no longer applies; its findings are back and this says why.
#include "engine/suppress.h"
#include "rules/rules.h"

namespace meshlint::rules {

void CheckSuppressionExpired(const RunContext& run, FindingSink& sink) {
  if (!run.config) return;
  for (const ConfigSuppression& s : run.config->suppressions) {
    if (!Expired(s, run.today)) continue;
    Diagnostic d;
    d.loc = s.expires->loc;
    d.loc.file = run.config_file;
    d.field = "suppressions";
    d.message = "Suppression of " + s.rule.value +
                (s.object ? " for objects matching '" + s.object->value + "'" : std::string()) +
                " expired on " + FormatIsoDate(s.expires->value) +
                ", so those findings are reported again. Fix them, or renew the suppression "
                "with a new expires date and reason.";
    sink.Report(std::move(d));
  }
}

}  // namespace meshlint::rules
