// Mesh-wide settings: the MeshConfig mapping wherever it is written (an
// IstioOperator's spec.meshConfig, the `istio` ConfigMap's data.mesh, a
// --mesh-config file). Loader-internal.
#pragma once

#include <string>
#include <string_view>

#include "loader/node_reader.h"

namespace meshlint {

// Reads the MeshConfig mapping `mc` into `source` and records it in
// r.out().mesh_sources (unless a value in it makes it unusable: reported).
void ReadMeshConfig(NodeReader& r, const LiteNode& mc, MeshConfigSource source,
                    const ObjectRef& ref, const std::string& path);

// The object readers for the two kinds that carry mesh settings (entries of
// the kind table). Both keep the object itself as a generic one.
void ReadIstioOperator(NodeReader& r, const LiteNode& node, ObjectMeta& meta,
                       const std::string& where);
void ReadMeshConfigMap(NodeReader& r, const LiteNode& node, ObjectMeta& meta,
                       const std::string& where);
// The ConfigMaps that hold mesh settings: `istio` and `istio-<revision>`.
bool IsMeshConfigMapName(const ObjectMeta& meta);

// A --mesh-config file's text: a bare MeshConfig, an IstioOperator, the
// ConfigMap, or Helm values with a top-level `meshConfig:`. Its sources and
// problems go to `out`; the objects in it are settings, not part of the mesh.
void LoadMeshConfigContent(std::string_view text, std::uint32_t file, const LoadOptions& options,
                           Objects& out);

}  // namespace meshlint
