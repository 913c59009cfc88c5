// The mesh config fields beyond the outbound mode and the injector's values
// of the istiod chart (src/loader/mesh_values.cpp): read from every place
// that holds them, weighed per revision, located; and the CIDR ranges of a
// ServiceEntry's addresses (src/semantics/listeners.h AddressInCidr).
#include <gtest/gtest.h>

#include "semantics/listeners.h"
#include "test_util.h"

namespace meshlint::testing {
namespace {

std::string At(const Location& loc) {
  return std::to_string(loc.line) + ":" + std::to_string(loc.column);
}

// The pilot/pkg/model/push_context.go defaults for unset exportTo, and
// serviceentry_visibility.go's shape (defaultVisibility, policies of
// matchingRules with a namespaceSelector).
TEST(MeshValues, ExportDefaultsAndVisibilityFromTheConfigMap) {
  const MeshModel model = LoadFiles({{"mesh.yaml", R"(apiVersion: v1
kind: ConfigMap
metadata: {name: istio, namespace: istio-system}
data:
  mesh: |
    defaultVirtualServiceExportTo: ["."]
    defaultDestinationRuleExportTo: ["."]
    serviceEntryVisibility:
      applyToSidecars: true
      defaultVisibility: NAMESPACE
      policies:
      - visibility: PUBLIC
        matchingRules:
        - namespaceSelector: {matchLabels: {shared: "true"}}
      - visibility: NONE
        matchingRules:
        - hostnameSuffix: example.com
    defaultConfig:
      proxyMetadata:
        ISTIO_META_DNS_CAPTURE: "true"
)"}});
  EXPECT_TRUE(Problems(model).empty());
  const MeshSettings& s = model.mesh;
  EXPECT_EQ(s.default_virtual_service_export_to, std::vector<std::string>{"."});
  ASSERT_TRUE(s.default_vs_export_from);
  EXPECT_EQ(At(model.mesh_sources[*s.default_vs_export_from].default_virtual_service_export_to_key),
            "6:5");
  ASSERT_TRUE(s.service_entry_visibility_from);
  const ServiceEntryVisibility& v = s.service_entry_visibility;
  EXPECT_TRUE(v.set);
  EXPECT_TRUE(v.apply_to_sidecars);
  EXPECT_EQ(v.default_visibility, "NAMESPACE");
  ASSERT_EQ(v.rules.size(), 2u);
  EXPECT_EQ(v.rules[0].visibility, "PUBLIC");
  ASSERT_EQ(v.rules[0].namespace_selectors.size(), 1u);
  EXPECT_TRUE(v.rules[0].namespace_selectors[0].Matches(
      std::map<std::string, std::string>{{"shared", "true"}}));
  EXPECT_FALSE(v.rules[0].never);
  // An unknown matcher never matches (compileVisibilityRule).
  EXPECT_TRUE(v.rules[1].never);
  EXPECT_TRUE(s.dns_capture.value);
  EXPECT_EQ(At(s.dns_capture.loc), "20:33");
}

// An unknown enum value makes the whole mesh config unparsable for istiod:
// reported, and the source sets nothing.
TEST(MeshValues, UnknownVisibilityIsAProblem) {
  const MeshModel model = LoadFiles({{"mesh.yaml", R"(apiVersion: v1
kind: ConfigMap
metadata: {name: istio, namespace: istio-system}
data:
  mesh: |
    outboundTrafficPolicy: {mode: REGISTRY_ONLY}
    serviceEntryVisibility: {defaultVisibility: PRIVATE}
)"}});
  EXPECT_EQ(Problems(model),
            std::vector<std::string>{
                "mesh.yaml:7:49 serviceEntryVisibility.defaultVisibility 'PRIVATE' is not one of "
                "UNSPECIFIED, PUBLIC, NAMESPACE, NONE"});
  EXPECT_FALSE(model.mesh.outbound_from);
}

// The injector's values (manifests/charts/istio-control/istio-discovery/
// values.yaml) from an IstioOperator without meshConfig, per revision, and
// from a Flux HelmRelease; two sources that disagree are a conflict.
TEST(MeshValues, InjectorValuesPerRevision) {
  const MeshModel model = LoadFiles({{"install.yaml", R"(apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: main, namespace: istio-system}
spec:
  values:
    sidecarInjectorWebhook:
      enableNamespacesByDefault: true
      neverInjectSelector:
      - matchExpressions:
        - {key: tier, operator: In, values: [build]}
    global:
      proxy:
        autoInject: disabled
        excludeIPRanges: 0.0.0.0/0
---
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: canary, namespace: istio-system}
spec:
  revision: canary
  values:
    sidecarInjectorWebhook:
      alwaysInjectSelector:
      - matchLabels: {app: pay}
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: istiod, namespace: istio-system}
spec:
  chart: {spec: {chart: istiod}}
  values:
    sidecarInjectorWebhook:
      enableNamespacesByDefault: false
)"}});
  EXPECT_TRUE(Problems(model).empty());
  const InjectorSettings& def = model.mesh.injector;
  EXPECT_TRUE(def.enable_namespaces_by_default.value);
  EXPECT_EQ(At(def.enable_namespaces_by_default.loc), "7:34");
  ASSERT_EQ(def.never_inject_selector.size(), 1u);
  EXPECT_TRUE(
      def.never_inject_selector[0].Matches(std::map<std::string, std::string>{{"tier", "build"}}));
  EXPECT_FALSE(
      def.never_inject_selector[0].Matches(std::map<std::string, std::string>{{"tier", "web"}}));
  EXPECT_EQ(def.auto_inject.value, "disabled");
  EXPECT_EQ(def.exclude_ip_ranges.value, "0.0.0.0/0");
  EXPECT_TRUE(def.always_inject_selector.empty());
  const InjectorSettings& canary = model.SettingsForRevision("canary").injector;
  EXPECT_EQ(canary.always_inject_selector.size(), 1u);
  EXPECT_TRUE(canary.never_inject_selector.empty());
  EXPECT_EQ(canary.auto_inject.value, "enabled");
  ASSERT_EQ(model.mesh_conflicts.size(), 1u);
  EXPECT_EQ(model.mesh_conflicts[0].field, "sidecarInjectorWebhook.enableNamespacesByDefault");
  EXPECT_EQ(model.mesh_conflicts[0].winner_value, "true");
  EXPECT_EQ(model.mesh_conflicts[0].loser_value, "false");
}

// Helm values of the istiod chart given with --mesh-config: the injector's
// values count beside meshConfig (an unlabelled namespace is injected).
TEST(MeshValues, HelmValuesFileWithInjectorValues) {
  TempDir dir;
  dir.Write("ns.yaml", R"(apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    metadata: {labels: {app: web}}
)");
  dir.Write("values.yaml", R"(meshConfig:
  outboundTrafficPolicy: {mode: REGISTRY_ONLY}
sidecarInjectorWebhook:
  enableNamespacesByDefault: true
)");
  dir.Write("plain.yaml", "meshConfig:\n  outboundTrafficPolicy: {mode: REGISTRY_ONLY}\n");
  CommandResult r = RunInProcess({"egress", "ns.yaml", "--mesh-config", "values.yaml", "--from",
                                  "shop", "--to", "deb.debian.org"},
                                 dir.str());
  EXPECT_EQ(r.status, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("enableNamespacesByDefault"), std::string::npos) << r.out;
  r = RunInProcess({"egress", "ns.yaml", "--mesh-config", "plain.yaml", "--from", "shop", "--to",
                    "deb.debian.org"},
                   dir.str());
  EXPECT_EQ(r.status, 0) << r.out << r.err;
}

TEST(MeshValues, AddressInCidr) {
  EXPECT_TRUE(istio::AddressInCidr("10.20.30.40", "10.0.0.0/8"));
  EXPECT_FALSE(istio::AddressInCidr("11.0.0.1", "10.0.0.0/8"));
  EXPECT_TRUE(istio::AddressInCidr("192.168.1.7", "192.168.1.0/29"));
  EXPECT_FALSE(istio::AddressInCidr("192.168.1.8", "192.168.1.0/29"));
  EXPECT_TRUE(istio::AddressInCidr("8.8.8.8", "0.0.0.0/0"));
  EXPECT_TRUE(istio::AddressInCidr("2001:db8::1", "2001:db8::/32"));
  EXPECT_FALSE(istio::AddressInCidr("2001:db9::1", "2001:db8::/32"));
  EXPECT_FALSE(istio::AddressInCidr("10.0.0.1", "2001:db8::/32"));
  EXPECT_FALSE(istio::AddressInCidr("api.example.com", "10.0.0.0/8"));
  EXPECT_FALSE(istio::AddressInCidr("10.0.0.1", "10.0.0.0/33"));
  EXPECT_FALSE(istio::AddressInCidr("10.0.0.1", "10.0.0.0"));
  EXPECT_FALSE(istio::AddressInCidr("10.0.0.256", "10.0.0.0/8"));
}

}  // namespace
}  // namespace meshlint::testing
