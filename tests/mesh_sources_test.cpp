// Mesh config as istiod reads it (pilot/pkg/bootstrap/mesh.go
// getMeshConfigMapName; pkg/config/mesh/mesh.go ApplyMeshConfig): per
// revision, from the Istio namespace only, and from the places platform
// teams keep the istiod chart's values (Flux HelmRelease, Argo CD
// Application, Sail operator Istio). Each value is located.
#include <gtest/gtest.h>

#include "test_util.h"

namespace meshlint::testing {
namespace {

using V = std::vector<std::string>;

std::string At(const Location& loc) {
  return std::to_string(loc.line) + ":" + std::to_string(loc.column);
}

// "revision mode@line:col (source description)" of one revision's settings.
std::string Outbound(const MeshModel& model, std::string_view revision) {
  const MeshSettings& s = model.SettingsForRevision(revision);
  std::string out = std::string(OutboundModeName(s.outbound_mode));
  if (!s.outbound_from) return out + " (default)" + (s.inherited_from_default ? " inherited" : "");
  const MeshConfigSource& src = model.mesh_sources[*s.outbound_from];
  return out + "@" + At(src.outbound_mode->loc) + " (" + src.description + ")" +
         (s.inherited_from_default ? " inherited" : "");
}

constexpr const char* kConfigMaps = R"(apiVersion: v1
kind: ConfigMap
metadata: {name: istio, namespace: istio-system}
data:
  mesh: |
    outboundTrafficPolicy:
      mode: REGISTRY_ONLY
---
apiVersion: v1
kind: ConfigMap
metadata: {name: istio-canary, namespace: istio-system}
data:
  mesh: |
    outboundTrafficPolicy:
      mode: ALLOW_ANY
---
apiVersion: v1
kind: ConfigMap
metadata: {name: istio, namespace: default}
data:
  mesh: |
    outboundTrafficPolicy:
      mode: ALLOW_ANY
)";

// mesh-configmap-per-revision and mesh-configmap-wrong-namespace
// (getMeshConfigMapName: istio-<rev>, in istiod's namespace only).
TEST(MeshSources, ConfigMapsPerRevisionInTheIstioNamespaceOnly) {
  const MeshModel model = LoadFiles({{"mesh.yaml", kConfigMaps}});
  EXPECT_EQ(Outbound(model, ""), "REGISTRY_ONLY@7:13 (ConfigMap istio-system/istio)");
  EXPECT_EQ(Outbound(model, "canary"), "ALLOW_ANY@15:13 (ConfigMap istio-system/istio-canary)");
  EXPECT_EQ(Outbound(model, "stable"),
            "REGISTRY_ONLY@7:13 (ConfigMap istio-system/istio) inherited");
  EXPECT_TRUE(model.mesh_conflicts.empty());
  EXPECT_EQ(model.inert_mesh_sources, (std::vector<std::size_t>{2}));
  EXPECT_EQ(model.Revisions(), (std::vector<std::string_view>{"", "canary"}));
}

// mesh-outbound-policy-empty-object: the message is replaced, its mode is
// the enum's zero value (ApplyMeshConfig; TestApplyMeshConfigDefaults).
TEST(MeshSources, EmptyOutboundPolicyIsRegistryOnly) {
  const MeshModel model = LoadFiles({{"mesh.yaml", R"(apiVersion: v1
kind: ConfigMap
metadata: {name: istio, namespace: istio-system}
data:
  mesh: |
    outboundTrafficPolicy: {}
)"}});
  EXPECT_EQ(Outbound(model, ""), "REGISTRY_ONLY@6:5 (ConfigMap istio-system/istio)");
  const MeshModel null_policy = LoadFiles({{"mesh.yaml", R"(apiVersion: v1
kind: ConfigMap
metadata: {name: istio, namespace: istio-system}
data:
  mesh: |
    outboundTrafficPolicy:
)"}});
  EXPECT_EQ(Outbound(null_policy, ""), "ALLOW_ANY (default)");
}

// The istiod chart's values in a Flux HelmRelease: spec.values.meshConfig,
// revision from spec.values.revision, the release namespace from
// spec.targetNamespace.
TEST(MeshSources, FluxHelmRelease) {
  const MeshModel model = LoadFiles({{"release.yaml", R"(apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: istiod, namespace: flux-system}
spec:
  targetNamespace: istio-system
  chart:
    spec:
      chart: istiod
      sourceRef: {kind: HelmRepository, name: istio}
  values:
    meshConfig:
      outboundTrafficPolicy: {mode: REGISTRY_ONLY}
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: istiod-canary, namespace: istio-system}
spec:
  chart: {spec: {chart: istiod}}
  values:
    revision: canary
    meshConfig:
      outboundTrafficPolicy: {mode: ALLOW_ANY}
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: podinfo, namespace: apps}
spec:
  chart: {spec: {chart: podinfo}}
  values:
    meshConfig:
      outboundTrafficPolicy: {mode: ALLOW_ANY}
)"}});
  EXPECT_EQ(Outbound(model, ""), "REGISTRY_ONLY@12:37 (HelmRelease flux-system/istiod)");
  EXPECT_EQ(Outbound(model, "canary"), "ALLOW_ANY@22:37 (HelmRelease istio-system/istiod-canary)");
  ASSERT_EQ(model.mesh_sources.size(), 2u);
  EXPECT_EQ(model.mesh_sources[0].istio_namespace->value, "istio-system");
  EXPECT_EQ(At(model.mesh_sources[0].loc), "11:5");
}

// An Argo CD Application of the istiod chart: helm.valuesObject, or the
// values as a YAML string (located inside the string), and its destination
// namespace as the Istio namespace.
TEST(MeshSources, ArgoCdApplication) {
  const MeshModel model = LoadFiles({{"app.yaml", R"(apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: istiod, namespace: argocd}
spec:
  destination: {namespace: istio-control}
  source:
    repoURL: https://istio-release.storage.googleapis.com/charts
    chart: istiod
    helm:
      values: |
        meshConfig:
          outboundTrafficPolicy:
            mode: REGISTRY_ONLY
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: istiod-canary, namespace: argocd}
spec:
  destination: {namespace: istio-control}
  sources:
  - chart: istiod
    helm:
      valuesObject:
        revision: canary
        meshConfig: {outboundTrafficPolicy: {mode: ALLOW_ANY}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: istio, namespace: istio-system}
data:
  mesh: |
    outboundTrafficPolicy: {mode: ALLOW_ANY}
)"}});
  EXPECT_EQ(Outbound(model, ""), "REGISTRY_ONLY@13:19 (Argo CD Application argocd/istiod)");
  EXPECT_EQ(Outbound(model, "canary"),
            "ALLOW_ANY@25:52 (Argo CD Application argocd/istiod-canary)");
  // istiod runs in istio-control: the ConfigMap in istio-system is not read.
  EXPECT_EQ(model.inert_mesh_sources, (std::vector<std::size_t>{2}));
  EXPECT_TRUE(model.mesh_conflicts.empty());
}

// The Sail operator's Istio resource: spec.values.meshConfig; `default` is
// the default revision, another name its own revision.
TEST(MeshSources, SailOperatorIstio) {
  const MeshModel model = LoadFiles({{"istio.yaml", R"(apiVersion: sailoperator.io/v1
kind: Istio
metadata: {name: default}
spec:
  version: v1.26.0
  namespace: istio-system
  values:
    meshConfig:
      outboundTrafficPolicy: {mode: REGISTRY_ONLY}
---
apiVersion: sailoperator.io/v1
kind: Istio
metadata: {name: blue}
spec:
  values:
    meshConfig:
      outboundTrafficPolicy: {mode: ALLOW_ANY}
)"}});
  EXPECT_EQ(Outbound(model, ""), "REGISTRY_ONLY@9:37 (Sail operator Istio default)");
  EXPECT_EQ(Outbound(model, "blue"), "ALLOW_ANY@17:37 (Sail operator Istio blue)");
}

// --mesh-config with a file that holds no mesh config is a usage error
// (exit 2, the file named), not an empty MeshConfig.
TEST(MeshSources, MeshConfigFileWithoutMeshConfig) {
  TempDir dir;
  dir.Write("ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n");
  dir.Write("deploy.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\n");
  const std::string why =
      ": holds no mesh config (a MeshConfig document, an IstioOperator with spec.meshConfig, a "
      "ConfigMap istio with data.mesh, istiod Helm values with meshConfig, or a HelmRelease, "
      "Argo CD Application or Sail Istio of the istiod chart)\n";
  CommandResult r = RunInProcess({"lint", "ns.yaml", "--mesh-config", "deploy.yaml"}, dir.str());
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(r.err.starts_with("meshlint: deploy.yaml" + why)) << r.err;
  dir.Write("empty.yaml", "");
  r = RunInProcess({"egress", "ns.yaml", "--mesh-config", "empty.yaml"}, dir.str());
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err, "meshlint: empty.yaml" + why);
  dir.Write("values.yaml", "meshConfig:\n  outboundTrafficPolicy: {mode: REGISTRY_ONLY}\n");
  r = RunInProcess({"egress", "ns.yaml", "--mesh-config", "values.yaml"}, dir.str());
  EXPECT_EQ(r.status, 0) << r.err;
}

}  // namespace
}  // namespace meshlint::testing
