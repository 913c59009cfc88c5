#include "loader/yaml_events.h"

#include <yaml.h>

#include <algorithm>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace meshlint {

namespace {

// Tags written `!!name` or `!name` (names of letters, digits, `-`, `_`): the
// two parsers scan other tag spellings differently.
bool PlainTag(const yaml_char_t* tag) {
  if (tag == nullptr) return true;
  std::string_view t(reinterpret_cast<const char*>(tag));
  constexpr std::string_view kCore = "tag:yaml.org,2002:";
  if (t.starts_with(kCore)) t.remove_prefix(kCore.size());
  else if (t.starts_with('!')) t.remove_prefix(1);
  else return false;
  for (char c : t)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
          c == '_'))
      return false;
  return true;
}

bool IsNullString(std::string_view v) {  // yaml-cpp's IsNullString
  return v.empty() || v == "~" || v == "null" || v == "Null" || v == "NULL";
}

// libyaml counts columns in characters, yaml-cpp in bytes; and libyaml takes
// a lone CR and the Unicode line breaks for line breaks, yaml-cpp does not.
// Converts libyaml's marks to yaml-cpp's, or says the text cannot be.
class Marks {
 public:
  struct Mark {
    int line, column;
  };

  // False when the two parsers would not count lines alike.
  bool Init(std::string_view text) {
    text_ = text;
    starts_.clear();
    bom_ = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    unsigned high = 0, cr = 0;
    for (std::size_t i = 0; i < n; ++i) {  // branch-free, vectorised
      high |= static_cast<unsigned>(p[i] >= 0x80);
      cr |= static_cast<unsigned>(p[i] == '\r');
    }
    ascii_ = !high;
    question_ = text.find('?') != std::string_view::npos;
    // Explicit keys (`? key`): yaml-cpp marks their missing values and
    // reads them in flow collections unlike libyaml. Declined, with any
    // text that merely looks like one (rare either way).
    for (std::size_t q = text.find('?'); question_ && q != std::string_view::npos;
         q = text.find('?', q + 1))
      if (q + 1 == n || IsSpace(text[q + 1])) return false;
    for (std::size_t i = 0; cr && i < n; ++i)
      if (p[i] == '\r' && (i + 1 == n || p[i + 1] != '\n')) return false;
    // A byte order mark past the start: libyaml skips it (a stream may
    // restart with one), yaml-cpp reads it as text.
    if (high && text.find("\xEF\xBB\xBF", bom_) != std::string_view::npos) return false;
    for (std::size_t i = 0; high && i < n; ++i) {
      // NEL (C2 85), LS and PS (E2 80 A8/A9): breaks to libyaml only.
      if (p[i] == 0xC2 && i + 1 < n && p[i + 1] == 0x85) return false;
      if (p[i] == 0xE2 && i + 2 < n && p[i + 1] == 0x80 && (p[i + 2] == 0xA8 || p[i + 2] == 0xA9))
        return false;
    }
    if (!ascii_) Starts();  // Column needs them for every mark
    return true;
  }

  // libyaml's column (characters) on `line` as a byte column.
  int Column(std::size_t line, std::size_t column) const {
    if (ascii_ || line >= starts_.size()) return static_cast<int>(column);
    std::size_t i = starts_[line];
    for (std::size_t chars = 0; i < text_.size() && chars < column; ++chars) {
      ++i;  // past a character's first byte, then its continuation bytes
      while (i < text_.size() && (static_cast<unsigned char>(text_[i]) & 0xC0) == 0x80) ++i;
    }
    return static_cast<int>(i - starts_[line]);
  }

  // Whether a `?` comes right before the node at `mark` (blanks between):
  // libyaml takes `?x` in a flow collection for a key indicator, yaml-cpp
  // for an error.
  bool AfterQuestionMark(const yaml_mark_t& mark) {
    if (!question_) return false;
    std::size_t pos = Offset(mark);
    while (pos > 0 && IsSpace(text_[pos - 1])) --pos;
    return pos > 0 && text_[pos - 1] == '?';
  }

  // Whether the anchor or alias `name` written with `indicator` (`&`, `*`)
  // at or after `mark` ends where yaml-cpp ends it too: libyaml's names are
  // letters, digits, `-` and `_`; yaml-cpp's run to a blank or flow indicator.
  bool NameEndsAlike(const yaml_mark_t& mark, char indicator, std::string_view name) {
    std::size_t at = Offset(mark);
    while (at < text_.size() &&
           !(text_[at] == indicator && text_.substr(at + 1, name.size()) == name))
      ++at;
    const std::size_t end = at + 1 + name.size();
    if (at >= text_.size() || end >= text_.size()) return true;
    return IsSpace(text_[end]) ||
           std::string_view(",[]{}").find(text_[end]) != std::string_view::npos;
  }

  // Where yaml-cpp marks an empty node (a key or entry written with no
  // value) that libyaml marks at `mark`: libyaml points just past the `:` or
  // `-` before it, yaml-cpp at the next token (or the end of the text).
  // nullopt for an empty node with no indicator before it (a key with no
  // `:`, which yaml-cpp marks at the key instead): not worth mimicking.
  std::optional<Mark> EmptyNode(const yaml_mark_t& mark) {
    const std::vector<std::size_t>& starts = Starts();
    if (mark.line >= starts.size()) return std::nullopt;
    std::size_t pos = Offset(mark);
    std::size_t back = pos;
    while (back > 0 && IsSpace(text_[back - 1])) --back;
    if (back == 0 || !(text_[back - 1] == ':' || Dash(back - 1))) return std::nullopt;
    for (;;) {
      while (pos < text_.size() && IsSpace(text_[pos])) ++pos;
      if (pos == text_.size() || text_[pos] != '#') break;
      while (pos < text_.size() && text_[pos] != '\n') ++pos;
    }
    // At the end of a text with no final line break (a `|-` scalar's
    // content) yaml-cpp marks the start of the last line when the value's
    // key or dash is on it; past a further line (blank or a comment) its
    // mark depends on the collections it closes: the parser decides.
    if (pos == text_.size() && !text_.ends_with('\n')) {
      if (text_.find('\n', back) != std::string_view::npos) return std::nullopt;
      return Mark{static_cast<int>(starts.size() - 1), 0};
    }
    const auto line = std::upper_bound(starts.begin(), starts.end(), pos) - starts.begin() - 1;
    return Mark{static_cast<int>(line),
                static_cast<int>(pos - starts[static_cast<std::size_t>(line)])};
  }

  // Whether only blanks and line breaks follow `mark`, and the text ends in
  // a line of spaces with no line break after it: yaml-cpp joins that line
  // to a block scalar ending there as one with text (a folded scalar gets a
  // space where libyaml ends the line), and adds what it has past the
  // indentation.
  bool BeforeSpacesAtTheEnd(const yaml_mark_t& mark) {
    if (text_.empty() || text_.back() != ' ') return false;
    const std::size_t last = text_.find_last_not_of(' ');
    if (last != std::string_view::npos && text_[last] != '\n') return false;
    for (std::size_t pos = Offset(mark); pos < text_.size(); ++pos)
      if (!IsSpace(text_[pos])) return false;
    return true;
  }

  // Whether yaml-cpp reads the key of a flow mapping from `start` to `end`
  // (libyaml's marks) as libyaml does when no `:` follows it (`{a, b}`):
  // its scanner takes such a key only when the `,` or `}` after it is on the
  // key's first line and at most 1024 bytes on (its simple key's limits);
  // past a line break (`{a\n}`, `{a: b, c\n-}`) or further it ends the
  // mapping with an error. True for a key with a `:` after it.
  bool SoloKeyAlike(const yaml_mark_t& start, const yaml_mark_t& end) {
    const std::size_t from = Offset(start);
    std::size_t pos = Offset(end);
    for (;;) {
      while (pos < text_.size() && IsSpace(text_[pos])) ++pos;
      if (pos == text_.size() || text_[pos] != '#') break;
      while (pos < text_.size() && text_[pos] != '\n') ++pos;
    }
    if (pos < text_.size() && text_[pos] == ':') return true;
    if (pos < from) return false;
    return pos - from <= kSimpleKeyBytes &&
           text_.substr(from, pos - from).find('\n') == std::string_view::npos;
  }

 private:
  // yaml-cpp's longest simple key is 1024 bytes; a little less, for safety.
  static constexpr std::size_t kSimpleKeyBytes = 1000;

  // The byte offset of a libyaml mark.
  std::size_t Offset(const yaml_mark_t& mark) {
    const std::vector<std::size_t>& starts = Starts();
    if (mark.line >= starts.size()) return text_.size();
    return std::min(text_.size(),
                    starts[mark.line] + static_cast<std::size_t>(Column(mark.line, mark.column)));
  }

  // A `-` at `i` that is a list entry's indicator or ends a `---` line start.
  bool Dash(std::size_t i) const {
    if (text_[i] != '-') return false;
    if (i == 0 || text_[i - 1] == ' ' || text_[i - 1] == '\n') return true;
    return i >= 2 && text_.substr(i - 2, 3) == "---" && (i == 2 || text_[i - 3] == '\n');
  }

  static bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

  const std::vector<std::size_t>& Starts() {
    if (starts_.empty()) {
      starts_.push_back(bom_);  // both parsers count columns from after a BOM
      for (std::size_t i = 0; i < text_.size(); ++i)
        if (text_[i] == '\n') starts_.push_back(i + 1);
    }
    return starts_;
  }

  std::string_view text_;
  bool ascii_ = true;
  bool question_ = false;
  std::size_t bom_ = 0;
  std::vector<std::size_t> starts_;
};

// Events to tree nodes, as yaml_tree.cpp's TreeBuilder turns yaml-cpp's: a
// node is complete when its event (or its collection's end) arrives, and is
// then the next child of the innermost open collection — for a mapping,
// keys and values alternate, as they come. A collection the plan prunes is
// one placeholder node: its events still pass every check below (so that the
// same documents are declined), but build nothing.
class EventBuilder {
 public:
  EventBuilder(std::string_view text, LiteTree& tree, const PrunePlan* plan)
      : text_(text), tree_(tree), plan_(plan) {
    yaml_parser_initialize(&parser_);
    yaml_parser_set_input_string(&parser_, reinterpret_cast<const unsigned char*>(text.data()),
                                 text.size());
  }
  ~EventBuilder() { yaml_parser_delete(&parser_); }
  EventBuilder(const EventBuilder&) = delete;
  EventBuilder& operator=(const EventBuilder&) = delete;

  EventParse Run() {
    tree_.Clear();
    if (!marks_.Init(text_)) return EventParse::kDeclined;
    for (;;) {
      yaml_event_t event;
      if (!yaml_parser_parse(&parser_, &event)) return EventParse::kDeclined;
      const Step step = Handle(event);
      yaml_event_delete(&event);
      if (step == Step::kDeclined || declined_) return EventParse::kDeclined;
      if (step == Step::kDone)
        return unpruned_alias_ ? EventParse::kNeedsWhole : EventParse::kBuilt;
    }
  }

 private:
  enum class Step { kMore, kDone, kDeclined };
  // An anchor's node when it was left out with a pruned collection.
  static constexpr std::uint32_t kPrunedNode = static_cast<std::uint32_t>(-1);

  struct OpenCollection {
    std::uint32_t node;  // kPrunedNode inside a pruned collection
    bool map;
    bool flow;
    std::size_t column;      // libyaml's, of its start
    std::uint32_t kids = 0;  // children so far (kept or not)
    // A flow mapping's latest key: where it starts and ends.
    yaml_mark_t key_start{}, key_end{};
  };

  // Notes where a key of a flow mapping starts and ends, for a node about to
  // be attached (from `start`; `end` for a scalar or alias, else at its end).
  void NoteKey(const yaml_mark_t& start, const yaml_mark_t& end) {
    if (open_.empty()) return;
    OpenCollection& parent = open_.back();
    if (!parent.map || !parent.flow || parent.kids % 2 != 0) return;
    parent.key_start = start;
    parent.key_end = end;
  }

  Step Handle(const yaml_event_t& e) {
    switch (e.type) {
      case YAML_STREAM_END_EVENT:  // also with no document: yaml-cpp builds nothing either
        return Step::kDone;
      case YAML_DOCUMENT_END_EVENT:
        // What follows must parse too (yaml-cpp's scanner reads ahead into
        // it), and be the end: a second document in one chunk is declined.
        ended_ = true;
        return Step::kMore;
      case YAML_DOCUMENT_START_EVENT: return ended_ ? Step::kDeclined : Step::kMore;
      case YAML_SCALAR_EVENT: return Scalar(e);
      case YAML_ALIAS_EVENT: {
        const char* name = reinterpret_cast<const char*>(e.data.alias.anchor);
        auto it = anchors_.find(name);
        if (it == anchors_.end()) return Step::kDeclined;  // yaml-cpp: an error
        if (!marks_.NameEndsAlike(e.start_mark, '*', name)) return Step::kDeclined;
        // A kept place naming a node left out: only the whole tree has it.
        if (it->second == kPrunedNode && !Pruning() && !open_.empty()) {
          unpruned_alias_ = true;
          return Step::kDone;
        }
        NoteKey(e.start_mark, e.end_mark);
        Attach(it->second);  // the node itself, not a copy
        return Step::kMore;
      }
      case YAML_SEQUENCE_START_EVENT:
        if (!PlainTag(e.data.sequence_start.tag)) return Step::kDeclined;
        return Open(LiteTree::Type::kSequence, e.start_mark, e.data.sequence_start.anchor,
                    e.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE);
      case YAML_MAPPING_START_EVENT:
        if (!PlainTag(e.data.mapping_start.tag)) return Step::kDeclined;
        return Open(LiteTree::Type::kMap, e.start_mark, e.data.mapping_start.anchor,
                    e.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE);
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT:
        flow_ -= open_.back().flow;
        open_.pop_back();  // attached to its parent when it opened
        // A flow mapping's key that is a collection ends here.
        if (!open_.empty() && open_.back().map && open_.back().flow && open_.back().kids % 2 != 0)
          open_.back().key_end = e.end_mark;
        return Step::kMore;
      default:  // stream and document starts
        return Step::kMore;
    }
  }

  Step Scalar(const yaml_event_t& e) {
    const auto& s = e.data.scalar;
    const std::string_view value(reinterpret_cast<const char*>(s.value), s.length);
    if (!PlainTag(s.tag)) return Step::kDeclined;
    // An empty root with properties: yaml-cpp makes it null at the end
    // of the input whatever its tag.
    if (open_.empty() && value.empty() && (s.tag || s.anchor)) return Step::kDeclined;
    // `-` then an indicator (`-@ x`): yaml-cpp scans that otherwise.
    if (s.style == YAML_PLAIN_SCALAR_STYLE && value.size() > 1 && value[0] == '-' &&
        std::string_view("@`&*!|>'\"%#,[]{}?:").find(value[1]) != std::string_view::npos)
      return Step::kDeclined;
    // A block scalar's indicator at its block sequence's own column, a
    // line below the dash (`- #c` then `>`): yaml-cpp reads a null entry.
    if ((s.style == YAML_LITERAL_SCALAR_STYLE || s.style == YAML_FOLDED_SCALAR_STYLE) &&
        !open_.empty() && !open_.back().map && !open_.back().flow &&
        e.start_mark.column <= open_.back().column)
      return Step::kDeclined;
    if ((s.style == YAML_LITERAL_SCALAR_STYLE || s.style == YAML_FOLDED_SCALAR_STYLE) &&
        marks_.BeforeSpacesAtTheEnd(e.end_mark))
      return Step::kDeclined;
    // A plain root scalar over several lines: yaml-cpp may stop at the
    // first (no manifest is one anyway).
    if (open_.empty() && s.style == YAML_PLAIN_SCALAR_STYLE && e.end_mark.line > e.start_mark.line)
      return Step::kDeclined;
    const bool null = s.style == YAML_PLAIN_SCALAR_STYLE && s.tag == nullptr && IsNullString(value);
    // yaml-cpp ends a plain scalar in a flow collection at `?` too.
    if (flow_ > 0 && s.style == YAML_PLAIN_SCALAR_STYLE &&
        value.find('?') != std::string_view::npos)
      return Step::kDeclined;
    // A folded scalar keeping trailing empty lines (`>+` before a blank
    // line): yaml-cpp 0.7 keeps one line break fewer than libyaml and the
    // spec (a literal `|+` it reads alike).
    if (s.style == YAML_FOLDED_SCALAR_STYLE && value.size() >= 2 &&
        value.substr(value.size() - 2) == "\n\n")
      return Step::kDeclined;
    // yaml-cpp writes \N and \_ as single Latin-1 bytes, not as UTF-8.
    if (s.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE &&
        (value.find("\xC2\x85") != std::string_view::npos ||
         value.find("\xC2\xA0") != std::string_view::npos))
      return Step::kDeclined;
    std::optional<Marks::Mark> empty;
    if (null && value.empty() && s.anchor == nullptr) {
      // An empty key (`: v`, `?` alone): yaml-cpp's verdicts on those
      // differ from libyaml's.
      if (!open_.empty() && open_.back().map && open_.back().kids % 2 == 0) return Step::kDeclined;
      // The value of a flow mapping's key written with no `:`.
      if (!open_.empty() && open_.back().map && open_.back().flow &&
          !marks_.SoloKeyAlike(open_.back().key_start, open_.back().key_end))
        return Step::kDeclined;
      empty = marks_.EmptyNode(e.start_mark);
      if (!empty) return Step::kDeclined;
    }
    const std::uint32_t n =
        New(null ? LiteTree::Type::kNull : LiteTree::Type::kScalar, e.start_mark, s.anchor);
    if (n != kPrunedNode && !null) tree_.nodes[n].scalar.assign(value);
    if (n != kPrunedNode && empty) {
      tree_.nodes[n].line = empty->line;
      tree_.nodes[n].column = empty->column;
    }
    NoteKey(e.start_mark, e.end_mark);
    Attach(n);
    return Step::kMore;
  }

  bool Pruning() const { return !open_.empty() && open_.back().node == kPrunedNode; }

  // Whether the collection about to open as the next child of the innermost
  // open one is one the plan leaves out: a mapping's value under a key the
  // plan names.
  bool Pruned() const {
    if (plan_ == nullptr || open_.empty() || Pruning()) return false;
    const OpenCollection& parent = open_.back();
    if (!parent.map || parent.kids % 2 == 0) return false;
    const LiteTree::Rec& key = tree_.nodes[tree_.nodes[parent.node].kids.back()];
    if (key.type != LiteTree::Type::kScalar) return false;
    auto named = [&](const std::vector<std::string_view>& keys) {
      return std::find(keys.begin(), keys.end(), key.scalar) != keys.end();
    };
    if (open_.size() == 1 && !plan_->keep_at_root.empty() && !named(plan_->keep_at_root))
      return true;
    return named(plan_->prune_anywhere);
  }

  std::uint32_t New(LiteTree::Type type, const yaml_mark_t& mark, const yaml_char_t* anchor) {
    if (flow_ > 0 && marks_.AfterQuestionMark(mark)) declined_ = true;
    const std::uint32_t n = Pruning() ? kPrunedNode
                                      : tree_.Add(type, static_cast<int>(mark.line),
                                                  marks_.Column(mark.line, mark.column));
    // A name defined again names its latest node from there on, as in yaml-cpp.
    if (anchor) {
      const char* name = reinterpret_cast<const char*>(anchor);
      if (!marks_.NameEndsAlike(mark, '&', name)) declined_ = true;
      anchors_[name] = n;
    }
    return n;
  }

  Step Open(LiteTree::Type type, const yaml_mark_t& mark, const yaml_char_t* anchor, bool flow) {
    const bool pruned = Pruned();
    const std::uint32_t n = New(type, mark, anchor);
    if (pruned) tree_.nodes[n].partial = LiteTree::Partial::kPruned;
    NoteKey(mark, mark);
    Attach(n);
    // Inside a pruned collection every child is left out too.
    open_.push_back({pruned ? kPrunedNode : n, type == LiteTree::Type::kMap, flow, mark.column});
    flow_ += flow;
    return open_.size() > kMaxEventDepth ? Step::kDeclined : Step::kMore;
  }

  // Children come in document order; a mapping's alternate key, value.
  void Attach(std::uint32_t n) {
    if (open_.empty()) return;
    OpenCollection& parent = open_.back();
    ++parent.kids;
    if (parent.node != kPrunedNode) tree_.nodes[parent.node].kids.push_back(n);
  }

  std::string_view text_;
  LiteTree& tree_;
  const PrunePlan* plan_;
  yaml_parser_t parser_;
  Marks marks_;
  std::vector<OpenCollection> open_;
  int flow_ = 0;  // how many open collections are flow ones
  std::unordered_map<std::string, std::uint32_t> anchors_;
  bool ended_ = false;
  bool declined_ = false;        // decided while adding a node
  bool unpruned_alias_ = false;  // a kept alias of a node left out
};

}  // namespace

EventParse ParseYamlEvents(std::string_view text, LiteTree& tree, const PrunePlan* plan) {
  EventBuilder builder(text, tree, plan);
  return builder.Run();
}

bool ParseYamlEvents(std::string_view text, LiteTree& tree) {
  return ParseYamlEvents(text, tree, nullptr) == EventParse::kBuilt;
}

}  // namespace meshlint
