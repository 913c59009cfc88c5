// The listeners, routes and gateway hop of an explanation, and the other
// rows of the namespace.
#include "egress/explainer.h"

namespace meshlint::egress::detail {

using istio::Connection;
using istio::GatewayHop;

void Explainer::Outcome() {
  const Verdict& v = ex_.verdict;
  const Connection& c = v.connection;
  if (v.route) {
    const VirtualService& vs = model_.virtual_services[v.route->vs];
    const bool port80 = c.kind != Connection::Kind::kReached;
    Step r = Make(port80 ? StepKind::kVsPort80Host : StepKind::kVsRoute,
                  v.route->dest->host.loc.valid() ? v.route->dest->host.loc : vs.meta.anchor());
    r.vs = &vs;
    r.route = v.route->route;
    r.dest = v.route->dest;
    r.included = v.block != Verdict::Block::kNoCluster;
    ex_.chain.push_back(r);
    if (v.hop) GatewaySteps(*v.hop);
    return;
  }
  if (c.kind == Connection::Kind::kMode) {
    if (c.port_has_listener && v.port != 0)
      ex_.chain.push_back(Make(StepKind::kPortHasListenerNoMatch, {}));
    return;
  }
  const istio::RegistryService& svc = Reg().service(c.via.svc);
  StepKind kind = StepKind::kListener;
  if (c.kind == Connection::Kind::kPassthrough) kind = StepKind::kPassthroughListener;
  if (c.kind == Connection::Kind::kHijacked) kind = StepKind::kHijackedBy;
  if (kind == StepKind::kListener && c.listener != istio::PortListener::kHijack &&
      c.listener != istio::PortListener::kPassthrough &&
      c.listener != istio::PortListener::kRangePassthrough)
    return;  // an ordinary listener of the service listed above: nothing to add
  Step s = Make(kind, svc.ports[c.port_index].loc);
  s.service = &svc;
  s.host = c.via.host;
  s.port_index = c.port_index;
  s.listener = c.listener;
  ex_.chain.push_back(s);
}

void Explainer::GatewaySteps(const GatewayHop& hop) {
  if (!hop.gateway) return;
  Step server =
      Make(StepKind::kGatewayServer, hop.server ? hop.server->loc : hop.gateway->meta.anchor());
  server.gateway = hop.gateway;
  server.included = hop.server != nullptr;
  ex_.chain.push_back(server);
  if (!hop.server) return;
  Step vs = Make(StepKind::kGatewayVs, hop.route ? hop.route->loc : hop.gateway->meta.anchor());
  vs.gateway = hop.gateway;
  vs.vs = hop.vs;
  vs.route = hop.route;
  vs.dest = hop.dest;
  vs.included = hop.dest != nullptr;
  ex_.chain.push_back(vs);
  if (!hop.dest) return;
  Step cluster = Make(StepKind::kGatewayCluster, hop.dest->host.loc);
  cluster.gateway = hop.gateway;
  cluster.dest = hop.dest;
  cluster.included = hop.dest_service.has_value();
  if (hop.dest_service) {
    cluster.service = &Reg().service(*hop.dest_service);
    cluster.loc = cluster.service->visibility.loc.valid() ? cluster.service->visibility.loc
                                                          : cluster.service->meta->anchor();
  }
  ex_.chain.push_back(cluster);
  if (!hop.dest_service) return;
  Step authz = Make(StepKind::kGatewayAuthz, hop.rule     ? hop.rule->loc
                                             : hop.policy ? hop.policy->meta.anchor()
                                                          : Location{});
  authz.gateway = hop.gateway;
  authz.policy = hop.policy;
  authz.included = hop.outcome == GatewayHop::Outcome::kAllowed;
  authz.reachable = hop.no_allow_match;
  ex_.chain.push_back(authz);
  if (hop.assumed) ex_.chain.push_back(Make(StepKind::kAuthzAssumed, {}));
}

void Explainer::OtherRows() {
  for (std::size_t i = 0; i < ex_.rows.size(); ++i) {
    if (i == ex_.explained) continue;
    const Scope& r = ex_.rows[i];
    Location loc;
    if (!r.workloads.empty()) loc = r.workloads.front()->meta.anchor();
    else if (r.sidecar)
      loc = r.sidecar->selector.loc.valid() ? r.sidecar->selector.loc : r.sidecar->meta.anchor();
    Step s = Make(StepKind::kOtherRow, loc);
    s.row_index = i;
    s.reachable = ex_.row_verdicts[i].reachable;
    s.sidecar = r.sidecar;
    s.mode = r.mode;
    s.proxy = r.proxy;
    s.port = ex_.row_verdicts[i].port;
    ex_.workload_notes.push_back(s);
  }
}

}  // namespace meshlint::egress::detail
