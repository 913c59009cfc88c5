// One object written more than once (the same ServiceEntry in two files, a
// manifest copied beside its new home): `kubectl apply` of all the files
// leaves one object, the one applied last, so the model keeps one too — the
// last read, in input order (files in path order) — and records the others
// in the load report, where the duplicate-object rule finds them. Counting
// both would count every host and pair twice.
#include <map>
#include <tuple>

#include "loader/loader.h"

namespace meshlint {

namespace {

using Identity = std::tuple<std::string, std::string, std::string, std::string>;

Identity IdentityOf(const ObjectMeta& meta) {
  const std::string_view api = meta.api_version;
  const std::size_t slash = api.find('/');
  // "v1" is the core group; "apps/v1" is group "apps".
  std::string group = slash == std::string_view::npos ? "" : std::string(api.substr(0, slash));
  return {std::move(group), meta.ref.kind, meta.ref.ns, meta.ref.name};
}

template <typename T>
void MergeCollection(std::vector<T>& items, Objects& objects, LoadReport& report) {
  std::map<Identity, std::size_t> last;  // identity → the index read last
  bool any = false;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const ObjectMeta& meta = MetaOf(items[i]);
    if (meta.ref.name.empty() || meta.ref.kind.empty()) continue;  // generateName: many objects
    auto [it, fresh] = last.insert_or_assign(IdentityOf(meta), i);
    any |= !fresh;
  }
  if (!any) return;
  std::map<Identity, std::size_t> entry;  // identity → index in report.duplicates
  std::vector<T> kept;
  kept.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    const ObjectMeta& meta = MetaOf(items[i]);
    const bool named = !meta.ref.name.empty() && !meta.ref.kind.empty();
    const auto it = named ? last.find(IdentityOf(meta)) : last.end();
    if (it == last.end() || it->second == i) {
      kept.push_back(std::move(items[i]));
      continue;
    }
    auto [e, fresh] = entry.emplace(it->first, report.duplicates.size());
    if (fresh) {
      DuplicateObject d;
      d.object = meta.ref;
      d.kept = MetaOf(items[it->second]).anchor();
      report.duplicates.push_back(std::move(d));
    }
    report.duplicates[e->second].others.push_back(meta.anchor());
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
