// What a sidecar's outbound listeners do with a connection (istio-notes §2.10).
#include "semantics/listeners.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <utility>

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
  // CIDR addresses: 0.0.0.0:<port> whose filter chain matches those ranges
  // only (buildSidecarOutboundListener: "If its a CIDR, we listen on
  // 0.0.0.0, and setup a filter chain match for the CIDR range"); a /0
  // matches every destination.
  const bool ranges = svc.cidr_addresses_only && !svc.whole_space_range;
  if (svc.IsServiceEntry() && svc.resolution == Resolution::kNone) {
    if (svc.has_selector) return PortListener::kNone;      // no listener until endpoints exist
    if (svc.has_endpoints) return PortListener::kAddress;  // one per endpoint address
    return ranges ? PortListener::kRangePassthrough : PortListener::kPassthrough;
  }
  if (ranges) return PortListener::kAddress;
  return port.protocol == Protocol::kUnsupported ? PortListener::kSniffed : PortListener::kHijack;
}

namespace {

// An IPv4 or IPv6 literal as 16 bytes (IPv4 as ::ffff:a.b.c.d), and
// whether it was IPv4.
std::optional<std::pair<std::array<std::uint8_t, 16>, bool>> ParseIp(std::string_view text) {
  std::array<std::uint8_t, 16> out{};
  if (text.find(':') == std::string_view::npos) {
    out[10] = out[11] = 0xff;
    int part = 0;
    while (part < 4) {
      std::size_t n = 0;
      unsigned value = 0;
      while (n < text.size() && n < 4 && text[n] >= '0' && text[n] <= '9')
        value = value * 10 + static_cast<unsigned>(text[n++] - '0');
      if (n == 0 || n > 3 || value > 255) return std::nullopt;
      out[12 + part] = static_cast<std::uint8_t>(value);
      text.remove_prefix(n);
      if (++part < 4) {
        if (text.empty() || text.front() != '.') return std::nullopt;
        text.remove_prefix(1);
      }
    }
    if (!text.empty()) return std::nullopt;
    return std::pair{out, true};
  }
  // IPv6: groups of hex digits, one "::" at most (no embedded IPv4).
  std::vector<std::uint16_t> head, tail;
  bool gap = false;
  if (text.starts_with("::")) {
    gap = true;
    text.remove_prefix(2);
  }
  while (!text.empty()) {
    std::size_t n = 0;
    unsigned value = 0;
    while (n < text.size() && n < 5 && std::isxdigit(static_cast<unsigned char>(text[n]))) {
      const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(text[n++])));
      value = value * 16 + static_cast<unsigned>(c <= '9' ? c - '0' : c - 'a' + 10);
    }
    if (n == 0 || n > 4) return std::nullopt;
    (gap ? tail : head).push_back(static_cast<std::uint16_t>(value));
    text.remove_prefix(n);
    if (text.starts_with("::")) {
      if (gap) return std::nullopt;
      gap = true;
      text.remove_prefix(2);
    } else if (text.starts_with(":")) {
      text.remove_prefix(1);
      if (text.empty()) return std::nullopt;
    } else if (!text.empty()) {
      return std::nullopt;
    }
  }
  if (head.size() + tail.size() > 8 || (!gap && head.size() != 8)) return std::nullopt;
  std::vector<std::uint16_t> groups = head;
  groups.resize(8 - tail.size(), 0);
  groups.insert(groups.end(), tail.begin(), tail.end());
  for (std::size_t i = 0; i < 8; ++i) {
    out[2 * i] = static_cast<std::uint8_t>(groups[i] >> 8);
    out[2 * i + 1] = static_cast<std::uint8_t>(groups[i] & 0xff);
  }
  return std::pair{out, false};
}

}  // namespace

bool AddressInCidr(std::string_view address, std::string_view cidr) {
  const auto slash = cidr.find('/');
  if (slash == std::string_view::npos) return false;
  const auto ip = ParseIp(address);
  const auto net = ParseIp(cidr.substr(0, slash));
  if (!ip || !net || ip->second != net->second) return false;
  const std::string_view bits_text = cidr.substr(slash + 1);
  if (bits_text.empty() || bits_text.size() > 3) return false;
  unsigned bits = 0;
  for (char c : bits_text) {
    if (c < '0' || c > '9') return false;
    bits = bits * 10 + static_cast<unsigned>(c - '0');
  }
  if (bits > (net->second ? 32u : 128u)) return false;
  if (net->second) bits += 96;  // past the ::ffff: prefix
  for (unsigned i = 0; i < bits; ++i) {
    const unsigned byte = i / 8, mask = 0x80u >> (i % 8);
    if ((ip->first[byte] & mask) != (net->first[byte] & mask)) return false;
  }
  return true;
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
    case PortListener::kRangePassthrough: return "tcp-passthrough-cidr";
  }
  return "none";
}

}  // namespace meshlint::istio
