// Egress reachability: which external hosts each namespace (and each
// workload-scoped Sidecar) can reach, and why. One analysis, computed from the
// model, feeds the egress rules, `meshlint egress` and its --from/--to
// explanation. What Istio makes of each object (exportTo, Sidecar imports,
// the applicable Sidecar, the outbound mode) comes from src/semantics; this
// module indexes those answers so that a mesh of many namespaces is not
// compared pairwise.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "model/model.h"
#include "semantics/istio.h"

namespace meshlint::egress {

// ---- The analysis ----

// One external host reachable through the registry: hosts[host] of
// model.service_entries[se].
struct HostRef {
  std::uint32_t se = 0;
  std::uint32_t host = 0;
  friend bool operator==(const HostRef&, const HostRef&) = default;
};

// One row of the report: the workloads of a namespace that no workload-scoped
// Sidecar selects, or the workloads one workload-scoped Sidecar selects.
struct Scope {
  std::string ns;
  const Sidecar* sidecar = nullptr;  // the applicable Sidecar; null: none
  bool workload_scoped = false;
  bool namespace_known = true;  // false: asked about a namespace no input names
  OutboundMode mode = OutboundMode::kAllowAny;
  istio::ModeOrigin mode_source = istio::ModeOrigin::kIstioDefault;
  // Hosts imported from ServiceEntries exported to every namespace; rows with
  // the same import filter share one list.
  std::shared_ptr<const std::vector<HostRef>> shared;
  // Hosts imported from ServiceEntries exported to this namespace by name
  // (or by "." / the mesh default), and "."-imports of shared ones.
  std::vector<HostRef> own;
};

// ---- --from/--to: why a host is (not) reachable, as data ----
// Each step names what decides one link and points at the manifest line that
// decides it; src/report/egress_report.h renders the sentences.

enum class StepKind {
  // The chain, in the order a person checks it.
  kNamespaceUnknown,       // no input names the namespace
  kSeveralDefaults,        // `count` default Sidecars; `sidecar`: the one used
  kModeBySidecar,          // `sidecar` sets `mode`
  kModeBySidecarUnset,     // `sidecar` has outboundTrafficPolicy without a mode
  kModeByMesh,             // `mesh_source` sets `mode`
  kModeMeshUnset,          // `mesh_source` leaves it unset: Istio's default
  kModeNoMeshConfig,       // no mesh config: Istio's default
  kNotInRegistry,          // no ServiceEntry lists the host
  kMeshInternal,           // `service_entry` lists it as MESH_INTERNAL
  kListed,                 // `service_entry`'s hosts[`host`] lists or covers it
  kExportToList,           // its exportTo includes the namespace (`included`) or not
  kExportMeshDefault,      // no or empty exportTo: the mesh default does, or not
  kNoSidecar,              // no Sidecar applies: it imports everything exported
  kSidecarImportsAll,      // `sidecar` has no egress hosts
  kSidecarImportsThrough,  // `sidecar`'s egress_hosts[`egress_host`] imports it
  kSidecarDoesNotImport,   // none of `sidecar`'s egress hosts selects it
  kImportsButNotExported,  // egress_hosts[`egress_host`] selects it, not exported here
  kMoreServiceEntries,     // `count` more ServiceEntries list the host
  // Changes that flip the answer.
  kSetSidecarMode,     // REGISTRY_ONLY in `sidecar`; `mode`: the mesh's
  kSetMeshMode,        // REGISTRY_ONLY at `mesh_source`
  kAddMeshMode,        // no source sets the mode: add it
  kAddDefaultSidecar,  // one that does not select `service_entry`'s host
  kGiveEgressHosts,    // `sidecar` has none: give it some that do not select it
  kRemoveEgressHost,   // remove `sidecar`'s egress_hosts[`egress_host`]
  kReplaceEgressHost,  // the entry is a wildcard: replace it
  kNarrowExport,       // export `service_entry` only where needed
  kRemoveHost,         // remove hosts[`host`] from `service_entry`
  kAddServiceEntry,    // no ServiceEntry lists the host: add one
  kAddToExport,        // add the namespace to `service_entry`'s exportTo
  kAddEgressHost,      // add the host to `sidecar`'s egress hosts
  // The namespace's workload-scoped Sidecars, which answer for their workloads.
  kWorkloadSidecar,    // `sidecar` in `mode`: the host `reachable` for them or not
};

// How a change relates to the one before it.
enum class Relation {
  kNone,
  kAlternative,  // another way to the same end ("Or ...")
  kAlsoNeeded,   // needed besides the change before it ("Then also ...")
};

struct Step {
  StepKind kind = StepKind::kNamespaceUnknown;
  Location loc;  // invalid: nothing in the inputs to point at
  const ServiceEntry* service_entry = nullptr;
  std::uint32_t host = 0;                  // index into service_entry->hosts
  const Sidecar* sidecar = nullptr;
  std::optional<std::size_t> egress_host;  // index into sidecar->egress_hosts
  std::optional<std::size_t> mesh_source;  // index into MeshModel::mesh_sources
  OutboundMode mode = OutboundMode::kAllowAny;
  std::size_t count = 0;
  bool included = false;     // kExport*: the export includes the namespace
  bool reachable = false;    // kWorkloadSidecar
  bool import_too = false;   // kAddServiceEntry, kAddToExport: the Sidecar must import it too
  Relation relation = Relation::kNone;
};

struct Explanation {
  std::string ns;
  std::string host;
  bool reachable = false;
  bool via_registry = false;  // reachable through a ServiceEntry (either mode)
  Scope scope;
  istio::SidecarOrigin sidecar_origin = istio::SidecarOrigin::kNone;  // of scope.sidecar
  std::vector<Step> chain;    // why, in the order a person checks it
  std::vector<Step> changes;  // what to change to flip the answer
  std::vector<Step> workload_notes;  // one per workload-scoped Sidecar of the namespace
};

class EgressAnalysis {
 public:
  explicit EgressAnalysis(const MeshModel& model);

  const MeshModel& model() const { return model_; }

  // Namespace rows in name order; each is followed by the rows of its
  // workload-scoped Sidecars (input order).
  const std::vector<Scope>& scopes() const { return scopes_; }

  // Hosts that many rows reach together, so reports list them once: the
  // imports from ServiceEntries exported to every namespace, one group per
  // distinct import filter that at least two namespace rows share (e.g. every
  // namespace without a restricting Sidecar). Sorted by host name.
  struct HostGroup {
    std::vector<HostRef> hosts;
    std::size_t namespaces = 0;  // namespace rows that reach it
    bool unfiltered = false;     // every host exported to all namespaces
  };
  const std::vector<HostGroup>& groups() const { return groups_; }
  // The group a row reaches (nullopt: its shared imports are its own).
  std::optional<std::size_t> GroupOf(const Scope& scope) const;

  // Every host a row reaches through the registry, sorted by host name, each
  // host once (the ServiceEntry in the row's own namespace wins, else the
  // first by namespace/name, as Istio prefers the config namespace).
  std::vector<HostRef> Reachable(const Scope& scope) const;
  // The same without the hosts of its group.
  std::vector<HostRef> ReachableBeyondGroup(const Scope& scope) const;

  // The row for a namespace's default workloads, also for a namespace that no
  // input names (what a new namespace would get).
  Scope NamespaceScope(std::string_view ns) const;

  // Is `host` (a concrete name, or a wildcard) reachable from `ns`, and why.
  Explanation Explain(std::string_view ns, std::string_view host) const;

  // Does `se` count as an external registry entry here (MESH_EXTERNAL or no
  // location, with hosts)?
  bool Counts(const ServiceEntry& se) const { return se.IsExternal() && !se.hosts.empty(); }

  const std::string& HostName(const HostRef& h) const {
    return model_.service_entries[h.se].hosts[h.host].value;
  }

 private:
  Scope MakeScope(std::string_view ns, const Sidecar* sidecar, bool workload_scoped) const;
  std::shared_ptr<const std::vector<HostRef>> SharedFor(const Sidecar* sidecar) const;
  std::vector<HostRef> Dedup(std::vector<HostRef> hosts, std::string_view ns) const;

  const MeshModel& model_;
  std::vector<Scope> scopes_;
  std::vector<HostGroup> groups_;
  // Each group's host names, so that a row's own hosts are checked against
  // its group in constant time (a binary search over a group of the whole
  // mesh's exported-to-all hosts grows with the mesh).
  std::vector<std::unordered_set<std::string_view>> group_names_;
  std::unordered_map<const std::vector<HostRef>*, std::size_t> group_of_;

  // ServiceEntries exported to every namespace, and to named namespaces.
  std::vector<std::uint32_t> to_all_;
  std::unordered_map<std::string, std::vector<std::uint32_t>> to_ns_;
  // Hosts of the exported-to-all ones, and indexes over them.
  std::shared_ptr<const std::vector<HostRef>> all_shared_;
  std::unordered_map<std::string, std::vector<std::uint32_t>> shared_by_ns_;    // → positions
  std::unordered_map<std::string, std::vector<std::uint32_t>> shared_by_host_;  // → positions
  // Import filters computed once per Sidecar (they do not depend on the
  // namespace except through "." entries, handled per row).
  mutable std::unordered_map<const Sidecar*, std::shared_ptr<const std::vector<HostRef>>>
      shared_cache_;
};

// ---- Egress policy (--policy FILE) ----

class CompiledPolicy;

struct PolicyError {
  Location loc;
  std::string message;
};

// Compiles the loaded policy's patterns. Errors (invalid RE2 syntax, malformed
// host patterns) come back with the location of the offending value.
std::shared_ptr<const CompiledPolicy> CompilePolicy(const EgressPolicy& policy,
                                                    std::vector<PolicyError>& errors);

// Checks a host pattern of the policy: "*", "*.suffix" or a DNS name. Returns
// the problem, or an empty string when it is valid.
std::string CheckHostPattern(std::string_view pattern);

class CompiledPolicy {
 public:
  // Some entry matches the namespace and allows `host` (Istio's SubsetOf: a
  // wildcard host must be covered by an equal or wider wildcard).
  bool Allows(std::string_view ns, std::string_view host) const;
  // Some entry matching the namespace allows "*" (any host): needed by
  // ALLOW_ANY namespaces.
  bool AllowsAnyHost(std::string_view ns) const;
  // The same in two steps, for many hosts of one namespace: the entries whose
  // namespace pattern matches, then the host check against those.
  std::vector<std::uint32_t> EntriesFor(std::string_view ns) const;
  bool AllowsWith(const std::vector<std::uint32_t>& entries, std::string_view host) const;
  bool AnyHostWith(const std::vector<std::uint32_t>& entries) const;

  struct Entry;
  ~CompiledPolicy();
  CompiledPolicy();

 private:
  friend std::shared_ptr<const CompiledPolicy> CompilePolicy(const EgressPolicy&,
                                                             std::vector<PolicyError>&);
  std::vector<std::unique_ptr<Entry>> entries_;
};

}  // namespace meshlint::egress
