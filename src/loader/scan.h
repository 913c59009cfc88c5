// A cheap reader for the documents no rule looks inside (Deployments,
// ConfigMaps, CRDs...): it finds apiVersion, kind and the metadata the model
// keeps without building a yaml-cpp tree, which is most of the loading time of
// a large repository. No yaml-cpp here; testable on strings.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace meshlint {

// A single-line scalar value and where it starts in the document (0-based
// line and byte column, as yaml-cpp marks count them).
struct ScannedScalar {
  bool found = false;  // the key is written
  bool null = false;   // written with no value, `~` or `null`
  std::string value;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};

// What the scanner learnt about one document.
struct DocumentHeader {
  ScannedScalar api_version;
  ScannedScalar kind;
  bool has_metadata = false;  // `metadata:` is a (non-empty) block mapping
  ScannedScalar name;
  ScannedScalar generate_name;
  ScannedScalar ns;
  // annotations are present and a block mapping (with no ignore.meshlint.io/
  // key: the scanner declines those).
  bool has_annotations = false;
};

// A document tree built by the scanner, for the few kinds the model reads in
// full (ServiceEntry, Sidecar, Namespace). LiteNode offers the part of
// YAML::Node's interface the loader uses, so one extraction code serves both.
class LiteTree {
 public:
  enum class Type : std::uint8_t { kNull, kScalar, kSequence, kMap };
  struct Rec {
    Type type = Type::kNull;
    std::uint32_t line = 0;
    std::uint32_t column = 0;
    std::string scalar;
    std::vector<std::uint32_t> kids;  // a map's are key, value, key, value...
  };
  // nodes[0] is the root; only the first `used` are the current document's.
  // The others are kept from earlier documents with their strings' and
  // lists' memory, so reading one document after another does not go back
  // to the allocator for every node.
  std::vector<Rec> nodes;
  std::size_t used = 0;

  void Clear() { used = 0; }
  std::uint32_t Add(Type type, std::uint32_t line, std::uint32_t column) {
    if (used == nodes.size()) nodes.emplace_back();
    Rec& r = nodes[used];
    r.type = type;
    r.line = line;
    r.column = column;
    r.scalar.clear();
    r.kids.clear();
    return static_cast<std::uint32_t>(used++);
  }
};

class LiteNode {
 public:
  struct Position {  // as YAML::Mark: 0-based line and column
    int pos = 0;  // byte offset: not tracked; line and column identify a node
    int line = -1;
    int column = -1;
  };
  LiteNode() = default;
  LiteNode(const LiteTree* tree, std::uint32_t index) : tree_(tree), index_(index) {}

  // Rebinds the handle (as YAML::Node::reset; a LiteNode never writes through).
  void reset(const LiteNode& other) { *this = other; }

  bool operator!() const { return tree_ == nullptr; }
  bool IsNull() const { return !tree_ || rec().type == LiteTree::Type::kNull; }
  bool IsScalar() const { return tree_ && rec().type == LiteTree::Type::kScalar; }
  bool IsSequence() const { return tree_ && rec().type == LiteTree::Type::kSequence; }
  bool IsMap() const { return tree_ && rec().type == LiteTree::Type::kMap; }
  const std::string& Scalar() const { return rec().scalar; }
  Position Mark() const {
    if (!tree_) return {};
    return {0, static_cast<int>(rec().line), static_cast<int>(rec().column)};
  }
  std::size_t size() const {
    if (IsSequence()) return rec().kids.size();
    if (IsMap()) return rec().kids.size() / 2;
    return 0;
  }
  // The i-th entry of a sequence (as the loader uses it; not a map lookup).
  LiteNode operator[](std::size_t i) const {
    if (!IsSequence() || i >= rec().kids.size()) return {};
    return LiteNode(tree_, rec().kids[i]);
  }

  // Iterates a map's key/value pairs; nothing for other nodes.
  class Iterator;
  Iterator begin() const;
  Iterator end() const;

 private:
  const LiteTree::Rec& rec() const { return tree_->nodes[index_]; }
  const LiteTree* tree_ = nullptr;
  std::uint32_t index_ = 0;
};

class LiteNode::Iterator {
 public:
  struct Entry {
    LiteNode first, second;
  };
  Iterator(const LiteNode& map, std::size_t i) : map_(map), i_(i) { Load(); }
  const Entry* operator->() const { return &entry_; }
  const Entry& operator*() const { return entry_; }
  Iterator& operator++() {
    i_ += 2;
    Load();
    return *this;
  }
  bool operator!=(const Iterator& o) const { return i_ != o.i_; }
  bool operator==(const Iterator& o) const { return i_ == o.i_; }

 private:
  void Load() {
    if (map_.IsMap() && i_ + 1 < map_.rec().kids.size())
      entry_ = {LiteNode(map_.tree_, map_.rec().kids[i_]),
                LiteNode(map_.tree_, map_.rec().kids[i_ + 1])};
  }
  LiteNode map_;
  std::size_t i_;
  Entry entry_;
};

inline LiteNode::Iterator LiteNode::begin() const { return Iterator(*this, 0); }
inline LiteNode::Iterator LiteNode::end() const {
  return Iterator(*this, IsMap() ? rec().kids.size() : 0);
}

// Reads `text` (one document as SplitDocuments cuts it) when — and only when —
// it is certain that yaml-cpp would parse it without error into a mapping and
// read the same values: every line must belong to a conservative block-style
// subset of YAML whose structure is verified line by line (indentation,
// mapping keys, list entries, plain and single-line quoted scalars, `|`/`>`
// block scalars). Anything else — flow collections, anchors, aliases, tags,
// quoted or complex keys, multi-line plain or quoted scalars, directives,
// tabs, CR, non-ASCII bytes, a duplicated key the loader reads, a read field
// that is not a single-line scalar — returns nullopt, and the caller parses
// the document with yaml-cpp.
//
// With `tree`, also builds the document's tree — and declines, in addition,
// block scalars and escapes in double-quoted scalars, whose values it does not
// decode.
std::optional<DocumentHeader> ScanDocument(std::string_view text, LiteTree* tree = nullptr);

}  // namespace meshlint
