// Mesh config where platform teams keep it: the istiod Helm chart's values
// as a Flux HelmRelease, an Argo CD Application or the Sail operator's Istio
// resource hold them. The chart renders `values.meshConfig` into the
// ConfigMap istiod reads (manifests/charts/istio-control/istio-discovery/
// templates/configmap.yaml), named after `values.revision`, in the release's
// namespace. Read conservatively: only a release of a chart named istiod
// (or istio-discovery) counts, and nothing else in these objects is judged.
#include <string>

#include "loader/mesh_config.h"
#include "loader/mesh_values.h"
#include "loader/object_reader.h"

namespace meshlint {

namespace {

using Origin = MeshConfigSource::Origin;

bool IsIstiodChart(std::string_view chart) {
  // A path or OCI reference ends in the chart's name.
  const std::size_t slash = chart.find_last_of('/');
  if (slash != std::string_view::npos) chart.remove_prefix(slash + 1);
  return chart == "istiod" || chart == "istio-discovery";
}

LiteNode MapOf(NodeReader& r, const LiteNode& map, std::string_view key, const ObjectRef& ref,
               const std::string& path) {
  if (!map.IsMap()) return {};
  Field f = r.Get(map, key, ref, path);
  return f.present() && f.value.IsMap() ? f.value : LiteNode();
}

// The chart's values mapping: its meshConfig becomes a source for the
// values' revision, in `release_ns` (else values.global.istioNamespace).
void ReadIstiodValues(NodeReader& r, const LiteNode& values, MeshConfigSource source,
                      const std::optional<Located<std::string>>& release_ns, const ObjectRef& ref,
                      const std::string& path) {
  if (!values.IsMap()) return;
  Field mc = r.Get(values, "meshConfig", ref, path);
  ReadInjectorValues(r, values, source.injector, ref, path);
  if (!mc.found && !source.injector.Any()) return;
  if (auto rev = LenientScalar(r, values, "revision", ref, path))
    source.revision = rev->value == "default" ? "" : rev->value;
  source.istio_namespace = release_ns;
  if (!source.istio_namespace) {
    const LiteNode global = MapOf(r, values, "global", ref, path);
    source.istio_namespace =
        LenientScalar(r, global, "istioNamespace", ref, NodeReader::Join(path, "global"));
  }
  source.loc = mc.found ? r.Loc(mc.key) : r.Loc(values);
  source.object = ref;
  if (!mc.found) {
    r.out().mesh_sources.push_back(std::move(source));
    return;
  }
  ReadMeshConfig(r, mc.value, std::move(source), ref, NodeReader::Join(path, "meshConfig"));
}

MeshConfigSource InstallSource(const std::string& what, const ObjectRef& ref) {
  MeshConfigSource source;
  source.origin = Origin::kInstallValues;
  source.description = what + " " + Qualified(ref);
  return source;
}

// One entry of an Application's spec.source / spec.sources.
void ReadArgoSource(NodeReader& r, const LiteNode& src, const ObjectMeta& meta,
                    const std::optional<Located<std::string>>& release_ns, const std::string& sp) {
  auto chart = LenientScalar(r, src, "chart", meta.ref, sp);
  auto dir = LenientScalar(r, src, "path", meta.ref, sp);
  if (!(chart && IsIstiodChart(chart->value)) && !(dir && IsIstiodChart(dir->value))) return;
  const LiteNode helm = MapOf(r, src, "helm", meta.ref, sp);
  if (!helm.IsMap()) return;
  const std::string hp = NodeReader::Join(sp, "helm");
  const MeshConfigSource source = InstallSource("Argo CD Application", meta.ref);
  if (const LiteNode object = MapOf(r, helm, "valuesObject", meta.ref, hp); object.IsMap()) {
    ReadIstiodValues(r, object, source, release_ns, meta.ref, NodeReader::Join(hp, "valuesObject"));
    return;
  }
  Field text = r.Get(helm, "values", meta.ref, hp);
  if (!text.present() || !text.value.IsScalar()) return;
  const std::string vp = NodeReader::Join(hp, "values");
  ReadEmbeddedYaml(r, text, meta.ref, vp, "helm.values",
                   [&](NodeReader& inner, const LiteNode& root) {
                     ReadIstiodValues(inner, root, source, release_ns, meta.ref, "helm.values");
                   });
}

}  // namespace

void ReadHelmRelease(NodeReader& r, const LiteNode& node, ObjectMeta& meta,
                     const std::string& where) {
  try {
    const std::string sp = NodeReader::Join(where, "spec");
    const LiteNode spec = MapOf(r, node, "spec", meta.ref, where);
    // spec.chart.spec.chart (a HelmRepository chart), or spec.chartRef.name.
    const LiteNode chart = MapOf(r, MapOf(r, spec, "chart", meta.ref, sp), "spec", meta.ref, sp);
    auto name = LenientScalar(r, chart, "chart", meta.ref, sp + ".chart.spec");
    if (!name)
      name = LenientScalar(r, MapOf(r, spec, "chartRef", meta.ref, sp), "name", meta.ref, sp);
    if (name && IsIstiodChart(name->value)) {
      auto release_ns = LenientScalar(r, spec, "targetNamespace", meta.ref, sp);
      if (!release_ns && !meta.ns_defaulted)
        release_ns = Located<std::string>{meta.ref.ns, meta.ns_loc};
      ReadIstiodValues(r, MapOf(r, spec, "values", meta.ref, sp),
                       InstallSource("HelmRelease", meta.ref), release_ns, meta.ref,
                       NodeReader::Join(sp, "values"));
    }
  } catch (const Unusable&) {
    // A duplicate key: reported; the object stays a generic one.
  }
  r.out().others.push_back(std::move(meta));
}

void ReadArgoApplication(NodeReader& r, const LiteNode& node, ObjectMeta& meta,
                         const std::string& where) {
  try {
    const std::string sp = NodeReader::Join(where, "spec");
    const LiteNode spec = MapOf(r, node, "spec", meta.ref, where);
    const auto release_ns =
        LenientScalar(r, MapOf(r, spec, "destination", meta.ref, sp), "namespace", meta.ref,
                      NodeReader::Join(sp, "destination"));
    if (const LiteNode src = MapOf(r, spec, "source", meta.ref, sp); src.IsMap())
      ReadArgoSource(r, src, meta, release_ns, NodeReader::Join(sp, "source"));
    Field sources = spec.IsMap() ? r.Get(spec, "sources", meta.ref, sp) : Field{};
    if (sources.present() && sources.value.IsSequence())
      for (std::size_t i = 0; i < sources.value.size(); ++i)
        if (sources.value[i].IsMap())
          ReadArgoSource(r, sources.value[i], meta, release_ns,
                         NodeReader::Join(sp, "sources") + "[" + std::to_string(i) + "]");
  } catch (const Unusable&) {
    // A duplicate key: reported; the object stays a generic one.
  }
  r.out().others.push_back(std::move(meta));
}

void ReadSailIstio(NodeReader& r, const LiteNode& node, ObjectMeta& meta,
                   const std::string& where) {
  try {
    const std::string sp = NodeReader::Join(where, "spec");
    const LiteNode spec = MapOf(r, node, "spec", meta.ref, where);
    // Cluster-scoped: named without a namespace.
    MeshConfigSource source;
    source.origin = Origin::kInstallValues;
    source.description = "Sail operator Istio " + meta.ref.name;
    // The operator names the revision after the resource; `default` is the
    // default revision (ConfigMap `istio`). RevisionBased updates add the
    // version (<name>-v1-24-2).
    std::string revision = meta.ref.name == "default" ? "" : meta.ref.name;
    const LiteNode strategy = MapOf(r, spec, "updateStrategy", meta.ref, sp);
    auto type = LenientScalar(r, strategy, "type", meta.ref, sp + ".updateStrategy");
    if (type && type->value == "RevisionBased") {
      auto version = LenientScalar(r, spec, "version", meta.ref, sp);
      std::string v = version ? version->value : "";
      for (char& c : v)
        if (c == '.') c = '-';
      revision = meta.ref.name + (v.empty() ? "" : "-" + v);
    }
    auto ns = LenientScalar(r, spec, "namespace", meta.ref, sp);
    if (!ns) ns = Located<std::string>{"istio-system", {}};
    const LiteNode values = MapOf(r, spec, "values", meta.ref, sp);
    if (values.IsMap()) {
      const std::string vp = NodeReader::Join(sp, "values");
      Field mc = r.Get(values, "meshConfig", meta.ref, vp);
      ReadInjectorValues(r, values, source.injector, meta.ref, vp);
      source.revision = revision;
      source.istio_namespace = ns;
      source.object = meta.ref;
      if (mc.found) {
        source.loc = r.Loc(mc.key);
        ReadMeshConfig(r, mc.value, std::move(source), meta.ref,
                       NodeReader::Join(vp, "meshConfig"));
      } else if (source.injector.Any()) {
        source.loc = r.Loc(values);
        r.out().mesh_sources.push_back(std::move(source));
      }
    }
  } catch (const Unusable&) {
    // A duplicate key: reported; the object stays a generic one.
  }
  r.out().others.push_back(std::move(meta));
}

}  // namespace meshlint
