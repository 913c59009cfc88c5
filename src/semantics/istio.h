// Istio's rules, as meshlint models them: the one place that answers "what
// does Istio make of this configuration?". The rules, the egress analysis and
// its explanation ask these functions and never re-derive an answer, so that
// lint findings and `meshlint egress` cannot disagree.
//
// The model (src/model) holds what the manifests say, the namespace index and
// the weighing of mesh-config sources; this unit interprets them. Each answer
// that a finding or an explanation points at carries the Location that
// decided it. Semantics: istio.io's reference pages (Sidecar, ServiceEntry,
// MeshConfig) and Istio's own code (pkg/config/host, pilot/pkg/model
// sidecar.go, pkg/config/mesh).
//
// Every std::string_view returned points into the model: valid as long as
// the model lives and is not finalized again.
#pragma once

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/model.h"

namespace meshlint::istio {

// ---- Host names, as Istio compares them (pkg/config/host) ----

// "*" or "*.suffix".
bool IsWildcardHost(std::string_view host);
// Istio's Name.SubsetOf: `host` is covered by `pattern`. A wildcard host is a
// subset only of a wildcard at least as wide ("*.a.example.com" ⊆
// "*.example.com"); a concrete host of an equal name or a covering wildcard.
bool HostSubsetOf(std::string_view host, std::string_view pattern);

// ---- Namespaces ----

// kube-system, kube-public, kube-node-lease, istio-system, the mesh's root
// namespace and those the project config names.
bool IsSystemNamespace(const MeshModel& model, std::string_view ns);

// Whether a namespace's workloads run with an injected sidecar proxy.
enum class Membership {
  kInjected,     // an injection label says so
  kNotInjected,  // a system namespace, or injection disabled by label
  kAmbient,      // ambient data plane: Sidecar resources do not apply
  kUnknown,      // no label decides (the injector's own default would)
};
enum class MembershipReason {
  kSystemNamespace,
  kNoManifest,         // known only from its objects: no labels to read
  kInjectionDisabled,  // istio-injection=disabled
  kInjectionEnabled,   // istio-injection=enabled
  kRevisionLabel,      // istio.io/rev=<rev>
  kAmbientLabel,       // istio.io/dataplane-mode=ambient, no injection label
  kNoInjectionLabel,   // no label that decides
};
struct MeshMembership {
  Membership state = Membership::kUnknown;
  MembershipReason reason = MembershipReason::kNoInjectionLabel;
  // The Namespace manifest (labels carry no positions of their own), or the
  // first object of a namespace without one; invalid for a system namespace.
  Location loc;
};
MeshMembership NamespaceMembership(const MeshModel& model, const NamespaceInfo& info);
// Does the namespace count as part of the sidecar mesh? Undecided counts as
// yes: a finding is better than a silently skipped namespace.
bool InSidecarMesh(const MeshMembership& membership);

// ---- exportTo: which namespaces see a ServiceEntry ----

enum class ExportScope { kAll, kNamespaces, kNone };
enum class ExportOrigin {
  kExportTo,      // the ServiceEntry's own non-empty exportTo
  kMeshDefault,   // empty or missing: the mesh config's defaultServiceExportTo
  kIstioDefault,  // empty or missing, and no mesh config sets a default: "*"
};
struct Export {
  ExportScope scope = ExportScope::kAll;
  // kNamespaces: the namespaces, "." resolved to the ServiceEntry's own, each
  // once, in the order written. "~" (nowhere) adds none.
  std::vector<std::string_view> namespaces;
  ExportOrigin origin = ExportOrigin::kIstioDefault;
  // What decided it: the `exportTo:` key (kExportTo), the mesh source's
  // `defaultServiceExportTo:` key (kMeshDefault), nothing (kIstioDefault).
  Location loc;
  std::optional<std::size_t> mesh_source;  // kMeshDefault: index into mesh_sources

  bool Includes(std::string_view ns) const;
};
Export EffectiveExport(const MeshModel& model, const ServiceEntry& se);
// The same questions without building the list (hot loops).
bool IsExportedTo(const MeshModel& model, const ServiceEntry& se, std::string_view ns);
bool IsExportedToAll(const MeshModel& model, const ServiceEntry& se);

// ---- Sidecar egress hosts: "namespace/dnsName" ----

struct EgressEntry {
  std::string_view ns;   // ".", "*", "~" or a namespace name
  std::string_view dns;  // FQDN, "*.suffix" or "*"
};
// Nullopt when the entry has no "/" or an empty part (Istio rejects such
// entries; they import nothing).
std::optional<EgressEntry> SplitEgressHost(std::string_view entry);
// Does the entry's namespace part, in a Sidecar applied to `config_ns`, name
// `service_ns`? ("." is the namespace the Sidecar is applied to, "*" any, "~"
// none.)
bool SelectsNamespace(const EgressEntry& entry, std::string_view config_ns,
                      std::string_view service_ns);
// Does `entry`, in a Sidecar applied to namespace `config_ns`, import a service
// with hostname `host` that lives in namespace `service_ns`?
bool EntryImports(const EgressEntry& entry, std::string_view config_ns,
                  std::string_view service_ns, std::string_view host);

// How a Sidecar imports one service host (exported to it or not: export is
// asked separately).
enum class ImportKind {
  kNone,   // no egress host selects it
  kAll,    // no Sidecar, or one without egress hosts: Istio's catch-all "*/*"
  kEntry,  // egress_hosts[entry] selects it (the first that does)
};
struct Import {
  ImportKind kind = ImportKind::kNone;
  std::size_t entry = 0;
  bool imports() const { return kind != ImportKind::kNone; }
};
bool ImportsEverything(const Sidecar* sidecar);
Import SidecarImport(const Sidecar* sidecar, std::string_view config_ns,
                     std::string_view service_ns, std::string_view host);

// The name and namespace of a Kubernetes Service host "name.ns.svc.<domain>".
struct ClusterHost {
  std::string_view name;
  std::string_view ns;
};
std::optional<ClusterHost> ParseClusterHost(std::string_view dns);

// The Kubernetes Services (core v1) of the inputs.
class ServiceIndex {
 public:
  explicit ServiceIndex(const MeshModel& model);
  bool Contains(std::string_view ns, std::string_view name) const;

 private:
  std::set<std::pair<std::string, std::string>> services_;  // (namespace, name)
};
// Does a Kubernetes Service of the inputs provide the host of `entry`
// ("name.ns.svc.<domain>") in a namespace the entry can select? Services are
// exported everywhere unless annotated; the annotation is not modelled, so
// they count as visible.
bool ServiceProvides(const ServiceIndex& services, const EgressEntry& entry);

// ---- Which Sidecar applies ----

// The selector-less Sidecars of `ns`, in input order (more than one is an
// error; Istio uses the oldest, and the first in the inputs stands in for it).
std::vector<const Sidecar*> DefaultSidecars(const MeshModel& model, std::string_view ns);
bool IsRootDefault(const MeshModel& model, const Sidecar& sidecar);

enum class SidecarOrigin {
  kNone,         // no Sidecar: the proxies import everything exported to them
  kOwnDefault,   // the namespace's own default
  kRootDefault,  // the root namespace's default, inherited
};
struct AppliedSidecar {
  const Sidecar* sidecar = nullptr;
  SidecarOrigin origin = SidecarOrigin::kNone;
};
// The Sidecar that governs workloads of `ns` that no workload-scoped Sidecar
// selects.
AppliedSidecar ApplicableSidecar(const MeshModel& model, std::string_view ns);
// Is `sidecar` applied in namespace `ns`: its own namespace, and for the root
// default also every namespace without a default of its own.
bool SidecarGoverns(const MeshModel& model, const Sidecar& sidecar, std::string_view ns);

// For an egress entry of `sidecar` and a ServiceEntry that lists the entry's
// host: does the entry's namespace part select the ServiceEntry's namespace,
// and is the ServiceEntry exported where the Sidecar applies? Both: the entry
// imports it. For the root default, which applies in many namespaces, a
// "namespace/host" entry is asked "selected at all" and "exported to any
// namespace it governs" separately (an answer that leans towards "imports").
struct GovernedImport {
  bool selects = false;
  bool exported = false;
  bool imports() const { return selects && exported; }
};
GovernedImport ImportWhereApplied(const MeshModel& model, const Sidecar& sidecar,
                                  const EgressEntry& entry, const ServiceEntry& se);

// ---- Outbound traffic policy ----

enum class ModeOrigin {
  kIstioDefault,  // no mesh config sets it: Istio's default ALLOW_ANY
  kMesh,          // the mesh config (model.mesh.outbound_from)
  kSidecar,       // the applicable Sidecar's outboundTrafficPolicy
};
struct OutboundDecision {
  OutboundMode mode = OutboundMode::kAllowAny;
  ModeOrigin origin = ModeOrigin::kIstioDefault;
  const Sidecar* sidecar = nullptr;  // kSidecar
  // kSidecar: `mode:` written; false means `outboundTrafficPolicy` without a
  // mode, which Istio reads as REGISTRY_ONLY (the enum's zero value).
  bool mode_written = false;
  // kMesh: the source that sets the mode. kIstioDefault: the source that
  // would decide it if it set one (the highest-precedence mesh config, see
  // MeshSettings::outbound_unset_at); nullopt when there is no mesh config.
  std::optional<std::size_t> mesh_source;
  // Where to point: the Sidecar's `mode:` (or its outboundTrafficPolicy key),
  // the mesh source's `mode:`, or for the default the deciding source's
  // `outboundTrafficPolicy:` key or its mesh config; invalid without one.
  Location loc;
};
// The mesh-wide mode.
OutboundDecision MeshOutbound(const MeshModel& model);
// The mode for workloads governed by `sidecar` (null: no Sidecar).
OutboundDecision EffectiveOutbound(const MeshModel& model, const Sidecar* sidecar);

}  // namespace meshlint::istio
