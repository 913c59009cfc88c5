// Shared by the libFuzzer targets: lint a loaded model with every rule and
// render it in every format, checking the properties users rely on. Any
// violation aborts, which libFuzzer reports as a crash with the input saved.
#pragma once

#include <cstddef>

#include "model/model.h"

namespace meshlint::fuzz {

// Finalizes `model`, runs all rules and writes text, JSON and (when `sample`
// is a multiple of 8) SARIF; aborts when an output breaks its promises
// (control characters in text, JSON or SARIF that does not parse, counts
// that differ, regions before 1:1). `sample`: any number derived from the
// input alone, e.g. SampleOf(data, size).
void LintAndReport(MeshModel& model, std::size_t sample);

// A cheap digest of the input: which inputs also get the SARIF check.
inline std::size_t SampleOf(const unsigned char* data, std::size_t size) {
  std::size_t h = size;
  for (std::size_t i = 0; i < size && i < 64; ++i) h = h * 31 + data[i];
  return h;
}

}  // namespace meshlint::fuzz
