// Suppressions: after the rules ran, findings that an annotation on their
// object (`ignore.meshlint.io/<rule-id>: "<reason>"`) or an entry of the
// project config accepts are marked suppressed. Suppressions that cannot work
// (no reason, unknown rule, expired, inline ones while those are disabled) are
// reported as findings of their own rules.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "engine/config.h"
#include "engine/finding.h"
#include "engine/runner.h"
#include "model/model.h"

namespace meshlint {

inline constexpr std::string_view kSuppressionAnnotationPrefix = "ignore.meshlint.io/";

// The rules about suppressions themselves. Their findings cannot be
// suppressed (they would hide why a suppression does not work); they can be
// turned off under `rules:`.
bool IsSuppressionRule(std::string_view rule_id);

struct SuppressOptions {
  // Central suppressions; null when there is no project config.
  const ProjectConfig* config = nullptr;
  // FileTable index of the config file, for findings that point into it.
  std::uint32_t config_file = 0;
  // false: annotations suppress nothing and each is reported.
  bool inline_enabled = true;
  // Suppressions whose `expires` lies before this day no longer apply.
  std::chrono::year_month_day today{};
};

// Marks suppressed findings, appends the findings about suppressions (at the
// severities `run` gives their rules) and restores report order.
void ApplySuppressions(const MeshModel& model, const RunOptions& run,
                       const SuppressOptions& options, std::vector<Finding>& findings);

// Today's date in UTC, or MESHLINT_TODAY (YYYY-MM-DD) when set, so that tests
// and reproducible CI runs can pin it. Nullopt with a message when
// MESHLINT_TODAY is malformed.
std::optional<std::chrono::year_month_day> Today(std::string* error);
std::string FormatIsoDate(std::chrono::year_month_day date);

}  // namespace meshlint
