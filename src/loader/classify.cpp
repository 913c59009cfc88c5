#include "loader/classify.h"

#include <algorithm>
#include <array>

namespace meshlint {

namespace {

// The built-in groups whose names have no dot; every other group served by
// Kubernetes, and every CRD's group, has one (the API server requires it).
constexpr std::array<std::string_view, 5> kDotlessGroups = {"apps", "autoscaling", "batch",
                                                            "extensions", "policy"};

// Groups of files that configure a local tool and are never sent to a
// cluster, although they carry apiVersion, kind and often metadata.
constexpr std::array<std::string_view, 22> kToolGroups = {
    "kustomize.config.k8s.io",       // kustomization, Component
    "config.kubernetes.io",          // kustomize function configs
    "kubeadm.k8s.io",                // InitConfiguration, ClusterConfiguration, ...
    "audit.k8s.io",                  // audit Policy
    "apiserver.k8s.io",              // AdmissionConfiguration, EgressSelectorConfiguration
    "client.authentication.k8s.io",  // ExecCredential
    "eventratelimit.admission.k8s.io",
    "kind.x-k8s.io",                // kind's Cluster
    "clusterctl.cluster.x-k8s.io",  // clusterctl's settings
    "k3d.io",                       // k3d's Simple
    "kuttl.dev",                    // kuttl TestSuite, TestStep, TestAssert
    "chainsaw.kyverno.io",          // Kyverno chainsaw tests
    "cli.kyverno.io",               // kyverno CLI Test, Values
    "ctlptl.dev",                   // ctlptl Cluster, Registry
    "kpt.dev",                      // Kptfile
    "fn.kpt.dev",                   // kpt function configs
    "backstage.io",                 // catalog-info.yaml
    "score.dev",                    // score workload specs
    "scorecard.operatorframework.io",
    "krew.googlecontainertools.github.com",
    "k0sctl.k0sproject.io",
    "k0s.k0sproject.io",
};

// Groups of Kubernetes and of operators whose objects belong in a cluster:
// an object of one of them without metadata is a broken object (reported),
// not a tool's file. Matched as the group itself or a suffix after a dot.
constexpr std::array<std::string_view, 24> kKnownGroupDomains = {
    "k8s.io",          "x-k8s.io",          "istio.io",
    "sailoperator.io", "cert-manager.io",   "fluxcd.io",
    "argoproj.io",     "kyverno.io",        "gatekeeper.sh",
    "karpenter.sh",    "karpenter.k8s.aws", "external-secrets.io",
    "coreos.com",      "crossplane.io",     "knative.dev",
    "tekton.dev",      "projectcalico.org", "cilium.io",
    "linkerd.io",      "keda.sh",           "openshift.io",
    "velero.io",       "kiali.io",          "jaegertracing.io",
};

bool InDomain(std::string_view group, std::string_view domain) {
  return group == domain || (group.size() > domain.size() && group.ends_with(domain) &&
                             group[group.size() - domain.size() - 1] == '.');
}

template <std::size_t N>
bool Contains(const std::array<std::string_view, N>& list, std::string_view s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

struct GroupKind {
  std::string_view group;  // "" here: any group
  std::string_view kind;   // "" here: any kind of the group
};

// Cluster-scoped kinds of operators and newer Kubernetes APIs.
constexpr GroupKind kClusterScoped[] = {
    // Kubernetes APIs beyond the object reader's list.
    {"certificates.k8s.io", "ClusterTrustBundle"},
    {"networking.k8s.io", "IPAddress"},
    {"networking.k8s.io", "ServiceCIDR"},
    {"resource.k8s.io", "DeviceClass"},
    {"resource.k8s.io", "ResourceSlice"},
    {"storage.k8s.io", "VolumeAttributesClass"},
    {"storagemigration.k8s.io", "StorageVersionMigration"},
    {"apiregistration.k8s.io", "APIService"},
    // Kyverno.
    {"kyverno.io", "ClusterPolicy"},
    {"kyverno.io", "ClusterCleanupPolicy"},
    {"kyverno.io", "ClusterPolicyException"},
    {"policies.kyverno.io", "ValidatingPolicy"},
    {"policies.kyverno.io", "ImageValidatingPolicy"},
    {"policies.kyverno.io", "MutatingPolicy"},
    {"policies.kyverno.io", "GeneratingPolicy"},
    {"policies.kyverno.io", "DeletingPolicy"},
    {"wgpolicyk8s.io", "ClusterPolicyReport"},
    {"reports.kyverno.io", "ClusterEphemeralReport"},
    // Gatekeeper: templates, every constraint, mutations, expansions.
    {"templates.gatekeeper.sh", ""},
    {"constraints.gatekeeper.sh", ""},
    {"mutations.gatekeeper.sh", ""},
    {"expansion.gatekeeper.sh", ""},
    {"externaldata.gatekeeper.sh", "Provider"},
    // Karpenter.
    {"karpenter.sh", "NodePool"},
    {"karpenter.sh", "NodeClaim"},
    {"karpenter.sh", "Provisioner"},
    {"karpenter.k8s.aws", "EC2NodeClass"},
    {"karpenter.k8s.aws", "AWSNodeTemplate"},
    {"karpenter.azure.com", "AKSNodeClass"},
    // External Secrets.
    {"external-secrets.io", "ClusterSecretStore"},
    {"external-secrets.io", "ClusterExternalSecret"},
    {"generators.external-secrets.io", "ClusterGenerator"},
    // cert-manager and trust-manager.
    {"cert-manager.io", "ClusterIssuer"},
    {"trust.cert-manager.io", "Bundle"},
    // Crossplane.
    {"pkg.crossplane.io", ""},
    {"apiextensions.crossplane.io", "Composition"},
    {"apiextensions.crossplane.io", "CompositionRevision"},
    {"apiextensions.crossplane.io", "CompositeResourceDefinition"},
    // Argo Workflows, Tekton.
    {"argoproj.io", "ClusterWorkflowTemplate"},
    {"tekton.dev", "ClusterTask"},
    {"triggers.tekton.dev", "ClusterTriggerBinding"},
    {"triggers.tekton.dev", "ClusterInterceptor"},
    // Calico and Cilium.
    {"crd.projectcalico.org", "GlobalNetworkPolicy"},
    {"crd.projectcalico.org", "GlobalNetworkSet"},
    {"crd.projectcalico.org", "IPPool"},
    {"crd.projectcalico.org", "FelixConfiguration"},
    {"crd.projectcalico.org", "BGPConfiguration"},
    {"crd.projectcalico.org", "BGPPeer"},
    {"projectcalico.org", "GlobalNetworkPolicy"},
    {"projectcalico.org", "GlobalNetworkSet"},
    {"projectcalico.org", "IPPool"},
    {"cilium.io", "CiliumClusterwideNetworkPolicy"},
    {"cilium.io", "CiliumClusterwideEnvoyConfig"},
    {"cilium.io", "CiliumNode"},
    {"cilium.io", "CiliumIdentity"},
    {"cilium.io", "CiliumExternalWorkload"},
    {"cilium.io", "CiliumLoadBalancerIPPool"},
    {"cilium.io", "CiliumBGPClusterConfig"},
    {"cilium.io", "CiliumBGPPeerConfig"},
    {"cilium.io", "CiliumBGPAdvertisement"},
    {"cilium.io", "CiliumCIDRGroup"},
    // Others often found in platform repositories.
    {"kueue.x-k8s.io", "ClusterQueue"},
    {"kueue.x-k8s.io", "ResourceFlavor"},
    {"capsule.clastix.io", "Tenant"},
    {"config.openshift.io", ""},
    {"security.openshift.io", "SecurityContextConstraints"},
    {"snapshot.storage.k8s.io", "VolumeSnapshotClass"},
    {"snapshot.storage.k8s.io", "VolumeSnapshotContent"},
    {"scheduling.volcano.sh", "Queue"},
    {"velero.io", "ServerStatusRequest"},
    {"monitoring.coreos.com", "ClusterAlertmanagerConfig"},
};

}  // namespace

std::string_view ApiGroup(std::string_view api_version) {
  const std::size_t slash = api_version.find('/');
  return slash == std::string_view::npos ? std::string_view{} : api_version.substr(0, slash);
}

std::optional<std::string> NotAnObject(std::string_view api_version, std::string_view kind,
                                       bool has_metadata) {
  const bool has_api = !api_version.empty(), has_kind = !kind.empty();
  if (!has_api && !has_kind) return "no apiVersion and kind (Helm values, a tool's settings)";
  // A mapping with one of the two and no metadata is some tool's file
  // (Grafana's `apiVersion: 1`); with metadata it is a broken object.
  if (!has_api || !has_kind) {
    if (has_metadata) return std::nullopt;
    return std::string("'") + (has_api ? "apiVersion" : "kind") + "' without '" +
           (has_api ? "kind" : "apiVersion") + "' or metadata: not a Kubernetes object";
  }
  const std::string shown =
      "apiVersion " + std::string(api_version) + ", kind " + std::string(kind);
  if (api_version == "v1" && kind == "Config") return shown + ": a kubeconfig";
  const std::string_view group = ApiGroup(api_version);
  if (api_version.find('/') == std::string_view::npos) {
    // The core group; with metadata, a broken or future version of it.
    if (api_version == "v1" || has_metadata) return std::nullopt;
    return shown + ": no Kubernetes API has this version";
  }
  for (std::string_view g : kToolGroups)
    if (group == g) return shown + ": a local tool's configuration, not a cluster object";
  // kubelet.config.k8s.io, kubeproxy.config.k8s.io, kubescheduler..., and
  // admission plugin configs: component configuration files.
  if (InDomain(group, "config.k8s.io") || InDomain(group, "admission.config.k8s.io"))
    return shown + ": a Kubernetes component's configuration file, not a cluster object";
  if (group.find('.') == std::string_view::npos && !Contains(kDotlessGroups, group))
    return shown + ": no Kubernetes API group has this name (API groups are domain names)";
  if (has_metadata) return std::nullopt;
  for (std::string_view domain : kKnownGroupDomains)
    if (InDomain(group, domain)) return std::nullopt;
  if (Contains(kDotlessGroups, group)) return std::nullopt;
  return shown + " without metadata: not a Kubernetes object";
}

bool IsKnownClusterScoped(std::string_view api_version, std::string_view kind) {
  const std::string_view group = ApiGroup(api_version);
  for (const GroupKind& gk : kClusterScoped)
    if (gk.group == group && (gk.kind.empty() || gk.kind == kind)) return true;
  return false;
}

bool IsTemplated(std::string_view value) {
  const std::size_t open = value.find("{{");
  return open != std::string_view::npos && value.find("}}", open + 2) != std::string_view::npos;
}

}  // namespace meshlint
