// The outbound traffic policy: the applicable Sidecar's, else the mesh's.
#include "semantics/outbound.h"

#include "semantics/sidecar_scope.h"

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

namespace {

// A listener without a port importing "*/*" takes every service on every
// port: the Sidecar then limits nothing, though it has listeners.
bool ListsEverything(const Sidecar& sidecar) {
  for (const SidecarEgressListener& l : sidecar.egress) {
    if (l.port_set) continue;
    for (std::size_t i = l.first_host; i < l.first_host + l.host_count; ++i)
      if (sidecar.egress_hosts[i].value == "*/*") return true;
  }
  return false;
}

}  // namespace

EgressIntent IntendedEgress(const MeshModel& model, std::string_view ns, const Labels* labels,
                            std::string_view revision) {
  EgressIntent intent;
  intent.sidecar = SidecarFor(model, ns, labels, revision).sidecar;
  intent.outbound = EffectiveOutbound(model, intent.sidecar, revision);
  if (!AllowsAny(intent.outbound.mode)) {
    intent.why = EgressIntent::Why::kRegistryOnly;
    intent.loc = intent.outbound.loc;
    if (!intent.loc.valid() && intent.sidecar) intent.loc = intent.sidecar->meta.anchor();
  } else if (!ImportsEverything(intent.sidecar) && !ListsEverything(*intent.sidecar)) {
    intent.why = EgressIntent::Why::kSidecarImports;
    intent.loc = intent.sidecar->egress_key.valid() ? intent.sidecar->egress_key
                                                    : intent.sidecar->meta.anchor();
  }
  return intent;
}

}  // namespace meshlint::istio
