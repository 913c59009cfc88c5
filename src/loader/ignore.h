// Ignore files: inside a git work tree, what git ignores (.gitignore at every
// level, .git/info/exclude, the global excludes file) is not linted when a
// directory is walked; .meshlintignore files (gitignore syntax, at any level
// from the repository root down, in a git work tree or not) leave out more.
// Git itself decides (loader/git_tree.h runs `git ls-files --ignored`), so
// the rules mean exactly what they mean to git. Files named on the command
// line are always linted. Loader-internal.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "loader/inputs.h"

namespace meshlint {

inline constexpr const char* kIgnoreFileName = ".meshlintignore";
// A pull request controls the ignore files: bounded like every input.
inline constexpr std::size_t kMaxIgnoreFileBytes = std::size_t{1} << 20;
inline constexpr std::size_t kMaxIgnorePatterns = 10000;  // lines of all .meshlintignore files

// What the walk of the command line's directories met.
struct WalkedRoots {
  std::vector<std::string> dirs;          // directories named on the command line
  std::vector<std::string> ignore_files;  // .meshlintignore files found below them
};

// What .gitignore leaves out of the directories named on the command line,
// asked of git on a thread of its own as soon as those are known, so that
// git runs while they are walked; ApplyIgnoreFiles takes the answer.
class GitIgnoredPrefetch {
 public:
  GitIgnoredPrefetch();  // nothing asked: ApplyIgnoreFiles asks itself
  explicit GitIgnoredPrefetch(std::vector<std::string> dirs);
  ~GitIgnoredPrefetch();
  GitIgnoredPrefetch(const GitIgnoredPrefetch&) = delete;
  GitIgnoredPrefetch& operator=(const GitIgnoredPrefetch&) = delete;

  struct Answer;
  // The answer for exactly `dirs`, waiting for it; nullptr when nothing or
  // something else was asked.
  const Answer* Take(const std::vector<std::string>& dirs);

 private:
  struct Pending;
  std::vector<std::string> dirs_;
  std::unique_ptr<Pending> pending_;
};

// Removes from `inputs` the walked files that ignore files leave out, each
// listed in `not_linted` (display path, reason); returns how many. When the
// rules cannot be read (git missing, a bound passed), nothing is left out and
// `errors` (for .meshlintignore, which the user wrote for meshlint) or
// `notes` (for .gitignore) say why.
std::size_t ApplyIgnoreFiles(const WalkedRoots& roots, GitIgnoredPrefetch& gitignore,
                             std::vector<InputFile>& inputs, std::vector<InputError>& errors,
                             std::vector<InputNote>& notes,
                             std::vector<std::pair<std::string, std::string>>& not_linted);

}  // namespace meshlint
