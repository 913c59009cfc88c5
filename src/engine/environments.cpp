#include "engine/environments.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <tuple>

#include "loader/text.h"

namespace meshlint {

namespace fs = std::filesystem;

namespace {

bool Under(const fs::path& path, const fs::path& dir) {
  const fs::path rel = path.lexically_relative(dir);
  return !rel.empty() && *rel.begin() != "..";
}

std::size_t Segments(std::string_view glob) {
  while (glob.ends_with('/')) glob.remove_suffix(1);
  return static_cast<std::size_t>(std::count(glob.begin(), glob.end(), '/')) + 1;
}

// Directories below `root` at depth 1..max_depth whose relative path
// matches a glob of that many segments. Links are not followed (the walk
// does not follow them either).
bool MatchDirs(const fs::path& root, const std::vector<std::string>& globs,
               std::vector<Environment>& out, std::string& error) {
  std::size_t max_depth = 0;
  for (const std::string& g : globs) max_depth = std::max(max_depth, Segments(g));
  std::vector<std::pair<fs::path, std::size_t>> pending{{root, 0}};
  std::size_t visited = 0;
  while (!pending.empty()) {
    // Plain variables, not a structured binding: the lambda below uses
    // `depth`, and clang before 16 cannot capture a binding.
    const fs::path dir = std::move(pending.back().first);
    const std::size_t depth = pending.back().second;
    pending.pop_back();
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      std::error_code sec;
      if (!it->is_directory(sec) || it->is_symlink(sec)) continue;
      const std::string name = it->path().filename().string();
      if (name == ".git" || name == "node_modules") continue;
      if (++visited > kMaxEnvironmentDirsVisited) {
        error = "environments: over " + std::to_string(kMaxEnvironmentDirsVisited) +
                " directories looked at";
        return false;
      }
      const std::string rel = it->path().lexically_relative(root).generic_string();
      const bool match = std::any_of(globs.begin(), globs.end(), [&](const std::string& g) {
        return Segments(g) == depth + 1 && GlobMatch(g, rel);
      });
      if (match) {
        out.push_back({rel, it->path().lexically_normal().string()});
        if (out.size() > kMaxEnvironments) {
          error = "environments: the globs match over " + std::to_string(kMaxEnvironments) +
                  " directories";
          return false;
        }
      }
      if (depth + 1 < max_depth) pending.emplace_back(it->path(), depth + 1);
    }
  }
  return true;
}

std::uint32_t Remap(std::map<std::string, std::uint32_t>& index, FileTable& into,
                    const FileTable& from, std::uint32_t file) {
  if (file >= from.size()) return file;
  auto [it, fresh] = index.emplace(from.absolute(file), 0);
  if (fresh) it->second = into.Add(from.display(file), from.absolute(file));
  return it->second;
}

}  // namespace

bool UsesEnvironments(const LintRequest& request) {
  return request.config && !request.config->environments.empty() && request.texts.empty() &&
         !request.texts_only;
}

bool FindEnvironments(const LintRequest& request, std::vector<Environment>& out,
                      std::string& error) {
  const ProjectConfig& config = *request.config;
  std::vector<std::string> globs;
  for (const auto& g : config.environments) globs.push_back(g.value);
  std::vector<Environment> all;
  const fs::path root = fs::absolute(config.dir).lexically_normal();
  if (!MatchDirs(root, globs, all, error)) return false;
  std::sort(all.begin(), all.end(),
            [](const Environment& a, const Environment& b) { return a.name < b.name; });
  for (std::size_t i = 0; i + 1 < all.size(); ++i)
    for (std::size_t j = i + 1; j < all.size(); ++j)
      if (Under(all[j].dir, all[i].dir)) {
        error = "environments: " + all[j].name + " lies inside " + all[i].name +
                "; environments cannot be nested";
        return false;
      }
  std::vector<fs::path> paths;
  for (const std::string& p : request.paths)
    if (p != "-") paths.push_back(fs::absolute(p).lexically_normal());
  if (request.paths.empty()) paths.push_back(fs::current_path());
  for (Environment& e : all) {
    const bool reached = std::any_of(paths.begin(), paths.end(), [&](const fs::path& p) {
      return Under(p, e.dir) || Under(e.dir, p);
    });
    if (reached) out.push_back(std::move(e));
  }
  return true;
}

LintRequest ForEnvironment(const LintRequest& request, const std::vector<Environment>& envs,
                           std::size_t i) {
  LintRequest r = request;
  for (std::size_t k = 0; k < envs.size(); ++k)
    if (k != i) r.load.excluded_dirs.push_back(envs[k].dir);
  return r;
}

void TagEnvironment(LintResult& result, const std::string& name) {
  const SharedText shared(name);
  for (Finding& f : result.findings) f.environment = shared;
}

void MergeEnvironment(LintResult& into, LintResult&& from) {
  std::map<std::string, std::uint32_t> index;
  for (std::uint32_t i = 0; i < into.model.files.size(); ++i)
    index.emplace(into.model.files.absolute(i), i);
  const std::size_t before = into.model.files.size();
  const FileTable& files = from.model.files;
  for (std::uint32_t i = 0; i < files.size(); ++i) Remap(index, into.model.files, files, i);
  // Its own files (those of no other environment) count once; objects and
  // documents count in each environment that loads them.
  into.model.stats.files += into.model.files.size() - before;
  into.model.stats.objects += from.model.stats.objects;
  into.model.stats.documents += from.model.stats.documents;
  into.model.stats.skipped_non_kubernetes += from.model.stats.skipped_non_kubernetes;

  using Key = std::tuple<std::string_view, std::string, std::uint32_t, std::uint32_t, std::string>;
  std::map<Key, std::size_t> have;
  auto key = [](const Finding& f) {
    return Key{f.rule_id, f.diag.object.FullyQualifiedName(), f.diag.loc.line, f.diag.loc.column,
               f.diag.message};
  };
  for (std::size_t i = 0; i < into.findings.size(); ++i)
    if (into.findings[i].diag.loc.file < into.model.files.size())
      have.emplace(key(into.findings[i]), i);
  for (Finding& f : from.findings) {
    f.diag.loc.file = Remap(index, into.model.files, files, f.diag.loc.file);
    for (RelatedLocation& r : f.diag.related)
      r.loc.file = Remap(index, into.model.files, files, r.loc.file);
    if (f.suppression)
      f.suppression->loc.file = Remap(index, into.model.files, files, f.suppression->loc.file);
    auto it = have.find(key(f));
    if (it != have.end() && into.findings[it->second].diag.loc.file == f.diag.loc.file) {
      SharedText& joined = into.findings[it->second].environment;
      joined = SharedText(std::string(joined.view()) + ", " + std::string(f.environment.view()));
      continue;
    }
    into.findings.push_back(std::move(f));
  }
  for (Problem& p : from.input_problems) {
    p.loc.file = Remap(index, into.model.files, files, p.loc.file);
    const bool known =
        std::any_of(into.input_problems.begin(), into.input_problems.end(),
                    [&](const Problem& q) { return q.loc == p.loc && q.message == p.message; });
    if (!known) into.input_problems.push_back(std::move(p));
  }
}

void GroupByEnvironment(std::vector<Finding>& findings) {
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    return a.environment < b.environment;
  });
}

}  // namespace meshlint
