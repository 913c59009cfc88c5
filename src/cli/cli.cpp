#include "cli/cli.h"

#include <boost/program_options.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/output.h"
#include "cli/settings.h"
#include "egress/egress.h"
#include "engine/runner.h"
#include "loader/loader.h"
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

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// How inputs are loaded: the same for lint and egress.
void AddLoadOptions(po::options_description& o) {
  o.add_options()(
      "default-namespace", po::value<std::string>()->default_value("default"),
      "namespace of objects that name none (as `kubectl apply` without -n)")(
      "mesh-config", po::value<std::string>(),
      "mesh settings: a MeshConfig, IstioOperator, ConfigMap istio, or Helm values file")(
      "jobs,j", po::value<unsigned>()->default_value(0),
      "files (and batches of documents of big files) loaded in parallel (0: all cores)")(
      "full-parse",
      "parse every document with the YAML parser, not only those the scanner cannot read "
      "(slower; the findings are the same)");
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

// --policy FILE, else the project config's egressPolicy (a path or inline):
// loaded into the model and compiled. A policy that cannot be used stops the
// run (exit 2): checking against half a policy would mislead.
std::shared_ptr<const egress::CompiledPolicy> LoadPolicyOption(
    const po::variables_map& vm, const LintSettings& settings, const LoadOptions& load,
    MeshModel& model, std::ostream& err, bool& failed) {
  failed = false;
  std::vector<Problem> problems;
  if (vm.count("policy")) {
    problems = LoadEgressPolicy(vm["policy"].as<std::string>(), load, model);
  } else if (const auto& configured = settings.egress_policy) {
    if (!configured->is_inline())
      problems = LoadEgressPolicy(configured->path, load, model);
    else
      problems = LoadEgressPolicyText(configured->inline_text, configured->inline_first_line,
                                      settings.config->path, load, model);
  } else {
    return nullptr;
  }
  std::shared_ptr<const egress::CompiledPolicy> compiled;
  if (problems.empty()) {
    std::vector<egress::PolicyError> errors;
    compiled = egress::CompilePolicy(*model.egress_policy, errors);
    for (const auto& e : errors) problems.push_back({e.loc, e.message, {}, ""});
  }
  for (const Problem& p : problems) {
    std::string where = model.files.display(p.loc.file);
    if (p.loc.line)
      where += ":" + std::to_string(p.loc.line) + ":" + std::to_string(p.loc.column);
    err << "meshlint: " << TerminalSafe(where + ": " + p.message) << '\n';
  }
  failed = !problems.empty();
  return failed ? nullptr : compiled;
}

// What the loader decided about the inputs (a file read once though linked
// twice): on stderr, never in the report.
void PrintInputNotes(const MeshModel& model, std::ostream& err) {
  for (const InputNote& n : model.input_notes)
    err << "meshlint: note: " << TerminalSafe(n.path + ": " + n.message) << '\n';
}

const RuleInfo& RequireRule(const std::string& id) {
  const RuleInfo* rule = FindRule(id);
  if (!rule) throw UsageError("unknown rule '" + id + "' (see 'meshlint rules')");
  return *rule;
}

void ParseSeverities(const po::variables_map& vm, RunOptions& run) {
  if (vm.count("severity")) {
    for (const std::string& spec : vm["severity"].as<std::vector<std::string>>()) {
      auto eq = spec.find('=');
      if (eq == std::string::npos) throw UsageError("--severity takes RULE=LEVEL, got '" + spec + "'");
      const RuleInfo& rule = RequireRule(spec.substr(0, eq));
      std::string level = spec.substr(eq + 1);
      if (level == "off") {
        run.severity[std::string(rule.id)] = std::nullopt;
      } else if (auto s = ParseSeverity(level)) {
        run.severity[std::string(rule.id)] = *s;
      } else {
        throw UsageError("--severity level must be error, warning, note or off, got '" + level + "'");
      }
    }
  }
  if (vm.count("disable"))
    for (const std::string& id : vm["disable"].as<std::vector<std::string>>())
      run.severity[std::string(RequireRule(id).id)] = std::nullopt;
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

  ReportPlan report = ParseReportOptions(vm);
  std::vector<std::string> named;
  if (vm.count("path")) named = vm["path"].as<std::vector<std::string>>();
  // .meshlint.yaml and the flags; flags win.
  LintSettings settings = BuildLintSettings(vm, named);
  report.fail_on = settings.fail_on;  // the config may set it; the flag wins there
  report.show_suppressed = settings.show_suppressed;
  if (settings.context_mode) {
    // --context reports only the named files: a baseline of that would drop
    // every other accepted finding, and entries elsewhere are not "gone".
    if (!report.write_baseline.empty())
      throw UsageError("--write-baseline records the whole run; it cannot be combined with --context");
    report.count_stale = false;
  }
  RunOptions& run = settings.run;
  ParseSeverities(vm, run);

  LoadOptions& load = settings.load;
  load.jobs = vm["jobs"].as<unsigned>();
  load.full_parse = vm.count("full-parse") > 0;
  const std::vector<std::string>& paths = settings.paths;

  MeshModel model;
  std::vector<InputError> input_errors = LoadInputs(paths, load, model);
  PrintInputNotes(model, err);
  AttachConfig(settings, model);
  bool policy_failed = false;
  LoadPolicyOption(vm, settings, load, model, err, policy_failed);
  if (policy_failed) return kExitUsage;
  std::vector<std::string> notifications;
  for (const InputError& e : input_errors) {
    err << "meshlint: " << TerminalSafe(e.path) << ": " << e.message << '\n';
    notifications.push_back(e.path + ": " + e.message);
  }
  std::vector<Finding> findings = RunRules(model, run);
  FinishFindings(settings, model, findings);  // suppressions, --context scope
  return FinishLint(report, model, std::move(findings), notifications, started, out, err);
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

  std::vector<std::string> named;
  if (vm.count("path")) named = vm["path"].as<std::vector<std::string>>();
  // The project config applies as for lint (namespaces, mesh config, globs,
  // egressPolicy); flags win.
  LintSettings settings = BuildLintSettings(vm, named);
  LoadOptions& load = settings.load;
  load.jobs = vm["jobs"].as<unsigned>();
  load.full_parse = vm.count("full-parse") > 0;
  MeshModel model;
  std::vector<InputError> input_errors = LoadInputs(settings.paths, load, model);
  PrintInputNotes(model, err);
  AttachConfig(settings, model);
  for (const InputError& e : input_errors)
    err << "meshlint: " << TerminalSafe(e.path) << ": " << e.message << '\n';
  if (!input_errors.empty()) return kExitUsage;
  bool policy_failed = false;
  auto policy = LoadPolicyOption(vm, settings, load, model, err, policy_failed);
  if (policy_failed) return kExitUsage;
  if (!model.problems.empty())
    err << "meshlint: " << model.problems.size()
        << " input problem(s) ignored here; run 'meshlint lint' to see them\n";

  std::ofstream file;
  std::ostream* sink = &out;
  if (vm.count("output")) {
    const std::string path = vm["output"].as<std::string>();
    file.open(path, std::ios::binary | std::ios::trunc);
    if (!file) {
      err << "meshlint: cannot write " << path << ": " << std::strerror(errno) << '\n';
      return kExitUsage;
    }
    sink = &file;
  }
  egress::EgressAnalysis analysis(model);
  int status = kExitClean;
  if (vm.count("from")) {
    egress::Explanation ex =
        analysis.Explain(vm["from"].as<std::string>(), vm["to"].as<std::string>());
    if (format == "json") WriteExplanationJson(*sink, model, ex, policy.get());
    else WriteExplanationText(*sink, model, ex, policy.get());
    status = ex.reachable ? kExitClean : kExitFindings;
  } else {
    EgressReportOptions options;
    options.expand = vm.count("expand") != 0;
    options.policy = policy.get();
    if (format == "json") WriteEgressJson(*sink, analysis, options);
    else WriteEgressText(*sink, analysis, options);
    if (policy && CountPolicyViolations(analysis, *policy) > 0) status = kExitFindings;
  }
  sink->flush();
  if (!*sink) {
    err << "meshlint: error writing the report\n";
    return kExitUsage;
  }
  return status;
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

}  // namespace

int RunCli(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
  try {
    if (args.empty()) {
      err << kUsage;
      return kExitUsage;
    }
    const std::string command = args.front();
    std::vector<std::string> rest(args.begin() + 1, args.end());
    if (command == "--help" || command == "-h" || command == "help") {
      out << kUsage;
      return kExitClean;
    }
    if (command == "--version" || command == "version") {
      out << kToolName << ' ' << kToolVersion << '\n';
      return kExitClean;
    }
    if (command == "lint") return Lint(rest, out, err);
    if (command == "egress") return Egress(rest, out, err);
    if (command == "rules") return Rules(rest, out);
    if (command == "explain") return Explain(rest, out);
    throw UsageError("unknown command '" + command + "'");
  } catch (const UsageError& e) {
    err << "meshlint: " << e.what() << "\n(run 'meshlint --help')\n";
  } catch (const po::error& e) {
    err << "meshlint: " << e.what() << "\n(run 'meshlint --help')\n";
  } catch (const SettingsError& e) {
    if (e.usage) err << "meshlint: " << e.what() << "\n(run 'meshlint --help')\n";
    else err << e.what();
  }
  return kExitUsage;
}

}  // namespace meshlint
