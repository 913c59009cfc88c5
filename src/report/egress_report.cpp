// The text of `meshlint egress`: the mesh, the host groups, the route
// groups, then each namespace's rows (workloads that share a verdict).
// Namespaces whose blocks are identical are printed once under the list of
// their names; a row refers to its groups by number, so a block stays as
// small as what is the row's own.
#include "report/egress_report.h"

#include <algorithm>
#include <map>
#include <sstream>
#include <string_view>

#include "report/egress_common.h"
#include "report/egress_explain.h"
#include "report/report.h"

namespace meshlint {

using egress::EgressAnalysis;
using egress::Scope;
using egress_detail::At;
using egress_detail::PolicyView;
using egress_detail::PortsText;
using egress_detail::Qualified;
using istio::HostRef;
using istio::ModeOrigin;

namespace {

// "REGISTRY_ONLY (mesh config)"
std::string ModeText(const MeshModel& model, const Scope& s) {
  std::string out(OutboundModeName(s.mode));
  switch (s.mode_source) {
    case ModeOrigin::kSidecar:
      out += " (set by the Sidecar, " +
             At(model, istio::EffectiveOutbound(model, s.sidecar, s.proxy.revision).loc) + ")";
      break;
    case ModeOrigin::kMesh: out += " (mesh config)"; break;
    case ModeOrigin::kIstioDefault: out += " (Istio default: no mesh config sets it)"; break;
  }
  return out;
}

std::string SidecarText(const MeshModel& model, const Scope& s) {
  if (!s.sidecar) return "no Sidecar: imports everything exported to it";
  std::string out = "Sidecar " + TerminalSafe(Qualified(s.sidecar->meta.ref));
  if (s.sidecar_origin == istio::SidecarOrigin::kRootDefault) out += " (root namespace default)";
  out += " (" + At(model, s.sidecar->meta.anchor()) + ")";
  if (s.sidecar->egress.empty()) out += ", no egress listeners: imports everything exported to it";
  return out;
}

// "sidecar (namespace newguy is labelled istio-injection=enabled)".
std::string ProxyText(const MeshModel& model, const Scope& s) {
  // Names and label values come from the inputs: made safe for a terminal.
  const std::string reason = TerminalSafe(egress_detail::ProxyReasonText(model, s.ns, s.proxy));
  const std::string at = At(model, s.proxy.loc);
  const std::string where = at.empty() ? "" : ", " + at;
  switch (s.proxy.proxy) {
    case istio::Proxy::kSidecar:
      if (s.proxy.reason == istio::ProxyReason::kAssumedInjected)
        return "sidecar ASSUMED (no Namespace manifest in the inputs)";
      return "sidecar" + std::string(s.proxy.revision.empty()
                                         ? ""
                                         : " of revision " + TerminalSafe(s.proxy.revision));
    case istio::Proxy::kNone:
      // A pod may still opt in with its own label: the inputs hold none.
      if (s.proxy.assumed)
        return "NO PROXY ASSUMED (" + reason + where + "; no workload in the inputs opts in)";
      return "NO PROXY (" + reason + where + ")";
    case istio::Proxy::kAmbient: return "AMBIENT (" + reason + where + ")";
    case istio::Proxy::kGateway:
      return "an Istio gateway (it routes what its Gateway servers accept)";
  }
  return "";
}

void HostTable(std::ostream& out, const EgressAnalysis& a, const Scope& s,
               const std::vector<HostRef>& hosts, const std::string& indent,
               const std::vector<std::string>& marks) {
  std::size_t width = 0, se_width = 0, port_width = 0;
  for (const HostRef& h : hosts) {
    width = std::max(width, a.HostName(s, h).size());
    se_width = std::max(se_width, Qualified(a.Service(s, h).meta->ref).size());
    port_width = std::max(port_width, PortsText(a.Service(s, h), h.ports).size());
  }
  width = std::min<std::size_t>(width, 48);
  se_width = std::min<std::size_t>(se_width, 48);
  port_width = std::min<std::size_t>(port_width, 24);
  for (std::size_t i = 0; i < hosts.size(); ++i) {
    const HostRef& h = hosts[i];
    const istio::RegistryService& svc = a.Service(s, h);
    std::string host = TerminalSafe(a.HostName(s, h));
    std::string name = TerminalSafe(Qualified(svc.meta->ref));
    std::string ports = PortsText(svc, h.ports);
    host.resize(std::max(host.size(), width), ' ');
    name.resize(std::max(name.size(), se_width), ' ');
    ports.resize(std::max(ports.size(), port_width), ' ');
    std::string line =
        indent + host + "  " + name + "  " + ports + "  " + At(a.model(), svc.host_loc(h.host));
    if (svc.mesh_internal) line += "  (MESH_INTERNAL)";
    if (i < marks.size() && !marks[i].empty()) line += "  " + marks[i];
    out << line << '\n';
  }
}

std::string NameList(const std::vector<std::string>& names, std::size_t shown) {
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < shown; ++i) out += (i ? ", " : "") + names[i];
  if (names.size() > shown) out += " and " + std::to_string(names.size() - shown) + " more";
  return out;
}

// Wraps a long comma-separated list of names at ~100 columns.
void WrapNames(std::ostream& out, const std::vector<std::string>& names,
               const std::string& indent) {
  std::string line = indent;
  for (std::size_t i = 0; i < names.size(); ++i) {
    std::string item = TerminalSafe(names[i]) + (i + 1 < names.size() ? "," : "");
    if (line.size() > indent.size() && line.size() + 1 + item.size() > 100) {
      out << line << '\n';
      line = indent;
    }
    if (line.size() > indent.size()) line += ' ';
    line += item;
  }
  if (line.size() > indent.size()) out << line << '\n';
}

// Host groups: listed once, referred to by the rows that reach them.
void WriteHostGroups(std::ostream& out, const EgressAnalysis& a, PolicyView& policy) {
  std::vector<std::map<std::size_t, std::vector<std::string>>> denied(a.groups().size());
  if (policy.active()) {
    for (const Scope& s : a.scopes()) {
      auto g = a.GroupOf(s);
      if (!g) continue;
      const auto& hosts = a.groups()[*g].hosts;
      for (std::size_t k = 0; k < hosts.size(); ++k)
        if (!policy.Allows(s, hosts[k])) denied[*g][k].push_back(s.ns);
    }
  }
  for (std::size_t g = 0; g < a.groups().size(); ++g) {
    const auto& group = a.groups()[g];
    out << "\nHost group " << g + 1 << ": " << group.hosts.size() << " host"
        << (group.hosts.size() == 1 ? "" : "s") << " visible to every namespace, reached by "
        << group.namespaces << " namespace" << (group.namespaces == 1 ? "" : "s")
        << (group.rows != group.namespaces ? " (" + std::to_string(group.rows) + " workload groups)"
                                           : "")
        << (group.unfiltered ? "" : " through the same Sidecar egress hosts") << ":\n";
    std::vector<std::string> marks(group.hosts.size());
    for (auto& [k, names] : denied[g]) {
      names.erase(std::unique(names.begin(), names.end()), names.end());
      marks[k] = "NOT ALLOWED by policy for " + NameList(names, 5);
    }
    Scope probe;
    probe.registry = group.registry;
    HostTable(out, a, probe, group.hosts, "  ", marks);
  }
}

// "route HOST:PORT -> DEST (egress gateway NS/NAME): reachable"
void RouteLine(std::ostream& os, const egress::RoutedHost& r, const std::string& indent) {
  os << indent << "route " << TerminalSafe(r.host) << ":" << r.port << " -> "
     << TerminalSafe(r.dest->host.value);
  if (r.gateway) os << " (egress gateway " << TerminalSafe(Qualified(r.gateway->meta.ref)) << ")";
  os << ": " << (r.reachable ? "reachable" : "NOT reachable") << '\n';
}

// Route groups: listed once, referred to by the rows that take them.
void WriteRouteGroups(std::ostream& out, const EgressAnalysis& a) {
  for (std::size_t g = 0; g < a.route_groups().size(); ++g) {
    const auto& group = a.route_groups()[g];
    out << "\nRoute group " << g + 1 << ": " << group.routes.size() << " route"
        << (group.routes.size() == 1 ? "" : "s")
        << " of the VirtualServices exported to every namespace, taken alike by "
        << group.namespaces << " namespace" << (group.namespaces == 1 ? "" : "s")
        << (group.rows != group.namespaces ? " (" + std::to_string(group.rows) + " workload groups)"
                                           : "")
        << ":\n";
    for (const egress::RoutedHost& r : group.routes) RouteLine(out, r, "  ");
  }
}

// The lines about one row after its heading.
void RowBody(std::ostream& os, const EgressAnalysis& a, const Scope& s,
             const EgressReportOptions& o, PolicyView& policy, const std::string& indent) {
  const MeshModel& model = a.model();
  if (s.unmediated()) {
    os << indent << "any host, any port: Istio does not mediate it";
    if (!policy.AllowsAnyHost(s.ns)) os << "  NOT ALLOWED by policy (no \"*\" for it)";
    os << '\n';
    return;
  }
  if (s.gateway()) return;
  if (s.capture.CapturesNone())
    os << indent << "any host: the pods' traffic capture lets public addresses bypass the proxy\n";
  if (AllowsAny(s.mode)) {
    os << indent << "any external host (" << OutboundModeName(s.mode) << ")";
    if (!policy.AllowsAnyHost(s.ns)) os << "  NOT ALLOWED by policy (no \"*\" for it)";
    os << '\n';
  }
  const std::optional<std::size_t> group = o.expand ? std::nullopt : a.GroupOf(s);
  if (group)
    os << indent << "+ host group " << *group + 1 << " (" << a.groups()[*group].hosts.size()
       << " host" << (a.groups()[*group].hosts.size() == 1 ? "" : "s") << ")\n";
  const std::vector<HostRef> hosts = o.expand ? a.Reachable(s) : a.ReachableBeyondGroup(s);
  std::vector<std::string> marks;
  for (const HostRef& h : hosts)
    marks.push_back(policy.Allows(s, h) ? "" : "NOT ALLOWED by policy");
  HostTable(os, a, s, hosts, indent, marks);
  for (const egress::OpenPort& p : a.OpenPorts(s)) {
    if (!p.ranges.empty()) {
      const istio::RegistryService& svc = a.Service(s, p.via);
      os << indent << "IPs in " << TerminalSafe(egress_detail::RangesText(svc)) << " on port "
         << p.port << ": ServiceEntry " << TerminalSafe(Qualified(svc.meta->ref))
         << " (resolution NONE, CIDR addresses) passes them to their original destination ("
         << At(model, svc.host_loc(p.via.host)) << ")\n";
      continue;
    }
    os << indent << "any host on port " << p.port << ": ";
    if (p.why == egress::OpenPort::Why::kPassthrough) {
      const istio::RegistryService& svc = a.Service(s, p.via);
      os << "ServiceEntry " << TerminalSafe(Qualified(svc.meta->ref))
         << (svc.whole_space_range ? " (resolution NONE, an address range covering every address)"
                                   : " (resolution NONE, no addresses)")
         << " opens it to every destination (" << At(model, svc.host_loc(p.via.host)) << ")\n";
    } else {
      os << "excludeOutboundPorts bypasses the proxy (" << At(model, s.capture.exclude_ports_loc)
         << ")\n";
    }
  }
  for (const egress::HijackedPort& p : a.HijackedPorts(s))
    os << indent << "port " << p.port << ": every TCP connection goes to "
       << TerminalSafe(a.HostName(s, p.by)) << " ("
       << TerminalSafe(egress_detail::ServiceName(a.Service(s, p.by))) << ", no address)\n";
  // A row whose routes are a route group's names the group; the group's
  // routes are listed once, before the namespaces.
  if (const auto routes = o.expand ? std::nullopt : a.RouteGroupOf(s)) {
    const std::size_t n = a.route_groups()[*routes].routes.size();
    os << indent << "+ route group " << *routes + 1 << " (" << n << " route" << (n == 1 ? "" : "s")
       << ")\n";
  } else {
    for (const egress::RoutedHost& r : a.RoutedHosts(s)) RouteLine(os, r, indent);
  }
  if (hosts.empty() && !group && !AllowsAny(s.mode) && !s.capture.CapturesNone())
    os << indent << "no external host\n";
}

// One namespace's block, without its name.
std::string NamespaceBlock(const EgressAnalysis& a, const std::vector<const Scope*>& rows,
                           const EgressReportOptions& o, PolicyView& policy) {
  const MeshModel& model = a.model();
  std::ostringstream body;
  const bool one = rows.size() == 1;
  for (const Scope* s : rows) {
    const std::string label = egress_detail::RowLabel(model, *s);
    std::string head = (one ? "" : "  " + TerminalSafe(label) + ":");
    std::string line = ProxyText(model, *s);
    if (s->mediated()) line += "; mode " + ModeText(model, *s) + "; " + SidecarText(model, *s);
    if (one) {
      if (!s->workloads.empty()) body << "  " << TerminalSafe(label) << ": " << line << "\n";
      else body << "  " << line << "\n";
      RowBody(body, a, *s, o, policy, "  ");
    } else {
      body << head << " " << line << "\n";
      RowBody(body, a, *s, o, policy, "    ");
    }
  }
  return body.str();
}

}  // namespace

std::size_t CountPolicyViolations(const EgressAnalysis& a, const egress::CompiledPolicy& policy) {
  PolicyView view(a, &policy);
  std::size_t n = 0;
  for (const Scope& s : a.scopes()) {
    if (egress_detail::ReachesAnyHost(s) && !view.AllowsAnyHost(s.ns)) ++n;
    for (const HostRef& h : a.Reachable(s))
      if (!view.Allows(s, h)) ++n;
  }
  return n;
}

void WriteEgressText(std::ostream& out, const EgressAnalysis& a, const EgressReportOptions& o) {
  const MeshModel& model = a.model();
  PolicyView policy(a, o.policy);
  const istio::OutboundDecision mesh = istio::MeshOutbound(model);
  out << "Mesh outbound mode: " << OutboundModeName(mesh.mode);
  if (mesh.origin == ModeOrigin::kMesh) {
    out << " (" << TerminalSafe(model.mesh_sources[*mesh.mesh_source].description) << ", "
        << At(model, mesh.loc) << ")";
  } else {
    out << " (Istio's default: no mesh config in the inputs sets it)";
  }
  out << "\nRoot namespace: " << TerminalSafe(model.mesh.root_namespace) << "\n";
  out << "Istio version modelled: " << model.istio_version.ToString() << "\n";
  std::size_t namespaces = 0;
  for (std::size_t i = 0; i < a.scopes().size(); ++i)
    if (i == 0 || a.scopes()[i].ns != a.scopes()[i - 1].ns) ++namespaces;
  out << namespaces << " namespace" << (namespaces == 1 ? "" : "s") << ", " << a.scopes().size()
      << " workload group" << (a.scopes().size() == 1 ? "" : "s") << "\n";
  if (!o.expand) {
    WriteHostGroups(out, a, policy);
    WriteRouteGroups(out, a);
  }

  // Namespaces with the same block share it: each body is kept once, as its
  // map key (a node's key does not move), the blocks in first-seen order.
  std::map<std::string, std::size_t> block_index;
  std::vector<std::pair<const std::string*, std::vector<std::string_view>>> blocks;
  const auto& scopes = a.scopes();
  std::vector<const Scope*> rows;
  for (std::size_t i = 0; i < scopes.size();) {
    rows.clear();
    std::size_t j = i;
    for (; j < scopes.size() && scopes[j].ns == scopes[i].ns; ++j) rows.push_back(&scopes[j]);
    auto [it, fresh] = block_index.try_emplace(NamespaceBlock(a, rows, o, policy), blocks.size());
    if (fresh) blocks.push_back({&it->first, {}});
    blocks[it->second].second.push_back(scopes[i].ns);
    i = j;
  }
  for (const auto& [body, names] : blocks) {
    out << '\n';
    if (names.size() == 1) {
      out << TerminalSafe(names.front()) << ":\n";
    } else {
      std::vector<std::string> heading(names.begin(), names.end());
      heading.back() += " (" + std::to_string(names.size()) + " namespaces):";
      WrapNames(out, heading, "");
    }
    out << *body;
  }
}

}  // namespace meshlint
