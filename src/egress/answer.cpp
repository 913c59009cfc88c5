// One row's answer for host:port (istio-notes §5.2, steps 2–7): membership,
// capture, the listeners of the imported services, VirtualService routes and
// the egress gateway hop, then the outbound mode.
#include <algorithm>
#include <set>

#include "egress/egress.h"
#include "egress/import_index.h"

namespace meshlint::egress {

using istio::Connection;
using istio::RegistryService;

namespace {

Route::Kind RouteKindFor(const Connection& c, const RegistryService* svc) {
  if (c.kind != Connection::Kind::kReached || !svc) return Route::Kind::kHttp;
  const istio::Protocol p = svc->ports[c.port_index].protocol;
  if (istio::IsTls(p)) return Route::Kind::kTls;
  if (istio::IsPlainTcp(p)) return Route::Kind::kTcp;
  return Route::Kind::kHttp;
}

}  // namespace

Verdict Conclude(const MeshModel& model, const istio::Registry& reg, const Scope& s,
                 std::string_view host, std::optional<istio::MeshRoute> route, Verdict v) {
  const Connection& c = v.connection;
  const std::uint32_t port = v.port;
  if (route) {
    v.route = route;
    const auto target = istio::ResolveDestination(model, reg, route->dest->host.value, s.ns);
    const std::uint64_t ports =
        target ? istio::DestinationPorts(reg.service(*target), *route->dest) : 0;
    if (!target || ports == 0) {
      v.block = Verdict::Block::kNoCluster;
      return v;
    }
    v.route_target = HostRef{*target, 0, ports};
    const std::uint32_t dest_port =
        route->dest->port.value ? static_cast<std::uint32_t>(route->dest->port.value) : port;
    istio::GatewayHop hop = istio::ThroughGateway(model, reg, *target, dest_port, host, s.ns);
    if (hop.outcome != istio::GatewayHop::Outcome::kNotAGateway) {
      v.hop = hop;
      v.reachable = hop.outcome == istio::GatewayHop::Outcome::kAllowed;
      v.via = v.reachable ? Verdict::Via::kGateway : Verdict::Via::kNone;
      v.block = v.reachable ? Verdict::Block::kNone : Verdict::Block::kGatewayDenied;
      return v;
    }
    v.reachable = true;
    const bool itself = c.kind == Connection::Kind::kReached && *target == c.via.svc;
    v.via = itself ? Verdict::Via::kRegistry : Verdict::Via::kRoute;
    return v;
  }
  switch (c.kind) {
    case Connection::Kind::kReached:
      v.reachable = true;
      v.via = Verdict::Via::kRegistry;
      return v;
    case Connection::Kind::kPassthrough:
      v.reachable = true;
      v.via = Verdict::Via::kPassthroughPort;
      return v;
    case Connection::Kind::kHijacked: v.block = Verdict::Block::kHijacked; return v;
    case Connection::Kind::kMode: break;
  }
  if (AllowsAny(s.mode)) {
    v.reachable = true;
    v.via = Verdict::Via::kAllowAny;
  } else {
    v.block = Verdict::Block::kRegistryOnly;
  }
  return v;
}

// The answer on one port, for a mediated row; `routing` are the row's
// VirtualServices with a host that covers `host`.
static Verdict AnswerPort(const EgressAnalysis& a, const Scope& s, const RowImports& imports,
                          const std::vector<istio::ImportedVs>& routing, std::string_view host,
                          std::uint32_t port) {
  const MeshModel& model = a.model();
  const istio::Registry& reg = a.RegistryOf(s);
  Verdict v;
  v.port = port;
  if (!s.capture.Captures(port)) {
    v.reachable = true;
    v.via = Verdict::Via::kCaptureBypass;
    return v;
  }
  v.connection = imports.Connect(host, port);
  const Connection& c = v.connection;
  const RegistryService* via =
      c.kind == Connection::Kind::kMode ? nullptr : &reg.service(c.via.svc);
  // A VirtualService route: on the ports of a service of that name, or for
  // a host outside the scope's services, on port 80 when an HTTP listener
  // is there.
  std::optional<istio::MeshRoute> route;
  if (c.kind == Connection::Kind::kReached) {
    route = istio::RouteRequest(model, routing, host, port, s.ns, RouteKindFor(c, via));
  } else if (port == 80 && !imports.Covers(host) && imports.HasHttpListener(80)) {
    route = istio::RouteRequest(model, routing, host, port, s.ns, Route::Kind::kHttp);
  }
  return Conclude(model, reg, s, host, std::move(route), std::move(v));
}

struct EgressAnalysis::RowAnswering {
  std::shared_ptr<const std::vector<HostRef>> shared;  // the key's list, kept alive
  RowImports imports;
  std::vector<OpenPort> open;
};

const EgressAnalysis::RowAnswering& EgressAnalysis::AnsweringOf(const Scope& s) const {
  AnsweringKey key;
  auto& [registry, shared, dns, own, vs, excluded] = key;
  registry = s.registry;
  shared = s.shared.get();
  dns = s.dns_capture;
  own.reserve(s.own.size());
  for (const HostRef& h : s.own) own.emplace_back(h.svc, h.host, h.ports);
  vs.reserve(s.virtual_services.size());
  for (const istio::ImportedVs& v : s.virtual_services) vs.emplace_back(v.vs, v.entry);
  excluded = s.capture.exclude_ports;
  auto it = answering_.find(key);
  if (it == answering_.end()) {
    auto row = std::make_shared<RowAnswering>(RowAnswering{s.shared, ImportsOf(s), OpenPorts(s)});
    it = answering_.emplace(std::move(key), std::move(row)).first;
  }
  return *it->second;
}

Verdict EgressAnalysis::Answer(const Scope& s, std::string_view host, std::uint32_t port) const {
  if (!s.mediated()) return AnswerWith(s, RowImports(), {}, host, port);
  const RowAnswering& row = AnsweringOf(s);
  return AnswerWith(s, row.imports, row.open, host, port);
}

Verdict EgressAnalysis::AnswerWith(const Scope& s, const RowImports& imports,
                                   const std::vector<OpenPort>& open, std::string_view host,
                                   std::uint32_t port) const {
  Verdict v;
  v.port = port;
  v.port_given = port != 0;
  if (s.gateway()) {
    v.block = Verdict::Block::kGatewayRow;
    return v;
  }
  if (s.unmediated()) {
    v.reachable = true;
    v.via =
        s.proxy.proxy == istio::Proxy::kAmbient ? Verdict::Via::kAmbient : Verdict::Via::kNoProxy;
    return v;
  }
  const istio::Registry& reg = RegistryOf(s);
  // An ExternalName alias is answered as its target, if the Sidecar's hosts
  // also match the alias name.
  std::string target(host);
  if (auto concrete = reg.ResolveAlias(host)) {
    bool matched = istio::ImportsEverything(s.sidecar);
    for (std::uint32_t i : reg.WithHost(host))
      if (reg.service(i).resolution == istio::Resolution::kAlias &&
          istio::SidecarImports(model_, s.sidecar, s.ns, reg.service(i), 0).entry)
        matched = true;
    if (matched) target = *concrete;
  }
  const std::vector<istio::ImportedVs> routing = imports.VirtualServicesFor(target);
  if (port != 0) {
    Verdict one = AnswerPort(*this, s, imports, routing, target, port);
    one.port_given = true;
    return one;
  }
  // Without a port: the ports worth trying, the host's own first.
  std::set<std::uint32_t> tried;
  std::vector<std::uint32_t> candidates;
  imports.PortsOf(target, candidates);
  std::sort(candidates.begin(), candidates.end());
  for (const OpenPort& o : open) candidates.push_back(o.port);
  if (!routing.empty()) candidates.push_back(80);
  for (std::uint32_t p : s.capture.exclude_ports)
    if (p) candidates.push_back(p);
  if (AllowsAny(s.mode) || s.capture.CapturesNone()) {
    candidates.push_back(443);
    candidates.push_back(80);
  }
  std::optional<Verdict> first;
  for (std::uint32_t p : candidates) {
    if (!tried.insert(p).second) continue;
    Verdict one = AnswerPort(*this, s, imports, routing, target, p);
    if (one.reachable) return one;
    if (!first) first = one;
  }
  if (first) return *first;
  v.block = Verdict::Block::kRegistryOnly;
  return v;
}

std::vector<OpenPort> EgressAnalysis::OpenPorts(const Scope& s) const {
  if (!s.mediated()) return {};
  return OpenPortsOf(s, WildcardListeners(s));
}

std::vector<OpenPort> EgressAnalysis::OpenPortsOf(
    const Scope& s, const std::vector<WildcardListener>& listeners) const {
  std::vector<OpenPort> out;
  const istio::Registry& reg = RegistryOf(s);
  for (const WildcardListener& w : listeners) {
    const RegistryService& svc = reg.service(w.svc);
    const HostRef via{w.svc, w.host, istio::PortBit(w.index)};
    if (w.listener == istio::PortListener::kPassthrough)
      out.push_back({svc.ports[w.index].number, OpenPort::Why::kPassthrough, via, {}});
    else if (w.listener == istio::PortListener::kRangePassthrough) {
      std::vector<std::string> ranges;
      for (const auto& r : svc.cidr_ranges()) ranges.push_back(r.value);
      out.push_back({svc.ports[w.index].number, OpenPort::Why::kPassthrough, via, ranges});
    }
  }
  for (std::uint32_t p : s.capture.exclude_ports)
    if (p) out.push_back({p, OpenPort::Why::kCaptureBypass, {}, {}});
  // Per port, what opens it to every destination first; ranges of one port
  // from several ServiceEntries stay apart.
  std::stable_sort(out.begin(), out.end(), [](const OpenPort& a, const OpenPort& b) {
    return std::pair(a.port, !a.ranges.empty()) < std::pair(b.port, !b.ranges.empty());
  });
  // Sorted so, a port's entries are adjacent: when its first is open to
  // every destination it covers the rest; else each distinct set of ranges
  // is kept once.
  std::vector<OpenPort> kept;
  std::set<std::vector<std::string>> ranges_of_port;
  bool open_to_all = false;  // the current port's first entry is
  for (OpenPort& o : out) {
    if (kept.empty() || kept.back().port != o.port) {
      ranges_of_port.clear();
      open_to_all = o.ranges.empty();
    } else if (open_to_all) {
      continue;
    }
    if (!o.ranges.empty() && !ranges_of_port.insert(o.ranges).second) continue;
    kept.push_back(std::move(o));
  }
  return kept;
}

std::vector<HijackedPort> EgressAnalysis::HijackedPorts(const Scope& s) const {
  std::vector<HijackedPort> out;
  if (!s.mediated()) return out;
  const std::vector<WildcardListener> listeners = WildcardListeners(s);
  std::set<std::uint32_t> passthrough;
  for (const OpenPort& o : OpenPortsOf(s, listeners))
    if (o.ranges.empty()) passthrough.insert(o.port);
  const istio::Registry& reg = RegistryOf(s);
  for (const WildcardListener& w : listeners) {
    const std::uint32_t port = reg.service(w.svc).ports[w.index].number;
    if (w.listener == istio::PortListener::kHijack && !passthrough.count(port))
      out.push_back({port, HostRef{w.svc, w.host, istio::PortBit(w.index)}});
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const HijackedPort& a, const HijackedPort& b) { return a.port < b.port; });
  out.erase(
      std::unique(out.begin(), out.end(),
                  [](const HijackedPort& a, const HijackedPort& b) { return a.port == b.port; }),
      out.end());
  return out;
}

}  // namespace meshlint::egress
