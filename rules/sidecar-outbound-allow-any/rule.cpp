// sidecar-outbound-allow-any: a Sidecar that sets outboundTrafficPolicy
// ALLOW_ANY lets its workloads reach any external host, whatever the mesh says.
#include "rules/common.h"
#include "rules/rules.h"

namespace meshlint::rules {

void CheckSidecarOutboundAllowAny(const MeshModel& model, FindingSink& sink) {
  const bool mesh_registry_only = !AllowsAny(model.mesh.outbound_mode);
  for (const Sidecar& sc : model.sidecars) {
    if (!sc.outbound_set || !AllowsAny(sc.outbound_mode)) continue;
    Diagnostic d;
    d.loc = sc.outbound_mode_loc.valid() ? sc.outbound_mode_loc : sc.outbound_key;
    d.object = sc.meta.ref;
    d.field = "spec.outboundTrafficPolicy.mode";
    std::string scope;
    if (sc.has_selector)
      scope = "the workloads it selects in " + sc.meta.ref.ns;
    else if (sc.meta.ref.ns == model.mesh.root_namespace)
      scope = "every namespace without a Sidecar of its own (it is the root namespace default)";
    else
      scope = "every workload of namespace " + sc.meta.ref.ns;
    d.message = "Sidecar '" + sc.meta.ref.name + "' sets outboundTrafficPolicy.mode ALLOW_ANY: " +
                scope + " can reach any external host, registered or not" +
                (mesh_registry_only ? ", although the mesh is REGISTRY_ONLY" : "") +
                ". Set the mode to REGISTRY_ONLY (or remove outboundTrafficPolicy to inherit the "
                "mesh's) and register the hosts it needs with ServiceEntries.";
    if (mesh_registry_only && model.mesh.outbound_from)
      d.related.push_back({model.mesh_sources[*model.mesh.outbound_from].outbound_mode->loc,
                           "the mesh is REGISTRY_ONLY here"});
    sink.Report(std::move(d));
  }
}

}  // namespace meshlint::rules
