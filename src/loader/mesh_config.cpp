#include "loader/mesh_config.h"

#include <functional>
#include <utility>

#include "loader/document.h"
#include "loader/embedded_yaml.h"
#include "loader/injector_config.h"
#include "loader/mesh_values.h"
#include "loader/object_reader.h"
#include "loader/yaml_tree.h"

namespace meshlint {

namespace {

void ReadOutboundMode(NodeReader& r, const Field& f, MeshConfigSource& source, const ObjectRef& ref,
                      const std::string& path) {
  source.outbound_key = r.Loc(f.key);
  r.RequireMap(f, ref, path + ".outboundTrafficPolicy");
  // Istio replaces the whole message (ApplyMeshConfig): a mapping without a
  // mode is the enum's zero value, REGISTRY_ONLY, not the default ALLOW_ANY.
  source.outbound_mode = Located<OutboundMode>{OutboundMode::kRegistryOnly, r.Loc(f.key)};
  Field m = r.Get(f.value, "mode", ref, path);
  if (!m.present()) return;
  auto mode = r.Scalar(m, ref, path + ".outboundTrafficPolicy.mode");
  auto parsed = ParseOutboundMode(mode.value);
  if (!parsed) {
    r.Problem(mode.loc,
              "outboundTrafficPolicy.mode '" + mode.value +
                  "' is not one of REGISTRY_ONLY, ALLOW_ANY, ALLOW_ANY_DYNAMIC_DNS",
              ref, path + ".outboundTrafficPolicy.mode");
    throw Unusable{};
  }
  source.outbound_mode = Located<OutboundMode>{*parsed, mode.loc};
}

}  // namespace

void ReadMeshConfig(NodeReader& r, const LiteNode& mc, MeshConfigSource source,
                    const ObjectRef& ref, const std::string& path) {
  try {
    r.Charge(64);
    if (!mc.IsMap()) {
      if (!mc.IsNull()) r.Problem(r.Loc(mc), "mesh config must be a mapping", ref, path);
      r.out().mesh_sources.push_back(std::move(source));
      return;
    }
    if (Field f = r.Get(mc, "rootNamespace", ref, path); f.present())
      source.root_namespace = r.Scalar(f, ref, path + ".rootNamespace");
    if (Field f = r.Get(mc, "defaultServiceExportTo", ref, path); f.present()) {
      source.default_service_export_to = r.ScalarList(f, ref, path + ".defaultServiceExportTo");
      source.default_service_export_to_key = r.Loc(f.key);
    }
    if (Field f = r.Get(mc, "outboundTrafficPolicy", ref, path); f.present())
      ReadOutboundMode(r, f, source, ref, path);
    ReadMoreMeshConfig(r, mc, source, ref, path);
    r.out().mesh_sources.push_back(std::move(source));
  } catch (const Unusable&) {
    // Reported; the source is not used.
  }
}

std::optional<Located<std::string>> LenientScalar(NodeReader& r, const LiteNode& map,
                                                  std::string_view key, const ObjectRef& ref,
                                                  const std::string& path) {
  if (!map.IsMap()) return std::nullopt;
  Field f = r.Get(map, key, ref, path);
  if (!f.present() || !f.value.IsScalar()) return std::nullopt;
  return r.Scalar(f, ref, NodeReader::Join(path, key));
}

std::optional<Located<std::string>> ValuesIstioNamespace(NodeReader& r, const LiteNode& holder,
                                                         const ObjectRef& ref,
                                                         const std::string& path) {
  if (!holder.IsMap()) return std::nullopt;
  Field values = r.Get(holder, "values", ref, path);
  if (!values.present() || !values.value.IsMap()) return std::nullopt;
  const std::string vp = NodeReader::Join(path, "values");
  Field global = r.Get(values.value, "global", ref, vp);
  if (!global.present()) return std::nullopt;
  return LenientScalar(r, global.value, "istioNamespace", ref, NodeReader::Join(vp, "global"));
}

void ReadEmbeddedYaml(NodeReader& r, const Field& f, const ObjectRef& ref, const std::string& path,
                      std::string_view what,
                      const std::function<void(NodeReader&, const LiteNode&)>& fn) {
  auto text = r.Scalar(f, ref, path);
  // The embedded text meets yaml-cpp too: the same guards as a file. Its
  // parse costs its size again.
  r.Charge(text.value.size());
  // Map positions inside the string back into the file: a literal block
  // scalar (`mesh: |`) keeps its lines, shifted by its indentation. Other
  // styles point at the value itself.
  const auto mark = f.value.Mark();
  const TextSpan& span = r.span();
  TextSpan inner = span.collapse_to.valid() || mark.line < 0
                       ? TextSpan{span.file, text.value, 1, 0, text.loc}
                       : EmbeddedSpan(span, static_cast<std::uint32_t>(mark.line),
                                      static_cast<std::size_t>(mark.column), text.value, text.loc);
  LiteTree tree;  // not the caller's: its tree is still being read
  const EmbeddedParse parse = ParseEmbeddedYaml(text.value, tree, r.options().full_parse);
  if (parse.too_deep) {
    r.Problem(text.loc, std::string(what) + ": " + parse.too_deep->message, ref, path);
    return;
  }
  if (const auto& error = parse.error) {
    Location loc = text.loc;
    if (!inner.collapse_to.valid() && error->line >= 0)
      loc = ParseErrorLocation(inner, error->line, error->column);
    r.Problem(loc, "YAML syntax error in " + std::string(what) + ": " + error->message, ref, path);
    return;
  }
  NodeReader reader(r.out(), r.options(), inner, r.budget());
  fn(reader, LiteNode::Root(tree));
}

bool IsMeshConfigMapName(const ObjectMeta& meta) {
  return meta.ref.name == "istio" || meta.ref.name.starts_with("istio-");
}

void ReadIstioOperator(NodeReader& r, const LiteNode& node, ObjectMeta& meta,
                       const std::string& where) {
  Field spec = r.Spec(node, meta.ref, where);
  if (spec.present()) {
    const std::string sp = NodeReader::Join(where, "spec");
    Field mc = r.Get(spec.value, "meshConfig", meta.ref, sp);
    MeshConfigSource source;
    // spec.values holds the chart's values: the injector's among them.
    if (Field values = r.Get(spec.value, "values", meta.ref, sp); values.present())
      ReadInjectorValues(r, values.value, source.injector, meta.ref,
                         NodeReader::Join(sp, "values"));
    if (mc.found || source.injector.Any()) {
      source.origin = MeshConfigSource::Origin::kIstioOperator;
      source.description = "IstioOperator " + Qualified(meta.ref);
      source.object = meta.ref;
      source.loc = mc.found ? r.Loc(mc.key) : meta.anchor();
      if (auto rev = LenientScalar(r, spec.value, "revision", meta.ref, sp))
        source.revision = rev->value == "default" ? "" : rev->value;
      // istioctl installs into spec.namespace, else values.global.istioNamespace.
      source.istio_namespace = LenientScalar(r, spec.value, "namespace", meta.ref, sp);
      if (!source.istio_namespace)
        source.istio_namespace = ValuesIstioNamespace(r, spec.value, meta.ref, sp);
      if (mc.found)
        ReadMeshConfig(r, mc.value, std::move(source), meta.ref,
                       NodeReader::Join(where, "spec.meshConfig"));
      else r.out().mesh_sources.push_back(std::move(source));
    }
  }
  r.out().others.push_back(std::move(meta));
}

namespace {

// ConfigMap `istio` (or `istio-<revision>`) holds the mesh config as YAML
// inside the string `data.mesh`.
void ReadConfigMapMesh(NodeReader& r, const LiteNode& node, const ObjectMeta& meta,
                       const std::string& where) {
  if (!IsMeshConfigMapName(meta)) return;
  Field data = r.Get(node, "data", meta.ref, where);
  if (!data.present() || !data.value.IsMap()) return;
  Field mesh = r.Get(data.value, "mesh", meta.ref, NodeReader::Join(where, "data"));
  if (!mesh.present()) return;
  MeshConfigSource source;
  source.origin = MeshConfigSource::Origin::kConfigMap;
  source.description = "ConfigMap " + Qualified(meta.ref);
  source.object = meta.ref;
  // getMeshConfigMapName: `istio` for the default revision, `istio-<rev>`.
  if (meta.ref.name != "istio") source.revision = meta.ref.name.substr(6);
  source.loc = r.Loc(mesh.key);
  ReadEmbeddedYaml(r, mesh, meta.ref, NodeReader::Join(where, "data.mesh"), "data.mesh",
                   [&](NodeReader& reader, const LiteNode& root) {
                     ReadMeshConfig(reader, root, std::move(source), meta.ref, "data.mesh");
                   });
}

}  // namespace

void ReadMeshConfigMap(NodeReader& r, const LiteNode& node, ObjectMeta& meta,
                       const std::string& where) {
  if (IsInjectorConfigMapName(meta)) ReadInjectorConfigMap(r, node, meta, where);
  else ReadConfigMapMesh(r, node, meta, where);
  r.out().others.push_back(std::move(meta));
}

void LoadMeshConfigContent(std::string_view text, std::uint32_t file, const LoadOptions& options,
                           Objects& out) {
  Objects scratch;  // objects in it are settings, not part of the mesh
  LoadContent(text, file, false, options, scratch);
  out.problems.insert(out.problems.end(), std::make_move_iterator(scratch.problems.begin()),
                      std::make_move_iterator(scratch.problems.end()));
  if (!scratch.mesh_sources.empty()) {
    for (auto& source : scratch.mesh_sources) {
      source.origin = MeshConfigSource::Origin::kCommandLine;
      source.description = "--mesh-config " + source.description;
      out.mesh_sources.push_back(std::move(source));
    }
    return;
  }
  if (!scratch.problems.empty()) return;
  // No object holds settings: the documents themselves are MeshConfig, or
  // Helm values with a `meshConfig:` key.
  LiteTree tree;
  for (const DocumentChunk& chunk : SplitDocuments(StripBom(text), false)) {
    if (ParseYaml(chunk.text, tree)) continue;  // already reported by LoadContent
    const LiteNode root = LiteNode::Root(tree);
    if (!root.IsMap()) continue;
    // An object of another kind (a Deployment) is no MeshConfig.
    bool object = false;
    for (auto it = root.begin(); it != root.end(); ++it)
      object = object || (it->first.IsScalar() &&
                          (it->first.Scalar() == "apiVersion" || it->first.Scalar() == "kind"));
    if (object) continue;
    TextSpan span;
    span.file = file;
    span.text = chunk.text;
    span.first_line = chunk.first_line;
    WorkBudget budget = BudgetFor(chunk.text);
    NodeReader reader(out, options, span, budget);
    MeshConfigSource source;
    source.origin = MeshConfigSource::Origin::kCommandLine;
    LiteNode mc = root;
    source.loc = reader.Loc(root);
    source.description = "--mesh-config (MeshConfig)";
    source.object = ObjectRef{"MeshConfig", "", "mesh-config"};
    for (auto it = root.begin(); it != root.end(); ++it) {
      if (it->first.IsScalar() && it->first.Scalar() == "meshConfig") {
        mc = it->second;
        source.loc = reader.Loc(it->first);
        source.description = "--mesh-config (Helm values meshConfig)";
      }
    }
    try {
      // Helm values of the istiod chart: the injector's values beside meshConfig.
      if (mc.index() != root.index()) ReadInjectorValues(reader, root, source.injector, {}, "");
      ReadMeshConfig(reader, mc, std::move(source), ObjectRef{}, "");
    } catch (const Unusable&) {
      // A duplicate key among the values: reported; the file sets nothing.
    } catch (const BudgetExhausted&) {
      reader.ReportExhausted(root);
    }
  }
}

}  // namespace meshlint
