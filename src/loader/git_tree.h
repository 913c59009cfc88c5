// Reading a git revision without a checkout: the files of one commit, taken
// from the repository's object store by `git ls-tree` and `git cat-file
// --batch` (subprocesses, arguments passed without a shell). The working
// tree, the index and HEAD are never touched. Also the ignore rules of a
// directory (`git ls-files --ignored`, for loader/ignore.h). This is the one
// place meshlint runs git.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace meshlint::git {

// One entry of a commit's tree, as `git ls-tree -r` lists it.
struct TreeEntry {
  std::string mode;    // "100644", "100755", "120000" (a symbolic link), "160000"
  std::string type;    // "blob", "commit" (a submodule)
  std::string object;  // its id
  std::string path;    // relative to the repository's top, '/'-separated
  bool regular() const { return type == "blob" && mode != "120000"; }
  bool link() const { return mode == "120000"; }
};

struct TreeFile {
  std::string path;  // relative to the repository's top, '/'-separated
  std::string text;
};

// Bounds on what one revision may bring in (a pull request controls it).
inline constexpr std::size_t kMaxListingBytes = std::size_t{64} << 20;  // ls-tree output
inline constexpr std::size_t kMaxRevisionBytes = std::size_t{1} << 30;  // all files read
inline constexpr std::size_t kMaxTreeFiles = 200000;

class Repository {
 public:
  // The repository whose work tree holds `dir`; nullopt (with `error`, a
  // sentence) when git is missing or `dir` is in no repository.
  static std::optional<Repository> Containing(const std::string& dir, std::string& error);

  const std::string& top() const { return top_; }

  // The commit `revision` names (branch, tag, sha, HEAD~1, origin/main...);
  // nullopt (with `error`) when it names none. Revisions starting with '-'
  // are refused: they would be read as options.
  std::optional<std::string> Resolve(const std::string& revision, std::string& error) const;

  // Every entry of `commit`'s tree, sorted by path; false (with `error`)
  // when git fails or the listing passes kMaxListingBytes.
  bool List(const std::string& commit, std::vector<TreeEntry>& out, std::string& error) const;

  // The texts of `entries` (regular files of a listing). Files over
  // `max_file_bytes` are skipped with a note; false (with `error`) when git
  // fails or a bound is passed.
  bool Read(const std::vector<const TreeEntry*>& entries, std::size_t max_file_bytes,
            std::vector<TreeFile>& out, std::vector<std::string>& notes, std::string& error) const;

  // The blobs of `commit` whose path `want` accepts (it is given every blob
  // path of the tree), with their texts. Symbolic links and submodules are
  // skipped, each with a note. Files over `max_file_bytes` are skipped with
  // a note. false (with `error`) when git fails or a bound is passed.
  bool ReadFiles(const std::string& commit, const std::function<bool(const std::string&)>& want,
                 std::size_t max_file_bytes, std::vector<TreeFile>& out,
                 std::vector<std::string>& notes, std::string& error) const;

 private:
  std::string top_;
};

// What `git ls-files --others --ignored --directory` says of the directory
// `pathspec` (relative to `work_tree`, '/'-separated, "." for all of it):
// the untracked paths that ignore rules leave out, relative to `work_tree`,
// a directory left out as a whole once, with a trailing '/'.
struct IgnoreQuery {
  std::string work_tree;
  std::string pathspec;
  // Empty: the repository of `work_tree` and git's standard rules
  // (.gitignore at every level, .git/info/exclude, core.excludesFile).
  // Else a repository directory to use instead (an empty one: every file is
  // untracked) and only `per_directory` files' rules.
  std::string git_dir;
  std::string per_directory;  // e.g. ".meshlintignore"
};
// nullopt (with `error`, a sentence) when git is missing or fails, or the
// listing is over kMaxListingBytes or kMaxTreeFiles entries.
std::optional<std::vector<std::string>> ListIgnored(const IgnoreQuery& query, std::string& error);

}  // namespace meshlint::git
