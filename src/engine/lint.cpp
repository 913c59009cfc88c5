#include "engine/lint.h"

#include <algorithm>
#include <filesystem>

#include "egress/egress.h"
#include "engine/environments.h"
#include "loader/config_file.h"
#include "loader/repo_boundary.h"

namespace meshlint {

namespace fs = std::filesystem;

namespace {

std::string Relative(const fs::path& absolute) {
  fs::path rel = absolute.lexically_relative(fs::current_path());
  return rel.empty() ? absolute.string() : rel.string();
}

std::string AbsoluteOr(const std::string& path) {
  std::error_code ec;
  const fs::path abs = fs::absolute(path, ec);
  return ec ? path : abs.lexically_normal().string();
}

bool Within(const std::string& path, const std::string& dir) {
  if (path == dir) return true;
  fs::path rel = fs::path(path).lexically_relative(dir);
  return !rel.empty() && *rel.begin() != ".." && *rel.begin() != ".";
}

// A problem about a whole file, which is registered in `files` for it.
Problem FileProblem(FileTable& files, const std::string& display, const std::string& absolute,
                    std::string message) {
  Problem p;
  p.loc.file = files.Add(display, absolute);
  p.message = std::move(message);
  return p;
}

// Registers the config after the inputs (so that they keep their indices)
// and applies its model settings: its rootNamespace becomes the mesh
// settings source that wins over all others, systemNamespaces extend the
// built-in list.
std::uint32_t AttachConfig(const ProjectConfig& config, MeshModel& model) {
  const std::uint32_t file = model.files.Add(config.display, config.path);
  if (const auto& root = config.root_namespace) {
    MeshConfigSource source;
    source.origin = MeshConfigSource::Origin::kProjectConfig;
    source.description = config.display + " rootNamespace";
    source.object = ObjectRef{"MeshConfig", "", config.display};
    source.loc = root->loc;
    source.loc.file = file;
    source.root_namespace = Located<std::string>{root->value, source.loc};
    // First among the command-line sources: it wins over --mesh-config too,
    // and a mesh config that disagrees is reported as mesh-config-conflict.
    model.mesh_sources.insert(model.mesh_sources.begin(), std::move(source));
  }
  for (const auto& ns : config.system_namespaces) model.extra_system_namespaces.push_back(ns.value);
  if (config.root_namespace || !config.system_namespaces.empty()) model.Finalize();
  return file;
}

// The policy into the model, then compiled. Problems of the file come first;
// its patterns are checked only when it could be read.
void LoadPolicy(const PolicySource& source, const LoadOptions& load, LintResult& r) {
  r.policy_problems = source.is_inline ? LoadEgressPolicyText(source.inline_text, source.first_line,
                                                              source.path, load, r.model)
                                       : LoadEgressPolicy(source.path, load, r.model);
  if (!r.policy_problems.empty()) return;
  std::vector<egress::PolicyError> errors;
  auto compiled = egress::CompilePolicy(*r.model.egress_policy, errors);
  for (egress::PolicyError& e : errors)
    r.policy_problems.push_back(Problem{e.loc, std::move(e.message), {}, ""});
  if (r.policy_problems.empty()) r.policy = std::move(compiled);
}

// Only what the named files contain: context that was not named (another
// file's problems, findings about the project) stays silent.
void KeepReported(const std::vector<std::string>& report_only, const MeshModel& model,
                  std::vector<Finding>& findings) {
  std::erase_if(findings, [&](const Finding& f) {
    if (!HasPosition(model.files, f.diag.loc)) return true;
    if (f.diag.project_level) return true;  // about the project, not the named file
    const std::string& abs = model.files.absolute(f.diag.loc.file);
    return std::none_of(report_only.begin(), report_only.end(),
                        [&](const std::string& named) { return Within(abs, named); });
  });
}

// The directory a linted path's config is looked up from.
std::string StartOf(const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) return path;
  const fs::path parent = fs::path(path).parent_path();
  return parent.empty() ? "." : parent.string();
}

// The one config that governs every linted path. Two paths under different
// configs (or one under a config, one under none) are refused: a run has one
// set of rules, suppressions and failOn, and applying one project's to
// another's files would judge them by settings written for something else.
bool DiscoverConfig(const std::vector<std::string>& paths, ConfigResult& r,
                    std::optional<std::string>& found) {
  const std::string cwd = fs::current_path().string();
  std::vector<std::string> named, starts;
  for (const std::string& p : paths)
    if (p != "-") {
      named.push_back(p);
      starts.push_back(StartOf(p));
    }
  if (starts.empty()) {
    named.push_back(".");
    starts.push_back(cwd);
  }
  std::optional<std::string> first_found;
  for (std::size_t i = 0; i < starts.size(); ++i) {
    std::optional<std::string> here = FindConfigFile(starts[i], cwd);
    if (here) here = fs::absolute(*here).lexically_normal().string();
    if (i == 0) {
      first_found = here;
      continue;
    }
    if (here == first_found) continue;
    auto name = [](const std::optional<std::string>& c) {
      return c ? Relative(*c) : std::string("no config");
    };
    std::string message =
        "the linted paths are governed by different project configs: " + named[0] + " by " +
        name(first_found) + ", " + named[i] + " by " + name(here) +
        "; lint them in separate runs, or choose one with --config";
    r.problems.push_back(FileProblem(r.files, here ? Relative(*here) : starts[i],
                                     here ? *here : AbsoluteOr(starts[i]), std::move(message)));
    return false;
  }
  found = first_found;
  return true;
}

}  // namespace

ConfigResult LoadProjectConfig(const ConfigChoice& choice) {
  ConfigResult r;
  std::optional<std::string> path;
  if (choice.mode == ConfigChoice::Mode::kFile) {
    // What exists but is no regular file (a device, a directory, a FIFO) is
    // refused by the bounded read below, with what it is.
    std::error_code ec;
    if (!fs::exists(choice.file, ec)) {
      r.problems.push_back(
          FileProblem(r.files, choice.file, AbsoluteOr(choice.file), "no such config file"));
      return r;
    }
    path = choice.file;
  } else if (choice.mode == ConfigChoice::Mode::kDiscover) {
    if (!DiscoverConfig(choice.paths, r, path)) return r;
    if (path) {
      // Found in the tree, so it is the pull request's: a link there must
      // not make meshlint read (and echo the lines of) a file outside it.
      const fs::path abs = fs::absolute(*path).lexically_normal();
      const std::string dir = abs.parent_path().string();
      const RepositoryFile file = ResolveInRepository(kConfigFileName, dir, RepositoryRoot(dir));
      if (!file.accepted()) {
        r.problems.push_back(FileProblem(r.files, Relative(abs), abs.string(), file.refusal));
        return r;
      }
    }
  }
  if (!path) return r;

  ProjectConfig config;
  const fs::path abs = fs::absolute(*path).lexically_normal();
  // A --config file is shown as it was named (/dev/zero, not ../../dev/zero).
  const std::string shown = choice.mode == ConfigChoice::Mode::kFile ? *path : Relative(abs);
  std::vector<Problem> problems = ReadConfigFile(abs.string(), shown, config);
  if (problems.empty()) problems = ValidateConfig(config);
  if (problems.empty()) {
    r.config = std::move(config);
    return r;
  }
  const std::uint32_t file = r.files.Add(shown, abs.string());
  for (Problem& p : problems) {
    p.loc.file = file;
    r.problems.push_back(std::move(p));
  }
  return r;
}

LintRequest RequestFromConfig(const ProjectConfig* config) {
  LintRequest request;
  // MESHLINT_TODAY is the front end's to honour; here only the clock.
  request.today = std::chrono::year_month_day{
      std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())};
  request.config = config;
  if (!config) return request;
  for (const auto& [id, setting] : config->rules) request.run.severity[id] = setting.value;
  LoadOptions& load = request.load;
  if (config->default_namespace) load.default_namespace = config->default_namespace->value;
  if (config->mesh_config) load.mesh_config_file = config->mesh_config->value;
  // Checked when the config was read.
  if (config->istio_version)
    if (auto v = IstioVersion::Parse(config->istio_version->value)) load.istio_version = *v;
  for (const auto& g : config->include) load.include.push_back(g.value);
  for (const auto& g : config->exclude) load.exclude.push_back(g.value);
  load.glob_base = config->dir;
  if (const auto& policy = config->egress_policy) {
    PolicySource source;
    source.is_inline = policy->is_inline();
    source.path = source.is_inline ? config->path : policy->path;
    source.inline_text = policy->inline_text;
    source.first_line = policy->inline_first_line;
    request.policy = std::move(source);
  }
  if (config->inline_suppressions) request.inline_suppressions = config->inline_suppressions->value;
  return request;
}

namespace {

LintResult LoadOne(const LintRequest& request) {
  LintResult r;
  r.model.finalize_jobs = request.load.jobs;
  for (const auto& [name, text] : request.texts) LoadText(text, name, request.load, r.model);
  if ((request.texts.empty() && !request.texts_only) || !request.paths.empty()) {
    for (InputError& e : LoadInputs(request.paths, request.load, r.model))
      r.input_problems.push_back(
          FileProblem(r.model.files, e.path, AbsoluteOr(e.path), std::move(e.message)));
  } else {
    if (const auto& mesh = request.mesh_config_text)
      LoadMeshConfigText(mesh->second, mesh->first, request.load, r.model);
    MergeDuplicateObjects(r.model, r.model.load_report, request.load.jobs);
    r.model.istio_version = request.load.istio_version;
    r.model.Finalize();
  }
  if (request.config) r.config_file = AttachConfig(*request.config, r.model);
  if (request.policy) LoadPolicy(*request.policy, request.load, r);
  return r;
}

// A finding about an object a kustomization rendered begins by naming it
// ("Rendered by overlays/dev/kustomization.yaml: "): a base shared by several overlays is one
// place for all of them, and only this tells their findings apart.
void NameRenderers(const MeshModel& model, std::vector<Finding>& findings) {
  const auto& by = model.load_report.rendered_by;
  if (by.empty()) return;
  bool named = false;
  for (Finding& f : findings) {
    if (f.diag.object.empty() || f.diag.project_level) continue;
    const auto it = by.find(f.diag.object.FullyQualifiedName());
    if (it == by.end()) continue;
    std::string names;
    for (std::size_t i = 0; i < it->second.size(); ++i)
      names += (i == 0 ? "" : i + 1 == it->second.size() ? " and " : ", ") + it->second[i];
    f.diag.message = "Rendered by " + names + ": " + f.diag.message;
    named = true;
  }
  if (named) SortFindings(model, findings);
}

LintResult LintOne(const LintRequest& request) {
  LintResult r = LoadOne(request);
  if (!r.policy_problems.empty()) return r;
  r.findings = RunRules(r.model, request.run, request.load.jobs);
  const RunContext run{r.model, request.config, r.config_file, request.inline_suppressions,
                       request.today};
  RunRunPhase(run, request.run, r.findings);
  NameRenderers(r.model, r.findings);
  if (request.report_only) KeepReported(*request.report_only, r.model, r.findings);
  return r;
}

// Why the environments cannot be used, as the result of a run that read
// nothing (exit 2).
LintResult EnvironmentProblem(const LintRequest& request, std::string message) {
  LintResult r;
  const ProjectConfig& config = *request.config;
  r.input_problems.push_back(
      FileProblem(r.model.files, config.display, config.path, std::move(message)));
  return r;
}

std::string Names(const std::vector<Environment>& envs) {
  std::string names;
  for (const Environment& e : envs) names += (names.empty() ? "" : ", ") + e.name;
  return names;
}

// The environment --environment names, among those the paths reach;
// nullopt (with `error`) when it is none of them.
std::optional<std::size_t> Selected(const LintRequest& request,
                                    const std::vector<Environment>& envs, std::string& error) {
  for (std::size_t i = 0; i < envs.size(); ++i)
    if (envs[i].name == *request.environment) return i;
  error =
      "--environment " + *request.environment + ": no such environment" +
      (envs.empty() ? " among the linted paths" : " (the linted paths reach " + Names(envs) + ")");
  return std::nullopt;
}

}  // namespace

LintResult LoadForLint(const LintRequest& request) {
  if (!UsesEnvironments(request)) return LoadOne(request);
  std::vector<Environment> envs;
  std::string error;
  if (!FindEnvironments(request, envs, error)) return EnvironmentProblem(request, error);
  if (envs.empty()) return LoadOne(request);
  if (!request.environment)
    return EnvironmentProblem(request,
                              "the project config declares environments (the linted "
                              "paths reach " +
                                  Names(envs) +
                                  "): each is its own mesh; choose one with --environment "
                                  "NAME");
  const auto i = Selected(request, envs, error);
  if (!i) return EnvironmentProblem(request, error);
  return LoadOne(ForEnvironment(request, envs, *i));
}

LintResult Lint(const LintRequest& request) {
  if (!UsesEnvironments(request)) return LintOne(request);
  std::vector<Environment> envs;
  std::string error;
  if (!FindEnvironments(request, envs, error)) return EnvironmentProblem(request, error);
  if (envs.empty()) return LintOne(request);
  if (request.environment) {
    const auto i = Selected(request, envs, error);
    if (!i) return EnvironmentProblem(request, error);
    LintResult r = LintOne(ForEnvironment(request, envs, *i));
    TagEnvironment(r, envs[*i].name);
    return r;
  }
  LintResult r = LintOne(ForEnvironment(request, envs, 0));
  TagEnvironment(r, envs[0].name);
  for (std::size_t i = 1; i < envs.size(); ++i) {
    LintResult more = LintOne(ForEnvironment(request, envs, i));
    TagEnvironment(more, envs[i].name);
    if (!more.policy_problems.empty() && r.policy_problems.empty())
      r.policy_problems = std::move(more.policy_problems);
    MergeEnvironment(r, std::move(more));
  }
  GroupByEnvironment(r.findings);
  return r;
}

}  // namespace meshlint
