// Sidecar validation (pkg/config/validation/validation.go ValidateSidecar,
// validateSidecarEgressPortBindAndCaptureMode,
// validateSidecarOutboundTrafficPolicy) and the Sidecar CRD's enums.
// Ingress listeners are not read by meshlint, so their checks are not
// mirrored.
#include <map>
#include <set>

#include "semantics/validation_check.h"

namespace meshlint::istio {

namespace {

constexpr std::string_view kUnixPrefix = "unix://";

void CheckEgressPort(Checker& c, const SidecarEgressListener& l, const std::string& lp) {
  const PortSpec& p = l.port;
  const std::string pp = lp + ".port";
  if (p.target_port.value > 0)
    c.Error(p.target_port.loc, pp + ".targetPort", "targetPort has no impact on Sidecars");
  if (!p.name.value.empty() && !IsDns1123Label(p.name.value))
    c.Error(p.name.loc, pp + ".name", "invalid port name: " + p.name.value);
  c.ErrorIf(p.protocol.loc, pp + ".protocol", CheckProtocol(p.protocol.value));
  const Location at = p.number.loc.valid() ? p.number.loc : p.loc;
  if (p.number.value == 0) {
    if (!l.bind.value.starts_with(kUnixPrefix))
      c.Error(l.bind.loc.valid() ? l.bind.loc : at, lp + ".bind",
              "sidecar: ports with 0 value must have a unix domain socket bind address");
    const std::string& mode = l.capture_mode.value;
    if (!mode.empty() && mode != "DEFAULT" && mode != "NONE")
      c.Error(l.capture_mode.loc, lp + ".captureMode",
              "sidecar: captureMode must be DEFAULT/NONE for unix domain socket listeners");
    return;
  }
  c.ErrorIf(at, pp + ".number", CheckPort(p.number.value));
  if (!l.bind.value.empty() && !IsIpAddress(l.bind.value))
    c.Error(l.bind.loc, lp + ".bind", l.bind.value + " is not a valid IP");
}

// Duplicate hosts within one listener, as Istio warns of them.
void CheckDuplicateHosts(Checker& c, const Sidecar& sc, const SidecarEgressListener& l,
                         const std::string& lp, const IstioVersion& version) {
  std::map<std::string, std::set<std::string>> by_ns;
  for (std::size_t k = 0; k < l.host_count; ++k) {
    const auto& h = sc.egress_hosts[l.first_host + k];
    const std::size_t slash = h.value.find('/');
    if (slash == std::string::npos) continue;
    std::string ns = h.value.substr(0, slash);
    // From 1.31 `~` entries are exclusions, not imports.
    if (version.AtLeast(1, 31) && ns.starts_with('~')) continue;
    const std::string svc = h.value.substr(slash + 1);
    if (ns == ".") ns = sc.meta.ref.ns;
    auto& svcs = by_ns[ns];
    const bool dup = svc != "*" ? (svcs.count(svc) || svcs.count("*")) : !svcs.empty();
    if (dup)
      c.Warning(h.loc, lp + ".hosts[" + std::to_string(k) + "]",
                "duplicated egress host: " + h.value);
    svcs.insert(svc);
  }
  auto all = by_ns.find("*");
  if (all != by_ns.end() && all->second.count("*") && by_ns.size() != 1)
    c.Warning(l.hosts_key, lp + ".hosts",
              "`*/*` host select all resources, no other hosts can be added");
}

void CheckEgress(Checker& c, const Sidecar& sc, const IstioVersion& version) {
  std::set<std::int64_t> ports;
  std::set<std::string> sockets;
  bool catch_all = false;
  for (std::size_t i = 0; i < sc.egress.size(); ++i) {
    const SidecarEgressListener& l = sc.egress[i];
    const std::string lp = "spec.egress[" + std::to_string(i) + "]";
    if (!l.port_set) {
      if (catch_all) {
        c.Error(l.loc, lp, "sidecar: egress can have only one listener with empty port");
        continue;
      }
      if (i + 1 == sc.egress.size()) catch_all = true;
      else
        c.Error(
            l.loc, lp,
            "sidecar: the egress listener with empty port should be the last listener in the list");
    } else {
      CheckEgressPort(c, l, lp);
      if (l.port.number.value == 0) {
        if (!sockets.insert(l.bind.value).second)
          c.Error(l.bind.loc.valid() ? l.bind.loc : l.loc, lp + ".bind",
                  "sidecar: unix domain socket values for listeners must be unique");
      } else if (!ports.insert(l.port.number.value).second) {
        c.Error(l.port.number.loc, lp + ".port.number",
                "sidecar: ports on IP bound listeners must be unique");
      }
    }
    if (l.host_count == 0) {
      c.Error(l.hosts_key.valid() ? l.hosts_key : l.loc, lp + ".hosts",
              "sidecar: egress listener must contain at least one host");
      continue;
    }
    CheckDuplicateHosts(c, sc, l, lp, version);
    for (std::size_t k = 0; k < l.host_count; ++k)
      CheckNamespaceSlashHost(c, sc.egress_hosts[l.first_host + k],
                              lp + ".hosts[" + std::to_string(k) + "]", false, version);
  }
}

void CheckOutboundPolicy(Checker& c, const Sidecar& sc) {
  if (!sc.outbound_set) return;
  const std::string op = "spec.outboundTrafficPolicy";
  if (sc.egress_proxy_set) {
    // The mode as Istio reads it: REGISTRY_ONLY when not written.
    if (sc.outbound_mode != OutboundMode::kAllowAny) {
      c.Error(sc.egress_proxy_loc, op + ".egressProxy",
              "sidecar: egress_proxy must be set only with ALLOW_ANY outbound_traffic_policy mode");
      return;
    }
    const Location at =
        sc.egress_proxy_host.loc.valid() ? sc.egress_proxy_host.loc : sc.egress_proxy_loc;
    c.ErrorIf(at, op + ".egressProxy.host", CheckFqdn(sc.egress_proxy_host.value));
    if (!sc.egress_proxy_port_set) {
      c.Error(sc.egress_proxy_loc, op + ".egressProxy.port",
              "sidecar: egress_proxy port must be non-nil");
      return;
    }
    if (sc.egress_proxy_host.value == "*")
      c.Error(at, op + ".egressProxy.host", "invalid destination host *");
  }
}

// The CRD schema's enums; false when the API server refuses the object.
bool CheckSidecarEnums(Checker& c, const Sidecar& sc) {
  bool ok = true;
  const std::string& mode = sc.outbound_mode_text;
  if (!mode.empty() && mode != "REGISTRY_ONLY" && mode != "ALLOW_ANY") {
    // ALLOW_ANY_DYNAMIC_DNS (1.31) exists in MeshConfig only; the Sidecar
    // enum, and so its CRD schema, never held it.
    c.SchemaError(
        sc.outbound_mode_loc, "spec.outboundTrafficPolicy.mode",
        UnsupportedValue("spec.outboundTrafficPolicy.mode", mode, {"REGISTRY_ONLY", "ALLOW_ANY"}));
    ok = false;
  }
  for (std::size_t i = 0; i < sc.egress.size(); ++i) {
    const auto& cm = sc.egress[i].capture_mode;
    if (!cm.value.empty() && cm.value != "DEFAULT" && cm.value != "IPTABLES" &&
        cm.value != "NONE") {
      const std::string field = "spec.egress[" + std::to_string(i) + "].captureMode";
      c.SchemaError(cm.loc, field,
                    UnsupportedValue(field, cm.value, {"DEFAULT", "IPTABLES", "NONE"}));
      ok = false;
    }
  }
  return ok;
}

void ValidateSidecar(Checker& c, const Sidecar& sc, const IstioVersion& version) {
  if (!CheckSidecarEnums(c, sc)) return;
  const std::size_t before = c.errors();
  const bool no_labels = CheckSelectorLabels(c, sc.selector, "spec.workloadSelector.labels");
  if (c.errors() != before) return;  // the webhook returns these alone
  // `egress: []` is no listener, as protobuf reads it.
  if (sc.egress.empty() && !sc.ingress_set && !sc.outbound_set && !sc.inbound_connection_pool_set) {
    c.Error(sc.meta.anchor(), "spec", "sidecar: empty configuration provided");
    return;
  }
  if (no_labels)
    c.Warning(sc.selector.loc, "spec.workloadSelector",
              "sidecar: workload selector specified without labels, will be applied to all "
              "services in namespace");
  CheckEgress(c, sc, version);
  CheckOutboundPolicy(c, sc);
}

}  // namespace

void ValidateSidecars(const Objects& objects, const IstioVersion& version, unsigned jobs,
                      ValidationReport& report) {
  ValidateEach(objects.sidecars, "ValidateSidecar", report, jobs,
               [&](Checker& c, const Sidecar& sc) { ValidateSidecar(c, sc, version); });
}

}  // namespace meshlint::istio
