// The check function of every rule, one per rules/<id>/rule.cpp. The one list
// that names them all, with their metadata, is rules/all_rules.cpp.
#pragma once

#include "engine/rule.h"

namespace meshlint::rules {

// Phase::kModel: pure functions of the model.
void CheckDuplicateObject(const MeshModel& model, FindingSink& sink);
void CheckEgressNotAllowed(const MeshModel& model, FindingSink& sink);
void CheckEgressUnmediatedWorkload(const MeshModel& model, FindingSink& sink);
void CheckInvalidManifest(const MeshModel& model, FindingSink& sink);
void CheckIstioValidationRejected(const MeshModel& model, FindingSink& sink);
void CheckIstioValidationWarning(const MeshModel& model, FindingSink& sink);
void CheckMeshConfigConflict(const MeshModel& model, FindingSink& sink);
void CheckMeshOutboundAllowAny(const MeshModel& model, FindingSink& sink);
void CheckMultipleDefaultSidecars(const MeshModel& model, FindingSink& sink);
void CheckNamespaceWithoutSidecar(const MeshModel& model, FindingSink& sink);
void CheckServiceEntryExportedToAll(const MeshModel& model, FindingSink& sink);
void CheckServiceEntryExportToInvalid(const MeshModel& model, FindingSink& sink);
void CheckServiceEntryTcpWildcardPort(const MeshModel& model, FindingSink& sink);
void CheckSidecarEgressUnresolvedHost(const MeshModel& model, FindingSink& sink);
void CheckSidecarEgressWildcard(const MeshModel& model, FindingSink& sink);
void CheckSidecarOutboundAllowAny(const MeshModel& model, FindingSink& sink);
void CheckSidecarSelectsNothing(const MeshModel& model, FindingSink& sink);
void CheckWorkloadOutboundBypass(const MeshModel& model, FindingSink& sink);

// Phase::kRun: the rules about suppressions, whose findings depend on the
// run's configuration (engine/suppress.h), not only on the model.
void CheckInlineSuppressionIgnored(const RunContext& run, FindingSink& sink);
void CheckSuppressionExpired(const RunContext& run, FindingSink& sink);
void CheckSuppressionUnknownRule(const RunContext& run, FindingSink& sink);
void CheckSuppressionWithoutReason(const RunContext& run, FindingSink& sink);

}  // namespace meshlint::rules
