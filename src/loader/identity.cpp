// One object written more than once (the same ServiceEntry in two files, a
// manifest copied beside its new home): `kubectl apply` of all the files
// leaves one object, the one applied last, so the model keeps one too — the
// last read, in input order (files in path order) — and records the others
// in the load report, where the duplicate-object rule finds them. Counting
// both would count every host and pair twice.
#include <algorithm>
#include <functional>
#include <iterator>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "loader/loader.h"
#include "model/parallel.h"

namespace meshlint {

namespace {

// group/kind/namespace/name, viewing the object's own strings: built and
// compared without a copy while the objects stay where they are.
using Identity = std::tuple<std::string_view, std::string_view, std::string_view, std::string_view>;

Identity IdentityOf(const ObjectMeta& meta) {
  const std::string_view api = meta.api_version;
  const std::size_t slash = api.find('/');
  // "v1" is the core group; "apps/v1" is group "apps".
  const std::string_view group = slash == std::string_view::npos ? "" : api.substr(0, slash);
  return {group, meta.ref.kind, meta.ref.ns, meta.ref.name};
}

struct IdentityHash {
  std::size_t operator()(const Identity& id) const {
    const std::hash<std::string_view> h;
    std::size_t seed = h(std::get<0>(id));
    for (std::string_view part : {std::get<1>(id), std::get<2>(id), std::get<3>(id)})
      seed ^= h(part) + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2);
    return seed;
  }
};

constexpr std::size_t kUnnamed = static_cast<std::size_t>(-1);

// What one collection's merge found: its duplicates, in its order.
struct Merged {
  std::vector<DuplicateObject> duplicates;
  std::size_t removed = 0;
};

template <typename T>
void MergeCollection(std::vector<T>& items, Merged& out) {
  // Each named object's identity as a number, and the index read last for
  // each: the second pass moves objects and needs no strings.
  std::unordered_map<Identity, std::size_t, IdentityHash> numbers;
  numbers.reserve(items.size());
  std::vector<std::size_t> number(items.size(), kUnnamed);
  std::vector<std::size_t> last;  // identity number → the index read last
  bool any = false;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const ObjectMeta& meta = MetaOf(items[i]);
    if (meta.ref.name.empty() || meta.ref.kind.empty()) continue;  // generateName: many objects
    auto [it, fresh] = numbers.emplace(IdentityOf(meta), last.size());
    if (fresh) last.push_back(i);
    any |= !fresh;
    last[it->second] = i;
    number[i] = it->second;
  }
  if (!any) return;
  std::vector<std::size_t> entry(last.size(), kUnnamed);  // number → index in out.duplicates
  // First every duplicate's entry (the kept copy's anchor is read before
  // anything moves), then the kept objects close ranks in place.
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::size_t n = number[i];
    if (n == kUnnamed || last[n] == i) continue;
    const ObjectMeta& meta = MetaOf(items[i]);
    if (entry[n] == kUnnamed) {
      entry[n] = out.duplicates.size();
      DuplicateObject d;
      d.object = meta.ref;
      d.kept = MetaOf(items[last[n]]).anchor();
      out.duplicates.push_back(std::move(d));
    }
    out.duplicates[entry[n]].others.push_back(meta.anchor());
    ++out.removed;
  }
  std::size_t kept = 0;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::size_t n = number[i];
    if (n != kUnnamed && last[n] != i) continue;
    if (kept != i) items[kept] = std::move(items[i]);
    ++kept;
  }
  items.erase(items.begin() + static_cast<std::ptrdiff_t>(kept), items.end());
}

}  // namespace

void MergeDuplicateObjects(Objects& objects, LoadReport& report, unsigned jobs) {
  // The collections are merged side by side, each into its own list; the
  // lists are joined in collection order, as one pass over them would.
  std::vector<std::function<void(Merged&)>> merges;
  ForEachCollection(objects, [&](auto& items) {
    using T = typename std::decay_t<decltype(items)>::value_type;
    if constexpr (HasMeta<T>)
      if (items.size() > 1) merges.push_back([&items](Merged& m) { MergeCollection(items, m); });
  });
  std::vector<Merged> merged(merges.size());
  ParallelForEach(merges.size(), jobs, [&](std::size_t k) { merges[k](merged[k]); });
  for (Merged& m : merged) {
    report.duplicates.insert(report.duplicates.end(), std::make_move_iterator(m.duplicates.begin()),
                             std::make_move_iterator(m.duplicates.end()));
    objects.stats.objects -= std::min(objects.stats.objects, m.removed);
  }
}

}  // namespace meshlint
