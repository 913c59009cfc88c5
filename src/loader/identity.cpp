// One object written more than once (the same ServiceEntry in two files, a
// manifest copied beside its new home): `kubectl apply` of all the files
// leaves one object, the one applied last, so the model keeps one too — the
// last read, in input order (files in path order) — and records the others
// in the load report, where the duplicate-object rule finds them. Counting
// both would count every host and pair twice.
#include <functional>
#include <string_view>
#include <unordered_map>

#include "loader/loader.h"

namespace meshlint {

namespace {

// Group, kind, namespace and name, viewed in the object's metadata: a run
// hashes every object of the inputs once, so no identity is copied.
struct Identity {
  std::string_view group, kind, ns, name;
  bool operator==(const Identity&) const = default;
};

struct IdentityHash {
  std::size_t operator()(const Identity& id) const {
    const std::hash<std::string_view> h;
    std::size_t seed = h(id.name);
    for (std::string_view part : {id.ns, id.kind, id.group})
      seed ^= h(part) + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2);
    return seed;
  }
};

Identity IdentityOf(const ObjectMeta& meta) {
  const std::string_view api = meta.api_version;
  const std::size_t slash = api.find('/');
  // "v1" is the core group; "apps/v1" is group "apps".
  const std::string_view group = slash == std::string_view::npos ? "" : api.substr(0, slash);
  return {group, meta.ref.kind, meta.ref.ns, meta.ref.name};
}

template <typename T>
void MergeCollection(std::vector<T>& items, Objects& objects, LoadReport& report) {
  // Identity → the index read last. The keys view `items`, which stay in
  // place until the second pass; that pass reads each object's winner
  // through `winner` and never looks an identity up again.
  std::unordered_map<Identity, std::size_t, IdentityHash> last;
  last.reserve(items.size());
  std::vector<const std::size_t*> winner(items.size(), nullptr);
  bool any = false;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const ObjectMeta& meta = MetaOf(items[i]);
    if (meta.ref.name.empty() || meta.ref.kind.empty()) continue;  // generateName: many objects
    auto [it, fresh] = last.try_emplace(IdentityOf(meta), i);
    if (!fresh) {
      it->second = i;
      any = true;
    }
    winner[i] = &it->second;
  }
  if (!any) return;
  std::unordered_map<std::size_t, std::size_t> entry;  // winner → index in report.duplicates
  std::vector<T> kept;
  kept.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!winner[i] || *winner[i] == i) {
      kept.push_back(std::move(items[i]));
      continue;
    }
    const ObjectMeta& meta = MetaOf(items[i]);
    const std::size_t w = *winner[i];  // later in the input: not moved yet
    auto [e, fresh] = entry.try_emplace(w, report.duplicates.size());
    if (fresh) {
      DuplicateObject d;
      d.object = meta.ref;
      d.kept = MetaOf(items[w]).anchor();
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
