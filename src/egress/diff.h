// `meshlint egress --base`: what a change opens and closes. The reachability
// pairs of two sides (the base and the head) are compared; each pair that
// differs carries its explanation on the head side and the changed objects
// that explanation (or the base side's) rests on.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "egress/egress.h"
#include "egress/pairs.h"

namespace meshlint::egress {

// One side of the comparison: its analysis, and the text of each of its
// model's files (for telling which documents changed; nullopt: unreadable).
struct DiffSide {
  const EgressAnalysis* analysis = nullptr;
  std::function<std::optional<std::string>(std::uint32_t file)> text;
};

// A document that differs between the sides, named by its first object.
struct Change {
  enum class What { kAdded, kRemoved, kModified };
  What what = What::kModified;
  std::string object;    // "ServiceEntry default/debian-org"; a file's name when it holds no object
  bool on_base = false;  // the location is the base side's (the document was removed)
  std::string file;      // display path
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};
const char* ChangeWord(Change::What what);  // "added", "removed", "modified"

struct DiffEntry {
  Pair pair;
  bool explained = true;        // false: past the bound, no reasons or changes
  std::vector<Reason> reasons;  // on the head side
  std::vector<Change> changes;
  std::optional<bool> allowed;  // with a policy: does it allow the pair
};

struct EgressDiff {
  std::vector<DiffEntry> opened;  // sorted by pair
  std::vector<DiffEntry> closed;
  std::size_t unchanged = 0;
  std::size_t base_pairs = 0;
  std::size_t head_pairs = 0;
  std::vector<Change> changes;  // every changed document, head order then removed ones
};

// Pairs past this many, per list, are listed without reasons: explaining
// one costs a pass over the registry.
inline constexpr std::size_t kMaxExplainedPairs = 2000;

EgressDiff DiffEgress(const DiffSide& base, const DiffSide& head, const CompiledPolicy* policy);

}  // namespace meshlint::egress
