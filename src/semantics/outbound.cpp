// The outbound traffic policy: the applicable Sidecar's, else the mesh's.
#include "semantics/outbound.h"

namespace meshlint::istio {

OutboundDecision MeshOutbound(const MeshModel& model, std::string_view revision) {
  const MeshSettings& mesh = model.SettingsForRevision(revision);
  OutboundDecision d;
  d.mode = mesh.outbound_mode;
  if (mesh.outbound_from) {
    d.origin = ModeOrigin::kMesh;
    d.mesh_source = mesh.outbound_from;
    const MeshConfigSource& src = model.mesh_sources[*d.mesh_source];
    // `outboundTrafficPolicy: {}` sets REGISTRY_ONLY without a `mode:`.
    d.loc = src.outbound_mode ? src.outbound_mode->loc
                              : (src.outbound_key.valid() ? src.outbound_key : src.loc);
  } else if (mesh.outbound_unset_at) {
    // Unset: point at the mesh config whose setting would decide, where a
    // person would add the mode.
    d.mesh_source = mesh.outbound_unset_at;
    const MeshConfigSource& src = model.mesh_sources[*d.mesh_source];
    d.loc = src.outbound_key.valid() ? src.outbound_key : src.loc;
  }
  return d;
}

OutboundDecision EffectiveOutbound(const MeshModel& model, const Sidecar* sidecar,
                                   std::string_view revision) {
  if (!sidecar || !sidecar->outbound_set) return MeshOutbound(model, revision);
  OutboundDecision d;
  d.mode = sidecar->outbound_mode;
  d.origin = ModeOrigin::kSidecar;
  d.sidecar = sidecar;
  d.mode_written = sidecar->outbound_mode_loc.valid();
  d.loc = d.mode_written ? sidecar->outbound_mode_loc : sidecar->outbound_key;
  return d;
}

}  // namespace meshlint::istio
