// egress-not-allowed: with an egress policy (--policy FILE), a namespace can
// reach a host the policy does not allow it. The finding sits on what grants
// the access: the ServiceEntry host, the Sidecar / mesh config that sets
// ALLOW_ANY, or what leaves the pods without a proxy.
#include <map>

#include "egress/egress.h"
#include "rules/common.h"
#include "rules/rules.h"
#include "semantics/istio.h"

namespace meshlint::rules {

namespace {

std::string RowName(const egress::Scope& s) {
  if (!s.workloads.empty() && s.workloads.size() <= 3)
    return "the workloads " + s.ns + "/" + s.WorkloadNames(3);
  if (!s.workload_scoped || !s.workloads.empty()) return s.ns;
  return "the workloads of Sidecar " + s.ns + "/" + s.sidecar->meta.ref.name;
}

// "Namespace a", "a, b and the workloads of Sidecar c/x", "9022 namespaces (a,
// b, c, d, e and 9017 more)".
std::string Subject(const std::vector<std::string>& rows) {
  bool workloads = false;
  for (const std::string& r : rows) workloads |= r.starts_with("the workloads of ");
  std::string list = ListForMessage(rows);
  if (rows.size() == 1) return workloads ? "The" + list.substr(3) : "Namespace " + list;
  if (rows.size() <= 5) return "Namespaces " + list;
  return std::to_string(rows.size()) +
         (workloads ? " namespaces and workload-scoped Sidecars (" : " namespaces (") + list + ")";
}

// Rows that reach hosts[host] of `se`, which the policy does not allow them.
Diagnostic HostFinding(const ServiceEntry& se, std::uint32_t host,
                       const std::vector<std::string>& rows) {
  Diagnostic d;
  d.loc = se.hosts[host].loc;
  d.object = se.meta.ref;
  d.field = "spec.hosts[" + std::to_string(host) + "]";
  d.message = Subject(rows) + " can reach " + se.hosts[host].value + " through ServiceEntry " +
              se.meta.ref.ns + "/" + se.meta.ref.name +
              ", which the egress policy does not allow. Narrow its exportTo or the importing "
              "Sidecar's egress hosts, or allow the pair in the policy.";
  return d;
}

// Rows that may reach any host, against a policy that does not allow "*" for
// them: the finding sits on what sets ALLOW_ANY.
Diagnostic AllowAnyFinding(const MeshModel& model, const istio::OutboundDecision& mode,
                           const std::vector<std::string>& rows) {
  Diagnostic d;
  d.loc = mode.loc;
  std::string granted_by;
  if (mode.origin == istio::ModeOrigin::kSidecar) {
    d.object = mode.sidecar->meta.ref;
    d.field = "spec.outboundTrafficPolicy.mode";
    granted_by = "Sidecar " + mode.sidecar->meta.ref.ns + "/" + mode.sidecar->meta.ref.name +
                 " sets ALLOW_ANY";
  } else {
    d.field = "meshConfig.outboundTrafficPolicy.mode";
    const MeshConfigSource* src =
        mode.mesh_source ? &model.mesh_sources[*mode.mesh_source] : nullptr;
    if (mode.origin == istio::ModeOrigin::kMesh) {
      granted_by = "the mesh config (" + src->description + ") sets " +
                   std::string(OutboundModeName(mode.mode));
    } else {
      granted_by =
          "no mesh config sets outboundTrafficPolicy.mode, so Istio's default ALLOW_ANY applies";
    }
    d.object = src ? src->object : ObjectRef{"MeshConfig", "", "mesh-config"};
    if (!src) {
      // No mesh config at all: the finding is about the project (no location).
      d.loc = Location{};
      d.project_level = true;
    }
  }
  const std::string them = rows.size() == 1 ? "it" : "them";
  d.message = Subject(rows) + " can reach any external host because " + granted_by +
              ", but the egress policy does not allow \"*\" for " + them +
              ". Use REGISTRY_ONLY, or allow \"*\" for " + them + " in the policy.";
  return d;
}

// Rows without a proxy reach any host: the finding sits on what decides it.
Diagnostic NoProxyFinding(const MeshModel& model, const egress::Scope& s,
                          const std::vector<std::string>& rows) {
  Diagnostic d;
  d.loc = s.proxy.loc;
  if (!s.workloads.empty()) {
    d.object = s.workloads.front()->meta.ref;
    if (!d.loc.valid()) d.loc = s.workloads.front()->meta.anchor();
  } else if (const NamespaceInfo* info = model.FindNamespace(s.ns); info && info->manifest) {
    d.object = model.namespaces[*info->manifest].meta.ref;
    if (!d.loc.valid()) d.loc = model.namespaces[*info->manifest].meta.anchor();
  } else {
    d.object = ObjectRef{"Namespace", "", s.ns};
  }
  if (!d.loc.valid()) d.project_level = true;  // nothing in the inputs to point at
  d.field = "metadata.labels";
  const std::string them = rows.size() == 1 ? "it" : "them";
  d.message =
      Subject(rows) + " can reach any host on any port: " +
      (s.proxy.proxy == istio::Proxy::kAmbient ? "the pods are in ambient mode"
                                               : "the pods have no sidecar proxy") +
      ", so Istio does not mediate their egress, but the egress policy does not allow \"*\" for " +
      them + ". Give the pods a sidecar, or allow \"*\" for " + them + " in the policy.";
  // No workload in the inputs: a pod labelled sidecar.istio.io/inject=true
  // would get a sidecar, so "no proxy" is what the namespace gives by
  // default, not what its pods are known to run with.
  if (s.proxy.assumed) {
    d.uncertain = true;
    d.message +=
        " The namespace has no injection label and the inputs hold none of its workloads, so "
        "the finding is one level lower than usual: pods labelled sidecar.istio.io/inject=true "
        "get a sidecar.";
  }
  return d;
}

}  // namespace

void CheckEgressNotAllowed(const MeshModel& model, FindingSink& sink) {
  if (!model.egress_policy) return;
  std::vector<egress::PolicyError> errors;
  auto policy = egress::CompilePolicy(*model.egress_policy, errors);
  const Location policy_loc{model.egress_policy->file, 1, 1, 1, 2};
  const egress::EgressAnalysis analysis(model);

  // Per granting ServiceEntry host: the rows it lets through. Rows whose
  // policy entries and shared import list are equal share one verdict.
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::vector<std::string>> by_host;
  // Rows that reach any host, by the Sidecar that sets their mode (null: the mesh).
  std::map<const Sidecar*, std::vector<std::string>> allow_any;
  std::map<const Sidecar*, std::string> allow_any_revision;
  std::vector<std::pair<const egress::Scope*, std::vector<std::string>>> no_proxy;

  for (const egress::Scope& s : analysis.scopes()) {
    const std::vector<std::uint32_t> entries = policy->EntriesFor(s.ns);
    const std::string row = RowName(s);
    if (s.unmediated()) {
      if (!policy->AnyHostWith(entries)) no_proxy.push_back({&s, {row}});
      continue;
    }
    if (!s.mediated()) continue;
    if (AllowsAny(s.mode) && !policy->AnyHostWith(entries)) {
      const Sidecar* key = s.mode_source == istio::ModeOrigin::kSidecar ? s.sidecar : nullptr;
      allow_any[key].push_back(row);
      allow_any_revision[key] = s.proxy.revision;
    }
    for (const egress::HostRef& h : analysis.Reachable(s)) {
      if (policy->AllowsWith(entries, analysis.HostName(s, h))) continue;
      const istio::RegistryService& svc = analysis.Service(s, h);
      const auto key = std::make_pair(svc.index, h.host);
      by_host[key].push_back(row);
    }
  }

  for (const auto& [key, rows] : by_host) {
    Diagnostic d = HostFinding(model.service_entries[key.first], key.second, rows);
    d.related.push_back({policy_loc, "the egress policy"});
    sink.Report(std::move(d));
  }
  for (const auto& [sidecar, rows] : allow_any) {
    Diagnostic d = AllowAnyFinding(
        model, istio::EffectiveOutbound(model, sidecar, allow_any_revision[sidecar]), rows);
    d.related.push_back({policy_loc, "the egress policy"});
    sink.Report(std::move(d));
  }
  for (const auto& [scope, rows] : no_proxy) {
    Diagnostic d = NoProxyFinding(model, *scope, rows);
    d.related.push_back({policy_loc, "the egress policy"});
    sink.Report(std::move(d));
  }
}

}  // namespace meshlint::rules
