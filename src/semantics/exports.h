// exportTo of ServiceEntries as the default revision sees them, for the rules
// that ask about one ServiceEntry at a time (the egress analysis asks a
// Registry, which holds the same answers per revision).
#pragma once

#include <string_view>

#include "model/model.h"
#include "semantics/registry.h"

namespace meshlint::istio {

// The namespaces that see `se`: its exportTo, else the mesh default, each as
// Istio indexes it (IndexExport), narrowed by serviceEntryVisibility (1.31).
Export EffectiveExport(const MeshModel& model, const ServiceEntry& se);
bool IsExportedTo(const MeshModel& model, const ServiceEntry& se, std::string_view ns);
bool IsExportedToAll(const MeshModel& model, const ServiceEntry& se);

}  // namespace meshlint::istio
