// mesh-outbound-allow-any: the mesh lets traffic to unknown hosts through, so
// neither ServiceEntries nor Sidecar egress lists restrict anything.
#include "rules/rules.h"
#include "semantics/istio.h"

namespace meshlint::rules {

namespace {

constexpr const char* kFix = " Set meshConfig.outboundTrafficPolicy.mode to REGISTRY_ONLY.";

}  // namespace

void CheckMeshOutboundAllowAny(const MeshModel& model, FindingSink& sink) {
  const istio::OutboundDecision mesh = istio::MeshOutbound(model);
  if (!AllowsAny(mesh.mode)) return;
  Diagnostic d;
  d.field = "meshConfig.outboundTrafficPolicy.mode";
  const std::string mode(OutboundModeName(mesh.mode));
  if (mesh.mesh_source) {
    // Set by a source, or left unset: point at the source that decides (or,
    // unset, the one whose setting would).
    const MeshConfigSource& src = model.mesh_sources[*mesh.mesh_source];
    d.loc = mesh.loc;
    d.object = src.object;
    d.message = mesh.origin == istio::ModeOrigin::kMesh
                    ? "The mesh's outboundTrafficPolicy.mode is " + mode + " (" + src.description +
                          "): every sidecar passes traffic to any external host, registered or "
                          "not." + kFix
                    : "The mesh config (" + src.description +
                          ") does not set outboundTrafficPolicy.mode, so Istio uses ALLOW_ANY: "
                          "every sidecar passes traffic to any external host." + kFix;
  } else {
    if (model.stats.files == 0) return;  // nothing was read: nothing to judge
    // Nothing to point at but the input itself.
    d.loc = Location{0, 1, 1, 1, 1};
    d.project_level = true;
    d.object = ObjectRef{"MeshConfig", "", "mesh-config"};
    d.message =
        "No mesh config was found (IstioOperator spec.meshConfig, ConfigMap istio data.mesh, "
        "or --mesh-config FILE), so Istio's default outboundTrafficPolicy ALLOW_ANY applies: "
        "every sidecar passes traffic to any external host. Add the mesh config to the inputs "
        "or pass --mesh-config.";
  }
  sink.Report(std::move(d));
}

}  // namespace meshlint::rules
