#include "loader/ignore.h"

#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <optional>
#include <set>
#include <system_error>

#include "loader/git_tree.h"
#include "loader/repo_boundary.h"

namespace meshlint {
namespace fs = std::filesystem;

namespace {

// An empty repository directory, made for one run and removed after: with it
// as --git-dir, git applies .meshlintignore files to a tree that is not a
// work tree (or to every file of one, tracked or not).
class EmptyGitDir {
 public:
  EmptyGitDir() {
    std::error_code ec;
    std::string tmpl = (fs::temp_directory_path(ec) / "meshlint-ignore-XXXXXX").string();
    if (ec || !::mkdtemp(tmpl.data())) return;
    path_ = tmpl;
    fs::create_directory(path_ / "objects", ec);
    if (!ec) fs::create_directory(path_ / "refs", ec);
    std::ofstream head(path_ / "HEAD");
    head << "ref: refs/heads/main\n";
    head.close();
    if (ec || !head) {
      fs::remove_all(path_, ec);
      path_.clear();
    }
  }
  ~EmptyGitDir() {
    std::error_code ec;
    // Only the directory made above (mkdtemp's name): never anything else.
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  EmptyGitDir(const EmptyGitDir&) = delete;
  EmptyGitDir& operator=(const EmptyGitDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

bool Under(const fs::path& path, const fs::path& dir) {
  const fs::path rel = path.lexically_relative(dir);
  return !rel.empty() && *rel.begin() != ".." && rel != ".";
}

// Lines of the .meshlintignore files that apply: those the walk found and
// those above each walked directory up to its repository root. false (with
// `error`) when one is too big or all have too many lines.
bool CountPatterns(const WalkedRoots& roots, const std::map<std::string, std::string>& tops,
                   bool& any, std::string& error) {
  std::set<std::string> files(roots.ignore_files.begin(), roots.ignore_files.end());
  for (const auto& [dir, top] : tops)
    for (fs::path d = dir;; d = d.parent_path()) {
      std::error_code ec;
      if (fs::is_regular_file(d / kIgnoreFileName, ec))
        files.insert((d / kIgnoreFileName).string());
      if (d.string() == top || d == d.parent_path()) break;
    }
  any = !files.empty();
  std::size_t lines = 0;
  for (const std::string& f : files) {
    std::error_code ec;
    const auto size = fs::file_size(f, ec);
    if (ec || size > kMaxIgnoreFileBytes) {
      error = f + ": " +
              (ec ? ec.message() : "over " + std::to_string(kMaxIgnoreFileBytes >> 20) + " MiB") +
              ": ignore files not applied";
      return false;
    }
    std::ifstream in(f);
    std::string line;
    while (std::getline(in, line)) ++lines;
  }
  if (lines > kMaxIgnorePatterns) {
    error = "the .meshlintignore files have " + std::to_string(lines) + " lines, over " +
            std::to_string(kMaxIgnorePatterns) + ": ignore files not applied";
    return false;
  }
  return true;
}

struct Ignored {
  fs::path path;  // absolute; a directory: everything below it
  bool dir = false;
  const char* reason = "";
};

// Runs one query per walked directory and collects what it leaves out.
bool Query(const std::map<std::string, std::string>& tops, const std::string& git_dir,
           const char* per_directory, const char* reason, std::vector<Ignored>& out,
           std::string& error) {
  for (const auto& [dir, top] : tops) {
    if (git_dir.empty() && !fs::exists(fs::path(top) / ".git")) continue;  // not a work tree
    const fs::path rel = fs::path(dir).lexically_relative(top);
    const std::string spec = rel.empty() ? "." : rel.generic_string();
    git::IgnoreQuery q{top, spec, git_dir, per_directory};
    auto listed = git::ListIgnored(q, error);
    if (!listed) return false;
    for (const std::string& p : *listed) {
      Ignored i;
      i.dir = p.ends_with('/');
      i.path = (fs::path(top) / fs::path(i.dir ? p.substr(0, p.size() - 1) : p)).lexically_normal();
      i.reason = reason;
      // A directory named on the command line is linted even when it is
      // ignored as a whole.
      if (i.path == fs::path(dir) || Under(dir, i.path)) continue;
      out.push_back(std::move(i));
    }
  }
  return true;
}

// The rule that leaves `file` out: one for the file, or for a directory
// above it. Looked up by path, so many files against many rules stay cheap.
const Ignored* Matches(const std::map<fs::path, Ignored>& ignored, const fs::path& file) {
  auto it = ignored.find(file);
  if (it != ignored.end()) return &it->second;
  for (fs::path d = file.parent_path(); d.has_relative_path(); d = d.parent_path()) {
    it = ignored.find(d);
    if (it != ignored.end() && it->second.dir) return &it->second;
  }
  return nullptr;
}

}  // namespace

struct GitIgnoredPrefetch::Answer {
  std::map<std::string, std::string> tops;  // real walked directory → its repository root
  std::vector<Ignored> ignored;             // what .gitignore leaves out
  bool ok = false;
  std::string error;  // when not ok
};

namespace {

GitIgnoredPrefetch::Answer AskGit(const std::vector<std::string>& dirs) {
  GitIgnoredPrefetch::Answer a;
  for (const std::string& d : dirs) {
    std::error_code ec;
    const fs::path real = fs::canonical(d, ec);
    if (!ec) a.tops.emplace(real.string(), RepositoryRoot(real.string()));
  }
  a.ok = Query(a.tops, "", "", "ignored by git (.gitignore)", a.ignored, a.error);
  if (!a.ok) a.ignored.clear();
  return a;
}

}  // namespace

struct GitIgnoredPrefetch::Pending {
  std::future<GitIgnoredPrefetch::Answer> future;
  std::optional<GitIgnoredPrefetch::Answer> answer;
};

GitIgnoredPrefetch::GitIgnoredPrefetch() = default;

GitIgnoredPrefetch::GitIgnoredPrefetch(std::vector<std::string> dirs) : dirs_(std::move(dirs)) {
  if (dirs_.empty()) return;
  pending_ = std::make_unique<Pending>();
  try {
    pending_->future = std::async(std::launch::async, AskGit, dirs_);
  } catch (const std::system_error&) {
    pending_.reset();  // no thread to spare: ApplyIgnoreFiles asks itself
  }
}

// Waits for git (the future's own destructor would too).
GitIgnoredPrefetch::~GitIgnoredPrefetch() = default;

const GitIgnoredPrefetch::Answer* GitIgnoredPrefetch::Take(const std::vector<std::string>& dirs) {
  if (!pending_ || dirs != dirs_) return nullptr;
  if (!pending_->answer) pending_->answer = pending_->future.get();
  return &*pending_->answer;
}

std::size_t ApplyIgnoreFiles(const WalkedRoots& roots, GitIgnoredPrefetch& gitignore,
                             std::vector<InputFile>& inputs, std::vector<InputError>& errors,
                             std::vector<InputNote>& notes,
                             std::vector<std::pair<std::string, std::string>>& not_linted) {
  if (roots.dirs.empty()) return 0;
  std::optional<GitIgnoredPrefetch::Answer> asked_now;
  const GitIgnoredPrefetch::Answer* git = gitignore.Take(roots.dirs);
  if (!git) git = &asked_now.emplace(AskGit(roots.dirs));
  const std::map<std::string, std::string>& tops = git->tops;
  std::vector<Ignored> ignored = git->ignored;
  std::string error;
  if (!git->ok) notes.push_back({roots.dirs.front(), git->error + ": .gitignore not applied"});
  bool any = false;
  if (!CountPatterns(roots, tops, any, error)) {
    errors.push_back({kIgnoreFileName, error});
  } else if (any) {
    EmptyGitDir empty;
    std::vector<Ignored> more;
    if (empty.path().empty()) {
      errors.push_back({kIgnoreFileName, "cannot make a temporary directory: not applied"});
    } else if (!Query(tops, empty.path().string(), kIgnoreFileName, "left out by .meshlintignore",
                      more, error)) {
      errors.push_back({kIgnoreFileName, error + ": not applied"});
    } else {
      ignored.insert(ignored.end(), more.begin(), more.end());
    }
  }
  if (ignored.empty()) return 0;
  std::map<fs::path, Ignored> by_path;
  for (Ignored& i : ignored) by_path.emplace(i.path, std::move(i));
  std::size_t count = 0;
  std::erase_if(inputs, [&](const InputFile& f) {
    if (!f.walked || f.canonical.empty()) return false;
    const Ignored* i = Matches(by_path, f.canonical);
    if (!i) return false;
    not_linted.emplace_back(f.display, i->reason);
    ++count;
    return true;
  });
  return count;
}

}  // namespace meshlint
