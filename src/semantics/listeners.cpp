// What a sidecar's outbound listeners do with a connection (istio-notes §2.10).
#include "semantics/listeners.h"

#include "semantics/hosts.h"

namespace meshlint::istio {

namespace {

// Does the sidecar listen on an address of the service's own (so that a
// connection to another host's address never meets this listener)?
bool OwnAddress(const MeshModel& model, const RegistryService& svc, bool dns_capture) {
  if (svc.resolution == Resolution::kClusterIp || svc.resolution == Resolution::kHeadless)
    return true;
  if (svc.has_addresses) return !svc.cidr_addresses_only;
  // ServiceEntries without addresses get an auto-allocated one (on by
  // default since 1.25), never with resolution NONE, and not when labelled
  // networking.istio.io/enable-autoallocate-ip=false; a sidecar uses it only
  // with DNS capture (ISTIO_META_DNS_CAPTURE).
  const bool allocated = model.istio_version.AtLeast(1, 25) &&
                         svc.resolution != Resolution::kNone &&
                         svc.resolution != Resolution::kDynamicDns && !svc.autoallocate_disabled;
  return allocated && dns_capture;
}

}  // namespace

PortListener ListenerFor(const MeshModel& model, const RegistryService& svc,
                         const ServicePort& port, bool dns_capture) {
  if (port.number == 0 || port.protocol == Protocol::kUdp || svc.resolution == Resolution::kAlias)
    return PortListener::kNone;
  if (IsHttp(port.protocol)) return PortListener::kHttp;
  if (svc.resolution == Resolution::kDynamicDns)
    return IsTls(port.protocol) ? PortListener::kTls : PortListener::kNone;
  if (OwnAddress(model, svc, dns_capture)) return PortListener::kAddress;
  if (IsTls(port.protocol)) return PortListener::kTls;
  if (svc.IsServiceEntry() && svc.resolution == Resolution::kNone) {
    if (svc.has_selector) return PortListener::kNone;      // no listener until endpoints exist
    if (svc.has_endpoints) return PortListener::kAddress;  // one per endpoint address
    return PortListener::kPassthrough;
  }
  return port.protocol == Protocol::kUnsupported ? PortListener::kSniffed : PortListener::kHijack;
}

std::string_view PortListenerName(PortListener l) {
  switch (l) {
    case PortListener::kNone: return "none";
    case PortListener::kHttp: return "http";
    case PortListener::kSniffed: return "sniffed";
    case PortListener::kTls: return "tls-sni";
    case PortListener::kAddress: return "address";
    case PortListener::kHijack: return "tcp-hijack";
    case PortListener::kPassthrough: return "tcp-passthrough";
  }
  return "none";
}

Connection Connect(const MeshModel& model, const Registry& registry,
                   const std::vector<HostRef>& imports, std::string_view host, std::uint32_t port,
                   bool dns_capture) {
  Connection reached, passthrough, hijacked, mode;
  bool have_reached = false, have_passthrough = false, have_hijacked = false;
  for (const HostRef& ref : imports) {
    const RegistryService& svc = registry.service(ref.svc);
    for (std::uint32_t i = 0; i < svc.ports.size(); ++i) {
      const ServicePort& p = svc.ports[i];
      if (p.number != port || (ref.ports & PortBit(i)) == 0) continue;
      const PortListener l = ListenerFor(model, svc, p, dns_capture);
      if (l == PortListener::kNone) continue;
      const Connection c{Connection::Kind::kMode, ref, i, l, true};
      if (HostSubsetOf(host, svc.hosts[ref.host])) {
        if (!have_reached)
          reached = c, reached.kind = Connection::Kind::kReached, have_reached = true;
      } else if (l == PortListener::kPassthrough) {
        if (!have_passthrough)
          passthrough = c, passthrough.kind = Connection::Kind::kPassthrough,
          have_passthrough = true;
      } else if (l == PortListener::kHijack) {
        if (!have_hijacked)
          hijacked = c, hijacked.kind = Connection::Kind::kHijacked, have_hijacked = true;
      } else if (l != PortListener::kAddress) {
        mode.port_has_listener = true;
      }
    }
  }
  if (have_reached) return reached;
  if (have_passthrough) return passthrough;
  if (have_hijacked) return hijacked;
  return mode;
}

bool HasHttpListener(const MeshModel& model, const Registry& registry,
                     const std::vector<HostRef>& imports, std::uint32_t port, bool dns_capture) {
  for (const HostRef& ref : imports) {
    const RegistryService& svc = registry.service(ref.svc);
    for (std::uint32_t i = 0; i < svc.ports.size(); ++i) {
      if (svc.ports[i].number != port || (ref.ports & PortBit(i)) == 0) continue;
      const PortListener l = ListenerFor(model, svc, svc.ports[i], dns_capture);
      if (l == PortListener::kHttp || l == PortListener::kSniffed) return true;
    }
  }
  return false;
}

}  // namespace meshlint::istio
