// Traffic capture: which outbound connections istio-init redirects to the
// sidecar (istio-notes §2.3; tools/istio-iptables/pkg/capture/run.go). The
// ISTIO_OUTPUT chain returns, in order, on excludeOutboundPorts, then on
// excludeOutboundIPRanges, then redirects includeOutboundPorts, then
// includeOutboundIPRanges ("*": everything left).
#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>

#include "semantics/membership.h"

namespace meshlint::istio {

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

template <typename Fn>
void ForEachItem(std::string_view text, Fn fn) {
  while (!text.empty()) {
    const auto comma = text.find(',');
    const std::string_view item = Trim(text.substr(0, comma));
    if (!item.empty()) fn(item);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
}

std::optional<std::uint32_t> Number(std::string_view s, std::uint32_t max) {
  std::uint32_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v > max) return std::nullopt;
  return v;
}

// An IPv4 CIDR as (address, prefix length).
std::optional<std::pair<std::uint32_t, std::uint32_t>> ParseV4(std::string_view cidr) {
  std::uint32_t prefix = 32;
  if (auto slash = cidr.find('/'); slash != std::string_view::npos) {
    auto p = Number(cidr.substr(slash + 1), 32);
    if (!p) return std::nullopt;
    prefix = *p;
    cidr = cidr.substr(0, slash);
  }
  std::uint32_t addr = 0;
  for (int i = 0; i < 4; ++i) {
    const auto dot = cidr.find('.');
    if ((i < 3) == (dot == std::string_view::npos)) return std::nullopt;
    auto octet = Number(cidr.substr(0, dot), 255);
    if (!octet) return std::nullopt;
    addr = (addr << 8) | *octet;
    cidr = dot == std::string_view::npos ? std::string_view() : cidr.substr(dot + 1);
  }
  return std::make_pair(addr, prefix);
}

// Private, loopback, link-local and carrier-grade NAT ranges: where a public
// host's address is taken not to be.
bool InPrivateV4(std::uint32_t addr, std::uint32_t prefix) {
  struct Range {
    std::uint32_t base;
    std::uint32_t bits;
  };
  static constexpr std::array<Range, 6> kPrivate = {{{0x0A000000u, 8},
                                                     {0xAC100000u, 12},
                                                     {0xC0A80000u, 16},
                                                     {0x64400000u, 10},
                                                     {0x7F000000u, 8},
                                                     {0xA9FE0000u, 16}}};
  for (const Range& r : kPrivate) {
    if (prefix < r.bits) continue;
    const std::uint32_t mask = r.bits == 0 ? 0 : ~std::uint32_t{0} << (32 - r.bits);
    if ((addr & mask) == r.base) return true;
  }
  return false;
}

bool IsWholeSpace(std::string_view item) {
  if (item == "*") return true;
  const auto slash = item.find('/');
  return slash != std::string_view::npos && item.substr(slash + 1) == "0";
}

// The annotation, else the revision's default value.
struct Source {
  std::string value;
  Location loc;
  bool from_annotation = false;
  std::optional<std::size_t> mesh_source;
};

Source Pick(const Workload* w, PodAnnotation a, const Setting<std::string>& fallback) {
  if (w)
    if (const Located<std::string>* v = w->pod.Annotation(a)) return {v->value, v->loc, true, {}};
  return {fallback.value, fallback.loc, false, fallback.from};
}

}  // namespace

bool IsPrivateCidr(std::string_view cidr) {
  cidr = Trim(cidr);
  if (cidr.find(':') != std::string_view::npos) {
    // IPv6: unique-local fc00::/7, link-local fe80::/10 and loopback.
    std::string lower(cidr);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return lower.starts_with("fc") || lower.starts_with("fd") || lower.starts_with("fe8") ||
           lower.starts_with("fe9") || lower.starts_with("fea") || lower.starts_with("feb") ||
           lower == "::1" || lower == "::1/128";
  }
  const auto parsed = ParseV4(cidr);
  return parsed && InPrivateV4(parsed->first, parsed->second);
}

std::vector<std::uint32_t> ParsePortList(std::string_view text) {
  std::vector<std::uint32_t> out;
  ForEachItem(text, [&](std::string_view item) {
    if (item == "*") {
      out.push_back(0);
    } else if (auto n = Number(item, 65535); n && *n != 0) {
      out.push_back(*n);
    }
  });
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool Capture::Captures(std::uint32_t port) const {
  if (none || exclude_ranges_public) return false;
  auto has = [&](const std::vector<std::uint32_t>& ports) {
    return std::find(ports.begin(), ports.end(), port) != ports.end() ||
           std::find(ports.begin(), ports.end(), 0u) != ports.end();
  };
  if (has(exclude_ports)) return false;
  if (has(include_ports)) return true;
  return !include_ranges_miss_public;
}

std::string Capture::Signature() const {
  if (CapturesAll()) return "";
  std::string out = none ? "none;" : "";
  if (exclude_ranges_public) out += "xr;";
  if (include_ranges_miss_public) out += "ir;";
  for (std::uint32_t p : exclude_ports) out += "x" + std::to_string(p) + ",";
  for (std::uint32_t p : include_ports) out += "i" + std::to_string(p) + ",";
  return out;
}

Capture PodCapture(const MeshModel& model, const Workload* w, const PodProxy& proxy) {
  Capture c;
  if (w)
    if (const Located<std::string>* mode = w->pod.Annotation(PodAnnotation::kInterceptionMode);
        mode && mode->value == "NONE") {
      c.none = true;
      c.none_loc = mode->loc;
      return c;
    }
  const InjectorSettings& values = model.SettingsForRevision(proxy.revision).injector;
  auto note = [&](const Source& s) {
    if (!s.from_annotation && s.mesh_source) c.mesh_source = s.mesh_source;
  };
  const Source xports =
      Pick(w, PodAnnotation::kExcludeOutboundPorts, values.exclude_outbound_ports);
  c.exclude_ports = ParsePortList(xports.value);
  c.exclude_ports_loc = xports.loc;
  if (!c.exclude_ports.empty()) note(xports);
  const Source iports =
      Pick(w, PodAnnotation::kIncludeOutboundPorts, values.include_outbound_ports);
  c.include_ports = ParsePortList(iports.value);
  c.include_ports_loc = iports.loc;
  const Source xranges = Pick(w, PodAnnotation::kExcludeOutboundIPRanges, values.exclude_ip_ranges);
  ForEachItem(xranges.value, [&](std::string_view item) {
    if (!IsPrivateCidr(item)) c.exclude_ranges_public = true;
  });
  if (c.exclude_ranges_public) {
    c.exclude_ranges = xranges.value;
    c.exclude_ranges_loc = xranges.loc;
    note(xranges);
  }
  const Source iranges = Pick(w, PodAnnotation::kIncludeOutboundIPRanges, values.include_ip_ranges);
  bool covers_public = false;
  ForEachItem(iranges.value, [&](std::string_view item) { covers_public |= IsWholeSpace(item); });
  if (!covers_public) {
    c.include_ranges_miss_public = true;
    c.include_ranges = iranges.value;
    c.include_ranges_loc = iranges.loc;
    note(iranges);
  }
  return c;
}

}  // namespace meshlint::istio
