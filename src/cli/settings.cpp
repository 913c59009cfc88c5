#include "cli/settings.h"

#include <algorithm>
#include <filesystem>

#include "engine/suppress.h"
#include "loader/config_file.h"

namespace meshlint {
namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

[[noreturn]] void Usage(const std::string& message) { throw SettingsError(message, true); }

std::string Relative(const fs::path& absolute) {
  fs::path rel = absolute.lexically_relative(fs::current_path());
  return rel.empty() ? absolute.string() : rel.string();
}

std::string FormatErrors(const ProjectConfig& config, const std::vector<ConfigError>& errors) {
  std::string out;
  for (const ConfigError& e : errors) {
    out += "meshlint: " + config.display;
    if (e.line) out += ":" + std::to_string(e.line) + ":" + std::to_string(e.column);
    out += ": " + e.message + "\n";
  }
  return out;
}

std::optional<Severity> ParseThreshold(const std::string& text, const char* what) {
  if (text == "never") return std::nullopt;
  if (auto s = ParseSeverity(text)) return s;
  Usage(std::string(what) + " must be error, warning, note or never, got '" + text + "'");
}

// Set on the command line, not just its default. Options a command does not
// have count as not given, so other commands can reuse the settings.
bool Given(const po::variables_map& vm, const char* name) {
  return vm.count(name) && !vm[name].defaulted();
}

bool Within(const std::string& path, const std::string& dir) {
  if (path == dir) return true;
  fs::path rel = fs::path(path).lexically_relative(dir);
  return !rel.empty() && *rel.begin() != ".." && *rel.begin() != ".";
}

}  // namespace

void AddConfigOptions(po::options_description& o) {
  o.add_options()("config", po::value<std::string>()->value_name("FILE"),
                  "project config file (default: .meshlint.yaml in the working directory or "
                  "the nearest parent up to the repository root)")(
      "no-config", "ignore any .meshlint.yaml");
}

void AddSettingsOptions(po::options_description& o) {
  AddConfigOptions(o);
  o.add_options()(
      "no-inline-suppressions",
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

LintSettings BuildLintSettings(const po::variables_map& vm,
                               const std::vector<std::string>& positional) {
  LintSettings s;

  // The config file.
  if (vm.count("config") && vm.count("no-config"))
    Usage("--config and --no-config exclude each other");
  std::optional<std::string> config_path;
  if (vm.count("config")) {
    config_path = vm["config"].as<std::string>();
    std::error_code ec;
    if (!fs::is_regular_file(*config_path, ec))
      throw SettingsError("meshlint: " + *config_path + ": no such config file\n", false);
  } else if (!vm.count("no-config")) {
    config_path = FindConfigFile(fs::current_path().string());
  }
  if (config_path) {
    ProjectConfig config;
    const fs::path abs = fs::absolute(*config_path).lexically_normal();
    std::vector<ConfigError> errors = ReadConfigFile(abs.string(), Relative(abs), config);
    if (errors.empty()) errors = ValidateConfig(config);
    if (!errors.empty()) throw SettingsError(FormatErrors(config, errors), false);
    s.config = std::move(config);
  }
  const ProjectConfig* c = s.config ? &*s.config : nullptr;

  // Rules and the gate: config first; cli.cpp applies --severity/--disable on top.
  if (c)
    for (const auto& [id, setting] : c->rules) s.run.severity[id] = setting.value;
  if (Given(vm, "fail-on"))
    s.fail_on = ParseThreshold(vm["fail-on"].as<std::string>(), "--fail-on");
  else if (c && c->fail_on)
    s.fail_on = c->fail_on->value;

  // Loading.
  if (Given(vm, "default-namespace"))
    s.load.default_namespace = vm["default-namespace"].as<std::string>();
  else if (c && c->default_namespace)
    s.load.default_namespace = c->default_namespace->value;
  if (vm.count("mesh-config")) s.load.mesh_config_file = vm["mesh-config"].as<std::string>();
  else if (c && c->mesh_config) s.load.mesh_config_file = c->mesh_config->value;
  if (c) {
    for (const auto& g : c->include) s.load.include.push_back(g.value);
    for (const auto& g : c->exclude) s.load.exclude.push_back(g.value);
    s.load.glob_base = c->dir;
    for (const auto& ns : c->system_namespaces) s.system_namespaces.push_back(ns.value);
    s.egress_policy = c->egress_policy;
  }

  // Suppressions.
  if (c && c->inline_suppressions) s.inline_suppressions = c->inline_suppressions->value;
  if (vm.count("no-inline-suppressions")) s.inline_suppressions = false;
  std::string error;
  if (vm.count("today")) {
    auto today = ParseIsoDate(vm["today"].as<std::string>());
    if (!today) Usage("--today must be a date written YYYY-MM-DD, got '" +
                      vm["today"].as<std::string>() + "'");
    s.today = *today;
  } else if (auto today = Today(&error)) {
    s.today = *today;
  } else {
    Usage(error);
  }
  s.show_suppressed = vm.count("show-suppressed") != 0;

  // What to load and what to report.
  if (vm.count("context")) {
    s.context_mode = true;
    const std::string dir = vm["context"].as<std::string>();
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) Usage("--context takes a directory, got '" + dir + "'");
    s.paths.push_back(dir);
    for (const std::string& p : positional) {
      if (p == "-") Usage("--context reports on named files; stdin cannot be one");
      s.paths.push_back(p);
      s.report_only.push_back(fs::absolute(p).lexically_normal().string());
    }
  } else {
    s.paths = positional;
  }
  return s;
}

void AttachConfig(LintSettings& s, MeshModel& model) {
  if (!s.config) return;
  // Registered after the inputs, so that the inputs keep their indices.
  s.config_file = model.files.Add(s.config->display, s.config->path);
  if (const auto& root = s.config->root_namespace) {
    MeshConfigSource source;
    source.origin = MeshConfigSource::Origin::kProjectConfig;
    source.description = s.config->display + " rootNamespace";
    source.object = ObjectRef{"MeshConfig", "", s.config->display};
    source.loc = root->loc;
    source.loc.file = s.config_file;
    source.root_namespace = Located<std::string>{root->value, source.loc};
    // First among the command-line sources: it wins over --mesh-config too,
    // and a mesh config that disagrees is reported as mesh-config-conflict.
    model.mesh_sources.insert(model.mesh_sources.begin(), std::move(source));
  }
  model.extra_system_namespaces = s.system_namespaces;
  if (s.config->root_namespace || !s.system_namespaces.empty()) model.Finalize();
}

void FinishFindings(const LintSettings& s, const MeshModel& model, std::vector<Finding>& findings) {
  SuppressOptions options;
  options.config = s.config ? &*s.config : nullptr;
  options.config_file = s.config_file;
  options.inline_enabled = s.inline_suppressions;
  options.today = s.today;
  ApplySuppressions(model, s.run, options, findings);

  if (!s.context_mode) return;
  // Only what the named files contain: context that was not named (another
  // file's problems, mesh-wide findings without a position) stays silent.
  std::erase_if(findings, [&](const Finding& f) {
    const Location& loc = f.diag.loc;
    if (!loc.valid() || loc.file >= model.files.size()) return true;
    if (f.diag.project_level) return true;  // about the project, not the named file
    const std::string& abs = model.files.absolute(loc.file);
    return std::none_of(s.report_only.begin(), s.report_only.end(),
                        [&](const std::string& named) { return Within(abs, named); });
  });
}

}  // namespace meshlint
