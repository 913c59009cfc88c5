// sidecar-outbound-allow-any: a Sidecar that sets outboundTrafficPolicy
// ALLOW_ANY lets its workloads reach any external host, whatever the mesh says.
#include "rules/common.h"
#include "rules/rules.h"
#include "semantics/istio.h"

namespace meshlint::rules {

void CheckSidecarOutboundAllowAny(const MeshModel& model, FindingSink& sink) {
  const istio::OutboundDecision mesh = istio::MeshOutbound(model);
  const bool mesh_registry_only = !AllowsAny(mesh.mode);
  for (const Sidecar& sc : model.sidecars) {
    const istio::OutboundDecision own = istio::EffectiveOutbound(model, &sc);
    if (own.origin != istio::ModeOrigin::kSidecar || !AllowsAny(own.mode)) continue;
    Diagnostic d;
    d.loc = own.loc;
    d.object = sc.meta.ref;
    d.field = "spec.outboundTrafficPolicy.mode";
    std::string scope;
    if (sc.has_selector) scope = "the workloads it selects in " + sc.meta.ref.ns;
    else if (istio::IsRootDefault(model, sc))
      scope = "every namespace without a Sidecar of its own (it is the root namespace default)";
    else scope = "every workload of namespace " + sc.meta.ref.ns;
    d.message = "Sidecar '" + sc.meta.ref.name +
                "' sets outboundTrafficPolicy.mode ALLOW_ANY: " + scope +
                " can reach any external host, registered or not" +
                (mesh_registry_only ? ", although the mesh is REGISTRY_ONLY" : "") +
                ". Set the mode to REGISTRY_ONLY (or remove outboundTrafficPolicy to inherit the "
                "mesh's) and register the hosts it needs with ServiceEntries.";
    if (mesh_registry_only && mesh.origin == istio::ModeOrigin::kMesh)
      d.related.push_back({mesh.loc, "the mesh is REGISTRY_ONLY here"});
    sink.Report(std::move(d));
  }
}

}  // namespace meshlint::rules
