// Which pods run with a sidecar proxy (istio-notes §2.1, §2.2).
#include "semantics/membership.h"

#include <algorithm>
#include <array>

#include "semantics/webhooks.h"

namespace meshlint::istio {

namespace {

constexpr std::string_view kInjectionLabel = "istio-injection";
constexpr std::string_view kRevLabel = "istio.io/rev";
constexpr std::string_view kInjectKey = "sidecar.istio.io/inject";
constexpr std::string_view kDataplaneMode = "istio.io/dataplane-mode";

const std::string* NsLabel(const NamespaceObject& ns, std::string_view key) {
  auto it = ns.labels.find(std::string(key));
  return it == ns.labels.end() ? nullptr : &it->second;
}

Location NsLabelLoc(const NamespaceObject& ns, std::string_view key) {
  auto it = ns.label_locs.find(key);
  return it == ns.label_locs.end() ? ns.meta.anchor() : it->second;
}

}  // namespace

bool IsIgnoredByInjector(std::string_view ns) {
  static constexpr std::array<std::string_view, 4> kIgnored = {
      "kube-system", "kube-public", "kube-node-lease", "local-path-storage"};
  return std::find(kIgnored.begin(), kIgnored.end(), ns) != kIgnored.end();
}

bool IsSystemNamespace(const MeshModel& model, std::string_view ns) {
  static constexpr std::array<std::string_view, 4> kSystem = {"kube-system", "kube-public",
                                                              "kube-node-lease", "istio-system"};
  const auto& extra = model.extra_system_namespaces;
  return ns == model.mesh.root_namespace ||
         std::find(kSystem.begin(), kSystem.end(), ns) != kSystem.end() ||
         std::find(extra.begin(), extra.end(), ns) != extra.end();
}

namespace {

// What the chart's default selectors make of the namespace's labels.
MeshMembership LabelMembership(const MeshModel& model, const NamespaceObject& ns) {
  // The webhooks in mutatingwebhook.yaml: `namespace.` fires on
  // istio-injection=enabled; `rev.namespace.` on istio.io/rev when
  // istio-injection is absent; any other istio-injection value vetoes both.
  if (const std::string* v = NsLabel(ns, kInjectionLabel)) {
    const Location loc = NsLabelLoc(ns, kInjectionLabel);
    if (*v == "enabled")
      return {Membership::kInjected, MembershipReason::kInjectionEnabled, loc, ""};
    return {Membership::kNotInjected,
            *v == "disabled" ? MembershipReason::kInjectionDisabled
                             : MembershipReason::kInjectionOtherValue,
            loc, ""};
  }
  if (const std::string* rev = NsLabel(ns, kRevLabel))
    return {Membership::kInjected, MembershipReason::kRevisionLabel, NsLabelLoc(ns, kRevLabel),
            *rev == "default" ? "" : *rev};
  if (const Setting<bool>& by_default = model.mesh.injector.enable_namespaces_by_default;
      by_default.value)
    return {Membership::kInjected, MembershipReason::kEnabledByDefault,
            by_default.loc.valid() ? by_default.loc : ns.meta.anchor(), ""};
  if (const std::string* mode = NsLabel(ns, kDataplaneMode); mode && *mode == "ambient")
    return {Membership::kAmbient, MembershipReason::kAmbientLabel, NsLabelLoc(ns, kDataplaneMode),
            ""};
  return {Membership::kNotInjected, MembershipReason::kNoInjectionLabel, ns.meta.anchor(), ""};
}

// What the webhook configurations in the inputs make of them: the labels
// still name the reason, the webhook that fires gives the revision.
MeshMembership WebhookMembership(const MeshModel& model, const NamespaceObject& ns) {
  const MeshMembership by_labels = LabelMembership(model, ns);
  const std::optional<FiredWebhook> fired = FiringWebhook(model, ns, nullptr);
  if (!fired) {
    if (by_labels.state != Membership::kInjected) return by_labels;
    return {Membership::kNotInjected, MembershipReason::kNoMatchingWebhook, by_labels.loc,
            by_labels.revision};
  }
  MeshMembership m{Membership::kInjected, MembershipReason::kEnabledByDefault, fired->webhook->loc,
                   fired->config->revision};
  if (const std::string* v = NsLabel(ns, kInjectionLabel); v && *v == "enabled") {
    m.reason = MembershipReason::kInjectionEnabled;
    m.loc = NsLabelLoc(ns, kInjectionLabel);
  } else if (NsLabel(ns, kRevLabel)) {
    m.reason = MembershipReason::kRevisionLabel;
    m.loc = NsLabelLoc(ns, kRevLabel);
  }
  return m;
}

}  // namespace

MeshMembership NamespaceMembership(const MeshModel& model, const NamespaceInfo& info) {
  if (IsIgnoredByInjector(info.name))
    return {Membership::kNotInjected, MembershipReason::kIgnoredNamespace, {}, ""};
  if (!info.manifest)
    return {Membership::kUnknown, MembershipReason::kNoManifest, info.first_object_loc, ""};
  const NamespaceObject& ns = model.namespaces[*info.manifest];
  return WebhooksDecide(model) ? WebhookMembership(model, ns) : LabelMembership(model, ns);
}

bool InSidecarMesh(const MeshMembership& membership) {
  return membership.state == Membership::kInjected || membership.state == Membership::kUnknown;
}

namespace {

// The pod's labels and annotations, or none (a synthetic workload).
struct PodView {
  const Workload* w = nullptr;
  const struct Label* Find(std::string_view key) const {
    return w ? w->pod.labels.Find(key) : nullptr;
  }
  const Located<std::string>* Annotation(PodAnnotation a) const {
    return w ? w->pod.Annotation(a) : nullptr;
  }
  const Labels& labels() const {
    static const Labels kNone;
    return w ? w->pod.labels : kNone;
  }
  Location anchor() const {
    if (!w) return {};
    return w->pod.loc.valid() ? w->pod.loc : w->meta.anchor();
  }
};

PodProxy Make(Proxy proxy, ProxyReason reason, Location loc, std::string revision = "") {
  PodProxy p;
  p.proxy = proxy;
  p.reason = reason;
  p.loc = loc;
  p.revision = std::move(revision);
  return p;
}

// Gate (a) by the webhook configurations in the inputs.
std::optional<PodProxy> PodWebhook(const MeshModel& model, const NamespaceObject& nso,
                                   const MeshMembership& ns, const PodView& pod, PodProxy& no) {
  const struct Label* inject = pod.Find(kInjectKey);
  const struct Label* rev = pod.Find(kRevLabel);
  const std::optional<FiredWebhook> fired =
      FiringWebhook(model, nso, pod.w ? &pod.labels() : nullptr);
  if (!fired) {
    const Located<std::string>* annotation = pod.Annotation(PodAnnotation::kInject);
    if (inject && inject->value == "false")
      no = Make(Proxy::kNone, ProxyReason::kPodLabelFalse, inject->loc);
    else if (ns.state != Membership::kInjected && annotation && annotation->value == "true")
      no = Make(Proxy::kNone, ProxyReason::kAnnotationOnlyTrue, annotation->loc);
    else no = Make(Proxy::kNone, ProxyReason::kNamespaceNotInjected, ns.loc);
    return std::nullopt;
  }
  const std::string& revision = fired->config->revision;
  if (ns.state == Membership::kInjected)
    return Make(Proxy::kSidecar, ProxyReason::kNamespaceInjected, ns.loc, revision);
  if (rev) return Make(Proxy::kSidecar, ProxyReason::kPodRevisionLabel, rev->loc, revision);
  return Make(Proxy::kSidecar, ProxyReason::kPodLabelInjects,
              inject ? inject->loc : fired->webhook->loc, revision);
}

// Gate (a): which webhook, if any, sends the pod to an injector, and of
// which revision. Nullopt: none does; `no` then says why.
std::optional<PodProxy> WebhookFires(const MeshModel& model, const NamespaceInfo& info,
                                     const PodView& pod, PodProxy& no) {
  const struct Label* inject = pod.Find(kInjectKey);
  const bool label_false = inject && inject->value == "false";
  const MeshMembership ns = NamespaceMembership(model, info);
  if (ns.reason == MembershipReason::kIgnoredNamespace) {
    no = Make(Proxy::kNone, ProxyReason::kIgnoredNamespace, {});
    return std::nullopt;
  }
  if (info.manifest && WebhooksDecide(model))
    return PodWebhook(model, model.namespaces[*info.manifest], ns, pod, no);
  if (ns.state == Membership::kInjected || ns.state == Membership::kUnknown) {
    if (label_false) {
      no = Make(Proxy::kNone, ProxyReason::kPodLabelFalse, inject->loc);
      return std::nullopt;
    }
    PodProxy yes = Make(Proxy::kSidecar,
                        ns.state == Membership::kUnknown ? ProxyReason::kAssumedInjected
                                                         : ProxyReason::kNamespaceInjected,
                        ns.loc, ns.revision);
    if (ns.reason == MembershipReason::kEnabledByDefault) {
      // The `auto.` webhook skips pods that carry either label.
      const struct Label* rev = pod.Find(kRevLabel);
      if (inject || rev) {
        if (inject && inject->value == "true" && !rev)
          return Make(Proxy::kSidecar, ProxyReason::kPodLabelInjects, inject->loc);
        if (rev && !label_false)
          return Make(Proxy::kSidecar, ProxyReason::kPodRevisionLabel, rev->loc,
                      rev->value == "default" ? "" : rev->value);
        no = Make(Proxy::kNone, ProxyReason::kNamespaceNotInjected, ns.loc);
        return std::nullopt;
      }
      yes.mesh_source = model.mesh.injector.enable_namespaces_by_default.from;
    }
    if (ns.state == Membership::kUnknown) {
      // The pod's own label sends it to the object webhooks, whose
      // namespace selectors ask only that the namespace carries no
      // injection label: the pod says it gets a sidecar, not the guess.
      if (const struct Label* rev = pod.Find(kRevLabel))
        return Make(Proxy::kSidecar, ProxyReason::kPodRevisionLabel, rev->loc,
                    rev->value == "default" ? "" : rev->value);
      if (inject && inject->value == "true")
        return Make(Proxy::kSidecar, ProxyReason::kPodLabelInjects, inject->loc);
      yes.assumed = true;
    }
    return yes;
  }
  // A namespace label that injects nothing vetoes the object webhooks too;
  // only an unlabelled (or ambient) namespace lets a pod opt in.
  const bool labelled = ns.reason == MembershipReason::kInjectionDisabled ||
                        ns.reason == MembershipReason::kInjectionOtherValue;
  if (!labelled && !label_false) {
    if (const struct Label* rev = pod.Find(kRevLabel))
      return Make(Proxy::kSidecar, ProxyReason::kPodRevisionLabel, rev->loc,
                  rev->value == "default" ? "" : rev->value);
    if (inject && inject->value == "true")
      return Make(Proxy::kSidecar, ProxyReason::kPodLabelInjects, inject->loc);
  }
  const Located<std::string>* annotation = pod.Annotation(PodAnnotation::kInject);
  if (label_false) {
    no = Make(Proxy::kNone, ProxyReason::kPodLabelFalse, inject->loc);
  } else if (!labelled && annotation && annotation->value == "true") {
    no = Make(Proxy::kNone, ProxyReason::kAnnotationOnlyTrue, annotation->loc);
  } else {
    no = Make(Proxy::kNone, ProxyReason::kNamespaceNotInjected, ns.loc);
  }
  return std::nullopt;
}

bool AnyMatches(const std::vector<LabelSelector>& selectors, const Labels& labels) {
  // An empty selector never matches (inject.go skips it).
  return std::any_of(selectors.begin(), selectors.end(),
                     [&](const LabelSelector& s) { return !s.Empty() && s.Matches(labels); });
}

// Gate (b): injectRequired, for a pod some webhook sent to the injector.
PodProxy InjectorPolicy(const MeshModel& model, const PodView& pod, PodProxy yes) {
  if (pod.w && pod.w->pod.host_network)
    return Make(Proxy::kNone, ProxyReason::kHostNetwork, pod.w->pod.host_network_loc);
  // The label wins over the annotation; a value other than true/false is
  // logged and treated as absent.
  const struct Label* label = pod.Find(kInjectKey);
  const Located<std::string>* annotation = pod.Annotation(PodAnnotation::kInject);
  std::string_view value;
  Location loc;
  bool from_label = false;
  if (label) {
    value = label->value;
    loc = label->loc;
    from_label = true;
  } else if (annotation) {
    value = annotation->value;
    loc = annotation->loc;
  }
  const InjectorSettings& injector = model.SettingsForRevision(yes.revision).injector;
  // A policy other than enabled/disabled is illegal: the injector then
  // injects nothing, whatever the pod says.
  const std::string& policy = injector.auto_inject.value;
  if (policy != "enabled" && policy != "disabled") {
    PodProxy no = Make(Proxy::kNone, ProxyReason::kAutoInjectDisabled, injector.auto_inject.loc);
    no.mesh_source = injector.auto_inject.from;
    return no;
  }
  if (value == "false")
    return Make(Proxy::kNone,
                from_label ? ProxyReason::kPodLabelFalse : ProxyReason::kPodAnnotationFalse, loc);
  if (value == "true") return yes;
  if (AnyMatches(injector.never_inject_selector, pod.labels())) {
    PodProxy no = Make(Proxy::kNone, ProxyReason::kNeverInjectSelector, {});
    no.mesh_source = injector.never_inject_from;
    if (no.mesh_source) {
      const MeshConfigSource& src = model.mesh_sources[*no.mesh_source];
      no.loc = src.injector.never_inject_key.valid() ? src.injector.never_inject_key : src.loc;
    }
    return no;
  }
  if (AnyMatches(injector.always_inject_selector, pod.labels())) {
    yes.reason = ProxyReason::kAlwaysInjectSelector;
    yes.mesh_source = injector.always_inject_from;
    if (yes.mesh_source && model.mesh_sources[*yes.mesh_source].injector.always_inject_key.valid())
      yes.loc = model.mesh_sources[*yes.mesh_source].injector.always_inject_key;
    return yes;
  }
  if (injector.auto_inject.value == "disabled") {
    PodProxy no = Make(Proxy::kNone, ProxyReason::kAutoInjectDisabled, injector.auto_inject.loc);
    no.mesh_source = injector.auto_inject.from;
    return no;
  }
  return yes;
}

// Not injected: enrolled in ambient instead? (CNI enablement selectors: the
// pod label, else the namespace label unless the pod says `none`.)
PodProxy AmbientOrNone(const MeshModel& model, const NamespaceInfo& info, const PodView& pod,
                       PodProxy none) {
  if (pod.w && pod.w->pod.host_network) return none;
  const struct Label* mode = pod.Find(kDataplaneMode);
  if (mode && mode->value == "ambient")
    return Make(Proxy::kAmbient, ProxyReason::kAmbientPod, mode->loc);
  if (mode && mode->value == "none") return none;
  if (!info.manifest) return none;
  const NamespaceObject& ns = model.namespaces[*info.manifest];
  if (const std::string* v = NsLabel(ns, kDataplaneMode); v && *v == "ambient")
    return Make(Proxy::kAmbient, ProxyReason::kAmbientNamespace, NsLabelLoc(ns, kDataplaneMode));
  return none;
}

bool IsGatewayTemplate(const PodView& pod) {
  const Located<std::string>* t = pod.Annotation(PodAnnotation::kInjectTemplates);
  return t && t->value.find("gateway") != std::string::npos;
}

}  // namespace

PodProxy WorkloadProxy(const MeshModel& model, const NamespaceInfo& info,
                       const Workload* workload) {
  const PodView pod{workload};
  PodProxy no;
  std::optional<PodProxy> fired = WebhookFires(model, info, pod, no);
  PodProxy out = fired ? InjectorPolicy(model, pod, *fired) : no;
  // Pods not in the inputs, in a namespace whose label neither injects nor
  // keeps them out: each may still opt in with its own label.
  if (!workload && out.reason == ProxyReason::kNamespaceNotInjected &&
      NamespaceMembership(model, info).reason == MembershipReason::kNoInjectionLabel)
    out.assumed = true;
  if (out.proxy == Proxy::kNone) return AmbientOrNone(model, info, pod, out);
  if (IsGatewayTemplate(pod)) out.proxy = Proxy::kGateway;
  return out;
}

PodProxy NewNamespaceProxy() {
  PodProxy p = Make(Proxy::kSidecar, ProxyReason::kAssumedInjected, {});
  p.assumed = true;
  return p;
}

SidecarPods NamespaceSidecarPods(const MeshModel& model, const NamespaceInfo& info) {
  const MeshMembership m = NamespaceMembership(model, info);
  // A label that injects nothing vetoes the object webhooks too.
  if (m.reason == MembershipReason::kIgnoredNamespace ||
      m.reason == MembershipReason::kInjectionDisabled ||
      m.reason == MembershipReason::kInjectionOtherValue ||
      m.reason == MembershipReason::kNoMatchingWebhook)
    return SidecarPods::kNone;
  if (info.workloads.empty()) {
    if (m.state == Membership::kInjected) return SidecarPods::kSome;
    if (m.state == Membership::kAmbient) return SidecarPods::kNone;
    return SidecarPods::kAssumed;  // kUnknown, kNoInjectionLabel
  }
  SidecarPods out = SidecarPods::kNone;
  for (std::size_t wi : info.workloads) {
    const PodProxy p = WorkloadProxy(model, info, &model.workloads[wi]);
    if (!p.mediated()) continue;
    if (!p.assumed) return SidecarPods::kSome;
    out = SidecarPods::kAssumed;
  }
  return out;
}

}  // namespace meshlint::istio
