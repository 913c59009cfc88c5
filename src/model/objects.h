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

#include "model/kinds.h"
#include "model/load_report.h"
#include "model/location.h"
#include "model/object_ref.h"
#include "model/problem.h"
#include "model/shared_text.h"

namespace meshlint {

// What every loaded object has.
struct ObjectMeta {
  // Shared by every object of the same apiVersion: one pointer an object.
  SharedText api_version;
  ObjectRef ref;
  bool ns_defaulted = false;  // no metadata.namespace: placed in the default
  // Istio's admission refuses the object (set by MeshModel::Finalize). Such
  // objects are moved to MeshModel::rejected: everything in the model's own
  // collections is false here, so a reader of those needs no check; the flag
  // is for code handed an ObjectMeta from either place. (Beside
  // ns_defaulted, so that the two share one word.)
  bool rejected = false;
  Location loc;       // the `kind:` value, or the document start
  Location name_loc;  // the metadata.name value
  Location ns_loc;    // the metadata.namespace value, when written
  // Annotations under ignore.meshlint.io/ only (suppressions); others are not
  // kept, to keep the model small.
  std::vector<std::pair<std::string, Located<std::string>>> meshlint_annotations;

  // Where a finding about the object as a whole should point.
  const Location& anchor() const { return name_loc.valid() ? name_loc : loc; }
};

// What Istio's config kinds (ServiceEntry, Sidecar, VirtualService, Gateway,
// AuthorizationPolicy) carry in their metadata beyond ObjectMeta.
struct ConfigMeta {
  // The labels under an istio.io domain only (istio.io/rev: which istiod
  // revision processes the object; networking.istio.io/enable-autoallocate-ip;
  // istio.io/use-waypoint). Others are not kept.
  Labels istio_labels;
  // metadata.creationTimestamp as written (RFC 3339, e.g.
  // "2024-05-01T10:00:00Z"); empty when absent, as in most repositories.
  // Istio orders Sidecars, ServiceEntries and VirtualServices by it, then by
  // name and namespace.
  Located<std::string> creation_timestamp;

  // istio.io/rev, or nullptr: processed by every revision.
  const std::string* Revision() const { return istio_labels.Value("istio.io/rev"); }
};

struct NamespaceObject {
  ObjectMeta meta;
  std::map<std::string, std::string> labels;
  // Where each label's value is written (the key's position for an empty
  // value), for findings and explanations that name the label.
  std::map<std::string, Location, std::less<>> label_locs;
};

struct ServiceEntry {
  ObjectMeta meta;
  ConfigMeta config;
  std::vector<Located<std::string>> hosts;
  Location hosts_key;          // the `hosts:` key
  bool export_to_set = false;  // `exportTo` written (possibly as [])
  std::vector<Located<std::string>> export_to;
  Location export_to_key;
  Located<SharedText> location;        // MESH_EXTERNAL, MESH_INTERNAL or ""
  bool has_workload_selector = false;  // workloadSelector written and not null
  Selector workload_selector;          // .set == has_workload_selector
  std::vector<Located<std::string>> addresses;
  Location addresses_key;
  std::vector<PortSpec> ports;
  Location ports_key;
  Located<SharedText> resolution;  // NONE (the default), STATIC, DNS, DNS_ROUND_ROBIN, DYNAMIC_DNS
  // spec.endpoints: written (even as []), and each entry's address (empty
  // when not written) at the entry.
  bool endpoints_set = false;
  Location endpoints_key;
  std::vector<Located<std::string>> endpoint_addresses;

  // MESH_EXTERNAL or unset: the hosts are outside the mesh.
  bool IsExternal() const { return location.value != "MESH_INTERNAL"; }
  // The resolution as Istio reads it: NONE when not written.
  std::string_view Resolution() const {
    return resolution.value.empty() ? std::string_view("NONE") : resolution.value.view();
  }
};

enum class OutboundMode { kRegistryOnly, kAllowAny, kAllowAnyDynamicDns };
std::string_view OutboundModeName(OutboundMode mode);
std::optional<OutboundMode> ParseOutboundMode(std::string_view text);
inline bool AllowsAny(OutboundMode m) { return m != OutboundMode::kRegistryOnly; }

// One entry of a Sidecar's `egress:`.
struct SidecarEgressListener {
  Location loc;           // the list entry
  bool port_set = false;  // `port:` written and not null
  PortSpec port;
  Located<std::string> bind;
  Located<std::string> capture_mode;
  // Its hosts: Sidecar::egress_hosts[first_host, first_host + host_count).
  std::size_t first_host = 0;
  std::size_t host_count = 0;
  Location hosts_key;  // invalid when `hosts:` is not written
};

struct Sidecar {
  ObjectMeta meta;
  ConfigMeta config;
  bool has_selector = false;  // workloadSelector written and not null
  Location selector_loc;
  Selector selector;        // .set == has_selector; empty labels: the whole namespace
  bool egress_set = false;  // `egress:` written
  Location egress_key;
  // Every `hosts` entry of every egress listener, in order.
  std::vector<Located<std::string>> egress_hosts;
  std::vector<SidecarEgressListener> egress;
  // `outboundTrafficPolicy` written; a policy without `mode` is REGISTRY_ONLY
  // (the enum's zero value), not "inherit".
  bool outbound_set = false;
  Location outbound_key;
  OutboundMode outbound_mode = OutboundMode::kRegistryOnly;
  Location outbound_mode_loc;  // the `mode:` value, when written
  // The `mode:` value as written. A value the Sidecar enum does not hold
  // (a typo, ALLOW_ANY_DYNAMIC_DNS) is refused by Istio: the validation
  // rejects the Sidecar, and outbound_mode is then meaningless.
  std::string outbound_mode_text;
  // outboundTrafficPolicy.egressProxy (ALLOW_ANY only).
  bool egress_proxy_set = false;
  Location egress_proxy_loc;
  Located<std::string> egress_proxy_host;
  bool egress_proxy_port_set = false;
  // The other top-level fields, only whether they are written (an empty
  // Sidecar is rejected).
  bool ingress_set = false;
  bool inbound_connection_pool_set = false;
};

// A Pod, or a controller of pods (Deployment, StatefulSet, DaemonSet,
// ReplicaSet, ReplicationController, Job, CronJob, Argo Rollout): what the
// injector and the proxy see of its pods. Nothing else of it is kept.
struct Workload {
  ObjectMeta meta;
  PodTemplate pod;
};

// A Kubernetes Service (core v1): a registry entry
// `<name>.<namespace>.svc.cluster.local`.
struct KubeService {
  ObjectMeta meta;
  std::vector<KubeServicePort> ports;
  Located<SharedText> type;            // ClusterIP (default), NodePort, LoadBalancer, ExternalName
  Located<std::string> cluster_ip;     // "None": headless
  Located<std::string> external_name;  // type ExternalName: the alias target
  Selector selector;                   // spec.selector (labels are the map itself)
  // The networking.istio.io/exportTo annotation, as written (comma-separated,
  // not validated by Istio); nullopt when absent.
  std::optional<Located<std::string>> export_to;
};

struct VirtualService {
  ObjectMeta meta;
  ConfigMeta config;
  std::vector<Located<std::string>> hosts;
  Location hosts_key;
  bool gateways_set = false;
  std::vector<Located<std::string>> gateways;  // none: bound to "mesh"
  Location gateways_key;
  bool export_to_set = false;
  std::vector<Located<std::string>> export_to;
  Location export_to_key;
  std::vector<Route> routes;            // http, then tcp, then tls, each in order
  Location http_key, tcp_key, tls_key;  // invalid when not written
};

struct Gateway {
  ObjectMeta meta;
  ConfigMeta config;
  Selector selector;  // spec.selector: pod labels of the gateway deployment
  std::vector<GatewayServer> servers;
  Location servers_key;
};

struct AuthorizationPolicy {
  ObjectMeta meta;
  ConfigMeta config;
  Selector selector;                         // spec.selector.matchLabels
  std::vector<PolicyTargetRef> target_refs;  // targetRef and targetRefs
  bool target_ref_set = false;               // the singular `targetRef` (the first entry)
  Located<std::string> action;               // ALLOW (default), DENY, AUDIT, CUSTOM
  bool rules_set = false;  // `rules:` written (even []): ALLOW with no rules matches nothing
  Location rules_key;
  std::vector<AuthzRule> rules;
  // The action as Istio reads it: ALLOW when not written.
  std::string_view Action() const {
    return action.value.empty() ? std::string_view("ALLOW") : std::string_view(action.value);
  }
};

// A Kubernetes LabelSelector (matchLabels and matchExpressions): the
// injector's neverInjectSelector/alwaysInjectSelector, serviceEntryVisibility's
// namespaceSelector.
struct LabelSelector {
  struct Requirement {
    std::string key;
    std::string op;  // In, NotIn, Exists, DoesNotExist
    std::vector<std::string> values;
    Location loc;
  };
  Location loc;
  Labels match_labels;
  std::vector<Requirement> expressions;

  bool Empty() const { return match_labels.empty() && expressions.empty(); }
  // Kubernetes' semantics: every label and every requirement holds (an empty
  // selector matches everything; the injector skips empty ones itself).
  bool Matches(const Labels& labels) const;
  bool Matches(const std::map<std::string, std::string>& labels) const;
};

// MeshConfig.serviceEntryVisibility (1.31; pilot/pkg/model/
// serviceentry_visibility.go): the first policy whose matching rules all
// match a ServiceEntry's namespace labels gives its visibility, else the
// default. PUBLIC (or unset), NAMESPACE, NONE.
struct ServiceEntryVisibility {
  bool set = false;
  Location loc;
  bool apply_to_sidecars = false;
  std::string default_visibility;
  struct Rule {
    // The policy's matchingRules that are namespaceSelectors; every one must
    // match. A rule with another (or no) matcher never matches.
    std::vector<LabelSelector> namespace_selectors;
    bool never = false;
    std::string visibility;
  };
  std::vector<Rule> rules;
};

// What the istiod chart's values say to its sidecar injector, where an
// install source holds them (IstioOperator spec.values, the chart values of a
// HelmRelease, Argo CD Application or Sail Istio): unset fields are the
// chart's defaults (manifests/charts/istio-control/istio-discovery/values.yaml).
struct InjectorValues {
  // sidecarInjectorWebhook.*
  std::optional<Located<bool>> enable_namespaces_by_default;
  std::optional<std::vector<LabelSelector>> never_inject_selector;
  Location never_inject_key;
  std::optional<std::vector<LabelSelector>> always_inject_selector;
  Location always_inject_key;
  // global.proxy.*
  std::optional<Located<std::string>> auto_inject;
  std::optional<Located<std::string>> include_ip_ranges;
  std::optional<Located<std::string>> exclude_ip_ranges;
  std::optional<Located<std::string>> include_outbound_ports;
  std::optional<Located<std::string>> exclude_outbound_ports;
  // revisionTags: the chart renders a webhook configuration
  // istio-revision-tag-<tag> for each, sending istio.io/rev=<tag> to this
  // release's revision (templates/revision-tags-mwc.yaml).
  std::vector<Located<std::string>> revision_tags;
  bool Any() const {
    return enable_namespaces_by_default || never_inject_selector || always_inject_selector ||
           auto_inject || include_ip_ranges || exclude_ip_ranges || include_outbound_ports ||
           exclude_outbound_ports || !revision_tags.empty();
  }
};

// One webhook of an injection MutatingWebhookConfiguration: the API server
// sends a pod to it when both selectors match (an absent selector matches
// everything). The namespace's labels include kubernetes.io/metadata.name.
struct InjectionWebhook {
  std::string name;  // "rev.namespace.sidecar-injector.istio.io"
  Location loc;      // the list entry
  std::optional<LabelSelector> namespace_selector;
  std::optional<LabelSelector> object_selector;
};

// A MutatingWebhookConfiguration istiod's install renders: the injector of
// a revision (istio-sidecar-injector[-<rev>][-<namespace>],
// templates/mutatingwebhook.yaml) or a revision tag
// (istio-revision-tag-<tag>[-<namespace>], templates/revision-tags-mwc.yaml).
struct InjectionWebhookConfig {
  ObjectMeta meta;
  // The revision whose istiod receives the pods: from the webhooks'
  // clientConfig.service.name (istiod, istiod-<rev>), else the label
  // istio.io/rev; "" for the default revision.
  std::string revision;
  Location revision_loc;  // the service name or label value that says so
  // istio-revision-tag-*: the tag (label istio.io/tag, else the name's
  // rest); empty for an injector's own configuration.
  std::string tag;
  Location tag_loc;
  std::vector<InjectionWebhook> webhooks;
  bool IsTag() const { return !tag.empty(); }
};

// One place where mesh-wide settings were found.
struct MeshConfigSource {
  // kProjectConfig: the project config's rootNamespace, which carries no
  // other mesh setting.
  // kInstallValues: the istiod chart's values as a GitOps tool or operator
  // holds them (Flux HelmRelease, Argo CD Application, Sail operator Istio,
  // an istiod values file): what generates the ConfigMap, like an
  // IstioOperator.
  enum class Origin { kCommandLine, kConfigMap, kIstioOperator, kProjectConfig, kInstallValues };
  Origin origin = Origin::kIstioOperator;
  // The control-plane revision it configures: "" for the default one
  // (ConfigMap `istio`, no `revision` value), else R (ConfigMap `istio-R`,
  // values `revision: R`). Command-line and project-config sources apply to
  // every revision.
  std::string revision;
  // The namespace the istiod it configures runs in, when the source says
  // (values.global.istioNamespace, the release's target namespace): only a
  // ConfigMap there is read by istiod.
  std::optional<Located<std::string>> istio_namespace;
  // The ConfigMap istio-sidecar-injector[-<rev>]: the injector's settings
  // only, no mesh config (it decides no mesh field, not even by omission).
  bool injector_only = false;
  std::string description;  // "IstioOperator istio-system/demo", "--mesh-config"
  ObjectRef object;         // the object holding it (kind MeshConfig for a bare file)
  Location loc;             // the meshConfig/data.mesh key, or the document
  std::optional<Located<std::string>> root_namespace;
  std::optional<std::vector<Located<std::string>>> default_service_export_to;
  Location default_service_export_to_key;
  Location outbound_key;  // `outboundTrafficPolicy:` key, when written
  std::optional<Located<OutboundMode>> outbound_mode;
  std::optional<std::vector<Located<std::string>>> default_virtual_service_export_to;
  Location default_virtual_service_export_to_key;
  // defaultDestinationRuleExportTo: read so that the mesh config is whole;
  // DestinationRules do not decide reachability and are not modelled.
  std::optional<std::vector<Located<std::string>>> default_destination_rule_export_to;
  std::optional<ServiceEntryVisibility> service_entry_visibility;
  // defaultConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE.
  std::optional<Located<bool>> dns_capture;
  InjectorValues injector;
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
const ObjectMeta& MetaOf(const T& object) { return object.meta; }
template <typename T>
concept HasMeta = requires(const T& t) {
  MetaOf(t);
};

// Everything loading yields, in input order within each kind.
struct Objects {
  std::vector<NamespaceObject> namespaces;
  std::vector<ServiceEntry> service_entries;
  std::vector<Sidecar> sidecars;
  std::vector<Workload> workloads;
  std::vector<KubeService> services;
  std::vector<VirtualService> virtual_services;
  std::vector<Gateway> gateways;
  std::vector<AuthorizationPolicy> authorization_policies;
  std::vector<ObjectMeta> others;  // every other object, generically
  std::vector<MeshConfigSource> mesh_sources;
  std::vector<Problem> problems;         // what could not be used: invalid-manifest
  std::vector<SkippedDocument> skipped;  // not Kubernetes objects (--verbose)
  std::vector<CustomKind> custom_kinds;  // declared by CRDs among the inputs
  std::vector<InjectionWebhookConfig> injection_webhooks;
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
    &Objects::namespaces,   &Objects::service_entries,
    &Objects::sidecars,     &Objects::workloads,
    &Objects::services,     &Objects::virtual_services,
    &Objects::gateways,     &Objects::authorization_policies,
    &Objects::others,       &Objects::mesh_sources,
    &Objects::problems,     &Objects::skipped,
    &Objects::custom_kinds, &Objects::injection_webhooks};
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
  // `from` gives its buffer back at once (not only its elements): the
  // loader keeps every file's Objects until the last is merged, and their
  // empty buffers would be a second copy of the model's.
  auto move_to_end = [](auto& to, auto& from) {
    using Vector = std::decay_t<decltype(from)>;
    if (to.empty() && to.capacity() < from.size()) to.swap(from);
    else
      to.insert(to.end(), std::make_move_iterator(from.begin()),
                std::make_move_iterator(from.end()));
    Vector().swap(from);
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
