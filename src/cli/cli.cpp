#include "cli/cli.h"

#include <boost/program_options.hpp>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <optional>

#include "cli/file_output.h"
#include "cli/output.h"
#include "cli/settings.h"
#include "egress/egress.h"
#include "engine/lint.h"
#include "report/egress_report.h"
#include "report/report.h"

namespace meshlint {
namespace po = boost::program_options;

namespace {

constexpr const char* kUsage =
    "meshlint: static policy linter and egress auditor for Istio manifests\n"
    "\n"
    "Usage:\n"
    "  meshlint lint [PATH...] [options]   lint manifests (files, directories, - for stdin)\n"
    "  meshlint egress [PATH...] [options] which namespaces reach which external hosts;\n"
    "                                      --from NS --to HOST explains one answer\n"
    "  meshlint rules [--format F]         list the rules\n"
    "  meshlint explain RULE               print a rule's documentation\n"
    "  meshlint --version | --help\n"
    "\n"
    "Run 'meshlint lint --help' for the lint options.\n"
    "Exit status: 0 no finding at or above --fail-on, 1 such findings, 2 usage error\n"
    "or unreadable path. egress --from/--to: 0 reachable, 1 not reachable.\n";

// What the loader decided about the inputs (a file read once though linked
// twice): on stderr, never in the report.
void PrintInputNotes(const MeshModel& model, std::ostream& err) {
  for (const InputNote& n : model.input_notes)
    err << "meshlint: note: " << TerminalSafe(n.path + ": " + n.message) << '\n';
}

po::options_description LintOptions() {
  po::options_description o("lint options");
  o.add_options()("help,h", "show this help")(
      "severity", po::value<std::vector<std::string>>()->composing(),
      "RULE=LEVEL: run RULE at LEVEL (error | warning | note | off); repeatable")(
      "disable", po::value<std::vector<std::string>>()->composing(),
      "turn RULE off; repeatable");
  AddLoadOptions(o);
  o.add_options()("policy", po::value<std::string>(),
                  "egress policy FILE: enables egress-not-allowed (README: Egress audit)");
  AddSettingsOptions(o);  // config, suppressions, --context: cli/settings.cpp
  o.add(ReportOptions());  // formats, reports, baselines, --fail-on: cli/output.cpp
  return o;
}

// Parses `options` plus any number of positional PATHs (stored as "path").
po::variables_map ParseWithPaths(const std::vector<std::string>& args,
                                 const po::options_description& options) {
  po::options_description hidden;
  hidden.add_options()("path", po::value<std::vector<std::string>>());
  po::options_description all;
  all.add(options).add(hidden);
  po::positional_options_description positional;
  positional.add("path", -1);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
  po::notify(vm);
  return vm;
}

std::vector<std::string> Positional(const po::variables_map& vm) {
  if (!vm.count("path")) return {};
  return vm["path"].as<std::vector<std::string>>();
}

int Lint(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const auto started = std::chrono::steady_clock::now();
  po::options_description options = LintOptions();
  po::variables_map vm = ParseWithPaths(args, options);
  if (vm.count("help")) {
    out << "Usage: meshlint lint [PATH...] [options]\n\n"
           "Lints Kubernetes/Istio manifests: files, directories (walked for .yaml, .yml,\n"
           ".json), or - for stdin; no PATH means the current directory.\n\n"
        << options;
    return kExitClean;
  }

  // Flags first, so that a typo fails before anything is read.
  ReportPlan report = ParseReportOptions(vm);
  std::optional<ConfigResult> project = LoadConfigOption(vm, err);
  if (!project) return kExitUsage;
  const ProjectConfig* config = project->config ? &*project->config : nullptr;
  ApplyConfigGate(config, report);
  const LintRequest request = RequestFromFlags(vm, Positional(vm), config);
  // Entries of a baseline outside the named files are not "gone".
  if (request.report_only) report.count_stale = false;

  LintResult result = Lint(request);
  PrintInputNotes(result.model, err);
  for (const Problem& p : result.policy_problems) WriteProblem(err, result.model.files, p);
  if (!result.policy_problems.empty()) return kExitUsage;
  for (const Problem& p : result.input_problems) WriteProblem(err, result.model.files, p);
  return FinishLint(report, result, started, out, err);
}

// The egress report, or the --from/--to explanation, to `sink`; the exit status.
int WriteEgress(const po::variables_map& vm, const LintResult& r, std::ostream& sink) {
  const std::string format = vm["format"].as<std::string>();
  const egress::CompiledPolicy* policy = r.policy.get();
  egress::EgressAnalysis analysis(r.model);
  if (vm.count("from")) {
    egress::Explanation ex =
        analysis.Explain(vm["from"].as<std::string>(), vm["to"].as<std::string>());
    if (format == "json") WriteExplanationJson(sink, r.model, ex, policy);
    else WriteExplanationText(sink, r.model, ex, policy);
    return ex.reachable ? kExitClean : kExitFindings;
  }
  EgressReportOptions options;
  options.expand = vm.count("expand") != 0;
  options.policy = policy;
  if (format == "json") WriteEgressJson(sink, analysis, options);
  else WriteEgressText(sink, analysis, options);
  return policy && CountPolicyViolations(analysis, *policy) > 0 ? kExitFindings : kExitClean;
}

// meshlint egress: the reachability report, or one --from/--to question.
int Egress(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  po::options_description o("egress options");
  o.add_options()("help,h", "show this help")(
      "format,f", po::value<std::string>()->default_value("text"), "text | json")(
      "output,o", po::value<std::string>(), "write the report to FILE instead of stdout")(
      "from", po::value<std::string>(), "NAMESPACE: explain whether it reaches --to")(
      "to", po::value<std::string>(), "HOST: the external host to explain (with --from)")(
      "policy", po::value<std::string>(), "egress policy FILE: mark disallowed pairs")(
      "expand", "list every host under every namespace (no host groups)");
  AddLoadOptions(o);
  AddConfigOptions(o);  // the project config: cli/settings.cpp
  po::variables_map vm = ParseWithPaths(args, o);
  if (vm.count("help")) {
    out << "Usage: meshlint egress [PATH...] [options]\n"
           "       meshlint egress [PATH...] --from NAMESPACE --to HOST\n\n"
           "Reports, per namespace, the outbound mode, the Sidecar that applies and the\n"
           "external hosts it can reach with the ServiceEntry that provides each. With\n"
           "--from/--to: the chain of reasons for one answer; exit 0 reachable, 1 not.\n"
           "Without: exit 0, or 1 when --policy is given and some pair violates it.\n\n"
        << o;
    return kExitClean;
  }
  const std::string format = vm["format"].as<std::string>();
  if (format != "text" && format != "json")
    throw UsageError("--format must be text or json for egress, got '" + format + "'");
  if (vm.count("from") != vm.count("to"))
    throw UsageError("--from and --to go together: meshlint egress --from NAMESPACE --to HOST");
  if (vm.count("from") &&
      (vm["from"].as<std::string>().empty() || vm["to"].as<std::string>().empty()))
    throw UsageError("--from and --to need a namespace and a host name");

  // The project config applies as for lint (namespaces, mesh config, globs,
  // egressPolicy); flags win.
  std::optional<ConfigResult> project = LoadConfigOption(vm, err);
  if (!project) return kExitUsage;
  const LintResult r = LoadForLint(
      RequestFromFlags(vm, Positional(vm), project->config ? &*project->config : nullptr));
  PrintInputNotes(r.model, err);
  for (const Problem& p : r.input_problems) WriteProblem(err, r.model.files, p);
  if (!r.input_problems.empty()) return kExitUsage;
  for (const Problem& p : r.policy_problems) WriteProblem(err, r.model.files, p);
  if (!r.policy_problems.empty()) return kExitUsage;
  if (!r.model.problems.empty())
    err << "meshlint: " << r.model.problems.size()
        << " input problem(s) ignored here; run 'meshlint lint' to see them\n";

  int status = kExitClean;
  const auto render = [&](std::ostream& sink) { status = WriteEgress(vm, r, sink); };
  if (vm.count("output")) {
    if (auto failed = WriteOutputFile(vm["output"].as<std::string>(), render)) {
      err << "meshlint: " << TerminalSafe(*failed) << '\n';
      return kExitUsage;
    }
    return status;
  }
  render(out);
  return status;  // RunCli checks that stdout took it
}

int Rules(const std::vector<std::string>& args, std::ostream& out) {
  po::options_description o("rules options");
  o.add_options()("format,f", po::value<std::string>()->default_value("text"),
                  "text | markdown | json")("help,h", "show this help");
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(o).run(), vm);
  po::notify(vm);
  if (vm.count("help")) {
    out << "Usage: meshlint rules [--format text|markdown|json]\n\n" << o;
    return kExitClean;
  }
  const std::string format = vm["format"].as<std::string>();
  if (format == "text") WriteRulesText(out);
  else if (format == "markdown") WriteRulesMarkdown(out);
  else if (format == "json") WriteRulesJson(out);
  else throw UsageError("--format must be text, markdown or json, got '" + format + "'");
  return kExitClean;
}

int Explain(const std::vector<std::string>& args, std::ostream& out) {
  if (args.size() != 1 || args[0].starts_with("-"))
    throw UsageError("usage: meshlint explain RULE (see 'meshlint rules')");
  out << RequireRule(args[0]).doc;
  return kExitClean;
}

// Lint and egress show paths relative to the working directory and look for
// .meshlint.yaml from there: without one (deleted under the shell) they
// cannot run.
void RequireWorkingDirectory() {
  std::error_code ec;
  (void)std::filesystem::current_path(ec);
  if (ec)
    throw UsageError("the working directory cannot be read (" + ec.message() +
                     "): run meshlint from a directory that exists");
}

int Dispatch(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty()) {
    err << kUsage;
    return kExitUsage;
  }
  const std::string& command = args.front();
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (command == "--help" || command == "-h" || command == "help") {
    out << kUsage;
    return kExitClean;
  }
  if (command == "--version" || command == "version") {
    out << kToolName << ' ' << kToolVersion << '\n';
    return kExitClean;
  }
  if (command == "lint" || command == "egress") RequireWorkingDirectory();
  if (command == "lint") return Lint(rest, out, err);
  if (command == "egress") return Egress(rest, out, err);
  if (command == "rules") return Rules(rest, out);
  if (command == "explain") return Explain(rest, out);
  throw UsageError("unknown command '" + command + "'");
}

}  // namespace

int RunCli(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  const std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
  int status = kExitUsage;
  // Every message here may quote an argument: TerminalSafe, like every other
  // line meshlint prints.
  try {
    status = Dispatch(args, out, err);
  } catch (const UsageError& e) {
    err << "meshlint: " << TerminalSafe(e.what()) << "\n(run 'meshlint --help')\n";
  } catch (const po::error& e) {
    err << "meshlint: " << TerminalSafe(e.what()) << "\n(run 'meshlint --help')\n";
  } catch (const std::exception& e) {
    // Not expected (the fuzz targets treat it as a bug), but never an abort:
    // CI must see exit 2 and a reason, not a core dump.
    err << "meshlint: internal error: " << TerminalSafe(e.what()) << '\n';
    status = kExitUsage;
  }
  // What went to stdout must have arrived: `meshlint rules > /dev/full` is
  // no success. (lint reports its own report's failure, with status 2.)
  if (!out.flush() && status != kExitUsage) {
    const std::string why = StreamFailure(out);
    err << "meshlint: error writing to stdout" << (why.empty() ? "" : ": " + why) << '\n';
    status = kExitUsage;
  }
  err.flush();
  return status;
}

}  // namespace meshlint
