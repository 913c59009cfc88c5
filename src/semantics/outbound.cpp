// The outbound traffic policy: the applicable Sidecar's, else the mesh's.
#include "semantics/istio.h"

namespace meshlint::istio {

// ---- Outbound traffic policy ----

OutboundDecision MeshOutbound(const MeshModel& model) {
  OutboundDecision d;
  d.mode = model.mesh.outbound_mode;
  if (model.mesh.outbound_from) {
    d.origin = ModeOrigin::kMesh;
    d.mesh_source = model.mesh.outbound_from;
    d.loc = model.mesh_sources[*d.mesh_source].outbound_mode->loc;
  } else if (model.mesh.outbound_unset_at) {
    // Unset: point at the mesh config whose setting would decide, where a
    // person would add the mode.
    d.mesh_source = model.mesh.outbound_unset_at;
    const MeshConfigSource& src = model.mesh_sources[*d.mesh_source];
    d.loc = src.outbound_key.valid() ? src.outbound_key : src.loc;
  }
  return d;
}

OutboundDecision EffectiveOutbound(const MeshModel& model, const Sidecar* sidecar) {
  if (!sidecar || !sidecar->outbound_set) return MeshOutbound(model);
  OutboundDecision d;
  d.mode = sidecar->outbound_mode;
  d.origin = ModeOrigin::kSidecar;
  d.sidecar = sidecar;
  d.mode_written = sidecar->outbound_mode_loc.valid();
  d.loc = d.mode_written ? sidecar->outbound_mode_loc : sidecar->outbound_key;
  return d;
}

}  // namespace meshlint::istio
