// invalid-manifest: input the loader could not use. The loader records each
// problem with its position; this rule turns them into findings, so a broken
// file is reported like any other issue and never stops the run.
#include "rules/rules.h"

namespace meshlint::rules {

void CheckInvalidManifest(const MeshModel& model, FindingSink& sink) {
  for (const LoadProblem& p : model.problems) {
    Diagnostic d;
    d.loc = p.loc;
    d.message = p.message;
    d.object = p.object;
    d.field = p.field;
    sink.Report(std::move(d));
  }
}

}  // namespace meshlint::rules
