// Host names and Sidecar egress host entries, as Istio compares them
// (pkg/config/host, pilot/pkg/model/sidecar.go).
#include "semantics/hosts.h"

#include <algorithm>

namespace meshlint::istio {

// ---- Host names ----

bool IsWildcardHost(std::string_view host) { return !host.empty() && host.front() == '*'; }

bool HostSubsetOf(std::string_view host, std::string_view pattern) {
  const bool host_wild = IsWildcardHost(host);
  const bool pattern_wild = IsWildcardHost(pattern);
  if (host_wild) {
    if (!pattern_wild || host.size() < pattern.size()) return false;
    return host.substr(1).ends_with(pattern.substr(1));
  }
  if (pattern_wild) return host.ends_with(pattern.substr(1));
  return host == pattern;
}

bool HostsMatch(std::string_view a, std::string_view b) {
  return HostSubsetOf(a, b) || HostSubsetOf(b, a);
}

// ---- Sidecar egress hosts ----

std::optional<EgressEntry> SplitEgressHost(std::string_view entry) {
  const auto slash = entry.find('/');
  // Istio's validation rejects entries without both parts; they import nothing.
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == entry.size())
    return std::nullopt;
  return EgressEntry{entry.substr(0, slash), entry.substr(slash + 1)};
}

bool SelectsNamespace(const EgressEntry& entry, std::string_view config_ns,
                      std::string_view service_ns) {
  // "~..." imports nothing: before 1.31 a namespace no service lives in,
  // from 1.31 an exclusion (see ExcludedBy).
  if (!entry.ns.empty() && entry.ns.front() == '~') return false;
  if (entry.ns == "*") return true;
  return (entry.ns == "." ? config_ns : entry.ns) == service_ns;
}

bool EntryImports(const EgressEntry& entry, std::string_view config_ns, std::string_view service_ns,
                  std::string_view host) {
  return SelectsNamespace(entry, config_ns, service_ns) && HostSubsetOf(host, entry.dns);
}

std::optional<ClusterHost> ParseClusterHost(std::string_view dns) {
  const auto svc = dns.find(".svc.");
  if (svc == std::string_view::npos) return std::nullopt;
  const std::string_view head = dns.substr(0, svc);
  const auto dot = head.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  return ClusterHost{head.substr(0, dot), head.substr(dot + 1)};
}

ServiceIndex::ServiceIndex(const MeshModel& model) {
  for (const KubeService& s : model.services) services_.insert({s.meta.ref.ns, s.meta.ref.name});
}

bool ServiceIndex::Contains(std::string_view ns, std::string_view name) const {
  return services_.count({std::string(ns), std::string(name)}) != 0;
}

bool ServiceProvides(const ServiceIndex& services, const EgressEntry& entry) {
  const auto host = ParseClusterHost(entry.dns);
  if (!host || !services.Contains(host->ns, host->name)) return false;
  // "." could be any namespace the Sidecar applies to: accepted.
  return entry.ns == "*" || entry.ns == "." || entry.ns == host->ns;
}

}  // namespace meshlint::istio
