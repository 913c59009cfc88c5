// Which Sidecar applies to a namespace's workloads, and what its egress
// hosts import where it applies (pilot/pkg/model/push_context.go
// initSidecarScopes).
#include "semantics/istio.h"

#include <algorithm>

namespace meshlint::istio {

// ---- Which Sidecar applies ----

std::vector<const Sidecar*> DefaultSidecars(const MeshModel& model, std::string_view ns) {
  std::vector<const Sidecar*> out;
  const NamespaceInfo* info = model.FindNamespace(ns);
  if (!info) return out;
  for (std::size_t i : info->sidecars)
    if (!model.sidecars[i].has_selector) out.push_back(&model.sidecars[i]);
  return out;
}

bool IsRootDefault(const MeshModel& model, const Sidecar& sidecar) {
  return !sidecar.has_selector && sidecar.meta.ref.ns == model.mesh.root_namespace;
}

AppliedSidecar ApplicableSidecar(const MeshModel& model, std::string_view ns) {
  // Istio uses the oldest when there are several; manifests carry no creation
  // time, so the first in input order stands in for it.
  if (auto own = DefaultSidecars(model, ns); !own.empty())
    return {own.front(), SidecarOrigin::kOwnDefault};
  if (auto root = DefaultSidecars(model, model.mesh.root_namespace); !root.empty())
    return {root.front(), SidecarOrigin::kRootDefault};
  return {};
}

bool SidecarGoverns(const MeshModel& model, const Sidecar& sidecar, std::string_view ns) {
  if (ns == sidecar.meta.ref.ns) return true;
  return IsRootDefault(model, sidecar) && DefaultSidecars(model, ns).empty();
}

GovernedImport ImportWhereApplied(const MeshModel& model, const Sidecar& sidecar,
                                  const EgressEntry& entry, const ServiceEntry& se) {
  const std::string& own_ns = sidecar.meta.ref.ns;
  const std::string& se_ns = se.meta.ref.ns;
  GovernedImport out;
  if (!IsRootDefault(model, sidecar)) {
    out.selects = SelectsNamespace(entry, own_ns, se_ns);
    out.exported = IsExportedTo(model, se, own_ns);
  } else if (entry.ns == ".") {
    // "." in the root default is each namespace's own: the ServiceEntry's
    // namespace, if the Sidecar applies there.
    out.selects = SidecarGoverns(model, sidecar, se_ns);
    out.exported = IsExportedTo(model, se, se_ns);
  } else {
    out.selects = SelectsNamespace(entry, own_ns, se_ns);
    const Export exported = EffectiveExport(model, se);
    out.exported = exported.scope == ExportScope::kAll ||
                   std::any_of(exported.namespaces.begin(), exported.namespaces.end(),
                               [&](std::string_view ns) { return SidecarGoverns(model, sidecar, ns); });
  }
  return out;
}

}  // namespace meshlint::istio
