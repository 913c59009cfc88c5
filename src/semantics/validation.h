// Istio's admission checks, as the modelled release applies them: which
// objects the API server refuses (istiod's validating webhook,
// pkg/config/validation/validation.go and agent/validation.go, and the CRD
// schema, manifests/charts/base/files/crd-all.gen.yaml), and which it admits
// with a warning. Messages are Istio's own words.
//
// MeshModel::Finalize runs it and sets the rejected objects aside
// (MeshModel::rejected), so that nothing else in meshlint sees an object
// istiod never sees; the messages are MeshModel::validation, reported by the
// istio-validation-rejected and istio-validation-warning rules (exportTo of
// ServiceEntries: serviceentry-exportto-invalid).
//
// Mirrored: ServiceEntry, Sidecar and the exportTo rules in full as far as
// the model reads the fields; VirtualService hosts, gateways, routes'
// destinations and exportTo; Gateway servers, ports and hosts (not TLS
// credentials); AuthorizationPolicy selectors, targetRefs and the DENY rule.
// Not mirrored: HTTP route details (redirects, rewrites, headers, retries,
// faults), DestinationRule and the other kinds meshlint does not read.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/model.h"
#include "semantics/registry.h"

namespace meshlint::istio {

struct ValidationReport {
  std::vector<ValidationMessage> messages;
  // Per collection of kObjectCollections: the indices of the objects with an
  // error, ascending.
  std::array<std::vector<std::size_t>, kObjectCollectionCount> rejected;
};

// Objects are checked on up to `jobs` threads (0: the machine's cores); the
// report does not depend on it.
ValidationReport ValidateObjects(const Objects& objects, const IstioVersion& version,
                                 unsigned jobs = 1);

// ---- Istio's name checks (pkg/config/labels, agent/validation.go) ----

// [a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?, at most 63 (Istio accepts capitals).
bool IsDns1123Label(std::string_view s);
// A label, "*", or a label with a "*" or "*-" prefix.
bool IsWildcardDns1123Label(std::string_view s);
// An IPv4 or IPv6 address (netip.ParseAddr, without zones).
bool IsIpAddress(std::string_view s);
// Empty when valid, else Istio's message.
std::string CheckWildcardDomain(std::string_view domain);  // ValidateWildcardDomain
std::string CheckFqdn(std::string_view fqdn);              // ValidateFQDN
std::string CheckPartialWildcard(std::string_view host);   // ValidatePartialWildCard
std::string CheckIpSubnet(std::string_view subnet);        // ValidateIPSubnet
std::string CheckPort(std::int64_t port);                  // ValidatePort
std::string CheckProtocol(std::string_view protocol);      // ValidateProtocol

// Protocol, ParseProtocol, IsHttp and IsTls: semantics/registry.h.
bool IsTcp(Protocol p);  // TCP, HTTPS, TLS, Mongo, Redis, MySQL

}  // namespace meshlint::istio
