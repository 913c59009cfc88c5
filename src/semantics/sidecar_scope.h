// Which Sidecar applies to a workload, and what its egress listeners import
// (istio-notes §2.7–2.9): pilot/pkg/model/push_context.go initSidecarScopes
// and doGetSidecarScope, pilot/pkg/model/sidecar.go
// convertIstioListenerToWrapper, selectServices, needsPortMatch,
// serviceMatchingListenerPort; the catch-all listener's "locked" ports in
// pilot/pkg/networking/core/listener.go buildSidecarOutboundListeners.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/model.h"
#include "semantics/hosts.h"
#include "semantics/registry.h"

namespace meshlint::istio {

// ---- Which Sidecar applies ----

// Istio's order (configCompareByCreationTime): creationTimestamp, then name,
// then namespace. Manifests without a timestamp sort after those with one
// (they would be created when applied) and among themselves by name.
bool SidecarBefore(const Sidecar& a, const Sidecar& b);

// The Sidecars of `ns` that the istiod of `revision` applies, in the order
// Istio tries them: those with a workloadSelector first, then the others,
// each in SidecarBefore order.
std::vector<const Sidecar*> NamespaceSidecars(const MeshModel& model, std::string_view ns,
                                              std::string_view revision = "");
// The selector-less Sidecars of `ns`, oldest first (Istio applies the first).
std::vector<const Sidecar*> DefaultSidecars(const MeshModel& model, std::string_view ns,
                                            std::string_view revision = "");
bool IsRootDefault(const MeshModel& model, const Sidecar& sidecar);

enum class SidecarOrigin {
  kNone,         // no Sidecar: the proxies import everything exported to them
  kSelector,     // a Sidecar of the namespace whose workloadSelector selects the pods
  kOwnDefault,   // the namespace's own default
  kRootDefault,  // the root namespace's default, inherited
};
struct AppliedSidecar {
  const Sidecar* sidecar = nullptr;
  SidecarOrigin origin = SidecarOrigin::kNone;
  // The competing defaults when there are several (Istio applied the first).
  std::size_t defaults = 0;
};
// The Sidecar for pods with `labels` (null: pods with no labels, as a
// namespace without workload manifests is modelled) in namespace `ns`,
// proxied by `revision`.
AppliedSidecar SidecarFor(const MeshModel& model, std::string_view ns, const Labels* labels,
                          std::string_view revision = "");
// The Sidecar that governs workloads of `ns` that no workload-scoped Sidecar
// selects (the default revision).
AppliedSidecar ApplicableSidecar(const MeshModel& model, std::string_view ns);
// Does `selector` select pods with `labels`? Every label of it must be
// there; empty labels select every pod.
bool SelectorSelects(const Selector& selector, const Labels* labels);
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

// ---- What a Sidecar's egress listeners import ----

// No Sidecar, or one without egress listeners: Istio's catch-all "*/*".
bool ImportsEverything(const Sidecar* sidecar);

// How a Sidecar applied in `config_ns` imports hosts[host] of a service that
// is visible there (visibility is asked separately).
struct ImportDecision {
  // The service's ports it imports (PortBit); 0: none.
  std::uint64_t ports = 0;
  bool all = false;  // ImportsEverything
  // egress_hosts index of the entry that imports it (the first listener
  // that does), when one does.
  std::optional<std::size_t> entry;
  // 1.31+: an exclusion ("~ns/host", "~/host") that removes it from a
  // listener that would otherwise import it.
  std::optional<std::size_t> excluded_by;
  // A listener with a port selects the host, but the service has no such
  // port (egress_hosts index of that entry, and the listener).
  std::optional<std::size_t> port_mismatch_entry;
  std::optional<std::size_t> port_mismatch_listener;
  // Ports the catch-all listener leaves to an earlier listener with that
  // port ("locked"), dropped for this service.
  std::uint64_t locked = 0;
  bool imports() const { return ports != 0; }
};
ImportDecision SidecarImports(const MeshModel& model, const Sidecar* sidecar,
                              std::string_view config_ns, const RegistryService& svc,
                              std::uint32_t host);
// The same for a host name that is not a service's (VirtualService hosts):
// does some listener's egress host match it (Istio's bidirectional
// Matches), for a VirtualService in `vs_ns`? Returns the entry.
std::optional<std::size_t> SidecarImportsVirtualHost(const MeshModel& model, const Sidecar* sidecar,
                                                     std::string_view config_ns,
                                                     std::string_view vs_ns, std::string_view host);

// The older, port-blind question: the first egress host that selects the
// host (kEntry), everything (kAll), or none.
enum class ImportKind { kNone, kAll, kEntry };
struct Import {
  ImportKind kind = ImportKind::kNone;
  std::size_t entry = 0;
  bool imports() const { return kind != ImportKind::kNone; }
};
Import SidecarImport(const Sidecar* sidecar, std::string_view config_ns,
                     std::string_view service_ns, std::string_view host);

}  // namespace meshlint::istio
