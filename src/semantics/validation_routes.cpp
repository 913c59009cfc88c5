// VirtualService, Gateway and AuthorizationPolicy validation
// (pkg/config/validation/validation.go ValidateVirtualService,
// validateGatewayNames, validateDestination, validateTLSRoute,
// validateTCPRoute, ValidateGateway, validateServer, validateServerPort,
// ValidateAuthorizationPolicy), as far as meshlint reads these kinds: the
// checks of HTTP route details, TLS credentials and authorization conditions
// are not mirrored.
#include <set>

#include "semantics/validation_check.h"

namespace meshlint::istio {

namespace {

bool IsWild(std::string_view h) { return h.starts_with('*'); }

// host.Name.Matches: either covers the other.
bool HostsMatch(std::string_view a, std::string_view b) {
  if (IsWild(a)) {
    if (IsWild(b))
      return a.size() < b.size() ? b.substr(1).ends_with(a.substr(1))
                                 : a.substr(1).ends_with(b.substr(1));
    return b.ends_with(a.substr(1));
  }
  if (IsWild(b)) return a.ends_with(b.substr(1));
  return a == b;
}

// host.Name.SubsetOf.
bool HostSubset(std::string_view h, std::string_view of) {
  if (IsWild(h)) return IsWild(of) && h.substr(1).ends_with(of.substr(1));
  if (IsWild(of)) return h.ends_with(of.substr(1));
  return h == of;
}

void CheckGatewayNames(Checker& c, const std::vector<Located<std::string>>& names,
                       const std::string& field) {
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::string& g = names[i].value;
    const std::string f = field + "[" + std::to_string(i) + "]";
    const std::size_t slash = g.find('/');
    if (slash == std::string::npos) {
      if (g.find('.') != std::string::npos) {
        const std::size_t dot = g.find('.');
        const std::string rest = g.substr(dot + 1);
        c.Warning(names[i].loc, f,
                  "using legacy gatewayName format \"" + g +
                      "\"; prefer the <namespace>/<name> format: \"" +
                      rest.substr(0, rest.find('.')) + "/" + g.substr(0, dot) + "\"");
      }
      c.ErrorIf(names[i].loc, f, CheckFqdn(g));
      return;  // Istio stops at the first such name
    }
    const std::string ns = g.substr(0, slash), name = g.substr(slash + 1);
    if (ns.empty() || name.empty())
      c.Error(names[i].loc, f, "config namespace and gateway name cannot be empty");
    if (!IsDns1123Label(ns))
      c.Error(names[i].loc, f, "invalid value for namespace: \"" + ns + "\"");
    if (!IsDns1123Label(name))
      c.Error(names[i].loc, f, "invalid value for gateway name: \"" + name + "\"");
  }
}

void CheckDestination(Checker& c, const RouteDestination& d, const std::string& field) {
  const Location at = d.host.loc.valid() ? d.host.loc : d.loc;
  if (d.host.value == "*") c.Error(at, field + ".host", "invalid destination host *");
  else c.ErrorIf(at, field + ".host", CheckWildcardDomain(d.host.value));
  if (d.port.loc.valid()) c.ErrorIf(d.port.loc, field + ".port.number", CheckPort(d.port.value));
}

void CheckMatch(Checker& c, const RouteMatch& m, const std::string& field) {
  if (m.port.loc.valid() && m.port.value != 0)
    c.ErrorIf(m.port.loc, field + ".port", CheckPort(m.port.value));
  CheckGatewayNames(c, m.gateways, field + ".gateways");
}

void CheckRoutes(Checker& c, const VirtualService& vs) {
  std::size_t index[3] = {0, 0, 0};
  const char* kNames[3] = {"http", "tcp", "tls"};
  for (const Route& r : vs.routes) {
    const int k = static_cast<int>(r.kind);
    const std::string rp =
        std::string("spec.") + kNames[k] + "[" + std::to_string(index[k]++) + "]";
    if (r.kind == Route::Kind::kTls && r.matches.empty())
      c.Error(r.loc, rp + ".match", "TLS route must have at least one match condition");
    for (std::size_t m = 0; m < r.matches.size(); ++m) {
      const RouteMatch& match = r.matches[m];
      const std::string mp = rp + ".match[" + std::to_string(m) + "]";
      if (r.kind == Route::Kind::kTls) {
        if (match.sni_hosts.empty())
          c.Error(match.loc, mp + ".sniHosts", "TLS match must have at least one SNI host");
        for (const auto& sni : match.sni_hosts) {
          if (std::string e = CheckWildcardDomain(sni.value); !e.empty()) {
            if (IsIpAddress(sni.value))
              c.Warning(sni.loc, mp + ".sniHosts",
                        "using an IP address (\"" + sni.value +
                            "\") goes against SNI spec and most clients do not support this");
            else c.Error(sni.loc, mp + ".sniHosts", e);
            continue;
          }
          bool covered = false;
          std::string all;
          for (const auto& h : vs.hosts) {
            covered = covered || HostSubset(sni.value, h.value);
            all += (all.empty() ? "" : ", ") + h.value;
          }
          if (!covered)
            c.Error(sni.loc, mp + ".sniHosts",
                    "SNI host \"" + sni.value +
                        "\" is not a compatible subset of any of the virtual service hosts: [" +
                        all + "]");
        }
      }
      CheckMatch(c, match, mp);
    }
    std::size_t routed = 0;
    for (std::size_t d = 0; d < r.destinations.size(); ++d) {
      routed += r.destinations[d].mirror ? 0 : 1;
      CheckDestination(c, r.destinations[d],
                       rp + (r.destinations[d].mirror ? ".mirror" : ".route"));
    }
    if (r.kind == Route::Kind::kTls && routed == 0)
      c.Error(r.loc, rp + ".route", "TLS route is required");
    if (r.kind == Route::Kind::kTcp && routed == 0)
      c.Error(r.loc, rp + ".route", "TCP route is required");
  }
}

void ValidateVirtualService(Checker& c, const VirtualService& vs) {
  const bool has_tcp = vs.tcp_key.valid(), has_tls = vs.tls_key.valid();
  bool any_http = false, any_tcp = false, any_tls = false;
  for (const Route& r : vs.routes) {
    any_http = any_http || r.kind == Route::Kind::kHttp;
    any_tcp = any_tcp || r.kind == Route::Kind::kTcp;
    any_tls = any_tls || r.kind == Route::Kind::kTls;
  }
  if (vs.hosts.empty()) {
    if (!vs.gateways.empty())
      c.Error(vs.gateways_key, "spec.gateways",
              "delegate virtual service must have no gateways specified");
    if (has_tls && any_tls)
      c.Error(vs.tls_key, "spec.tls", "delegate virtual service must have no tls route specified");
    if (has_tcp && any_tcp)
      c.Error(vs.tcp_key, "spec.tcp", "delegate virtual service must have no tcp route specified");
  }
  bool applies_to_gateway = false;
  if (!vs.gateways.empty()) {
    CheckGatewayNames(c, vs.gateways, "spec.gateways");
    applies_to_gateway = true;
    for (const auto& g : vs.gateways) applies_to_gateway = applies_to_gateway && g.value != "mesh";
  }
  bool all_valid = true;
  for (std::size_t i = 0; i < vs.hosts.size(); ++i) {
    const auto& h = vs.hosts[i];
    const std::string field = "spec.hosts[" + std::to_string(i) + "]";
    // A gateway's auto-generated SNI names (outbound_.<port>_._.<host>) are
    // accepted as they are.
    std::string e =
        applies_to_gateway && h.value.starts_with("outbound_") ? "" : CheckWildcardDomain(h.value);
    if (!e.empty()) {
      if (!IsIpAddress(h.value)) {
        c.Error(h.loc, field, e);
        all_valid = false;
      }
    } else if (!applies_to_gateway && h.value == "*") {
      c.Error(h.loc, field,
              "wildcard host * is not allowed for virtual services bound to the mesh gateway");
      all_valid = false;
    }
  }
  for (std::size_t i = 0; all_valid && i < vs.hosts.size(); ++i)
    for (std::size_t j = i + 1; j < vs.hosts.size(); ++j)
      if (HostsMatch(vs.hosts[i].value, vs.hosts[j].value))
        c.Error(
            vs.hosts[j].loc, "spec.hosts[" + std::to_string(j) + "]",
            "duplicate hosts in virtual service: " + vs.hosts[i].value + " & " + vs.hosts[j].value);
  if (!any_http && !any_tcp && !any_tls)
    c.Error(vs.hosts_key, "spec", "http, tcp or tls must be provided in virtual service");
  CheckRoutes(c, vs);
  CheckExportTo(c, vs.meta.ref.ns, vs.export_to, false);
}

// ---- Gateway ----

void CheckServer(Checker& c, const GatewayServer& s, const std::string& sp,
                 const IstioVersion& version) {
  if (s.hosts.empty())
    c.Error(s.hosts_key.valid() ? s.hosts_key : s.loc, sp + ".hosts",
            "server config must contain at least one host");
  for (std::size_t h = 0; h < s.hosts.size(); ++h)
    CheckNamespaceSlashHost(c, s.hosts[h], sp + ".hosts[" + std::to_string(h) + "]", true, version);
  const PortSpec& p = s.port;
  if (!p.loc.valid()) {
    c.Error(s.loc, sp + ".port", "port is required");
    return;
  }
  const std::size_t before = c.errors();
  const Protocol proto = ParseProtocol(p.protocol.value);
  if (proto == Protocol::kUnsupported)
    c.Error(
        p.protocol.loc.valid() ? p.protocol.loc : p.loc, sp + ".port.protocol",
        "invalid protocol \"" + p.protocol.value +
            "\", supported protocols are HTTP, HTTP2, GRPC, GRPC-WEB, MONGO, REDIS, MYSQL, TCP");
  c.ErrorIf(p.number.loc.valid() ? p.number.loc : p.loc, sp + ".port.number",
            CheckPort(p.number.value));
  if (p.target_port.value > 0)
    c.Error(p.target_port.loc, sp + ".port.targetPort", "targetPort has no impact on Gateways");
  if (p.name.value.empty())
    c.Error(p.loc, sp + ".port.name",
            "port name must be set: number:" + std::to_string(p.number.value) + " protocol:\"" +
                p.protocol.value + "\"");
  if (c.errors() != before) return;  // Istio checks TLS only for a valid port
  const std::string& mode = s.tls_mode.value;
  const bool passthrough = mode.empty() || mode == "PASSTHROUGH" || mode == "AUTO_PASSTHROUGH";
  if (IsTls(proto) && !s.tls_set)
    c.Error(p.loc, sp + ".tls", "server must have TLS settings for HTTPS/TLS protocols");
  else if (!IsTls(proto) && s.tls_set && IsHttp(proto) && !passthrough)
    c.Error(s.tls_loc, sp + ".tls", "server cannot have TLS settings for plain text HTTP ports");
  else if (!IsTls(proto) && s.tls_set && !IsHttp(proto))
    c.Error(s.tls_loc, sp + ".tls", "server cannot have TLS settings for non HTTPS/TLS ports");
}

void ValidateGateway(Checker& c, const Gateway& gw, const IstioVersion& version) {
  if (!IsDns1123Label(gw.meta.ref.name))
    c.Error(gw.meta.name_loc, "metadata.name",
            "invalid gateway name: \"" + gw.meta.ref.name + "\"");
  if (gw.servers.empty())
    c.Error(gw.servers_key.valid() ? gw.servers_key : gw.meta.anchor(), "spec.servers",
            "gateway must have at least one server");
  for (std::size_t i = 0; i < gw.servers.size(); ++i)
    CheckServer(c, gw.servers[i], "spec.servers[" + std::to_string(i) + "]", version);
  std::set<std::string_view> names;  // views of the model's shared port names
  for (std::size_t i = 0; i < gw.servers.size(); ++i) {
    const GatewayServer& s = gw.servers[i];
    if (!s.port.loc.valid()) continue;
    const std::string sp = "spec.servers[" + std::to_string(i) + "]";
    if (!names.insert(s.port.name.value.view()).second)
      c.Error(s.port.name.loc.valid() ? s.port.name.loc : s.port.loc, sp + ".port.name",
              "port names in servers must be unique: duplicate name " + s.port.name.value);
    if (!IsHttp(ParseProtocol(s.port.protocol.value)) && s.https_redirect)
      c.Warning(s.tls_loc, sp + ".tls.httpsRedirect",
                "tls.httpsRedirect should only be used with http servers");
  }
}

// ---- AuthorizationPolicy ----

void CheckTargetRef(Checker& c, const PolicyTargetRef& t, const std::string& field) {
  if (t.name.value.empty()) c.Error(t.loc, field + ".name", "targetRef name must be set");
  if (!t.ns.value.empty())
    c.Error(t.ns.loc, field + ".namespace",
            "targetRef namespace must not be set; cross namespace referencing is not supported");
  const std::string group = t.group.value.empty() ? "core" : t.group.value;
  const std::string& kind = t.kind.value;
  const bool allowed =
      (group == "core" && kind == "Service") ||
      (group == "networking.istio.io" && kind == "ServiceEntry") ||
      (group == "gateway.networking.k8s.io" && (kind == "Gateway" || kind == "GatewayClass"));
  if (!allowed)
    c.Error(
        t.loc, field,
        "targetRef must be to one of [core/v1/Service networking.istio.io/v1/ServiceEntry "
        "gateway.networking.k8s.io/v1/Gateway gateway.networking.k8s.io/v1/GatewayClass] but was " +
            t.group.value + "/" + kind);
}

void ValidateAuthorizationPolicy(Checker& c, const AuthorizationPolicy& ap) {
  const std::string& action = ap.action.value;
  if (!action.empty() && action != "ALLOW" && action != "DENY" && action != "AUDIT" &&
      action != "CUSTOM") {
    c.SchemaError(ap.action.loc, "spec.action",
                  UnsupportedValue("spec.action", action, {"ALLOW", "DENY", "AUDIT", "CUSTOM"}));
    return;
  }
  const int kinds = (ap.selector.set ? 1 : 0) + (ap.target_ref_set ? 1 : 0) +
                    (ap.target_refs.size() > (ap.target_ref_set ? 1u : 0u) ? 1 : 0);
  if (kinds > 1)
    c.Error(ap.selector.set ? ap.selector.loc : ap.meta.anchor(), "spec",
            "only one of targetRefs or workloadSelector can be set");
  for (const Label& l : ap.selector.labels.items) {
    const std::string pair = "\"" + l.key + "=" + l.value + "\"";
    if (l.key.empty())
      c.Error(l.loc, "spec.selector.matchLabels",
              "empty key is not supported in selector: " + pair);
    if (l.key.find('*') != std::string::npos || l.value.find('*') != std::string::npos)
      c.Error(l.loc, "spec.selector.matchLabels", "wildcard is not supported in selector: " + pair);
  }
  if (ap.selector.set && ap.selector.labels.empty())
    c.Warning(ap.selector.loc, "spec.selector", "workload selector specified without labels");
  for (std::size_t i = 0; i < ap.target_refs.size(); ++i)
    CheckTargetRef(
        c, ap.target_refs[i],
        ap.target_ref_set && i == 0
            ? "spec.targetRef"
            : "spec.targetRefs[" + std::to_string(i - (ap.target_ref_set ? 1 : 0)) + "]");
  // `rules: []` is no rule, as protobuf reads it.
  if ((ap.Action() == "DENY" || ap.Action() == "CUSTOM") && ap.rules.empty())
    c.Error(
        ap.rules_key.valid() ? ap.rules_key : ap.meta.anchor(), "spec.rules",
        std::string(ap.Action()) +
            " action without `rules` is meaningless as it will never be triggered, add an empty "
            "rule `{}` if you want it be triggered for every request");
}

}  // namespace

void ValidateRoutingKinds(const Objects& objects, const IstioVersion& version, unsigned jobs,
                          ValidationReport& report) {
  ValidateEach(objects.virtual_services, "ValidateVirtualService", report, jobs,
               [](Checker& c, const VirtualService& vs) { ValidateVirtualService(c, vs); });
  ValidateEach(objects.gateways, "ValidateGateway", report, jobs,
               [&](Checker& c, const Gateway& gw) { ValidateGateway(c, gw, version); });
  ValidateEach(
      objects.authorization_policies, "ValidateAuthorizationPolicy", report, jobs,
      [](Checker& c, const AuthorizationPolicy& ap) { ValidateAuthorizationPolicy(c, ap); });
}

}  // namespace meshlint::istio
