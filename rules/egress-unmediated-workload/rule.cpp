// egress-unmediated-workload: pods that get no sidecar proxy (or are in
// ambient mode) in a mesh whose configuration means to restrict their
// egress: nothing in Istio stands between them and any host. Membership and
// the intent come from the semantics unit (WorkloadProxy, IntendedEgress);
// this rule only groups the pods by the place that decides and words it.
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "rules/common.h"
#include "rules/rules.h"
#include "semantics/istio.h"

namespace meshlint::rules {

namespace {

// One finding: the pods one label, annotation, field or setting keeps out of
// the mesh.
struct Group {
  istio::PodProxy proxy;
  std::string ns;
  const NamespaceInfo* info = nullptr;
  std::vector<const Workload*> workloads;  // empty: the namespace's pods (no manifests)
  istio::EgressIntent intent;
};

using Key = std::tuple<std::uint32_t, std::uint32_t, std::uint32_t, int, std::string>;

// Per namespace: a mesh-wide setting (autoInject, neverInjectSelector) is
// reported in each namespace it keeps out, with that namespace's workloads.
Key KeyOf(const istio::PodProxy& p, const std::string& ns) {
  return {p.loc.file, p.loc.line, p.loc.column, static_cast<int>(p.reason), ns};
}

std::string NsLabelValue(const MeshModel& model, const NamespaceInfo& info, const char* key) {
  if (!info.manifest) return "";
  const auto& labels = model.namespaces[*info.manifest].labels;
  auto it = labels.find(key);
  return it == labels.end() ? "" : it->second;
}

// Why the pods have no proxy, in words.
std::string Reason(const MeshModel& model, const Group& g) {
  using R = istio::ProxyReason;
  switch (g.proxy.reason) {
    case R::kNamespaceNotInjected: {
      const istio::MeshMembership m = istio::NamespaceMembership(model, *g.info);
      if (m.reason == istio::MembershipReason::kInjectionDisabled)
        return "the namespace is labelled istio-injection=disabled";
      if (m.reason == istio::MembershipReason::kInjectionOtherValue)
        return "the namespace is labelled istio-injection=\"" +
               NsLabelValue(model, *g.info, "istio-injection") + "\", and only \"enabled\" injects";
      if (m.reason == istio::MembershipReason::kNoInjectionLabel)
        return "the namespace has no injection label (istio-injection=enabled or istio.io/rev)";
      return "the namespace's labels send its pods to no injector";
    }
    case R::kPodLabelFalse: return "the pod template is labelled sidecar.istio.io/inject=\"false\"";
    case R::kPodAnnotationFalse:
      return "the pod template is annotated sidecar.istio.io/inject=\"false\"";
    case R::kAnnotationOnlyTrue:
      return "the namespace has no injection label and the pod template opts in only with the "
             "annotation sidecar.istio.io/inject=\"true\", which the injection webhook does not "
             "see (the label does)";
    case R::kHostNetwork:
      return "the pods run on the host network (hostNetwork: true), which the injector never injects";
    case R::kNeverInjectSelector:
      return "the injector's neverInjectSelector matches the pod labels";
    case R::kAutoInjectDisabled: return "the injector's autoInject is disabled";
    case R::kAmbientNamespace:
    case R::kAmbientPod:
      return "the pods are in ambient mode (istio.io/dataplane-mode=ambient), where neither "
             "REGISTRY_ONLY nor Sidecar resources apply";
    default: return "they get no proxy";
  }
}

std::string Fix(const Group& g) {
  using R = istio::ProxyReason;
  switch (g.proxy.reason) {
    case R::kNamespaceNotInjected:
      return "Label the namespace istio-injection=enabled (or istio.io/rev=<revision>)";
    case R::kPodLabelFalse:
    case R::kPodAnnotationFalse: return "Remove sidecar.istio.io/inject=\"false\"";
    case R::kAnnotationOnlyTrue: return "Make sidecar.istio.io/inject=\"true\" a pod label";
    case R::kHostNetwork: return "Run the pods off the host network";
    case R::kAmbientNamespace:
    case R::kAmbientPod:
      return "Use sidecar injection for workloads whose egress must be restricted";
    default: return "Give the pods a sidecar";
  }
}

std::string Subject(const Group& g) {
  if (g.workloads.empty()) return "The pods of namespace '" + g.ns + "'";
  std::vector<std::string> names;
  for (const Workload* w : g.workloads) names.push_back(w->meta.ref.kind + "/" + w->meta.ref.name);
  if (names.size() == 1)
    return g.workloads.front()->meta.ref.kind + " '" + g.ns + "/" +
           g.workloads.front()->meta.ref.name + "'";
  return "Workloads " + ListForMessage(names) + " of namespace '" + g.ns + "'";
}

std::string Intent(const MeshModel& model, const istio::EgressIntent& intent) {
  if (intent.why == istio::EgressIntent::Why::kRegistryOnly) {
    if (intent.outbound.origin == istio::ModeOrigin::kSidecar)
      return "the Sidecar '" + intent.sidecar->meta.ref.ns + "/" + intent.sidecar->meta.ref.name +
             "' sets REGISTRY_ONLY for them";
    std::string out = "the mesh's outbound traffic policy is REGISTRY_ONLY";
    if (intent.loc.valid()) out += " (" + Where(model, intent.loc) + ")";
    return out;
  }
  return "the Sidecar '" + intent.sidecar->meta.ref.ns + "/" + intent.sidecar->meta.ref.name +
         "' limits what they may import";
}

void Report(const MeshModel& model, const Group& g, FindingSink& sink) {
  Diagnostic d;
  d.loc = g.proxy.loc;
  AboutPods(model, g.workloads, *g.info, d);
  using R = istio::ProxyReason;
  switch (g.proxy.reason) {
    case R::kHostNetwork: d.field = "spec.hostNetwork"; break;
    case R::kPodAnnotationFalse:
    case R::kAnnotationOnlyTrue: d.field = "metadata.annotations"; break;
    default: d.field = "metadata.labels";
  }
  if (g.intent.loc.valid() && g.intent.loc != d.loc)
    d.related.push_back({g.intent.loc, g.intent.why == istio::EgressIntent::Why::kRegistryOnly
                                           ? "REGISTRY_ONLY: what a sidecar would enforce"
                                           : "the Sidecar that would limit their imports"});
  const bool many = g.workloads.size() != 1;
  d.message =
      Subject(g) + (many ? " get" : " gets") + " no sidecar proxy: " + Reason(model, g) +
      ". Istio does not mediate " + (many ? "their egress, so they can" : "its egress, so it can") +
      " reach any host on any port, although " + Intent(model, g.intent) + ". " + Fix(g) + ".";
  sink.Report(std::move(d));
}

}  // namespace

void CheckEgressUnmediatedWorkload(const MeshModel& model, FindingSink& sink) {
  // With an egress policy, the policy says which namespaces may reach any
  // host, and egress-not-allowed reports the others: not twice.
  if (model.egress_policy) return;
  std::map<Key, Group> groups;
  auto consider = [&](const NamespaceInfo& info, const Workload* w) {
    const istio::PodProxy p = istio::WorkloadProxy(model, info, w);
    if (p.proxy != istio::Proxy::kNone && p.proxy != istio::Proxy::kAmbient) return;
    // The injector's own exclusions (kube-system, ...) run infrastructure.
    if (p.reason == istio::ProxyReason::kIgnoredNamespace) return;
    const istio::EgressIntent intent =
        istio::IntendedEgress(model, info.name, w ? &w->pod.labels : nullptr, p.revision);
    if (!intent.restricted()) return;
    auto [it, fresh] = groups.try_emplace(KeyOf(p, info.name));
    Group& g = it->second;
    if (fresh) {
      g.proxy = p;
      g.ns = info.name;
      g.info = &info;
      g.intent = intent;
    }
    if (w) g.workloads.push_back(w);
  };
  for (const NamespaceInfo& info : model.namespace_index()) {
    if (istio::IsSystemNamespace(model, info.name)) continue;
    if (info.workloads.empty()) {
      // A Namespace manifest without an injection label still lets each pod
      // opt in (the label sidecar.istio.io/inject=true): with no workload
      // manifests to tell, whether its pods have a proxy is not known, and
      // namespace-without-sidecar's note says so; no warning on a guess.
      if (istio::NamespaceMembership(model, info).reason !=
          istio::MembershipReason::kNoInjectionLabel)
        consider(info, nullptr);
      continue;
    }
    for (std::size_t wi : info.workloads) consider(info, &model.workloads[wi]);
  }
  for (const auto& [key, g] : groups) Report(model, g, sink);
}

}  // namespace meshlint::rules
