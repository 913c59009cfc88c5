#include "cli/egress_base.h"

#include <algorithm>
#include <filesystem>
#include <ostream>
#include <set>
#include <vector>

#include "cli/settings.h"
#include "loader/config_file.h"
#include "loader/git_tree.h"
#include "loader/read_file.h"
#include "loader/repo_boundary.h"
#include "loader/text.h"
#include "report/report.h"

namespace meshlint {
namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> HeadPaths(const LintRequest& head) {
  std::vector<std::string> out = head.paths.empty() ? std::vector<std::string>{"."} : head.paths;
  for (const std::string& p : out)
    if (p == "-") throw UsageError("--base compares files; stdin has no base");
  return out;
}

// The base's config problems, one line each, then the run stops: a diff
// against a base read with half its settings would mislead.
void RequireUsable(const ProjectConfig& config, std::vector<ConfigError> problems,
                   std::ostream& err) {
  if (problems.empty()) problems = ValidateConfig(config);
  if (problems.empty()) return;
  for (const ConfigError& p : problems) {
    err << "meshlint: base: " << TerminalSafe(config.display);
    if (p.loc.line) err << ':' << p.loc.line << ':' << p.loc.column;
    err << ": " << TerminalSafe(p.message) << '\n';
  }
  throw UnusableInput("--base: the base's " + std::string(kConfigFileName) + " cannot be used");
}

// The base's request from its config, then the flags (which win on both
// sides alike). The policy is the head's alone.
void RequestFor(EgressBase& base, const po::variables_map& vm, const LintRequest& head) {
  base.request = RequestFromFlags(vm, head.paths, base.config.get());
  base.request.policy.reset();
}

// ---- A directory base ----

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

// The config the base directory has: --config FILE below the working
// directory is taken at its place in the base (one outside it is the same
// file on both sides); else the one found from `root`, as from the working
// directory for the head.
std::optional<std::string> DirectoryConfigFile(const po::variables_map& vm, const fs::path& root,
                                               std::ostream& err) {
  std::error_code ec;
  if (vm.count("no-config")) return std::nullopt;
  if (vm.count("config")) {
    const std::string named = vm["config"].as<std::string>();
    const fs::path rel =
        fs::absolute(named).lexically_normal().lexically_relative(fs::current_path());
    const fs::path file = rel.empty() || *rel.begin() == ".." ? fs::path(named) : root / rel;
    if (fs::is_regular_file(file, ec)) return fs::absolute(file).lexically_normal().string();
    err << "meshlint: note: base: no " << TerminalSafe(file.string())
        << ": the base has no project config\n";
    return std::nullopt;
  }
  auto found = FindConfigFile(root.string());
  if (!found) return std::nullopt;
  const fs::path abs = fs::absolute(*found).lexically_normal();
  const std::string dir = abs.parent_path().string();
  const RepositoryFile file = ResolveInRepository(kConfigFileName, dir, RepositoryRoot(dir));
  if (!file.accepted()) throw UnusableInput("--base: " + abs.string() + ": " + file.refusal);
  return abs.string();
}

std::unique_ptr<EgressBase> ReadDirectoryBase(const po::variables_map& vm, const LintRequest& head,
                                              const fs::path& root, std::ostream& err) {
  auto base = std::make_unique<EgressBase>();
  if (auto file = DirectoryConfigFile(vm, root, err)) {
    base->config = std::make_unique<ProjectConfig>();
    const fs::path rel = fs::path(*file).lexically_relative(root);
    const std::string display = rel.empty() || *rel.begin() == ".." ? *file : rel.string();
    RequireUsable(*base->config, ReadConfigFile(*file, display, *base->config), err);
  }
  RequestFor(*base, vm, head);
  LintRequest& r = base->request;
  r.texts.clear();
  r.paths.clear();
  for (const std::string& p : HeadPaths(head)) r.paths.push_back(Rebase(p, root));
  r.load.base_dir = root.string();
  // The flag names the head's file: the base's is at its place in the base;
  // the base config's meshConfig is already the base's.
  if (Given(vm, "mesh-config")) r.load.mesh_config_file = Rebase(r.load.mesh_config_file, root);
  return base;
}

// ---- A git revision ----

// `path` (of the head) relative to the repository's top, '/'-separated; "."
// for the top itself.
std::string InRepository(const std::string& path, const fs::path& top) {
  std::error_code ec;
  const fs::path abs = fs::weakly_canonical(fs::absolute(path), ec);
  const fs::path rel = abs.lexically_relative(top);
  if (rel.empty() || *rel.begin() == "..")
    throw UnusableInput("--base: '" + path + "' lies outside the git repository at " +
                        top.string());
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

bool Matches(const std::vector<std::string>& globs, const fs::path& file, const fs::path& from) {
  const fs::path rel = file.lexically_relative(from);
  if (rel.empty() || *rel.begin() == "..") return false;
  return std::any_of(globs.begin(), globs.end(),
                     [&](const std::string& g) { return GlobMatch(g, rel.generic_string()); });
}

// The loader's filter (inputs.cpp FilterByGlobs): --exclude over paths
// relative to the working directory, the config's include/exclude over paths
// relative to its directory.
bool GlobsTake(const LoadOptions& load, const fs::path& file, const fs::path& cwd) {
  if (Matches(load.command_line_exclude, file, cwd)) return false;
  if (load.include.empty() && load.exclude.empty()) return true;
  const fs::path glob_base = load.glob_base.empty() ? cwd : fs::path(load.glob_base);
  const fs::path rel = file.lexically_relative(glob_base);
  if (rel.empty() || *rel.begin() == "..") return true;
  return (load.include.empty() || Matches(load.include, file, glob_base)) &&
         !Matches(load.exclude, file, glob_base);
}

// One commit's tree, looked up by path.
class BaseTree {
 public:
  BaseTree(std::vector<git::TreeEntry> entries, std::string revision, fs::path top)
      : entries_(std::move(entries)), revision_(std::move(revision)), top_(std::move(top)) {}

  const std::vector<git::TreeEntry>& entries() const { return entries_; }
  const git::TreeEntry* Find(const std::string& path) const {
    auto it =
        std::lower_bound(entries_.begin(), entries_.end(), path,
                         [](const git::TreeEntry& e, const std::string& p) { return e.path < p; });
    return it != entries_.end() && it->path == path ? &*it : nullptr;
  }

  // The repository boundary of loader/repo_boundary.cpp, on this tree: what
  // the config names must be a regular file of the commit, inside the
  // repository; links are not followed (as for the base's manifests).
  RepositoryFile Check(const std::string& path, const std::string& config_dir) const {
    if (path.empty()) return {"", "an empty path names no file"};
    fs::path p(path);
    if (p.is_relative()) p = fs::path(config_dir) / p;
    p = p.lexically_normal();
    const fs::path rel = p.lexically_relative(top_);
    const std::string quoted = "'" + path + "'";
    if (rel.empty() || *rel.begin() == ".." || rel == ".")
      return {"", quoted + " lies outside the repository (" + top_.string() + "): not read"};
    const std::string key = rel.generic_string();
    if (const git::TreeEntry* e = Find(key)) {
      if (e->link()) return {"", quoted + " is a symbolic link in " + revision_ + ": not followed"};
      if (!e->regular())
        return {"", quoted + ": not a regular file in " + revision_ + ": not read"};
      return {p.string(), ""};
    }
    auto it =
        std::lower_bound(entries_.begin(), entries_.end(), key + "/",
                         [](const git::TreeEntry& e, const std::string& k) { return e.path < k; });
    if (it != entries_.end() && it->path.starts_with(key + "/"))
      return {"", quoted + " is a directory, not a file: not read"};
    return {"", quoted + ": no such file in " + revision_ +
                    " (paths are relative to the config file's directory)"};
  }

 private:
  std::vector<git::TreeEntry> entries_;
  std::string revision_;
  fs::path top_;
};

// The config file the head would find, at the revision: --config FILE inside
// the repository at its place in the tree (outside it, the same file on
// both sides); else the nearest .meshlint.yaml from the working directory
// up to the repository's top. Returns the tree path, or an absolute path on
// disk for a file outside the repository; "" for none.
std::string GitConfigFile(const po::variables_map& vm, const BaseTree& tree, const fs::path& top,
                          const fs::path& cwd, const std::string& revision, std::ostream& err) {
  if (vm.count("no-config")) return "";
  if (vm.count("config")) {
    const std::string named = vm["config"].as<std::string>();
    std::error_code ec;
    const fs::path abs = fs::weakly_canonical(fs::absolute(named), ec);
    const fs::path rel = abs.lexically_relative(top);
    if (rel.empty() || *rel.begin() == "..") return abs.string();
    const git::TreeEntry* e = tree.Find(rel.generic_string());
    if (e && e->regular()) return rel.generic_string();
    err << "meshlint: note: base: " << TerminalSafe(named) << ": not in " << TerminalSafe(revision)
        << ": the base has no project config\n";
    return "";
  }
  const fs::path rel = cwd.lexically_relative(top);
  for (fs::path d = rel.empty() || *rel.begin() == ".." ? fs::path(".") : rel;;
       d = d.parent_path()) {
    const std::string candidate =
        d.empty() || d == "." ? kConfigFileName : (d / kConfigFileName).generic_string();
    if (const git::TreeEntry* e = tree.Find(candidate)) {
      if (e->link())
        throw UnusableInput("--base: " + candidate + " is a symbolic link in " + revision +
                            ": not followed");
      if (e->regular()) return candidate;
    }
    if (d.empty() || d == ".") break;
  }
  return "";
}

void ReadGitConfig(EgressBase& base, const po::variables_map& vm, const git::Repository& repo,
                   const BaseTree& tree, const std::string& revision, const fs::path& cwd,
                   std::ostream& err) {
  const fs::path top = repo.top();
  const std::string file = GitConfigFile(vm, tree, top, cwd, revision, err);
  if (file.empty()) return;
  base.config = std::make_unique<ProjectConfig>();
  if (fs::path(file).is_absolute()) {  // outside the repository: the user's own file
    const fs::path rel = fs::path(file).lexically_relative(cwd);
    RequireUsable(*base.config, ReadConfigFile(file, rel.string(), *base.config), err);
    return;
  }
  std::vector<git::TreeFile> read;
  std::vector<std::string> notes;
  std::string error;
  if (!repo.Read({tree.Find(file)}, kMaxSettingsFileBytes, read, notes, error) || read.empty())
    throw UnusableInput("--base: " + file + " at " + revision + ": " +
                        (error.empty() ? "too large to read" : error));
  base.config_text = std::move(read.front().text);
  const fs::path abs = top / file;
  base.config->display = abs.lexically_relative(cwd).string();
  const ConfigFileCheck check = [&tree](const std::string& p, const std::string& dir) {
    return tree.Check(p, dir);
  };
  RequireUsable(*base.config, ParseConfig(base.config_text, abs.string(), *base.config, check),
                err);
}

// With --environment the base holds that environment alone, as the head
// does: the directories the base config's environment globs match in the
// commit's tree, other than the chosen one, as tree paths (the walk of the
// head is matched the same way in engine/environments.cpp). An environment
// that the change adds is simply empty at the base.
std::vector<std::string> OtherEnvironments(const LintRequest& r, const BaseTree& tree,
                                           const fs::path& top) {
  std::vector<std::string> out;
  if (!r.environment || !r.config || r.config->environments.empty()) return out;
  const fs::path config_dir = fs::path(r.config->dir).lexically_normal();
  auto segments = [](std::string_view p) {
    while (p.ends_with('/')) p.remove_suffix(1);
    return std::count(p.begin(), p.end(), '/') + 1;
  };
  std::set<std::string> dirs;  // relative to the config's directory
  for (const git::TreeEntry& e : tree.entries())
    for (fs::path d = fs::path(e.path).parent_path(); !d.empty(); d = d.parent_path()) {
      const fs::path rel = (top / d).lexically_relative(config_dir);
      if (rel.empty() || *rel.begin() == "..") break;
      if (!dirs.insert(rel.generic_string()).second) break;  // its parents are in too
    }
  for (const std::string& d : dirs) {
    if (d == *r.environment) continue;
    for (const auto& g : r.config->environments)
      if (segments(g.value) == segments(d) && GlobMatch(g.value, d)) {
        out.push_back(InRepository((config_dir / d).string(), top));
        break;
      }
  }
  return out;
}

std::unique_ptr<EgressBase> ReadGitBase(const po::variables_map& vm, const LintRequest& head,
                                        const std::string& revision, std::ostream& err) {
  std::string error;
  const auto repo = git::Repository::Containing(".", error);
  if (!repo) throw UnusableInput("--base '" + revision + "' is not a directory, and " + error);
  auto base = std::make_unique<EgressBase>();
  const auto commit = repo->Resolve(revision, error);
  if (!commit) throw UnusableInput("--base: " + error);
  base->commit = *commit;
  std::vector<git::TreeEntry> entries;
  if (!repo->List(*commit, entries, error)) throw UnusableInput("--base: " + error);
  const BaseTree tree(std::move(entries), revision, repo->top());
  const fs::path top = repo->top();
  const fs::path cwd = fs::canonical(fs::current_path());
  ReadGitConfig(*base, vm, *repo, tree, revision, cwd, err);
  RequestFor(*base, vm, head);
  LintRequest& r = base->request;

  std::vector<std::string> dirs;
  for (const std::string& p : HeadPaths(head)) dirs.push_back(InRepository(p, top));
  const std::string mesh =
      r.load.mesh_config_file.empty() ? "" : InRepository(r.load.mesh_config_file, top);
  const std::vector<std::string> others = OtherEnvironments(r, tree, top);
  std::vector<const git::TreeEntry*> wanted;
  std::vector<std::string> notes;
  for (const git::TreeEntry& e : tree.entries()) {
    const bool elsewhere = std::any_of(others.begin(), others.end(),
                                       [&](const std::string& d) { return Below(e.path, d); });
    const bool want =
        e.path == mesh || (!elsewhere && GlobsTake(r.load, top / e.path, cwd) &&
                           std::any_of(dirs.begin(), dirs.end(), [&](const auto& d) {
                             return e.path == d || (Below(e.path, d) && WalkTakes(e.path, d));
                           }));
    if (!want) continue;
    if (e.link()) notes.push_back(e.path + ": a symbolic link in the base: not followed");
    else if (e.regular()) wanted.push_back(&e);  // not submodules
  }
  std::vector<git::TreeFile> files;
  if (!repo->Read(wanted, kMaxManifestFileBytes, files, notes, error))
    throw UnusableInput("--base: " + error);
  for (const std::string& n : notes) err << "meshlint: note: base: " << TerminalSafe(n) << '\n';

  r.paths.clear();
  r.texts.clear();
  r.texts_only = true;
  r.load.mesh_config_file.clear();
  for (git::TreeFile& f : files) {
    const std::string display = (top / f.path).lexically_relative(cwd).string();
    if (f.path == mesh) r.mesh_config_text.emplace(display, std::move(f.text));
    else r.texts.emplace_back(display, std::move(f.text));
  }
  if (!mesh.empty() && !r.mesh_config_text)
    err << "meshlint: note: base: " << TerminalSafe(mesh) << ": not in " << TerminalSafe(revision)
        << ": the base has no mesh config file\n";
  for (const auto& [name, text] : r.texts) base->texts.emplace(name, &text);
  if (r.mesh_config_text)
    base->texts.emplace(r.mesh_config_text->first, &r.mesh_config_text->second);
  if (base->config && !base->config_text.empty())
    base->texts.emplace(base->config->display, &base->config_text);
  return base;
}

}  // namespace

std::unique_ptr<EgressBase> ReadEgressBase(const po::variables_map& vm, const LintRequest& head,
                                           const std::string& base, std::ostream& err) {
  std::error_code ec;
  // A directory of that name wins over a revision of that name.
  if (fs::is_directory(base, ec))
    return ReadDirectoryBase(vm, head, fs::absolute(base).lexically_normal(), err);
  return ReadGitBase(vm, head, base, err);
}

}  // namespace meshlint
