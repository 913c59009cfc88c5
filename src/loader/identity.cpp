// One object written more than once (the same ServiceEntry in two files, a
// manifest copied beside its new home): `kubectl apply` of all the files
// leaves one object, the one applied last, so the model keeps one too — the
// last read, in input order (files in path order) — and records the others
// in the load report, where the duplicate-object rule finds them. Counting
// both would count every host and pair twice.
#include <functional>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "loader/loader.h"

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

template <typename T>
void MergeCollection(std::vector<T>& items, Objects& objects, LoadReport& report) {
  // Each named object's identity as a number, and the index read last for
  // each: the second pass moves objects and needs no strings.
  std::unordered_map<Identity, std::size_t, IdentityHash> numbers;
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
  std::vector<std::size_t> entry(last.size(), kUnnamed);  // number → index in report.duplicates
  std::vector<T> kept;
  kept.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::size_t n = number[i];
    if (n == kUnnamed || last[n] == i) {
      kept.push_back(std::move(items[i]));
      continue;
    }
    const ObjectMeta& meta = MetaOf(items[i]);
    if (entry[n] == kUnnamed) {
      entry[n] = report.duplicates.size();
      DuplicateObject d;
      d.object = meta.ref;
      d.kept = MetaOf(items[last[n]]).anchor();
      report.duplicates.push_back(std::move(d));
    }
    report.duplicates[entry[n]].others.push_back(meta.anchor());
    if (objects.stats.objects > 0) --objects.stats.objects;
  }
  items = std::move(kept);
}

}  // namespace

void MergeDuplicateObjects(Objects& objects, LoadReport& report) {
  ForEachCollection(objects, [&](auto& items) {
    using T = typename std::decay_t<decltype(items)>::value_type;
    if constexpr (HasMeta<T>) MergeCollection(items, objects, report);
  });
}

}  // namespace meshlint
