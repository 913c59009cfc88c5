#include "loader/inputs.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <set>
#include <sstream>

#include "loader/config_file.h"
#include "loader/read_file.h"
#include "loader/text.h"

namespace meshlint {
namespace fs = std::filesystem;

namespace {

bool HasManifestExtension(const fs::path& p) {
  const std::string ext = p.extension().string();
  return ext == ".yaml" || ext == ".yml" || ext == ".json";
}

bool IsWithin(const fs::path& path, const fs::path& root) {
  auto rel = path.lexically_relative(root);
  return !rel.empty() && *rel.begin() != "..";
}

// Collects what a directory walk finds, shown relative to `base`.
struct Found {
  const fs::path& base;
  std::vector<InputFile> files;

  void Add(const fs::path& path, std::string skip_reason) {
    InputFile f;
    f.absolute = fs::absolute(path).lexically_normal().string();
    f.display = DisplayPath(f.absolute, base);
    f.is_json = path.extension() == ".json";
    f.skip_reason = std::move(skip_reason);
    files.push_back(std::move(f));
  }
};

// A symbolic link met by the walk of `shown` (whose real path is real_root).
void WalkLink(const fs::path& path, const fs::path& real_root, const std::string& shown,
              Found& found) {
  std::error_code sec;
  const std::string name = path.filename().string();
  const fs::path target = fs::canonical(path, sec);
  if (sec == std::errc::too_many_symbolic_link_levels) {
    found.Add(path, "symbolic link loop: not read");
    return;
  }
  if (sec) {
    if (HasManifestExtension(path)) found.Add(path, "symbolic link to a missing file: not read");
    return;
  }
  const bool inside = !real_root.empty() && IsWithin(target, real_root);
  if (fs::is_directory(target, sec)) {
    if (!inside)
      found.Add(path, "symbolic link to a directory outside " + shown + ": not followed");
    return;
  }
  if (!HasManifestExtension(path) || name == kConfigFileName) return;
  if (!inside) {
    found.Add(path, "symbolic link points outside " + shown + ": not read");
  } else if (!fs::is_regular_file(target, sec)) {
    found.Add(path, "not a regular file (FIFO, device or socket): not read");
  } else {
    found.Add(path, "");
  }
}

// Walks a directory named on the command line for manifests. Symbolic links
// are never followed out of it: a link whose target lies outside is reported
// and its target never opened (a pull request could otherwise point a link at
// a secret and have it quoted into a public report). Directory links are not
// followed at all (inside the tree their files are reached by their real
// path), so link loops cannot make the walk go round. FIFOs and devices are
// reported, never opened (opening a FIFO blocks).
void Walk(const fs::path& root, const fs::path& base, std::vector<InputFile>& files) {
  std::error_code ec;
  const fs::path real_root = fs::canonical(root, ec);
  Found found{base, {}};
  const std::string shown = root.string();
  std::vector<fs::path> pending{root};
  while (!pending.empty()) {
    const fs::path dir = std::move(pending.back());
    pending.pop_back();
    fs::directory_iterator it(dir, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      const fs::path& path = it->path();
      const std::string name = path.filename().string();
      std::error_code sec;
      const fs::file_status lst = it->symlink_status(sec);
      if (fs::is_directory(lst)) {
        if (name != ".git" && name != "node_modules") pending.push_back(path);
        continue;
      }
      if (fs::is_symlink(lst)) {
        WalkLink(path, real_root, shown, found);
        continue;
      }
      // The project configuration is not a manifest.
      if (!HasManifestExtension(path) || name == kConfigFileName) continue;
      found.Add(path, fs::is_regular_file(lst)
                          ? ""
                          : "not a regular file (FIFO, device or socket): not read");
    }
    if (ec) {
      found.Add(dir, "cannot read directory: " + ec.message());
      ec.clear();
    }
  }
  std::sort(found.files.begin(), found.files.end(),
            [](const InputFile& a, const InputFile& b) { return a.display < b.display; });
  files.insert(files.end(), std::make_move_iterator(found.files.begin()),
               std::make_move_iterator(found.files.end()));
}

InputFile ReadStdin() {
  InputFile f;
  f.display = f.absolute = "<stdin>";
  f.is_stdin = true;
  f.rendered = true;
  std::ostringstream buffer;
  buffer << std::cin.rdbuf();
  f.preloaded = buffer.str();
  return f;
}

// One path of the command line; false (with the error) when it is unusable.
bool AddArgument(const std::string& arg, const fs::path& base, std::vector<InputFile>& inputs,
                 std::vector<InputError>& errors) {
  fs::path p(arg);
  std::error_code ec;
  fs::file_status st = fs::status(p, ec);
  if (ec || !fs::exists(st)) {
    errors.push_back({arg, "no such file or directory"});
    return false;
  }
  if (fs::is_directory(st)) {
    Walk(p, base, inputs);
    return true;
  }
  // A file named on the command line is read whatever its extension; a
  // pipe is fine (`<(helm template ...)`), a device is not (/dev/zero never
  // ends).
  if (!fs::is_regular_file(st) && !fs::is_fifo(st)) {
    errors.push_back({arg, "not a regular file or pipe: not read"});
    return false;
  }
  InputFile f;
  f.absolute = fs::absolute(p).lexically_normal().string();
  // A pipe (`<(helm template ...)`) is shown as named, not as ../../dev/fd/63.
  f.display = fs::is_regular_file(st) ? DisplayPath(f.absolute, base) : arg;
  f.rendered = !fs::is_regular_file(st);
  f.is_json = p.extension() == ".json";
  if (f.rendered) {
    // A pipe is read now, through the one open: opened and closed here to
    // probe it, then opened again, its writer could be gone (the second
    // open then waits forever).
    std::string error;
    if (!ReadFile(p, f.preloaded, error)) {
      errors.push_back({arg, error});
      return false;
    }
    f.from_pipe = true;
  } else if (std::ifstream probe(p, std::ios::binary); !probe) {
    errors.push_back({arg, "cannot open: " + std::string(std::strerror(errno))});
    return false;
  }
  inputs.push_back(std::move(f));
  return true;
}

// The same file named twice (or reached through two arguments) is read once.
void Dedup(std::vector<InputFile>& inputs) {
  std::set<std::string> seen;
  std::vector<InputFile> unique;
  for (auto& f : inputs)
    if (f.is_stdin || seen.insert(f.absolute).second) unique.push_back(std::move(f));
  inputs = std::move(unique);
}

// The project's include/exclude globs, over paths relative to glob_base.
void FilterByGlobs(std::vector<InputFile>& inputs, const LoadOptions& options,
                   const fs::path& base) {
  if (options.include.empty() && options.exclude.empty()) return;
  const fs::path glob_base = options.glob_base.empty() ? base : fs::path(options.glob_base);
  std::vector<InputFile> kept;
  for (auto& f : inputs) {
    if (!f.is_stdin) {
      fs::path rel = fs::path(f.absolute).lexically_relative(glob_base);
      if (!rel.empty() && *rel.begin() != "..") {
        const std::string path = rel.generic_string();
        auto matches = [&](const std::vector<std::string>& globs) {
          return std::any_of(globs.begin(), globs.end(),
                             [&](const std::string& g) { return GlobMatch(g, path); });
        };
        if (!options.include.empty() && !matches(options.include)) continue;
        if (matches(options.exclude)) continue;
      }
    }
    kept.push_back(std::move(f));
  }
  inputs = std::move(kept);
}

}  // namespace

std::string DisplayPath(const fs::path& absolute, const fs::path& base) {
  fs::path rel = absolute.lexically_relative(base);
  if (rel.empty()) return absolute.string();
  return rel.string();
}

std::vector<InputFile> EnumerateInputs(const std::vector<std::string>& paths,
                                       const LoadOptions& options, const fs::path& base,
                                       std::vector<InputError>& errors) {
  std::vector<std::string> args = paths;
  if (args.empty()) args.push_back(".");
  std::vector<InputFile> inputs;
  bool stdin_read = false;
  for (const std::string& arg : args) {
    if (arg == "-") {
      if (!stdin_read) inputs.push_back(ReadStdin());
      stdin_read = true;
      continue;
    }
    AddArgument(arg, base, inputs, errors);
  }
  Dedup(inputs);
  FilterByGlobs(inputs, options, base);
  return inputs;
}

}  // namespace meshlint
