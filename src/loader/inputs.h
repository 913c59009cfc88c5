// The command line's paths → the list of input files: the directory walk and
// its symbolic-link policy, stdin and pipes, one entry per file, the
// project's include/exclude globs. Loader-internal.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "loader/loader.h"

namespace meshlint {

struct InputFile {
  std::string display;
  std::string absolute;
  bool is_stdin = false;
  bool is_json = false;
  std::string preloaded;   // stdin or pipe content
  bool from_pipe = false;  // preloaded holds a pipe's content
  // Rendered output streamed in (stdin, `<(helm template ...)`): Helm's
  // `# Source:` comments name the files. A regular file is shown as itself,
  // since that is the file a user can open and fix.
  bool rendered = false;
  std::string skip_reason;  // non-empty: report instead of reading
  // The file's real path (no symbolic links), which identifies it; empty
  // when unknown (stdin, pipes, files not to be read).
  std::string canonical;
  bool via_link = false;  // the path itself is a symbolic link
  bool walked = false;    // found by walking a directory, not named
};

// The inputs `paths` name (an empty list: the working directory), in order,
// each file once. Problems with the paths themselves go to `errors`; a file
// reached a second time through a symbolic link is a note.
// Walked files of Helm charts and kustomizations are set aside
// (loader/projects.h) into `report`.
std::vector<InputFile> EnumerateInputs(const std::vector<std::string>& paths,
                                       const LoadOptions& options,
                                       const std::filesystem::path& base,
                                       std::vector<InputError>& errors,
                                       std::vector<InputNote>& notes, LoadReport& report);

// How a file is shown: relative to `base` when it lies below it.
std::string DisplayPath(const std::filesystem::path& absolute, const std::filesystem::path& base);

}  // namespace meshlint
