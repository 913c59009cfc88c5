// What is a Kubernetes object: tool files shaped like objects, YAML lists and
// templated identities are skipped and counted, with a reason; Istio kinds
// with wrong types stay invalid-manifest errors.
#include <gtest/gtest.h>

#include "loader/classify.h"
#include "test_util.h"

namespace meshlint {
namespace {

using testing::LoadFiles;
using testing::Problems;

std::vector<std::string> Skipped(const MeshModel& m) {
  std::vector<std::string> out;
  for (const SkippedDocument& s : m.skipped)
    out.push_back(m.files.display(s.loc.file) + ":" + std::to_string(s.loc.line) + ":" +
                  std::to_string(s.loc.column) + " " + s.reason);
  return out;
}

TEST(Classify, ToolConfigsAreNotObjects) {
  EXPECT_EQ(NotAnObject("kind.x-k8s.io/v1alpha4", "Cluster", false),
            "apiVersion kind.x-k8s.io/v1alpha4, kind Cluster: a local tool's configuration, not "
            "a cluster object");
  EXPECT_EQ(NotAnObject("skaffold/v4beta6", "Config", true),
            "apiVersion skaffold/v4beta6, kind Config: no Kubernetes API group has this name "
            "(API groups are domain names)");
  EXPECT_TRUE(NotAnObject("kuttl.dev/v1beta1", "TestStep", false).has_value());
  EXPECT_TRUE(NotAnObject("audit.k8s.io/v1", "Policy", false).has_value());
  EXPECT_TRUE(NotAnObject("kubeadm.k8s.io/v1beta3", "ClusterConfiguration", true).has_value());
  EXPECT_TRUE(NotAnObject("kubelet.config.k8s.io/v1beta1", "KubeletConfiguration", false));
  EXPECT_TRUE(NotAnObject("v1", "Config", true).has_value());  // a kubeconfig
  EXPECT_TRUE(NotAnObject("1", "", false).has_value());        // Grafana provisioning
  EXPECT_TRUE(NotAnObject("", "", false).has_value());
  // Objects, or broken objects that are reported.
  EXPECT_FALSE(NotAnObject("v1", "ConfigMap", false).has_value());
  EXPECT_FALSE(NotAnObject("apps/v1", "Deployment", false).has_value());
  EXPECT_FALSE(NotAnObject("networking.istio.io/v1", "ServiceEntry", false).has_value());
  EXPECT_FALSE(NotAnObject("kyverno.io/v1", "ClusterPolicy", false).has_value());
  EXPECT_FALSE(NotAnObject("example.com/v1", "Widget", true).has_value());
  EXPECT_EQ(NotAnObject("example.com/v1", "Widget", false),
            "apiVersion example.com/v1, kind Widget without metadata: not a Kubernetes object");
  EXPECT_FALSE(NotAnObject("v1", "", true).has_value());  // broken: reported
}

TEST(Classify, KnownClusterScopedKinds) {
  EXPECT_TRUE(IsKnownClusterScoped("kyverno.io/v1", "ClusterPolicy"));
  EXPECT_FALSE(IsKnownClusterScoped("kyverno.io/v1", "Policy"));
  EXPECT_TRUE(IsKnownClusterScoped("constraints.gatekeeper.sh/v1beta1", "K8sRequiredLabels"));
  EXPECT_TRUE(IsKnownClusterScoped("karpenter.sh/v1", "NodePool"));
  EXPECT_TRUE(IsKnownClusterScoped("external-secrets.io/v1beta1", "ClusterSecretStore"));
  EXPECT_FALSE(IsKnownClusterScoped("external-secrets.io/v1beta1", "SecretStore"));
}

TEST(Classify, TemplateBraces) {
  EXPECT_TRUE(IsTemplated("{{ .Release.Namespace }}"));
  EXPECT_TRUE(IsTemplated("api.{{ .Values.domain }}"));
  EXPECT_FALSE(IsTemplated("{{ unclosed"));
  EXPECT_FALSE(IsTemplated("plain.example.com"));
}

TEST(Classify, AnsibleListsAndToolFilesAreSkippedWithReasons) {
  auto m = LoadFiles({
      {"ansible/site.yml", "- hosts: all\n  tasks:\n    - name: ping\n      ping: {}\n"},
      {"patch.yaml", "- op: replace\n  path: /spec/exportTo\n  value: [\".\"]\n"},
      {"kind.yaml", "apiVersion: kind.x-k8s.io/v1alpha4\nkind: Cluster\nnodes: []\n"},
      {"skaffold.yaml",
       "apiVersion: skaffold/v4beta6\nkind: Config\nmetadata:\n  name: app\nbuild: {}\n"},
      {"kuttl.yaml", "apiVersion: kuttl.dev/v1beta1\nkind: TestStep\ncommands: []\n"},
      {"audit.yaml", "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: []\n"},
      {"kubeadm.yaml",
       "apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\nnetworking: {}\n"},
      {"ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n"},
  });
  EXPECT_TRUE(m.problems.empty()) << ::testing::PrintToString(Problems(m));
  EXPECT_EQ(m.stats.skipped_non_kubernetes, 7u);
  EXPECT_EQ(m.stats.objects, 1u);
  const auto skipped = Skipped(m);
  ASSERT_EQ(skipped.size(), 7u);
  EXPECT_EQ(skipped[0],
            "ansible/site.yml:1:1 a YAML list, not a Kubernetes object (Ansible tasks, a JSON "
            "patch, data)");
  EXPECT_EQ(skipped[2].substr(0, 14), "kind.yaml:1:1 ");
}

TEST(Classify, IstioKindsWithWrongTypesStayErrors) {
  auto m =
      LoadFiles({{"se.yaml",
                  "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n"
                  "  name: api\nspec:\n  hosts: api.example.com\n"},
                 {"nometa.yaml", "apiVersion: networking.istio.io/v1\nkind: Sidecar\nspec: {}\n"}});
  EXPECT_EQ(m.stats.skipped_non_kubernetes, 0u);
  EXPECT_EQ(m.problems.size(), 2u) << ::testing::PrintToString(Problems(m));
}

TEST(Classify, TemplatedNamesAndNamespacesNeverBecomeNamespaces) {
  auto m = LoadFiles({{"templates/se.yaml",
                       "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n"
                       "  name: stripe\n  namespace: \"{{ .Release.Namespace }}\"\nspec:\n"
                       "  hosts: [api.stripe.com]\n"}});
  EXPECT_TRUE(m.problems.empty()) << ::testing::PrintToString(Problems(m));
  EXPECT_TRUE(m.service_entries.empty());
  EXPECT_EQ(m.FindNamespace("{{ .Release.Namespace }}"), nullptr);
  EXPECT_EQ(Skipped(m),
            (std::vector<std::string>{"templates/se.yaml:1:1 metadata.namespace is a template ({{ "
                                      ".Release.Namespace }}): not an object until rendered"}));
}

TEST(Classify, ClusterScopedOperatorKindsMakeNoNamespace) {
  auto m =
      LoadFiles({{"policy.yaml",
                  "apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata:\n"
                  "  name: require-labels\n---\n"
                  "apiVersion: karpenter.sh/v1\nkind: NodePool\nmetadata:\n  name: default\n"}});
  EXPECT_TRUE(m.problems.empty());
  EXPECT_EQ(m.FindNamespace("default"), nullptr);
}

TEST(Classify, CrdsAmongTheInputsDecideTheScopeOfTheirKinds) {
  const std::string crd =
      "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n"
      "  name: widgets.example.com\nspec:\n  group: example.com\n  scope: Cluster\n"
      "  names:\n    kind: Widget\n    plural: widgets\n---\n"
      "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n"
      "  name: gadgets.example.com\nspec:\n  group: example.com\n  scope: Namespaced\n"
      "  names:\n    kind: Gadget\n";
  for (bool full : {false, true}) {
    LoadOptions options;
    options.full_parse = full;
    auto m = LoadFiles({{"crds.yaml", crd},
                        {"objects.yaml",
                         "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n---\n"
                         "apiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: g\n"}},
                       options);
    EXPECT_TRUE(m.problems.empty()) << ::testing::PrintToString(Problems(m));
    ASSERT_EQ(m.custom_kinds.size(), 2u);
    EXPECT_TRUE(m.custom_kinds[0].cluster_scoped);
    EXPECT_FALSE(m.custom_kinds[1].cluster_scoped);
    // The Widget is in no namespace; the Gadget is in `default`, as kubectl
    // would put it.
    ASSERT_EQ(m.others.size(), 4u);
    EXPECT_EQ(m.others[2].ref.FullyQualifiedName(), "Widget/w");
    EXPECT_EQ(m.others[3].ref.FullyQualifiedName(), "default/Gadget/g");
  }
}

}  // namespace
}  // namespace meshlint
