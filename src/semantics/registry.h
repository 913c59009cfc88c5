// Istio's service registry as one control-plane revision sees it: every
// ServiceEntry host and every Kubernetes Service that is applied (not
// rejected by validation, not labelled for another revision), with its ports
// and protocols, its addresses and resolution, and the namespaces it is
// visible to (exportTo, the mesh defaults, serviceEntryVisibility).
//
// Decided by pilot/pkg/model/push_context.go (initServiceRegistry,
// IsServiceVisible), pilot/pkg/serviceregistry/kube/conversion.go
// (ConvertService), pilot/pkg/serviceregistry/serviceentry/conversion.go and
// pkg/config/protocol (istio-notes §2.6, §2.10, §2.13, §2.14).
#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <iterator>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/model.h"

namespace meshlint::istio {

// ---- Protocols (pkg/config/protocol) ----

enum class Protocol : std::uint8_t {
  kHttp,
  kHttp2,
  kGrpc,
  kGrpcWeb,
  kHttpProxy,
  kHttps,
  kTls,
  kTcp,
  kMongo,
  kRedis,
  kMySql,
  kUdp,
  kUnsupported,  // not written or unknown: the proxy sniffs (HTTP, else TCP)
};
// Istio's protocol.Parse: case-insensitive; anything else is kUnsupported.
Protocol ParseProtocol(std::string_view name);
// A Kubernetes Service port's protocol: UDP, else appProtocol, else the name
// prefix before '-', else TCP for the well-known ports 25, 53, 3306, 27017
// (kube.ConvertProtocol).
Protocol KubeProtocol(std::uint32_t port, std::string_view name, std::string_view protocol,
                      std::string_view app_protocol);
std::string_view ProtocolName(Protocol p);
bool IsHttp(Protocol p);  // HTTP, HTTP2, HTTP_PROXY, GRPC, GRPC-Web
bool IsTls(Protocol p);   // HTTPS, TLS: matched by SNI
// Routed as raw TCP to one destination: TCP, Mongo, Redis, MySQL (not TLS).
bool IsPlainTcp(Protocol p);

// ---- Visibility ----

enum class ExportScope { kAll, kNamespaces, kNone };
enum class ExportOrigin {
  kExportTo,      // the object's own non-empty exportTo (or annotation)
  kMeshDefault,   // empty or missing: the mesh config's default
  kIstioDefault,  // empty or missing, and no mesh config sets a default: "*"
  kVisibility,    // narrowed by meshConfig.serviceEntryVisibility (1.31)
};
struct Export {
  ExportScope scope = ExportScope::kAll;
  // kNamespaces: the namespaces, "." resolved to the object's own, each once.
  std::vector<std::string> namespaces;
  ExportOrigin origin = ExportOrigin::kIstioDefault;
  Location loc;  // what decided: `exportTo:`, the annotation, the mesh default
  std::optional<std::size_t> mesh_source;

  bool Includes(std::string_view ns) const;
};
// Istio's indexing of an exportTo list (initServiceRegistry): "*" anywhere
// is public; else "~" anywhere hides it; else each "." or own namespace
// makes it private, each other name adds that namespace.
Export IndexExport(const std::vector<std::string_view>& values, std::string_view own_ns);

// meshConfig.serviceEntryVisibility with applyToSidecars (1.31+): NAMESPACE
// clamps a ServiceEntry of namespace `ns` to its own namespace, NONE hides
// it; it never widens, and a literal ["~"] stays.
void NarrowByVisibility(const MeshModel& model, const MeshSettings& settings, std::string_view ns,
                        Export& e);

// ---- Registry entries ----

struct ServicePort {
  std::uint32_t number = 0;
  Protocol protocol = Protocol::kUnsupported;
  std::string_view name;  // the model's text
  Location loc;
};

enum class Resolution : std::uint8_t {
  kNone,
  kStatic,
  kDns,
  kDnsRoundRobin,
  kDynamicDns,
  kClusterIp,  // a Kubernetes Service with a cluster IP
  kHeadless,   // clusterIP: None
  kAlias,      // type ExternalName: another name of its target
};
Resolution ParseResolution(std::string_view written);  // ServiceEntry's field; "" = NONE

// A service's hostnames, each with where it is written: a view of a
// ServiceEntry's `hosts` entries, or of the one name a Kubernetes Service
// has (at the Service). Read as a list of names.
class HostNames {
 public:
  HostNames() = default;
  explicit HostNames(std::span<const Located<std::string>> entries) : entries_(entries) {}
  std::size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  std::string_view operator[](std::size_t h) const { return entries_[h].value; }
  const Located<std::string>& entry(std::size_t h) const { return entries_[h]; }

  class iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = std::string_view;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = std::string_view;
    iterator() = default;
    explicit iterator(const Located<std::string>* at) : at_(at) {}
    std::string_view operator*() const { return at_->value; }
    iterator& operator++() {
      ++at_;
      return *this;
    }
    iterator operator++(int) {
      iterator before = *this;
      ++at_;
      return before;
    }
    friend bool operator==(const iterator&, const iterator&) = default;

   private:
    const Located<std::string>* at_ = nullptr;
  };
  iterator begin() const { return iterator(entries_.data()); }
  iterator end() const { return iterator(entries_.data() + entries_.size()); }
  // The same names, in the same order.
  friend bool operator==(const HostNames& a, const HostNames& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end());
  }

 private:
  std::span<const Located<std::string>> entries_;
};

struct RegistryService {
  enum class Kind : std::uint8_t { kServiceEntry, kKubeService };
  Kind kind = Kind::kServiceEntry;
  Resolution resolution = Resolution::kNone;
  bool has_addresses = false;          // spec.addresses, or a cluster IP
  bool cidr_addresses_only = false;    // every address is a CIDR wider than /32
  bool whole_space_range = false;      // cidr_addresses_only, and one range is a /0
  bool has_endpoints = false;          // spec.endpoints written and not empty
  bool has_selector = false;           // spec.workloadSelector
  bool autoallocate_disabled = false;  // label networking.istio.io/enable-autoallocate-ip=false
  bool mesh_internal = false;          // location: MESH_INTERNAL
  std::uint32_t index = 0;             // into model.service_entries or model.services
  const ObjectMeta* meta = nullptr;
  const ServiceEntry* service_entry = nullptr;  // kServiceEntry: the object
  // The hostnames: a ServiceEntry's hosts (the model's text), or
  // "<name>.<ns>.svc.cluster.local" (kept by the registry that made it).
  // Views, as every text here is: a registry, and a service built alone,
  // live no longer than the model they are built from.
  HostNames hosts;
  std::vector<ServicePort> ports;
  std::string_view alias_target;  // kAlias: spec.externalName
  Export visibility;

  std::string_view ns() const { return meta->ref.ns; }
  // Istio's order among services: creationTimestamp, then name, then
  // namespace. A Kubernetes Service has none here.
  std::string_view created() const {
    return service_entry ? std::string_view(service_entry->config.creation_timestamp.value)
                         : std::string_view();
  }
  bool IsServiceEntry() const { return kind == Kind::kServiceEntry; }
  // Where hosts[h] is written: the ServiceEntry's entry, or the Service.
  Location host_loc(std::size_t h) const { return hosts.entry(h).loc; }
  // cidr_addresses_only: the ranges, as written (else none).
  std::span<const Located<std::string>> cidr_ranges() const {
    if (!cidr_addresses_only || !service_entry) return {};
    return service_entry->addresses;
  }
};

// A reference to hosts[host] of registry service `svc`, with the ports a
// Sidecar scope imports (bit i: ports[i]; every bit: all ports).
struct HostRef {
  std::uint32_t svc = 0;
  std::uint32_t host = 0;
  std::uint64_t ports = ~std::uint64_t{0};
  friend bool operator==(const HostRef&, const HostRef&) = default;
};
inline constexpr std::uint64_t kAllPorts = ~std::uint64_t{0};
// The bit of ports[i] (ports past the 63rd share the last bit).
inline std::uint64_t PortBit(std::size_t i) { return std::uint64_t{1} << (i < 63 ? i : 63); }

class Registry {
 public:
  // The registry of `revision` ("" default): what that istiod sees.
  Registry(const MeshModel& model, std::string revision);
  // Moved, not copied: the services and the host index view the names kept
  // in kube_hosts_, which a move keeps where they are and a copy would not.
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;
  Registry(Registry&&) noexcept = default;
  Registry& operator=(Registry&&) noexcept = default;

  const std::string& revision() const { return revision_; }
  const MeshSettings& settings() const { return *settings_; }
  const std::vector<RegistryService>& services() const { return services_; }
  const RegistryService& service(std::uint32_t i) const { return services_[i]; }
  // The ServiceEntry at model.service_entries[i], when it is in this registry.
  std::optional<std::uint32_t> OfServiceEntry(std::size_t i) const;
  // Services with this exact hostname (a wildcard hostname is itself a key).
  std::span<const std::uint32_t> WithHost(std::string_view host) const;
  // Every service whose hostname covers `host` (Istio's SubsetOf of the
  // question in the service's host), with the index of that host.
  std::vector<HostRef> Covering(std::string_view host) const;

  // An ExternalName alias's concrete hostname, following aliases of aliases
  // (resolveServiceAliases); nullopt when `host` names no alias, or a loop.
  std::optional<std::string> ResolveAlias(std::string_view host) const;

  // Is the object applied by this revision's istiod: not rejected by
  // validation, and not labelled istio.io/rev for another revision.
  bool Applies(const ObjectMeta& meta, const ConfigMeta* config) const;

  // The entry model.service_entries[i] gets in the registry of `revision`
  // (whose settings are `settings`), built alone: nullopt when that
  // revision does not apply it or it has no hosts. What the constructor
  // adds for it, without building the whole registry.
  static std::optional<RegistryService> ServiceEntryService(const MeshModel& model,
                                                            const MeshSettings& settings,
                                                            std::string_view revision,
                                                            std::uint32_t i);

 private:
  void AddServiceEntry(const MeshModel& model, std::uint32_t i);
  void AddKubeService(const MeshModel& model, std::uint32_t i);

  std::string revision_;
  const MeshSettings* settings_ = nullptr;
  const MeshModel* model_ = nullptr;
  std::vector<RegistryService> services_;
  std::vector<std::optional<std::uint32_t>> of_se_;
  // The hostnames made for Kubernetes Services: a deque, whose elements
  // stay where they are as it grows.
  std::deque<Located<std::string>> kube_hosts_;
  // The services of each hostname, in service order: by_host_ gives where
  // a name's run of with_host_ starts and how long it is. One flat list,
  // not a vector a name: the index is a third of the size.
  struct HostRun {
    std::uint32_t first = 0;
    std::uint32_t count = 0;
  };
  void IndexHosts();
  std::unordered_map<std::string_view, HostRun> by_host_;  // keyed by the services' host views
  std::vector<std::uint32_t> with_host_;
};

// Visibility of a VirtualService to namespaces: its exportTo, else the mesh's
// defaultVirtualServiceExportTo.
Export VirtualServiceExport(const MeshModel& model, const MeshSettings& settings,
                            const VirtualService& vs);

}  // namespace meshlint::istio
