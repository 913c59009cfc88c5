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

}  // namespace meshlint::istio
