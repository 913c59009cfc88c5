#include "loader/kustomize.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "loader/inputs.h"
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

// Takes the origin annotation out of one rendered document and returns the
// path it names ("" when none).
std::string TakeOrigin(std::vector<std::string_view>& lines) {
  auto indent = [](std::string_view l) { return l.find_first_not_of(' '); };
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string_view l = lines[i];
    const std::size_t in = indent(l);
    if (in == std::string_view::npos || l.substr(in) != "config.kubernetes.io/origin: |") continue;
    std::size_t end = i + 1;
    std::string path;
    while (end < lines.size() && indent(lines[end]) != std::string_view::npos &&
           indent(lines[end]) > in) {
      const std::string_view v = lines[end].substr(indent(lines[end]));
      if (v.starts_with("path: ")) path = std::string(v.substr(6));
      ++end;
    }
    std::size_t begin = i;
    // `annotations:` left with nothing under it goes too.
    if (i > 0 && lines[i - 1].substr(indent(lines[i - 1])) == "annotations:" &&
        (end >= lines.size() || indent(lines[end]) <= indent(lines[i - 1])))
      begin = i - 1;
    lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(begin),
                lines.begin() + static_cast<std::ptrdiff_t>(end));
    return path;
  }
  return "";
}

// kind and metadata.name of a YAML document ("" when it has none).
std::pair<std::string, std::string> KindAndName(const YAML::Node& doc) {
  if (!doc.IsMap() || !doc["kind"].IsScalar()) return {};
  const YAML::Node meta = doc["metadata"];
  const YAML::Node name = meta.IsMap() ? meta["name"] : YAML::Node();
  return {doc["kind"].Scalar(), name.IsScalar() ? name.Scalar() : ""};
}

// The object of `kind` rendered as `name` in `file`, its source: the
// document of that kind whose name is the rendered name or part of it
// (namePrefix, nameSuffix), else the file's only object of that kind.
struct SourceObject {
  std::uint32_t line = 0;        // 1-based, where it starts; 0: none to point at
  std::uint32_t first_line = 1;  // of its document's text
  YAML::Node node;
};

SourceObject FindSourceObject(const fs::path& file, const std::string& kind,
                              const std::string& name) {
  std::string content;
  if (kind.empty() || ReadBounded(file.string(), {kMaxManifestFileBytes, false}, content))
    return {};
  SourceObject exact, partial, only;
  std::size_t of_kind = 0;
  for (const DocumentChunk& chunk : SplitDocuments(StripBom(content), false)) {
    YAML::Node doc;
    try {
      doc = YAML::Load(std::string(chunk.text));
    } catch (const YAML::Exception&) {
      continue;
    }
    const auto [k, n] = KindAndName(doc);
    if (k != kind) continue;
    const SourceObject found{
        chunk.first_line + static_cast<std::uint32_t>(std::max(doc.Mark().line, 0)),
        chunk.first_line, doc};
    ++of_kind;
    only = found;
    if (n == name && !exact.line) exact = found;
    if (!n.empty() && name.find(n) != std::string::npos && !partial.line) partial = found;
  }
  return exact.line ? exact : partial.line ? partial : of_kind == 1 ? only : SourceObject{};
}

// Pairs each node of the rendered object with the node at the same path in
// its source where it is written the same: a scalar of the same value, a
// collection (and a mapping's key) whose whole content is the same. A value
// a patch changed, or a field it added, has no pair, nor has what holds it:
// a finding there points at the object, not at a source line that says
// otherwise.
class NodePairs {
 public:
  NodePairs(std::uint32_t rendered_offset, std::uint32_t source_first_line)
      : offset_(rendered_offset), first_line_(source_first_line) {}

  // true: `r` is written in the source as `s` is, all of it.
  bool Walk(const YAML::Node& r, const YAML::Node& s, int depth = 0) {
    if (depth > 64 || pairs_ >= kMaxSourceNodes) return false;
    bool same = false;
    if (r.IsScalar()) {
      same = s.IsScalar() && r.Scalar() == s.Scalar();
    } else if (r.IsMap() && s.IsMap()) {
      std::map<std::string, std::pair<YAML::Node, YAML::Node>> keys;
      for (auto it = s.begin(); it != s.end() && keys.size() < kMaxSourceNodes; ++it)
        if (it->first.IsScalar())
          keys.emplace(it->first.Scalar(), std::pair(it->first, it->second));
      same = r.size() == s.size();
      for (auto it = r.begin(); it != r.end(); ++it) {
        auto k = it->first.IsScalar() ? keys.find(it->first.Scalar()) : keys.end();
        if (k == keys.end()) {
          same = false;
          continue;
        }
        if (Walk(it->second, k->second.second, depth + 1))
          Add(it->first.Mark(), k->second.first.Mark());
        else same = false;
      }
    } else if (r.IsSequence() && s.IsSequence() && r.size() == s.size()) {
      same = true;
      for (std::size_t i = 0; i < r.size(); ++i) same = Walk(r[i], s[i], depth + 1) && same;
    }
    if (same) Add(r.Mark(), s.Mark());
    return same;
  }

  // " LINE.COL=LINE.COL ..." for the source-nodes comment.
  const std::string& text() const { return text_; }

 private:
  void Add(const YAML::Mark& r, const YAML::Mark& s) {
    if (r.line < 0 || r.column < 0 || s.line < 0 || s.column < 0) return;
    ++pairs_;
    text_ += ' ' + std::to_string(offset_ + static_cast<std::uint32_t>(r.line)) + '.' +
             std::to_string(r.column) + '=' +
             std::to_string(first_line_ + static_cast<std::uint32_t>(s.line)) + '.' +
             std::to_string(s.column);
  }

  std::uint32_t offset_;
  std::uint32_t first_line_;
  std::size_t pairs_ = 0;
  std::string text_;
};

// The object line and source-nodes comments for one rendered document taken
// from `source`. The document's own lines follow these two comments and the
// `# Source:` one: its line 0 is line 3 of the text the loader reads.
std::string ObjectLineComment(const std::vector<std::string_view>& doc, const fs::path& source) {
  std::string text;
  for (std::string_view l : doc) (text += l) += '\n';
  YAML::Node node;
  try {
    node = YAML::Load(text);
  } catch (const YAML::Exception&) {
    return "";
  }
  const auto [kind, name] = KindAndName(node);
  const SourceObject object = FindSourceObject(source, kind, name);
  if (!object.line) return "";
  NodePairs pairs(3, object.first_line);
  pairs.Walk(node, object.node);
  return std::string(kObjectLineComment) + std::to_string(object.line) + "\n" +
         std::string(kSourceNodesComment) + pairs.text() + "\n";
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
    const std::string origin = TakeOrigin(doc);
    out += "---\n# Source: ";
    const fs::path source = (root / origin).lexically_normal();
    out += origin.empty() ? fallback : DisplayPath(source, base);
    out += '\n';
    if (!origin.empty()) out += ObjectLineComment(doc, source);
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
  // asks for origin annotations, leaving the user's files untouched.
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
      << "\"\nbuildMetadata: [originAnnotations]\n";
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
