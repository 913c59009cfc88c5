#include "loader/config_file.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>

#include "loader/read_file.h"
#include "loader/repo_boundary.h"
#include "loader/suggest.h"
#include "loader/text.h"

namespace meshlint {
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kTopLevelKeys[] = {
    "defaultNamespace",   "egressPolicy", "environments", "exclude",       "failOn", "include",
    "inlineSuppressions", "istioVersion", "meshConfig",   "rootNamespace", "rules",  "suppressions",
    "systemNamespaces"};
constexpr std::string_view kSuppressionKeys[] = {"expires", "object", "reason", "rule"};

// "unknown key 'rule' (did you mean 'rules'?; known keys: ...)"
template <std::size_t N>
std::string UnknownKey(std::string_view where, const std::string& key,
                       const std::string_view (&known)[N]) {
  // Appended piece by piece: GCC 12's -Wrestrict misfires on the chain of
  // operator+ at -O3 (Release builds, ci/package).
  std::string message = "unknown key '";
  message += key;
  message += '\'';
  message += where;
  message += DidYouMean(key, known);
  message += " (known keys:";
  for (std::string_view k : known) {
    message += ' ';
    message += k;
  }
  return message + ")";
}

const char* ShapeName(const YAML::Node& node) {
  if (node.IsMap()) return "a mapping";
  if (node.IsSequence()) return "a list";
  if (node.IsNull()) return "empty";
  return "a string";
}

// Kubernetes namespace names are DNS-1123 labels.
bool IsNamespaceName(std::string_view s) {
  if (s.empty() || s.size() > 63) return false;
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!alnum(s.front()) || !alnum(s.back())) return false;
  return std::all_of(s.begin(), s.end(), [&](char c) { return alnum(c) || c == '-'; });
}

class ConfigReader {
 public:
  ConfigReader(std::string_view text, ProjectConfig& out, const ConfigFileCheck* check)
      : out_(out), check_(check) {
    span_.text = text;
  }

  std::vector<ConfigError> Read() {
    // Documents are counted on the text, not with YAML::LoadAll: yaml-cpp
    // 0.7's LoadAll loops forever, allocating, on some malformed input (a
    // config of `,data:` found by fuzz/config_fuzzer.cpp), and the config
    // comes with the pull request.
    const std::vector<DocumentChunk> chunks = SplitDocuments(span_.text, false);
    if (chunks.size() > 1) {
      // Point at the second document's first line of content.
      std::uint32_t line = chunks[1].first_line;
      std::string_view rest = chunks[1].text;
      for (bool first = true; !rest.empty(); first = false) {
        const std::size_t eol = std::min(rest.find('\n'), rest.size());
        const std::string_view l = rest.substr(0, eol);
        const std::size_t c = l.find_first_not_of(" \t\r");
        if (!(first && l.starts_with("---")) && c != std::string_view::npos && l[c] != '#') break;
        rest.remove_prefix(std::min(eol + 1, rest.size()));
        if (!rest.empty()) ++line;
      }
      Error(line, 1,
            "the config file must hold one YAML document, not " + std::to_string(chunks.size()));
      return std::move(errors_);
    }
    YAML::Node root;
    try {
      // The whole text, so that marks count from the file's first line.
      if (!chunks.empty()) root = YAML::Load(std::string(span_.text));
    } catch (const YAML::Exception& e) {
      Error(e.mark.line >= 0 ? static_cast<std::uint32_t>(e.mark.line) + 1 : 1,
            e.mark.column >= 0 ? static_cast<std::uint32_t>(e.mark.column) + 1 : 1,
            "YAML syntax error: " + e.msg);
      return std::move(errors_);
    }
    if (!root || root.IsNull()) return {};  // an empty file: all defaults
    if (!root.IsMap()) {
      Error(root,
            std::string("the config file must be a mapping of settings, not ") + ShapeName(root));
      return std::move(errors_);
    }
    std::vector<std::pair<YAML::Node, YAML::Node>> entries;
    if (!UniqueEntries(root, entries, "")) return std::move(errors_);
    for (std::size_t i = 0; i < entries.size(); ++i) {
      const auto& [key, value] = entries[i];
      key_.emplace(key);  // not operator=, which rebinds the old node in yaml-cpp
      const std::string name = key.Scalar();
      if (name == "rules") Rules(value);
      else if (name == "suppressions") Suppressions(value);
      else if (name == "include") Globs(value, "include", out_.include);
      else if (name == "exclude") Globs(value, "exclude", out_.exclude);
      else if (name == "environments") Environments(value);
      else if (name == "defaultNamespace") out_.default_namespace = Namespace(value, name);
      else if (name == "rootNamespace") out_.root_namespace = Namespace(value, name);
      else if (name == "systemNamespaces") SystemNamespaces(value);
      else if (name == "meshConfig") out_.mesh_config = ExistingPath(value, name);
      else if (name == "egressPolicy")
        EgressPolicy(value, i + 1 < entries.size() ? entries[i + 1].first.Mark().line : -1);
      else if (name == "failOn") FailOn(value);
      else if (name == "inlineSuppressions") InlineSuppressions(value);
      else if (name == "istioVersion") IstioVersionSetting(value);
      else Error(key, UnknownKey("", name, kTopLevelKeys));
    }
    return std::move(errors_);
  }

 private:
  Location Loc(const YAML::Node& node) const {
    const YAML::Mark mark = node.Mark();
    Location loc;
    if (mark.line < 0) return Location{0, 1, 1, 1, 2};
    loc.line = static_cast<std::uint32_t>(mark.line) + 1;
    loc.column = static_cast<std::uint32_t>(mark.column) + 1;
    loc.end_line = loc.line;
    loc.end_column = loc.column + 1;
    if (node.IsScalar())
      loc.end_column =
          loc.column + std::max<std::uint32_t>(
                           ScalarWidth(span_.Line(loc.line - 1), mark.column, node.Scalar()), 1);
    return loc;
  }

  void Error(std::uint32_t line, std::uint32_t column, std::string message) {
    errors_.push_back({Location{0, line, column, 0, 0}, std::move(message), {}, ""});
  }
  void Error(const YAML::Node& at, std::string message) {
    // An empty value has no position of its own (yaml-cpp marks the next
    // token): point at its key.
    Location loc = Loc(at.IsNull() && key_ ? *key_ : at);
    Error(loc.line, loc.column, std::move(message));
  }

  // The mapping's entries in order; keys must be distinct strings.
  bool UniqueEntries(const YAML::Node& map, std::vector<std::pair<YAML::Node, YAML::Node>>& out,
                     const std::string& where) {
    std::map<std::string, std::uint32_t> seen;
    bool ok = true;
    for (auto it = map.begin(); it != map.end(); ++it) {
      if (!it->first.IsScalar()) {
        Error(it->first, "keys" + where + " must be strings, not " + ShapeName(it->first));
        ok = false;
        continue;
      }
      auto [pos, fresh] = seen.emplace(it->first.Scalar(), Loc(it->first).line);
      if (!fresh) {
        Error(it->first, "duplicate key '" + it->first.Scalar() + "'" + where + " (first at line " +
                             std::to_string(pos->second) + ")");
        ok = false;
        continue;
      }
      out.emplace_back(it->first, it->second);
    }
    return ok;
  }

  std::optional<Located<std::string>> String(const YAML::Node& value, const std::string& what) {
    if (!value.IsScalar()) {
      Error(value, what + " must be a string, not " + ShapeName(value));
      return std::nullopt;
    }
    return Located<std::string>{value.Scalar(), Loc(value)};
  }

  std::vector<YAML::Node> List(const YAML::Node& value, const std::string& what) {
    std::vector<YAML::Node> out;
    if (!value.IsSequence()) {
      Error(value, what + " must be a list, not " + ShapeName(value));
      return out;
    }
    for (std::size_t i = 0; i < value.size(); ++i) out.push_back(value[i]);
    return out;
  }

  void Rules(const YAML::Node& value) {
    if (!value.IsMap()) {
      Error(value, std::string("rules must be a mapping of rule id to off, note, warning or "
                               "error, not ") +
                       ShapeName(value));
      return;
    }
    std::vector<std::pair<YAML::Node, YAML::Node>> entries;
    UniqueEntries(value, entries, " in rules");
    for (const auto& [key, level] : entries) {
      key_.emplace(key);  // not operator=, which rebinds the old node in yaml-cpp
      auto text = String(level, "rules." + key.Scalar());
      if (!text) continue;
      const auto parsed = ParseRuleLevel(text->value);
      if (!parsed.known) {
        Error(level, "rules." + key.Scalar() + " must be off, note, warning or error, not '" +
                         text->value + "'");
        continue;
      }
      Located<std::optional<Severity>> setting{parsed.severity, text->loc};
      // The rule id's position, so that an unknown id is reported where it
      // is written; the level's span is not needed after this point.
      setting.loc = Loc(key);
      out_.rules[key.Scalar()] = setting;
    }
  }

  void Suppressions(const YAML::Node& value) {
    std::size_t i = 0;
    for (const YAML::Node& item : List(value, "suppressions")) {
      const std::string where = "suppressions[" + std::to_string(i++) + "]";
      if (!item.IsMap()) {
        Error(item, where +
                        " must be a mapping with rule, object, reason and optional "
                        "expires, not " +
                        ShapeName(item));
        continue;
      }
      ConfigSuppression s;
      s.loc = Loc(item);
      bool ok = true, has_rule = false, has_reason = false;
      std::vector<std::pair<YAML::Node, YAML::Node>> entries;
      ok = UniqueEntries(item, entries, " in " + where);
      for (const auto& [key, v] : entries) {
        key_.emplace(key);  // not operator=, which rebinds the old node in yaml-cpp
        const std::string name = key.Scalar();
        const std::string what = where + "." + name;
        if (name == "rule") {
          auto r = String(v, what);
          if (r && r->value.empty()) {
            Error(v, what + " must name a rule");
            r.reset();
          }
          has_rule = true;
          if (r) s.rule = *r;
          else ok = false;
        } else if (name == "object") {
          auto o = String(v, what);
          if (o) s.object = *o;
          else ok = false;
        } else if (name == "reason") {
          auto r = String(v, what);
          if (r && r->value.find_first_not_of(" \t\r\n") == std::string::npos) {
            Error(v, what +
                         " must say why the finding is acceptable; an empty reason "
                         "suppresses nothing");
            r.reset();
          }
          has_reason = true;
          if (r) s.reason = *r;
          else ok = false;
        } else if (name == "expires") {
          auto e = String(v, what);
          std::optional<std::chrono::year_month_day> date;
          if (e) date = ParseIsoDate(e->value);
          if (e && !date)
            Error(v, what + " must be a date written YYYY-MM-DD, not '" + e->value + "'");
          if (date) s.expires = Located<std::chrono::year_month_day>{*date, e->loc};
          else ok = false;
        } else {
          Error(key, UnknownKey(" in " + where, name, kSuppressionKeys));
          ok = false;
        }
      }
      if (!has_rule) {
        Error(item, where + " has no 'rule'");
        ok = false;
      }
      if (!has_reason) {
        Error(item, where + " has no 'reason': every suppression records why");
        ok = false;
      }
      if (ok) out_.suppressions.push_back(std::move(s));
    }
  }

  void Globs(const YAML::Node& value, const std::string& name,
             std::vector<Located<std::string>>& out) {
    std::size_t i = 0;
    for (const YAML::Node& item : List(value, name)) {
      const std::string what = name + "[" + std::to_string(i++) + "]";
      auto glob = String(item, what);
      if (!glob) continue;
      if (auto problem = GlobProblem(glob->value)) {
        Error(item, what + " '" + glob->value + "': " + *problem);
        continue;
      }
      out.push_back(*glob);
    }
  }

  // Directory globs, one directory level per segment: `**` would make
  // environments of any depth, nested in one another.
  void Environments(const YAML::Node& value) {
    const std::size_t before = out_.environments.size();
    Globs(value, "environments", out_.environments);
    std::size_t i = before;
    while (i < out_.environments.size()) {
      const std::string& g = out_.environments[i].value;
      if (g.find("**") != std::string::npos) {
        Error(value, "environments '" + g +
                         "': `**` is not allowed here: each segment is one directory level "
                         "(`envs/*`, `clusters/*/mesh`)");
        out_.environments.erase(out_.environments.begin() + static_cast<std::ptrdiff_t>(i));
        continue;
      }
      ++i;
    }
  }

  std::optional<Located<std::string>> Namespace(const YAML::Node& value, const std::string& what) {
    auto ns = String(value, what);
    if (ns && !IsNamespaceName(ns->value)) {
      Error(value, what + " '" + ns->value +
                       "' is not a namespace name (lowercase letters, digits and '-', at most "
                       "63, starting and ending with a letter or digit)");
      return std::nullopt;
    }
    return ns;
  }

  void IstioVersionSetting(const YAML::Node& value) {
    auto text = String(value, "istioVersion");
    if (!text) return;
    if (std::string e = IstioVersionProblem(text->value); !e.empty()) {
      Error(value, "istioVersion " + e);
      return;
    }
    out_.istio_version = text;
  }

  void SystemNamespaces(const YAML::Node& value) {
    std::size_t i = 0;
    for (const YAML::Node& item : List(value, "systemNamespaces"))
      if (auto ns = Namespace(item, "systemNamespaces[" + std::to_string(i++) + "]"))
        out_.system_namespaces.push_back(*ns);
  }

  std::string Resolve(const std::string& path) const {
    fs::path p(path);
    if (p.is_relative()) p = fs::path(out_.dir) / p;
    return p.lexically_normal().string();
  }

  std::optional<Located<std::string>> ExistingPath(const YAML::Node& value,
                                                   const std::string& what) {
    auto path = String(value, what);
    if (!path) return std::nullopt;
    if (path->value.empty()) {
      Error(value, what + " must name a file");
      return std::nullopt;
    }
    // The config comes with the pull request: what it names must be a
    // regular file inside the repository, or a link could make meshlint
    // read (and quote) a CI secret. The refusal never quotes the file.
    RepositoryFile file;
    if (check_ && *check_) {
      file = (*check_)(path->value, out_.dir);
    } else {
      if (root_.empty()) root_ = RepositoryRoot(out_.dir);
      file = ResolveInRepository(path->value, out_.dir, root_);
    }
    if (!file.accepted()) {
      Error(value, what + " " + file.refusal);
      return std::nullopt;
    }
    path->value = Resolve(path->value);
    return path;
  }

  void EgressPolicy(const YAML::Node& value, int next_key_line) {
    if (value.IsScalar()) {
      if (auto path = ExistingPath(value, "egressPolicy"))
        out_.egress_policy = EgressPolicySetting{path->loc, path->value, "", 0};
      return;
    }
    if (!value.IsMap()) {
      Error(value, std::string("egressPolicy must be a file path or the policy itself (a "
                               "mapping with 'egress:'), not ") +
                       ShapeName(value));
      return;
    }
    // Keep the inline policy's text as written so that the policy reader can
    // report its own errors at the right line and column of this file.
    EgressPolicySetting setting;
    setting.loc = Loc(value);
    const std::uint32_t first = static_cast<std::uint32_t>(value.Mark().line);
    std::uint32_t end =
        next_key_line >= 0 ? static_cast<std::uint32_t>(next_key_line) : span_.LineCount();
    if (end > first + 1 && span_.Line(end - 1).empty()) --end;  // after the final line break
    for (std::uint32_t l = first; l < end; ++l) {
      std::string line(span_.Line(l));
      if (l == first)  // blank out `egressPolicy:` before a flow mapping
        line.replace(0, std::min<std::size_t>(value.Mark().column, line.size()),
                     std::min<std::size_t>(value.Mark().column, line.size()), ' ');
      setting.inline_text += line + "\n";
    }
    setting.inline_first_line = first + 1;
    out_.egress_policy = std::move(setting);
  }

  void FailOn(const YAML::Node& value) {
    auto text = String(value, "failOn");
    if (!text) return;
    const auto parsed = ParseFailOn(text->value);
    if (!parsed.known) {
      Error(value, "failOn must be " + std::string(kFailOnWords) + ", not '" + text->value + "'");
      return;
    }
    out_.fail_on = Located<std::optional<Severity>>{parsed.severity, text->loc};
  }

  void InlineSuppressions(const YAML::Node& value) {
    auto text = String(value, "inlineSuppressions");
    if (!text) return;
    if (text->value != "true" && text->value != "false") {
      Error(value, "inlineSuppressions must be true or false, not '" + text->value + "'");
      return;
    }
    out_.inline_suppressions = Located<bool>{text->value == "true", text->loc};
  }

  ProjectConfig& out_;
  const ConfigFileCheck* check_ = nullptr;  // null: the work tree's boundary
  std::string root_;                        // the repository the config belongs to, once needed
  TextSpan span_;
  std::optional<YAML::Node> key_;  // the key whose value is being read
  std::vector<ConfigError> errors_;
};

}  // namespace

std::optional<std::string> FindConfigFile(const std::string& start,
                                          const std::string& outside_root) {
  std::error_code ec;
  fs::path dir = fs::absolute(start, ec).lexically_normal();
  if (ec) return std::nullopt;
  if (dir.has_filename() == false && dir.has_parent_path()) dir = dir.parent_path();
  // Find the repository root first: outside a repository only `start` counts.
  fs::path root = dir;
  bool in_repo = false;
  for (fs::path d = dir;; d = d.parent_path()) {
    if (fs::exists(d / ".git", ec)) {
      root = d;
      in_repo = true;
      break;
    }
    if (d == d.parent_path()) break;
  }
  if (!in_repo && !outside_root.empty()) {
    fs::path stop = fs::absolute(outside_root, ec).lexically_normal();
    if (!stop.has_filename() && stop.has_parent_path()) stop = stop.parent_path();
    const fs::path rel = dir.lexically_relative(stop);
    if (!ec && !rel.empty() && *rel.begin() != "..") {
      root = stop;
      in_repo = true;  // searched like a repository, up to `stop`
    }
  }
  for (fs::path d = dir;; d = d.parent_path()) {
    fs::path candidate = d / kConfigFileName;
    if (fs::is_regular_file(candidate, ec)) return candidate.string();
    if (!in_repo || d == root || d == d.parent_path()) break;
  }
  return std::nullopt;
}

std::vector<ConfigError> ParseConfig(std::string_view text, const std::string& path,
                                     ProjectConfig& out) {
  return ParseConfig(text, path, out, ConfigFileCheck{});
}

std::vector<ConfigError> ParseConfig(std::string_view text, const std::string& path,
                                     ProjectConfig& out, const ConfigFileCheck& check) {
  out.path = fs::absolute(path).lexically_normal().string();
  out.dir = fs::path(out.path).parent_path().string();
  if (out.display.empty()) out.display = path;
  if (auto bad = FindBinary(text))
    return {{Location{0, bad->line, bad->column, 0, 0}, bad->message, {}, ""}};
  text = StripBom(text);
  // The parser recurses: nesting no config needs would exhaust the stack.
  if (auto deep = FindExcessiveNesting(text))
    return {{Location{0, deep->line, deep->column, 0, 0}, deep->message, {}, ""}};
  return ConfigReader(text, out, &check).Read();
}

std::vector<ConfigError> ReadConfigFile(const std::string& path, const std::string& display,
                                        ProjectConfig& out) {
  std::string text;
  if (auto error = ReadBounded(path, {kMaxSettingsFileBytes, false}, text))
    return {{Location{}, std::move(*error), {}, ""}};
  out.display = display;
  return ParseConfig(text, path, out);
}

}  // namespace meshlint
