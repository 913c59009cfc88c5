#include "cli/output.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/file_output.h"
#include "cli/settings.h"
#include "loader/read_file.h"
#include "loader/suggest.h"
#include "report/report.h"

namespace meshlint {
namespace po = boost::program_options;

namespace {

bool KnownFormat(std::string_view f) {
  return f == "text" || f == "json" || f == "sarif" || f == "github" || f == "gitlab";
}

// Same file named twice (or once for two reports) would interleave them.
std::string SameFileKey(const std::string& path) {
  std::error_code ec;
  std::filesystem::path p = std::filesystem::absolute(path, ec);
  if (!ec) p = std::filesystem::weakly_canonical(p, ec);
  return ec ? path : p.string();
}

// One report file (cli/file_output.h); false with the reason on `err`.
bool WriteFile(const std::string& path, const std::function<void(std::ostream&)>& write,
               std::ostream& err) {
  if (auto failed = WriteOutputFile(path, write)) {
    err << "meshlint: " << TerminalSafe(*failed) << '\n';
    return false;
  }
  return true;
}

}  // namespace

po::options_description ReportOptions() {
  po::options_description o("output options");
  o.add_options()("format,f", po::value<std::string>()->default_value("text"),
                  "report format on stdout: text | json | sarif | github | gitlab")(
      "output,o", po::value<std::string>(), "write the --format report to FILE instead of stdout")(
      "report", po::value<std::vector<std::string>>()->composing(),
      "FORMAT=FILE: also write a FORMAT report to FILE (e.g. sarif=meshlint.sarif); repeatable")(
      "fail-on", po::value<std::string>()->default_value("warning"),
      "lowest severity that makes the exit status 1: error | warning | note | never")(
      "baseline", po::value<std::string>(),
      "report only findings not recorded in the baseline FILE; the exit status follows them")(
      "write-baseline", po::value<std::string>(),
      "record every finding of this run in FILE as the accepted baseline (exit status 0 "
      "unless an input is unreadable)")(
      "automation-id", po::value<std::string>(),
      "SARIF automationDetails.id, e.g. meshlint/egress/ (one per analysis uploaded for a "
      "commit)")("quiet,q", "no summary on stderr");
  return o;
}

ReportPlan ParseReportOptions(const po::variables_map& vm) {
  ReportPlan plan;
  plan.format = vm["format"].as<std::string>();
  if (!KnownFormat(plan.format))
    throw po::error("--format must be one of " + std::string(kReportFormats) + ", got '" +
                    plan.format + "'" + DidYouMean(plan.format, OptionChoices("lint", "format")));
  if (vm.count("output")) plan.output = vm["output"].as<std::string>();

  std::set<std::string> files;
  if (!plan.output.empty()) files.insert(SameFileKey(plan.output));
  if (vm.count("report")) {
    for (const std::string& spec : vm["report"].as<std::vector<std::string>>()) {
      const auto eq = spec.find('=');
      if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size())
        throw po::error("--report takes FORMAT=FILE (e.g. sarif=meshlint.sarif), got '" + spec +
                        "'");
      std::string format = spec.substr(0, eq), file = spec.substr(eq + 1);
      if (!KnownFormat(format))
        throw po::error("--report format must be one of " + std::string(kReportFormats) +
                        ", got '" + format + "'" +
                        DidYouMean(format, OptionChoices("lint", "format")));
      if (file == "-") throw po::error("--report writes to a file; use --format for stdout");
      if (!files.insert(SameFileKey(file)).second)
        throw po::error("two reports would be written to " + file);
      plan.reports.emplace_back(std::move(format), std::move(file));
    }
  }

  const std::string fail_on = vm["fail-on"].as<std::string>();
  const auto parsed = ParseFailOn(fail_on);
  if (!parsed.known)
    throw po::error("--fail-on must be " + std::string(kFailOnWords) + ", got '" + fail_on + "'" +
                    DidYouMean(fail_on, OptionChoices("lint", "fail-on")));
  plan.fail_on = parsed.severity;
  plan.fail_on_given = !vm["fail-on"].defaulted();
  plan.show_suppressed = vm.count("show-suppressed") != 0;

  plan.summary = vm.count("summary") != 0;
  if (plan.summary && plan.format != "text")
    throw po::error("--summary shapes the text report; --format " + plan.format +
                    " lists every finding");
  if (vm.count("automation-id")) plan.automation_id = vm["automation-id"].as<std::string>();
  plan.quiet = vm.count("quiet") != 0;

  if (vm.count("write-baseline")) {
    plan.write_baseline = vm["write-baseline"].as<std::string>();
    if (files.count(SameFileKey(plan.write_baseline)))
      throw po::error("--write-baseline names a file another report is written to");
  }
  if (vm.count("baseline")) {
    plan.baseline = vm["baseline"].as<std::string>();
    if (files.count(SameFileKey(plan.baseline)))
      throw po::error("--baseline names a file a report is written to");
    std::string text;
    if (auto failed = ReadBounded(plan.baseline, {kMaxManifestFileBytes, false}, text)) {
      std::string_view why = *failed;
      if (why.starts_with("cannot open: ")) why.remove_prefix(13);  // said already
      throw UnusableInput("cannot read baseline " + plan.baseline + ": " + std::string(why));
    }
    std::vector<std::string> fingerprints;
    std::string error;
    if (!ReadBaseline(text, fingerprints, error))
      throw UnusableInput("baseline " + plan.baseline + ": " + error);
    plan.baseline_fingerprints.insert(fingerprints.begin(), fingerprints.end());
  }
  return plan;
}

void ApplyConfigGate(const ProjectConfig* config, ReportPlan& plan) {
  if (!plan.fail_on_given && config && config->fail_on) plan.fail_on = config->fail_on->value;
}

int FinishLint(const ReportPlan& plan, LintResult& result,
               std::chrono::steady_clock::time_point started, std::ostream& out,
               std::ostream& err) {
  const MeshModel& model = result.model;
  std::vector<Finding> findings = std::move(result.findings);
  const std::span<const Problem> input_errors = result.input_problems;
  const std::string root = std::filesystem::current_path().string();
  // Fingerprints of the full run: a baselined finding keeps its number, so
  // the findings after it keep theirs too. Only when something uses them:
  // the text and GitHub reports print none, and they were a quarter of the
  // cost of a text report with thousands of findings.
  const auto prints = [](std::string_view format) {
    return format == "json" || format == "sarif" || format == "gitlab";
  };
  const bool need_fingerprints =
      !plan.baseline.empty() || !plan.write_baseline.empty() || prints(plan.format) ||
      std::any_of(plan.reports.begin(), plan.reports.end(),
                  [&](const auto& report) { return prints(report.first); });
  std::vector<std::string> fingerprints;
  if (need_fingerprints) fingerprints = ComputeFingerprints(model, findings);
  bool ok = true;

  if (!plan.write_baseline.empty() && !input_errors.empty()) {
    // A baseline of a partial run would accept less than the repository has.
    err << "meshlint: baseline " << TerminalSafe(plan.write_baseline)
        << " not written: an input could not be read\n";
  } else if (!plan.write_baseline.empty()) {
    ReportContext all{model, findings, root, input_errors};
    all.fingerprints = fingerprints;
    ok = WriteFile(
             plan.write_baseline, [&](std::ostream& o) { WriteBaseline(o, all); }, err) &&
         ok;
  }

  std::size_t baselined = 0, stale = 0;
  if (!plan.baseline.empty()) {
    std::vector<Finding> kept;
    std::vector<std::string> kept_fps;
    std::set<std::string> matched;
    for (std::size_t i = 0; i < findings.size(); ++i) {
      if (plan.baseline_fingerprints.count(fingerprints[i])) {
        matched.insert(fingerprints[i]);
        ++baselined;
        continue;
      }
      kept.push_back(std::move(findings[i]));
      kept_fps.push_back(std::move(fingerprints[i]));
    }
    if (plan.count_stale) stale = plan.baseline_fingerprints.size() - matched.size();
    findings = std::move(kept);
    fingerprints = std::move(kept_fps);
  }

  ReportContext ctx{model, findings, root, input_errors,
                    std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - started)};
  ctx.fingerprints = fingerprints;
  ctx.automation_id = plan.automation_id;
  ctx.baselined = baselined;
  ctx.baseline_stale = stale;
  ctx.baseline_file = plan.baseline;
  ctx.show_suppressed = plan.show_suppressed;
  ctx.summary = plan.summary;

  if (plan.output.empty()) {
    ctx.color = plan.color;  // stdout only: never in a file
    ctx.wrap_width = plan.wrap_width;
    WriteReport(plan.format, out, ctx);
    ctx.color = false;
    ctx.wrap_width = 0;
    out.flush();
    if (!out) {
      const std::string why = StreamFailure(out);
      err << "meshlint: error writing the report to stdout" << (why.empty() ? "" : ": " + why)
          << '\n';
      ok = false;
    }
  } else {
    ok = WriteFile(
             plan.output, [&](std::ostream& o) { WriteReport(plan.format, o, ctx); }, err) &&
         ok;
  }
  // Not a structured binding: clang before 16 cannot capture one in a lambda,
  // and the sanitizer/fuzz build (ci/test-sanitize) uses clang.
  for (const auto& report : plan.reports) {
    const auto& format = report.first;
    ok = WriteFile(
             report.second, [&](std::ostream& o) { WriteReport(format, o, ctx); }, err) &&
         ok;
  }
  if (!plan.quiet) WriteSummary(err, ctx);

  if (!ok || !input_errors.empty()) return kExitUsage;
  if (!plan.write_baseline.empty()) return kExitClean;
  return FailsGate(plan, findings) ? kExitFindings : kExitClean;
}

bool FailsGate(const ReportPlan& plan, std::span<const Finding> reported) {
  if (!plan.fail_on) return false;
  for (const Finding& f : reported)
    if (!f.suppression && f.severity >= *plan.fail_on) return true;
  return false;
}

}  // namespace meshlint
