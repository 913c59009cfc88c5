#include "cli/cli.h"

#include <algorithm>
#include <boost/program_options.hpp>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <optional>

#include "cli/color.h"
#include "cli/commands.h"
#include "cli/egress_diff.h"
#include "cli/file_output.h"
#include "cli/held.h"
#include "cli/help.h"
#include "cli/output.h"
#include "cli/settings.h"
#include "egress/egress.h"
#include "engine/lint.h"
#include "loader/suggest.h"
#include "report/egress_report.h"
#include "report/report.h"

namespace meshlint {
namespace po = boost::program_options;

namespace {

// What the loader decided about the inputs (a file read once though linked
// twice): on stderr, never in the report.
void PrintInputNotes(const MeshModel& model, std::ostream& err) {
  for (const InputNote& n : model.input_notes)
    err << "meshlint: note: " << TerminalSafe(n.path + ": " + n.message) << '\n';
}

// --verbose: every file and document that was read but not linted, and why
// (Helm values, an Ansible list, a chart's template, a kustomization's
// patch, an excluded file), on stderr in input order.
void PrintSkipped(const MeshModel& model, std::ostream& err) {
  for (const auto& [path, why] : model.load_report.not_linted)
    err << "meshlint: skipped: " << TerminalSafe(path + ": " + why) << '\n';
  for (const SkippedDocument& s : model.skipped)
    err << "meshlint: skipped: "
        << TerminalSafe(ProblemText(model.files, {s.loc, s.reason, {}, ""})) << '\n';
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
  po::variables_map vm = ParseWithPaths(args, CommandOptions("lint").All());
  if (vm.count("help")) {
    WriteCommandHelp(out, *FindCommand("lint"));
    return kExitClean;
  }

  // Flags first, so that a typo fails before anything is read.
  ReportPlan report = ParseReportOptions(vm);
  report.color = UseColor(ParseColorWhen(vm["color"].as<std::string>()), out);
  report.wrap_width = TerminalColumns(out);
  std::optional<ConfigResult> project = LoadConfigOption(vm, err);
  if (!project) return kExitUsage;
  const ProjectConfig* config = project->config ? &*project->config : nullptr;
  ApplyConfigGate(config, report);
  const LintRequest request = RequestFromFlags(vm, Positional(vm), config);
  // Entries of a baseline outside the named files are not "gone".
  if (request.report_only) report.count_stale = false;

  const Held<LintResult> result = MakeHeld<LintResult>(Lint(request));
  PrintInputNotes(result->model, err);
  if (vm.count("verbose")) PrintSkipped(result->model, err);
  for (const Problem& p : result->policy_problems) WriteProblem(err, result->model.files, p);
  if (!result->policy_problems.empty()) return kExitUsage;
  for (const Problem& p : result->input_problems) WriteProblem(err, result->model.files, p);
  return FinishLint(report, *result, started, out, err);
}

// The egress report, or the --from/--to explanation, to `sink`; the exit status.
int WriteEgress(const po::variables_map& vm, const LintResult& r, std::optional<Severity> fail_on,
                std::ostream& sink) {
  const std::string format = vm["format"].as<std::string>();
  const egress::CompiledPolicy* policy = r.policy.get();
  const Held<egress::EgressAnalysis> held = MakeHeld<egress::EgressAnalysis>(r.model);
  egress::EgressAnalysis& analysis = *held;
  if (vm.count("from")) {
    egress::Explanation ex =
        analysis.Explain(vm["from"].as<std::string>(), vm["to"].as<std::string>());
    if (ex.unknown_workload)
      throw UsageError("--from " + vm["from"].as<std::string>() + ": no workload " + ex.workload +
                       " in namespace " + ex.ns +
                       " in the inputs (NAMESPACE/Kind/name, e.g. shop/Deployment/web)");
    if (format == "json") WriteExplanationJson(sink, r.model, ex, policy);
    else WriteExplanationText(sink, r.model, ex, policy);
    return ex.reachable ? kExitClean : kExitFindings;
  }
  if (format == "markdown" || format == "html") return WriteEgressPicture(format, analysis, sink);
  EgressReportOptions options;
  options.expand = vm.count("expand") != 0;
  options.policy = policy;
  if (format == "json") WriteEgressJson(sink, analysis, options);
  else WriteEgressText(sink, analysis, options);
  // A violation counts as an error, against --fail-on / failOn as in lint.
  return policy && fail_on && CountPolicyViolations(analysis, *policy) > 0 ? kExitFindings
                                                                           : kExitClean;
}

// meshlint egress: the reachability report, or one --from/--to question.
int Egress(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  po::variables_map vm = ParseWithPaths(args, CommandOptions("egress").All());
  if (vm.count("help")) {
    WriteCommandHelp(out, *FindCommand("egress"));
    return kExitClean;
  }
  const std::string format = vm["format"].as<std::string>();
  if (format != "text" && format != "json" && format != "markdown" && format != "html")
    throw UsageError("--format must be text, json, markdown or html for egress, got '" + format +
                     "'" + DidYouMean(format, OptionChoices("egress", "format")));
  if ((format == "markdown" || format == "html") && vm.count("from"))
    throw UsageError("--from/--to explain in text or json; markdown and html draw the mesh");
  if (vm.count("from") != vm.count("to"))
    throw UsageError("--from and --to go together: meshlint egress --from NAMESPACE --to HOST");
  if (vm.count("from") &&
      (vm["from"].as<std::string>().empty() || vm["to"].as<std::string>().empty()))
    throw UsageError("--from and --to need a namespace and a host name");
  if (vm.count("base") && vm.count("from"))
    throw UsageError("--base compares whole meshes; it does not combine with --from/--to");
  if (vm.count("to") && !egress::ParseTarget(vm["to"].as<std::string>()))
    throw UsageError("--to " + vm["to"].as<std::string>() +
                     ": expected HOST or HOST:PORT with a port from 1 to 65535");
  if (vm.count("from")) {
    const std::string& from = vm["from"].as<std::string>();
    const auto slashes = std::count(from.begin(), from.end(), '/');
    if (slashes != 0 && (slashes != 2 || from.front() == '/' || from.back() == '/' ||
                         from.find("//") != std::string::npos))
      throw UsageError("--from " + from + ": expected NAMESPACE or NAMESPACE/Kind/name");
  }

  // The project config applies as for lint (namespaces, mesh config, globs,
  // egressPolicy); flags win.
  std::optional<ConfigResult> project = LoadConfigOption(vm, err);
  if (!project) return kExitUsage;
  const LintRequest request =
      RequestFromFlags(vm, Positional(vm), project->config ? &*project->config : nullptr);
  const std::optional<Severity> fail_on = EgressFailOn(vm, request.config);
  const Held<LintResult> loaded = MakeHeld<LintResult>(LoadForLint(request));
  const LintResult& r = *loaded;
  PrintInputNotes(r.model, err);
  for (const Problem& p : r.input_problems) WriteProblem(err, r.model.files, p);
  if (!r.input_problems.empty()) return kExitUsage;
  for (const Problem& p : r.policy_problems) WriteProblem(err, r.model.files, p);
  if (!r.policy_problems.empty()) return kExitUsage;
  if (!r.model.problems.empty())
    err << "meshlint: " << r.model.problems.size()
        << " input problem(s) ignored here; run 'meshlint lint' to see them\n";

  // --base: the base is read and compared before anything is written.
  const EgressDiffRunPtr diff = vm.count("base") ? PrepareEgressDiff(vm, request, r, err) : nullptr;
  int status = kExitClean;
  const auto render = [&](std::ostream& sink) {
    status = diff ? WriteEgressDiff(*diff, vm["format"].as<std::string>(), sink)
                  : WriteEgress(vm, r, fail_on, sink);
  };
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
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(CommandOptions("rules").All()).run(), vm);
  po::notify(vm);
  if (vm.count("help")) {
    WriteCommandHelp(out, *FindCommand("rules"));
    return kExitClean;
  }
  const std::string format = vm["format"].as<std::string>();
  if (format == "text") WriteRulesText(out);
  else if (format == "markdown") WriteRulesMarkdown(out);
  else if (format == "json") WriteRulesJson(out);
  else
    throw UsageError("--format must be text, markdown or json, got '" + format + "'" +
                     DidYouMean(format, OptionChoices("rules", "format")));
  return kExitClean;
}

int Explain(const std::vector<std::string>& args, std::ostream& out) {
  if (args.size() == 1 && (args[0] == "--help" || args[0] == "-h")) {
    WriteCommandHelp(out, *FindCommand("explain"));
    return kExitClean;
  }
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
    throw UnusableInput("the working directory cannot be read (" + ec.message() +
                        "): run meshlint from a directory that exists");
}

// `meshlint help [COMMAND]`, and the hidden generators the build runs for
// the man page and the completions (cmake/Generated.cmake). nullopt: not one
// of these.
std::optional<int> HelpCommand(const std::string& command, const std::vector<std::string>& rest,
                               std::ostream& out) {
  if (command == "--help" || command == "-h" || (command == "help" && rest.empty())) {
    WriteMainHelp(out);
    return kExitClean;
  }
  if (command == "help") {
    const CommandDoc* doc = FindCommand(rest.front());
    if (!doc || rest.size() > 1)
      throw UsageError(
          "usage: meshlint help COMMAND, where COMMAND is lint, egress, rules or "
          "explain" +
          DidYouMean(rest.front(), CommandNames()));
    WriteCommandHelp(out, *doc);
    return kExitClean;
  }
  if (command == "--version" || command == "-V" || command == "version") {
    WriteVersion(out);
    return kExitClean;
  }
  if (command == "--help-man") {
    WriteManPage(out);
    return kExitClean;
  }
  if (command == "--completion") {
    if (rest.size() != 1 || !WriteCompletion(out, rest.front()))
      throw UsageError("usage: meshlint --completion bash|zsh|fish");
    return kExitClean;
  }
  return std::nullopt;
}

// "unknown option '--formt' for meshlint lint: did you mean '--format'?"
std::string UnknownOption(const std::string& command, const po::unknown_option& e) {
  const std::string option = e.get_option_name();
  std::vector<std::string> known;
  if (FindCommand(command))
    for (const OptionGroup& g : Groups(CommandOptions(command)))
      for (const OptionView& o : g.options) known.push_back("--" + o.long_name);
  return "unknown option '" + option + "'" +
         (FindCommand(command) ? " for meshlint " + command : std::string()) +
         DidYouMean(option, known);
}

int Dispatch(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty()) {
    WriteMainHelp(err);
    return kExitUsage;
  }
  const std::string& command = args.front();
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (auto status = HelpCommand(command, rest, out)) return *status;
  if (command == "lint" || command == "egress") RequireWorkingDirectory();
  if (command == "lint") return Lint(rest, out, err);
  if (command == "egress") return Egress(rest, out, err);
  if (command == "rules") return Rules(rest, out);
  if (command == "explain") return Explain(rest, out);
  throw UsageError("unknown command '" + command + "'" + DidYouMean(command, CommandNames()));
}

}  // namespace

int RunCli(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  const std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
  int status = kExitUsage;
  // Every message here may quote an argument: TerminalSafe, like every other
  // line meshlint prints.
  try {
    status = Dispatch(args, out, err);
  } catch (const po::unknown_option& e) {
    const std::string command = args.empty() ? "" : args.front();
    err << "meshlint: " << TerminalSafe(UnknownOption(command, e)) << "\n(run 'meshlint --help')\n";
  } catch (const UnusableInput& e) {
    err << "meshlint: " << TerminalSafe(e.what()) << '\n';
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
