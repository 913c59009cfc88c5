// Which namespaces run their pods with a sidecar proxy.
#include "semantics/istio.h"

#include <algorithm>
#include <array>

namespace meshlint::istio {

// ---- Namespaces ----

bool IsSystemNamespace(const MeshModel& model, std::string_view ns) {
  static constexpr std::array<std::string_view, 4> kSystem = {
      "kube-system", "kube-public", "kube-node-lease", "istio-system"};
  const auto& extra = model.extra_system_namespaces;
  return ns == model.mesh.root_namespace ||
         std::find(kSystem.begin(), kSystem.end(), ns) != kSystem.end() ||
         std::find(extra.begin(), extra.end(), ns) != extra.end();
}

namespace {

bool HasLabel(const NamespaceObject& ns, const char* key, const char* value) {
  auto it = ns.labels.find(key);
  return it != ns.labels.end() && it->second == value;
}

}  // namespace

MeshMembership NamespaceMembership(const MeshModel& model, const NamespaceInfo& info) {
  if (IsSystemNamespace(model, info.name))
    return {Membership::kNotInjected, MembershipReason::kSystemNamespace, {}};
  if (!info.manifest)
    return {Membership::kUnknown, MembershipReason::kNoManifest, info.first_object_loc};
  const NamespaceObject& ns = model.namespaces[*info.manifest];
  const Location loc = ns.meta.anchor();
  if (HasLabel(ns, "istio-injection", "disabled"))
    return {Membership::kNotInjected, MembershipReason::kInjectionDisabled, loc};
  if (HasLabel(ns, "istio-injection", "enabled"))
    return {Membership::kInjected, MembershipReason::kInjectionEnabled, loc};
  if (ns.labels.count("istio.io/rev") != 0)
    return {Membership::kInjected, MembershipReason::kRevisionLabel, loc};
  if (HasLabel(ns, "istio.io/dataplane-mode", "ambient"))
    return {Membership::kAmbient, MembershipReason::kAmbientLabel, loc};
  return {Membership::kUnknown, MembershipReason::kNoInjectionLabel, loc};
}

bool InSidecarMesh(const MeshMembership& membership) {
  switch (membership.state) {
    case Membership::kInjected:
    case Membership::kUnknown: return true;
    case Membership::kNotInjected:
    case Membership::kAmbient: return false;
  }
  return true;
}

}  // namespace meshlint::istio
