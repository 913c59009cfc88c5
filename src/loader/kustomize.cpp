#include "loader/kustomize.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "loader/inputs.h"
#include "loader/kustomize_sources.h"
#include "loader/read_file.h"
#include "loader/text.h"

extern char** environ;

namespace meshlint {
namespace fs = std::filesystem;

namespace {

// A render that takes longer is stopped (a remote base without network).
constexpr auto kRenderTimeout = std::chrono::seconds(120);
constexpr std::size_t kMaxErrorBytes = 16u << 10;

bool IsExecutable(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec) && ::access(p.c_str(), X_OK) == 0;
}

std::optional<std::string> OnPath(const std::string& name) {
  if (name.find('/') != std::string::npos)
    return IsExecutable(name) ? std::optional<std::string>(name) : std::nullopt;
  const char* path = std::getenv("PATH");
  std::string_view dirs = path ? path : "";
  while (!dirs.empty()) {
    const std::size_t colon = dirs.find(':');
    const std::string_view dir = dirs.substr(0, colon);
    if (!dir.empty() && IsExecutable(fs::path(dir) / name)) return (fs::path(dir) / name).string();
    if (colon == std::string_view::npos) break;
    dirs.remove_prefix(colon + 1);
  }
  return std::nullopt;
}

bool IsKubectl(const std::string& tool) { return fs::path(tool).filename() == "kubectl"; }

struct Captured {
  std::string out, err;
  bool timed_out = false, too_big = false;
  int status = -1;
};

// What the tool runs with: the caller's environment, but no way to the
// network. A kustomization names remote bases and resources (git URLs,
// https://...) that kustomize would clone or download; in CI that is a pull
// request making the runner fetch what it names. git (which kustomize runs
// for remote bases) may use no transport but local files and never
// prompts; kustomize's own HTTP client and git's are sent to a proxy on a
// port nothing listens on, so a download fails at once instead of hanging.
// The render then fails with the tool's message (docs/security.md).
std::vector<std::string> OfflineEnvironment() {
  static constexpr std::string_view kSet[] = {"GIT_ALLOW_PROTOCOL=file",
                                              "GIT_TERMINAL_PROMPT=0",
                                              "GIT_CONFIG_NOSYSTEM=1",
                                              "HTTPS_PROXY=http://127.0.0.1:9",
                                              "HTTP_PROXY=http://127.0.0.1:9",
                                              "https_proxy=http://127.0.0.1:9",
                                              "http_proxy=http://127.0.0.1:9",
                                              "ALL_PROXY=http://127.0.0.1:9",
                                              "NO_PROXY=",
                                              "no_proxy="};
  std::vector<std::string> env;
  for (char** e = environ; e && *e; ++e) {
    const std::string_view entry(*e);
    const std::string_view key = entry.substr(0, entry.find('=') + 1);
    bool replaced = false;
    for (std::string_view set : kSet) replaced = replaced || set.starts_with(key);
    if (!replaced) env.emplace_back(entry);
  }
  for (std::string_view set : kSet) env.emplace_back(set);
  return env;
}

// Runs argv with stdin closed, stdout and stderr captured and bounded.
Captured Run(const std::vector<std::string>& argv) {
  Captured c;
  int out[2], err[2];
  if (::pipe2(out, O_CLOEXEC) != 0) return c;
  if (::pipe2(err, O_CLOEXEC) != 0) {
    ::close(out[0]);
    ::close(out[1]);
    return c;
  }
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<std::string> env_strings = OfflineEnvironment();
  std::vector<char*> env;
  for (std::string& e : env_strings) env.push_back(e.data());
  env.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int null = ::open("/dev/null", O_RDONLY);
    ::dup2(null, 0);
    ::dup2(out[1], 1);
    ::dup2(err[1], 2);
    ::execve(args[0], args.data(), env.data());
    ::_exit(127);
  }
  ::close(out[1]);
  ::close(err[1]);
  if (pid < 0) {
    ::close(out[0]);
    ::close(err[0]);
    return c;
  }
  const auto deadline = std::chrono::steady_clock::now() + kRenderTimeout;
  pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  int open = 2;
  char buf[65536];
  while (open > 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      c.timed_out = true;
      break;
    }
    if (::poll(fds, 2, static_cast<int>(left.count())) < 0) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n <= 0) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open;
        continue;
      }
      std::string& into = i == 0 ? c.out : c.err;
      const std::size_t cap = i == 0 ? kMaxManifestFileBytes : kMaxErrorBytes;
      if (into.size() + static_cast<std::size_t>(n) > cap) c.too_big = c.too_big || i == 0;
      else into.append(buf, static_cast<std::size_t>(n));
    }
    if (c.too_big) break;
  }
  for (const pollfd& p : fds)
    if (p.fd >= 0) ::close(p.fd);
  if (c.timed_out || c.too_big) ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  c.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return c;
}

// What kustomize's annotations say of one rendered document.
struct Annotations {
  std::string origin;  // the path its origin annotation names ("" when none)
  // configuredIn of each patch transformer its transformations annotation
  // lists, in that order.
  std::vector<std::string> patched_in;
};

// The configuredIn of each Patch*Transformer in a transformations
// annotation's text.
void ReadTransformations(const std::string& text, std::vector<std::string>& out) {
  YAML::Node list;
  try {
    list = YAML::Load(text);
  } catch (const YAML::Exception&) {
    return;
  }
  if (!list.IsSequence()) return;
  for (const YAML::Node& t : list) {
    if (!t.IsMap() || !t["configuredIn"].IsScalar() || !t["configuredBy"].IsMap()) continue;
    const YAML::Node by = t["configuredBy"]["kind"];
    if (!by.IsScalar() || !by.Scalar().starts_with("Patch")) continue;
    if (std::find(out.begin(), out.end(), t["configuredIn"].Scalar()) == out.end())
      out.push_back(t["configuredIn"].Scalar());
  }
}

// Takes kustomize's origin and transformations annotations out of one
// rendered document (it shows the object as its files write it) and
// returns what they say.
Annotations TakeAnnotations(std::vector<std::string_view>& lines) {
  auto indent = [](std::string_view l) { return l.find_first_not_of(' '); };
  Annotations a;
  std::size_t first = std::string_view::npos;
  for (std::size_t i = 0; i < lines.size();) {
    const std::string_view l = lines[i];
    const std::size_t in = indent(l);
    const bool origin =
        in != std::string_view::npos && l.substr(in) == "config.kubernetes.io/origin: |";
    const bool transformations = in != std::string_view::npos &&
                                 l.substr(in) == "alpha.config.kubernetes.io/transformations: |";
    if (!origin && !transformations) {
      ++i;
      continue;
    }
    std::size_t end = i + 1;
    std::string block;
    while (end < lines.size() && indent(lines[end]) != std::string_view::npos &&
           indent(lines[end]) > in) {
      const std::string_view v = lines[end].substr(indent(lines[end]));
      if (origin && v.starts_with("path: ")) a.origin = std::string(v.substr(6));
      if (transformations) (block += lines[end].substr(in)) += '\n';
      ++end;
    }
    if (transformations) ReadTransformations(block, a.patched_in);
    first = std::min(first, i);
    lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(i),
                lines.begin() + static_cast<std::ptrdiff_t>(end));
  }
  // `annotations:` left with nothing under it goes too.
  if (first != std::string_view::npos && first > 0 &&
      lines[first - 1].substr(indent(lines[first - 1])) == "annotations:" &&
      (first >= lines.size() || indent(lines[first]) <= indent(lines[first - 1])))
    lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(first - 1));
  return a;
}

// kustomize's stream → the same documents, each under `# Source: FILE` and,
// when the object is found there, the line where it starts: kustomize
// writes each object anew (its own indentation, flow lists as blocks,
// comments gone, fields added by transformers and patches), so positions
// inside the rendered object are no positions in the file; the object's
// own line is.
std::string WithSources(std::string_view text, const fs::path& root, const fs::path& base,
                        const std::string& fallback) {
  std::string out;
  std::vector<std::string_view> doc;
  auto flush = [&] {
    if (doc.empty()) return;
    const Annotations a = TakeAnnotations(doc);
    out += "---\n# Source: ";
    const fs::path source = (root / a.origin).lexically_normal();
    out += a.origin.empty() ? fallback : DisplayPath(source, base);
    out += '\n';
    std::vector<fs::path> patched_in;
    for (const std::string& k : a.patched_in) patched_in.push_back((root / k).lexically_normal());
    if (!a.origin.empty()) out += ObjectLineComment(doc, source, patched_in, base);
    for (std::string_view l : doc) (out += l) += '\n';
    doc.clear();
  };
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    const std::string_view line = text.substr(0, nl);
    if (line == "---") flush();
    else doc.push_back(line);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
  }
  flush();
  return out;
}

// The message without trailing blanks, and without kubectl's log prefix
// ("E1201 15:36:47.791691   30255 run.go:72] "), which would make the
// finding differ from run to run.
std::string Trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  if (s.size() > 2 && std::string_view("EWIF").find(s[0]) != std::string_view::npos &&
      s[1] >= '0' && s[1] <= '9') {
    const std::size_t end = s.find("] ");
    if (end != std::string::npos && end < 64) s.erase(0, end + 2);
  }
  return s;
}

}  // namespace

std::optional<std::string> FindKustomizeTool(const std::string& choice) {
  if (!choice.empty()) return OnPath(choice);
  if (auto k = OnPath("kustomize")) return k;
  return OnPath("kubectl");
}

std::string RenderCommand(const std::string& tool, const std::string& shown) {
  return IsKubectl(tool) ? "kubectl kustomize " + shown : "kustomize build " + shown;
}

KustomizeOutput RenderKustomization(const std::string& tool, const fs::path& dir,
                                    const fs::path& base) {
  KustomizeOutput result;
  // A kustomization of our own names the user's as its one resource and
  // asks for origin and transformer annotations, leaving the user's files
  // untouched.
  std::string tmpl = (fs::temp_directory_path() / "meshlint-kustomize-XXXXXX").string();
  if (!::mkdtemp(tmpl.data())) {
    result.error = "cannot create a temporary directory to render in";
    return result;
  }
  const fs::path tmp = tmpl;
  std::error_code ec;
  const fs::path target = fs::canonical(dir, ec);
  const fs::path root = fs::canonical(tmp, ec);
  {
    std::ofstream k(tmp / "kustomization.yaml");
    k << "resources:\n  - \"" << target.lexically_relative(root).generic_string()
      << "\"\nbuildMetadata: [originAnnotations, transformerAnnotations]\n";
  }
  std::vector<std::string> argv = {tool};
  if (IsKubectl(tool)) argv.push_back("kustomize");
  else argv.push_back("build");
  argv.push_back(root.string());
  Captured c = Run(argv);
  fs::remove_all(tmp, ec);
  const std::string shown = DisplayPath(target, base);
  if (c.timed_out) {
    result.error = "stopped after " + std::to_string(kRenderTimeout.count()) + " s";
  } else if (c.too_big) {
    result.error = "its output is larger than " + ByteSize(kMaxManifestFileBytes);
  } else if (c.status != 0) {
    std::string msg = Trimmed(c.err);
    // Our temporary directory is no name the user knows.
    for (std::size_t at; (at = msg.find(root.string())) != std::string::npos;)
      msg.replace(at, root.string().size(), "<render>");
    result.error = msg.empty() ? "exit status " + std::to_string(c.status) : msg;
  } else {
    result.rendered = WithSources(c.out, root, base, shown);
  }
  if (!result.error.empty()) result.error = RenderCommand(tool, shown) + " failed: " + result.error;
  return result;
}

}  // namespace meshlint
