// What a sidecar's outbound listeners do with a connection to host:port
// (istio-notes §2.10): pilot/pkg/networking/core/listener.go
// buildSidecarOutboundListeners / buildSidecarOutboundListener (the
// resolution-NONE wildcard, "Alias services do not get listeners"),
// tls.go buildSidecarOutboundTLSFilterChainOpts (SNI on 0.0.0.0), and
// pilot/pkg/model/service.go GetAddressForProxy (auto-allocated addresses
// are used only by proxies with DNS capture).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "model/model.h"
#include "semantics/registry.h"

namespace meshlint::istio {

// The listener one imported service port gives a sidecar.
enum class PortListener : std::uint8_t {
  kNone,     // no listener: no port, UDP, an alias (ExternalName)
  kHttp,     // 0.0.0.0:<port> HTTP, routed by Host (other hosts: the mode decides)
  kSniffed,  // protocol unset: HTTP by Host, other traffic to this service's chain
  kTls,      // matched by SNI on its hosts (other names: the mode decides)
  kAddress,  // on the service's own address (ServiceEntry addresses, cluster IP, a VIP)
  kHijack,   // 0.0.0.0:<port> raw TCP to this service: every TCP connection on the port goes to it
  kPassthrough,       // resolution NONE, no address, no endpoints, no selector: 0.0.0.0:<port>
                      // to the original destination: every destination on the port passes
  kRangePassthrough,  // resolution NONE with CIDR addresses: 0.0.0.0:<port> with a filter
                      // chain for those ranges, to the original destination: addresses in
                      // the ranges pass, others meet the other chains (the mode)
};
PortListener ListenerFor(const MeshModel& model, const RegistryService& svc,
                         const ServicePort& port, bool dns_capture);
std::string_view PortListenerName(PortListener l);
// Is `address` (an IPv4 or IPv6 literal) inside `cidr` ("10.0.0.0/8")?
// False when either does not parse.
bool AddressInCidr(std::string_view address, std::string_view cidr);

// What happens to a connection to `host`:`port`, given the service ports a
// scope imports: the first imported port listener whose service lists the
// host takes it, else the first passthrough on the port (a CIDR one only for
// an address in its ranges: a name is taken to resolve outside every range,
// its address is not known statically), else the first TCP listener that
// hijacks the port, else the outbound mode (egress/import_index.h finds it).
struct Connection {
  enum class Kind : std::uint8_t {
    kReached,      // a listener of a service that lists the host takes it
    kPassthrough,  // a resolution-NONE wildcard listener on the port passes it
    kHijacked,     // a 0.0.0.0:<port> TCP listener sends it to another service
    kMode,         // no listener takes it: the outbound mode decides
  };
  Kind kind = Kind::kMode;
  HostRef via;                   // kReached/kPassthrough/kHijacked: the service and host
  std::uint32_t port_index = 0;  // into via's service ports
  PortListener listener = PortListener::kNone;
  // kMode: some listener on the port (HTTP, TLS) saw it and did not match.
  bool port_has_listener = false;
};
}  // namespace meshlint::istio
