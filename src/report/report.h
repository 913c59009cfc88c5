// Renders findings. The only code that touches nlohmann_json.
#pragma once

#include <chrono>
#include <ostream>
#include <span>
#include <string>

#include "engine/finding.h"
#include "engine/rule.h"
#include "model/model.h"

namespace meshlint {

inline constexpr const char* kToolName = "meshlint";
inline constexpr const char* kToolVersion = "0.1.0";
inline constexpr const char* kToolUri = "https://github.com/meshlint/meshlint";

struct ReportContext {
  const MeshModel& model;
  std::span<const Finding> findings;
  // Absolute directory that SARIF URIs are relative to (%SRCROOT%).
  std::string source_root;
  // Problems that are not findings (unreadable paths): SARIF notifications.
  std::span<const std::string> notifications;
  std::chrono::milliseconds elapsed{0};
  // Text output: print suppressed findings too (they are always counted).
  bool show_suppressed = false;
};

// "inSource" or "external", as SARIF and the JSON output name them.
std::string_view SuppressionKindName(Suppression::Kind kind);

// `path:line:col: severity [rule-id] message`, one line per finding.
void WriteText(std::ostream& out, const ReportContext& ctx);
// The documented JSON schema (README: "JSON output").
void WriteJson(std::ostream& out, const ReportContext& ctx);
// SARIF 2.1.0 as GitHub code scanning ingests it.
void WriteSarif(std::ostream& out, const ReportContext& ctx);
// One line for people: counts by severity, files and objects, time.
void WriteSummary(std::ostream& out, const ReportContext& ctx);

// Rule listings for `meshlint rules`.
void WriteRulesText(std::ostream& out);
void WriteRulesMarkdown(std::ostream& out);
void WriteRulesJson(std::ostream& out);

// Text from manifests made safe for a terminal: control characters and escape
// sequences are shown as \xNN instead of being interpreted.
std::string TerminalSafe(std::string_view text);

// A stable opaque digest of a finding's identity (rule + object + field).
std::string Fingerprint(const Finding& finding);

}  // namespace meshlint
