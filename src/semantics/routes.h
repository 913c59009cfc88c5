// VirtualServices, egress gateways and AuthorizationPolicies (istio-notes
// §2.11–2.12): which mesh VirtualServices a Sidecar scope imports and the
// destinations they bring in (pilot/pkg/model/virtualservice.go
// SelectVirtualServices, sidecar.go collectImportedServices,
// pickBestVisibleNamespace), how a request is routed
// (pilot/pkg/networking/core/route/route.go, including the port-80 virtual
// hosts of VirtualService hosts outside the registry), and whether an egress
// gateway lets it out (Gateway servers, the gateway's VirtualServices, the
// gateway's registry — DefaultSidecarScopeForGateway — and the
// AuthorizationPolicies on the gateway pods: authorization.go
// ListAuthorizationPolicies, security/authz/builder).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/model.h"
#include "semantics/registry.h"

namespace meshlint::istio {

// ---- Mesh VirtualServices ----

// No `gateways`, or "mesh" among them.
bool BoundToMesh(const VirtualService& vs);
// A VirtualService imported by a Sidecar scope, and the egress host that
// imports it (none: no Sidecar, or one without egress listeners).
struct ImportedVs {
  std::uint32_t vs = 0;  // into model.virtual_services
  std::optional<std::size_t> entry;
};
// The mesh VirtualServices applied by `registry`'s revision, visible to
// `config_ns` and imported by `sidecar` applied there, in the order Istio
// consults them (private to the namespace, exported to it, public; each by
// creation time, then name).
std::vector<ImportedVs> ImportedVirtualServices(const MeshModel& model, const Registry& registry,
                                                const Sidecar* sidecar, std::string_view config_ns);
// Does `vs`, visible there, get imported by `sidecar` in `config_ns`?
std::optional<ImportedVs> ImportVirtualService(const MeshModel& model, const Registry& registry,
                                               const Sidecar* sidecar, std::string_view config_ns,
                                               std::uint32_t vs);

// Does a route apply to a request from the mesh (a sidecar in `source_ns`)
// on `port` (0: any)? A route without matches applies; else one of its
// matches must: its gateways include "mesh" (or name none and the
// VirtualService is bound to the mesh), its port is unset or `port`, its
// sourceNamespace unset or `source_ns`.
bool MeshRouteApplies(const VirtualService& vs, const Route& route, std::uint32_t port,
                      std::string_view source_ns);

// The registry service a destination host names for a proxy in `config_ns`
// (collectImportedServices): the one in `config_ns`, else one visible
// there — from 1.30 a Kubernetes Service first, else the oldest
// ServiceEntry; before, the first namespace alphabetically.
std::optional<std::uint32_t> ResolveDestination(const MeshModel& model, const Registry& registry,
                                                std::string_view host, std::string_view config_ns);
// The service ports a destination keeps: its port, or all (PortBit mask).
std::uint64_t DestinationPorts(const RegistryService& svc, const RouteDestination& dest);

// The first route of the imported VirtualServices that takes a request to
// `host`:`port` (HTTP routes for kHttp, tls/tcp routes for the others), and
// its destination (the first that is not a mirror).
struct MeshRoute {
  std::uint32_t vs = 0;
  const Route* route = nullptr;
  const RouteDestination* dest = nullptr;
  std::uint32_t vs_host = 0;  // the VirtualService host that covers the request's
};
std::optional<MeshRoute> RouteRequest(const MeshModel& model,
                                      const std::vector<ImportedVs>& imported,
                                      std::string_view host, std::uint32_t port,
                                      std::string_view source_ns, Route::Kind kind);

// ---- The egress gateway hop ----

struct GatewayHop {
  enum class Outcome : std::uint8_t {
    kNotAGateway,  // the destination is no gateway's Service
    kNoServer,     // no Gateway server on the port lists the host
    kNoRoute,      // no VirtualService bound to the Gateway routes the host
    kNoCluster,    // the route's destination is not visible in the gateway's namespace: 503
    kDenied,       // an AuthorizationPolicy on the gateway denies the source namespace: 403
    kAllowed,
  };
  Outcome outcome = Outcome::kNotAGateway;
  const KubeService* service = nullptr;  // the gateway's Service
  const Workload* pods = nullptr;        // its pods' workload, when in the inputs
  const Gateway* gateway = nullptr;
  const GatewayServer* server = nullptr;
  const VirtualService* vs = nullptr;  // bound to the Gateway
  const Route* route = nullptr;
  const RouteDestination* dest = nullptr;
  std::optional<std::uint32_t> dest_service;    // in the gateway namespace's registry view
  const AuthorizationPolicy* policy = nullptr;  // the policy that decides, if one does
  const AuthzRule* rule = nullptr;              // its matching rule, if one does
  bool no_allow_match = false;                  // kDenied: ALLOW policies apply and none matches
  bool assumed = false;  // a condition meshlint does not evaluate was assumed to hold
};
// A request to `host` that a sidecar in `source_ns` sent to registry service
// `gateway_service` on `port`.
GatewayHop ThroughGateway(const MeshModel& model, const Registry& registry,
                          std::uint32_t gateway_service, std::uint32_t port, std::string_view host,
                          std::string_view source_ns);

// ---- AuthorizationPolicy ----

struct AuthzVerdict {
  bool allowed = true;
  const AuthorizationPolicy* policy = nullptr;  // DENY that matched, or an ALLOW that did
  const AuthzRule* rule = nullptr;
  bool no_allow_match = false;  // ALLOW policies apply, none matches
  bool assumed = false;
};
// The policies on a workload with `labels` in `ns` (the root namespace's and
// its own, by selector), for a request from `source_ns` to `host` on
// `port` (the workload's port). CUSTOM and conditions (`when`, request
// principals) are not evaluated: assumed to let the request through, and
// said so.
AuthzVerdict Authorize(const MeshModel& model, const Registry& registry, std::string_view ns,
                       const Labels& labels, std::string_view source_ns, std::string_view host,
                       std::uint32_t port);

}  // namespace meshlint::istio
