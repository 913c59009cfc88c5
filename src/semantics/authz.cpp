// AuthorizationPolicy, as Istio evaluates it on one workload for one request
// (pilot/pkg/model/authorization.go ListAuthorizationPolicies: the root
// namespace's policies and the workload namespace's, by selector;
// pilot/pkg/security/authz/builder: CUSTOM, then DENY, then ALLOW — when any
// ALLOW policy applies, a request must match one of its rules).
#include <algorithm>
#include <cctype>

#include "semantics/routes.h"

namespace meshlint::istio {

namespace {

// Istio's string match: exact, "prefix*", "*suffix" or "*".
bool StringMatch(std::string_view pattern, std::string_view value, bool fold_case) {
  auto eq = [&](std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      const auto x = static_cast<unsigned char>(a[i]), y = static_cast<unsigned char>(b[i]);
      if (fold_case ? std::tolower(x) != std::tolower(y) : x != y) return false;
    }
    return true;
  };
  if (pattern == "*") return true;
  if (pattern.ends_with('*')) {
    const std::string_view p = pattern.substr(0, pattern.size() - 1);
    return value.size() >= p.size() && eq(value.substr(0, p.size()), p);
  }
  if (pattern.starts_with('*')) {
    const std::string_view s = pattern.substr(1);
    return value.size() >= s.size() && eq(value.substr(value.size() - s.size()), s);
  }
  return eq(pattern, value);
}

bool AnyMatch(const std::vector<Located<std::string>>& patterns, std::string_view value,
              bool fold) {
  return std::any_of(patterns.begin(), patterns.end(),
                     [&](const auto& p) { return StringMatch(p.value, value, fold); });
}

struct Match {
  bool matches = false;
  bool uncertain = false;
};

// A principal "<trust domain>/ns/<ns>/sa/<sa>" against the source
// namespace: the service account of the source is not known.
Match PrincipalMatch(const std::vector<Located<std::string>>& principals, std::string_view ns) {
  Match m;
  for (const auto& p : principals) {
    if (p.value == "*") return {true, false};
    const auto at = p.value.find("/ns/");
    if (at == std::string::npos) {
      m.uncertain = true;
      continue;
    }
    std::string_view rest = std::string_view(p.value).substr(at + 4);
    const auto sa = rest.find("/sa/");
    const std::string_view pns = rest.substr(0, sa);
    if (!StringMatch(pns, ns, false)) continue;
    const bool any_sa = sa != std::string_view::npos && rest.substr(sa + 4) == "*";
    if (any_sa) return {true, false};
    m.matches = true;
    m.uncertain = true;
  }
  return m;
}

Match SourceMatch(const AuthzSource& s, std::string_view source_ns) {
  Match m{true, false};
  if (!s.namespaces.empty() && !AnyMatch(s.namespaces, source_ns, false)) return {};
  if (AnyMatch(s.not_namespaces, source_ns, false)) return {};
  if (!s.principals.empty()) {
    const Match p = PrincipalMatch(s.principals, source_ns);
    if (!p.matches && !p.uncertain) return {};
    m.uncertain |= p.uncertain || !p.matches;
  }
  if (!s.not_principals.empty() && PrincipalMatch(s.not_principals, source_ns).matches)
    m.uncertain = true;
  return m;
}

Match OperationMatch(const AuthzOperation& o, std::string_view host, std::uint32_t port) {
  const std::string p = std::to_string(port);
  if (!o.hosts.empty() && !AnyMatch(o.hosts, host, true)) return {};
  if (AnyMatch(o.not_hosts, host, true)) return {};
  if (!o.ports.empty() && !AnyMatch(o.ports, p, false)) return {};
  if (AnyMatch(o.not_ports, p, false)) return {};
  return {true, false};
}

Match RuleMatch(const AuthzRule& rule, std::string_view source_ns, std::string_view host,
                std::uint32_t port) {
  Match out{true, rule.has_when};
  auto any = [&](const auto& list, auto fn) -> bool {
    if (list.empty()) return true;
    bool uncertain = true, found = false;
    for (const auto& item : list) {
      const Match m = fn(item);
      if (m.matches) {
        found = true;
        uncertain = uncertain && m.uncertain;
      }
    }
    if (found) out.uncertain |= uncertain;
    return found;
  };
  if (!any(rule.from, [&](const AuthzSource& s) { return SourceMatch(s, source_ns); })) return {};
  if (!any(rule.to, [&](const AuthzOperation& o) { return OperationMatch(o, host, port); }))
    return {};
  return out;
}

bool Selects(const AuthorizationPolicy& p, const Labels& labels) {
  if (!p.target_refs.empty()) return false;  // bound to a Service or Gateway object, not pods
  return !p.selector.set || p.selector.labels.empty() || labels.Includes(p.selector.labels);
}

}  // namespace

AuthzVerdict Authorize(const MeshModel& model, const Registry& registry, std::string_view ns,
                       const Labels& labels, std::string_view source_ns, std::string_view host,
                       std::uint32_t port) {
  AuthzVerdict v;
  std::vector<const AuthorizationPolicy*> allow, deny;
  const std::string& root = registry.settings().root_namespace;
  for (const AuthorizationPolicy& p : model.authorization_policies) {
    if (!registry.Applies(p.meta, &p.config)) continue;
    if ((p.meta.ref.ns != ns && p.meta.ref.ns != root) || !Selects(p, labels)) continue;
    const std::string_view action = p.Action();
    if (action == "ALLOW") allow.push_back(&p);
    else if (action == "DENY") deny.push_back(&p);
    else if (action == "CUSTOM") v.assumed = true;  // an external authorizer decides
  }
  for (const AuthorizationPolicy* p : deny)
    for (const AuthzRule& r : p->rules) {
      const Match m = RuleMatch(r, source_ns, host, port);
      if (!m.matches) continue;
      if (m.uncertain) {
        v.assumed = true;
        continue;
      }
      v.allowed = false;
      v.policy = p;
      v.rule = &r;
      return v;
    }
  if (allow.empty()) return v;
  for (const AuthorizationPolicy* p : allow)
    for (const AuthzRule& r : p->rules) {
      const Match m = RuleMatch(r, source_ns, host, port);
      if (!m.matches) continue;
      v.assumed |= m.uncertain;
      v.policy = p;
      v.rule = &r;
      return v;
    }
  v.allowed = false;
  v.no_allow_match = true;
  v.policy = allow.front();
  return v;
}

}  // namespace meshlint::istio
