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
#include "model/objects.h"
#include "model/problem.h"

namespace meshlint {

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

// A remark about the inputs that is no problem: a file reached a second
// time through a symbolic link is read once, under one name.
struct InputNote {
  std::string path;  // as shown to the user
  std::string message;
};

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

// The loaded objects (Objects: namespaces, service_entries, sidecars,
// others, mesh_sources, problems, stats) and what is derived from them.
class MeshModel : public Objects {
 public:
  FileTable files;
  std::vector<InputNote> input_notes;
  LoadReport load_report;  // charts, kustomizations, duplicates (model/load_report.h)
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
