// The sidecar injector as istiod's install renders it (src/loader/
// injector_config.cpp, src/semantics/webhooks.cpp): the ConfigMap
// istio-sidecar-injector[-<rev>] as one more mesh source, the
// MutatingWebhookConfigurations of the injector and of revision tags, and
// the revision tags of the istiod chart's values.
#include <gtest/gtest.h>

#include "semantics/istio.h"
#include "test_util.h"

namespace meshlint::testing {
namespace {

std::string At(const Location& loc) {
  return std::to_string(loc.line) + ":" + std::to_string(loc.column);
}

// templates/istiod-injector-configmap.yaml for revision canary: `values` is
// the chart's values as JSON, `config` the injector's own YAML.
constexpr const char* kCanaryConfigMap = R"(apiVersion: v1
kind: ConfigMap
metadata:
  name: istio-sidecar-injector-canary
  namespace: istio-system
data:
  values: |-
    {
      "global": {
        "proxy": {
          "autoInject": "enabled",
          "excludeIPRanges": "10.0.0.0/8",
          "includeOutboundPorts": "5432"
        }
      },
      "revision": "canary",
      "sidecarInjectorWebhook": {
        "enableNamespacesByDefault": true,
        "neverInjectSelector": [{"matchLabels": {"ignored": "values"}}]
      }
    }
  config: |-
    defaultTemplates: [sidecar]
    policy: disabled
    alwaysInjectSelector:
      - matchLabels: {tier: pay}
    neverInjectSelector:
      []
)";

TEST(InjectorConfigMap, ConfigAndValuesIntoTheRevisionsSettings) {
  const MeshModel model = LoadFiles({{"injector.yaml", kCanaryConfigMap}});
  EXPECT_TRUE(Problems(model).empty());
  ASSERT_EQ(model.mesh_sources.size(), 1u);
  EXPECT_EQ(model.mesh_sources[0].origin, MeshConfigSource::Origin::kConfigMap);
  EXPECT_EQ(model.mesh_sources[0].revision, "canary");
  EXPECT_EQ(model.mesh_sources[0].description,
            "ConfigMap istio-system/istio-sidecar-injector-canary");
  const InjectorSettings& canary = model.SettingsForRevision("canary").injector;
  // `config` is what the injector reads: policy, the selectors.
  EXPECT_EQ(canary.auto_inject.value, "disabled");
  EXPECT_EQ(At(canary.auto_inject.loc), "24:13");
  ASSERT_EQ(canary.always_inject_selector.size(), 1u);
  EXPECT_TRUE(canary.always_inject_selector[0].Matches(
      std::map<std::string, std::string>{{"tier", "pay"}}));
  EXPECT_TRUE(canary.never_inject_selector.empty());  // config's [], not the values' copy
  EXPECT_EQ(canary.never_inject_from, std::optional<std::size_t>(0));
  // `values`: the proxy defaults and enableNamespacesByDefault, inside the JSON.
  EXPECT_EQ(canary.exclude_ip_ranges.value, "10.0.0.0/8");
  EXPECT_EQ(At(canary.exclude_ip_ranges.loc), "12:30");
  EXPECT_EQ(canary.include_outbound_ports.value, "5432");
  EXPECT_TRUE(canary.enable_namespaces_by_default.value);
  EXPECT_EQ(At(canary.enable_namespaces_by_default.loc), "18:38");
  // The default revision has no source: the chart's defaults.
  EXPECT_EQ(model.mesh.injector.auto_inject.value, "enabled");
  EXPECT_FALSE(model.mesh.injector.auto_inject.from);
}

// The ConfigMap is what the injector runs with; the IstioOperator is what
// rendered it: the ConfigMap wins, and the disagreement is a finding at the
// IstioOperator's value.
TEST(InjectorConfigMap, WinsOverInstallValuesAndConflicts) {
  const MeshModel model = LoadFiles({{"install.yaml", R"(apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: main, namespace: istio-system}
spec:
  values:
    global:
      proxy:
        autoInject: disabled
)"},
                                     {"injector.yaml", R"(apiVersion: v1
kind: ConfigMap
metadata:
  name: istio-sidecar-injector
  namespace: istio-system
data:
  values: |-
    {"global": {"proxy": {"autoInject": "enabled"}}}
  config: |-
    policy: enabled
)"}});
  EXPECT_TRUE(Problems(model).empty());
  EXPECT_EQ(model.mesh.injector.auto_inject.value, "enabled");
  EXPECT_EQ(model.mesh_sources[*model.mesh.injector.auto_inject.from].object.kind, "ConfigMap");
  ASSERT_EQ(model.mesh_conflicts.size(), 1u);
  EXPECT_EQ(model.mesh_conflicts[0].field, "global.proxy.autoInject");
  EXPECT_EQ(At(model.mesh_conflicts[0].winner_loc), "10:13");
  EXPECT_EQ(At(model.mesh_conflicts[0].loser_loc), "8:21");
  // The mode is unset: the finding points at the IstioOperator, which can
  // hold a mesh config, never at the injector's ConfigMap, which cannot.
  EXPECT_EQ(FindingKeys(model),
            (std::vector<std::string>{"install.yaml:3:18 mesh-outbound-allow-any",
                                      "install.yaml:8:21 mesh-config-conflict"}));
}

// readConfigMap and NewValuesConfig: a key that does not parse makes istiod
// refuse the whole ConfigMap. Each problem is named where it is; the other
// objects are still read.
TEST(InjectorConfigMap, MalformedKeysAreProblemsAndSetNothing) {
  const MeshModel model = LoadFiles({{"injector.yaml", R"(apiVersion: v1
kind: ConfigMap
metadata:
  name: istio-sidecar-injector
  namespace: istio-system
data:
  values: |-
    {"global": {"proxy": {"excludeIPRanges": "0.0.0.0/0"}
  config: |-
    policy: [enabled
---
apiVersion: v1
kind: Namespace
metadata: {name: app, labels: {istio-injection: enabled}}
)"}});
  const std::vector<std::string> problems = Problems(model);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_TRUE(problems[0].starts_with("injector.yaml:8:")) << problems[0];
  EXPECT_NE(problems[0].find("YAML syntax error in data.values"), std::string::npos);
  EXPECT_TRUE(problems[1].starts_with("injector.yaml:10:")) << problems[1];
  EXPECT_NE(problems[1].find("YAML syntax error in data.config"), std::string::npos);
  EXPECT_TRUE(model.mesh_sources.empty());
  EXPECT_EQ(model.mesh.injector.exclude_ip_ranges.value, "");
  EXPECT_EQ(model.namespaces.size(), 1u);
}

// Only istiod's own namespace holds the ConfigMap it reads.
TEST(InjectorConfigMap, ElsewhereSetsNothing) {
  const MeshModel model = LoadFiles({{"injector.yaml", R"(apiVersion: v1
kind: ConfigMap
metadata:
  name: istio-sidecar-injector
  namespace: apps
data:
  values: '{}'
  config: 'policy: disabled'
)"}});
  EXPECT_TRUE(Problems(model).empty());
  ASSERT_EQ(model.mesh_sources.size(), 1u);
  EXPECT_EQ(model.inert_mesh_sources, std::vector<std::size_t>{0});
  EXPECT_EQ(model.mesh.injector.auto_inject.value, "enabled");
}

// revision-tags-mwc.yaml: the tag's webhooks are served by istiod-<rev>;
// revisionTags values name the tags their release renders.
TEST(RevisionTags, FromWebhookConfigurationsAndValues) {
  const MeshModel model = LoadFiles({{"tags.yaml", R"(apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata:
  name: istio-revision-tag-prod
  labels: {istio.io/tag: prod, istio.io/rev: canary}
webhooks:
- name: rev.namespace.sidecar-injector.istio.io
  clientConfig:
    service: {name: istiod-canary, namespace: istio-system, path: /inject}
  namespaceSelector:
    matchExpressions:
    - {key: istio.io/rev, operator: In, values: [prod]}
---
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: stable, namespace: istio-system}
spec:
  revision: stable
  values:
    revisionTags: [prod, qa]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: istio-canary, namespace: istio-system}
data:
  mesh: 'outboundTrafficPolicy: {mode: REGISTRY_ONLY}'
)"}});
  EXPECT_TRUE(Problems(model).empty());
  ASSERT_EQ(model.revision_tags.size(), 2u);
  EXPECT_EQ(model.revision_tags[0].tag, "prod");
  EXPECT_EQ(model.revision_tags[0].revision, "canary");  // the webhook's, not the values'
  EXPECT_EQ(At(model.revision_tags[0].loc), "5:26");
  EXPECT_FALSE(model.revision_tags[0].from);
  EXPECT_EQ(model.revision_tags[1].tag, "qa");
  EXPECT_EQ(model.revision_tags[1].revision, "stable");
  EXPECT_EQ(At(model.revision_tags[1].loc), "20:26");
  EXPECT_EQ(model.SettingsForRevision("prod").revision, "canary");
  EXPECT_EQ(model.SettingsForRevision("prod").outbound_mode, OutboundMode::kRegistryOnly);
  // No injector's own configuration: the default selectors still decide.
  EXPECT_FALSE(istio::WebhooksDecide(model));
}

// With an injector's webhook configuration in the inputs, a namespace label
// no webhook selects injects nothing, and says why.
TEST(InjectionWebhooks, DecideNamespaceMembership) {
  const MeshModel model = LoadFiles({{"mwc.yaml", R"(apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata:
  name: istio-sidecar-injector-canary
  labels: {istio.io/rev: canary}
webhooks:
- name: rev.namespace.sidecar-injector.istio.io
  clientConfig:
    service: {name: istiod-canary, namespace: istio-system}
  namespaceSelector:
    matchExpressions:
    - {key: istio.io/rev, operator: In, values: [canary]}
    - {key: istio-injection, operator: DoesNotExist}
---
apiVersion: v1
kind: Namespace
metadata: {name: new, labels: {istio.io/rev: canary}}
---
apiVersion: v1
kind: Namespace
metadata: {name: old, labels: {istio.io/rev: stable}}
---
apiVersion: v1
kind: Namespace
metadata: {name: legacy, labels: {istio-injection: enabled}}
)"}});
  EXPECT_TRUE(Problems(model).empty());
  ASSERT_TRUE(istio::WebhooksDecide(model));
  ASSERT_EQ(model.injection_webhooks.size(), 1u);
  EXPECT_EQ(model.injection_webhooks[0].revision, "canary");
  EXPECT_EQ(At(model.injection_webhooks[0].revision_loc), "9:21");
  const istio::MeshMembership fresh =
      istio::NamespaceMembership(model, *model.FindNamespace("new"));
  EXPECT_EQ(fresh.state, istio::Membership::kInjected);
  EXPECT_EQ(fresh.reason, istio::MembershipReason::kRevisionLabel);
  EXPECT_EQ(fresh.revision, "canary");
  EXPECT_EQ(At(fresh.loc), "17:46");
  for (const char* ns : {"old", "legacy"}) {
    const istio::MeshMembership m = istio::NamespaceMembership(model, *model.FindNamespace(ns));
    EXPECT_EQ(m.state, istio::Membership::kNotInjected) << ns;
    EXPECT_EQ(m.reason, istio::MembershipReason::kNoMatchingWebhook) << ns;
  }
}

}  // namespace
}  // namespace meshlint::testing
