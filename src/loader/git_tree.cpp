#include "loader/git_tree.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

extern char** environ;

namespace meshlint::git {

namespace {

// One git process: its stdout (and, when asked, stdin) through pipes; its
// stderr to the parent's only when `show_errors`, else discarded.
class Process {
 public:
  Process(const std::vector<std::string>& args, bool with_stdin) {
    int out[2] = {-1, -1}, in[2] = {-1, -1};
    if (::pipe2(out, O_CLOEXEC) != 0) return;
    if (with_stdin && ::pipe2(in, O_CLOEXEC) != 0) {
      Close(out[0]);
      Close(out[1]);
      return;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    if (with_stdin) posix_spawn_file_actions_adddup2(&actions, in[0], STDIN_FILENO);
    else posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    std::vector<char*> argv;
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    const int rc = posix_spawnp(&pid_, "git", &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    Close(out[1]);
    if (with_stdin) Close(in[0]);
    if (rc != 0) {
      pid_ = -1;
      Close(out[0]);
      if (with_stdin) Close(in[1]);
      return;
    }
    out_ = ::fdopen(out[0], "rb");
    in_ = with_stdin ? in[1] : -1;
  }
  ~Process() { Wait(); }
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  bool started() const { return pid_ > 0 && out_; }
  std::FILE* out() { return out_; }
  bool Write(const std::string& s) {
    std::size_t done = 0;
    while (done < s.size()) {
      const ssize_t n = ::write(in_, s.data() + done, s.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      done += static_cast<std::size_t>(n);
    }
    return true;
  }
  // Closes the pipes and reaps the process; true when it exited 0.
  bool Wait() {
    if (in_ >= 0) Close(in_);
    if (out_) {
      std::fclose(out_);
      out_ = nullptr;
    }
    if (pid_ <= 0) return status_ok_;
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {}
    pid_ = -1;
    status_ok_ = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    return status_ok_;
  }

 private:
  static void Close(int& fd) {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
  pid_t pid_ = -1;
  std::FILE* out_ = nullptr;
  int in_ = -1;
  bool status_ok_ = false;
};

// The whole stdout of `args`, at most `limit` bytes; nullopt when git could
// not run, failed, or wrote more.
std::optional<std::string> Capture(const std::vector<std::string>& args, std::size_t limit) {
  Process p(args, false);
  if (!p.started()) return std::nullopt;
  std::string out;
  char buf[65536];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, p.out())) > 0) {
    out.append(buf, n);
    if (out.size() > limit) return std::nullopt;
  }
  if (!p.Wait()) return std::nullopt;
  return out;
}

std::string Chomp(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

// `git ls-tree -r -z` output: "<mode> <type> <object>\t<path>\0".
std::vector<TreeEntry> ParseListing(const std::string& listing) {
  std::vector<TreeEntry> out;
  std::size_t pos = 0;
  while (pos < listing.size()) {
    std::size_t end = listing.find('\0', pos);
    if (end == std::string::npos) end = listing.size();
    const std::string record = listing.substr(pos, end - pos);
    pos = end + 1;
    const std::size_t tab = record.find('\t');
    const std::size_t s1 = record.find(' ');
    const std::size_t s2 = s1 == std::string::npos ? s1 : record.find(' ', s1 + 1);
    if (tab == std::string::npos || s2 == std::string::npos || s2 > tab) continue;
    out.push_back({record.substr(0, s1), record.substr(s1 + 1, s2 - s1 - 1),
                   record.substr(s2 + 1, tab - s2 - 1), record.substr(tab + 1)});
  }
  return out;
}

// Reads exactly `n` bytes into `into` (or discards them when null).
bool ReadExactly(std::FILE* f, std::size_t n, std::string* into) {
  char buf[65536];
  while (n > 0) {
    const std::size_t k = std::fread(buf, 1, std::min(n, sizeof buf), f);
    if (k == 0) return false;
    if (into) into->append(buf, k);
    n -= k;
  }
  return true;
}

}  // namespace

std::optional<Repository> Repository::Containing(const std::string& dir, std::string& error) {
  const auto top = Capture({"git", "-C", dir, "rev-parse", "--show-toplevel"}, 1 << 16);
  if (!top || Chomp(*top).empty()) {
    error = "not in a git repository (or git is not installed), so no revision can be read";
    return std::nullopt;
  }
  Repository r;
  r.top_ = Chomp(*top);
  return r;
}

std::optional<std::string> Repository::Resolve(const std::string& revision,
                                               std::string& error) const {
  if (revision.empty() || revision.front() == '-') {
    error = "'" + revision + "' is not a revision";
    return std::nullopt;
  }
  const auto sha = Capture(
      {"git", "-C", top_, "rev-parse", "--verify", "--quiet", revision + "^{commit}"}, 1 << 16);
  if (!sha || Chomp(*sha).empty()) {
    error = "'" + revision + "' is neither a directory nor a commit of the repository at " + top_;
    return std::nullopt;
  }
  return Chomp(*sha);
}

bool Repository::List(const std::string& commit, std::vector<TreeEntry>& out,
                      std::string& error) const {
  const auto listing =
      Capture({"git", "-C", top_, "ls-tree", "-r", "-z", "--full-tree", commit}, kMaxListingBytes);
  if (!listing) {
    error = "cannot list the files of " + commit + " (git ls-tree failed, or its tree is over " +
            std::to_string(kMaxListingBytes >> 20) + " MiB of names)";
    return false;
  }
  out = ParseListing(*listing);
  std::sort(out.begin(), out.end(),
            [](const TreeEntry& a, const TreeEntry& b) { return a.path < b.path; });
  return true;
}

bool Repository::ReadFiles(const std::string& commit,
                           const std::function<bool(const std::string&)>& want,
                           std::size_t max_file_bytes, std::vector<TreeFile>& out,
                           std::vector<std::string>& notes, std::string& error) const {
  std::vector<TreeEntry> listing;
  if (!List(commit, listing, error)) return false;
  std::vector<const TreeEntry*> wanted;
  for (const TreeEntry& e : listing) {
    if (!want(e.path)) continue;
    if (e.link()) {
      notes.push_back(e.path + ": a symbolic link in the base: not followed");
      continue;
    }
    if (e.regular()) wanted.push_back(&e);  // not submodules
  }
  return Read(wanted, max_file_bytes, out, notes, error);
}

bool Repository::Read(const std::vector<const TreeEntry*>& wanted, std::size_t max_file_bytes,
                      std::vector<TreeFile>& out, std::vector<std::string>& notes,
                      std::string& error) const {
  if (wanted.size() > kMaxTreeFiles) {
    error = "the base has " + std::to_string(wanted.size()) +
            " manifest files, over the bound of " + std::to_string(kMaxTreeFiles);
    return false;
  }
  Process cat({"git", "-C", top_, "cat-file", "--batch"}, true);
  if (!cat.started()) {
    error = "cannot run git cat-file";
    return false;
  }
  const std::size_t before = out.size();
  std::size_t total = 0, skipped = 0;
  for (const TreeEntry* e : wanted) {
    // One object at a time: git flushes after each, so neither pipe fills.
    if (!cat.Write(e->object + "\n")) break;
    char header[256];
    if (!std::fgets(header, sizeof header, cat.out())) break;
    unsigned long long size = 0;
    char type[32] = {0};
    if (std::sscanf(header, "%*s %31s %llu", type, &size) != 2 || std::string(type) != "blob")
      break;
    const bool keep = size <= max_file_bytes && total + size <= kMaxRevisionBytes;
    TreeFile f{e->path, {}};
    if (!ReadExactly(cat.out(), size, keep ? &f.text : nullptr) ||
        !ReadExactly(cat.out(), 1, nullptr))
      break;
    if (!keep) {
      if (total + size > kMaxRevisionBytes) {
        error = "the base's manifests are over " + std::to_string(kMaxRevisionBytes >> 20) +
                " MiB in all";
        return false;
      }
      notes.push_back(e->path + ": larger than " + std::to_string(max_file_bytes >> 20) +
                      " MiB: not read");
      ++skipped;
      continue;
    }
    total += size;
    out.push_back(std::move(f));
  }
  const bool complete = out.size() - before + skipped == wanted.size();
  cat.Wait();
  if (!complete) {
    error = "git cat-file stopped before every file of the base was read";
    return false;
  }
  return true;
}

std::optional<std::vector<std::string>> ListIgnored(const IgnoreQuery& query, std::string& error) {
  // A directory named on the command line inside an ignored one (a build
  // tree, generated output) is linted whole: everything in it is ignored by
  // the pattern above it, which the user overrode by naming it. git
  // ls-files --directory refuses such a pathspec ("directory entry not
  // superset of prefix"), so ask check-ignore first.
  if (query.git_dir.empty() && query.pathspec != ".") {
    const auto ignored =
        Capture({"git", "-C", query.work_tree, "check-ignore", "--", query.pathspec}, 1 << 16);
    if (ignored && !ignored->empty()) return std::vector<std::string>{};
  }
  std::vector<std::string> args = {"git"};
  if (!query.git_dir.empty()) {
    args.push_back("--git-dir=" + query.git_dir);
    args.push_back("--work-tree=" + query.work_tree);
  }
  args.insert(args.end(),
              {"-C", query.work_tree, "ls-files", "-z", "--others", "--ignored", "--directory"});
  if (query.git_dir.empty()) args.push_back("--exclude-standard");
  if (!query.per_directory.empty())
    args.push_back("--exclude-per-directory=" + query.per_directory);
  // Literal: a directory named `[a]` or `*` is that directory, not a pattern.
  if (query.pathspec != ".") args.insert(args.end(), {"--", ":(literal)" + query.pathspec});
  const auto listing = Capture(args, kMaxListingBytes);
  if (!listing) {
    error = "git ls-files failed in " + query.work_tree +
            " (git missing, the directory refused, "
            "or over " +
            std::to_string(kMaxListingBytes >> 20) + " MiB of names)";
    return std::nullopt;
  }
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < listing->size()) {
    std::size_t end = listing->find('\0', pos);
    if (end == std::string::npos) end = listing->size();
    if (end > pos) out.push_back(listing->substr(pos, end - pos));
    pos = end + 1;
    if (out.size() > kMaxTreeFiles) {
      error = "git lists over " + std::to_string(kMaxTreeFiles) + " ignored paths in " +
              query.work_tree;
      return std::nullopt;
    }
  }
  return out;
}

}  // namespace meshlint::git
