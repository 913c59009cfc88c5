// --from/--to: the chain of reasons for one answer, as data. Each step names
// what decides one link and where; src/report/egress_explain.cpp renders it.
#include <algorithm>
#include <tuple>

#include "egress/explainer.h"

namespace meshlint::egress {

namespace detail {

Step Explainer::Make(StepKind kind, Location loc) const {
  Step s;
  s.kind = kind;
  s.loc = loc;
  s.sidecar = sc_;
  s.port = ex_.verdict.port;
  return s;
}

Step Explainer::About(StepKind kind, Location loc, const Candidate& c) const {
  Step s = Make(kind, loc);
  s.service = &Svc(c);
  s.host = c.ref.host;
  return s;
}

void Explainer::Run() {
  sc_ = ex_.scope.sidecar;
  target_ = ex_.host;
  if (auto concrete = Reg().ResolveAlias(ex_.host)) target_ = *concrete;
  Who();
  if (ex_.scope.mediated()) {
    Selection();
    Mode();
    FindCandidates();
    ex_.via_registry = ex_.verdict.via == Verdict::Via::kRegistry;
    Registry();
    Outcome();
  }
  Changes();
  OtherRows();
}

// The namespace, the proxy (or why there is none), and capture.
void Explainer::Who() {
  const Scope& s = ex_.scope;
  if (!s.namespace_known) ex_.chain.push_back(Make(StepKind::kNamespaceUnknown, {}));
  StepKind kind = StepKind::kProxyInjected;
  switch (s.proxy.proxy) {
    case istio::Proxy::kSidecar:
      kind = s.proxy.reason == istio::ProxyReason::kAssumedInjected ? StepKind::kMembershipAssumed
                                                                    : StepKind::kProxyInjected;
      break;
    case istio::Proxy::kNone: kind = StepKind::kNoProxy; break;
    case istio::Proxy::kAmbient: kind = StepKind::kAmbient; break;
    case istio::Proxy::kGateway: kind = StepKind::kGatewaySource; break;
  }
  Step p = Make(kind, s.proxy.loc);
  p.proxy = s.proxy;
  p.mesh_source = s.proxy.mesh_source;
  ex_.chain.push_back(p);
  if (ex_.verdict.via == Verdict::Via::kCaptureBypass) {
    const istio::Capture& c = s.capture;
    Location loc = c.none                    ? c.none_loc
                   : c.exclude_ranges_public ? c.exclude_ranges_loc
                   : std::find(c.exclude_ports.begin(), c.exclude_ports.end(), ex_.verdict.port) !=
                           c.exclude_ports.end()
                       ? c.exclude_ports_loc
                       : c.include_ranges_loc;
    Step b = Make(StepKind::kCaptureBypass, loc);
    b.mesh_source = c.mesh_source;
    ex_.chain.push_back(b);
  }
}

void Explainer::Selection() {
  const Scope& s = ex_.scope;
  if (s.sidecar_origin == istio::SidecarOrigin::kSelector) {
    ex_.chain.push_back(Make(StepKind::kSidecarSelects,
                             sc_->selector.loc.valid() ? sc_->selector.loc : sc_->meta.anchor()));
  } else if (s.defaults > 1) {
    Step d = Make(StepKind::kSeveralDefaults, sc_->meta.anchor());
    d.count = s.defaults;
    ex_.chain.push_back(d);
  }
}

void Explainer::Mode() {
  const istio::OutboundDecision d = istio::EffectiveOutbound(model_, sc_, ex_.scope.proxy.revision);
  StepKind kind = StepKind::kModeNoMeshConfig;
  switch (d.origin) {
    case istio::ModeOrigin::kSidecar:
      kind = d.mode_written ? StepKind::kModeBySidecar : StepKind::kModeBySidecarUnset;
      break;
    case istio::ModeOrigin::kMesh: kind = StepKind::kModeByMesh; break;
    case istio::ModeOrigin::kIstioDefault:
      kind = d.mesh_source ? StepKind::kModeMeshUnset : StepKind::kModeNoMeshConfig;
      break;
  }
  Step s = Make(kind, d.loc);
  s.mode = d.mode;
  s.mesh_source = d.mesh_source;
  ex_.chain.push_back(s);
}

void Explainer::FindCandidates() {
  const Scope& s = ex_.scope;
  const std::uint32_t port = ex_.verdict.port;
  for (HostRef ref : Reg().Covering(target_)) {
    const istio::RegistryService& svc = Reg().service(ref.svc);
    if (svc.resolution == istio::Resolution::kAlias) continue;
    Candidate c;
    c.visible = svc.visibility.Includes(s.ns);
    c.import = istio::SidecarImports(model_, sc_, s.ns, svc, ref.host);
    ref.ports = c.visible ? c.import.ports : 0;
    for (const HostRef& own : s.own)  // VirtualService destinations join the scope
      if (own.svc == ref.svc && own.host == ref.host && (own.ports & ~ref.ports)) {
        ref.ports |= own.ports;
        c.via_vs = !c.import.imports() || !c.visible;
        c.visible = true;
      }
    c.ref = ref;
    for (std::size_t i = 0; i < svc.ports.size(); ++i) {
      if (port != 0 && svc.ports[i].number != port) continue;
      c.has_port = true;
      c.port_imported |= (ref.ports & istio::PortBit(i)) != 0;
    }
    candidates_.push_back(c);
  }
  // The decisive ones first: reaching, then visible, then own namespace.
  auto rank = [&](const Candidate& c) {
    const ObjectRef& r = Svc(c).meta->ref;
    return std::make_tuple(!c.reaches(), !c.visible, r.ns != s.ns, std::string_view(r.ns),
                           std::string_view(r.name));
  };
  std::stable_sort(candidates_.begin(), candidates_.end(),
                   [&](const Candidate& a, const Candidate& b) { return rank(a) < rank(b); });
}

void Explainer::Registry() {
  if (target_ != ex_.host)
    for (std::uint32_t i : Reg().WithHost(ex_.host))
      if (Reg().service(i).resolution == istio::Resolution::kAlias) {
        Step al = Make(StepKind::kAlias, Reg().service(i).meta->anchor());
        al.service = &Reg().service(i);
        ex_.chain.push_back(al);
        break;
      }
  if (candidates_.empty() && !ex_.verdict.route)
    ex_.chain.push_back(Make(StepKind::kNotInRegistry, {}));
  const std::size_t shown = std::min(candidates_.size(), kShown);
  for (std::size_t k = 0; k < shown; ++k) {
    const Candidate& c = candidates_[k];
    ex_.chain.push_back(About(StepKind::kListed, Svc(c).host_loc(c.ref.host), c));
    if (c.via_vs) {
      Step v = About(StepKind::kVsDestinationImported, {}, c);
      for (const istio::ImportedVs& iv : ex_.scope.virtual_services)
        for (const Route& r : model_.virtual_services[iv.vs].routes)
          for (const RouteDestination& d : r.destinations)
            if (d.host.value == Svc(c).hosts[c.ref.host] && !v.vs) {
              v.vs = &model_.virtual_services[iv.vs];
              v.dest = &d;
              v.loc = d.host.loc;
            }
      ex_.chain.push_back(v);
    } else {
      ex_.chain.push_back(ExportStep(c));
      if (c.visible) {
        ex_.chain.push_back(ImportStep(c));
      } else if (c.import.entry) {
        Step s = About(StepKind::kImportsButNotExported, sc_->egress_hosts[*c.import.entry].loc, c);
        s.egress_host = c.import.entry;
        ex_.chain.push_back(s);
      }
    }
    PortSteps(c);
  }
  if (candidates_.size() > shown) {
    Step s = Make(StepKind::kMoreServiceEntries, {});
    s.count = candidates_.size() - shown;
    ex_.chain.push_back(s);
  }
}

Step Explainer::ExportStep(const Candidate& c) const {
  const istio::RegistryService& svc = Svc(c);
  const istio::Export& e = svc.visibility;
  Location loc = e.loc.valid() ? e.loc : svc.meta->anchor();
  if (e.origin == istio::ExportOrigin::kExportTo && svc.IsServiceEntry()) {
    const ServiceEntry& se = model_.service_entries[svc.index];
    loc = se.export_to_key.valid() ? se.export_to_key : loc;
  }
  if (c.visible && e.origin == istio::ExportOrigin::kMeshDefault) loc = svc.meta->anchor();
  const StepKind kind = e.origin == istio::ExportOrigin::kExportTo ? StepKind::kExportToList
                        : e.origin == istio::ExportOrigin::kVisibility
                            ? StepKind::kExportVisibility
                            : StepKind::kExportMeshDefault;
  Step s = About(kind, loc, c);
  s.included = c.visible;
  s.mesh_source = e.mesh_source;
  return s;
}

Step Explainer::ImportStep(const Candidate& c) const {
  if (!sc_) {
    // The Namespace manifest is where a person would look for (and add) one.
    Location loc;
    if (const NamespaceInfo* info = model_.FindNamespace(ex_.scope.ns); info && info->manifest)
      loc = model_.namespaces[*info->manifest].meta.anchor();
    return About(StepKind::kNoSidecar, loc, c);
  }
  if (c.import.all) return About(StepKind::kSidecarImportsAll, sc_->meta.anchor(), c);
  if (c.import.excluded_by && !c.import.entry) {
    Step s = About(StepKind::kSidecarExcludes, sc_->egress_hosts[*c.import.excluded_by].loc, c);
    s.egress_host = c.import.excluded_by;
    return s;
  }
  if (c.import.entry) {
    Step s = About(StepKind::kSidecarImportsThrough, sc_->egress_hosts[*c.import.entry].loc, c);
    s.egress_host = c.import.entry;
    return s;
  }
  if (c.import.port_mismatch_entry) {
    Step s =
        About(StepKind::kListenerPort, sc_->egress_hosts[*c.import.port_mismatch_entry].loc, c);
    s.egress_host = c.import.port_mismatch_entry;
    s.port =
        static_cast<std::uint32_t>(sc_->egress[*c.import.port_mismatch_listener].port.number.value);
    return s;
  }
  return About(StepKind::kSidecarDoesNotImport,
               sc_->egress_key.valid() ? sc_->egress_key : sc_->meta.anchor(), c);
}

// The service's ports against the one asked about.
void Explainer::PortSteps(const Candidate& c) {
  const istio::RegistryService& svc = Svc(c);
  if (!c.visible || !(c.import.imports() || c.via_vs || (c.import.entry && svc.ports.empty())))
    return;
  if (svc.ports.empty()) {
    Step s = About(StepKind::kNoPorts, svc.meta->anchor(), c);
    if (svc.IsServiceEntry()) {
      const ServiceEntry& se = model_.service_entries[svc.index];
      if (se.ports_key.valid()) s.loc = se.ports_key;
    }
    ex_.chain.push_back(s);
  } else if (!c.port_imported) {
    Step s = About(StepKind::kPortNotListed, svc.ports.front().loc, c);
    s.included = c.has_port;  // declared, but trimmed by a listener port
    ex_.chain.push_back(s);
  }
}

}  // namespace detail

Explanation EgressAnalysis::Explain(std::string_view from, std::string_view to) const {
  Explanation ex;
  if (auto target = ParseTarget(to)) {
    ex.host = target->first;
    ex.port = target->second;
  } else {
    ex.host = std::string(to);
  }
  std::string_view ns = from;
  if (auto slash = from.find('/'); slash != std::string_view::npos) {
    ns = from.substr(0, slash);
    const std::string_view rest = from.substr(slash + 1);
    const auto second = rest.find('/');
    ex.workload = std::string(rest);
    const auto row = second == std::string_view::npos
                         ? std::nullopt
                         : WorkloadRow(ns, rest.substr(0, second), rest.substr(second + 1));
    if (row) {
      ex.rows = {*row};
    } else {
      ex.unknown_workload = true;
      ex.rows = {NamespaceScope(ns)};
    }
  } else {
    ex.rows = NamespaceRows(ns);
  }
  ex.ns = std::string(ns);
  for (const Scope& s : ex.rows) ex.row_verdicts.push_back(Answer(s, ex.host, ex.port));
  for (std::size_t i = 0; i < ex.rows.size(); ++i)
    if (ex.row_verdicts[i].reachable && !ex.rows[i].hypothetical) {
      ex.explained = i;
      break;
    }
  ex.scope = ex.rows[ex.explained];
  ex.verdict = ex.row_verdicts[ex.explained];
  ex.reachable = ex.verdict.reachable && !ex.unknown_workload;
  ex.sidecar_origin = ex.scope.sidecar_origin;
  detail::Explainer(*this, ex).Run();
  return ex;
}

}  // namespace meshlint::egress
