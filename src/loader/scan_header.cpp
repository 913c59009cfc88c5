// The partial tree of a scanned header, and what it holds (scan.h, tree.h).
#include "loader/scan.h"

#include <cstdint>

#include "loader/scan_tracked.h"

namespace meshlint {

namespace {

using scan::kDeclinedAnnotations;
using scan::kTracked;
using scan::TrackedKey;
using scan::Where;
using Type = LiteTree::Type;

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

}  // namespace

bool PartialMapHolds(LiteTree::Partial partial, std::string_view key) {
  return scan::FindTracked(WhereOf(partial), key) != nullptr;
}

bool PartialMapHoldsPrefix(LiteTree::Partial partial, std::string_view prefix) {
  return partial == LiteTree::Partial::kAnnotations && prefix == kDeclinedAnnotations;
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
