#include "cli/settings.h"

#include <filesystem>
#include <ostream>

#include "engine/suppress.h"
#include "loader/kustomize.h"
#include "loader/suggest.h"
#include "report/report.h"

namespace meshlint {
namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kLevels[] = {"error", "warning", "note", "off"};

// --severity RULE=LEVEL and --disable RULE, over the config's levels.
void ApplySeverityFlags(const po::variables_map& vm, RunOptions& run) {
  if (vm.count("severity")) {
    for (const std::string& spec : vm["severity"].as<std::vector<std::string>>()) {
      auto eq = spec.find('=');
      if (eq == std::string::npos)
        throw UsageError("--severity takes RULE=LEVEL, got '" + spec + "'");
      const RuleInfo& rule = RequireRule(spec.substr(0, eq));
      const std::string level = spec.substr(eq + 1);
      const SeverityWord parsed = ParseRuleLevel(level);
      if (!parsed.known)
        throw UsageError("--severity level must be " + std::string(kRuleLevelWords) + ", got '" +
                         level + "'" + DidYouMean(level, kLevels));
      run.severity[std::string(rule.id)] = parsed.severity;
    }
  }
  if (vm.count("disable"))
    for (const std::string& id : vm["disable"].as<std::vector<std::string>>())
      run.severity[std::string(RequireRule(id).id)] = std::nullopt;
}

// -j N: a whole number from 1 to kMaxJobs, as written (no sign, no spaces);
// Boost would read "-1" as 4294967295 threads.
unsigned ParseJobs(const std::string& text) {
  constexpr unsigned kMaxJobs = 256;
  const bool digits = !text.empty() && text.size() <= 9 &&
                      text.find_first_not_of("0123456789") == std::string::npos;
  const unsigned n = digits ? static_cast<unsigned>(std::stoul(text)) : 0;
  if (n < 1 || n > kMaxJobs)
    throw UsageError("-j/--jobs takes a number from 1 to " + std::to_string(kMaxJobs) + ", got '" +
                     text + "'");
  return n;
}

// --today, else MESHLINT_TODAY, else the clock (already in the request).
void ApplyToday(const po::variables_map& vm, LintRequest& request) {
  std::string error;
  if (vm.count("today")) {
    auto today = ParseIsoDate(vm["today"].as<std::string>());
    if (!today)
      throw UsageError("--today must be a date written YYYY-MM-DD, got '" +
                       vm["today"].as<std::string>() + "'");
    request.today = *today;
  } else if (auto today = Today(&error)) {
    request.today = *today;
  } else {
    throw UsageError(error);
  }
}

// `--context DIR FILE...`: all of DIR is loaded, only FILE... reported.
void ApplyContext(const po::variables_map& vm, const std::vector<std::string>& positional,
                  LintRequest& request) {
  if (!vm.count("context")) {
    request.paths = positional;
    return;
  }
  const std::string dir = vm["context"].as<std::string>();
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw UsageError("--context takes a directory, got '" + dir + "'");
  request.paths.push_back(dir);
  std::vector<std::string> report_only;
  for (const std::string& p : positional) {
    if (p == "-") throw UsageError("--context reports on named files; stdin cannot be one");
    request.paths.push_back(p);
    report_only.push_back(fs::absolute(p).lexically_normal().string());
  }
  request.report_only = std::move(report_only);
  // --context reports only the named files: a baseline of that would drop
  // every other accepted finding.
  if (vm.count("write-baseline"))
    throw UsageError(
        "--write-baseline records the whole run; it cannot be combined with --context");
}

}  // namespace

bool Given(const po::variables_map& vm, const char* name) {
  return vm.count(name) && !vm[name].defaulted();
}

const RuleInfo& RequireRule(const std::string& id) {
  const RuleInfo* rule = FindRule(id);
  if (!rule) {
    std::vector<std::string_view> ids;
    for (const RuleInfo& r : AllRules()) ids.push_back(r.id);
    throw UsageError("unknown rule '" + id + "'" + DidYouMean(id, ids) + " (see 'meshlint rules')");
  }
  return *rule;
}

void AddLoadOptions(po::options_description& o) {
  o.add_options()("default-namespace", po::value<std::string>()->default_value("default"),
                  "namespace of objects that name none (as `kubectl apply` without -n)")(
      "mesh-config", po::value<std::string>(),
      "mesh settings: a MeshConfig, IstioOperator, ConfigMap istio, or Helm values file")(
      "istio-version", po::value<std::string>()->value_name("X.Y"),
      "the Istio release whose validation and behaviour to model (default: istioVersion in "
      "the config, else the newest GA release modelled)")(
      "jobs,j", po::value<std::string>()->value_name("N"),
      "files (and batches of documents of big files) loaded in parallel, 1 to 256 "
      "(default: one per core)")(
      "exclude", po::value<std::vector<std::string>>()->value_name("GLOB"),
      "leave out files matching GLOB, relative to the working directory (repeatable; "
      "besides the config's exclude:)")(
      "environment", po::value<std::string>()->value_name("NAME"),
      "with environments: in .meshlint.yaml, only the environment NAME (as listed, e.g. "
      "envs/prod); egress needs one")(
      "no-ignore",
      "walk directories without .gitignore and .meshlintignore (files named on the command "
      "line are linted whatever they say)")(
      "kustomize-command", po::value<std::string>()->value_name("TOOL"),
      "what renders the kustomizations found: kustomize, kubectl, or a path to either "
      "(default: whichever is on PATH)")(
      "stdin-filename", po::value<std::string>()->value_name("FILE"),
      "the file that - (stdin) stands for, relative to the working directory: reports "
      "name it instead of <stdin> (documents with a `# Source:` comment keep their template)")(
      "full-parse",
      "parse every document with the YAML parser, not only those the scanner cannot read "
      "(slower; the findings are the same)");
}

void AddConfigOptions(po::options_description& o) {
  o.add_options()("config", po::value<std::string>()->value_name("FILE"),
                  "project config file (default: the .meshlint.yaml found from each linted path "
                  "upwards to the repository root)")("no-config", "ignore any .meshlint.yaml");
}

void AddSettingsOptions(po::options_description& o) {
  AddConfigOptions(o);
  o.add_options()("no-inline-suppressions",
                  "ignore ignore.meshlint.io/ annotations and report each (only the config's "
                  "suppressions count)")(
      "today", po::value<std::string>()->value_name("YYYY-MM-DD"),
      "the date (YYYY-MM-DD) suppression expiry is judged against (default: "
      "MESHLINT_TODAY, else today in UTC)")(
      "show-suppressed", "text output: also print suppressed findings, with their reason")(
      "context", po::value<std::string>()->value_name("DIR"),
      "load all of DIR for context but report only findings in the named PATHs "
      "(pre-commit: meshlint lint --context . FILE...)");
}

std::optional<ConfigResult> LoadConfigOption(const po::variables_map& vm, std::ostream& err) {
  if (vm.count("config") && vm.count("no-config"))
    throw UsageError("--config and --no-config exclude each other");
  ConfigChoice choice;
  if (vm.count("config")) {
    choice.mode = ConfigChoice::Mode::kFile;
    choice.file = vm["config"].as<std::string>();
  } else if (vm.count("no-config")) {
    choice.mode = ConfigChoice::Mode::kNone;
  } else {
    if (vm.count("context")) choice.paths.push_back(vm["context"].as<std::string>());
    if (vm.count("path"))
      for (const std::string& p : vm["path"].as<std::vector<std::string>>())
        choice.paths.push_back(p);
  }
  ConfigResult result = LoadProjectConfig(choice);
  for (const Problem& p : result.problems) WriteProblem(err, result.files, p);
  if (!result.problems.empty()) return std::nullopt;
  return result;
}

LintRequest RequestFromFlags(const po::variables_map& vm,
                             const std::vector<std::string>& positional,
                             const ProjectConfig* config) {
  LintRequest request = RequestFromConfig(config);
  LoadOptions& load = request.load;
  if (Given(vm, "default-namespace"))
    load.default_namespace = vm["default-namespace"].as<std::string>();
  if (vm.count("mesh-config")) load.mesh_config_file = vm["mesh-config"].as<std::string>();
  if (vm.count("istio-version")) {
    const std::string text = vm["istio-version"].as<std::string>();
    if (std::string e = IstioVersionProblem(text); !e.empty())
      throw UsageError("--istio-version " + e);
    load.istio_version = *IstioVersion::Parse(text);
  }
  if (vm.count("no-inline-suppressions")) request.inline_suppressions = false;
  ApplyToday(vm, request);
  ApplyContext(vm, positional, request);
  ApplySeverityFlags(vm, request.run);
  if (vm.count("jobs")) load.jobs = ParseJobs(vm["jobs"].as<std::string>());
  load.full_parse = vm.count("full-parse") > 0;
  load.no_ignore = vm.count("no-ignore") > 0;
  if (vm.count("environment")) {
    if (!config || config->environments.empty())
      throw UsageError("--environment: no project config with environments: applies here");
    request.environment = vm["environment"].as<std::string>();
  }
  if (vm.count("kustomize-command")) {
    load.kustomize_command = vm["kustomize-command"].as<std::string>();
    // Asked for by name, it must be there: a typo would otherwise leave
    // every kustomization unrendered.
    if (!FindKustomizeTool(load.kustomize_command))
      throw UsageError("--kustomize-command " + load.kustomize_command +
                       ": no such executable (give kustomize, kubectl, or a path to either)");
  }
  if (vm.count("stdin-filename")) {
    load.stdin_name = vm["stdin-filename"].as<std::string>();
    if (load.stdin_name.empty() || load.stdin_name == "-")
      throw UsageError("--stdin-filename takes the name of a file, got '" + load.stdin_name + "'");
  }
  if (vm.count("exclude")) load.command_line_exclude = vm["exclude"].as<std::vector<std::string>>();
  if (vm.count("policy")) {
    PolicySource flag;
    flag.path = vm["policy"].as<std::string>();
    request.policy = std::move(flag);
  }
  return request;
}

}  // namespace meshlint
