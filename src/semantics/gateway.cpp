// The egress gateway hop and the AuthorizationPolicies on it (istio-notes
// §2.12): the Gateway that selects the gateway's pods and has a server for
// the port and host, a VirtualService bound to that Gateway that routes the
// host, the route's destination in the gateway's registry view (services
// exported to its namespace), and the policies on the gateway pods.
#include <algorithm>
#include <charconv>

#include "semantics/hosts.h"
#include "semantics/routes.h"
#include "semantics/validity.h"

namespace meshlint::istio {

namespace {

// The pods behind a Kubernetes Service: a workload of its namespace whose
// pod labels its selector selects; when none is in the inputs, pods carrying
// exactly the selector's labels stand in for them.
const Workload* ServicePods(const MeshModel& model, const KubeService& svc) {
  if (!svc.selector.set || svc.selector.labels.empty()) return nullptr;
  const NamespaceInfo* info = model.FindNamespace(svc.meta.ref.ns);
  if (!info) return nullptr;
  for (std::size_t i : info->workloads) {
    const Workload& w = model.workloads[i];
    if (w.pod.labels.Includes(svc.selector.labels)) return &w;
  }
  return nullptr;
}

// "ns/host" or "host" (= "*/host") of a Gateway server: does it admit
// `host` for a VirtualService in `vs_ns`? Empty `vs_ns`: any namespace.
bool ServerHostAdmits(std::string_view written, std::string_view gw_ns, std::string_view host,
                      std::string_view vs_ns) {
  std::string_view ns = "*";
  std::string_view name = written;
  if (auto slash = written.find('/'); slash != std::string_view::npos) {
    ns = written.substr(0, slash);
    name = written.substr(slash + 1);
  }
  if (ns == ".") ns = gw_ns;
  if (ns != "*" && !vs_ns.empty() && ns != vs_ns) return false;
  return HostSubsetOf(host, name);
}

bool NamesGateway(const VirtualService& vs, const std::string& written, const Gateway& gw) {
  const std::string full = gw.meta.ref.ns + "/" + gw.meta.ref.name;
  if (written == full) return true;
  return written == gw.meta.ref.name && vs.meta.ref.ns == gw.meta.ref.ns;
}

// A route of `vs` that takes `host`:`port` arriving at gateway `gw`.
const Route* GatewayRoute(const VirtualService& vs, const Gateway& gw, std::uint32_t port,
                          bool tls) {
  for (const Route& r : vs.routes) {
    if ((r.kind == Route::Kind::kHttp) == tls || r.delegate) continue;
    if (r.matches.empty()) return &r;
    for (const RouteMatch& m : r.matches) {
      const bool gateway_ok = m.gateways.empty() ||
                              std::any_of(m.gateways.begin(), m.gateways.end(), [&](const auto& g) {
                                return NamesGateway(vs, g.value, gw);
                              });
      const bool port_ok = m.port.value == 0 || static_cast<std::uint32_t>(m.port.value) == port;
      if (gateway_ok && port_ok) return &r;
    }
  }
  return nullptr;
}

// The workload port a Service port forwards to: its numeric targetPort, else
// the port itself.
std::uint32_t TargetPort(const KubeService& svc, std::uint32_t port) {
  for (const KubeServicePort& p : svc.ports) {
    if (static_cast<std::uint32_t>(p.port.value) != port) continue;
    std::uint32_t target = 0;
    const std::string_view t = p.target_port.value.view();
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), target);
    if (ec == std::errc() && end == t.data() + t.size() && target != 0) return target;
  }
  return port;
}

// The VirtualService bound to `gw` that routes `host` on a server of it.
void FindGatewayRoute(const MeshModel& model, const Registry& registry, const Gateway& gw,
                      const GatewayServer& server, std::uint32_t port, std::string_view host,
                      GatewayHop& hop) {
  const bool tls = ParseProtocol(server.port.protocol.value) == Protocol::kTls;
  for (const VirtualService& vs : model.virtual_services) {
    if (!registry.Applies(vs.meta, &vs.config)) continue;
    if (!std::any_of(vs.gateways.begin(), vs.gateways.end(),
                     [&](const auto& g) { return NamesGateway(vs, g.value, gw); }))
      continue;
    if (!VirtualServiceExport(model, registry.settings(), vs).Includes(gw.meta.ref.ns)) continue;
    const bool covers = std::any_of(vs.hosts.begin(), vs.hosts.end(),
                                    [&](const auto& h) { return HostSubsetOf(host, h.value); });
    const bool admitted = std::any_of(server.hosts.begin(), server.hosts.end(), [&](const auto& h) {
      return ServerHostAdmits(h.value, gw.meta.ref.ns, host, vs.meta.ref.ns);
    });
    if (!covers || !admitted) continue;
    if (const Route* r = GatewayRoute(vs, gw, port, tls)) {
      hop.vs = &vs;
      hop.route = r;
      for (const RouteDestination& d : r->destinations)
        if (!d.mirror) {
          hop.dest = &d;
          break;
        }
      return;
    }
  }
}

}  // namespace

GatewayHop ThroughGateway(const MeshModel& model, const Registry& registry,
                          std::uint32_t gateway_service, std::uint32_t port, std::string_view host,
                          std::string_view source_ns) {
  GatewayHop hop;
  const RegistryService& svc = registry.service(gateway_service);
  if (svc.IsServiceEntry()) return hop;
  const KubeService& ks = model.services[svc.index];
  if (!ks.selector.set || ks.selector.labels.empty()) return hop;
  hop.pods = ServicePods(model, ks);
  const Labels& pod_labels = hop.pods ? hop.pods->pod.labels : ks.selector.labels;
  for (const Gateway& gw : model.gateways) {
    if (!registry.Applies(gw.meta, &gw.config) || gw.selector.labels.empty() ||
        !pod_labels.Includes(gw.selector.labels))
      continue;
    if (!hop.service)
      hop.service = &ks, hop.gateway = &gw, hop.outcome = GatewayHop::Outcome::kNoServer;
    for (const GatewayServer& server : gw.servers) {
      if (static_cast<std::uint32_t>(server.port.number.value) != port) continue;
      const bool lists = std::any_of(server.hosts.begin(), server.hosts.end(), [&](const auto& h) {
        return ServerHostAdmits(h.value, gw.meta.ref.ns, host, "");
      });
      if (!lists) continue;
      hop.gateway = &gw;
      hop.server = &server;
      hop.outcome = GatewayHop::Outcome::kNoRoute;
      FindGatewayRoute(model, registry, gw, server, port, host, hop);
      if (hop.dest) break;
    }
    if (hop.dest) break;
  }
  if (!hop.dest) return hop;
  // The gateway's registry: every service exported to its namespace.
  const std::string& gw_ns = hop.gateway->meta.ref.ns;
  for (std::uint32_t i : registry.WithHost(hop.dest->host.value))
    if (registry.service(i).visibility.Includes(gw_ns)) {
      hop.dest_service = i;
      break;
    }
  if (!hop.dest_service) {
    hop.outcome = GatewayHop::Outcome::kNoCluster;
    return hop;
  }
  const AuthzVerdict v =
      Authorize(model, registry, ks.meta.ref.ns, pod_labels, source_ns, host, TargetPort(ks, port));
  hop.policy = v.policy;
  hop.rule = v.rule;
  hop.no_allow_match = v.no_allow_match;
  hop.assumed = v.assumed;
  hop.outcome = v.allowed ? GatewayHop::Outcome::kAllowed : GatewayHop::Outcome::kDenied;
  return hop;
}

}  // namespace meshlint::istio
