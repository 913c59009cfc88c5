// Shared by the libFuzzer targets: lint a loaded model with every rule and
// render it in every format, checking the properties users rely on. Any
// violation aborts, which libFuzzer reports as a crash with the input saved.
#pragma once

#include "model/model.h"

namespace meshlint::fuzz {

// Finalizes `model`, runs all rules and writes text, JSON and SARIF; aborts
// when an output breaks its promises (control characters in text, JSON or
// SARIF that does not parse, counts that differ, regions before 1:1).
void LintAndReport(MeshModel& model);

}  // namespace meshlint::fuzz
