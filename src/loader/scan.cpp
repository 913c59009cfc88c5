#include "loader/scan.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "loader/scan_scalars.h"
#include "loader/scan_tracked.h"
#include "loader/text.h"
#include "loader/yaml_events.h"

namespace meshlint {

namespace {

using scan::FindTracked;
using scan::kDeclinedAnnotations;
using scan::TrackedKey;
using scan::Where;

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

bool IsKeyChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.' || c == '/' || c == '$';  // `$ref:` in OpenAPI schemas
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
  // Well below FindExcessiveNesting's limit (2000 columns). Past
  // kMaxBrackets brackets (in block scalars: JSON dashboards), that check
  // runs here.
  static constexpr std::size_t kMaxIndent = 1000;
  static constexpr std::size_t kMaxBrackets = 500;
  // yaml-cpp refuses nodes nested 500 deep; below that, block nesting can
  // reach far more within kMaxIndent. Deeper documents go to the parser, so
  // its limit decides for both paths (a leaf and a one-line flow list add
  // two levels to the open collections counted here).
  static constexpr std::size_t kMaxDepth = 400;

  Scanner(std::string_view text, LiteTree* tree, const PrunePlan* plan, NestingCheck* nesting)
      : text_(text), tree_(tree), plan_(tree ? plan : nullptr), nesting_(nesting) {}

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
    // brackets nested deep) are left to the parser path, which runs that
    // check and reports them; so the loader need not run it on the
    // documents accepted here.
    if (bad) {
      why_ = "a tab, CR, control or non-ASCII byte";
      return std::nullopt;
    }
    if (brackets > kMaxBrackets &&
        (nesting_ ? nesting_->Result().has_value() : FindExcessiveNesting(text_).has_value())) {
      why_ = "brackets nested deep";
      return std::nullopt;
    }
    std::size_t pos = 0;
    std::uint32_t line_no = 0;
    while (pos < text_.size()) {
      std::size_t eol = text_.find('\n', pos);
      if (eol == std::string_view::npos) eol = text_.size();
      line_ = line_no;
      if (!Line(text_.substr(pos, eol - pos), line_no)) return std::nullopt;
      if (resume_ != std::string_view::npos) {
        // A flow collection ran on over lines of its own: on after its last.
        eol = resume_;
        line_no = line_;
        resume_ = std::string_view::npos;
      }
      pos = eol + 1;
      ++line_no;
    }
    why_ = "the end of the document";
    if (stack_.empty() && !root_flow_) return std::nullopt;  // empty: the parser decides
    if (in_quote_) return std::nullopt;                      // never closed
    if (in_block_) FinishBlock(text_.ends_with('\n'));
    if (pending_ != Pending::kNone) {
      // A key left without a value at the end: yaml-cpp marks its null at
      // the start of the line after the last line break. When none ends
      // the text (a `|-` scalar's content), at the start of the last line
      // if the key is on it; past a blank or comment line, its mark depends
      // on the collections it closes: the parser decides.
      if (!text_.ends_with('\n') && LastLineIsBlankOrComment()) return std::nullopt;
      line_ = text_.ends_with('\n') ? line_no : line_no - 1;
      if (!ResolvePendingNull()) return std::nullopt;
    }
    return header_;
  }

  bool LastLineIsBlankOrComment() const {
    const std::size_t nl = text_.rfind('\n');
    const std::string_view last = text_.substr(nl == std::string_view::npos ? 0 : nl + 1);
    const std::size_t first = last.find_first_not_of(' ');
    return first == std::string_view::npos || last[first] == '#';
  }

  // Why and where the document was declined, for MESHLINT_SCAN_DEBUG.
  const char* Why() const { return why_; }
  std::uint32_t FailLine() const { return line_; }

 private:
  bool Line(std::string_view line, std::uint32_t line_no) {
    if (line_no == 0 && line.substr(0, 3) == "---") return RestIsBlank(line, 3);
    std::size_t indent = 0;
    while (indent < line.size() && line[indent] == ' ') ++indent;
    const bool blank = indent == line.size();
    if (!blank && indent > kMaxIndent) return false;
    if (in_quote_) return QuotedLine(line, indent);
    if (in_block_) {
      if (blank) {
        // Spaces before the first content line could make yaml-cpp pick an
        // indentation other than the one assumed here.
        if (block_indent_ < 0 && indent > 0) return false;
        return KeepBlockLine(line);
      }
      if (block_indent_ < 0 && static_cast<int>(indent) > block_parent_) {
        block_indent_ = static_cast<int>(indent);
        return KeepBlockLine(line);
      }
      if (block_indent_ >= 0 && static_cast<int>(indent) >= block_indent_)
        return KeepBlockLine(line);
      in_block_ = false;  // a less indented line ends the block scalar
      FinishBlock(true);
    }
    if (blank || line[indent] == '#') return true;
    if (root_flow_) return false;  // only comments after a document in flow style
    if (line[indent] == '{' || line[indent] == '[') {
      if (pending_ != Pending::kNone) return FlowValueLine(line, indent);
      if (stack_.empty()) return RootFlow(line, indent);
    }
    return Node(line, line_no, indent, /*after_dash=*/false);
  }

  // A one-line flow collection on a line of its own, more indented than the
  // key or dash before it whose value it is (`volumes:` then `  []`).
  // The object's annotations may be a flow mapping so too (`annotations:`
  // then `  {}`, as Helm charts write them).
  bool FlowValueLine(std::string_view line, std::size_t col) {
    if (static_cast<int>(col) <= pending_indent_ || pending_field_) return false;
    const bool annotations = pending_where_ == Where::kAnnotations && line[col] == '{';
    if (pending_where_ != Where::kOther && !annotations) return false;
    pending_ = Pending::kNone;
    if (annotations) return Flow(line, col, pending_parent_, Where::kAnnotations, false);
    return Flow(line, col, pending_parent_, Where::kOther, pending_prune_);
  }

  // A document that is one flow collection (`{}`, JSON): a sequence only
  // with a tree (a header is a mapping's), and none of the keys tracked at
  // the root (they are tracked in block style only).
  bool RootFlow(std::string_view line, std::size_t col) {
    if (line[col] == '[' && !tree_) return false;
    root_flow_ = true;
    return Flow(line, col, 0, Where::kRoot, false);
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
        if (!OpenMapping(col, after_dash)) return false;
        return KeyValue(line, line_no, col, line.substr(col, k - col), false, k + 1);
      }
    }
    if (line[col] == '"' || line[col] == '\'') {
      std::size_t end = 0;
      if (QuotedKey(line, col, end)) {
        if (!OpenMapping(col, after_dash)) return false;
        const std::string key = quote_.Take();
        return KeyValue(line, line_no, col, key, true, end + 1);
      }
    }
    if (!after_dash) return false;  // a scalar line: multi-line scalar or error
    return Value(line, line_no, col, nullptr, stack_.back().node);
  }

  // Places a key at `col`; after a dash, `- key: value` opens a mapping
  // inside the list entry.
  bool OpenMapping(std::size_t col, bool after_dash) {
    if (!after_dash) return Place(static_cast<int>(col), false);
    const std::uint32_t map = NewNode(Type::kMap, col, stack_.back().node);
    stack_.push_back(
        Level{static_cast<int>(col), false, false, Where::kOther, map, stack_.back().pruned});
    return stack_.size() <= kMaxDepth;
  }

  // A quoted key at `col` (`"@type": x`, `'a b': c`): a quoted scalar closed
  // on this line, not empty, then `:` and a space or the end of the line.
  // `end` is the colon; quote_ holds the key.
  bool QuotedKey(std::string_view line, std::size_t col, std::size_t& end) {
    quote_.Start(line[col], true);
    if (quote_.First(line, col + 1, end) != scan::QuotedScalar::Step::kClosed) return false;
    if (end - col > 256 || end - col == 2) return false;  // long or empty
    return end < line.size() && line[end] == ':' &&
           (end + 1 == line.size() || line[end + 1] == ' ');
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
      // yaml-cpp marks the null where the next line's content starts.
      if (!ResolvePendingNull(static_cast<std::size_t>(indent))) return false;
    }
    while (!stack_.empty() && stack_.back().indent > indent) stack_.pop_back();
    if (!stack_.empty() && !seq && stack_.back().indent == indent && stack_.back().seq &&
        stack_.back().indentless)
      stack_.pop_back();
    return !stack_.empty() && stack_.back().indent == indent && stack_.back().seq == seq;
  }

  // The last `key:` had no value and nothing nested follows: it is null.
  bool ResolvePendingNull(std::size_t column = 0) {
    if (pending_where_ == Where::kMetadata) return false;  // "metadata is required"
    if (pending_field_) pending_field_->null = true;
    NewNode(Type::kNull, column, pending_parent_);
    pending_ = Pending::kNone;
    return true;
  }

  ScannedScalar* Field(Where where, std::string_view key, Where& child) {
    const TrackedKey* t = FindTracked(where, key);
    child = t ? t->child : Where::kOther;
    return t && t->field ? &(header_.*(t->field)) : nullptr;
  }

  bool KeyValue(std::string_view line, std::uint32_t line_no, std::size_t key_col,
                std::string_view key, bool quoted, std::size_t after_colon) {
    // A key written `null` or `~` is a null node to yaml-cpp, not a string
    // (quoted, it is a string).
    if (!quoted && IsNullPlain(key)) return false;
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
      if (line[c] == '{') return Flow(line, c, map, Where::kAnnotations, false);
      ScannedScalar v;
      if (!Value(line, line_no, c, &v, map)) return false;
      return v.null;  // `annotations: ~` is as good as none
    }
    if (line[c] == '{' || line[c] == '[')
      return !field && Flow(line, c, map, Where::kOther, Prunes(key));
    return Value(line, line_no, c, field, map);
  }

  // A `|` or `>` header at `c`, with `-` or `+`, ending the line; its value
  // is the lines after it more indented than the innermost collection.
  bool BlockScalar(std::string_view line, std::size_t c, std::uint32_t parent) {
    std::size_t i = c + 1;
    scan::Chomp chomp = scan::Chomp::kClip;
    if (i < line.size() && (line[i] == '-' || line[i] == '+')) {
      chomp = line[i] == '-' ? scan::Chomp::kStrip : scan::Chomp::kKeep;
      ++i;
    }
    if (!RestIsBlank(line, i)) return false;  // explicit indentation and the rest
    in_block_ = true;
    block_parent_ = stack_.back().indent;
    block_indent_ = -1;
    block_folded_ = line[c] == '>';
    block_chomp_ = chomp;
    block_lines_.clear();
    block_node_ = Building() ? NewNode(Type::kScalar, c, parent) : 0;
    return true;
  }

  bool KeepBlockLine(std::string_view line) {
    if (block_node_ != 0) block_lines_.push_back(line);
    return true;
  }

  void FinishBlock(bool ends_with_break) {
    if (block_node_ == 0) return;
    tree_->nodes[block_node_].scalar = scan::BlockScalarValue(
        block_lines_, block_parent_ + 1, block_folded_, block_chomp_, ends_with_break);
    block_node_ = 0;
  }

  // A line inside a quoted scalar opened on an earlier line. Its text must
  // be indented past the innermost collection (yaml-cpp does not ask that,
  // the spec does): a line that is not is declined.
  bool QuotedLine(std::string_view line, std::size_t indent) {
    if (indent < line.size() && static_cast<int>(indent) <= quote_parent_) return false;
    std::size_t end = 0;
    const scan::QuotedScalar::Step step = quote_.Next(line, end);
    if (step == scan::QuotedScalar::Step::kDecline) return false;
    if (step == scan::QuotedScalar::Step::kOpen) return true;
    in_quote_ = false;
    if (quote_node_ != 0) tree_->nodes[quote_node_].scalar = quote_.Take();
    return RestIsBlank(line, end);
  }

  // One scalar token at `c`: quoted (on this line) or plain. In a flow
  // collection (`close`: its closing bracket; 0 in block context) a plain
  // scalar ends at `,` or `close` and holds only plain characters. Sets
  // `end` one past the token (a plain scalar's trailing spaces included).
  bool Scalar(std::string_view line, std::size_t c, char close, bool want, std::string& value,
              bool& quoted, std::size_t& end) {
    const char first = line[c];
    quoted = first == '"' || first == '\'';
    if (quoted) {
      quote_.Start(first, want);
      const scan::QuotedScalar::Step step = quote_.First(line, c + 1, end);
      if (step == scan::QuotedScalar::Step::kDecline) return false;
      if (step == scan::QuotedScalar::Step::kOpen) {
        // It goes on over the next lines (Line reads them): only in block
        // context.
        if (close) return false;
        in_quote_ = true;
        end = line.size();
        return true;
      }
      if (want) value = quote_.Take();
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
        // Brackets inside (`claims[iss]`) are text in block context.
        if (ch == ':' && (i + 1 == line.size() || line[i + 1] == ' ')) return false;
      }
      last = i + 1;
    }
    if (want) value.assign(line.substr(c, last - c));
    end = i;
    return true;
  }

  // A value at `c` running to the end of the line: a scalar, a block
  // scalar's header or a flow collection.
  bool Value(std::string_view line, std::uint32_t line_no, std::size_t c, ScannedScalar* field,
             std::uint32_t parent) {
    if (line[c] == '{' || line[c] == '[')
      return !field && Flow(line, c, parent, Where::kOther, false);
    if (line[c] == '|' || line[c] == '>') return !field && BlockScalar(line, c, parent);
    ScannedScalar local;
    ScannedScalar* out = field ? field : Building() ? &local : nullptr;
    std::string value;
    bool quoted;
    std::size_t end;
    if (!Scalar(line, c, 0, out != nullptr, value, quoted, end)) return false;
    if (in_quote_) {
      // Its value is known once it closes; the loader's fields take only
      // one-line values.
      if (field) return false;
      quote_parent_ = stack_.back().indent;
      quote_node_ = Building() ? NewNode(Type::kScalar, c, parent) : 0;
      return true;
    }
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

  // A flow collection at `c` of `line`: the value of a key or a list entry,
  // or (`where` kRoot) the whole document; kAnnotations: the object's
  // annotations, tracked as in block style. Collections nest, in one line
  // or over several; the line loop goes on after the line it ends on, which
  // must hold nothing more. `prune`: the plan leaves it out (checked, not
  // built).
  bool Flow(std::string_view line, std::size_t c, std::uint32_t parent, Where where, bool prune) {
    fline_ = line;
    fline_at_ = static_cast<std::size_t>(line.data() - text_.data());
    flow_indent_ = stack_.empty() ? -1 : stack_.back().indent;
    const std::uint32_t first_line = line_;
    std::size_t i = c;
    if (!FlowCollection(i, parent, Building(), prune, stack_.size() + 1, where)) return false;
    if (!RestIsBlank(fline_, i)) return false;
    if (line_ != first_line) resume_ = fline_at_ + fline_.size();
    return true;
  }

  // Skips spaces from `i` on the current flow line, and with `lines` line
  // breaks and blank lines too. True when `i` is then at a token; false at a
  // comment (not read in flow), at the end of the text, or on a line not
  // indented past the flow collection's block parent (or a document marker).
  bool FlowSpace(std::size_t& i, bool lines) {
    for (;;) {
      while (i < fline_.size() && fline_[i] == ' ') ++i;
      if (i < fline_.size()) return fline_[i] != '#';
      const std::size_t next = fline_at_ + fline_.size() + 1;
      if (!lines || next >= text_.size()) return false;
      std::size_t eol = text_.find('\n', next);
      if (eol == std::string_view::npos) eol = text_.size();
      fline_at_ = next;
      fline_ = text_.substr(next, eol - next);
      ++line_;
      i = 0;
      while (i < fline_.size() && fline_[i] == ' ') ++i;
      if (i == fline_.size()) continue;  // a blank line
      // A closing bracket may be at the block parent's own indentation
      // (`args: [` ... `]` under the key).
      const bool closing = fline_[i] == ']' || fline_[i] == '}';
      if (static_cast<int>(i) < flow_indent_ + (closing ? 0 : 1) || i > kMaxIndent) return false;
      if (i == 0 && (fline_.starts_with("---") || fline_.starts_with("..."))) return false;
    }
  }

  // Adds a node of a flow collection (`build`: one is built there).
  std::uint32_t FlowNode(bool build, Type type, std::size_t column, std::uint32_t parent,
                         std::string_view scalar = {}) {
    if (!build) return 0;
    const std::uint32_t n = tree_->Add(type, static_cast<int>(line_), static_cast<int>(column));
    tree_->nodes[n].scalar.assign(scalar);
    if (n != 0) tree_->nodes[parent].kids.push_back(n);
    return n;
  }

  // The flow mapping or sequence whose bracket is at `i`; `i` ends one past
  // its closing bracket. `depth`: the collections open around it, block
  // ones included. Empty entries (a null to yaml-cpp, marked at the comma)
  // are declined.
  bool FlowCollection(std::size_t& i, std::uint32_t parent, bool build, bool prune,
                      std::size_t depth, Where where) {
    if (depth > kMaxDepth) return false;
    const bool map = fline_[i] == '{';
    const char close = map ? '}' : ']';
    const std::uint32_t node = FlowNode(build, map ? Type::kMap : Type::kSequence, i, parent);
    if (build && prune) tree_->nodes[node].partial = LiteTree::Partial::kPruned;
    const bool kids = build && !prune;
    ++i;
    if (!FlowSpace(i, true)) return false;
    if (fline_[i] == close) {
      ++i;
      return true;
    }
    for (;;) {
      if (!(map ? FlowEntry(i, node, kids, depth, where) : FlowValue(i, node, kids, depth, close)))
        return false;
      if (!FlowSpace(i, true)) return false;
      if (fline_[i] == close) {
        ++i;
        return true;
      }
      if (fline_[i] != ',') return false;
      ++i;
      if (!FlowSpace(i, true) || fline_[i] == ',') return false;
      if (fline_[i] == close) {  // yaml-cpp drops a comma before the bracket
        ++i;
        return true;
      }
    }
  }

  // One key and its value in a flow mapping, from `i`: a plain key as in
  // block mappings followed by `: `, or a quoted one (not empty) followed by
  // `:` (JSON writes no space after it; yaml-cpp reads the colon right after
  // a quoted scalar as a value indicator). The value is on the key's line.
  bool FlowEntry(std::size_t& i, std::uint32_t map, bool build, std::size_t depth, Where where) {
    const char c = fline_[i];
    std::string_view key;
    std::size_t v;
    if (IsKeyStart(c)) {
      std::size_t k = i;
      while (k < fline_.size() && IsKeyChar(fline_[k])) ++k;
      if (k - i > 256 || k + 1 >= fline_.size() || fline_[k] != ':' || fline_[k + 1] != ' ')
        return false;
      key = fline_.substr(i, k - i);
      if (IsNullPlain(key)) return false;  // a null key to yaml-cpp, as in a block mapping
      v = k + 1;
    } else if (c == '"' || c == '\'') {
      std::size_t end = 0;
      quote_.Start(c, true);
      if (quote_.First(fline_, i + 1, end) != scan::QuotedScalar::Step::kClosed) return false;
      if (end - i > 256 || end - i == 2 || end >= fline_.size() || fline_[end] != ':') return false;
      key_ = quote_.Take();
      key = key_;
      v = end + 1;
    } else {
      return false;  // `? ` complex keys, anchors, tags, flow keys...
    }
    if (where == Where::kAnnotations) {
      if (key.starts_with(kDeclinedAnnotations)) return false;
      header_.has_annotations = true;
    }
    if (where == Where::kRoot && FindTracked(Where::kRoot, key)) return false;
    FlowNode(build, Type::kScalar, i, map, key);
    if (!FlowSpace(v, false)) return false;  // `{a: }`, `{a:` then a line break
    // The annotations the loader reads are strings.
    if (where == Where::kAnnotations && (fline_[v] == '{' || fline_[v] == '[')) return false;
    i = v;
    return FlowValue(i, map, build, depth, '}');
  }

  // A value in a flow collection at `i` (closed by `close`): a collection,
  // or a scalar, quoted on one line or plain (ending at `,` or `close`, a
  // plain scalar on one line).
  bool FlowValue(std::size_t& i, std::uint32_t parent, bool build, std::size_t depth, char close) {
    if (fline_[i] == '{' || fline_[i] == '[')
      return FlowCollection(i, parent, build, false, depth + 1, Where::kOther);
    std::string value;
    bool quoted;
    std::size_t end;
    if (!Scalar(fline_, i, close, build, value, quoted, end)) return false;
    FlowNode(build, !quoted && IsNullPlain(value) ? Type::kNull : Type::kScalar, i, parent, value);
    i = end;
    return true;
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
  NestingCheck* nesting_;
  std::uint32_t line_ = 0;
  bool seen_metadata_ = false;
  bool seen_annotations_ = false;
  bool in_block_ = false;
  int block_parent_ = 0;
  int block_indent_ = -1;
  bool block_folded_ = false;
  scan::Chomp block_chomp_ = scan::Chomp::kClip;
  std::vector<std::string_view> block_lines_;  // when its value is decoded
  std::uint32_t block_node_ = 0;               // its node, or 0
  bool in_quote_ = false;
  int quote_parent_ = 0;
  scan::QuotedScalar quote_;
  std::uint32_t quote_node_ = 0;  // its node, or 0
  const char* why_ = "its structure";
  // A flow collection being read: the line it has reached (at fline_at_ in
  // text_) and the indentation of the block collection holding it (-1 at
  // the root), which every line it goes on over must be indented past.
  std::string_view fline_;
  std::size_t fline_at_ = 0;
  int flow_indent_ = -1;
  std::string key_;  // a quoted key's value
  // Where the line loop goes on when a flow collection ended on a later
  // line than it opened on: the end of that line.
  std::size_t resume_ = std::string_view::npos;
  bool root_flow_ = false;  // the document is one flow collection
};

}  // namespace

std::optional<DocumentHeader> ScanDocument(std::string_view text, LiteTree* tree,
                                           const PrunePlan* plan, NestingCheck* nesting) {
  if (tree) tree->Clear();
  Scanner scanner(text, tree, plan, nesting);
  std::optional<DocumentHeader> header = scanner.Run();
  // A debugging aid, not an interface: which documents go to the parsers.
  static const bool debug = std::getenv("MESHLINT_SCAN_DEBUG") != nullptr;
  if (!header && debug) {
    std::string_view line = text;
    for (std::uint32_t i = 0; i < scanner.FailLine() && !line.empty(); ++i)
      line.remove_prefix(std::min(line.size(), line.find('\n') + 1));
    line = line.substr(0, std::min<std::size_t>(line.find('\n'), 100));
    std::fprintf(stderr, "meshlint-scan: declined (%s, %zu bytes) at line %u, %s: %.*s\n",
                 tree ? "tree" : "header", text.size(), scanner.FailLine(), scanner.Why(),
                 static_cast<int>(line.size()), line.data());
  }
  return header;
}

}  // namespace meshlint
