// The JSON of `meshlint egress` (schemaVersion 4, documented in
// docs/egress-audit.md): every host written once, in the `hosts` table at
// the end, and referred to by its index from the host groups and the rows
// that reach it; host groups (the hosts many rows reach alike) written once
// and referred to by id, and so are route groups (the routes many rows take
// alike). So the document grows with what is reachable, not with
// namespaces × hosts or namespaces × VirtualServices. One array element a line, no indentation
// within.
// --expand writes each row's hosts in full instead.
#include <unordered_map>

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

// The distinct hosts of a document, each given an index on first use and
// written once at its end: a host many rows reach costs a number a row.
class HostTable {
 public:
  std::size_t Id(const Json& host) {
    auto [it, added] = ids_.try_emplace(report_detail::Dump(host, -1), order_.size());
    if (added) order_.push_back(&it->first);  // keys of an unordered_map stay put
    return it->second;
  }
  void Write(std::ostream& out) const {
    for (std::size_t i = 0; i < order_.size(); ++i)
      out << (i == 0 ? "\n    " : ",\n    ") << *order_[i];
  }
  bool empty() const { return order_.empty(); }

 private:
  std::unordered_map<std::string, std::size_t> ids_;
  std::vector<const std::string*> order_;
};

// A row's hosts beyond its groups: indices into `table`, or (--expand, no
// table) every host in full. With a policy, the ones it does not allow.
void ExternalJson(const EgressAnalysis& a, const Scope& s, const EgressReportOptions& o,
                  PolicyView& policy, HostTable* table, Json& j) {
  Json external = Json::array();
  Json not_allowed = Json::array();
  for (const HostRef& h : o.expand ? a.Reachable(s) : a.ReachableBeyondGroup(s)) {
    Json hj = HostJson(a, s, h);
    const bool allowed = !policy.active() || policy.Allows(s, h);
    if (table == nullptr) {
      if (policy.active()) hj["allowed"] = allowed;
      external.push_back(std::move(hj));
      continue;
    }
    const std::size_t id = table->Id(hj);
    external.push_back(id);
    if (!allowed) not_allowed.push_back(id);
  }
  j["external"] = std::move(external);
  if (policy.active() && table != nullptr) j["externalNotAllowed"] = std::move(not_allowed);
}

Json RoutesJson(const MeshModel& model, const egress::RoutedHostList& list) {
  Json routes = Json::array();
  for (const egress::RoutedHost& r : list) {
    Json rj = {{"host", r.host},
               {"port", r.port},
               {"to", r.dest->host.value},
               {"virtualService", Qualified(model.virtual_services[r.vs].meta.ref)},
               {"reachable", r.reachable}};
    rj["gateway"] = r.gateway ? Json(Qualified(r.gateway->meta.ref)) : Json(nullptr);
    routes.push_back(std::move(rj));
  }
  return routes;
}

Json RowJson(const EgressAnalysis& a, const Scope& s, const EgressReportOptions& o,
             PolicyView& policy, HostTable* table) {
  const MeshModel& model = a.model();
  Json j;
  Json workloads = Json::array();
  for (const Workload* w : s.workloads) workloads.push_back(egress_detail::WorkloadName(*w));
  j["workloads"] = std::move(workloads);
  j["selectedBySidecar"] =
      s.hypothetical ? Json(Qualified(s.selected_by->meta.ref)) : Json(nullptr);
  j["proxy"] = ProxyName(s.proxy.proxy);
  j["proxyReason"] = egress_detail::ProxyReasonText(model, s.ns, s.proxy);
  j["proxyAt"] = Position(model, s.proxy.loc);
  j["assumed"] = !s.namespace_known || s.proxy.assumed;
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
  ExternalJson(a, s, o, policy, table, j);
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
  // The row's route group by id, or (none, or --expand) its routes.
  const std::size_t route_group = o.expand ? kNoGroup : a.RouteGroupOf(s).value_or(kNoGroup);
  Json route_groups = Json::array();
  if (route_group != kNoGroup) route_groups.push_back("r" + std::to_string(route_group + 1));
  j["routeGroups"] = std::move(route_groups);
  j["routes"] = route_group != kNoGroup ? Json::array() : RoutesJson(model, a.RoutedHosts(s));
  if (policy.active() && egress_detail::ReachesAnyHost(s))
    j["anyHostAllowed"] = policy.AllowsAnyHost(s.ns);
  return j;
}

Json NamespaceJson(const EgressAnalysis& a, const std::vector<const Scope*>& rows,
                   const EgressReportOptions& o, PolicyView& policy, HostTable* table) {
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
  for (const Scope* s : rows) list.push_back(RowJson(a, *s, o, policy, table));
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
  HostTable hosts;
  HostTable* table = o.expand ? nullptr : &hosts;
  // Streamed one namespace at a time: a large mesh's document is built
  // piecewise, never whole in memory; the host table, last, holds each
  // distinct host once.
  out << "{\n  \"schemaVersion\": 4,\n  \"istioVersion\": "
      << Json(model.istio_version.ToString()).dump()
      << ",\n  \"mesh\": " << report_detail::Dump(mesh, -1) << ",\n  \"hostGroups\": [";
  bool first = true;
  for (std::size_t g = 0; g < a.groups().size() && !o.expand; ++g) {
    Scope probe;
    probe.registry = a.groups()[g].registry;
    Json ids = Json::array();
    for (const HostRef& h : a.groups()[g].hosts) ids.push_back(hosts.Id(HostJson(a, probe, h)));
    Json gj = {{"id", "g" + std::to_string(g + 1)}, {"hosts", std::move(ids)}};
    out << (first ? "\n    " : ",\n    ") << report_detail::Dump(gj, -1);
    first = false;
  }
  out << (first ? "]" : "\n  ]") << ",\n  \"routeGroups\": [";
  first = true;
  for (std::size_t g = 0; g < a.route_groups().size() && !o.expand; ++g) {
    Json gj = {{"id", "r" + std::to_string(g + 1)},
               {"routes", RoutesJson(model, a.route_groups()[g].routes)}};
    out << (first ? "\n    " : ",\n    ") << report_detail::Dump(gj, -1);
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
        << report_detail::Dump(NamespaceJson(a, rows, o, policy, table), -1);
    first = false;
    i = k;
  }
  out << (first ? "]" : "\n  ]") << ",\n  \"hosts\": [";
  hosts.Write(out);
  out << (hosts.empty() ? "]" : "\n  ]") << "\n}\n";
}

}  // namespace meshlint
