// Istio's name checks, exportTo and ServiceEntry validation
// (pkg/config/validation/validation.go ValidateServiceEntry,
// validateExportTo; agent/validation.go; pkg/config/labels).
#include "semantics/validation.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "semantics/validation_check.h"

namespace meshlint::istio {

// ---- Names ----

namespace {

bool IsAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

std::string Quote(std::string_view s) {
  // Go's %q for the printable ASCII names these messages hold. A name far
  // beyond any limit is cut: the message names the problem, not a megabyte.
  const bool cut = s.size() > 256;
  if (cut) s = s.substr(0, 253);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + (cut ? "...\"" : "\"");
}

}  // namespace

bool IsDns1123Label(std::string_view s) {
  if (s.empty() || s.size() > 63 || !IsAlnum(s.front()) || !IsAlnum(s.back())) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return IsAlnum(c) || c == '-'; });
}

bool IsWildcardDns1123Label(std::string_view s) {
  if (s.size() > 63) return false;
  if (s == "*") return true;
  if (s.starts_with("*-")) s.remove_prefix(2);
  else if (s.starts_with("*")) s.remove_prefix(1);
  return IsDns1123Label(s);
}

bool IsIpAddress(std::string_view s) {
  const std::string text(s);
  unsigned char buf[16];
  return inet_pton(AF_INET, text.c_str(), buf) == 1 || inet_pton(AF_INET6, text.c_str(), buf) == 1;
}

namespace {

std::string CheckDns1123Preconditions(std::string_view name) {
  if (name.size() > 255) return "domain name " + Quote(name) + " too long (max 255)";
  if (name.empty()) return "empty domain name not allowed";
  return "";
}

std::string CheckDns1123Labels(std::string_view domain) {
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    const std::size_t dot = domain.find('.', start);
    parts.push_back(domain.substr(start, dot == std::string_view::npos ? dot : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  const std::string_view top = parts.back();
  if (!top.empty() &&
      std::all_of(top.begin(), top.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return "domain name " + Quote(domain) + " invalid (top level domain " + Quote(top) +
           " cannot be all-numeric)";
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i + 1 == parts.size() && parts[i].empty()) return "";  // "istio.io."
    if (!IsDns1123Label(parts[i]))
      return "domain name " + Quote(domain) + " invalid (label " + Quote(parts[i]) + " invalid)";
  }
  return "";
}

}  // namespace

std::string CheckWildcardDomain(std::string_view domain) {
  if (auto e = CheckDns1123Preconditions(domain); !e.empty()) return e;
  const std::size_t dot = domain.find('.');
  const std::string_view first = domain.substr(0, dot);
  if (!IsWildcardDns1123Label(first))
    return "domain name " + Quote(domain) + " invalid (label " + Quote(first) + " invalid)";
  return dot == std::string_view::npos ? "" : CheckDns1123Labels(domain.substr(dot + 1));
}

std::string CheckFqdn(std::string_view fqdn) {
  if (auto e = CheckDns1123Preconditions(fqdn); !e.empty()) return e;
  return CheckDns1123Labels(fqdn);
}

std::string CheckPartialWildcard(std::string_view host) {
  if (host.find('*') != std::string_view::npos && host.size() != 1 && !host.starts_with("*."))
    return "partial wildcard " + Quote(host) + " not allowed";
  return "";
}

std::string CheckIpSubnet(std::string_view subnet) {
  if (std::count(subnet.begin(), subnet.end(), '/') == 1) {
    const std::size_t slash = subnet.find('/');
    const std::string_view addr = subnet.substr(0, slash), bits = subnet.substr(slash + 1);
    const std::string text(addr);
    unsigned char buf[16];
    const bool v4 = inet_pton(AF_INET, text.c_str(), buf) == 1;
    const bool v6 = !v4 && inet_pton(AF_INET6, text.c_str(), buf) == 1;
    const bool digits =
        !bits.empty() && bits.size() <= 3 &&
        std::all_of(bits.begin(), bits.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
        (bits.size() == 1 || bits.front() != '0');
    const int n = digits ? std::stoi(std::string(bits)) : -1;
    if ((v4 || v6) && digits && n <= (v4 ? 32 : 128)) return "";
    return std::string(subnet) + " is not a valid CIDR block";
  }
  return IsIpAddress(subnet) ? "" : std::string(subnet) + " is not a valid IP";
}

std::string CheckPort(std::int64_t port) {
  if (port >= 1 && port <= 65535) return "";
  return "port number " + std::to_string(port) + " must be in the range 1..65535";
}

bool IsTcp(Protocol p) {
  return p == Protocol::kTcp || IsTls(p) || p == Protocol::kMongo || p == Protocol::kRedis ||
         p == Protocol::kMySql;
}

std::string CheckProtocol(std::string_view protocol) {
  if (!protocol.empty() && ParseProtocol(protocol) == Protocol::kUnsupported)
    return "unsupported protocol: " + std::string(protocol);
  return "";
}

// ---- Shared checks ----

std::string UnsupportedValue(std::string_view field, std::string_view value,
                             std::initializer_list<std::string_view> supported) {
  std::string out =
      std::string(field) + ": Unsupported value: " + Quote(value) + ": supported values: ";
  bool first = true;
  for (std::string_view s : supported) {
    if (!first) out += ", ";
    first = false;
    out += Quote(s);
  }
  return out;
}

void CheckExportTo(Checker& c, const std::string& ns,
                   const std::vector<Located<std::string>>& values, bool service_entry) {
  if (values.empty()) return;
  const std::string_view saved = c.check();
  c.SetCheck("validateExportTo");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const std::string& e = values[i].value;
    const std::string field = "spec.exportTo[" + std::to_string(i) + "]";
    const std::string key = e == "." ? ns : e;
    if (seen.count(key)) {
      c.Error(values[i].loc, field,
              key != e ? "duplicate entries in exportTo: . and current namespace " + ns
                       : "duplicate entries in exportTo for entry " + e);
    } else if (service_entry && e == "~") {
      seen.insert(key);
    } else if (key == "~") {
      c.Error(values[i].loc, field,
              "exportTo ~ (none) is not allowed for Istio configuration objects");
    } else if (key != "." && key != "*" && !IsDns1123Label(key)) {
      c.Error(values[i].loc, field,
              "only .,*, or a valid DNS 1123 label is allowed as exportTo entry");
    } else {
      seen.insert(key);
    }
  }
  auto at = [&](std::string_view v) {
    for (const auto& x : values)
      if (x.value == v) return x.loc;
    return values.front().loc;
  };
  if (seen.count("*") && values.size() > 1)
    c.Error(at("*"), "spec.exportTo",
            "cannot have both public (*) and non-public exportTo values for a resource");
  if (seen.count("~") && values.size() > 1)
    c.Error(at("~"), "spec.exportTo", "cannot export service entry to no one (~) and someone");
  c.SetCheck(saved);
}

bool CheckSelectorLabels(Checker& c, const Selector& selector, const std::string& field) {
  if (!selector.set) return false;
  for (const Label& l : selector.labels.items) {
    const std::string pair = Quote(l.key + "=" + l.value);
    if (l.key.empty()) c.Error(l.loc, field, "empty key is not supported in selector: " + pair);
    if (l.key.find('*') != std::string::npos || l.value.find('*') != std::string::npos)
      c.Error(l.loc, field, "wildcard is not supported in selector: " + pair);
  }
  return selector.labels.empty();
}

namespace {

// validateSidecarOrGatewayHostnamePart.
void CheckHostnamePart(Checker& c, std::string_view host, const Location& loc,
                       const std::string& field, bool is_gateway) {
  if (host != "*" && host.find('.') == std::string_view::npos)
    c.Error(loc, field, "short names (non FQDN) are not allowed");
  // A gateway host may be an IP address as well.
  if (std::string e = CheckWildcardDomain(host); !e.empty() && !(is_gateway && IsIpAddress(host)))
    c.Error(loc, field, e);
  c.ErrorIf(loc, field, CheckPartialWildcard(host));
}

}  // namespace

void CheckNamespaceSlashHost(Checker& c, const Located<std::string>& host, const std::string& field,
                             bool is_gateway, const IstioVersion& version) {
  const std::string_view saved = c.check();
  c.SetCheck("ValidateNamespaceSlashWildcardHostname");
  const std::string& h = host.value;
  const std::size_t slash = h.find('/');
  if (slash == std::string::npos) {
    if (is_gateway) CheckHostnamePart(c, h, host.loc, field, true);
    else c.Error(host.loc, field, "host must be of form namespace/dnsName");
    c.SetCheck(saved);
    return;
  }
  const std::string ns = h.substr(0, slash), dns = h.substr(slash + 1);
  if (ns.empty() || dns.empty())
    c.Error(host.loc, field, "config namespace and dnsName in host entry cannot be empty");
  if (!is_gateway) {
    // From 1.31 a namespace may carry a `~` prefix (an exclusion); before,
    // `~` alone was a namespace name like any other.
    std::string_view bare = ns;
    const bool tilde_prefix = version.AtLeast(1, 31);
    if (tilde_prefix && bare.starts_with('~')) bare.remove_prefix(1);
    const bool ok = tilde_prefix
                        ? (bare.empty() || bare == "*" || bare == "." || IsDns1123Label(bare))
                        : (ns == "*" || ns == "." || ns == "~" || IsDns1123Label(ns));
    if (!ok) c.Error(host.loc, field, "invalid namespace value " + Quote(ns) + " in sidecar");
  } else if (ns != "*" && ns != "." && !IsDns1123Label(ns)) {
    c.Error(host.loc, field, "invalid namespace value " + Quote(ns) + " in gateway");
  }
  CheckHostnamePart(c, dns, host.loc, field, is_gateway);
  c.SetCheck(saved);
}

// ---- ServiceEntry ----

namespace {

bool AutoAllocates(const ServiceEntry& se, const IstioVersion& version) {
  // serviceentry.shouldV2AutoAllocateIPFromPieces: PILOT_ENABLE_IP_AUTOALLOCATE
  // is on by default from 1.25; never for NONE, nor when opted out or with
  // addresses of its own.
  if (!version.AtLeast(1, 25) || se.Resolution() == "NONE" || !se.addresses.empty()) return false;
  const std::string* opt =
      se.config.istio_labels.Value("networking.istio.io/enable-autoallocate-ip");
  if (opt) {
    std::string lower = *opt;
    for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (lower == "false") return false;
  }
  return true;
}

void CheckServiceEntryHosts(Checker& c, const ServiceEntry& se, bool dynamic_dns) {
  if (se.hosts.empty())
    c.Error(se.hosts_key, "spec.hosts", "service entry must have at least one host");
  for (std::size_t i = 0; i < se.hosts.size(); ++i) {
    const auto& h = se.hosts[i];
    const std::string field = "spec.hosts[" + std::to_string(i) + "]";
    if (h.value == "*") {
      c.Error(h.loc, field, "invalid host *");
      continue;
    }
    c.ErrorIf(h.loc, field, CheckWildcardDomain(h.value));
    if (!dynamic_dns) c.WarningIf(h.loc, field, CheckPartialWildcard(h.value));
  }
}

void CheckServiceEntryPorts(Checker& c, const ServiceEntry& se, const IstioVersion& version) {
  const bool auto_allocation = AutoAllocates(se, version);
  std::set<std::string_view> names;  // views of the model's shared port names
  std::set<std::int64_t> numbers;
  bool warned_addresses = false;
  for (std::size_t i = 0; i < se.ports.size(); ++i) {
    const PortSpec& p = se.ports[i];
    const std::string field = "spec.ports[" + std::to_string(i) + "]";
    const Location& at = p.loc;
    if (!names.insert(p.name.value.view()).second)
      c.Error(p.name.loc.valid() ? p.name.loc : at, field + ".name",
              "service entry port name " + Quote(p.name.value) + " already defined");
    if (!numbers.insert(p.number.value).second)
      c.Error(p.number.loc.valid() ? p.number.loc : at, field + ".number",
              "service entry port " + std::to_string(p.number.value) + " already defined");
    if (p.target_port.value != 0)
      c.ErrorIf(p.target_port.loc, field + ".targetPort", CheckPort(p.target_port.value));
    if (se.addresses.empty() && !auto_allocation && !warned_addresses &&
        (p.protocol.value.empty() || p.protocol.value == "TCP")) {
      // Istio repeats it per port; once is enough.
      warned_addresses = true;
      c.Warning(p.protocol.loc.valid() ? p.protocol.loc : at, field,
                "addresses are required for ports serving TCP (or unset) protocol when IP "
                "Autoallocation is not enabled");
    }
    if (!IsDns1123Label(p.name.value))
      c.Error(p.name.loc.valid() ? p.name.loc : at, field + ".name",
              "invalid port name: " + p.name.value);
    c.ErrorIf(p.protocol.loc, field + ".protocol", CheckProtocol(p.protocol.value));
    c.ErrorIf(p.number.loc.valid() ? p.number.loc : at, field + ".number",
              CheckPort(p.number.value));
  }
}

void CheckDnsResolution(Checker& c, const ServiceEntry& se, const IstioVersion& version) {
  const std::string resolution(se.Resolution());
  if (se.endpoint_addresses.empty()) {
    for (std::size_t i = 0; i < se.hosts.size(); ++i) {
      const std::string e = CheckFqdn(se.hosts[i].value);
      if (e.empty()) continue;
      const std::string field = "spec.hosts[" + std::to_string(i) + "]";
      if (version.AtLeast(1, 28)) {
        c.Error(se.hosts[i].loc, field,
                "hosts must be FQDN or contain only prefix wildcards if no endpoints are provided "
                "for resolution mode " +
                    resolution + ", " + e);
        break;
      }
      c.Error(se.hosts[i].loc, field,
              "hosts must be FQDN if no endpoints are provided for resolution mode " + resolution);
    }
  }
  if (resolution == "DNS_ROUND_ROBIN" && se.endpoint_addresses.size() > 1)
    c.Error(se.endpoints_key, "spec.endpoints",
            "there must only be 0 or 1 endpoint for resolution mode " + resolution);
  for (std::size_t i = 0; i < se.endpoint_addresses.size(); ++i) {
    const auto& a = se.endpoint_addresses[i];
    if (!a.value.empty() && !IsIpAddress(a.value) && !CheckFqdn(a.value).empty())
      c.Error(a.loc, "spec.endpoints[" + std::to_string(i) + "].address",
              "endpoint address " + Quote(a.value) + " is not a valid FQDN or an IP address");
  }
  if (!se.addresses.empty() && se.hosts.size() > 1) {
    for (const PortSpec& p : se.ports)
      if (IsTcp(ParseProtocol(p.protocol.value))) {
        c.Warning(se.hosts_key, "spec.hosts",
                  "service entry can not have more than one host specified simultaneously with "
                  "address and tcp port");
        break;
      }
  }
}

void CheckDynamicDns(Checker& c, const ServiceEntry& se) {
  const std::string r = "DYNAMIC_DNS";
  if (se.hosts.empty())
    c.Error(se.hosts_key, "spec.hosts",
            "at least one wildcard host must be provided for resolution type " + r);
  for (std::size_t i = 0; i < se.hosts.size(); ++i)
    if (!se.hosts[i].value.starts_with('*'))
      c.Error(se.hosts[i].loc, "spec.hosts[" + std::to_string(i) + "]",
              "host must be wildcarded for resolution mode " + r);
  if (!se.addresses.empty())
    c.Error(se.addresses_key, "spec.addresses",
            "addresses cannot be set for resolution type " + r +
                ". HTTP route domains will only be generatedfrom the hosts field values");
  if (!se.endpoint_addresses.empty())
    c.Error(se.endpoints_key, "spec.endpoints",
            "endpoints cannot be set for resolution type " + r +
                ". Destination IP address determined from hostsfield values");
  for (std::size_t i = 0; i < se.ports.size(); ++i) {
    const Protocol p = ParseProtocol(se.ports[i].protocol.value);
    if (p != Protocol::kHttp && p != Protocol::kTls && p != Protocol::kGrpc &&
        p != Protocol::kHttp2)
      c.Error(se.ports[i].loc, "spec.ports[" + std::to_string(i) + "].protocol",
              "only HTTP, TLS, GRPC, and HTTP2 protocols are supported for resolution type " + r);
  }
  const Labels& l = se.config.istio_labels;
  const std::string* waypoint = l.Value("istio.io/use-waypoint");
  std::string w = waypoint ? *waypoint : "";
  for (char& ch : w) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (se.location.value == "MESH_INTERNAL" && !w.empty() && w != "none")
    c.Error(se.location.loc, "spec.location",
            "location MESH_INTERNAL with resolution type " + r +
                " is not supported when using waypoints");
}

bool CheckServiceEntryEnums(Checker& c, const ServiceEntry& se, const IstioVersion& version) {
  bool ok = true;
  const std::string_view res = se.resolution.value.view();
  const bool dynamic = version.AtLeast(1, 28);
  if (!res.empty() && res != "NONE" && res != "STATIC" && res != "DNS" &&
      res != "DNS_ROUND_ROBIN" && !(dynamic && res == "DYNAMIC_DNS")) {
    c.SchemaError(
        se.resolution.loc, "spec.resolution",
        dynamic ? UnsupportedValue("spec.resolution", res,
                                   {"NONE", "STATIC", "DNS", "DNS_ROUND_ROBIN", "DYNAMIC_DNS"})
                : UnsupportedValue("spec.resolution", res,
                                   {"NONE", "STATIC", "DNS", "DNS_ROUND_ROBIN"}));
    ok = false;
  }
  const std::string_view loc = se.location.value.view();
  if (!loc.empty() && loc != "MESH_EXTERNAL" && loc != "MESH_INTERNAL") {
    c.SchemaError(se.location.loc, "spec.location",
                  UnsupportedValue("spec.location", loc, {"MESH_EXTERNAL", "MESH_INTERNAL"}));
    ok = false;
  }
  return ok;
}

void ValidateServiceEntry(Checker& c, const ServiceEntry& se, const IstioVersion& version) {
  // The API server checks the schema first: a value outside an enum never
  // reaches the webhook.
  if (!CheckServiceEntryEnums(c, se, version)) return;
  const std::size_t before = c.errors();
  const bool no_labels =
      CheckSelectorLabels(c, se.workload_selector, "spec.workloadSelector.labels");
  if (c.errors() != before) return;  // the webhook returns these alone
  if (no_labels)
    c.Warning(se.workload_selector.loc, "spec.workloadSelector",
              "service entry: workload selector specified without labels, will be applied to all "
              "services in namespace");
  if (se.workload_selector.set && !se.endpoint_addresses.empty())
    c.Error(se.workload_selector.loc, "spec.workloadSelector",
            "only one of WorkloadSelector or Endpoints is allowed in Service Entry");
  const std::string resolution(se.Resolution());
  CheckServiceEntryHosts(c, se, resolution == "DYNAMIC_DNS");
  bool cidr = false;
  for (std::size_t i = 0; i < se.addresses.size(); ++i) {
    cidr = cidr || se.addresses[i].value.find('/') != std::string::npos;
    c.ErrorIf(se.addresses[i].loc, "spec.addresses[" + std::to_string(i) + "]",
              CheckIpSubnet(se.addresses[i].value));
  }
  if (cidr && resolution != "NONE" && resolution != "STATIC")
    c.Error(se.addresses_key, "spec.addresses",
            "CIDR addresses are allowed only for NONE/STATIC resolution types");
  CheckServiceEntryPorts(c, se, version);
  if (resolution == "NONE") {
    if (!se.endpoint_addresses.empty())
      c.Error(se.endpoints_key, "spec.endpoints",
              "no endpoints should be provided for resolution type none");
    if (se.workload_selector.set)
      c.Warning(se.workload_selector.loc, "spec.workloadSelector",
                "workloadSelector should not be set when resolution mode is NONE");
  } else if (resolution == "STATIC") {
    for (std::size_t i = 0; i < se.endpoint_addresses.size(); ++i) {
      const auto& a = se.endpoint_addresses[i];
      if (!a.value.empty() && !a.value.starts_with("unix://") && !IsIpAddress(a.value))
        c.Error(a.loc, "spec.endpoints[" + std::to_string(i) + "].address",
                "endpoint address " + Quote(a.value) + " is not a valid IP address");
    }
  } else if (resolution == "DNS" || resolution == "DNS_ROUND_ROBIN") {
    CheckDnsResolution(c, se, version);
  } else if (resolution == "DYNAMIC_DNS") {
    CheckDynamicDns(c, se);
  }
  // Plain TCP cannot tell hosts apart, unless the hosts are ignored (NONE).
  if (resolution != "NONE" && se.hosts.size() > 1) {
    for (const PortSpec& p : se.ports) {
      const Protocol proto = ParseProtocol(p.protocol.value);
      if (!IsHttp(proto) && !IsTls(proto)) {
        c.Error(p.loc, "spec.ports", "multiple hosts provided with non-HTTP, non-TLS ports");
        break;
      }
    }
  }
  CheckExportTo(c, se.meta.ref.ns, se.export_to, true);
}

}  // namespace

void ValidateServiceEntries(const Objects& objects, const IstioVersion& version, unsigned jobs,
                            ValidationReport& report) {
  ValidateEach(objects.service_entries, "ValidateServiceEntry", report, jobs,
               [&](Checker& c, const ServiceEntry& se) { ValidateServiceEntry(c, se, version); });
}

ValidationReport ValidateObjects(const Objects& objects, const IstioVersion& version,
                                 unsigned jobs) {
  ValidationReport report;
  ValidateServiceEntries(objects, version, jobs, report);
  ValidateSidecars(objects, version, jobs, report);
  ValidateRoutingKinds(objects, version, jobs, report);
  return report;
}

}  // namespace meshlint::istio
