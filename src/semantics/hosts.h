// Host names and Sidecar egress host entries, as Istio compares them
// (pkg/config/host, pilot/pkg/model/sidecar.go convertIstioListenerToWrapper).
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "model/model.h"

namespace meshlint::istio {

// ---- Host names, as Istio compares them (pkg/config/host) ----

// "*" or "*.suffix".
bool IsWildcardHost(std::string_view host);
// Istio's Name.SubsetOf: `host` is covered by `pattern`. A wildcard host is a
// subset only of a wildcard at least as wide ("*.a.example.com" ⊆
// "*.example.com"); a concrete host of an equal name or a covering wildcard.
bool HostSubsetOf(std::string_view host, std::string_view pattern);
// Istio's Name.Matches: either covers the other (VirtualService hosts
// against Sidecar egress hosts, the bidirectional legacy match).
bool HostsMatch(std::string_view a, std::string_view b);

// ---- Sidecar egress hosts: "namespace/dnsName" ----

struct EgressEntry {
  std::string_view ns;   // ".", "*", "~" or a namespace name
  std::string_view dns;  // FQDN, "*.suffix" or "*"
};
// Nullopt when the entry has no "/" or an empty part (Istio rejects such
// entries; they import nothing).
std::optional<EgressEntry> SplitEgressHost(std::string_view entry);
// Does the entry's namespace part, in a Sidecar applied to `config_ns`, name
// `service_ns`? ("." is the namespace the Sidecar is applied to, "*" any, "~"
// none.)
bool SelectsNamespace(const EgressEntry& entry, std::string_view config_ns,
                      std::string_view service_ns);
// Does `entry`, in a Sidecar applied to namespace `config_ns`, import a service
// with hostname `host` that lives in namespace `service_ns`?
bool EntryImports(const EgressEntry& entry, std::string_view config_ns, std::string_view service_ns,
                  std::string_view host);

// The name and namespace of a Kubernetes Service host "name.ns.svc.<domain>".
struct ClusterHost {
  std::string_view name;
  std::string_view ns;
};
std::optional<ClusterHost> ParseClusterHost(std::string_view dns);

// The Kubernetes Services (core v1) of the inputs.
class ServiceIndex {
 public:
  explicit ServiceIndex(const MeshModel& model);
  bool Contains(std::string_view ns, std::string_view name) const;

 private:
  std::set<std::pair<std::string, std::string>> services_;  // (namespace, name)
};
// Does a Kubernetes Service of the inputs provide the host of `entry`
// ("name.ns.svc.<domain>") in a namespace the entry can select?
bool ServiceProvides(const ServiceIndex& services, const EgressEntry& entry);

}  // namespace meshlint::istio
