// Renders findings. The only code that touches nlohmann_json.
//
// Every writer shows a finding at its location when HasPosition() says it
// has one. Project-level findings (Diagnostic::project_level: "no mesh config
// anywhere") have none: text prints them without a position, JSON with
// "file": null, SARIF with a logical location only (valid for GitHub code
// scanning's ingestion rules), GitHub annotations without file=, GitLab at
// the repository root ".", which Code Quality requires. Only selecting
// findings by file (lint --context) looks at the flag; no writer infers
// anything from a location's coordinates.
#pragma once

#include <chrono>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/finding.h"
#include "engine/rule.h"
#include "model/model.h"
#include "model/problem.h"

namespace meshlint {

inline constexpr const char* kToolName = "meshlint";
inline constexpr const char* kToolVersion = "0.1.0";
inline constexpr const char* kToolUri = "https://github.com/meshlint/meshlint";

struct ReportContext {
  const MeshModel& model;
  std::span<const Finding> findings;
  // Absolute directory that SARIF URIs are relative to (%SRCROOT%).
  std::string source_root;
  // Inputs that could not be read (LintResult::input_problems), located in
  // model.files: SARIF notifications, and the run did not succeed.
  std::span<const Problem> problems;
  std::chrono::milliseconds elapsed{0};
  // One per finding (ComputeFingerprints), when the caller already has them;
  // empty: each writer computes them. Baseline filtering keeps the numbering
  // of the full run, so the caller passes them along with the kept findings.
  std::span<const std::string> fingerprints{};
  // SARIF runs[0].automationDetails.id ("" leaves it out).
  std::string automation_id{};
  // Findings left out because the baseline holds them (summary, SARIF).
  std::size_t baselined = 0;
  // Baseline entries that no longer occur (summary: time to refresh it).
  std::size_t baseline_stale = 0;
  std::string baseline_file{};  // "" when no baseline is in use
  // Text output: print suppressed findings too (they are always counted).
  bool show_suppressed = false;
  // Text output: ANSI colours for the location, severity and rule id.
  bool color = false;
  // Text output: the terminal's width, to wrap lines at (0: never wrap).
  std::size_t wrap_width = 0;
  // Text output: per rule its counts and first finding, then the totals
  // (--summary), instead of every finding.
  bool summary = false;
};

// "inSource" or "external", as SARIF and the JSON output name them.
std::string_view SuppressionKindName(Suppression::Kind kind);

// `path:line:col: severity [rule-id] message`, one line per finding
// (wrapped at ctx.wrap_width); with ctx.summary, WriteTextSummary.
void WriteText(std::ostream& out, const ReportContext& ctx);
// --summary: for each rule, most severe and most frequent first, a line
// `rule-id: N errors, M warnings` and its first finding (indented), then
// one line of totals.
void WriteTextSummary(std::ostream& out, const ReportContext& ctx);
// Continuation lines of a wrapped finding start with this many spaces.
inline constexpr std::size_t kWrapIndent = 4;
// `head`, a space and `body` as one line, or, with `width` > 0, as lines of
// at most `width` columns where the words allow: `head` (the location,
// severity and rule) is never broken, the body is broken at spaces only,
// and continuation lines are indented by kWrapIndent.
void WriteWrapped(std::ostream& out, std::string_view head, std::string_view body,
                  std::size_t width);
// The documented JSON schema (README: "JSON output").
void WriteJson(std::ostream& out, const ReportContext& ctx);
// SARIF 2.1.0 as GitHub code scanning ingests it.
void WriteSarif(std::ostream& out, const ReportContext& ctx);
// GitHub Actions workflow commands (::error file=...::message), one a line.
void WriteGithub(std::ostream& out, const ReportContext& ctx);
// GitLab Code Quality report (a JSON array).
void WriteGitlab(std::ostream& out, const ReportContext& ctx);
// For people, on stderr: counts by severity and by rule, files and objects,
// time, and what the baseline hid.
void WriteSummary(std::ostream& out, const ReportContext& ctx);

// The report formats `--format` and `--report` accept, for usage messages.
inline constexpr const char* kReportFormats = "text | json | sarif | github | gitlab";
// Writes `format` (one of kReportFormats); false for an unknown name.
bool WriteReport(std::string_view format, std::ostream& out, const ReportContext& ctx);

// Rule listings for `meshlint rules`.
void WriteRulesText(std::ostream& out);
void WriteRulesMarkdown(std::ostream& out);
void WriteRulesJson(std::ostream& out);

// "path:line:col: message" ("path: message" for a whole file, loc.line 0;
// the message alone when loc.file is not in `files`). Unescaped: JSON and
// SARIF quote it.
std::string ProblemText(const FileTable& files, const Problem& problem);
// "meshlint: <ProblemText>" on a line of its own, safe for a terminal: how
// every problem that stops or spoils a run is told on stderr.
void WriteProblem(std::ostream& err, const FileTable& files, const Problem& problem);

// Text from manifests (and file names) made safe for a terminal: control
// characters (so escape sequences), C1 controls and bidi overrides are shown
// as \xNN or \uNNNN instead of being interpreted, and bytes that are not
// UTF-8 as \xNN. Every line of text output goes through it.
std::string TerminalSafe(std::string_view text);
// TerminalSafe(text) appended to `out`, without a string of its own.
void AppendTerminalSafe(std::string& out, std::string_view text);

// A stable opaque digest of a finding's identity (rule + object + field).
std::string Fingerprint(const Finding& finding);

// The identity a fingerprint digests: rule + object + field; for findings
// about no object (a file that does not parse) the file's display path
// stands in for the object. Never a line number, so it survives edits above.
std::string FingerprintKey(const MeshModel& model, const Finding& finding);
// The fingerprint of every finding, in order: the digest of FingerprintKey,
// plus ":N" on the Nth finding (N >= 2) with an identical key, so each is
// unique within a run. SARIF, JSON, GitLab and baselines all use these.
std::vector<std::string> ComputeFingerprints(const MeshModel& model,
                                             std::span<const Finding> findings);

// Baselines: the findings a team has accepted, by fingerprint (README,
// "Baselines"). A JSON file sorted by rule, object and field, one finding per
// entry with its message, so that it reads and diffs well.
void WriteBaseline(std::ostream& out, const ReportContext& ctx);
// The fingerprints a baseline holds. Returns false and sets `error` when the
// text is not a meshlint baseline.
bool ReadBaseline(std::string_view text, std::vector<std::string>& fingerprints,
                  std::string& error);

}  // namespace meshlint
