#include "loader/scan.h"

#include <algorithm>
#include <vector>

#include "loader/yaml_events.h"

namespace meshlint {

namespace {

// Which mapping a key belongs to, as far as the model cares.
enum class Where : std::uint8_t { kRoot, kMetadata, kAnnotations, kOther };

// What the value of the last `key:` written without a value turns out to be,
// once the next line shows it.
enum class Pending : std::uint8_t { kNone, kKey, kDash };

struct Level {
  int indent;
  bool seq;
  bool indentless;  // a list written at its parent key's own indentation
  Where where;
  std::uint32_t node;  // in the LiteTree, when one is built
  // In a collection the plan leaves out: checked as ever, but not built.
  bool pruned = false;
};

using Type = LiteTree::Type;

// The keys the scanner records, mapping by mapping. A partial tree
// (BuildHeaderTree) holds exactly these, so PartialMapHolds answers from the
// same table: what the scanner records and what a reader may ask of a
// partial tree cannot drift apart.
struct TrackedKey {
  Where where;
  std::string_view key;
  ScannedScalar DocumentHeader::*field;  // a single-line scalar, or
  Where child;                           // a mapping (else kOther)
};
constexpr TrackedKey kTracked[] = {
    {Where::kRoot, "apiVersion", &DocumentHeader::api_version, Where::kOther},
    {Where::kRoot, "kind", &DocumentHeader::kind, Where::kOther},
    {Where::kRoot, "metadata", nullptr, Where::kMetadata},
    {Where::kMetadata, "name", &DocumentHeader::name, Where::kOther},
    {Where::kMetadata, "generateName", &DocumentHeader::generate_name, Where::kOther},
    {Where::kMetadata, "namespace", &DocumentHeader::ns, Where::kOther},
    {Where::kMetadata, "annotations", nullptr, Where::kAnnotations},
};
// Annotations with this prefix make the scanner decline the document, so an
// accepted one has none of them.
constexpr std::string_view kDeclinedAnnotations = "ignore.meshlint.io/";

const TrackedKey* FindTracked(Where where, std::string_view key) {
  for (const TrackedKey& t : kTracked)
    if (t.where == where && t.key == key) return &t;
  return nullptr;
}

Where WhereOf(LiteTree::Partial partial) {
  switch (partial) {
    case LiteTree::Partial::kRoot: return Where::kRoot;
    case LiteTree::Partial::kMetadata: return Where::kMetadata;
    case LiteTree::Partial::kAnnotations: return Where::kAnnotations;
    case LiteTree::Partial::kNo:
    case LiteTree::Partial::kPruned: break;  // holds no key at all
  }
  return Where::kOther;
}

bool IsKeyChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.' || c == '/';
}

bool IsKeyStart(char c) { return IsKeyChar(c) && c != '-'; }

// First characters of a plain scalar this scanner accepts. YAML indicators
// (`&*!|>'"%@` and backquote, flow brackets, `#`, `?`, `:`, `,`) are not.
bool IsPlainStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '/' || c == '$' || c == '(' || c == ')' || c == '+' || c == '=' ||
         c == '~' || c == '^' || c == '<' || c == ';' || c == '\\';
}

bool IsNullPlain(std::string_view v) {
  return v.empty() || v == "~" || v == "null" || v == "Null" || v == "NULL";
}

// Only spaces, or spaces then a comment, from `i` on.
bool RestIsBlank(std::string_view line, std::size_t i) {
  std::size_t j = i;
  while (j < line.size() && line[j] == ' ') ++j;
  if (j == line.size()) return true;
  return line[j] == '#' && j > i;
}

class Scanner {
 public:
  // Well below FindExcessiveNesting's limits (2000 columns, 1000 brackets).
  static constexpr std::size_t kMaxIndent = 1000;
  static constexpr std::size_t kMaxBrackets = 500;
  // yaml-cpp refuses nodes nested 500 deep; below that, block nesting can
  // reach far more within kMaxIndent. Deeper documents go to the parser, so
  // its limit decides for both paths (a leaf and a one-line flow list add
  // two levels to the open collections counted here).
  static constexpr std::size_t kMaxDepth = 400;

  Scanner(std::string_view text, LiteTree* tree, const PrunePlan* plan)
      : text_(text), tree_(tree), plan_(tree ? plan : nullptr) {}

  std::optional<DocumentHeader> Run() {
    // Control characters, tabs, CR and anything beyond ASCII (line breaks
    // other than \n among them) leave the scanner unsure of the positions
    // yaml-cpp would report. Branch-free, so the compiler vectorises it.
    unsigned bad = 0;
    std::size_t brackets = 0;
    for (char ch : text_) {
      const auto c = static_cast<unsigned char>(ch);
      bad |= static_cast<unsigned>((c < 0x20) & (c != '\n')) | static_cast<unsigned>(c >= 0x7F);
      brackets += static_cast<std::size_t>((c == '[') | (c == '{'));
    }
    // Documents that FindExcessiveNesting could object to (deep indentation,
    // many brackets) are left to the parser path, which runs that check; so
    // the loader need not run it on the documents accepted here.
    if (bad || brackets > kMaxBrackets) return std::nullopt;
    std::size_t pos = 0;
    std::uint32_t line_no = 0;
    while (pos < text_.size()) {
      std::size_t eol = text_.find('\n', pos);
      if (eol == std::string_view::npos) eol = text_.size();
      line_ = line_no;
      if (!Line(text_.substr(pos, eol - pos), line_no)) return std::nullopt;
      pos = eol + 1;
      ++line_no;
    }
    if (stack_.empty()) return std::nullopt;  // empty document: the parser decides
    if (pending_ != Pending::kNone && !ResolvePendingNull()) return std::nullopt;
    return header_;
  }

 private:
  bool Line(std::string_view line, std::uint32_t line_no) {
    if (line_no == 0 && line.substr(0, 3) == "---") return RestIsBlank(line, 3);
    std::size_t indent = 0;
    while (indent < line.size() && line[indent] == ' ') ++indent;
    const bool blank = indent == line.size();
    if (!blank && indent > kMaxIndent) return false;
    if (in_block_) {
      if (blank) {
        // Spaces before the first content line could make yaml-cpp pick an
        // indentation other than the one assumed here.
        return block_indent_ >= 0 || indent == 0;
      }
      if (block_indent_ < 0 && static_cast<int>(indent) > block_parent_) {
        block_indent_ = static_cast<int>(indent);
        return true;
      }
      if (block_indent_ >= 0 && static_cast<int>(indent) >= block_indent_) return true;
      in_block_ = false;  // a less indented line ends the block scalar
    }
    if (blank || line[indent] == '#') return true;
    return Node(line, line_no, indent, /*after_dash=*/false);
  }

  // A node starting at `col`: a list entry, a mapping key, or (only right
  // after `- `) a scalar.
  bool Node(std::string_view line, std::uint32_t line_no, std::size_t col, bool after_dash) {
    if (line[col] == '-' && (col + 1 == line.size() || line[col + 1] == ' ')) {
      if (after_dash) return false;  // `- - x`: rare enough to leave to the parser
      if (!Place(static_cast<int>(col), true)) return false;
      std::size_t c = col + 1;
      while (c < line.size() && line[c] == ' ') ++c;
      if (c == line.size() || line[c] == '#') {
        pending_ = Pending::kDash;
        pending_indent_ = static_cast<int>(col);
        pending_where_ = Where::kOther;
        pending_field_ = nullptr;
        pending_parent_ = stack_.back().node;
        pending_prune_ = false;
        return true;
      }
      return Node(line, line_no, c, true);
    }
    // A mapping key?
    std::size_t k = col;
    if (IsKeyStart(line[k])) {
      while (k < line.size() && IsKeyChar(line[k])) ++k;
      if (k < line.size() && line[k] == ':' && (k + 1 == line.size() || line[k + 1] == ' ')) {
        if (k - col > 256) return false;  // long implicit keys are errors in YAML
        if (after_dash) {
          // `- key: value` opens a mapping inside the list entry.
          const std::uint32_t map = NewNode(Type::kMap, col, stack_.back().node);
          stack_.push_back(
              Level{static_cast<int>(col), false, false, Where::kOther, map, stack_.back().pruned});
          if (stack_.size() > kMaxDepth) return false;
        } else if (!Place(static_cast<int>(col), false)) {
          return false;
        }
        return KeyValue(line, line_no, col, line.substr(col, k - col), k + 1);
      }
    }
    if (!after_dash) return false;  // a scalar line: multi-line scalar or error
    return Value(line, line_no, col, nullptr, stack_.back().node);
  }

  // Whether the nodes of the current line go into the tree: one is built,
  // and the line is not inside a collection the plan leaves out.
  bool Building() const { return tree_ && (stack_.empty() || !stack_.back().pruned); }

  // Whether the collection `key` (of the innermost mapping) opens is one the
  // plan leaves out, as the event builder leaves it out (yaml_events.h).
  bool Prunes(std::string_view key) const {
    if (!plan_ || !Building()) return false;
    auto named = [&](const std::vector<std::string_view>& keys) {
      return std::find(keys.begin(), keys.end(), key) != keys.end();
    };
    if (stack_.size() == 1 && !plan_->keep_at_root.empty() && !named(plan_->keep_at_root))
      return true;
    return named(plan_->prune_anywhere);
  }

  // Adds a node (when building a tree) as the next child of `parent`.
  std::uint32_t NewNode(Type type, std::size_t column, std::uint32_t parent,
                        std::string_view scalar = {}) {
    if (!Building()) return 0;
    const std::uint32_t n = tree_->Add(type, static_cast<int>(line_), static_cast<int>(column));
    tree_->nodes[n].scalar.assign(scalar);
    if (n != 0) tree_->nodes[parent].kids.push_back(n);
    return n;
  }

  // Checks that an entry (list item or key) at `indent` fits the structure
  // open so far, opening or closing collections as the indentation says.
  bool Place(int indent, bool seq) {
    if (stack_.empty()) {
      if (indent != 0 || seq || pending_ != Pending::kNone) return false;
      stack_.push_back(Level{0, false, false, Where::kRoot, NewNode(Type::kMap, 0, 0)});
      return true;
    }
    if (pending_ != Pending::kNone) {
      const bool deeper = indent > pending_indent_;
      const bool indentless =
          !deeper && pending_ == Pending::kKey && seq && indent == pending_indent_;
      if (deeper || indentless) {
        if (pending_field_ || (seq && pending_where_ != Where::kOther)) return false;
        if (pending_where_ == Where::kMetadata) header_.has_metadata = true;
        if (pending_where_ == Where::kAnnotations) header_.has_annotations = true;
        const std::uint32_t node = NewNode(seq ? Type::kSequence : Type::kMap,
                                           static_cast<std::size_t>(indent), pending_parent_);
        // A collection left out is one node that throws NeedsFullTree when a
        // reader looks inside; what is in it is still checked line by line.
        if (pending_prune_) tree_->nodes[node].partial = LiteTree::Partial::kPruned;
        stack_.push_back(Level{indent, seq, indentless, pending_where_, node,
                               stack_.back().pruned || pending_prune_});
        pending_ = Pending::kNone;
        return stack_.size() <= kMaxDepth;
      }
      if (!ResolvePendingNull()) return false;
    }
    while (!stack_.empty() && stack_.back().indent > indent) stack_.pop_back();
    if (!stack_.empty() && !seq && stack_.back().indent == indent && stack_.back().seq &&
        stack_.back().indentless)
      stack_.pop_back();
    return !stack_.empty() && stack_.back().indent == indent && stack_.back().seq == seq;
  }

  // The last `key:` had no value and nothing nested follows: it is null.
  bool ResolvePendingNull() {
    if (pending_where_ == Where::kMetadata) return false;  // "metadata is required"
    if (pending_field_) pending_field_->null = true;
    NewNode(Type::kNull, 0, pending_parent_);
    pending_ = Pending::kNone;
    return true;
  }

  ScannedScalar* Field(Where where, std::string_view key, Where& child) {
    const TrackedKey* t = FindTracked(where, key);
    child = t ? t->child : Where::kOther;
    return t && t->field ? &(header_.*(t->field)) : nullptr;
  }

  bool KeyValue(std::string_view line, std::uint32_t line_no, std::size_t key_col,
                std::string_view key, std::size_t after_colon) {
    const Where where = stack_.back().where;
    if (where == Where::kAnnotations && key.starts_with(kDeclinedAnnotations)) return false;
    Where child;
    ScannedScalar* field = Field(where, key, child);
    if (child != Where::kOther) {
      bool& seen = child == Where::kMetadata ? seen_metadata_ : seen_annotations_;
      if (seen) return false;  // duplicate key: the loader reports it
      seen = true;
    }
    if (field) {
      if (field->found) return false;
      field->found = true;
    }
    const std::uint32_t map = stack_.back().node;
    NewNode(Type::kScalar, key_col, map, key);
    std::size_t c = after_colon;
    while (c < line.size() && line[c] == ' ') ++c;
    if (c == line.size() || line[c] == '#') {
      pending_ = Pending::kKey;
      pending_indent_ = static_cast<int>(key_col);
      pending_where_ = child;
      pending_field_ = field;
      pending_parent_ = map;
      pending_prune_ = Prunes(key);
      return true;
    }
    if (child == Where::kMetadata) return false;  // metadata must be a mapping
    if (child == Where::kAnnotations) {
      if (line[c] == '{') return FlowMap(line, c, map, true);
      ScannedScalar v;
      if (!Value(line, line_no, c, &v, map)) return false;
      return v.null;  // `annotations: ~` is as good as none
    }
    if (line[c] == '|' || line[c] == '>') {
      // Its value is not decoded: only where no tree is being built.
      if (field || Building()) return false;
      return BlockScalar(line, c, static_cast<int>(key_col));
    }
    return Value(line, line_no, c, field, map);
  }

  bool BlockScalar(std::string_view line, std::size_t c, int parent_indent) {
    std::size_t i = c + 1;
    if (i < line.size() && (line[i] == '-' || line[i] == '+')) ++i;
    if (!RestIsBlank(line, i)) return false;  // explicit indentation and the rest
    in_block_ = true;
    block_parent_ = parent_indent;
    block_indent_ = -1;
    return true;
  }

  // One scalar token at `c`: quoted (on this line) or plain. In a flow
  // collection (`close`: its closing bracket; 0 in block context) a plain
  // scalar ends at `,` or `close` and holds only plain characters. Sets
  // `end` one past the token (a plain scalar's trailing spaces included).
  bool Scalar(std::string_view line, std::size_t c, char close, bool want, std::string& value,
              bool& quoted, std::size_t& end) {
    const char first = line[c];
    quoted = first == '"' || first == '\'';
    if (first == '"') {
      std::size_t i = c + 1;
      for (; i < line.size() && line[i] != '"'; ++i) {
        if (line[i] != '\\') continue;
        if (want || i + 1 >= line.size()) return false;
        const char e = line[++i];
        if (std::string_view("0abtnvfre \"/\\N_LP").find(e) == std::string_view::npos) return false;
      }
      if (i >= line.size()) return false;  // continues on the next line
      if (want) value.assign(line.substr(c + 1, i - c - 1));
      end = i + 1;
      return true;
    }
    if (first == '\'') {
      std::size_t i = c + 1;
      for (;;) {
        if (i >= line.size()) return false;
        if (line[i] == '\'') {
          if (i + 1 < line.size() && line[i + 1] == '\'') {
            if (want) value += '\'';
            i += 2;
            continue;
          }
          break;
        }
        if (want) value += line[i];
        ++i;
      }
      end = i + 1;
      return true;
    }
    if (!(IsPlainStart(first) || (first == '-' && c + 1 < line.size() && line[c + 1] != ' ')))
      return false;
    // In flow, `-` starts a plain scalar only before a plain character (not
    // `-]`, `-,`).
    if (close && first == '-' && !IsPlainStart(line[c + 1]) && line[c + 1] != '-') return false;
    std::size_t i = c;
    std::size_t last = c;  // one past the last non-space character
    for (; i < line.size(); ++i) {
      const char ch = line[i];
      if (ch == ' ') {
        if (i + 1 < line.size() && line[i + 1] == '#') break;
        continue;
      }
      if (close) {
        if (ch == ',' || ch == close) break;
        // yaml-cpp's flow scanner treats more characters as indicators than
        // the block one; accept only the unremarkable.
        if (!IsPlainStart(ch) && ch != '-') return false;
      } else {
        if (ch == ':' && (i + 1 == line.size() || line[i + 1] == ' ')) return false;
        if (ch == '[' || ch == ']' || ch == '{' || ch == '}') return false;
      }
      last = i + 1;
    }
    if (want) value.assign(line.substr(c, last - c));
    end = i;
    return true;
  }

  // A value at `c` running to the end of the line: a scalar, or a one-line
  // flow list or mapping of scalars.
  bool Value(std::string_view line, std::uint32_t line_no, std::size_t c, ScannedScalar* field,
             std::uint32_t parent) {
    if (line[c] == '{') return !field && FlowMap(line, c, parent, false);
    if (line[c] == '[') {
      if (field) return false;
      const std::uint32_t seq = NewNode(Type::kSequence, c, parent);
      std::size_t i = c + 1;
      while (i < line.size() && line[i] == ' ') ++i;
      if (i < line.size() && line[i] == ']') return RestIsBlank(line, i + 1);
      for (;;) {
        if (i >= line.size()) return false;
        std::string value;
        bool quoted;
        std::size_t end;
        if (!Scalar(line, i, ']', Building(), value, quoted, end)) return false;
        if (Building()) {
          const bool null = !quoted && IsNullPlain(value);
          NewNode(null ? Type::kNull : Type::kScalar, i, seq, value);
        }
        while (end < line.size() && line[end] == ' ') ++end;
        if (end >= line.size()) return false;
        if (line[end] == ']') return RestIsBlank(line, end + 1);
        if (line[end] != ',') return false;
        i = end + 1;
        while (i < line.size() && line[i] == ' ') ++i;
      }
    }
    ScannedScalar local;
    ScannedScalar* out = field ? field : Building() ? &local : nullptr;
    std::string value;
    bool quoted;
    std::size_t end;
    if (!Scalar(line, c, 0, out != nullptr, value, quoted, end)) return false;
    if (!RestIsBlank(line, end)) return false;
    if (out) {
      out->null = !quoted && IsNullPlain(value);
      out->value = std::move(value);
      out->line = line_no;
      out->column = static_cast<std::uint32_t>(c);
      if (Building()) NewNode(out->null ? Type::kNull : Type::kScalar, c, parent, out->value);
    }
    return true;
  }

  // `{key: scalar, ...}` on one line from `c` (`{}` too): plain keys as in
  // block mappings, each followed by `: ` and a scalar as in a flow list.
  // `annotations`: the object's annotations, as tracked in block style.
  bool FlowMap(std::string_view line, std::size_t c, std::uint32_t parent, bool annotations) {
    const std::uint32_t map = NewNode(Type::kMap, c, parent);
    std::size_t i = c + 1;
    while (i < line.size() && line[i] == ' ') ++i;
    if (i < line.size() && line[i] == '}') return RestIsBlank(line, i + 1);
    for (;;) {
      if (i >= line.size() || !IsKeyStart(line[i])) return false;
      std::size_t k = i;
      while (k < line.size() && IsKeyChar(line[k])) ++k;
      if (k - i > 256 || k + 1 >= line.size() || line[k] != ':' || line[k + 1] != ' ') return false;
      const std::string_view key = line.substr(i, k - i);
      if (annotations) {
        if (key.starts_with(kDeclinedAnnotations)) return false;
        header_.has_annotations = true;
      }
      NewNode(Type::kScalar, i, map, key);
      std::size_t v = k + 1;
      while (v < line.size() && line[v] == ' ') ++v;
      if (v >= line.size()) return false;
      std::string value;
      bool quoted;
      std::size_t end;
      if (!Scalar(line, v, '}', Building(), value, quoted, end)) return false;
      if (Building())
        NewNode(!quoted && IsNullPlain(value) ? Type::kNull : Type::kScalar, v, map, value);
      while (end < line.size() && line[end] == ' ') ++end;
      if (end >= line.size()) return false;
      if (line[end] == '}') return RestIsBlank(line, end + 1);
      if (line[end] != ',') return false;
      i = end + 1;
      while (i < line.size() && line[i] == ' ') ++i;
    }
  }

  std::string_view text_;
  DocumentHeader header_;
  std::vector<Level> stack_;
  Pending pending_ = Pending::kNone;
  int pending_indent_ = 0;
  Where pending_where_ = Where::kOther;
  ScannedScalar* pending_field_ = nullptr;
  std::uint32_t pending_parent_ = 0;
  bool pending_prune_ = false;
  LiteTree* tree_;
  const PrunePlan* plan_;
  std::uint32_t line_ = 0;
  bool seen_metadata_ = false;
  bool seen_annotations_ = false;
  bool in_block_ = false;
  int block_parent_ = 0;
  int block_indent_ = -1;
};

}  // namespace

bool PartialMapHolds(LiteTree::Partial partial, std::string_view key) {
  return FindTracked(WhereOf(partial), key) != nullptr;
}

bool PartialMapHoldsPrefix(LiteTree::Partial partial, std::string_view prefix) {
  return partial == LiteTree::Partial::kAnnotations && prefix == kDeclinedAnnotations;
}

std::optional<DocumentHeader> ScanDocument(std::string_view text, LiteTree* tree,
                                           const PrunePlan* plan) {
  if (tree) tree->Clear();
  return Scanner(text, tree, plan).Run();
}

void BuildHeaderTree(const DocumentHeader& header, LiteTree& tree) {
  tree.Clear();
  // Keys and mappings get no position: a reader needs one only to report a
  // problem, and a problem sends the document to yaml-cpp anyway.
  auto map = [&](LiteTree::Partial partial) {
    const std::uint32_t n = tree.Add(Type::kMap, -1, -1);
    tree.nodes[n].partial = partial;
    return n;
  };
  const std::uint32_t root = map(LiteTree::Partial::kRoot);
  std::uint32_t metadata = 0;
  for (Where where : {Where::kRoot, Where::kMetadata}) {
    const std::uint32_t parent = where == Where::kRoot ? root : metadata;
    if (where == Where::kMetadata && metadata == 0) break;
    for (const TrackedKey& t : kTracked) {
      if (t.where != where) continue;
      const bool present = t.field                       ? (header.*(t.field)).found
                           : t.child == Where::kMetadata ? header.has_metadata
                                                         : header.has_annotations;
      if (!present) continue;
      const std::uint32_t key = tree.Add(Type::kScalar, -1, -1);
      tree.nodes[key].scalar.assign(t.key);
      std::uint32_t value;
      if (t.field) {
        const ScannedScalar& v = header.*(t.field);
        value = tree.Add(v.null ? Type::kNull : Type::kScalar, static_cast<int>(v.line),
                         static_cast<int>(v.column));
        tree.nodes[value].scalar = v.value;
      } else if (t.child == Where::kMetadata) {
        value = metadata = map(LiteTree::Partial::kMetadata);
      } else {
        value = map(LiteTree::Partial::kAnnotations);
      }
      tree.nodes[parent].kids.push_back(key);
      tree.nodes[parent].kids.push_back(value);
    }
  }
}

}  // namespace meshlint
