// Which objects Istio applies at all: those its validation admits, and, for
// config labelled istio.io/rev, only the revision it names
// (pkg/config/model.go LabelsInRevision; istio-notes §2.14, §3).
#pragma once

#include <string_view>

#include "model/model.h"

namespace meshlint::istio {

// Rejected by the API server (CRD schema) or istiod's validating webhook:
// the object never reaches istiod and has no effect.
bool IsRejected(const MeshModel& model, const ObjectMeta& meta);

// Is config with these labels processed by the istiod of `revision` ("" is
// the default revision, whose istiod runs as REVISION=default)? Unlabelled
// config is processed by every revision; a label naming a revision tag
// counts for the tag's revision.
bool ConfigInRevision(const MeshModel& model, const ConfigMeta& config, std::string_view revision);

}  // namespace meshlint::istio
