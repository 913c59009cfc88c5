// The outbound traffic policy (istio-notes §2.5): the applicable Sidecar's
// outboundTrafficPolicy when it is set ({} is REGISTRY_ONLY, the enum's zero
// value), else the mesh config of the revision that proxies the workload
// (pilot/pkg/model/sidecar.go initSidecarScopeInternalIndexes).
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "model/model.h"

namespace meshlint::istio {

enum class ModeOrigin {
  kIstioDefault,  // no mesh config sets it: Istio's default ALLOW_ANY
  kMesh,          // the mesh config (MeshSettings::outbound_from)
  kSidecar,       // the applicable Sidecar's outboundTrafficPolicy
};
struct OutboundDecision {
  OutboundMode mode = OutboundMode::kAllowAny;
  ModeOrigin origin = ModeOrigin::kIstioDefault;
  const Sidecar* sidecar = nullptr;  // kSidecar
  // kSidecar: `mode:` written; false means `outboundTrafficPolicy` without a
  // mode, which Istio reads as REGISTRY_ONLY (the enum's zero value).
  bool mode_written = false;
  // kMesh: the source that sets the mode. kIstioDefault: the source that
  // would decide it if it set one (the highest-precedence mesh config, see
  // MeshSettings::outbound_unset_at); nullopt when there is no mesh config.
  std::optional<std::size_t> mesh_source;
  // Where to point: the Sidecar's `mode:` (or its outboundTrafficPolicy key),
  // the mesh source's `mode:`, or for the default the deciding source's
  // `outboundTrafficPolicy:` key or its mesh config; invalid without one.
  Location loc;
};
// The mesh-wide mode of `revision` ("" the default revision).
OutboundDecision MeshOutbound(const MeshModel& model, std::string_view revision = "");
// The mode for workloads governed by `sidecar` (null: no Sidecar).
OutboundDecision EffectiveOutbound(const MeshModel& model, const Sidecar* sidecar,
                                   std::string_view revision = "");

// Is the configuration meant to restrict the egress of pods with `labels`
// (null: pods without labels) in `ns`, were they proxied by `revision`? Yes
// when their outbound mode would be REGISTRY_ONLY (the applicable Sidecar's,
// else the mesh's), or when the Sidecar that would apply to them has egress
// listeners, so imports less than Istio's catch-all "*/*". The rules about
// pods that escape the proxy ask this, so that they speak only where a proxy
// would have held the pods back.
struct EgressIntent {
  enum class Why { kNone, kRegistryOnly, kSidecarImports };
  Why why = Why::kNone;
  OutboundDecision outbound;         // the mode those pods would get
  const Sidecar* sidecar = nullptr;  // the Sidecar that would apply to them
  bool restricted() const { return why != Why::kNone; }
  // Where the intent is written: the REGISTRY_ONLY mode, else the Sidecar's
  // `egress:` key; invalid when nothing restricts.
  Location loc;
};
EgressIntent IntendedEgress(const MeshModel& model, std::string_view ns, const Labels* labels,
                            std::string_view revision = "");

}  // namespace meshlint::istio
