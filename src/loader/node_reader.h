// The primitives every reader of a document tree shares: looking a key up,
// requiring a shape, taking a scalar or a list of them, each with the
// problem (and its location in the file) when the shape is wrong, and a work
// budget against YAML alias bombs. Loader-internal.
#pragma once

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "loader/loader.h"
#include "loader/text.h"
#include "loader/tree.h"
#include "model/objects.h"

namespace meshlint {

// What `helm template` input looks like to a YAML parser.
inline constexpr const char* kTemplateMessage =
    "Helm/Go template syntax ('{{') found: render it first (helm template ... | meshlint lint -)";

// yaml-cpp keeps about twenty times a document's size in memory. No
// Kubernetes object comes near this (the API server takes at most a few MiB),
// so a larger document is reported instead of parsed.
inline constexpr std::size_t kMaxDocumentBytes = std::size_t{32} << 20;

// Raised inside one object when a field the model needs has the wrong shape;
// the object is then not used, and the problem is reported.
struct Unusable {};

// NeedsFullTree (tree.h): a partial tree asked what it does not hold.

// YAML aliases let a small document name one node many times (a "billion
// laughs" bomb). A tree shares aliased nodes, but reading them would still
// copy and scan each use. Every document gets a work budget linear in its
// size: reading without aliases stays far below it, so only an alias bomb
// exhausts it, and the rest of that document is then not used.
struct WorkBudget {
  std::size_t left = 0;
};
struct BudgetExhausted {};
WorkBudget BudgetFor(std::string_view text);

// Where a node marked at (line, column) — 0-based, within span.text — lies
// in the file; a scalar's `value` gives the span its width.
Location MarkLocation(const TextSpan& span, std::uint32_t line, std::uint32_t column,
                      const std::string* value);

// A key and its value inside a mapping.
struct Field {
  LiteNode key;
  LiteNode value;
  bool found = false;
  bool present() const { return found && !value.IsNull(); }
};

// Where a field is in its object ("spec.ports[0].number"), as the messages
// about it name it: a chain of parts, built into a string only when a
// problem is reported, so that reading a well-formed object builds none.
// A path refers to its parent and its name without copying them: both must
// outlive it (a path is made for a call, or as a local below its parent).
class FieldPath {
 public:
  FieldPath() = default;  // the object itself: ""
  // A path already written out (implicit: readers pass strings as paths).
  FieldPath(const std::string& text) : name_(text) {}  // NOLINT(google-explicit-constructor)
  FieldPath(const char* text) : name_(text) {}         // NOLINT(google-explicit-constructor)
  // parent.name (just `name` when the parent is the object itself), as
  // NodeReader::Join writes it.
  FieldPath(const FieldPath& parent, std::string_view name) : parent_(&parent), name_(name) {}
  // parent.name[index] (name[index] when the parent is the object itself).
  FieldPath(const FieldPath& parent, std::string_view name, std::size_t index)
      : parent_(&parent), name_(name), index_(index) {}
  // parent[index]: an entry of the list at `parent`.
  static FieldPath Item(const FieldPath& parent, std::size_t index) {
    FieldPath p(parent, std::string_view(), index);
    p.dot_ = false;
    return p;
  }
  // A temporary parent (a string converted for the call) would be gone
  // before the path is read: name it first.
  FieldPath(const FieldPath&& parent, std::string_view name) = delete;
  FieldPath(const FieldPath&& parent, std::string_view name, std::size_t index) = delete;
  static FieldPath Item(const FieldPath&& parent, std::size_t index) = delete;

  std::string str() const {
    std::string out;
    AppendTo(out);
    return out;
  }

 private:
  static constexpr std::size_t kNoIndex = static_cast<std::size_t>(-1);
  void AppendTo(std::string& out) const;
  const FieldPath* parent_ = nullptr;
  std::string_view name_;
  std::size_t index_ = kNoIndex;
  bool dot_ = true;  // a '.' between a non-empty parent and the name
};

// A text that many objects write alike ("TCP", "http"), kept once.
inline Located<SharedText> Shared(const Located<std::string>& text) {
  return {SharedText(text.value), text.loc};
}

// Reads the nodes of one tree whose text is `span`, into `out`.
class NodeReader {
 public:
  NodeReader(Objects& out, const LoadOptions& options, TextSpan span, WorkBudget& budget);
  ~NodeReader();
  NodeReader(const NodeReader&) = delete;
  NodeReader& operator=(const NodeReader&) = delete;

  Objects& out() { return out_; }
  const LoadOptions& options() const { return options_; }
  const TextSpan& span() const { return span_; }
  WorkBudget& budget() { return budget_; }

  // Where `node` is in the file.
  Location Loc(const LiteNode& node) const;
  // Spends `work` of the budget; throws BudgetExhausted when it is gone.
  void Charge(std::size_t work) const;
  void Problem(Location loc, std::string message, const ObjectRef& ref, std::string field);
  void ReportExhausted(const LiteNode& root);

  // The entry `name` of `map` (a duplicate is a problem: Unusable).
  Field Get(const LiteNode& map, std::string_view name, const ObjectRef& ref,
            const FieldPath& path);
  // Throws NeedsFullTree when `map` does not hold all its entries, before a
  // reader goes through every one of them.
  static void RequireWhole(const LiteNode& map);

  void RequireMap(const Field& f, const ObjectRef& ref, const FieldPath& path);
  Located<std::string> Scalar(const Field& f, const ObjectRef& ref, const FieldPath& path);
  std::vector<Located<std::string>> ScalarList(const Field& f, const ObjectRef& ref,
                                               const FieldPath& path,
                                               const char* example = nullptr);
  // A decimal integer (ports, numbers); anything else is a problem (Unusable).
  Located<std::int64_t> Integer(const Field& f, const ObjectRef& ref, const FieldPath& path);
  // The string-to-string pairs of a mapping (non-string keys or values are
  // skipped: no label), each key once, the last written winning. With `keep`,
  // only the keys it accepts.
  void StringMap(const Field& f, const ObjectRef& ref, const FieldPath& path, Labels& out,
                 bool (*keep)(std::string_view key) = nullptr);
  // The entries of a list of mappings, each as fn(entry, its path); a list
  // entry that is not a mapping is a problem (Unusable).
  template <typename Fn>
  void EachMap(const Field& f, const ObjectRef& ref, const FieldPath& path, Fn fn);
  // `spec`, which must be a mapping when written.
  Field Spec(const LiteNode& node, const ObjectRef& ref, const FieldPath& where);

  // Records a node as read; false when it was already (an alias of it).
  bool Visit(const LiteNode& node) { return visited_.insert(node.index()).second; }

  static std::string Join(const std::string& path, std::string_view name);
  static const char* ShapeName(const LiteNode& node);

 private:
  Objects& out_;
  const LoadOptions& options_;
  TextSpan span_;
  WorkBudget& budget_;
  std::set<std::uint32_t> visited_;
};

template <typename Fn>
void NodeReader::EachMap(const Field& f, const ObjectRef& ref, const FieldPath& path, Fn fn) {
  if (f.value.IsNull()) return;
  if (!f.value.IsSequence()) {
    Problem(Loc(f.value), path.str() + " must be a list, not " + ShapeName(f.value), ref,
            path.str());
    throw Unusable{};
  }
  for (std::size_t i = 0; i < f.value.size(); ++i) {
    const LiteNode item = f.value[i];
    const FieldPath item_path = FieldPath::Item(path, i);
    if (!item.IsMap()) {
      Problem(Loc(item), item_path.str() + " must be a mapping, not " + ShapeName(item), ref,
              item_path.str());
      throw Unusable{};
    }
    Charge(1);
    fn(item, item_path);
  }
}

}  // namespace meshlint
