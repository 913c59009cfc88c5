// Mesh-wide settings: the MeshConfig mapping wherever it is written (an
// IstioOperator's spec.meshConfig, the `istio` ConfigMap's data.mesh, a
// --mesh-config file). Loader-internal.
#pragma once

#include <functional>
#include <optional>
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
// Shared by the readers of install sources (install_values.cpp).
// `key` of `map` when `map` is a mapping and the value a scalar; nothing (and
// no problem) otherwise: these kinds are not ours to judge.
std::optional<Located<std::string>> LenientScalar(NodeReader& r, const LiteNode& map,
                                                  std::string_view key, const ObjectRef& ref,
                                                  const std::string& path);
// `holder`.values.global.istioNamespace, leniently.
std::optional<Located<std::string>> ValuesIstioNamespace(NodeReader& r, const LiteNode& holder,
                                                         const ObjectRef& ref,
                                                         const std::string& path);
// A YAML document inside the string value of `f` (ConfigMap data.mesh, Argo
// CD helm.values), parsed and handed to fn with a reader whose locations
// point into the file; syntax errors are problems named after `what`.
void ReadEmbeddedYaml(NodeReader& r, const Field& f, const ObjectRef& ref, const std::string& path,
                      std::string_view what,
                      const std::function<void(NodeReader&, const LiteNode&)>& fn);

// The readers of the istiod chart's values where GitOps tools and operators
// hold them (Flux HelmRelease, Argo CD Application, Sail operator Istio):
// entries of the kind table, keeping the object as a generic one.
void ReadHelmRelease(NodeReader& r, const LiteNode& node, ObjectMeta& meta,
                     const std::string& where);
void ReadArgoApplication(NodeReader& r, const LiteNode& node, ObjectMeta& meta,
                         const std::string& where);
void ReadSailIstio(NodeReader& r, const LiteNode& node, ObjectMeta& meta, const std::string& where);

// The ConfigMaps that hold mesh settings: `istio` and `istio-<revision>`.
bool IsMeshConfigMapName(const ObjectMeta& meta);

// A --mesh-config file's text: a bare MeshConfig, an IstioOperator, the
// ConfigMap, or Helm values with a top-level `meshConfig:`. Its sources and
// problems go to `out`; the objects in it are settings, not part of the mesh.
void LoadMeshConfigContent(std::string_view text, std::uint32_t file, const LoadOptions& options,
                           Objects& out);

}  // namespace meshlint
