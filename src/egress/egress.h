// Egress reachability: which hosts and ports each group of workloads can
// reach, and why. One analysis, computed from the model, feeds the egress
// rules, `meshlint egress` and its --from/--to explanation. What Istio makes
// of each object (membership, capture, the registry, the applicable Sidecar,
// its listeners, routes, gateways) comes from src/semantics; this module
// groups workloads that share one verdict and indexes those answers so that
// a mesh of many namespaces is not compared pairwise.
#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "model/model.h"
#include "semantics/istio.h"
#include "semantics/listeners.h"
#include "semantics/routes.h"

namespace meshlint::egress {

using istio::HostRef;

struct Explanation;
class ImportIndex;
class RowImports;

// ---- The analysis ----

// One row of the report: workloads of one namespace that share one verdict
// (the same proxy, capture, revision and Sidecar). A namespace without
// workload manifests has one row for its pods as a whole, plus one per
// workload-scoped Sidecar for the pods it would select.
struct Scope {
  std::string ns;
  std::vector<const Workload*> workloads;  // empty: the namespace's pods (no manifests)
  // No workload manifests: the pods a workload-scoped Sidecar would select
  // (reported, but not counted in the namespace's answer).
  bool hypothetical = false;
  // The workload-scoped Sidecar such a row is for (also when no proxy
  // applies it, so `sidecar` stays null).
  const Sidecar* selected_by = nullptr;
  bool namespace_known = true;  // false: asked about a namespace no input names
  istio::PodProxy proxy;
  istio::Capture capture;
  std::uint32_t registry = 0;  // EgressAnalysis::registry(i): the proxy's revision
  bool dns_capture = false;
  const Sidecar* sidecar = nullptr;  // the applicable Sidecar; null: none
  istio::SidecarOrigin sidecar_origin = istio::SidecarOrigin::kNone;
  std::size_t defaults = 0;      // competing default Sidecars (Istio applies the oldest)
  bool workload_scoped = false;  // the Sidecar has a workloadSelector
  OutboundMode mode = OutboundMode::kAllowAny;
  istio::ModeOrigin mode_source = istio::ModeOrigin::kIstioDefault;
  // Imports from services visible to every namespace; rows with the same
  // import filter share one list.
  std::shared_ptr<const std::vector<HostRef>> shared;
  // Imports from services visible to this namespace by name, "."-imports,
  // and the destinations of imported VirtualServices.
  std::vector<HostRef> own;
  std::vector<istio::ImportedVs> virtual_services;
  // The row's VirtualServices are exactly its registry's public ones
  // (EgressAnalysis::PublicRoutes), which route alike for every namespace.
  bool public_routes_only = false;
  // Its VirtualServices are public ones (all of them, or those its Sidecar
  // imports by namespace), none exported to its namespace by name.
  bool public_routes = false;

  bool mediated() const { return proxy.proxy == istio::Proxy::kSidecar; }
  // No proxy or ambient: Istio does not hold its egress.
  bool unmediated() const {
    return proxy.proxy == istio::Proxy::kNone || proxy.proxy == istio::Proxy::kAmbient;
  }
  bool gateway() const { return proxy.proxy == istio::Proxy::kGateway; }
  // "Deployment/web, StatefulSet/db", or "" for the namespace's pods.
  std::string WorkloadNames(std::size_t shown = 5) const;
};

// How a row reaches one host:port (or why it does not).
struct Verdict {
  enum class Via : std::uint8_t {
    kNone,             // not reachable
    kNoProxy,          // no sidecar: Istio does not mediate (any host, any port)
    kAmbient,          // ambient: ztunnel does not apply Sidecars or REGISTRY_ONLY
    kCaptureBypass,    // the sidecar never sees it (capture annotations or values)
    kRegistry,         // a listener of an imported service that lists the host
    kPassthroughPort,  // a resolution-NONE TCP wildcard listener on the port
    kAllowAny,         // no listener takes it; ALLOW_ANY passes it
    kRoute,            // an imported VirtualService routes it to another service
    kGateway,          // routed through an egress gateway that lets it out
  };
  enum class Block : std::uint8_t {
    kNone,
    kRegistryOnly,   // nothing takes it and the mode is REGISTRY_ONLY (502)
    kHijacked,       // a 0.0.0.0:<port> TCP listener sends it to another service
    kGatewayDenied,  // the egress gateway refuses it (no server, no route, 503, 403)
    kGatewayRow,     // the source is a gateway, not a client
    kNoCluster,      // a route's destination is not in the scope (503)
  };
  bool reachable = false;
  Via via = Via::kNone;
  Block block = Block::kNone;
  std::uint32_t port = 0;  // the port answered (0: no port: nothing lists the host)
  bool port_given = false;
  istio::Connection connection;           // what the listeners did
  std::optional<istio::MeshRoute> route;  // the VirtualService route that took it
  std::optional<HostRef> route_target;    // its destination in the scope
  std::optional<istio::GatewayHop> hop;   // the egress gateway hop
};

// Istio's steps once the listener is known (`v` holds the port and the
// connection): the route a VirtualService gives `host` — its destination in
// the scope and the egress gateway hop —, else what the listener does, else
// the outbound mode. Also the last step of the reference walk in tests.
Verdict Conclude(const MeshModel& model, const istio::Registry& reg, const Scope& s,
                 std::string_view host, std::optional<istio::MeshRoute> route, Verdict v);

// Ports that pass any destination, per row.
struct OpenPort {
  std::uint32_t port = 0;
  enum class Why : std::uint8_t { kPassthrough, kCaptureBypass } why = Why::kPassthrough;
  HostRef via;  // kPassthrough: the service
  // kPassthrough of a ServiceEntry with CIDR addresses: open to addresses
  // in these ranges only (empty: to every destination).
  std::vector<std::string> ranges;
};
// A TCP port that a listener sends to one service, whatever the destination.
struct HijackedPort {
  std::uint32_t port = 0;
  HostRef by;
};
// A VirtualService host outside the scope's services that a route sends on
// (the port-80 virtual hosts, or a route through an egress gateway).
// What the reports say of it, not the whole Verdict: a mesh with thousands
// of VirtualServices exported to every namespace routes as many hosts per
// row, and a Verdict is five times the size.
struct RoutedHost {
  std::string_view host;  // a VirtualService's host, in the model
  std::uint32_t port = 0;
  std::uint32_t vs = 0;                    // the VirtualService that routes it
  const RouteDestination* dest = nullptr;  // where its route sends it
  bool reachable = false;                  // the verdict's
  // The egress gateway the route passes through, or nullptr (a hop always
  // has its Gateway: ThroughGateway finds it before any outcome).
  const Gateway* gateway = nullptr;

  // Rows whose lists compare equal route alike (route groups).
  friend auto operator<=>(const RoutedHost&, const RoutedHost&) = default;
};
// A row's routed hosts, in the order of its VirtualServices. Rows that can
// only route alike (see EgressAnalysis::RoutedHosts) share one list, so
// asking every row costs one list, not one per row.
class RoutedHostList {
 public:
  RoutedHostList() = default;
  explicit RoutedHostList(std::shared_ptr<const std::vector<RoutedHost>> hosts)
      : hosts_(std::move(hosts)) {}
  std::vector<RoutedHost>::const_iterator begin() const { return Hosts().begin(); }
  std::vector<RoutedHost>::const_iterator end() const { return Hosts().end(); }
  std::size_t size() const { return Hosts().size(); }
  bool empty() const { return Hosts().empty(); }
  const RoutedHost& operator[](std::size_t i) const { return Hosts()[i]; }
  bool computed() const { return hosts_ != nullptr; }  // false: a default-made list

 private:
  const std::vector<RoutedHost>& Hosts() const;
  std::shared_ptr<const std::vector<RoutedHost>> hosts_;
};

// An imported service port whose listener takes connections whatever their
// host: a resolution-NONE passthrough (with or without CIDR ranges) or a
// 0.0.0.0 TCP listener that hijacks its port.
struct WildcardListener {
  std::uint32_t svc = 0;
  std::uint32_t host = 0;
  std::uint32_t index = 0;  // into the service's ports
  istio::PortListener listener = istio::PortListener::kNone;
};

class EgressAnalysis {
 public:
  explicit EgressAnalysis(const MeshModel& model);

  const MeshModel& model() const { return model_; }

  // Rows in namespace-name order; within a namespace, in the order of its
  // workloads (input order), or the namespace row then one per
  // workload-scoped Sidecar.
  const std::vector<Scope>& scopes() const { return scopes_; }
  // The rows of one namespace (a new namespace's row when no input names it).
  std::vector<Scope> NamespaceRows(std::string_view ns) const;
  // The row of one workload: "NS/Kind/name"; nullopt when no such workload.
  std::optional<Scope> WorkloadRow(std::string_view ns, std::string_view kind,
                                   std::string_view name) const;
  // The row for a namespace's pods without labels (what a new pod gets).
  Scope NamespaceScope(std::string_view ns) const;

  const istio::Registry& registry(std::uint32_t i) const { return *registries_[i]; }
  const istio::Registry& RegistryOf(const Scope& s) const { return *registries_[s.registry]; }
  const istio::RegistryService& Service(const Scope& s, const HostRef& h) const {
    return RegistryOf(s).service(h.svc);
  }

  // Hosts that many rows reach together, so reports list them once: the
  // imports from services visible to every namespace, one group per
  // distinct import filter that at least two rows share (e.g. every
  // namespace without a restricting Sidecar). Sorted by host name.
  struct HostGroup {
    std::vector<HostRef> hosts;
    std::uint32_t registry = 0;
    std::size_t rows = 0;        // rows that reach it
    std::size_t namespaces = 0;  // distinct namespaces among them
    bool unfiltered = false;     // every host visible to all namespaces
  };
  const std::vector<HostGroup>& groups() const { return groups_; }
  // The group a row reaches (nullopt: its shared imports are its own).
  std::optional<std::size_t> GroupOf(const Scope& scope) const;

  // Every service host a row reaches through the registry, sorted by host
  // name, each host once (the service in the row's own namespace wins, then
  // a Kubernetes Service, then the first by namespace/name), with the ports
  // it imports. Only ServiceEntry hosts unless `with_kube` (Kubernetes
  // Services are in-cluster: the report leaves them out).
  std::vector<HostRef> Reachable(const Scope& scope, bool with_kube = false) const;
  // The same without the hosts of its group.
  std::vector<HostRef> ReachableBeyondGroup(const Scope& scope) const;
  // Ports open to any destination, hijacked ports, routed hosts.
  std::vector<OpenPort> OpenPorts(const Scope& scope) const;
  std::vector<HijackedPort> HijackedPorts(const Scope& scope) const;
  RoutedHostList RoutedHosts(const Scope& scope) const;
  // Routes that many rows take alike, so reports list them once: one group
  // per list of routes (host, port, destination, VirtualService, answer,
  // gateway) that at least two rows have, that routes something and that
  // a row routing with public VirtualServices alone (all of them, or those
  // its Sidecar imports by namespace) has. In the order of the first row
  // that has it. Computed on first use.
  struct RouteGroup {
    RoutedHostList routes;
    std::size_t rows = 0;        // rows that have it
    std::size_t namespaces = 0;  // distinct namespaces among them
  };
  const std::vector<RouteGroup>& route_groups() const;
  // The route group a row's routes are (nullopt: its routes are its own).
  std::optional<std::size_t> RouteGroupOf(const Scope& scope) const;

  // Can the row reach `host` on `port` (0: on some port; which one is in
  // the verdict)?
  Verdict Answer(const Scope& scope, std::string_view host, std::uint32_t port) const;

  // Is `to` ("HOST" or "HOST:PORT") reachable from `from` ("NS" or
  // "NS/Kind/name"), and why.
  Explanation Explain(std::string_view from, std::string_view to) const;

  std::string_view HostName(const Scope& s, const HostRef& h) const {
    return Service(s, h).hosts[h.host];
  }

 private:
  friend class RowBuilder;
  std::uint32_t RegistryFor(const std::string& revision);
  Scope MakeRow(const std::string& ns, const Workload* w, const Sidecar* hypothetical) const;
  void FillImports(Scope& s) const;
  std::shared_ptr<const std::vector<HostRef>> SharedFor(std::uint32_t registry,
                                                        const Sidecar* sc) const;
  void BuildGroups();
  std::vector<HostRef> Merge(const Scope& s) const;
  std::vector<HostRef> Dedup(std::vector<HostRef> hosts, const Scope& s) const;
  // The wildcard listeners of a row's merged imports, in their order
  // (service, host, port): those of its shared list, found once per list,
  // merged with those of its own imports.
  std::vector<WildcardListener> WildcardListeners(const Scope& s) const;
  std::vector<WildcardListener> FindWildcardListeners(const std::vector<HostRef>& refs,
                                                      std::uint32_t registry,
                                                      bool dns_capture) const;
  // Answer() given the row's indexed imports and open ports, so that a
  // caller asking many hosts of one row computes them once.
  Verdict AnswerWith(const Scope& s, const RowImports& imports, const std::vector<OpenPort>& open,
                     std::string_view host, std::uint32_t port) const;
  // A row's imports indexed for its answers (src/egress/import_index.h).
  RowImports ImportsOf(const Scope& s) const;
  // A row's indexed imports and open ports, what Answer() consults besides
  // the row: built once per distinct row (its registry, shared list, DNS
  // capture, own imports, VirtualServices and capture-excluded ports) for
  // the analysis, however many explanations ask about it (`--base` explains
  // up to kMaxExplainedPairs pairs per list, of a few rows each).
  struct RowAnswering;
  const RowAnswering& AnsweringOf(const Scope& s) const;
  std::vector<OpenPort> OpenPortsOf(const Scope& s,
                                    const std::vector<WildcardListener>& listeners) const;
  // The VirtualServices a row imports and the destinations they bring in
  // (FillImports), from the registry's public ones when they are all it has.
  void FillVirtualServices(Scope& s) const;
  void AddDestinations(Scope& s, const istio::ImportedVs& iv) const;
  // The registry's VirtualServices exported to every namespace, in the
  // order Istio consults them, and what they bring in: computed once per
  // registry instead of once per row.
  struct PublicRoutes {
    std::vector<istio::ImportedVs> list;
    // Whether a row's namespace can change their routes or destinations (a
    // sourceNamespace match, a destination host that resolves per
    // namespace or to a Kubernetes Service, which may be a gateway's).
    bool per_namespace = false;
    // Their destinations that the registry's unfiltered shared list does
    // not already import with those ports.
    std::vector<HostRef> beyond_shared;
    // Namespaces some applying VirtualService is exported to by name.
    std::unordered_set<std::string> named_namespaces;
    // Per namespace: the positions in `list` of the ones that live there.
    std::unordered_map<std::string, std::vector<std::uint32_t>> in_namespace;
  };
  const PublicRoutes& PublicRoutesOf(std::uint32_t registry) const;
  // The public VirtualServices a Sidecar with egress listeners imports: only
  // those in the namespaces its entries name are candidates.
  std::vector<istio::ImportedVs> ImportPublic(const Scope& s, const PublicRoutes& pub) const;
  std::vector<RoutedHost> ComputeRoutedHosts(const Scope& s) const;
  // The key of the shared list a row's routes are (RoutedHosts), if any.
  using RoutesKey = std::tuple<std::uint32_t, OutboundMode, bool>;
  std::optional<RoutesKey> SharedRoutesKey(const Scope& s) const;

  const MeshModel& model_;
  std::vector<std::unique_ptr<istio::Registry>> registries_;
  std::map<std::string, std::uint32_t> registry_of_revision_;
  // Per registry: services visible to every namespace, and to named ones.
  struct Index {
    std::vector<std::uint32_t> to_all;
    std::unordered_map<std::string, std::vector<std::uint32_t>> to_ns;
    std::unordered_map<std::string, std::vector<std::uint32_t>>
        all_by_ns;  // to_all by own namespace
  };
  std::vector<Index> index_;
  std::vector<Scope> scopes_;
  std::vector<HostGroup> groups_;
  std::vector<std::unordered_set<std::string_view>> group_names_;
  std::unordered_map<const std::vector<HostRef>*, std::size_t> group_of_;
  // Caches the const queries fill as they are asked: one analysis is used
  // from one thread at a time (nothing here is locked).
  mutable std::map<std::pair<std::uint32_t, const Sidecar*>,
                   std::shared_ptr<const std::vector<HostRef>>>
      shared_cache_;
  // Per shared import list and DNS capture: its wildcard listeners, so that
  // no row walks the (long) shared list again.
  std::map<std::pair<const std::vector<HostRef>*, bool>, std::vector<WildcardListener>>
      wildcard_of_shared_;
  // Per shared import list and DNS capture, for the lists of rows that
  // import VirtualServices: the list indexed by name and port, so that no
  // routed host walks it.
  std::map<std::pair<const std::vector<HostRef>*, bool>, std::shared_ptr<const ImportIndex>>
      index_of_shared_;
  // The shared lists' indexes index_of_shared_ leaves out (of rows without
  // VirtualServices), built on first use; each with its list, kept alive so
  // that the key names it.
  mutable std::map<
      std::pair<const std::vector<HostRef>*, bool>,
      std::pair<std::shared_ptr<const std::vector<HostRef>>, std::shared_ptr<const ImportIndex>>>
      lazy_index_of_shared_;
  using AnsweringKey =
      std::tuple<std::uint32_t, const std::vector<HostRef>*, bool,
                 std::vector<std::tuple<std::uint32_t, std::uint32_t, std::uint64_t>>,
                 std::vector<std::pair<std::uint32_t, std::optional<std::size_t>>>,
                 std::vector<std::uint32_t>>;
  mutable std::map<AnsweringKey, std::shared_ptr<const RowAnswering>> answering_;
  mutable std::map<std::uint32_t, PublicRoutes> public_routes_;
  // Per (registry, outbound mode, DNS capture): the routed hosts of the rows
  // that route alike (RoutedHosts), computed for the first of them.
  mutable std::map<std::tuple<std::uint32_t, OutboundMode, bool>,
                   std::shared_ptr<const std::vector<RoutedHost>>>
      routed_of_public_;
  // route_groups(), once computed, and the group of each list of routes.
  using RoutesText = std::vector<RoutedHost>;
  static RoutesText TextOf(const RoutedHostList& routes);
  mutable std::optional<std::vector<RouteGroup>> route_groups_;
  mutable std::map<RoutesText, std::size_t> route_group_of_;
  // Per row of scopes_ with public routes: its routes, computed once.
  mutable std::vector<RoutedHostList> routes_of_row_;
  const Scope* RowOf(const Scope& s) const;
};

// ---- --from/--to: why a host is (not) reachable, as data ----
// Each step names what decides one link and points at the manifest line that
// decides it; src/report/egress_explain.cpp renders the sentences.

enum class StepKind {
  // Who asks.
  kNamespaceUnknown,   // no input names the namespace
  kMembershipAssumed,  // no Namespace manifest: assumed injected
  kProxyInjected,      // `proxy` (a sidecar): what injects it
  kNoProxy,            // `proxy`: no sidecar, and why
  kAmbient,            // `proxy`: ambient
  kGatewaySource,      // the workloads are a gateway: no client egress
  kCaptureBypass,      // the port or public addresses bypass the proxy
  kSeveralDefaults,    // `count` default Sidecars; `sidecar`: the one Istio applies
  kSidecarSelects,     // `sidecar`'s workloadSelector selects the workloads
  // The mode.
  kModeBySidecar,
  kModeBySidecarUnset,
  kModeByMesh,
  kModeMeshUnset,
  kModeNoMeshConfig,
  // The registry.
  kNotInRegistry,          // no service lists the host
  kListed,                 // `service`'s hosts[`host`] lists or covers it
  kAlias,                  // `service` is an ExternalName alias of the host looked up
  kExportToList,           // its exportTo includes the namespace (`included`) or not
  kExportMeshDefault,      // no or empty exportTo: the mesh default does, or not
  kExportVisibility,       // serviceEntryVisibility narrows it
  kNoSidecar,              // no Sidecar applies: it imports everything exported
  kSidecarImportsAll,      // `sidecar` has no egress listeners
  kSidecarImportsThrough,  // `sidecar`'s egress_hosts[`egress_host`] imports it
  kSidecarDoesNotImport,   // none of `sidecar`'s egress hosts selects it
  kSidecarExcludes,        // egress_hosts[`egress_host`] (a "~" entry) excludes it
  kImportsButNotExported,  // egress_hosts[`egress_host`] selects it, not exported here
  kPortNotListed,          // `service` has no port `port` (or it was trimmed)
  kNoPorts,                // `service` has no ports: no listener
  kListenerPort,           // egress listener of `egress_host` has a port the service lacks
  kMoreServiceEntries,     // `count` more services list the host
  // The listeners.
  kListener,                // `service` port `port_index` gives `listener` on `port`
  kPassthroughListener,     // `service` port opens `port` to every destination
  kHijackedBy,              // `service` takes every TCP connection on `port`
  kPortHasListenerNoMatch,  // a listener on `port` does not take the host: the mode decides
  kVsDestinationImported,   // `service` is imported as a destination of `vs`
  kVsRoute,                 // `vs` routes the host on `port` to `dest_host`
  kVsPort80Host,            // `vs` host outside the registry, on port 80 only
  kGatewayServer,           // `gateway` server on `port` lists the host (or not: !included)
  kGatewayVs,               // `vs` bound to the gateway routes it (or none: !included)
  kGatewayCluster,          // the destination is visible in the gateway namespace (or not)
  kGatewayAuthz,            // `policy` allows or denies (`included` = allowed)
  kAuthzAssumed,            // a condition was assumed to hold
  // Changes that flip the answer.
  kSetSidecarMode,
  kSetMeshMode,
  kAddMeshMode,
  kAddDefaultSidecar,
  kGiveEgressHosts,
  kRemoveEgressHost,
  kReplaceEgressHost,
  kNarrowExport,
  kRemoveHost,
  kAddServiceEntry,
  kAddToExport,
  kAddEgressHost,
  kInjectSidecar,
  kAddPort,
  kRemoveBypass,
  kFixPassthrough,
  kDenyAtGateway,
  kAllowAtGateway,
  kExportToGateway,
  // The other rows of the namespace.
  kOtherRow,  // `row_index` of the namespace: reachable or not
};

enum class Relation { kNone, kAlternative, kAlsoNeeded };

struct Step {
  StepKind kind = StepKind::kNamespaceUnknown;
  Location loc;  // invalid: nothing in the inputs to point at
  const istio::RegistryService* service = nullptr;
  std::uint32_t host = 0;  // index into service->hosts
  const Sidecar* sidecar = nullptr;
  std::optional<std::size_t> egress_host;  // index into sidecar->egress_hosts
  std::optional<std::size_t> mesh_source;  // index into MeshModel::mesh_sources
  OutboundMode mode = OutboundMode::kAllowAny;
  std::size_t count = 0;
  std::uint32_t port = 0;
  std::uint32_t port_index = 0;
  istio::PortListener listener = istio::PortListener::kNone;
  istio::PodProxy proxy;
  const VirtualService* vs = nullptr;
  const Route* route = nullptr;
  const RouteDestination* dest = nullptr;
  const Gateway* gateway = nullptr;
  const AuthorizationPolicy* policy = nullptr;
  std::size_t row_index = 0;  // kOtherRow: into Explanation::rows
  bool included = false;
  bool reachable = false;
  bool import_too = false;
  Relation relation = Relation::kNone;
};

struct Explanation {
  std::string ns;
  std::string host;
  std::uint32_t port = 0;  // asked; 0: some port
  std::string workload;    // "Kind/name" when asked about one workload
  bool reachable = false;
  bool via_registry = false;      // reachable through a registry service (either mode)
  bool unknown_workload = false;  // --from NS/Kind/name names no workload
  Scope scope;                    // the row explained
  Verdict verdict;                // its answer
  std::vector<Scope> rows;        // every row of the namespace (namespace questions)
  std::vector<Verdict> row_verdicts;
  std::size_t explained = 0;  // the row of `rows` explained in full
  istio::SidecarOrigin sidecar_origin = istio::SidecarOrigin::kNone;
  std::vector<Step> chain;
  std::vector<Step> changes;
  std::vector<Step> workload_notes;  // one per other row of the namespace
};

// "host" or "host:port" (a port of 1-65535); nullopt when malformed.
std::optional<std::pair<std::string, std::uint32_t>> ParseTarget(std::string_view to);

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
  bool Allows(std::string_view ns, std::string_view host) const;
  bool AllowsAnyHost(std::string_view ns) const;
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
