// exportTo: which namespaces see a ServiceEntry
// (pilot/pkg/model/push_context.go).
#include "semantics/istio.h"

#include <algorithm>

namespace meshlint::istio {

// ---- exportTo ----

namespace {

// Calls visit(value) for each value of the effective exportTo list: the
// ServiceEntry's own when non-empty, else the mesh default (which the model
// already reads as "*" when no source sets it, or sets it empty). Stops when
// visit returns true; returns whether it did.
template <typename Visit>
bool AnyExportValue(const MeshModel& model, const ServiceEntry& se, Visit visit) {
  if (!se.export_to.empty()) {
    for (const auto& v : se.export_to)
      if (visit(std::string_view(v.value))) return true;
    return false;
  }
  for (const auto& v : model.mesh.default_service_export_to)
    if (visit(std::string_view(v))) return true;
  return false;
}

}  // namespace

bool Export::Includes(std::string_view ns) const {
  switch (scope) {
    case ExportScope::kAll: return true;
    case ExportScope::kNone: return false;
    case ExportScope::kNamespaces:
      return std::find(namespaces.begin(), namespaces.end(), ns) != namespaces.end();
  }
  return false;
}

Export EffectiveExport(const MeshModel& model, const ServiceEntry& se) {
  Export out;
  if (!se.export_to.empty()) {
    out.origin = ExportOrigin::kExportTo;
    out.loc = se.export_to_key;
  } else if (model.mesh.default_export_from) {
    out.origin = ExportOrigin::kMeshDefault;
    out.mesh_source = model.mesh.default_export_from;
    out.loc = model.mesh_sources[*model.mesh.default_export_from].default_service_export_to_key;
  }
  // "*" anywhere in the list exports everywhere (a list that mixes it with
  // other values is invalid; Istio would reject it, meshlint reads it wide).
  if (IsExportedToAll(model, se)) return out;
  AnyExportValue(model, se, [&](std::string_view v) {
    if (v == "~") return false;
    const std::string_view ns = v == "." ? std::string_view(se.meta.ref.ns) : v;
    if (std::find(out.namespaces.begin(), out.namespaces.end(), ns) == out.namespaces.end())
      out.namespaces.push_back(ns);
    return false;
  });
  out.scope = out.namespaces.empty() ? ExportScope::kNone : ExportScope::kNamespaces;
  return out;
}

bool IsExportedTo(const MeshModel& model, const ServiceEntry& se, std::string_view ns) {
  return AnyExportValue(model, se, [&](std::string_view v) {
    if (v == "~") return false;
    if (v == ".") return se.meta.ref.ns == ns;
    return v == "*" || v == ns;
  });
}

bool IsExportedToAll(const MeshModel& model, const ServiceEntry& se) {
  return AnyExportValue(model, se, [](std::string_view v) { return v == "*"; });
}

}  // namespace meshlint::istio
