// The object kinds the reachability analysis reads besides Namespace,
// ServiceEntry and Sidecar (objects.h): workloads (pod templates), Kubernetes
// Services, VirtualServices, Gateways and AuthorizationPolicies, and the small
// shapes they share (labels, ports, selectors). Each keeps only the fields
// that some rule, the validation (src/semantics/validation.h) or the egress
// analysis reads, each with where it was written, so that a finding or an
// explanation can point at it. Which fields matter is Istio's choice: see
// istio.io's reference pages for each kind and pilot/pkg/model in Istio.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/location.h"
#include "model/object_ref.h"
#include "model/shared_text.h"

namespace meshlint {

// One label: its key, its value and where the key is written.
struct Label {
  std::string key;
  std::string value;
  Location loc;  // the key
};

// A label set in input order, each key once (the last written wins, as the
// API server reads a mapping). Small: a handful of labels per object.
struct Labels {
  std::vector<Label> items;

  const Label* Find(std::string_view key) const;
  // The value, or nullptr when the key is absent.
  const std::string* Value(std::string_view key) const;
  bool Has(std::string_view key) const { return Find(key) != nullptr; }
  // Every label of `selector` is here with the same value (Kubernetes'
  // equality selector; an empty selector is a subset of anything).
  bool Includes(const Labels& selector) const;
  bool empty() const { return items.empty(); }
  std::size_t size() const { return items.size(); }
  // Adds or replaces.
  void Set(std::string key, std::string value, Location loc);
};

// Istio's WorkloadSelector (ServiceEntry, Sidecar) and the `selector` of
// Gateway and AuthorizationPolicy. Istio tells nil from empty: a selector
// written as `{}` or with `labels: {}` is non-nil and selects every workload
// of the namespace.
struct Selector {
  bool set = false;     // written and not null
  Location loc;         // the `workloadSelector:` / `selector:` key
  Labels labels;        // `labels` (workloadSelector) or the selector map itself
  Location labels_key;  // the `labels:` key, when written
};

// A port as Istio's kinds write it (ServiceEntry ports, Sidecar listener
// ports, Gateway server ports). `number` 0 with an invalid location: not
// written. Numbers are kept as written (range checks are validation's).
struct PortSpec {
  Location loc;  // the port mapping (its first key)
  Located<std::int64_t> number;
  // Texts that thousands of ports repeat ("TCP", "https"): one shared copy.
  Located<SharedText> protocol;  // as written: Istio parses it case-insensitively
  Located<SharedText> name;
  Located<std::int64_t> target_port;  // ServiceEntry only
};

// ---- Workloads ----

// The pod-template annotations (and labels) Istio's injector, istio-init and
// the CNI read. Kept by name; every other annotation is dropped.
enum class PodAnnotation : std::uint8_t {
  kInject,            // sidecar.istio.io/inject (the label takes precedence)
  kInterceptionMode,  // sidecar.istio.io/interceptionMode
  kStatus,            // sidecar.istio.io/status: already injected (cluster dumps); value not kept
  kIncludeOutboundIPRanges,  // traffic.sidecar.istio.io/includeOutboundIPRanges
  kExcludeOutboundIPRanges,  // traffic.sidecar.istio.io/excludeOutboundIPRanges
  kIncludeOutboundPorts,     // traffic.sidecar.istio.io/includeOutboundPorts
  kExcludeOutboundPorts,     // traffic.sidecar.istio.io/excludeOutboundPorts
  kProxyConfig,              // proxy.istio.io/config: only its DNS capture is kept (see Workload)
  kInjectTemplates,          // inject.istio.io/templates
  kRevision,                 // istio.io/rev as an annotation (the label is in `labels`)
};
inline constexpr std::size_t kPodAnnotationCount = 10;
// "sidecar.istio.io/inject" for kInject, ...
std::string_view PodAnnotationName(PodAnnotation a);

// What a workload's pods look like to Istio. Deployment, StatefulSet,
// DaemonSet, ReplicaSet, ReplicationController, Job and Argo Rollout:
// spec.template; CronJob: spec.jobTemplate.spec.template; Pod: itself.
struct PodTemplate {
  // The pod template's `metadata:` (or the Pod's): where findings about the
  // pods as a whole point. Invalid when the template is not written.
  Location loc;
  // An Argo Rollout with spec.workloadRef: the pods come from another object,
  // their labels and annotations are unknown.
  bool unknown = false;
  Labels labels;  // every label (workload selectors match them)
  Location labels_key;
  // The annotations listed in PodAnnotation, each with where its value is.
  std::vector<std::pair<PodAnnotation, Located<std::string>>> annotations;
  bool host_network = false;
  Location host_network_loc;  // the `hostNetwork:` value, when written
  // proxy.istio.io/config's proxyMetadata.ISTIO_META_DNS_CAPTURE: unset, or
  // "true"/"false" (as the agent reads it), at the annotation's value.
  std::optional<Located<bool>> dns_capture;

  const Located<std::string>* Annotation(PodAnnotation a) const;
};

// ---- Kubernetes Service (core v1) ----

struct KubeServicePort {
  Location loc;
  // Texts that thousands of Services repeat ("http", "TCP", "8080"): one
  // shared copy.
  Located<SharedText> name;
  Located<SharedText> protocol;      // TCP (default), UDP, SCTP
  Located<SharedText> app_protocol;  // Istio reads it before the name prefix
  Located<std::int64_t> port;
  Located<SharedText> target_port;  // a number or a container port name
};

// ---- VirtualService ----

struct RouteDestination {
  Location loc;  // the `destination:` (or `mirror:`) key
  Located<std::string> host;
  Located<std::int64_t> port;  // destination.port.number; 0: not written
  bool mirror = false;         // `mirror:` or an entry of `mirrors:`
};

struct RouteMatch {
  Location loc;
  std::vector<Located<std::string>> gateways;
  Located<std::int64_t> port;  // 0: not written
  Located<std::string> source_namespace;
  std::vector<Located<std::string>> sni_hosts;  // tls routes
};

struct Route {
  enum class Kind : std::uint8_t { kHttp, kTcp, kTls };
  Kind kind = Kind::kHttp;
  Location loc;  // the list entry
  std::vector<RouteMatch> matches;
  std::vector<RouteDestination> destinations;  // route[].destination, then mirrors
  bool delegate = false;  // http route with `delegate:` (no destinations of its own)
};

// ---- Gateway ----

struct GatewayServer {
  Location loc;
  PortSpec port;
  std::vector<Located<std::string>> hosts;  // "ns/host" or "host"
  Location hosts_key;
  bool tls_set = false;
  Location tls_loc;
  Located<std::string> tls_mode;
  bool https_redirect = false;
};

// ---- AuthorizationPolicy ----

struct PolicyTargetRef {
  Location loc;
  Located<std::string> group;
  Located<std::string> kind;
  Located<std::string> name;
  Located<std::string> ns;
};

struct AuthzSource {
  Location loc;
  std::vector<Located<std::string>> namespaces;
  std::vector<Located<std::string>> not_namespaces;
  std::vector<Located<std::string>> principals;
  std::vector<Located<std::string>> not_principals;
};

struct AuthzOperation {
  Location loc;
  std::vector<Located<std::string>> hosts;
  std::vector<Located<std::string>> not_hosts;
  std::vector<Located<std::string>> ports;
  std::vector<Located<std::string>> not_ports;
};

struct AuthzRule {
  Location loc;
  std::vector<AuthzSource> from;
  std::vector<AuthzOperation> to;
  bool has_when = false;  // conditions meshlint does not evaluate
};

}  // namespace meshlint
