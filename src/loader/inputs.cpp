#include "loader/inputs.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <iterator>
#include <map>
#include <mutex>
#include <system_error>
#include <thread>
#include <tuple>

#include "loader/config_file.h"
#include "loader/ignore.h"
#include "loader/projects.h"
#include "loader/read_file.h"
#include "loader/text.h"
#include "model/parallel.h"

namespace meshlint {
namespace fs = std::filesystem;

namespace {

bool HasManifestExtension(const fs::path& p) {
  const std::string ext = p.extension().string();
  return ext == ".yaml" || ext == ".yml" || ext == ".json";
}

// Why a path could not be looked at. A path longer than the system takes
// (PATH_MAX) is said so: it is never skipped silently.
std::string PathError(const std::error_code& ec, const char* what) {
  if (ec == std::errc::filename_too_long)
    return "path longer than the system allows (PATH_MAX, " + std::to_string(PATH_MAX) +
           " bytes): not read";
  return std::string(what) + ": " + ec.message();
}

bool IsWithin(const fs::path& path, const fs::path& root) {
  auto rel = path.lexically_relative(root);
  return !rel.empty() && *rel.begin() != "..";
}

// `name` appended to `dir` as std::filesystem's operator/ appends a plain
// file name: one separator between them, none added after a trailing one.
std::string Join(const std::string& dir, std::string_view name) {
  std::string out;
  out.reserve(dir.size() + 1 + name.size());
  out = dir;
  if (!out.empty() && out.back() != '/') out += '/';
  out += name;
  return out;
}

// The last component of a relative path is "..": `dir` is an ancestor of
// the base, where appending a name can climb back into it.
bool EndsWithDotDot(std::string_view rel) {
  while (!rel.empty() && rel.back() == '/') rel.remove_suffix(1);
  return rel == ".." || rel.ends_with("/..");
}

// A directory being walked, with the names of its files' paths computed
// once for all of them (one lexically_relative per directory, not per file).
struct WalkDir {
  std::string path;      // as the walk reaches it: the root as named, then root/sub...
  std::string below;     // relative to the root: "" for the root itself
  std::string absolute;  // absolute and lexically normal
  std::string display;   // relative to the base: "." for the base; empty: not below a base
  bool fast = false;     // a file's display name is display/name
};

WalkDir MakeWalkDir(std::string path, std::string below, std::string absolute,
                    const fs::path& base) {
  WalkDir d{std::move(path), std::move(below), std::move(absolute), "", false};
  d.display = fs::path(d.absolute).lexically_relative(base).string();
  d.fast = d.display.empty() || !EndsWithDotDot(d.display);
  return d;
}

// Collects what a directory walk finds, shown relative to `base`.
struct Found {
  const fs::path& base;
  std::vector<InputFile> files;

  // `canonical`: the real path of a file to read.
  void Add(const fs::path& path, std::string skip_reason, fs::path canonical = {},
           bool via_link = false) {
    InputFile f;
    f.absolute = fs::absolute(path).lexically_normal().string();
    f.display = DisplayPath(f.absolute, base);
    f.is_json = path.extension() == ".json";
    f.skip_reason = std::move(skip_reason);
    f.canonical = canonical.string();
    f.via_link = via_link;
    f.walked = true;
    files.push_back(std::move(f));
  }

  // The same for `name` in `dir`, from the names computed for the directory:
  // what Add would give, without a path object per file.
  void AddIn(const WalkDir& dir, std::string_view name, std::string skip_reason,
             std::string canonical, bool is_json) {
    InputFile f;
    f.absolute = Join(dir.absolute, name);
    if (!dir.fast) f.display = DisplayPath(f.absolute, base);
    else if (dir.display.empty()) f.display = f.absolute;
    else if (dir.display == ".") f.display = name;
    else f.display = Join(dir.display, name);
    f.is_json = is_json;
    f.skip_reason = std::move(skip_reason);
    f.canonical = std::move(canonical);
    f.walked = true;
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
  if (sec == std::errc::filename_too_long) {
    found.Add(path, PathError(sec, "cannot read"));
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
  } else if (const fs::file_status st = fs::status(target, sec); !fs::is_regular_file(st)) {
    found.Add(path, NotRegularFile(st.type()));
  } else {
    found.Add(path, "", target, true);
  }
}

// A directory entry's type from readdir's d_type, which costs no system
// call; lstat only where the file system does not say (DT_UNKNOWN) or where
// the path is too long to be looked at (`ec` then says so).
fs::file_type EntryType(unsigned char d_type, const std::string& path, std::error_code& ec) {
  if (path.size() < PATH_MAX) switch (d_type) {
      case DT_REG: return fs::file_type::regular;
      case DT_DIR: return fs::file_type::directory;
      case DT_LNK: return fs::file_type::symlink;
      case DT_FIFO: return fs::file_type::fifo;
      case DT_SOCK: return fs::file_type::socket;
      case DT_CHR: return fs::file_type::character;
      case DT_BLK: return fs::file_type::block;
      default: break;
    }
  return fs::symlink_status(path, ec).type();
}

// The extension std::filesystem sees: none for ".yaml" (a hidden file).
std::string_view Extension(std::string_view name) {
  const std::size_t dot = name.rfind('.');
  return dot == std::string_view::npos || dot == 0 ? std::string_view() : name.substr(dot);
}

// One entry of a walked directory: a directory to walk, a link, a manifest.
void WalkEntry(const WalkDir& dir, std::string_view name, unsigned char d_type,
               const fs::path& real_root, const std::string& shown, Found& found,
               WalkedRoots& roots, std::vector<WalkDir>& pending) {
  const std::string path = Join(dir.path, name);
  std::error_code sec;
  const fs::file_type type = EntryType(d_type, path, sec);
  if (sec == std::errc::filename_too_long) {
    // Listed, but not to be looked at: reported whatever its name, since
    // it may be a directory of manifests.
    found.Add(path, PathError(sec, "cannot read"));
    return;
  }
  if (type == fs::file_type::directory) {
    if (name != ".git" && name != "node_modules")
      pending.push_back(
          MakeWalkDir(path, Join(dir.below, name), Join(dir.absolute, name), found.base));
    return;
  }
  if (type == fs::file_type::symlink) {
    WalkLink(path, real_root, shown, found);
    return;
  }
  if (name == kIgnoreFileName && type == fs::file_type::regular) roots.ignore_files.push_back(path);
  // The project configuration is not a manifest.
  const std::string_view ext = Extension(name);
  if ((ext != ".yaml" && ext != ".yml" && ext != ".json") || name == kConfigFileName) return;
  if (type != fs::file_type::regular) {
    found.AddIn(dir, name, NotRegularFile(type), "", ext == ".json");
    return;
  }
  // No directory link was followed: below the real root, the path is real.
  found.AddIn(dir, name, "",
              real_root.empty() ? std::string() : Join(real_root.string(), Join(dir.below, name)),
              ext == ".json");
}

// Reads one directory's entries; an errno when it cannot be read.
int ReadDirectory(const WalkDir& dir, const fs::path& real_root, const std::string& shown,
                  Found& found, WalkedRoots& roots, std::vector<WalkDir>& pending) {
  DIR* d = ::opendir(dir.path.c_str());
  if (!d) return errno;
  int error = 0;
  for (;;) {
    errno = 0;
    const struct dirent* e = ::readdir(d);
    if (!e) {
      error = errno;
      break;
    }
    const std::string_view name = e->d_name;
    if (name == "." || name == "..") continue;
    WalkEntry(dir, name, e->d_type, real_root, shown, found, roots, pending);
  }
  ::closedir(d);
  return error;
}

// Walks a directory named on the command line for manifests. Symbolic links
// are never followed out of it: a link whose target lies outside is reported
// and its target never opened (a pull request could otherwise point a link at
// a secret and have it quoted into a public report). Directory links are not
// followed at all (inside the tree their files are reached by their real
// path), so link loops cannot make the walk go round. FIFOs and devices are
// reported, never opened (opening a FIFO blocks); only one swapped in for a
// file after the walk saw it is opened (without blocking) and refused unread.
//
// Directories are read on up to `jobs` threads (a directory per step, taken
// from one shared list); what they find is sorted by name after, so the
// result does not depend on which thread read what.
void Walk(const fs::path& root, const fs::path& base, std::vector<InputFile>& files,
          WalkedRoots& roots, unsigned jobs) {
  std::error_code ec;
  const fs::path real_root_path = fs::canonical(root, ec);
  const std::string shown = root.string();
  struct Shared {
    std::mutex m;
    std::condition_variable cv;
    std::vector<WalkDir> pending;
    unsigned busy = 0;  // threads reading a directory (which may add more)
  } shared;
  shared.pending.push_back(
      MakeWalkDir(root.string(), "", fs::absolute(root).lexically_normal().string(), base));
  jobs = EffectiveJobs(jobs);
  std::vector<Found> found(jobs, Found{base, {}});
  std::vector<WalkedRoots> met(jobs);
  std::exception_ptr failure;  // the first exception a thread met, thrown here after
  const auto work = [&](unsigned t) {
    std::vector<WalkDir> more;
    std::unique_lock lock(shared.m);
    for (;;) {
      shared.cv.wait(lock, [&] { return !shared.pending.empty() || shared.busy == 0; });
      if (shared.pending.empty() || failure) break;  // done, or given up
      const WalkDir dir = std::move(shared.pending.back());
      shared.pending.pop_back();
      ++shared.busy;
      lock.unlock();
      more.clear();
      std::exception_ptr error_here;
      try {
        if (int error = ReadDirectory(dir, real_root_path, shown, found[t], met[t], more))
          found[t].Add(dir.path, PathError(std::error_code(error, std::generic_category()),
                                           "cannot read directory"));
      } catch (...) {
        error_here = std::current_exception();
      }
      lock.lock();
      --shared.busy;
      if (error_here && !failure) failure = error_here;
      for (WalkDir& d : more) shared.pending.push_back(std::move(d));
      if (!more.empty() || shared.busy == 0 || failure) shared.cv.notify_all();
    }
    shared.cv.notify_all();
  };
  {
    std::vector<std::jthread> threads;
    for (unsigned t = 1; t < jobs; ++t) {
      try {
        threads.emplace_back(work, t);
      } catch (const std::system_error&) {
        break;  // fewer threads: the others do the work
      }
    }
    work(0);
  }
  if (failure) std::rethrow_exception(failure);
  std::vector<InputFile> all;
  for (Found& f : found) {
    all.insert(all.end(), std::make_move_iterator(f.files.begin()),
               std::make_move_iterator(f.files.end()));
  }
  for (WalkedRoots& m : met)
    roots.ignore_files.insert(roots.ignore_files.end(), m.ignore_files.begin(),
                              m.ignore_files.end());
  // Sorted by index: an InputFile is many strings, costly to move about.
  std::vector<std::size_t> order(all.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return std::tie(all[a].display, all[a].absolute, all[a].skip_reason) <
           std::tie(all[b].display, all[b].absolute, all[b].skip_reason);
  });
  files.reserve(files.size() + all.size());
  for (std::size_t k : order) files.push_back(std::move(all[k]));
}

// `name` (--stdin-filename): the file the text stands for, so reports name
// it; empty: "<stdin>".
InputFile ReadStdin(const std::string& name, const fs::path& base) {
  InputFile f;
  f.display = f.absolute = "<stdin>";
  if (!name.empty()) {
    f.absolute = (base / name).lexically_normal().string();
    f.display = DisplayPath(f.absolute, base);
  }
  f.is_stdin = true;
  f.rendered = true;
  if (auto error = ReadStandardInput({kMaxManifestFileBytes, true}, f.preloaded))
    f.skip_reason = *error;
  return f;
}

// One path of the command line; false (with the error) when it is unusable.
bool AddArgument(const std::string& arg, const fs::path& base, std::vector<InputFile>& inputs,
                 std::vector<InputError>& errors, WalkedRoots& roots, unsigned jobs) {
  fs::path p(arg);
  std::error_code ec;
  fs::file_status st = fs::status(p, ec);
  if (ec == std::errc::filename_too_long) {
    errors.push_back({arg, PathError(ec, "cannot read")});
    return false;
  }
  if (ec || !fs::exists(st)) {
    errors.push_back({arg, "no such file or directory"});
    return false;
  }
  if (fs::is_directory(st)) {
    Walk(p, base, inputs, roots, jobs);
    roots.dirs.push_back(arg);
    return true;
  }
  // A file named on the command line is read whatever its extension; a
  // pipe is fine (`<(helm template ...)`), a device is not (/dev/zero never
  // ends).
  if (!fs::is_regular_file(st) && !fs::is_fifo(st)) {
    errors.push_back({arg, NotRegularFile(st.type())});
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
    if (auto error = ReadBounded(arg, {kMaxManifestFileBytes, true}, f.preloaded)) {
      errors.push_back({arg, *error});
      return false;
    }
    f.from_pipe = true;
  } else {
    // Unreadable named files stop the run (exit 2). The probe never blocks:
    // were a FIFO swapped in since the stat, it is refused when read.
    const int fd = ::open(arg.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
      errors.push_back({arg, "cannot open: " + std::string(std::strerror(errno))});
      return false;
    }
    ::close(fd);
    f.canonical = fs::canonical(p, ec).string();
    f.via_link = fs::is_symlink(p, ec);
  }
  inputs.push_back(std::move(f));
  return true;
}

// The same file named twice (or reached through two arguments) is read once.
// Files are identified by their real path: one reached again through a
// symbolic link is read once, under a name that is no link when one is among
// the inputs, and the link is a note (not a second copy of every object in it).
void Dedup(std::vector<InputFile>& inputs, std::vector<InputNote>& notes) {
  auto key = [](const InputFile& f) { return f.canonical.empty() ? f.absolute : f.canonical; };
  auto counts = [](const InputFile& f) { return !f.is_stdin && f.skip_reason.empty(); };
  std::map<std::string, std::size_t> read_as;  // key → the input that reads it
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (!counts(inputs[i])) continue;
    auto [it, fresh] = read_as.emplace(key(inputs[i]), i);
    if (!fresh && !inputs[i].via_link && inputs[it->second].via_link) it->second = i;
  }
  std::vector<bool> keep(inputs.size(), true);
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const InputFile& f = inputs[i];
    if (!counts(f)) continue;
    const InputFile& reader = inputs[read_as.at(key(f))];
    if (&reader == &f) continue;
    keep[i] = false;
    if (reader.absolute != f.absolute)
      notes.push_back({f.display, "the same file as " + reader.display +
                                      ", reached through a symbolic link: read once, as " +
                                      reader.display});
  }
  std::vector<InputFile> unique;
  for (std::size_t i = 0; i < inputs.size(); ++i)
    if (keep[i]) unique.push_back(std::move(inputs[i]));
  inputs = std::move(unique);
}

// The project's include/exclude globs, over paths relative to glob_base.
bool CommandLineExcludes(const InputFile& f, const LoadOptions& options, const fs::path& base) {
  if (f.is_stdin || options.command_line_exclude.empty()) return false;
  const fs::path rel = fs::path(f.absolute).lexically_relative(base);
  if (rel.empty() || *rel.begin() == "..") return false;
  const std::string path = rel.generic_string();
  return std::any_of(options.command_line_exclude.begin(), options.command_line_exclude.end(),
                     [&](const std::string& g) { return GlobMatch(g, path); });
}

bool InExcludedDir(const InputFile& f, const LoadOptions& options) {
  if (f.is_stdin) return false;
  return std::any_of(options.excluded_dirs.begin(), options.excluded_dirs.end(),
                     [&](const std::string& d) { return IsWithin(f.absolute, d); });
}

// Files left out are listed in `set_aside` with the glob's origin (--verbose).
void FilterByGlobs(std::vector<InputFile>& inputs, const LoadOptions& options, const fs::path& base,
                   std::vector<std::pair<std::string, std::string>>& set_aside) {
  if (options.include.empty() && options.exclude.empty() && options.command_line_exclude.empty() &&
      options.excluded_dirs.empty())
    return;
  const fs::path glob_base = options.glob_base.empty() ? base : fs::path(options.glob_base);
  std::vector<InputFile> kept;
  for (auto& f : inputs) {
    if (CommandLineExcludes(f, options, base)) {
      set_aside.emplace_back(f.display, "excluded by --exclude");
      continue;
    }
    if (InExcludedDir(f, options)) {
      set_aside.emplace_back(f.display, "in another environment's directory");
      continue;
    }
    if (!f.is_stdin && (!options.include.empty() || !options.exclude.empty())) {
      fs::path rel = fs::path(f.absolute).lexically_relative(glob_base);
      if (!rel.empty() && *rel.begin() != "..") {
        const std::string path = rel.generic_string();
        auto matches = [&](const std::vector<std::string>& globs) {
          return std::any_of(globs.begin(), globs.end(),
                             [&](const std::string& g) { return GlobMatch(g, path); });
        };
        if (!options.include.empty() && !matches(options.include)) {
          set_aside.emplace_back(f.display, "matches no include: glob of the project config");
          continue;
        }
        if (matches(options.exclude)) {
          set_aside.emplace_back(f.display, "excluded by the project config's exclude:");
          continue;
        }
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
                                       std::vector<InputError>& errors,
                                       std::vector<InputNote>& notes, LoadReport& report) {
  std::vector<std::string> args = paths;
  if (args.empty()) args.push_back(".");
  std::vector<InputFile> inputs;
  bool stdin_read = false;
  // git answers what .gitignore leaves out of the directories while they
  // are walked.
  std::vector<std::string> dirs;
  if (!options.no_ignore)
    for (const std::string& arg : args) {
      std::error_code ec;
      if (arg != "-" && fs::is_directory(fs::status(arg, ec))) dirs.push_back(arg);
    }
  GitIgnoredPrefetch gitignore(std::move(dirs));
  WalkedRoots roots;
  for (const std::string& arg : args) {
    if (arg == "-") {
      if (!stdin_read) inputs.push_back(ReadStdin(options.stdin_name, base));
      stdin_read = true;
      continue;
    }
    AddArgument(arg, base, inputs, errors, roots, options.jobs);
  }
  Dedup(inputs, notes);
  if (!options.no_ignore)
    report.ignored_files =
        ApplyIgnoreFiles(roots, gitignore, inputs, errors, notes, report.not_linted);
  FilterByGlobs(inputs, options, base, report.not_linted);
  SetAsideChartsAndKustomizations(inputs, options, base, notes, report.not_linted);
  return inputs;
}

}  // namespace meshlint
