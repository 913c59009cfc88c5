// The JSON of `meshlint egress` (schemaVersion 2, documented in
// docs/egress-audit.md): host groups written once and referred to by id from
// every row that reaches them, so that the document grows with what is
// reachable, not with namespaces × hosts; --expand writes each row's hosts
// in full instead.
#include "report/egress_common.h"
#include "report/egress_explain.h"
#include "report/egress_report.h"
#include "report/json_common.h"

namespace meshlint {

using egress::EgressAnalysis;
using egress::Scope;
using egress_detail::PolicyView;
using egress_detail::Position;
using egress_detail::Qualified;
using istio::HostRef;
using istio::ModeOrigin;
using report_detail::Json;

namespace {

const char* SourceName(ModeOrigin s) {
  switch (s) {
    case ModeOrigin::kSidecar: return "sidecar";
    case ModeOrigin::kMesh: return "mesh";
    case ModeOrigin::kIstioDefault: return "istio-default";
  }
  return "mesh";
}

const char* ProxyName(istio::Proxy p) {
  switch (p) {
    case istio::Proxy::kSidecar: return "sidecar";
    case istio::Proxy::kNone: return "none";
    case istio::Proxy::kAmbient: return "ambient";
    case istio::Proxy::kGateway: return "gateway";
  }
  return "sidecar";
}

const char* MembershipName(istio::Membership m) {
  switch (m) {
    case istio::Membership::kInjected: return "injected";
    case istio::Membership::kNotInjected: return "not-injected";
    case istio::Membership::kAmbient: return "ambient";
    case istio::Membership::kUnknown: return "unknown";
  }
  return "unknown";
}

Json HostJson(const EgressAnalysis& a, const Scope& s, const HostRef& h) {
  const istio::RegistryService& svc = a.Service(s, h);
  Json ports = Json::array();
  for (std::size_t i = 0; i < svc.ports.size(); ++i)
    if (h.ports & istio::PortBit(i))
      ports.push_back({{"number", svc.ports[i].number},
                       {"protocol", istio::ProtocolName(svc.ports[i].protocol)}});
  Json j = {{"host", svc.hosts[h.host]},
            {"serviceEntry", Qualified(svc.meta->ref)},
            {"ports", std::move(ports)}};
  if (svc.mesh_internal) j["location"] = "MESH_INTERNAL";
  return j;
}

Json RowJson(const EgressAnalysis& a, const Scope& s, const EgressReportOptions& o,
             PolicyView& policy) {
  const MeshModel& model = a.model();
  Json j;
  Json workloads = Json::array();
  for (const Workload* w : s.workloads) workloads.push_back(egress_detail::WorkloadName(*w));
  j["workloads"] = std::move(workloads);
  j["selectedBySidecar"] = s.hypothetical ? Json(Qualified(s.sidecar->meta.ref)) : Json(nullptr);
  j["proxy"] = ProxyName(s.proxy.proxy);
  j["proxyReason"] = egress_detail::ProxyReasonText(model, s.ns, s.proxy);
  j["proxyAt"] = Position(model, s.proxy.loc);
  j["assumed"] = !s.namespace_known || s.proxy.reason == istio::ProxyReason::kAssumedInjected;
  j["anyHost"] = egress_detail::ReachesAnyHost(s);
  if (!s.mediated()) {
    if (policy.active() && s.unmediated()) j["anyHostAllowed"] = policy.AllowsAnyHost(s.ns);
    return j;
  }
  // The interface names two values: the dynamic-DNS variant passes any host too.
  j["outboundTrafficPolicy"] = AllowsAny(s.mode) ? "ALLOW_ANY" : "REGISTRY_ONLY";
  j["outboundTrafficPolicySource"] = SourceName(s.mode_source);
  j["sidecar"] = s.sidecar ? Json(Qualified(s.sidecar->meta.ref)) : Json(nullptr);
  // A plain index: GCC 12 misreads an optional here as maybe uninitialized.
  constexpr std::size_t kNoGroup = static_cast<std::size_t>(-1);
  const std::size_t group = o.expand ? kNoGroup : a.GroupOf(s).value_or(kNoGroup);
  Json groups = Json::array();
  if (group != kNoGroup) groups.push_back("g" + std::to_string(group + 1));
  j["hostGroups"] = std::move(groups);
  Json external = Json::array();
  for (const HostRef& h : o.expand ? a.Reachable(s) : a.ReachableBeyondGroup(s)) {
    Json hj = HostJson(a, s, h);
    if (policy.active()) hj["allowed"] = policy.Allows(s, h);
    external.push_back(std::move(hj));
  }
  j["external"] = std::move(external);
  if (policy.active() && group != kNoGroup) {
    Json denied = Json::array();  // the group's hosts the policy does not allow this row
    for (const HostRef& h : a.groups()[group].hosts)
      if (!policy.Allows(s, h)) denied.push_back(a.HostName(s, h));
    j["groupHostsNotAllowed"] = std::move(denied);
  }
  Json open = Json::array();
  for (const egress::OpenPort& p : a.OpenPorts(s)) {
    Json pj = {
        {"port", p.port},
        {"why", p.why == egress::OpenPort::Why::kPassthrough ? "passthrough" : "capture-bypass"}};
    if (p.why == egress::OpenPort::Why::kPassthrough)
      pj["serviceEntry"] = Qualified(a.Service(s, p.via).meta->ref);
    if (!p.ranges.empty()) pj["ranges"] = p.ranges;
    open.push_back(std::move(pj));
  }
  j["openPorts"] = std::move(open);
  Json hijacked = Json::array();
  for (const egress::HijackedPort& p : a.HijackedPorts(s))
    hijacked.push_back({{"port", p.port},
                        {"to", a.HostName(s, p.by)},
                        {"service", Qualified(a.Service(s, p.by).meta->ref)}});
  j["hijackedPorts"] = std::move(hijacked);
  Json routes = Json::array();
  for (const egress::RoutedHost& r : a.RoutedHosts(s)) {
    Json rj = {{"host", r.host},
               {"port", r.port},
               {"to", r.verdict.route->dest->host.value},
               {"virtualService", Qualified(model.virtual_services[r.verdict.route->vs].meta.ref)},
               {"reachable", r.verdict.reachable}};
    rj["gateway"] = r.verdict.hop && r.verdict.hop->gateway
                        ? Json(Qualified(r.verdict.hop->gateway->meta.ref))
                        : Json(nullptr);
    routes.push_back(std::move(rj));
  }
  j["routes"] = std::move(routes);
  if (policy.active() && egress_detail::ReachesAnyHost(s))
    j["anyHostAllowed"] = policy.AllowsAnyHost(s.ns);
  return j;
}

// `text` (a dumped JSON value) shifted right by `spaces`, as it would appear
// nested that deep in one document. JSON strings hold no raw line breaks.
std::string Nested(const std::string& text, int spaces) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    out += c;
    if (c == '\n') out.append(static_cast<std::size_t>(spaces), ' ');
  }
  return out;
}

Json NamespaceJson(const EgressAnalysis& a, const std::vector<const Scope*>& rows,
                   const EgressReportOptions& o, PolicyView& policy) {
  const MeshModel& model = a.model();
  const std::string& ns = rows.front()->ns;
  Json j;
  j["name"] = ns;
  Json membership;
  if (const NamespaceInfo* info = model.FindNamespace(ns)) {
    const istio::MeshMembership m = istio::NamespaceMembership(model, *info);
    membership = {{"state", MembershipName(m.state)}, {"at", Position(model, m.loc)}};
  } else {
    membership = {{"state", "unknown"}, {"at", nullptr}};
  }
  j["membership"] = std::move(membership);
  Json list = Json::array();
  for (const Scope* s : rows) list.push_back(RowJson(a, *s, o, policy));
  j["rows"] = std::move(list);
  return j;
}

}  // namespace

void WriteEgressJson(std::ostream& out, const EgressAnalysis& a, const EgressReportOptions& o) {
  const MeshModel& model = a.model();
  PolicyView policy(a, o.policy);
  Json mesh;
  const istio::OutboundDecision outbound = istio::MeshOutbound(model);
  mesh["outboundTrafficPolicy"] = AllowsAny(outbound.mode) ? "ALLOW_ANY" : "REGISTRY_ONLY";
  mesh["setAt"] =
      outbound.origin == ModeOrigin::kMesh ? Position(model, outbound.loc) : Json(nullptr);
  mesh["rootNamespace"] = model.mesh.root_namespace;
  // Streamed one namespace at a time: a large mesh's document is built
  // piecewise, never whole in memory.
  out << "{\n  \"schemaVersion\": 2,\n  \"istioVersion\": "
      << Json(model.istio_version.ToString()).dump()
      << ",\n  \"mesh\": " << Nested(report_detail::Dump(mesh, 2), 2) << ",\n  \"hostGroups\": [";
  bool first = true;
  for (std::size_t g = 0; g < a.groups().size() && !o.expand; ++g) {
    Scope probe;
    probe.registry = a.groups()[g].registry;
    Json hosts = Json::array();
    for (const HostRef& h : a.groups()[g].hosts) hosts.push_back(HostJson(a, probe, h));
    Json gj = {{"id", "g" + std::to_string(g + 1)}, {"hosts", std::move(hosts)}};
    out << (first ? "\n    " : ",\n    ") << Nested(report_detail::Dump(gj, 2), 4);
    first = false;
  }
  out << (first ? "]" : "\n  ]") << ",\n  \"namespaces\": [";
  first = true;
  const auto& scopes = a.scopes();
  for (std::size_t i = 0; i < scopes.size();) {
    std::vector<const Scope*> rows;
    std::size_t k = i;
    for (; k < scopes.size() && scopes[k].ns == scopes[i].ns; ++k) rows.push_back(&scopes[k]);
    out << (first ? "\n    " : ",\n    ")
        << Nested(report_detail::Dump(NamespaceJson(a, rows, o, policy), 2), 4);
    first = false;
    i = k;
  }
  out << (first ? "]" : "\n  ]") << "\n}\n";
}

}  // namespace meshlint
