#include "cli/egress_diff.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <ostream>

#include "cli/cli.h"
#include "cli/settings.h"
#include "egress/diff.h"
#include "loader/config_file.h"
#include "loader/git_tree.h"
#include "loader/read_file.h"
#include "loader/text.h"
#include "report/egress_diff.h"
#include "report/report.h"

namespace meshlint {
namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

// A path of the head, as the same path below `root` (the base's checkout).
std::string Rebase(const std::string& path, const fs::path& root) {
  const fs::path cwd = fs::current_path();
  const fs::path abs = fs::absolute(path).lexically_normal();
  const fs::path rel = abs.lexically_relative(cwd);
  if (rel.empty() || *rel.begin() == "..")
    throw UsageError("--base: '" + path +
                     "' lies outside the working directory, so it has no place in the base");
  return (root / rel).lexically_normal().string();
}

// The head's request, every path moved below `root`; display paths relative
// to `root`, so the two sides name the same file alike.
LintRequest BaseRequest(const LintRequest& head, const fs::path& root) {
  LintRequest base = head;
  base.policy.reset();  // judged on the head
  base.texts.clear();
  base.paths.clear();
  for (const std::string& p : head.paths.empty() ? std::vector<std::string>{"."} : head.paths) {
    if (p == "-") throw UsageError("--base compares files; stdin has no base");
    base.paths.push_back(Rebase(p, root));
  }
  base.load.base_dir = root.string();
  if (!head.load.mesh_config_file.empty())
    base.load.mesh_config_file = Rebase(head.load.mesh_config_file, root);
  if (!head.load.glob_base.empty()) {
    const fs::path rel = fs::path(head.load.glob_base).lexically_relative(fs::current_path());
    if (!rel.empty() && *rel.begin() != "..")
      base.load.glob_base = (root / rel).lexically_normal().string();
  }
  return base;
}

std::function<std::optional<std::string>(std::uint32_t)> FileTexts(const MeshModel& model) {
  return [&model](std::uint32_t f) -> std::optional<std::string> {
    std::string text;
    if (ReadBounded(model.files.absolute(f), ReadLimits{kMaxManifestFileBytes, false}, text))
      return std::nullopt;
    return text;
  };
}

// The base read from a git revision: the head's PATHs and mesh config at
// that commit, as in-memory texts named as the head names its files.
struct GitBase {
  LintRequest request;
  std::string commit;
  std::map<std::string, const std::string*> texts;  // display name → text
};

// `path` (of the head) relative to the repository's top, '/'-separated; "."
// for the top itself.
std::string InRepository(const std::string& path, const fs::path& top) {
  std::error_code ec;
  const fs::path abs = fs::weakly_canonical(fs::absolute(path), ec);
  const fs::path rel = abs.lexically_relative(top);
  if (rel.empty() || *rel.begin() == "..")
    throw UsageError("--base: '" + path + "' lies outside the git repository at " + top.string());
  return rel.generic_string();
}

bool Below(const std::string& path, const std::string& dir) {
  return dir == "." || path.starts_with(dir + "/");
}

// The walk's rules (loader/inputs.cpp): manifests by extension, no .git or
// node_modules directory, no project config; a file named is read whatever
// its name.
bool WalkTakes(const std::string& path, const std::string& dir) {
  const fs::path rel = dir == "." ? fs::path(path) : fs::path(path).lexically_relative(dir);
  for (const fs::path& part : rel.parent_path())
    if (part == ".git" || part == "node_modules") return false;
  const std::string ext = rel.extension().string();
  return rel.filename() != kConfigFileName && (ext == ".yaml" || ext == ".yml" || ext == ".json");
}

bool GlobsTake(const LoadOptions& load, const fs::path& file) {
  if (load.include.empty() && load.exclude.empty()) return true;
  const fs::path glob_base = load.glob_base.empty() ? fs::current_path() : fs::path(load.glob_base);
  const fs::path rel = file.lexically_relative(glob_base);
  if (rel.empty() || *rel.begin() == "..") return true;
  auto any = [&](const std::vector<std::string>& globs) {
    return std::any_of(globs.begin(), globs.end(),
                       [&](const std::string& g) { return GlobMatch(g, rel.generic_string()); });
  };
  return (load.include.empty() || any(load.include)) && !any(load.exclude);
}

std::unique_ptr<GitBase> ReadGitBase(const LintRequest& head, const std::string& revision,
                                     std::ostream& err) {
  std::string error;
  const auto repo = git::Repository::Containing(".", error);
  if (!repo) throw UsageError("--base '" + revision + "' is not a directory, and " + error);
  auto base = std::make_unique<GitBase>();
  const auto commit = repo->Resolve(revision, error);
  if (!commit) throw UsageError("--base: " + error);
  base->commit = *commit;
  const fs::path top = repo->top();
  std::vector<std::string> dirs;
  for (const std::string& p : head.paths.empty() ? std::vector<std::string>{"."} : head.paths) {
    if (p == "-") throw UsageError("--base compares files; stdin has no base");
    dirs.push_back(InRepository(p, top));
  }
  const std::string mesh =
      head.load.mesh_config_file.empty() ? "" : InRepository(head.load.mesh_config_file, top);
  auto want = [&](const std::string& path) {
    if (path == mesh) return true;
    if (!GlobsTake(head.load, top / path)) return false;
    return std::any_of(dirs.begin(), dirs.end(), [&](const std::string& d) {
      return path == d || (Below(path, d) && WalkTakes(path, d));
    });
  };
  std::vector<git::TreeFile> files;
  std::vector<std::string> notes;
  if (!repo->ReadFiles(*commit, want, kMaxManifestFileBytes, files, notes, error))
    throw UsageError("--base: " + error);
  for (const std::string& n : notes) err << "meshlint: note: base: " << TerminalSafe(n) << '\n';

  LintRequest& r = base->request;
  r = head;
  r.policy.reset();  // judged on the head
  r.paths.clear();
  r.texts.clear();
  r.texts_only = true;
  r.load.mesh_config_file.clear();
  const fs::path cwd = fs::canonical(fs::current_path());
  std::sort(files.begin(), files.end(),
            [](const git::TreeFile& a, const git::TreeFile& b) { return a.path < b.path; });
  for (git::TreeFile& f : files) {
    const std::string display = (top / f.path).lexically_relative(cwd).string();
    if (f.path == mesh) r.mesh_config_text.emplace(display, std::move(f.text));
    else r.texts.emplace_back(display, std::move(f.text));
  }
  if (!mesh.empty() && !r.mesh_config_text)
    err << "meshlint: note: base: " << TerminalSafe(mesh) << ": not in " << revision
        << ": the base has no mesh config file\n";
  for (const auto& [name, text] : r.texts) base->texts.emplace(name, &text);
  if (r.mesh_config_text)
    base->texts.emplace(r.mesh_config_text->first, &r.mesh_config_text->second);
  return base;
}

// An opened pair as a finding would be: disallowed by the policy, an error;
// allowed, a note; without a policy, a warning.
bool Fails(const egress::EgressDiff& d, std::optional<Severity> fail_on) {
  if (!fail_on) return false;
  for (const egress::DiffEntry& e : d.opened) {
    const Severity s = !e.allowed   ? Severity::kWarning
                       : *e.allowed ? Severity::kNote
                                    : Severity::kError;
    if (s >= *fail_on) return true;
  }
  return false;
}

}  // namespace

int WriteEgressPicture(const std::string& format, const egress::EgressAnalysis& analysis,
                       std::ostream& out) {
  const std::vector<egress::Pair> pairs = egress::FlattenPairs(analysis);
  if (format != "html") {
    WriteEgressPictureMarkdown(out, pairs);
    return kExitClean;
  }
  std::vector<egress::DiffEntry> entries;
  for (const egress::Pair& p : pairs) {
    egress::DiffEntry e;
    e.pair = p;
    e.explained = entries.size() < egress::kMaxExplainedPairs;
    if (e.explained) e.reasons = egress::ExplainPair(analysis, p).reasons;
    entries.push_back(std::move(e));
  }
  WriteEgressPictureHtml(out, entries);
  return kExitClean;
}

void AddEgressDiffOptions(po::options_description& o) {
  o.add_options()("base", po::value<std::string>(),
                  "BASE: a git revision or a directory holding the base; report what the "
                  "change opens and closes")(
      "fail-on", po::value<std::string>()->default_value("warning"),
      "with --base: error (opened and not allowed by --policy) | warning (opened) | note "
      "(opened, even if allowed) | never");
}

// Everything a diff run computed, kept for writing (the analyses refer to
// the models, so each lives here).
struct EgressDiffRun {
  DiffLabels labels;
  std::optional<Severity> fail_on;
  std::unique_ptr<GitBase> git_base;
  LintResult base;
  std::unique_ptr<egress::EgressAnalysis> base_analysis, head_analysis;
  egress::EgressDiff diff;
};

EgressDiffRunPtr PrepareEgressDiff(const po::variables_map& vm, const LintRequest& request,
                                   const LintResult& head, std::ostream& err) {
  auto run = EgressDiffRunPtr(new EgressDiffRun);
  const std::string fail_word = vm["fail-on"].as<std::string>();
  const SeverityWord fail_on = ParseFailOn(fail_word);
  if (!fail_on.known)
    throw UsageError("--fail-on must be " + std::string(kFailOnWords) + ", got '" + fail_word +
                     "'");
  run->fail_on = fail_on.severity;
  const std::string base_arg = vm["base"].as<std::string>();
  run->labels.base = base_arg;
  std::error_code ec;
  // A directory of that name wins over a revision of that name.
  if (!fs::is_directory(base_arg, ec)) {
    run->git_base = ReadGitBase(request, base_arg, err);
    run->labels.base_commit = run->git_base->commit;
  }
  const GitBase* git_base = run->git_base.get();
  run->base =
      LoadForLint(git_base ? git_base->request
                           : BaseRequest(request, fs::absolute(base_arg).lexically_normal()));
  const LintResult& base = run->base;
  // A path the change adds has no base: an empty side, not an error.
  for (const Problem& p : base.input_problems)
    err << "meshlint: note: base: " << TerminalSafe(base.model.files.display(p.loc.file)) << ": "
        << TerminalSafe(p.message) << '\n';
  auto base_texts = FileTexts(base.model);
  if (git_base)
    base_texts = [&](std::uint32_t f) -> std::optional<std::string> {
      auto it = git_base->texts.find(base.model.files.display(f));
      if (it == git_base->texts.end()) return std::nullopt;
      return *it->second;
    };
  run->base_analysis = std::make_unique<egress::EgressAnalysis>(base.model);
  run->head_analysis = std::make_unique<egress::EgressAnalysis>(head.model);
  run->diff =
      egress::DiffEgress({run->base_analysis.get(), base_texts},
                         {run->head_analysis.get(), FileTexts(head.model)}, head.policy.get());
  return run;
}

int WriteEgressDiff(const EgressDiffRun& run, const std::string& format, std::ostream& out) {
  if (format == "json") WriteEgressDiffJson(out, run.diff, run.labels);
  else if (format == "markdown") WriteEgressDiffMarkdown(out, run.diff, run.labels);
  else if (format == "html") WriteEgressDiffHtml(out, run.diff, run.labels);
  else WriteEgressDiffText(out, run.diff, run.labels);
  return Fails(run.diff, run.fail_on) ? kExitFindings : kExitClean;
}

void EgressDiffRunDeleter::operator()(EgressDiffRun* run) const { delete run; }

}  // namespace meshlint
