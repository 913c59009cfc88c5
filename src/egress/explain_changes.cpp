// What to change to flip an answer.
#include <algorithm>

#include "egress/explainer.h"

namespace meshlint::egress::detail {

Step Explainer::ModeChange() const {
  const istio::OutboundDecision d = istio::EffectiveOutbound(model_, sc_, ex_.scope.proxy.revision);
  switch (d.origin) {
    case istio::ModeOrigin::kSidecar: {
      Step s = Make(StepKind::kSetSidecarMode, d.loc);
      s.mode = istio::MeshOutbound(model_, ex_.scope.proxy.revision).mode;
      return s;
    }
    case istio::ModeOrigin::kMesh: {
      Step s = Make(StepKind::kSetMeshMode, d.loc);
      s.mesh_source = d.mesh_source;
      return s;
    }
    case istio::ModeOrigin::kIstioDefault: break;
  }
  return Make(StepKind::kAddMeshMode, {});
}

void Explainer::Changes() {
  const Scope& s = ex_.scope;
  if (s.unmediated()) {
    if (ex_.reachable) {
      Step st = Make(StepKind::kInjectSidecar, s.proxy.loc);
      st.proxy = s.proxy;
      ex_.changes.push_back(st);
    }
    return;
  }
  if (s.gateway() || ex_.unknown_workload) return;
  const Verdict& v = ex_.verdict;
  if (v.via == Verdict::Via::kCaptureBypass) {
    ex_.changes.push_back(Make(StepKind::kRemoveBypass, ex_.chain.back().loc));
    return;
  }
  if (v.hop) {
    Step st = Make(v.reachable ? StepKind::kDenyAtGateway : StepKind::kAllowAtGateway,
                   v.hop->policy ? v.hop->policy->meta.anchor() : Location{});
    st.gateway = v.hop->gateway;
    st.policy = v.hop->policy;
    if (!v.reachable && v.hop->outcome == istio::GatewayHop::Outcome::kNoCluster) {
      st.kind = StepKind::kExportToGateway;
      st.dest = v.hop->dest;
    }
    if (v.reachable || v.hop->outcome == istio::GatewayHop::Outcome::kDenied ||
        v.hop->outcome == istio::GatewayHop::Outcome::kNoCluster)
      ex_.changes.push_back(st);
    return;
  }
  if (v.via == Verdict::Via::kPassthroughPort) {
    Step st = Make(StepKind::kFixPassthrough, ex_.chain.back().loc);
    st.service = ex_.chain.back().service;
    ex_.changes.push_back(st);
    return;
  }
  if (ex_.reachable) {
    ChangesToClose();
  } else {
    ChangesToOpen();
  }
}

// Reachable: the mode, then each service that lets it through.
void Explainer::ChangesToClose() {
  const bool allow_any = AllowsAny(ex_.scope.mode);
  if (allow_any) ex_.changes.push_back(ModeChange());
  const Relation after_mode = allow_any ? Relation::kAlsoNeeded : Relation::kNone;
  for (const Candidate& c : candidates_) {
    if (!c.reaches() || c.via_vs) continue;
    const istio::RegistryService& svc = Svc(c);
    Step s = About(StepKind::kAddDefaultSidecar, {}, c);
    if (sc_ && c.import.all) {
      s = About(StepKind::kGiveEgressHosts, sc_->meta.anchor(), c);
    } else if (sc_ && c.import.entry) {
      const auto& entry = sc_->egress_hosts[*c.import.entry];
      const bool exact = istio::SplitEgressHost(entry.value)->dns == svc.hosts[c.ref.host];
      s = About(exact ? StepKind::kRemoveEgressHost : StepKind::kReplaceEgressHost, entry.loc, c);
      s.egress_host = c.import.entry;
    }
    s.relation = after_mode;
    ex_.changes.push_back(s);
    Location narrow = svc.visibility.loc.valid() ? svc.visibility.loc : svc.meta->anchor();
    if (svc.IsServiceEntry()) {
      const ServiceEntry& se = model_.service_entries[svc.index];
      narrow = se.export_to_key.valid() ? se.export_to_key : se.hosts_key;
    }
    Step alt = svc.ns() != ex_.scope.ns ? About(StepKind::kNarrowExport, narrow, c)
                                        : About(StepKind::kRemoveHost, svc.host_loc(c.ref.host), c);
    alt.relation = Relation::kAlternative;
    ex_.changes.push_back(alt);
    if (ex_.changes.size() > 8) break;
  }
}

// Not reachable: register the host, export it, import it, or declare the port.
void Explainer::ChangesToOpen() {
  const Verdict& v = ex_.verdict;
  if (v.block == Verdict::Block::kHijacked) {
    Step st = Make(StepKind::kFixPassthrough, ex_.chain.back().loc);
    st.service = ex_.chain.back().service;
    st.included = true;  // give the hijacking service an address
    ex_.changes.push_back(st);
  }
  const bool any_visible = std::any_of(candidates_.begin(), candidates_.end(),
                                       [](const Candidate& c) { return c.visible; });
  if (candidates_.empty()) {
    Step s = Make(StepKind::kAddServiceEntry, {});
    if (sc_ && !sc_->egress.empty())
      s.import_too = !istio::SidecarImport(sc_, ex_.scope.ns, ex_.scope.ns, ex_.host).imports();
    ex_.changes.push_back(s);
  }
  for (std::size_t k = 0; k < std::min(candidates_.size(), kShown); ++k) {
    const Candidate& c = candidates_[k];
    const istio::RegistryService& svc = Svc(c);
    Step s;
    if (!c.visible) {
      Location loc = svc.visibility.loc.valid() ? svc.visibility.loc : svc.meta->anchor();
      if (svc.IsServiceEntry()) {
        const ServiceEntry& se = model_.service_entries[svc.index];
        loc = se.export_to_key.valid() ? se.export_to_key : se.hosts_key;
      }
      s = About(StepKind::kAddToExport, loc, c);
      s.import_too = !c.import.imports() && !c.import.entry;
    } else if (c.import.imports() || c.import.entry || c.via_vs) {
      s = About(StepKind::kAddPort, svc.ports.empty() ? svc.meta->anchor() : svc.ports.front().loc,
                c);
      s.included = c.has_port;  // declared but trimmed by a Sidecar listener port
    } else {
      s = About(StepKind::kAddEgressHost,
                sc_->egress_key.valid() ? sc_->egress_key : sc_->meta.anchor(), c);
    }
    s.relation = k ? Relation::kAlternative : Relation::kNone;
    if (any_visible && !c.visible) continue;  // the visible one is the better lever
    ex_.changes.push_back(s);
  }
}

}  // namespace meshlint::egress::detail
