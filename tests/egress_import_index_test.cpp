// The egress import index (src/egress/import_index.h) and the shared
// VirtualService lists (src/egress/public_routes.cpp) against a plain walk.
// Random small meshes (seeded, so every run builds the same ones): for every
// row, what it imports is computed here from Istio's rules, one imported
// object after another (pilot/pkg/model/sidecar.go: a Sidecar's egress hosts
// select the services and VirtualServices exported to the namespace;
// push_context.go: exportTo), and for every host[:port] the answer is
// walked over those imports as the listeners take a connection (the first
// listener of a service that lists the host, else the first passthrough,
// else the first TCP listener on the port, else the outbound mode). The
// analysis's answer must be the same: the verdict and every object it
// names.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "egress/diff.h"
#include "egress/egress.h"
#include "egress/pairs.h"
#include "report/egress_diff.h"
#include "report/egress_graph.h"
#include "report/egress_report.h"
#include "semantics/istio.h"
#include "test_util.h"

namespace meshlint::testing {
namespace {

using egress::EgressAnalysis;
using egress::Scope;
using egress::Verdict;
using istio::Connection;
using istio::HostRef;
using istio::PortListener;

// A small deterministic generator (the standard distributions differ
// between standard libraries).
class Rand {
 public:
  explicit Rand(std::uint64_t seed) : state_(seed * 0x9E3779B97F4A7C15ull + 1) {}
  std::uint32_t Below(std::uint32_t n) {
    state_ ^= state_ << 13;
    state_ ^= state_ >> 7;
    state_ ^= state_ << 17;
    return static_cast<std::uint32_t>(state_ % n);
  }
  bool Chance(std::uint32_t percent) { return Below(100) < percent; }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[Below(static_cast<std::uint32_t>(v.size()))];
  }

 private:
  std::uint64_t state_;
};

const std::vector<std::string> kNamespaces = {"ns-a", "ns-b", "ns-c"};
const std::vector<std::string> kSeHosts = {"a.example.com", "b.example.com", "*.example.com",
                                           "*.b.example.com", "c.example.org"};
const std::vector<std::string> kExportTo = {"",
                                            "exportTo: [\"*\"]",
                                            "exportTo: [\".\"]",
                                            "exportTo: [ns-b]",
                                            "exportTo: [\".\", ns-c]",
                                            "exportTo: [\"~\"]"};
const std::vector<std::string> kPorts = {
    "{number: 80, name: http, protocol: HTTP}", "{number: 443, name: tls, protocol: TLS}",
    "{number: 8080, name: tcp, protocol: TCP}", "{number: 9000, name: other}",
    "{number: 443, name: https, protocol: HTTPS}"};
const std::vector<std::string> kSidecarHosts = {"./*",
                                                "*/*",
                                                "*/a.example.com",
                                                "ns-a/*",
                                                "ns-b/*.example.com",
                                                "ns-c/*.b.example.com",
                                                "~/b.example.com",
                                                "istio-system/*",
                                                "*/c.example.org"};
const std::vector<std::string> kVsHosts = {"a.example.com", "*.example.com", "c.example.org",
                                           "out.example.net", "x.b.example.com"};
const std::vector<std::string> kVsDest = {"a.example.com", "b.example.com", "c.example.org",
                                          "nowhere.example.net"};
const std::vector<std::string> kGateways = {"", "gateways: [mesh]",
                                            "gateways: [istio-system/egress]",
                                            "gateways: [mesh, istio-system/egress]"};

std::string ServiceEntry(Rand& r, int i) {
  std::ostringstream o;
  o << "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: se-" << i
    << "\n  namespace: " << r.Pick(kNamespaces) << "\nspec:\n  hosts: [" << r.Pick(kSeHosts);
  if (r.Chance(30)) o << ", " << r.Pick(kSeHosts);
  o << "]\n";
  if (const std::string& e = r.Pick(kExportTo); !e.empty()) o << "  " << e << "\n";
  const bool none = r.Chance(50);
  o << "  resolution: " << (none ? "NONE" : "DNS") << "\n";
  if (r.Chance(40)) {
    const std::vector<std::string> addresses = {"10.0.0.0/8", "192.168.1.1", "0.0.0.0/0",
                                                "172.16.0.0/12"};
    o << "  addresses: [" << r.Pick(addresses) << "]\n";
  }
  if (r.Chance(85)) {
    o << "  ports:\n";
    std::set<std::string> used;
    for (std::uint32_t k = 0, n = 1 + r.Below(3); k < n; ++k) {
      const std::string& p = r.Pick(kPorts);
      if (used.insert(p).second) o << "  - " << p << "\n";
    }
  }
  return o.str();
}

std::string SidecarFor(Rand& r, const std::string& ns) {
  std::ostringstream o;
  o << "apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata:\n  name: default\n"
    << "  namespace: " << ns << "\nspec:\n";
  if (r.Chance(30)) {
    o << "  outboundTrafficPolicy:\n    mode: " << (r.Chance(50) ? "ALLOW_ANY" : "REGISTRY_ONLY")
      << "\n";
  }
  if (r.Chance(15)) return o.str();  // no egress: imports everything
  o << "  egress:\n";
  for (std::uint32_t l = 0, n = 1 + r.Below(2); l < n; ++l) {
    o << "  - ";
    if (r.Chance(35)) {
      o << "port: " << r.Pick(kPorts) << "\n    ";
    }
    o << "hosts: [\"" << r.Pick(kSidecarHosts) << "\"";
    for (std::uint32_t k = 0, m = r.Below(3); k < m; ++k)
      o << ", \"" << r.Pick(kSidecarHosts) << "\"";
    o << "]\n";
  }
  return o.str();
}

std::string VirtualServiceDoc(Rand& r, int i) {
  std::ostringstream o;
  o << "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: vs-" << i
    << "\n  namespace: " << r.Pick(kNamespaces) << "\nspec:\n  hosts: [" << r.Pick(kVsHosts)
    << "]\n";
  if (const std::string& e = r.Pick(kExportTo); !e.empty()) o << "  " << e << "\n";
  if (const std::string& g = r.Pick(kGateways); !g.empty()) o << "  " << g << "\n";
  const std::string dest = r.Pick(kVsDest);
  const std::string port = r.Chance(40) ? "\n        port: {number: 443}" : "";
  if (r.Chance(70)) {
    o << "  http:\n  - ";
    if (r.Chance(25)) o << "match:\n    - sourceNamespace: " << r.Pick(kNamespaces) << "\n    ";
    o << "route:\n    - destination:\n        host: " << dest << port << "\n";
  } else {
    o << "  tls:\n  - match:\n    - port: 443\n      sniHosts: [" << r.Pick(kVsHosts)
      << "]\n    route:\n    - destination:\n        host: " << dest << port << "\n";
  }
  return o.str();
}

std::vector<std::pair<std::string, std::string>> RandomMesh(std::uint64_t seed) {
  Rand r(seed);
  std::vector<std::pair<std::string, std::string>> files;
  std::string mesh =
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: istio\n  namespace: istio-system\n"
      "data:\n  mesh: |-\n    outboundTrafficPolicy:\n      mode: ";
  files.emplace_back("mesh.yaml", mesh + (r.Chance(60) ? "REGISTRY_ONLY\n" : "ALLOW_ANY\n"));
  for (const std::string& ns : kNamespaces) {
    files.emplace_back(ns + ".yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + ns +
                                         "\n  labels:\n    istio-injection: enabled\n");
    if (r.Chance(45)) files.emplace_back(ns + "-sidecar.yaml", SidecarFor(r, ns));
  }
  for (int i = 0, n = 1 + static_cast<int>(r.Below(6)); i < n; ++i)
    files.emplace_back("se-" + std::to_string(i) + ".yaml", ServiceEntry(r, i));
  for (int i = 0, n = static_cast<int>(r.Below(4)); i < n; ++i)
    files.emplace_back("vs-" + std::to_string(i) + ".yaml", VirtualServiceDoc(r, i));
  return files;
}

// ---- The reference: plain walks over a row's imported objects ----

bool RefLess(const HostRef& a, const HostRef& b) {
  return std::tie(a.svc, a.host) < std::tie(b.svc, b.host);
}

std::vector<HostRef> Collapse(std::vector<HostRef> all) {
  std::sort(all.begin(), all.end(), RefLess);
  std::vector<HostRef> out;
  for (const HostRef& h : all) {
    if (!out.empty() && out.back().svc == h.svc && out.back().host == h.host)
      out.back().ports |= h.ports;
    else out.push_back(h);
  }
  return out;
}

struct RowRef {
  std::vector<HostRef> imports;  // sorted, each (service, host) once
  std::vector<istio::ImportedVs> virtual_services;
};

// Every service host the row's Sidecar imports among those exported to its
// namespace, and the destinations of the VirtualServices it imports.
RowRef ImportsOf(const MeshModel& m, const istio::Registry& reg, const Scope& s) {
  RowRef out;
  std::vector<HostRef> all;
  for (std::uint32_t i = 0; i < reg.services().size(); ++i) {
    const istio::RegistryService& svc = reg.service(i);
    if (!svc.visibility.Includes(s.ns)) continue;
    for (std::uint32_t h = 0; h < svc.hosts.size(); ++h) {
      const istio::ImportDecision d = istio::SidecarImports(m, s.sidecar, s.ns, svc, h);
      if (d.imports() || (d.entry && svc.ports.empty())) all.push_back({i, h, d.ports});
    }
  }
  out.virtual_services = istio::ImportedVirtualServices(m, reg, s.sidecar, s.ns);
  for (const istio::ImportedVs& iv : out.virtual_services)
    for (const Route& r : m.virtual_services[iv.vs].routes) {
      bool applies = r.matches.empty();
      for (const RouteMatch& match : r.matches)
        applies |= match.source_namespace.value.empty() || match.source_namespace.value == s.ns;
      if (!applies) continue;
      for (const RouteDestination& d : r.destinations) {
        const auto svc = istio::ResolveDestination(m, reg, d.host.value, s.ns);
        if (!svc) continue;
        const std::uint64_t ports = istio::DestinationPorts(reg.service(*svc), d);
        if (ports == 0) continue;
        for (std::uint32_t h = 0; h < reg.service(*svc).hosts.size(); ++h)
          if (reg.service(*svc).hosts[h] == d.host.value) all.push_back({*svc, h, ports});
      }
    }
  out.imports = Collapse(std::move(all));
  return out;
}

bool InRanges(const istio::RegistryService& svc, std::string_view host) {
  const auto ranges = svc.cidr_ranges();
  return std::any_of(ranges.begin(), ranges.end(),
                     [&](const auto& r) { return istio::AddressInCidr(host, r.value); });
}

// Each imported port listener on `port`, in import order.
template <typename Visit>
void Listeners(const MeshModel& m, const istio::Registry& reg, const Scope& s, const RowRef& row,
               std::uint32_t port, Visit visit) {
  for (const HostRef& ref : row.imports) {
    const istio::RegistryService& svc = reg.service(ref.svc);
    for (std::uint32_t i = 0; i < svc.ports.size(); ++i) {
      if (!(ref.ports & istio::PortBit(i)) || (port && svc.ports[i].number != port)) continue;
      const PortListener l = istio::ListenerFor(m, svc, svc.ports[i], s.dns_capture);
      if (l != PortListener::kNone) visit(ref, i, l);
    }
  }
}

Connection Connect(const MeshModel& m, const istio::Registry& reg, const Scope& s,
                   const RowRef& row, std::string_view host, std::uint32_t port) {
  std::optional<Connection> reached, passthrough, hijacked;
  Connection mode;
  Listeners(m, reg, s, row, port, [&](const HostRef& ref, std::uint32_t i, PortListener l) {
    const istio::RegistryService& svc = reg.service(ref.svc);
    const Connection c{Connection::Kind::kMode, ref, i, l, true};
    if (istio::HostSubsetOf(host, svc.hosts[ref.host])) {
      if (!reached) reached = c, reached->kind = Connection::Kind::kReached;
    } else if (l == PortListener::kPassthrough ||
               (l == PortListener::kRangePassthrough && InRanges(svc, host))) {
      if (!passthrough) passthrough = c, passthrough->kind = Connection::Kind::kPassthrough;
    } else if (l == PortListener::kHijack) {
      if (!hijacked) hijacked = c, hijacked->kind = Connection::Kind::kHijacked;
    } else if (l == PortListener::kHttp || l == PortListener::kSniffed || l == PortListener::kTls) {
      mode.port_has_listener = true;
    }
  });
  if (reached) return *reached;
  if (passthrough) return *passthrough;
  if (hijacked) return *hijacked;
  return mode;
}

bool Covers(const istio::Registry& reg, const RowRef& row, std::string_view host) {
  return std::any_of(row.imports.begin(), row.imports.end(), [&](const HostRef& ref) {
    return istio::HostSubsetOf(host, reg.service(ref.svc).hosts[ref.host]);
  });
}

bool HttpListenerOn(const MeshModel& m, const istio::Registry& reg, const Scope& s,
                    const RowRef& row, std::uint32_t port) {
  bool http = false;
  Listeners(m, reg, s, row, port, [&](const HostRef&, std::uint32_t, PortListener l) {
    http |= l == PortListener::kHttp || l == PortListener::kSniffed;
  });
  return http;
}

// The answer on one port, as src/egress/answer.cpp words Istio's steps,
// with every question about the imports a walk; what follows the listener
// (route, destination, gateway hop, mode) does not ask the imports and is
// the product's own Conclude.
Verdict AnswerPort(const MeshModel& m, const istio::Registry& reg, const Scope& s,
                   const RowRef& row, std::string_view host, std::uint32_t port) {
  Verdict v;
  v.port = port;
  if (!s.capture.Captures(port)) {
    v.reachable = true;
    v.via = Verdict::Via::kCaptureBypass;
    return v;
  }
  v.connection = Connect(m, reg, s, row, host, port);
  const Connection& c = v.connection;
  std::vector<istio::ImportedVs> routing;
  for (const istio::ImportedVs& iv : row.virtual_services)
    for (const auto& h : m.virtual_services[iv.vs].hosts)
      if (istio::HostSubsetOf(host, h.value)) {
        routing.push_back(iv);
        break;
      }
  std::optional<istio::MeshRoute> route;
  if (c.kind == Connection::Kind::kReached) {
    const istio::Protocol p = reg.service(c.via.svc).ports[c.port_index].protocol;
    const Route::Kind kind = istio::IsTls(p)        ? Route::Kind::kTls
                             : istio::IsPlainTcp(p) ? Route::Kind::kTcp
                                                    : Route::Kind::kHttp;
    route = istio::RouteRequest(m, routing, host, port, s.ns, kind);
  } else if (port == 80 && !Covers(reg, row, host) && HttpListenerOn(m, reg, s, row, 80)) {
    route = istio::RouteRequest(m, routing, host, port, s.ns, Route::Kind::kHttp);
  }
  return Conclude(m, reg, s, host, std::move(route), std::move(v));
}

// Without a port: the host's own imported ports (sorted), the ports open to
// every destination, 80 when a VirtualService could route it, the bypassed
// ports, and 443 and 80 when the mode or the capture lets anything out; the
// first reachable answer, else the first.
Verdict Answer(const MeshModel& m, const istio::Registry& reg, const Scope& s, const RowRef& row,
               std::string_view host, std::uint32_t port) {
  if (port) {
    Verdict one = AnswerPort(m, reg, s, row, host, port);
    one.port_given = true;
    return one;
  }
  std::vector<std::uint32_t> candidates;
  for (const HostRef& ref : row.imports) {
    const istio::RegistryService& svc = reg.service(ref.svc);
    if (!istio::HostSubsetOf(host, svc.hosts[ref.host])) continue;
    for (std::uint32_t i = 0; i < svc.ports.size(); ++i)
      if (ref.ports & istio::PortBit(i)) candidates.push_back(svc.ports[i].number);
  }
  std::sort(candidates.begin(), candidates.end());
  std::set<std::uint32_t> open;
  Listeners(m, reg, s, row, 0, [&](const HostRef& ref, std::uint32_t i, PortListener l) {
    if (l == PortListener::kPassthrough || l == PortListener::kRangePassthrough)
      open.insert(reg.service(ref.svc).ports[i].number);
  });
  for (std::uint32_t p : s.capture.exclude_ports)
    if (p) open.insert(p);
  candidates.insert(candidates.end(), open.begin(), open.end());
  const bool routed = std::any_of(
      row.virtual_services.begin(), row.virtual_services.end(), [&](const istio::ImportedVs& iv) {
        const auto& hosts = m.virtual_services[iv.vs].hosts;
        return std::any_of(hosts.begin(), hosts.end(),
                           [&](const auto& h) { return istio::HostSubsetOf(host, h.value); });
      });
  if (routed) candidates.push_back(80);
  for (std::uint32_t p : s.capture.exclude_ports)
    if (p) candidates.push_back(p);
  if (AllowsAny(s.mode) || s.capture.CapturesNone()) {
    candidates.push_back(443);
    candidates.push_back(80);
  }
  std::set<std::uint32_t> tried;
  std::optional<Verdict> first;
  for (std::uint32_t p : candidates) {
    if (!tried.insert(p).second) continue;
    Verdict one = AnswerPort(m, reg, s, row, host, p);
    if (one.reachable) return one;
    if (!first) first = one;
  }
  if (first) return *first;
  Verdict none;
  none.block = Verdict::Block::kRegistryOnly;
  return none;
}

// ---- Comparing ----

std::string Describe(const MeshModel& m, const istio::Registry& reg, const Verdict& v) {
  std::ostringstream o;
  o << "reachable=" << v.reachable << " via=" << static_cast<int>(v.via)
    << " block=" << static_cast<int>(v.block) << " port=" << v.port << " given=" << v.port_given;
  const Connection& c = v.connection;
  o << " connection=" << static_cast<int>(c.kind);
  if (c.kind != Connection::Kind::kMode)
    o << ":" << reg.service(c.via.svc).meta->ref.name << "/"
      << reg.service(c.via.svc).hosts[c.via.host] << " ports=" << std::hex << c.via.ports
      << std::dec << " index=" << c.port_index
      << " listener=" << istio::PortListenerName(c.listener);
  else o << " has_listener=" << c.port_has_listener;
  if (v.route) {
    const VirtualService& vs = m.virtual_services[v.route->vs];
    o << " route=" << vs.meta.ref.name << " r" << (v.route->route - vs.routes.data()) << " d"
      << (v.route->dest - v.route->route->destinations.data()) << " h" << v.route->vs_host;
  }
  if (v.route_target)
    o << " target=" << reg.service(v.route_target->svc).meta->ref.name << " ports=" << std::hex
      << v.route_target->ports << std::dec;
  if (v.hop) o << " hop=" << static_cast<int>(v.hop->outcome);
  return o.str();
}

std::string DescribeImports(const istio::Registry& reg, const std::vector<HostRef>& refs) {
  std::string out;
  for (const HostRef& h : refs) {
    std::ostringstream o;
    o << reg.service(h.svc).meta->ref.ns << "/" << reg.service(h.svc).meta->ref.name << ":"
      << reg.service(h.svc).hosts[h.host] << "=" << std::hex << h.ports << " ";
    out += o.str();
  }
  return out;
}

std::string MeshText(const std::vector<std::pair<std::string, std::string>>& files) {
  std::string out;
  for (const auto& [name, text] : files) out += "# " + name + "\n" + text + "---\n";
  return out;
}

const std::vector<std::string> kAskedHosts = {"a.example.com",   "b.example.com", "x.example.com",
                                              "x.b.example.com", "c.example.org", "out.example.net",
                                              "10.1.2.3",        "192.168.1.1",   "*.example.com"};
const std::vector<std::uint32_t> kAskedPorts = {0, 80, 443, 8080, 9000};

// Returns the number of rows compared; the first disagreement fails the test
// with the mesh that shows it.
int CompareSeed(std::uint64_t seed) {
  const auto files = RandomMesh(seed);
  const MeshModel m = LoadFiles(files);
  const EgressAnalysis a(m);
  int rows = 0;
  for (const Scope& s : a.scopes()) {
    if (!s.mediated()) continue;
    ++rows;
    const istio::Registry& reg = a.RegistryOf(s);
    const RowRef row = ImportsOf(m, reg, s);
    std::vector<HostRef> analysed(s.shared->begin(), s.shared->end());
    analysed.insert(analysed.end(), s.own.begin(), s.own.end());
    const std::vector<HostRef> merged = Collapse(std::move(analysed));
    if (merged != row.imports) {
      ADD_FAILURE() << "seed " << seed << " row " << s.ns
                    << ": imports\n  analysis:  " << DescribeImports(reg, merged)
                    << "\n  reference: " << DescribeImports(reg, row.imports) << "\n"
                    << MeshText(files);
      return rows;
    }
    std::vector<std::uint32_t> got, want;
    for (const auto& iv : s.virtual_services) got.push_back(iv.vs);
    for (const auto& iv : row.virtual_services) want.push_back(iv.vs);
    if (got != want) {
      ADD_FAILURE() << "seed " << seed << " row " << s.ns << ": VirtualServices differ\n"
                    << MeshText(files);
      return rows;
    }
    for (const std::string& host : kAskedHosts)
      for (std::uint32_t port : kAskedPorts) {
        const std::string index = Describe(m, reg, a.Answer(s, host, port));
        const std::string walk = Describe(m, reg, Answer(m, reg, s, row, host, port));
        if (index != walk) {
          ADD_FAILURE() << "seed " << seed << " row " << s.ns << " asks " << host << ":" << port
                        << "\n  index: " << index << "\n  walk:  " << walk << "\n"
                        << MeshText(files);
          return rows;
        }
      }
  }
  return rows;
}

TEST(EgressImportIndex, AnswersAsAPlainWalkOverTheImports) {
  int rows = 0;
  for (std::uint64_t seed = 1; seed <= 1500 && !HasFailure(); ++seed) rows += CompareSeed(seed);
  // The meshes have rows to compare (a generator that made none would pass).
  EXPECT_GT(rows, 3000);
}

// The routed hosts a row reports are the same whether its list is shared
// with the rows that route alike or computed for it alone.
TEST(EgressImportIndex, SharedRoutedHostsAreEachRowsOwn) {
  for (std::uint64_t seed = 1; seed <= 400; ++seed) {
    const auto files = RandomMesh(seed);
    const MeshModel m = LoadFiles(files);
    const EgressAnalysis a(m);
    for (const Scope& s : a.scopes()) {
      if (!s.mediated()) continue;
      const istio::Registry& reg = a.RegistryOf(s);
      const RowRef row = ImportsOf(m, reg, s);
      std::string got, want;
      // What a report says of a routed host.
      const auto line = [&](std::string_view host, std::uint32_t port, std::uint32_t vs,
                            const RouteDestination* dest, bool reachable, bool through,
                            const Gateway* gateway) {
        return std::string(host) + ":" + std::to_string(port) + " vs " +
               m.virtual_services[vs].meta.ref.name + " to " + dest->host.value +
               (reachable ? " reachable" : " blocked") + (through ? " through " : "") +
               (gateway ? gateway->meta.ref.name : "") + "\n";
      };
      for (const egress::RoutedHost& r : a.RoutedHosts(s))
        got += line(r.host, r.port, r.vs, r.dest, r.reachable, r.gateway != nullptr, r.gateway);
      std::set<std::pair<std::string, std::uint32_t>> seen;
      for (const istio::ImportedVs& iv : row.virtual_services)
        for (const auto& h : m.virtual_services[iv.vs].hosts) {
          if (h.value.find(".svc.") != std::string::npos ||
              h.value.find('.') == std::string::npos || istio::IsWildcardHost(h.value))
            continue;
          const Verdict v = Answer(m, reg, s, row, h.value, 0);
          if (!v.route || !seen.insert({h.value, v.port}).second) continue;
          want += line(h.value, v.port, v.route->vs, v.route->dest, v.reachable, v.hop.has_value(),
                       v.hop ? v.hop->gateway : nullptr);
        }
      ASSERT_EQ(got, want) << "seed " << seed << " row " << s.ns << "\n" << MeshText(files);
    }
  }
}

nlohmann::json EgressJson(const EgressAnalysis& a, bool expand) {
  EgressReportOptions o;
  o.expand = expand;
  std::ostringstream out;
  WriteEgressJson(out, a, o);
  return nlohmann::json::parse(out.str());
}

// The grouped JSON's routes of a row, its route groups expanded in their
// order, are the --expand JSON's routes of that row, and --expand names no
// group.
TEST(EgressImportIndex, RouteGroupsExpandToTheFlatRoutes) {
  std::size_t grouped_rows = 0, routed_rows = 0;
  for (std::uint64_t seed = 1; seed <= 400; ++seed) {
    // The random mesh, plus two namespaces without a Sidecar and a
    // VirtualService exported to every namespace, so that most meshes
    // have rows that route alike.
    auto files = RandomMesh(seed);
    Rand r(seed + 7919);
    for (const char* ns : {"ns-d", "ns-e"})
      files.emplace_back(std::string(ns) + ".yaml",
                         "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + std::string(ns) +
                             "\n  labels:\n    istio-injection: enabled\n");
    files.emplace_back("vs-public.yaml",
                       "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n"
                       "  name: public\n  namespace: ns-d\nspec:\n  hosts: [public.example.net]\n"
                       "  http:\n  - route:\n    - destination:\n        host: " +
                           r.Pick(kVsDest) + "\n");
    const MeshModel m = LoadFiles(files);
    const EgressAnalysis a(m);
    const nlohmann::json grouped = EgressJson(a, false);
    const nlohmann::json flat = EgressJson(a, true);
    ASSERT_EQ(flat["routeGroups"], nlohmann::json::array());
    std::map<std::string, nlohmann::json> groups;
    for (const auto& g : grouped["routeGroups"]) {
      ASSERT_FALSE(g["routes"].empty()) << "seed " << seed;
      groups[g["id"].get<std::string>()] = g["routes"];
    }
    ASSERT_EQ(grouped["namespaces"].size(), flat["namespaces"].size());
    for (std::size_t n = 0; n < flat["namespaces"].size(); ++n) {
      const auto& rows = grouped["namespaces"][n]["rows"];
      const auto& flat_rows = flat["namespaces"][n]["rows"];
      ASSERT_EQ(rows.size(), flat_rows.size());
      for (std::size_t r = 0; r < rows.size(); ++r) {
        if (!flat_rows[r].contains("routes")) {
          EXPECT_FALSE(rows[r].contains("routes")) << "seed " << seed;
          continue;
        }
        EXPECT_EQ(flat_rows[r]["routeGroups"], nlohmann::json::array());
        nlohmann::json expanded = rows[r]["routes"];
        for (const auto& id : rows[r]["routeGroups"]) {
          ASSERT_TRUE(groups.count(id.get<std::string>())) << "seed " << seed << " " << id;
          for (const auto& route : groups[id.get<std::string>()]) expanded.push_back(route);
          ++grouped_rows;
        }
        if (!expanded.empty()) ++routed_rows;
        ASSERT_EQ(expanded, flat_rows[r]["routes"])
            << "seed " << seed << " namespace " << flat["namespaces"][n]["name"] << "\n"
            << MeshText(files);
      }
    }
  }
  // The meshes route, and some rows share a group (else this compares
  // nothing grouped).
  EXPECT_GT(routed_rows, 100u);
  EXPECT_GT(grouped_rows, 40u);
}

// ---- `meshlint egress --base` against the flat pairs ----
// The reference: every row's pairs (its Reachable hosts on each imported
// port, or "*"), sorted, each once, as the diff computed them before sources
// shared their lists; a pair is reached by a side that lists it or lists "*"
// for its source (a workload group the side lacks: its namespace).
std::vector<egress::Pair> FlatPairs(const EgressAnalysis& a) {
  std::vector<egress::Pair> out;
  for (const Scope& s : a.scopes()) {
    if (s.gateway()) continue;
    const std::string workload =
        s.workload_scoped && s.sidecar ? "Sidecar/" + s.sidecar->meta.ref.name : "";
    if (AllowsAny(s.mode) || s.unmediated()) {
      out.push_back({s.ns, workload, egress::kAnyHost, 0, ""});
      continue;
    }
    for (const HostRef& h : a.Reachable(s)) {
      const istio::RegistryService& svc = a.Service(s, h);
      for (std::size_t i = 0; i < svc.ports.size(); ++i)
        if (h.ports & istio::PortBit(i))
          out.push_back({s.ns, workload, std::string(a.HostName(s, h)), svc.ports[i].number,
                         std::string(istio::ProtocolName(svc.ports[i].protocol))});
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

struct FlatDiff {
  std::vector<std::string> opened, closed;
  std::size_t base_pairs = 0, head_pairs = 0, unchanged = 0;
};

std::string Describe(const egress::Pair& p) {
  return p.ns + "|" + p.workload + "|" + p.host + ":" + std::to_string(p.port) + "|" + p.protocol;
}

FlatDiff FlatEgressDiff(const EgressAnalysis& base, const EgressAnalysis& head) {
  auto sources = [](const EgressAnalysis& a) {
    std::set<std::pair<std::string, std::string>> out;
    for (const Scope& s : a.scopes())
      if (!s.gateway())
        out.emplace(s.ns,
                    s.workload_scoped && s.sidecar ? "Sidecar/" + s.sidecar->meta.ref.name : "");
    return out;
  };
  const std::vector<egress::Pair> before = FlatPairs(base), after = FlatPairs(head);
  const auto before_sources = sources(base), after_sources = sources(head);
  auto reaches = [](const std::vector<egress::Pair>& pairs,
                    const std::set<std::pair<std::string, std::string>>& srcs, egress::Pair key) {
    if (!key.workload.empty() && !srcs.count({key.ns, key.workload})) key.workload.clear();
    if (std::binary_search(pairs.begin(), pairs.end(), key)) return true;
    key.host = egress::kAnyHost;
    key.port = 0;
    return std::binary_search(pairs.begin(), pairs.end(), key);
  };
  FlatDiff d;
  d.base_pairs = before.size();
  d.head_pairs = after.size();
  for (const egress::Pair& p : after)
    if (!reaches(before, before_sources, p)) d.opened.push_back(Describe(p));
  for (const egress::Pair& p : before)
    if (!reaches(after, after_sources, p)) d.closed.push_back(Describe(p));
  d.unchanged = after.size() - d.opened.size();
  return d;
}

// A random edit of a random mesh: a file replaced by another of its kind,
// removed, or one added; namespaces without a Sidecar (so rows share host
// groups) and a workload-scoped Sidecar on either side or both.
std::vector<std::pair<std::string, std::string>> WithSharedRows(
    std::vector<std::pair<std::string, std::string>> files, Rand& r, bool workload_sidecar) {
  for (const char* ns : {"ns-d", "ns-e", "ns-f"})
    files.emplace_back(std::string(ns) + ".yaml",
                       "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + std::string(ns) +
                           "\n  labels:\n    istio-injection: enabled\n");
  if (workload_sidecar)
    files.emplace_back("ws.yaml", SidecarFor(r, r.Pick(kNamespaces)) +
                                      "  workloadSelector:\n    labels: {app: web}\n");
  // Rename the workload-scoped Sidecar so it is not its namespace's default.
  for (auto& [name, text] : files)
    if (name == "ws.yaml") text.replace(text.find("name: default"), 13, "name: web");
  return files;
}

std::vector<std::pair<std::string, std::string>> Edited(
    std::vector<std::pair<std::string, std::string>> files, Rand& r) {
  for (std::uint32_t e = 0, n = 1 + r.Below(3); e < n; ++e) {
    const std::uint32_t what = r.Below(5);
    const std::size_t at = r.Below(static_cast<std::uint32_t>(files.size()));
    const int fresh = 10 + static_cast<int>(r.Below(10));
    if (what == 0 && files.size() > 1) {
      files.erase(files.begin() + static_cast<std::ptrdiff_t>(at));
    } else if (what == 1) {
      files.emplace_back("se-" + std::to_string(fresh) + ".yaml", ServiceEntry(r, fresh));
    } else if (what == 2) {
      const std::string& ns = r.Pick(kNamespaces);
      files.emplace_back(ns + "-sidecar2.yaml", SidecarFor(r, ns));
    } else if (files[at].first.starts_with("se-")) {
      files[at].second = ServiceEntry(r, fresh);
    } else if (files[at].first == "mesh.yaml") {
      std::string& t = files[at].second;
      const auto p = t.find("mode: ");
      t = t.substr(0, p) + (t.find("ALLOW_ANY", p) != std::string::npos ? "mode: REGISTRY_ONLY\n"
                                                                        : "mode: ALLOW_ANY\n");
    } else {
      files.emplace_back("vs-" + std::to_string(fresh) + ".yaml", VirtualServiceDoc(r, fresh));
    }
  }
  return files;
}

struct DiffCounts {
  std::size_t opened = 0, closed = 0, grouped = 0, beyond = 0, removed = 0, group_changed = 0;
  std::size_t group_and_own = 0;  // sources with their group's targets and their own
};

using Files = std::vector<std::pair<std::string, std::string>>;

// The diff and the pictures of two meshes from the shared lists are those
// of the flat pairs.
void CompareWithFlat(const Files& base_files, const Files& head_files, std::uint64_t seed,
                     DiffCounts& counts) {
  std::size_t& opened = counts.opened;
  std::size_t& closed = counts.closed;
  std::size_t& grouped = counts.grouped;
  std::size_t& beyond = counts.beyond;
  const MeshModel bm = LoadFiles(base_files), hm = LoadFiles(head_files);
  const EgressAnalysis base(bm), head(hm);
  for (const EgressAnalysis* a : {&base, &head})
    for (const Scope& s : a->scopes()) {
      if (!s.mediated() || !a->GroupOf(s)) continue;
      ++grouped;
      if (!a->ReachableBeyondGroup(s).empty()) ++beyond;
    }
  // The picture's pairs (markdown, html) are the flat ones, protocols too.
  for (const EgressAnalysis* a : {&base, &head}) {
    std::vector<std::string> got, want;
    for (const egress::Pair& p : egress::FlattenPairs(*a)) got.push_back(Describe(p));
    for (const egress::Pair& p : FlatPairs(*a)) want.push_back(Describe(p));
    ASSERT_EQ(got, want) << "seed " << seed << "\n"
                         << MeshText(a == &base ? base_files : head_files);
    // The Markdown picture from the shared lists is the one of the pairs,
    // and so is its graph cut short.
    std::ostringstream flat, shared;
    WriteEgressPictureMarkdown(flat, FlatPairs(*a));
    WriteEgressPictureMarkdown(shared, egress::TargetsBySource(*a));
    ASSERT_EQ(shared.str(), flat.str()) << "seed " << seed;
    std::vector<std::pair<egress::Pair, EdgeKind>> edges;
    for (const egress::Pair& p : FlatPairs(*a)) edges.push_back({p, EdgeKind::kReaches});
    for (std::size_t max : {std::size_t{2}, std::size_t{5}}) {
      const EgressGraph g = BuildGraph(edges, max);
      const EgressGraph h = BuildReachGraph(egress::TargetsBySource(*a), max);
      ASSERT_EQ(h.nodes.size(), g.nodes.size()) << "seed " << seed;
      for (std::size_t n = 0; n < g.nodes.size(); ++n) {
        EXPECT_EQ(h.nodes[n].members, g.nodes[n].members) << "seed " << seed;
        EXPECT_EQ(h.nodes[n].host, g.nodes[n].host) << "seed " << seed;
      }
      ASSERT_EQ(h.edges.size(), g.edges.size()) << "seed " << seed;
      for (std::size_t e = 0; e < g.edges.size(); ++e)
        EXPECT_EQ(std::tie(h.edges[e].from, h.edges[e].to, h.edges[e].pairs),
                  std::tie(g.edges[e].from, g.edges[e].to, g.edges[e].pairs))
            << "seed " << seed;
      EXPECT_EQ(h.dropped_edges, g.dropped_edges) << "seed " << seed;
      EXPECT_EQ(h.dropped_pairs, g.dropped_pairs) << "seed " << seed;
    }
  }
  const FlatDiff want = FlatEgressDiff(base, head);
  const egress::EgressDiff got = egress::DiffEgress({&base, nullptr}, {&head, nullptr}, nullptr);
  std::vector<std::string> got_opened, got_closed;
  for (const egress::DiffEntry& e : got.opened) got_opened.push_back(Describe(e.pair));
  for (const egress::DiffEntry& e : got.closed) got_closed.push_back(Describe(e.pair));
  const std::string meshes = "seed " + std::to_string(seed) + "\nbase:\n" + MeshText(base_files) +
                             "head:\n" + MeshText(head_files);
  ASSERT_EQ(got_opened, want.opened) << meshes;
  ASSERT_EQ(got_closed, want.closed) << meshes;
  EXPECT_EQ(got.base_pairs, want.base_pairs) << meshes;
  EXPECT_EQ(got.head_pairs, want.head_pairs) << meshes;
  EXPECT_EQ(got.unchanged, want.unchanged) << meshes;
  opened += want.opened.size();
  closed += want.closed.size();
  for (const EgressAnalysis* a : {&base, &head})
    for (const egress::SourceTargets& s : egress::TargetsBySource(*a)) {
      counts.removed += s.removed->size();
      if (s.group && !s.own->empty()) ++counts.group_and_own;
    }
  if (base.groups().size() != head.groups().size()) ++counts.group_changed;
  else
    for (std::size_t g = 0; g < base.groups().size(); ++g)
      if (base.groups()[g].hosts.size() != head.groups()[g].hosts.size()) {
        ++counts.group_changed;
        break;
      }
}

TEST(EgressImportIndex, DiffOfSharedListsIsTheFlatDiff) {
  DiffCounts c;
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    Rand r(seed * 31 + 5);
    const auto base_files = WithSharedRows(RandomMesh(seed), r, r.Chance(50));
    const auto head_files = WithSharedRows(Edited(RandomMesh(seed), r), r, r.Chance(50));
    CompareWithFlat(base_files, head_files, seed, c);
  }
  // The edits open and close pairs, and rows share host groups, some with
  // hosts beyond them (else this compares nothing shared).
  EXPECT_GT(c.opened, 100u);
  EXPECT_GT(c.closed, 100u);
  EXPECT_GT(c.grouped, 500u);
  EXPECT_GT(c.beyond, 50u);
}

// Every namespace of a group with hosts of its own (some of a group host's
// name: another service, other ports), and the head's groups not the base's
// (a ServiceEntry exported everywhere added or changed).
Files OwnHosts(Rand& r, int first) {
  Files files;
  int i = first;
  for (const char* ns : {"ns-d", "ns-e", "ns-f"})
    for (std::uint32_t k = 0, n = 1 + r.Below(2); k < n; ++k) {
      std::string se = ServiceEntry(r, i);
      const auto at = se.find("namespace: ") + 11;
      se.replace(at, se.find('\n', at) - at, ns);
      const auto e = se.find("  exportTo:");
      if (e != std::string::npos) se.erase(e, se.find('\n', e) + 1 - e);
      se.replace(se.find("spec:\n") + 6, 0, "  exportTo: [\".\"]\n");
      files.emplace_back(std::string(ns) + "-own-" + std::to_string(i++) + ".yaml", se);
    }
  return files;
}

Files WithNewGroupHost(Files files, Rand& r, int i) {
  std::string se = ServiceEntry(r, i);
  const auto e = se.find("  exportTo:");
  if (e != std::string::npos) se.erase(e, se.find('\n', e) + 1 - e);
  files.emplace_back("se-all-" + std::to_string(i) + ".yaml", se);
  return files;
}

TEST(EgressImportIndex, DiffOfSharedListsWithOwnHostsIsTheFlatDiff) {
  DiffCounts c;
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    Rand r(seed * 17 + 3);
    Files base_files = WithSharedRows(RandomMesh(seed), r, r.Chance(50));
    Files head_files = WithSharedRows(Edited(RandomMesh(seed), r), r, r.Chance(50));
    // The same own hosts on both sides (the groups' diff decides), or others.
    const Files base_own = OwnHosts(r, 100);
    const Files head_own = r.Chance(50) ? base_own : OwnHosts(r, 200);
    base_files.insert(base_files.end(), base_own.begin(), base_own.end());
    head_files.insert(head_files.end(), head_own.begin(), head_own.end());
    if (r.Chance(50)) head_files = WithNewGroupHost(std::move(head_files), r, 300);
    if (r.Chance(30)) base_files = WithNewGroupHost(std::move(base_files), r, 400);
    CompareWithFlat(base_files, head_files, seed, c);
  }
  EXPECT_GT(c.opened, 100u);
  EXPECT_GT(c.closed, 100u);
  EXPECT_GT(c.grouped, 500u);
  // Many sources have their group's targets and their own, some replace a
  // group entry, and the sides' groups differ.
  EXPECT_GT(c.group_and_own, 200u);
  EXPECT_GT(c.removed, 50u);
  EXPECT_GT(c.group_changed, 50u);
}

}  // namespace
}  // namespace meshlint::testing
