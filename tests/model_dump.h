// A dump of everything the loader produced, and every finding, one line
// each: what "the same model" means when the scanner's fast path and the
// full parse are compared (tests/scan_equivalence_test.cpp, and the
// differential fuzz target fuzz/scan_differential_fuzzer.cpp).
#pragma once

#include <ostream>
#include <sstream>
#include <string>

#include "engine/runner.h"
#include "model/model.h"

namespace meshlint::testing {

inline std::string L(const Location& l) {
  return std::to_string(l.file) + ":" + std::to_string(l.line) + ":" + std::to_string(l.column) +
         "-" + std::to_string(l.end_line) + ":" + std::to_string(l.end_column);
}

inline void DumpMeta(std::ostream& o, const ObjectMeta& m) {
  o << m.api_version << '|' << m.ref.FullyQualifiedName() << '|' << m.ns_defaulted << '|'
    << L(m.loc) << '|' << L(m.name_loc) << '|' << L(m.ns_loc);
  for (const auto& [k, v] : m.meshlint_annotations)
    o << '|' << k << '=' << v.value << '@' << L(v.loc);
}

inline void DumpList(std::ostream& o, const std::vector<Located<std::string>>& values) {
  o << '[';
  for (const auto& v : values) o << v.value << '@' << L(v.loc) << ',';
  o << ']';
}

template <typename T>
std::string V(const Located<T>& v) {
  std::ostringstream o;
  o << v.value << '@' << L(v.loc);
  return o.str();
}

inline void DumpLabels(std::ostream& o, const Labels& labels) {
  o << '{';
  for (const Label& l : labels.items) o << l.key << '=' << l.value << '@' << L(l.loc) << ',';
  o << '}';
}

inline void DumpSelector(std::ostream& o, const Selector& s) {
  o << "sel" << s.set << L(s.loc) << L(s.labels_key);
  DumpLabels(o, s.labels);
}

inline void DumpConfig(std::ostream& o, const ConfigMeta& c) {
  o << "|cfg";
  DumpLabels(o, c.istio_labels);
  o << V(c.creation_timestamp);
}

inline void DumpPort(std::ostream& o, const PortSpec& p) {
  o << "port" << L(p.loc) << V(p.number) << V(p.protocol) << V(p.name) << V(p.target_port) << ';';
}

// One line per object; an overload per kind of Objects (a kind without one
// does not compile).
inline void DumpItem(std::ostream& o, const NamespaceObject& ns) {
  o << "ns ";
  DumpMeta(o, ns.meta);
  for (const auto& [k, v] : ns.labels) o << '|' << k << '=' << v;
  for (const auto& [k, loc] : ns.label_locs) o << '|' << k << '@' << L(loc);
}

inline void DumpItem(std::ostream& o, const Workload& w) {
  o << "workload ";
  DumpMeta(o, w.meta);
  o << '|' << L(w.pod.loc) << w.pod.unknown << L(w.pod.labels_key);
  DumpLabels(o, w.pod.labels);
  for (const auto& [a, v] : w.pod.annotations) o << PodAnnotationName(a) << '=' << V(v) << ',';
  o << w.pod.host_network << L(w.pod.host_network_loc) << '|'
    << (w.pod.dns_capture ? V(*w.pod.dns_capture) : "-");
}

inline void DumpItem(std::ostream& o, const KubeService& s) {
  o << "svc ";
  DumpMeta(o, s.meta);
  o << '|' << V(s.type) << V(s.cluster_ip) << V(s.external_name) << '|'
    << (s.export_to ? V(*s.export_to) : "-") << '|';
  DumpSelector(o, s.selector);
  for (const auto& p : s.ports)
    o << "port" << L(p.loc) << V(p.name) << V(p.protocol) << V(p.app_protocol) << V(p.port)
      << V(p.target_port) << ';';
}

inline void DumpItem(std::ostream& o, const VirtualService& vs) {
  o << "vs ";
  DumpMeta(o, vs.meta);
  DumpConfig(o, vs.config);
  DumpList(o, vs.hosts);
  o << L(vs.hosts_key) << vs.gateways_set << L(vs.gateways_key);
  DumpList(o, vs.gateways);
  o << vs.export_to_set << L(vs.export_to_key);
  DumpList(o, vs.export_to);
  o << L(vs.http_key) << L(vs.tcp_key) << L(vs.tls_key);
  for (const Route& r : vs.routes) {
    o << "|route" << static_cast<int>(r.kind) << L(r.loc) << r.delegate;
    for (const RouteMatch& m : r.matches) {
      o << "match" << L(m.loc) << V(m.port) << V(m.source_namespace);
      DumpList(o, m.gateways);
      DumpList(o, m.sni_hosts);
    }
    for (const RouteDestination& d : r.destinations)
      o << "dest" << L(d.loc) << V(d.host) << V(d.port) << d.mirror;
  }
}

inline void DumpItem(std::ostream& o, const Gateway& gw) {
  o << "gw ";
  DumpMeta(o, gw.meta);
  DumpConfig(o, gw.config);
  DumpSelector(o, gw.selector);
  o << L(gw.servers_key);
  for (const GatewayServer& s : gw.servers) {
    o << "|server" << L(s.loc);
    DumpPort(o, s.port);
    DumpList(o, s.hosts);
    o << L(s.hosts_key) << s.tls_set << L(s.tls_loc) << V(s.tls_mode) << s.https_redirect;
  }
}

inline void DumpItem(std::ostream& o, const AuthorizationPolicy& ap) {
  o << "authz ";
  DumpMeta(o, ap.meta);
  DumpConfig(o, ap.config);
  DumpSelector(o, ap.selector);
  o << ap.target_ref_set;
  for (const auto& t : ap.target_refs)
    o << "|ref" << L(t.loc) << V(t.group) << V(t.kind) << V(t.name) << V(t.ns);
  o << '|' << V(ap.action) << ap.rules_set << L(ap.rules_key);
  for (const AuthzRule& r : ap.rules) {
    o << "|rule" << L(r.loc) << r.has_when;
    for (const AuthzSource& f : r.from) {
      o << "from" << L(f.loc);
      for (const auto* l : {&f.namespaces, &f.not_namespaces, &f.principals, &f.not_principals})
        DumpList(o, *l);
    }
    for (const AuthzOperation& t : r.to) {
      o << "to" << L(t.loc);
      for (const auto* l : {&t.hosts, &t.not_hosts, &t.ports, &t.not_ports}) DumpList(o, *l);
    }
  }
}

inline void DumpItem(std::ostream& o, const ServiceEntry& se) {
  o << "se ";
  DumpMeta(o, se.meta);
  DumpList(o, se.hosts);
  o << L(se.hosts_key) << '|' << se.export_to_set;
  DumpList(o, se.export_to);
  o << L(se.export_to_key) << '|' << se.location.value << '@' << L(se.location.loc) << '|'
    << se.has_workload_selector;
  DumpConfig(o, se.config);
  DumpSelector(o, se.workload_selector);
  DumpList(o, se.addresses);
  o << L(se.addresses_key) << L(se.ports_key);
  for (const PortSpec& p : se.ports) DumpPort(o, p);
  o << V(se.resolution) << se.endpoints_set << L(se.endpoints_key);
  DumpList(o, se.endpoint_addresses);
}

inline void DumpItem(std::ostream& o, const Sidecar& sc) {
  o << "sc ";
  DumpMeta(o, sc.meta);
  o << '|' << sc.has_selector << L(sc.selector_loc) << '|' << sc.egress_set << L(sc.egress_key);
  DumpList(o, sc.egress_hosts);
  o << sc.outbound_set << L(sc.outbound_key) << OutboundModeName(sc.outbound_mode)
    << sc.outbound_mode_text << L(sc.outbound_mode_loc);
  DumpConfig(o, sc.config);
  DumpSelector(o, sc.selector);
  for (const SidecarEgressListener& l : sc.egress) {
    o << "|listener" << L(l.loc) << l.port_set;
    DumpPort(o, l.port);
    o << V(l.bind) << V(l.capture_mode) << l.first_host << '+' << l.host_count << L(l.hosts_key);
  }
  o << '|' << sc.egress_proxy_set << L(sc.egress_proxy_loc) << V(sc.egress_proxy_host)
    << sc.egress_proxy_port_set << sc.ingress_set << sc.inbound_connection_pool_set;
}

inline void DumpItem(std::ostream& o, const ObjectMeta& other) {
  o << "obj ";
  DumpMeta(o, other);
}

inline void DumpItem(std::ostream& o, const MeshConfigSource& s) {
  o << "mesh " << static_cast<int>(s.origin) << '|' << s.description << '|'
    << s.object.FullyQualifiedName() << '|' << L(s.loc) << '|'
    << (s.root_namespace ? s.root_namespace->value + "@" + L(s.root_namespace->loc) : "-") << '|';
  if (s.default_service_export_to) DumpList(o, *s.default_service_export_to);
  o << L(s.default_service_export_to_key) << '|' << L(s.outbound_key) << '|'
    << (s.outbound_mode
            ? std::string(OutboundModeName(s.outbound_mode->value)) + "@" + L(s.outbound_mode->loc)
            : "-");
}

inline void DumpItem(std::ostream& o, const Problem& p) {
  o << "problem " << L(p.loc) << '|' << p.message << '|' << p.object.FullyQualifiedName() << '|'
    << p.field;
}

inline void DumpItem(std::ostream& o, const SkippedDocument& s) {
  o << "skipped " << L(s.loc) << '|' << s.reason;
}

inline void DumpItem(std::ostream& o, const CustomKind& k) {
  o << "crd " << k.group << '|' << k.kind << '|' << k.cluster_scoped << '|' << L(k.loc);
}

inline void DumpItem(std::ostream& o, const InjectionWebhookConfig& c) {
  o << "webhooks ";
  DumpMeta(o, c.meta);
  o << '|' << c.revision << '@' << L(c.revision_loc) << '|' << c.tag << '@' << L(c.tag_loc);
  for (const InjectionWebhook& w : c.webhooks)
    o << '|' << w.name << '@' << L(w.loc) << (w.namespace_selector ? " ns" : "")
      << (w.object_selector ? " obj" : "");
}

// Everything the loader produced and every finding, one line each.
inline std::string Dump(const MeshModel& m) {
  std::ostringstream o;
  for (std::size_t i = 0; i < m.files.size(); ++i) o << "file " << m.files.display(i) << '\n';
  ForEachCollection(static_cast<const Objects&>(m), [&](const auto& items) {
    for (const auto& item : items) {
      DumpItem(o, item);
      o << '\n';
    }
  });
  o << "stats " << m.stats.files << ' ' << m.stats.documents << ' ' << m.stats.objects << ' '
    << m.stats.skipped_non_kubernetes << ' ' << m.stats.empty_documents << '\n';
  for (const Finding& f : RunRules(m, {}))
    o << "finding " << f.rule_id << '|' << L(f.diag.loc) << '|' << f.diag.message << '\n';
  return o.str();
}

// The first line where two dumps differ, for a readable failure.
inline std::string FirstDifference(const std::string& a, const std::string& b) {
  std::istringstream sa(a), sb(b);
  std::string la, lb;
  for (int n = 1;; ++n) {
    bool ea = !std::getline(sa, la), eb = !std::getline(sb, lb);
    if (ea && eb) return "(none)";
    if (ea || eb || la != lb)
      return "line " + std::to_string(n) + ":\n  scan: " + (ea ? "<end>" : la) +
             "\n  full: " + (eb ? "<end>" : lb);
  }
}

}  // namespace meshlint::testing
