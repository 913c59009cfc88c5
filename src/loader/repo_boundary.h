// The repository boundary for files the project config names: a pull request
// controls .meshlint.yaml, so the files it names (meshConfig, egressPolicy,
// the config itself when found in the tree) are read only when they are
// regular files inside the repository, reached as the directory walk would
// reach them. Files named on the command line are the user's choice and are
// not held to it.
#pragma once

#include <optional>
#include <string>

#include "model/problem.h"

namespace meshlint {

// The repository a config file in `dir` belongs to: the git work tree (the
// nearest directory, going up, holding `.git`), else `dir` itself.
std::string RepositoryRoot(const std::string& dir);

struct RepositoryFile {
  std::string path;     // its real path (no symbolic links), when accepted
  std::string refusal;  // why not, when refused; never anything read from it
  bool accepted() const { return refusal.empty(); }
};

// Resolves `path` as written in the project config (relative to
// `config_dir`, or absolute) with the walk's policy for symbolic links: what
// it names, links followed, must be a regular file whose real path lies
// inside `root`. Refused: a target outside `root` (directly or through a
// link), a missing file or dangling link, a link loop, a directory, a FIFO,
// device or socket, a path longer than PATH_MAX. Nothing is opened.
RepositoryFile ResolveInRepository(const std::string& path, const std::string& config_dir,
                                   const std::string& root);

// The same, a refusal as a Problem at `where` (where the config names the
// file); nullopt with the real path in `resolved` when accepted.
std::optional<Problem> CheckInRepository(const std::string& path, const std::string& config_dir,
                                         const std::string& root, const Location& where,
                                         std::string& resolved);

}  // namespace meshlint
