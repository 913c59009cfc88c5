// The tree of one YAML document, as the object readers see it. Two builders
// fill it: the scanner (scan.h), for the documents it can prove well-formed,
// and yaml-cpp (yaml_tree.h) for every other one. The readers know only this
// tree, so what they conclude cannot depend on which builder ran.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace meshlint {

// Raised when a reader asks a partial tree (the scanner's identity-only
// tree, a collection the event builder left out) something it does not
// hold: the document is read again from its whole tree. Never reaches the
// user.
struct NeedsFullTree {};

class LiteTree {
 public:
  enum class Type : std::uint8_t { kNull, kScalar, kSequence, kMap };
  // A mapping the scanner filled only with the keys it tracks (the identity:
  // apiVersion, kind, metadata.name...), or a complete one. A reader that
  // asks a partial mapping anything else is told the tree cannot answer
  // (PartialMapHolds, scan.h).
  // kPruned: a collection the event builder left out (yaml_events.h), which
  // holds nothing the tree can tell.
  enum class Partial : std::uint8_t { kNo, kRoot, kMetadata, kAnnotations, kPruned };
  struct Rec {
    Type type = Type::kNull;
    Partial partial = Partial::kNo;
    int line = -1;  // 0-based, as yaml-cpp marks count; -1: no position
    int column = -1;
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
  std::uint32_t Add(Type type, int line, int column) {
    if (used == nodes.size()) nodes.emplace_back();
    Rec& r = nodes[used];
    r.type = type;
    r.partial = Partial::kNo;
    r.line = line;
    r.column = column;
    r.scalar.clear();
    r.kids.clear();
    return static_cast<std::uint32_t>(used++);
  }
};

// Whether a partial mapping holds every entry with this key (scan.cpp, next
// to the scanner's own list of what it tracks).
bool PartialMapHolds(LiteTree::Partial partial, std::string_view key);
// Whether a partial mapping holds every entry whose key starts so.
bool PartialMapHoldsPrefix(LiteTree::Partial partial, std::string_view prefix);

// A handle on one node of a LiteTree (or none, like an absent value).
class LiteNode {
 public:
  struct Position {  // 0-based line and column; -1 when unknown
    int line = -1;
    int column = -1;
  };
  LiteNode() = default;
  LiteNode(const LiteTree* tree, std::uint32_t index) : tree_(tree), index_(index) {}
  // The root of `tree`, or none when it holds no node.
  static LiteNode Root(const LiteTree& tree) {
    return tree.used == 0 ? LiteNode() : LiteNode(&tree, 0);
  }

  bool operator!() const { return tree_ == nullptr; }
  bool IsNull() const { return !tree_ || rec().type == LiteTree::Type::kNull; }
  bool IsScalar() const { return tree_ && rec().type == LiteTree::Type::kScalar; }
  bool IsSequence() const { return tree_ && rec().type == LiteTree::Type::kSequence; }
  bool IsMap() const { return tree_ && rec().type == LiteTree::Type::kMap; }
  // A mapping that holds only the keys the scanner tracks.
  bool IsPartial() const { return tree_ && rec().partial != LiteTree::Partial::kNo; }
  // Whether the mapping holds every entry with this key (always, unless partial).
  bool Holds(std::string_view key) const {
    return !IsPartial() || PartialMapHolds(rec().partial, key);
  }
  bool HoldsPrefix(std::string_view prefix) const {
    return !IsPartial() || PartialMapHoldsPrefix(rec().partial, prefix);
  }
  const std::string& Scalar() const {
    static const std::string kEmpty;
    return tree_ ? rec().scalar : kEmpty;
  }
  Position Mark() const {
    if (!tree_) return {};
    return {rec().line, rec().column};
  }
  // Entries of a sequence, or of a mapping (key-value pairs); else 0.
  std::size_t size() const {
    RequireKids();
    if (IsSequence()) return rec().kids.size();
    if (IsMap()) return rec().kids.size() / 2;
    return 0;
  }
  // The i-th entry of a sequence (not a map lookup).
  LiteNode operator[](std::size_t i) const {
    RequireKids();
    if (!IsSequence() || i >= rec().kids.size()) return {};
    return LiteNode(tree_, rec().kids[i]);
  }
  // The node itself, for telling an alias (the same node again) apart.
  std::uint32_t index() const { return index_; }
  // The tree it is a node of (none for an absent node): for readers that
  // walk a mapping's entries without an iterator (NodeReader::Get).
  const LiteTree* tree() const { return tree_; }

  // Iterates a map's key/value pairs; nothing for other nodes.
  class Iterator;
  Iterator begin() const;
  Iterator end() const;

 private:
  const LiteTree::Rec& rec() const { return tree_->nodes[index_]; }
  // A collection left out has no entries to give, not zero.
  void RequireKids() const {
    if (tree_ && rec().partial == LiteTree::Partial::kPruned) throw NeedsFullTree{};
  }
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

inline LiteNode::Iterator LiteNode::begin() const {
  RequireKids();
  return Iterator(*this, 0);
}
inline LiteNode::Iterator LiteNode::end() const {
  RequireKids();
  return Iterator(*this, IsMap() ? rec().kids.size() : 0);
}

}  // namespace meshlint
