// The in-memory mesh: the handful of Istio objects the rules reason about, plus
// enough of every other object to know which namespaces exist. Filled by the
// loader, read (never changed) by the rules.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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

// Effective mesh-wide settings after all sources were weighed.
struct MeshSettings {
  std::string root_namespace = "istio-system";
  std::vector<std::string> default_service_export_to = {"*"};
  OutboundMode outbound_mode = OutboundMode::kAllowAny;
  // Index into MeshModel::mesh_sources of the source that decided each value,
  // or nullopt when Istio's built-in default applies.
  std::optional<std::size_t> root_namespace_from;
  std::optional<std::size_t> default_export_from;
  std::optional<std::size_t> outbound_from;
  // No source sets the outbound mode: the one that would decide it if it did
  // (the highest-precedence source that can hold a mode), nullopt when none.
  std::optional<std::size_t> outbound_unset_at;
};

// Two sources that set the same mesh field to different values.
struct MeshConflict {
  std::string field;  // "outboundTrafficPolicy.mode"
  std::size_t winner = 0;  // source indices
  std::size_t loser = 0;
  Location winner_loc;
  Location loser_loc;
  std::string winner_value;
  std::string loser_value;
};

// A file or document that could not be used. Becomes an `invalid-manifest`
// finding.
using LoadProblem = Problem;

// Everything known about one namespace.
struct NamespaceInfo {
  std::string name;
  std::optional<std::size_t> manifest;  // index into MeshModel::namespaces
  ObjectRef first_object;  // the first object found in it (input order)
  Location first_object_loc;
  std::vector<std::size_t> sidecars;  // indices into MeshModel::sidecars
  std::vector<std::size_t> service_entries;
};

// An egress policy file (--policy): which namespaces may reach which external
// hosts. Read by the loader; patterns are compiled and checked in src/egress.
struct EgressPolicyEntry {
  Located<std::string> namespaces;  // RE2, matched against the whole name
  std::vector<Located<std::string>> hosts;  // "api.example.com", "*.example.com", "*"
  Location loc;  // the entry itself (its first key)
};

struct EgressPolicy {
  std::uint32_t file = 0;  // index into MeshModel::files
  std::vector<EgressPolicyEntry> entries;
};

struct LoadStats {
  std::size_t files = 0;
  std::size_t documents = 0;
  std::size_t objects = 0;
  std::size_t skipped_non_kubernetes = 0;  // mappings without apiVersion/kind
  std::size_t empty_documents = 0;
};

class MeshModel {
 public:
  FileTable files;
  std::vector<NamespaceObject> namespaces;
  std::vector<ServiceEntry> service_entries;
  std::vector<Sidecar> sidecars;
  std::vector<ObjectMeta> others;  // every other object, generically
  std::vector<MeshConfigSource> mesh_sources;
  std::vector<LoadProblem> problems;
  LoadStats stats;
  // System namespaces named by the project config, besides the built-in ones.
  std::vector<std::string> extra_system_namespaces;
  std::optional<EgressPolicy> egress_policy;  // --policy FILE, when given

  // Derived by Finalize(); read-only afterwards.
  MeshSettings mesh;
  std::vector<MeshConflict> mesh_conflicts;

  // Builds the namespace index and resolves the mesh settings. Call after
  // loading, before any query below; calling it again after adding settings
  // sources recomputes everything.
  void Finalize();

  // Namespaces in name order.
  const std::vector<NamespaceInfo>& namespace_index() const { return index_; }
  const NamespaceInfo* FindNamespace(std::string_view name) const;

  // What Istio makes of the objects (exportTo, the applicable Sidecar, system
  // namespaces, ...) is answered by src/semantics/istio.h, not here.

 private:
  void ResolveMeshSettings();
  void BuildNamespaceIndex();
  NamespaceInfo& Touch(const std::string& ns, const ObjectMeta& meta);

  std::vector<NamespaceInfo> index_;
  std::map<std::string, std::size_t, std::less<>> index_by_name_;
};

}  // namespace meshlint
