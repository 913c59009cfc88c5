// Mesh membership: which pods run with a sidecar proxy, which are enrolled in
// ambient mode, and which have no proxy at all; and, for pods with a sidecar,
// which outbound connections the proxy even sees (traffic capture).
//
// Istio decides membership in two gates (istio-notes §2.1): the injection
// webhooks' namespace and object selectors (manifests/charts/istio-control/
// istio-discovery/templates/mutatingwebhook.yaml; those of the webhook
// configurations in the inputs when they hold one, semantics/webhooks.h),
// which see only labels, then
// the injector's own policy (pkg/kube/inject/inject.go injectRequired).
// Ambient enrolment is the CNI's (cni/pkg/util/enablement_selector.go), and
// capture is istio-init's (tools/istio-iptables/pkg/capture/run.go).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/model.h"

namespace meshlint::istio {

// The injector's IgnoredNamespaces (pkg/kube/inject/initializer.go): never
// injected, whatever their labels say.
bool IsIgnoredByInjector(std::string_view ns);

// kube-system, kube-public, kube-node-lease, istio-system, the mesh's root
// namespace and those the project config names: namespaces whose findings
// about their own egress are not worth a user's time.
bool IsSystemNamespace(const MeshModel& model, std::string_view ns);

// ---- Per namespace: what the webhooks make of a namespace's labels ----

enum class Membership {
  kInjected,     // pods get a sidecar (unless a pod opts out)
  kNotInjected,  // pods get none (unless a pod opts in through the object webhook)
  kAmbient,      // pods are enrolled in ambient mode: Sidecar resources do not apply
  kUnknown,      // no Namespace manifest: computed as if injected, and said so
};
enum class MembershipReason {
  kIgnoredNamespace,     // kube-system, kube-public, kube-node-lease, local-path-storage
  kNoManifest,           // known only from its objects: no labels to read
  kInjectionDisabled,    // istio-injection=disabled
  kInjectionOtherValue,  // istio-injection=<anything but enabled>
  kInjectionEnabled,     // istio-injection=enabled (the default revision)
  kRevisionLabel,        // istio.io/rev=<rev>
  kEnabledByDefault,     // no label, and the injector's enableNamespacesByDefault
  kAmbientLabel,         // istio.io/dataplane-mode=ambient, no injection label
  kNoInjectionLabel,     // no label that injects
  // The labels would inject, but no webhook configuration in the inputs
  // selects the namespace (istio.io/rev=<r> with no injector of revision r).
  kNoMatchingWebhook,
};
struct MeshMembership {
  Membership state = Membership::kUnknown;
  MembershipReason reason = MembershipReason::kNoInjectionLabel;
  // The label that decides (its value), else the Namespace manifest, else
  // the first object of a namespace without one.
  Location loc;
  // kInjected: the revision whose webhook injects ("" for the default).
  std::string revision;
};
MeshMembership NamespaceMembership(const MeshModel& model, const NamespaceInfo& info);
// Does the namespace's default count as part of the sidecar mesh? Unknown
// counts as yes (computed as if injected).
bool InSidecarMesh(const MeshMembership& membership);

// ---- Per workload: the two gates, then ambient ----

enum class Proxy : std::uint8_t {
  kSidecar,  // injected: the sidecar's Sidecar scope and outbound policy apply
  kNone,     // no proxy: Istio does not mediate its egress
  kAmbient,  // ztunnel: no REGISTRY_ONLY, no Sidecar resources
  kGateway,  // an injected gateway (inject.istio.io/templates: gateway): a router, not a client
};
enum class ProxyReason : std::uint8_t {
  // kSidecar (and kGateway)
  kNamespaceInjected,     // the namespace's label (or enableNamespacesByDefault)
  kAssumedInjected,       // no Namespace manifest: assumed injected
  kPodLabelInjects,       // pod label sidecar.istio.io/inject=true (object webhook)
  kPodRevisionLabel,      // pod label istio.io/rev=<rev> (rev.object webhook)
  kAlwaysInjectSelector,  // the injector's alwaysInjectSelector
  // kNone
  kNamespaceNotInjected,  // the namespace's label (or its absence) injects nothing
  kPodLabelFalse,         // pod label sidecar.istio.io/inject=false
  kPodAnnotationFalse,    // pod annotation sidecar.istio.io/inject=false
  kAnnotationOnlyTrue,    // annotation inject=true only: the webhook never sees it
  kHostNetwork,           // hostNetwork: true
  kIgnoredNamespace,      // the injector's IgnoredNamespaces
  kNeverInjectSelector,   // the injector's neverInjectSelector
  kAutoInjectDisabled,    // values.global.proxy.autoInject: disabled
  // kAmbient
  kAmbientNamespace,  // namespace label istio.io/dataplane-mode=ambient
  kAmbientPod,        // pod label istio.io/dataplane-mode=ambient
};
struct PodProxy {
  Proxy proxy = Proxy::kSidecar;
  ProxyReason reason = ProxyReason::kNamespaceInjected;
  // What decided: the pod label or annotation, hostNetwork, the namespace
  // label, the injector setting; invalid when nothing in the inputs does.
  Location loc;
  std::string revision;  // kSidecar/kGateway: the injecting revision ("" default)
  // The mesh setting behind the answer (enableNamespacesByDefault,
  // neverInjectSelector, autoInject), when one did.
  std::optional<std::size_t> mesh_source;
  // The answer rests on what the inputs do not say: no Namespace manifest
  // (computed as if injected), or a namespace without injection label whose
  // pods are not in the inputs (computed as if none opts in).
  bool assumed = false;
  bool mediated() const { return proxy == Proxy::kSidecar; }
};
// What Istio does with the pods of `workload` (null: a namespace without
// workload manifests, whose pods are assumed to carry no labels).
PodProxy WorkloadProxy(const MeshModel& model, const NamespaceInfo& info, const Workload* workload);
// `info` may be null: a namespace no input names, answered as one whose
// pods would be injected.
PodProxy NewNamespaceProxy();

// ---- Per namespace, from its label and its workloads ----

// Do the namespace's pods run with a sidecar, as far as the inputs tell?
enum class SidecarPods : std::uint8_t {
  kSome,     // the namespace's label injects, or a workload in the inputs is injected
             // for a reason the inputs state (its namespace's label, its own label)
  kAssumed,  // not known: no Namespace manifest, or one without injection label and
             // no workload in the inputs (any pod may opt in with a label)
  kNone,     // none: the namespace's label keeps them out, or no workload in the
             // inputs gets one
};
SidecarPods NamespaceSidecarPods(const MeshModel& model, const NamespaceInfo& info);

// ---- Capture: which outbound connections reach the sidecar ----

// istio-init's outbound rules for one pod (annotations, else the revision's
// values.global.proxy.* defaults). A destination's address is not known
// from a host name: a public host is taken to be outside the private ranges
// (10/8, 172.16/12, 192.168/16, 100.64/10, 127/8, 169.254/16, fc00::/7), and
// the explanation says so.
struct Capture {
  // sidecar.istio.io/interceptionMode: NONE: nothing is redirected.
  bool none = false;
  Location none_loc;
  // excludeOutboundPorts: bypass on these ports.
  std::vector<std::uint32_t> exclude_ports;
  Location exclude_ports_loc;
  // includeOutboundPorts: redirected on these ports whatever the ranges say.
  std::vector<std::uint32_t> include_ports;
  Location include_ports_loc;
  // excludeOutboundIPRanges has an entry that is not private: connections
  // to public addresses return before any include rule (every port).
  bool exclude_ranges_public = false;
  std::string exclude_ranges;  // the value, as written
  Location exclude_ranges_loc;
  // includeOutboundIPRanges is not "*" (nor a /0) : public addresses are
  // redirected only on includeOutboundPorts.
  bool include_ranges_miss_public = false;
  std::string include_ranges;
  Location include_ranges_loc;
  // The values came from the revision's values.global.proxy.* (no annotation).
  std::optional<std::size_t> mesh_source;

  // Does the proxy see a connection to a public address on `port`?
  bool Captures(std::uint32_t port) const;
  // Every port reaches the proxy (for public addresses).
  bool CapturesAll() const {
    return !none && !exclude_ranges_public && !include_ranges_miss_public && exclude_ports.empty();
  }
  // No port does.
  bool CapturesNone() const {
    return none || exclude_ranges_public || (include_ranges_miss_public && include_ports.empty());
  }
  // A stable text of the decision, to group workloads that share it.
  std::string Signature() const;
};
Capture PodCapture(const MeshModel& model, const Workload* workload, const PodProxy& proxy);
// "10.0.0.0/8" -> private? A list entry that does not parse counts as public
// (the wider reading: the bypass it might open is reported).
bool IsPrivateCidr(std::string_view cidr);
// "80,443" -> {80, 443}; "*" -> {0} (every port); entries that do not parse
// are dropped.
std::vector<std::uint32_t> ParsePortList(std::string_view text);

}  // namespace meshlint::istio
