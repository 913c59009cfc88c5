// exportTo: which namespaces see a ServiceEntry
// (pilot/pkg/model/push_context.go serviceExportTo, IsServiceVisible).
#include "semantics/exports.h"

namespace meshlint::istio {

Export EffectiveExport(const MeshModel& model, const ServiceEntry& se) {
  // One ServiceEntry's answer is the registry's, without building one.
  std::vector<std::string_view> values;
  Export out;
  if (!se.export_to.empty()) {
    for (const auto& v : se.export_to) values.push_back(v.value);
    out = IndexExport(values, se.meta.ref.ns);
    out.origin = ExportOrigin::kExportTo;
    out.loc = se.export_to_key;
  } else {
    for (const auto& v : model.mesh.default_service_export_to) values.push_back(v);
    out = IndexExport(values, se.meta.ref.ns);
    if (model.mesh.default_export_from) {
      out.origin = ExportOrigin::kMeshDefault;
      out.mesh_source = model.mesh.default_export_from;
      out.loc = model.mesh_sources[*out.mesh_source].default_service_export_to_key;
    }
  }
  NarrowByVisibility(model, model.mesh, se.meta.ref.ns, out);
  return out;
}

bool IsExportedTo(const MeshModel& model, const ServiceEntry& se, std::string_view ns) {
  return EffectiveExport(model, se).Includes(ns);
}

bool IsExportedToAll(const MeshModel& model, const ServiceEntry& se) {
  return EffectiveExport(model, se).scope == ExportScope::kAll;
}

}  // namespace meshlint::istio
