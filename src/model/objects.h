// The objects the loader models, and Objects: one vector per kind, shared by
// the model and by the loader's per-file results. Adding a kind is one member
// of Objects plus its entry in kObjectCollections (a static_assert insists);
// merging, rolling back, ForEachMeta and the namespace index follow from that
// list, and the compiler points at every place that must say more.
#pragma once

#include <array>
#include <cstddef>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "model/load_report.h"
#include "model/location.h"
#include "model/object_ref.h"
#include "model/problem.h"

namespace meshlint {

// What every loaded object has.
struct ObjectMeta {
  std::string api_version;
  ObjectRef ref;
  bool ns_defaulted = false;  // no metadata.namespace: placed in the default
  Location loc;               // the `kind:` value, or the document start
  Location name_loc;          // the metadata.name value
  Location ns_loc;            // the metadata.namespace value, when written
  // Annotations under ignore.meshlint.io/ only (suppressions); others are not
  // kept, to keep the model small.
  std::vector<std::pair<std::string, Located<std::string>>> meshlint_annotations;

  // Where a finding about the object as a whole should point.
  const Location& anchor() const { return name_loc.valid() ? name_loc : loc; }
};

struct NamespaceObject {
  ObjectMeta meta;
  std::map<std::string, std::string> labels;
};

struct ServiceEntry {
  ObjectMeta meta;
  std::vector<Located<std::string>> hosts;
  Location hosts_key;  // the `hosts:` key
  bool export_to_set = false;  // `exportTo` written (possibly as [])
  std::vector<Located<std::string>> export_to;
  Location export_to_key;
  Located<std::string> location;  // MESH_EXTERNAL, MESH_INTERNAL or ""
  bool has_workload_selector = false;

  // MESH_EXTERNAL or unset: the hosts are outside the mesh.
  bool IsExternal() const { return location.value != "MESH_INTERNAL"; }
};

enum class OutboundMode { kRegistryOnly, kAllowAny, kAllowAnyDynamicDns };
std::string_view OutboundModeName(OutboundMode mode);
std::optional<OutboundMode> ParseOutboundMode(std::string_view text);
inline bool AllowsAny(OutboundMode m) { return m != OutboundMode::kRegistryOnly; }

struct Sidecar {
  ObjectMeta meta;
  bool has_selector = false;
  Location selector_loc;
  bool egress_set = false;  // `egress:` written
  Location egress_key;
  // Every `hosts` entry of every egress listener, in order.
  std::vector<Located<std::string>> egress_hosts;
  // `outboundTrafficPolicy` written; a policy without `mode` is REGISTRY_ONLY
  // (the enum's zero value), not "inherit".
  bool outbound_set = false;
  Location outbound_key;
  OutboundMode outbound_mode = OutboundMode::kRegistryOnly;
  Location outbound_mode_loc;  // the `mode:` value, when written
};

// One place where mesh-wide settings were found.
struct MeshConfigSource {
  // kProjectConfig: the project config's rootNamespace, which carries no
  // other mesh setting.
  enum class Origin { kCommandLine, kConfigMap, kIstioOperator, kProjectConfig };
  Origin origin = Origin::kIstioOperator;
  std::string description;  // "IstioOperator istio-system/demo", "--mesh-config"
  ObjectRef object;         // the object holding it (kind MeshConfig for a bare file)
  Location loc;             // the meshConfig/data.mesh key, or the document
  std::optional<Located<std::string>> root_namespace;
  std::optional<std::vector<Located<std::string>>> default_service_export_to;
  Location default_service_export_to_key;
  Location outbound_key;  // `outboundTrafficPolicy:` key, when written
  std::optional<Located<OutboundMode>> outbound_mode;
};

struct LoadStats {
  std::size_t files = 0;
  std::size_t documents = 0;
  std::size_t objects = 0;
  // Documents that are no Kubernetes object (Objects::skipped says why).
  std::size_t skipped_non_kubernetes = 0;
  std::size_t empty_documents = 0;

  LoadStats& operator+=(const LoadStats& o) {
    files += o.files;
    documents += o.documents;
    objects += o.objects;
    skipped_non_kubernetes += o.skipped_non_kubernetes;
    empty_documents += o.empty_documents;
    return *this;
  }
};

// The metadata of an object of a modelled kind (ObjectMeta is its own).
inline const ObjectMeta& MetaOf(const ObjectMeta& meta) { return meta; }
template <typename T>
  requires requires(const T& t) { t.meta; }
const ObjectMeta& MetaOf(const T& object) {
  return object.meta;
}
template <typename T>
concept HasMeta = requires(const T& t) { MetaOf(t); };

// Everything loading yields, in input order within each kind.
struct Objects {
  std::vector<NamespaceObject> namespaces;
  std::vector<ServiceEntry> service_entries;
  std::vector<Sidecar> sidecars;
  std::vector<ObjectMeta> others;  // every other object, generically
  std::vector<MeshConfigSource> mesh_sources;
  std::vector<Problem> problems;  // what could not be used: invalid-manifest
  std::vector<SkippedDocument> skipped;  // not Kubernetes objects (--verbose)
  std::vector<CustomKind> custom_kinds;  // declared by CRDs among the inputs
  LoadStats stats;

  // Moves everything of `other` to the end of this.
  void Append(Objects&& other);

  // The sizes so far, so that a tentative read can be rolled back.
  struct Marker;
  Marker Mark() const;
  void Truncate(const Marker& marker);

  // fn(const ObjectMeta&) for every object of every kind, kind by kind.
  template <typename Fn>
  void ForEachMeta(Fn&& fn) const;
};

// The one list of Objects' collections. Every "for each kind" loop goes
// through ForEachCollection, so a kind listed here is merged, rolled back and
// indexed like the others.
inline constexpr std::tuple kObjectCollections{
    &Objects::namespaces, &Objects::service_entries, &Objects::sidecars,
    &Objects::others,     &Objects::mesh_sources,    &Objects::problems,
    &Objects::skipped,    &Objects::custom_kinds};
inline constexpr std::size_t kObjectCollectionCount =
    std::tuple_size_v<std::remove_const_t<decltype(kObjectCollections)>>;
static_assert(sizeof(Objects) ==
                  kObjectCollectionCount * sizeof(std::vector<char>) + sizeof(LoadStats),
              "every vector member of Objects must be listed in kObjectCollections");

// fn(collection) for each collection of `objects` (const or not), in the
// order of kObjectCollections.
template <typename O, typename Fn>
void ForEachCollection(O& objects, Fn&& fn) {
  std::apply([&](auto... member) { (fn(objects.*member), ...); }, kObjectCollections);
}

struct Objects::Marker {
  std::array<std::size_t, kObjectCollectionCount> sizes{};
  LoadStats stats;
};

inline void Objects::Append(Objects&& other) {
  auto move_to_end = [](auto& to, auto& from) {
    to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
    from.clear();
  };
  std::apply([&](auto... member) { (move_to_end(this->*member, other.*member), ...); },
             kObjectCollections);
  stats += other.stats;
  other.stats = {};
}

inline Objects::Marker Objects::Mark() const {
  Marker m;
  std::size_t i = 0;
  ForEachCollection(*this, [&](const auto& v) { m.sizes[i++] = v.size(); });
  m.stats = stats;
  return m;
}

inline void Objects::Truncate(const Marker& marker) {
  std::size_t i = 0;
  ForEachCollection(*this, [&](auto& v) {
    const std::size_t n = marker.sizes[i++];
    v.erase(v.begin() + static_cast<std::ptrdiff_t>(n), v.end());
  });
  stats = marker.stats;
}

template <typename Fn>
void Objects::ForEachMeta(Fn&& fn) const {
  ForEachCollection(*this, [&](const auto& items) {
    using T = typename std::decay_t<decltype(items)>::value_type;
    if constexpr (HasMeta<T>)
      for (const T& item : items) fn(MetaOf(item));
  });
}

}  // namespace meshlint
