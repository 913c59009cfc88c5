// mesh-outbound-allow-any: the mesh lets traffic to unknown hosts through, so
// neither ServiceEntries nor Sidecar egress lists restrict anything.
#include "rules/rules.h"

namespace meshlint::rules {

namespace {

constexpr const char* kFix = " Set meshConfig.outboundTrafficPolicy.mode to REGISTRY_ONLY.";

}  // namespace

void CheckMeshOutboundAllowAny(const MeshModel& model, FindingSink& sink) {
  if (!AllowsAny(model.mesh.outbound_mode)) return;
  Diagnostic d;
  d.field = "meshConfig.outboundTrafficPolicy.mode";
  const std::string mode(OutboundModeName(model.mesh.outbound_mode));
  if (model.mesh.outbound_from) {
    const MeshConfigSource& src = model.mesh_sources[*model.mesh.outbound_from];
    d.loc = src.outbound_mode->loc;
    d.object = src.object;
    d.message = "The mesh's outboundTrafficPolicy.mode is " + mode + " (" + src.description +
                "): every sidecar passes traffic to any external host, registered or not." + kFix;
  } else if (!model.mesh_sources.empty()) {
    // Sources exist but none sets the mode: point at the one that would.
    const MeshConfigSource* src = &model.mesh_sources.front();
    for (const auto& s : model.mesh_sources)
      if (s.outbound_key.valid()) src = &s;
    d.loc = src->outbound_key.valid() ? src->outbound_key : src->loc;
    d.object = src->object;
    d.message = "The mesh config (" + src->description +
                ") does not set outboundTrafficPolicy.mode, so Istio uses ALLOW_ANY: every "
                "sidecar passes traffic to any external host." + kFix;
  } else {
    if (model.files.size() == 0) return;
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
