// Which mappings are Kubernetes objects, which kinds live outside
// namespaces, and which values are templates rather than values. Plain
// functions of strings, shared by the object reader and the passes after
// loading. Loader-internal.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace meshlint {

// "networking.istio.io" of "networking.istio.io/v1"; "" for the core group
// ("v1").
std::string_view ApiGroup(std::string_view api_version);

// Why a mapping written with `api_version` and `kind` (either may be empty:
// not written) is not a Kubernetes object but a tool's file shaped like one,
// or nullopt when it is one (or is broken like one: then it is reported).
// An object is a mapping with apiVersion and kind whose group is served by
// Kubernetes or a known operator, or that has `metadata`; files that
// configure a local tool (kustomize, kubeconfig, kind, k3d, kubeadm, audit
// policies, skaffold, kuttl, release notes, ...) never are.
std::optional<std::string> NotAnObject(std::string_view api_version, std::string_view kind,
                                       bool has_metadata);

// Well-known cluster-scoped kinds of operators (Kyverno ClusterPolicy,
// Gatekeeper constraints, Karpenter NodePool, ClusterSecretStore, ...) and of
// newer Kubernetes APIs, by group and kind. The built-in list of the object
// reader covers the core ones by kind alone.
bool IsKnownClusterScoped(std::string_view api_version, std::string_view kind);

// `{{ ... }}` in a value: a Helm or Go template not rendered. Such a value
// never becomes a name, a namespace or a host.
bool IsTemplated(std::string_view value);

// What a value that is a template is, for --verbose ("metadata.namespace is
// a template ({{ .Release.Namespace }}): not an object until rendered").
struct TemplatedIdentity {
  std::string reason;
};

}  // namespace meshlint
