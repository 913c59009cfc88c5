// The check function of every rule, one per rules/<id>/rule.cpp. The one list
// that names them all, with their metadata, is rules/all_rules.cpp.
#pragma once

#include "engine/rule.h"

namespace meshlint::rules {

void CheckEgressNotAllowed(const MeshModel& model, FindingSink& sink);
void CheckInvalidManifest(const MeshModel& model, FindingSink& sink);
void CheckMeshConfigConflict(const MeshModel& model, FindingSink& sink);
void CheckMeshOutboundAllowAny(const MeshModel& model, FindingSink& sink);
void CheckMultipleDefaultSidecars(const MeshModel& model, FindingSink& sink);
void CheckNamespaceWithoutSidecar(const MeshModel& model, FindingSink& sink);
void CheckServiceEntryExportedToAll(const MeshModel& model, FindingSink& sink);
void CheckServiceEntryExportToInvalid(const MeshModel& model, FindingSink& sink);
void CheckSidecarEgressUnresolvedHost(const MeshModel& model, FindingSink& sink);
void CheckSidecarEgressWildcard(const MeshModel& model, FindingSink& sink);
void CheckSidecarOutboundAllowAny(const MeshModel& model, FindingSink& sink);

// The check of the rules about suppressions (inline-suppression-ignored,
// suppression-*): it reports nothing, because their findings depend on the
// run's configuration, not only on the model; engine/suppress.cpp reports
// them after the other rules ran.
void ReportedBySuppressionPass(const MeshModel& model, FindingSink& sink);

}  // namespace meshlint::rules
