#include "loader/kustomize_sources.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <utility>

#include <yaml-cpp/yaml.h>

#include "loader/inputs.h"
#include "loader/read_file.h"
#include "loader/text.h"

namespace meshlint {
namespace fs = std::filesystem;

namespace {

// Bounds on what one kustomization's patches make us read: a pull request
// controls them.
constexpr std::size_t kMaxPatchesPerKustomization = 256;
constexpr std::size_t kMaxPatchDocuments = 1024;

// kind and metadata.name of a YAML document ("" when it has none).
std::pair<std::string, std::string> KindAndName(const YAML::Node& doc) {
  if (!doc.IsMap() || !doc["kind"].IsScalar()) return {};
  const YAML::Node meta = doc["metadata"];
  const YAML::Node name = meta.IsMap() ? meta["name"] : YAML::Node();
  return {doc["kind"].Scalar(), name.IsScalar() ? name.Scalar() : ""};
}

// A source name stands for the rendered one when it is it or part of it
// (namePrefix, nameSuffix).
bool NameMatches(const std::string& source, const std::string& rendered) {
  return !source.empty() && rendered.find(source) != std::string::npos;
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
    if (NameMatches(n, name) && !partial.line) partial = found;
  }
  return exact.line ? exact : partial.line ? partial : of_kind == 1 ? only : SourceObject{};
}

// Where a parsed text is in its file: its line 0 is `first_line` (1-based),
// its columns are `column` further right (an inline patch, indented in the
// kustomization file).
struct TextPlace {
  std::uint32_t file = 0;  // 0: the object's source; N: the Nth patch file
  std::uint32_t first_line = 1;
  std::uint32_t column = 0;
};

// Pairs nodes of the rendered object with the nodes written the same where
// it came from, for the source-nodes comment.
class NodePairs {
 public:
  explicit NodePairs(std::uint32_t rendered_offset) : offset_(rendered_offset) {}

  // The source object: each node of the rendered one at the same path in
  // `s` where it is written the same: a scalar of the same value, a
  // collection (and a mapping's key) whose whole content is the same. A
  // value a patch changed, or a field it added, has no pair here, nor has
  // what holds it. true: `r` is written in the source as `s` is, all of it.
  bool Walk(const YAML::Node& r, const YAML::Node& s, const TextPlace& at, int depth = 0) {
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
        if (Walk(it->second, k->second.second, at, depth + 1))
          Add(it->first.Mark(), k->second.first.Mark(), at);
        else same = false;
      }
    } else if (r.IsSequence() && s.IsSequence() && r.size() == s.size()) {
      same = true;
      for (std::size_t i = 0; i < r.size(); ++i) same = Walk(r[i], s[i], at, depth + 1) && same;
    }
    if (same) Add(r.Mark(), s.Mark(), at);
    return same;
  }

  // A patch: what of `r` the patch's `p` writes with the same value, where
  // the source pairs nothing. A strategic-merge patch holds only what it
  // changes, so a mapping pairs its keys one by one, a list its items by
  // name (else by value, else by position). true: all of `p` is in `r`.
  bool Overlay(const YAML::Node& r, const YAML::Node& p, const TextPlace& at, int depth = 0) {
    if (depth > 64 || pairs_ >= kMaxSourceNodes || !r.IsDefined() || !p.IsDefined()) return false;
    bool same = false;
    if (r.IsScalar()) {
      same = p.IsScalar() && r.Scalar() == p.Scalar();
    } else if (r.IsMap() && p.IsMap()) {
      same = r.size() == p.size();
      for (auto it = p.begin(); it != p.end(); ++it) {
        // `$patch: delete` and its kind are directives, not fields.
        if (!it->first.IsScalar() || it->first.Scalar().starts_with('$')) continue;
        const auto key = MapKey(r, it->first.Scalar());
        if (key.first.IsDefined() && Overlay(key.second, it->second, at, depth + 1))
          Add(key.first.Mark(), it->first.Mark(), at);
        else same = false;
      }
    } else if (r.IsSequence() && p.IsSequence()) {
      same = r.size() == p.size();
      for (std::size_t i = 0; i < p.size(); ++i)
        same = Overlay(Item(r, p[i], i), p[i], at, depth + 1) && same;
    }
    if (same) Add(r.Mark(), p.Mark(), at);
    return same;
  }

  // A JSON 6902 patch: each `add` or `replace` whose value is what the
  // rendered object holds at its path pairs that value, and the field's key
  // with the operation's path.
  void Operations(const YAML::Node& r, const YAML::Node& ops, const TextPlace& at) {
    for (const YAML::Node& op : ops) {
      if (!op.IsMap() || !op["op"].IsScalar() || !op["path"].IsScalar() || !op["value"]) continue;
      if (op["op"].Scalar() != "add" && op["op"].Scalar() != "replace") continue;
      YAML::Node key;
      const YAML::Node value = AtPointer(r, op["path"].Scalar(), key);
      if (Overlay(value, op["value"], at) && key.IsDefined())
        Add(key.Mark(), op["path"].Mark(), at);
    }
  }

  std::size_t count() const { return pairs_; }

  // " LINE.COL=LINE.COL[@N] ..." for the source-nodes comment.
  const std::string& text() const { return text_; }

 private:
  static std::pair<YAML::Node, YAML::Node> MapKey(const YAML::Node& map, const std::string& key) {
    for (auto it = map.begin(); it != map.end(); ++it)
      if (it->first.IsScalar() && it->first.Scalar() == key) return {it->first, it->second};
    return {};
  }

  // The rendered item patch item `p` (the i-th) stands for.
  static YAML::Node Item(const YAML::Node& r, const YAML::Node& p, std::size_t i) {
    const YAML::Node name = p.IsMap() ? p["name"] : YAML::Node();
    for (const YAML::Node& item : r) {
      if (name && name.IsScalar() && item.IsMap() && item["name"].IsScalar() &&
          item["name"].Scalar() == name.Scalar())
        return item;
      if (p.IsScalar() && item.IsScalar() && item.Scalar() == p.Scalar()) return item;
    }
    return name || p.IsScalar() || i >= r.size() ? YAML::Node() : r[i];
  }

  // The node at JSON pointer `pointer` in `r` (`-`: a list's last item, the
  // one `add` appended), and the mapping key that names it, if any.
  static YAML::Node AtPointer(YAML::Node r, const std::string& pointer, YAML::Node& key) {
    if (!pointer.starts_with('/')) return {};
    std::size_t at = 1;
    for (int depth = 0; depth < 64 && r.IsDefined(); ++depth) {
      const std::size_t end = std::min(pointer.find('/', at), pointer.size());
      std::string token = pointer.substr(at, end - at);
      for (std::size_t t; (t = token.find("~1")) != std::string::npos;) token.replace(t, 2, "/");
      for (std::size_t t; (t = token.find("~0")) != std::string::npos;) token.replace(t, 2, "~");
      key = YAML::Node();
      if (r.IsMap()) {
        std::tie(key, r) = MapKey(r, token);
      } else if (r.IsSequence() && r.size() > 0) {
        std::size_t i = r.size() - 1;
        if (token != "-") {
          if (token.empty() || token.size() > 6 ||
              token.find_first_not_of("0123456789") != std::string::npos)
            return {};
          i = std::stoul(token);
        }
        r = i < r.size() ? r[i] : YAML::Node();
      } else {
        return {};
      }
      if (end == pointer.size()) return r;
      at = end + 1;
    }
    return {};
  }

  void Add(const YAML::Mark& r, const YAML::Mark& s, const TextPlace& at) {
    if (r.line < 0 || r.column < 0 || s.line < 0 || s.column < 0) return;
    // The first pair of a node stands: the source before any patch.
    if (!paired_.emplace(r.line, r.column).second) return;
    ++pairs_;
    text_ += ' ' + std::to_string(offset_ + static_cast<std::uint32_t>(r.line)) + '.' +
             std::to_string(r.column) + '=' +
             std::to_string(at.first_line + static_cast<std::uint32_t>(s.line)) + '.' +
             std::to_string(at.column + static_cast<std::uint32_t>(s.column));
    if (at.file) text_ += '@' + std::to_string(at.file);
  }

  std::uint32_t offset_;
  std::size_t pairs_ = 0;
  std::set<std::pair<int, int>> paired_;
  std::string text_;
};

// A patch, parsed, with where it is written and what it applies to.
struct Patch {
  YAML::Node node;
  fs::path file;
  std::uint32_t first_line = 1;
  std::uint32_t column = 0;
  std::string target_kind, target_name;  // empty: the patch's own (or any)
  bool has_target = false;
};

// The documents of patch file `path` (a strategic-merge patch may hold
// several; a JSON 6902 one is one list, in YAML or JSON).
void ReadPatchFile(const fs::path& path, const Patch& like, std::vector<Patch>& out) {
  std::string content;
  if (ReadBounded(path.string(), {kMaxSettingsFileBytes, false}, content)) return;
  for (const DocumentChunk& chunk : SplitDocuments(StripBom(content), false)) {
    if (out.size() >= kMaxPatchDocuments) return;
    Patch p = like;
    try {
      p.node = YAML::Load(std::string(chunk.text));
    } catch (const YAML::Exception&) {
      continue;
    }
    p.file = path;
    p.first_line = chunk.first_line;
    out.push_back(std::move(p));
  }
}

// An inline patch, `value` in the kustomization `file` whose lines are
// `lines`: only a literal block (`patch: |-`) keeps its text's lines and
// columns, so only it has positions to point at.
void ReadInlinePatch(const YAML::Node& value, const fs::path& file,
                     const std::vector<std::string_view>& lines, const Patch& like,
                     std::vector<Patch>& out) {
  const YAML::Mark m = value.Mark();
  if (m.line < 0 || m.column < 0 || static_cast<std::size_t>(m.line) >= lines.size()) return;
  const std::string_view at = lines[static_cast<std::size_t>(m.line)];
  if (static_cast<std::size_t>(m.column) >= at.size() || at[m.column] != '|') return;
  std::size_t first = static_cast<std::size_t>(m.line) + 1;
  while (first < lines.size() && lines[first].find_first_not_of(' ') == std::string_view::npos)
    ++first;
  if (first >= lines.size()) return;
  Patch p = like;
  try {
    p.node = YAML::Load(value.Scalar());
  } catch (const YAML::Exception&) {
    return;
  }
  // The block's text starts at its first line's indentation; leading blank
  // lines are part of it.
  p.file = file;
  p.first_line = static_cast<std::uint32_t>(m.line) + 2;
  p.column = static_cast<std::uint32_t>(lines[first].find_first_not_of(' '));
  out.push_back(std::move(p));
}

// The patches kustomization `file` declares, in the order kustomize applies
// them (patchesStrategicMerge, patches, patchesJson6902).
std::vector<Patch> ReadPatches(const fs::path& file) {
  std::string content;
  std::vector<Patch> out;
  if (ReadBounded(file.string(), {kMaxSettingsFileBytes, false}, content)) return out;
  YAML::Node root;
  try {
    root = YAML::Load(content);
  } catch (const YAML::Exception&) {
    return out;
  }
  if (!root.IsMap()) return out;
  std::vector<std::string_view> lines;
  for (std::string_view rest = content; !rest.empty();) {
    const std::size_t nl = rest.find('\n');
    lines.push_back(rest.substr(0, nl));
    rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
  }
  const fs::path dir = file.parent_path();
  auto add = [&](const YAML::Node& path, const YAML::Node& inline_patch, const YAML::Node& target) {
    Patch like;
    if (target && target.IsMap()) {
      like.has_target = true;
      if (target["kind"].IsScalar()) like.target_kind = target["kind"].Scalar();
      if (target["name"].IsScalar()) like.target_name = target["name"].Scalar();
    }
    if (path && path.IsScalar() && !path.Scalar().empty())
      ReadPatchFile((dir / path.Scalar()).lexically_normal(), like, out);
    else if (inline_patch && inline_patch.IsScalar())
      ReadInlinePatch(inline_patch, file, lines, like, out);
  };
  try {
    std::size_t n = 0;
    const YAML::Node merge = root["patchesStrategicMerge"];
    if (merge.IsSequence())
      for (const YAML::Node& item : merge) {
        if (!item.IsScalar() || ++n > kMaxPatchesPerKustomization) break;
        const bool is_inline = item.Scalar().find('\n') != std::string::npos;
        add(is_inline ? YAML::Node() : item, is_inline ? item : YAML::Node(), YAML::Node());
      }
    for (const char* key : {"patches", "patchesJson6902"}) {
      const YAML::Node list = root[key];
      if (!list.IsSequence()) continue;
      for (const YAML::Node& item : list) {
        if (++n > kMaxPatchesPerKustomization) break;
        if (item.IsMap()) add(item["path"], item["patch"], item["target"]);
      }
    }
  } catch (const YAML::Exception&) {
    // A shape kustomize would have rejected: nothing to point at.
  }
  return out;
}

// The patch applies to the object rendered as kind/name: its target says
// so, else its own kind and name do (a strategic-merge patch names what it
// patches; a JSON 6902 one without target is none kustomize accepts).
bool Applies(const Patch& p, const std::string& kind, const std::string& name) {
  if (p.has_target)
    return (p.target_kind.empty() || p.target_kind == kind) &&
           (p.target_name.empty() || NameMatches(p.target_name, name) ||
            p.target_name.find_first_of("^$.*+?[](){}|\\") != std::string::npos);
  const auto [k, n] = KindAndName(p.node);
  return k == kind && (n.empty() || NameMatches(n, name));
}

}  // namespace

std::string ObjectLineComment(const std::vector<std::string_view>& doc, const fs::path& source,
                              const std::vector<fs::path>& patched_in, const fs::path& base) {
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
  // The document's own lines follow this comment, the source-nodes one and
  // the `# Source:` one: its line 0 is line 3 of the text the loader reads.
  NodePairs pairs(3);
  pairs.Walk(node, object.node, TextPlace{0, object.first_line, 0});
  // Later patches win: the last one applied that writes a value is where
  // the value is.
  std::vector<std::string> files;
  std::map<fs::path, std::uint32_t> file_index;
  for (auto k = patched_in.rbegin(); k != patched_in.rend(); ++k) {
    std::vector<Patch> patches = ReadPatches(*k);
    for (auto p = patches.rbegin(); p != patches.rend(); ++p) {
      if (!Applies(*p, kind, name)) continue;
      // A patch file is named in the comment once something points at it.
      const auto known = file_index.find(p->file);
      const std::uint32_t index =
          known != file_index.end() ? known->second : static_cast<std::uint32_t>(files.size() + 1);
      const std::size_t before = pairs.count();
      const TextPlace at{index, p->first_line, p->column};
      if (p->node.IsSequence()) pairs.Operations(node, p->node, at);
      else pairs.Overlay(node, p->node, at);
      if (known == file_index.end() && pairs.count() > before) {
        file_index.emplace(p->file, index);
        files.push_back(DisplayPath(p->file, base));
      }
    }
  }
  std::string out = std::string(kObjectLineComment) + std::to_string(object.line) + "\n" +
                    std::string(kSourceNodesComment) + pairs.text();
  for (const std::string& f : files) (out += '\t') += f;
  return out + "\n";
}

}  // namespace meshlint
