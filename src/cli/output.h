// What `lint` writes where, and its exit status: the output formats, extra
// report files, the baseline and the summary. Kept apart from cli.cpp so the
// CI-facing surface is in one place.
#pragma once

#include <boost/program_options.hpp>
#include <chrono>
#include <iosfwd>
#include <set>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "engine/finding.h"
#include "engine/lint.h"
#include "model/model.h"

namespace meshlint {

// --format, --output, --report, --fail-on, --baseline, --write-baseline,
// --automation-id, --quiet.
boost::program_options::options_description ReportOptions();

struct ReportPlan {
  std::string format = "text";  // written to stdout, or to `output`
  std::string output;           // "" for stdout
  // Extra reports (--report FORMAT=FILE), in command-line order.
  std::vector<std::pair<std::string, std::string>> reports;
  std::optional<Severity> fail_on = Severity::kWarning;  // nullopt: never
  bool fail_on_given = false;  // --fail-on given: it wins over the config's failOn
  std::string baseline;        // --baseline FILE, "" for none
  std::set<std::string> baseline_fingerprints;
  std::string write_baseline;  // --write-baseline FILE, "" for none
  std::string automation_id;
  bool quiet = false;
  bool show_suppressed = false;  // text: list suppressed findings too
  bool color = false;            // text on stdout: coloured (--color, cli/color.h)
  std::size_t wrap_width = 0;    // text on stdout: the terminal's width (0: no wrap)
  bool summary = false;          // --summary: text reports per rule
  // Whether baseline entries that match nothing are counted (not when only
  // part of the findings is reported, as with --context).
  bool count_stale = true;
};

// Checks the options and reads the baseline, before any input is loaded, so
// that a typo fails fast. Throws boost::program_options::error (usage, exit 2).
ReportPlan ParseReportOptions(const boost::program_options::variables_map& vm);

// The project config's failOn, unless --fail-on was given.
void ApplyConfigGate(const ProjectConfig* config, ReportPlan& plan);

// Drops baselined findings, writes the baseline, every report and the summary
// (stderr), and returns the exit status: 2 when an input could not be read or
// a report not written, else 1 when a reported finding is at or above
// --fail-on, else 0. The same for every format.
int FinishLint(const ReportPlan& plan, LintResult& result,
               std::chrono::steady_clock::time_point started, std::ostream& out, std::ostream& err);

// Whether the reported findings fail the run under --fail-on: a finding that
// is neither baselined nor suppressed, at or above the threshold. The one
// place that decides exit status 1, whatever the format.
bool FailsGate(const ReportPlan& plan, std::span<const Finding> reported);

}  // namespace meshlint
