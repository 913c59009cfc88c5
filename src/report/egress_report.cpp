#include "report/egress_report.h"

#include <algorithm>
#include <map>
#include <sstream>

#include "report/egress_common.h"
#include "report/json_common.h"
#include "report/report.h"

namespace meshlint {

using egress_detail::At;
using egress_detail::Position;
using egress_detail::Qualified;
using report_detail::Json;
using egress::EgressAnalysis;
using egress::HostRef;
using istio::ModeOrigin;
using egress::Scope;

namespace {

// "REGISTRY_ONLY (mesh config, istio.yaml:9:13)"
std::string ModeText(const MeshModel& model, const Scope& s) {
  std::string out(OutboundModeName(s.mode));
  switch (s.mode_source) {
    case ModeOrigin::kSidecar:
      out += " (set by the Sidecar, " + At(model, istio::EffectiveOutbound(model, s.sidecar).loc) + ")";
      break;
    case ModeOrigin::kMesh:
      out += " (mesh config)";
      break;
    case ModeOrigin::kIstioDefault:
      out += " (Istio default: no mesh config sets it)";
      break;
  }
  return out;
}

std::string SidecarText(const MeshModel& model, const Scope& s) {
  if (!s.sidecar) return "no Sidecar: imports everything exported to it";
  std::string out = "Sidecar " + TerminalSafe(Qualified(s.sidecar->meta.ref));
  if (!s.workload_scoped && s.sidecar->meta.ref.ns != s.ns) out += " (root namespace default)";
  out += " (" + At(model, s.sidecar->meta.anchor()) + ")";
  if (s.sidecar->egress_hosts.empty()) out += ", no egress hosts: imports everything exported to it";
  return out;
}

const char* SourceName(ModeOrigin s) {
  switch (s) {
    case ModeOrigin::kSidecar: return "sidecar";
    case ModeOrigin::kMesh: return "mesh";
    case ModeOrigin::kIstioDefault: return "istio-default";
  }
  return "mesh";
}

// The policy's verdicts, computed once per distinct set of matching entries.
class PolicyView {
 public:
  PolicyView(const EgressAnalysis& a, const egress::CompiledPolicy* p) : a_(a), p_(p) {}
  bool active() const { return p_ != nullptr; }
  bool Allows(const std::string& ns, const HostRef& h) {
    return !p_ || p_->AllowsWith(Entries(ns), a_.HostName(h));
  }
  bool AllowsAnyHost(const std::string& ns) { return !p_ || p_->AnyHostWith(Entries(ns)); }

 private:
  const std::vector<std::uint32_t>& Entries(const std::string& ns) {
    auto it = cache_.find(ns);
    if (it == cache_.end()) it = cache_.emplace(ns, p_->EntriesFor(ns)).first;
    return it->second;
  }
  const EgressAnalysis& a_;
  const egress::CompiledPolicy* p_;
  std::map<std::string, std::vector<std::uint32_t>> cache_;
};

void HostTable(std::ostream& out, const EgressAnalysis& a, const std::vector<HostRef>& hosts,
               const std::string& indent, const std::vector<std::string>& marks) {
  std::size_t width = 0, se_width = 0;
  for (const HostRef& h : hosts) {
    width = std::max(width, a.HostName(h).size());
    se_width = std::max(se_width, Qualified(a.model().service_entries[h.se].meta.ref).size());
  }
  width = std::min<std::size_t>(width, 48);
  se_width = std::min<std::size_t>(se_width, 48);
  for (std::size_t i = 0; i < hosts.size(); ++i) {
    const HostRef& h = hosts[i];
    const ServiceEntry& se = a.model().service_entries[h.se];
    std::string host = TerminalSafe(a.HostName(h));
    std::string name = TerminalSafe(Qualified(se.meta.ref));
    host.resize(std::max(host.size(), width), ' ');
    name.resize(std::max(name.size(), se_width), ' ');
    std::string line = indent + host + "  " + name + "  " + At(a.model(), se.hosts[h.host].loc);
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
void WrapNames(std::ostream& out, const std::vector<std::string>& names, const std::string& indent) {
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

// Host groups: listed once, referred to by the namespaces that reach them.
void WriteHostGroups(std::ostream& out, const EgressAnalysis& a, PolicyView& policy) {
  std::vector<std::map<std::size_t, std::vector<std::string>>> denied(a.groups().size());
  if (policy.active()) {
    for (const Scope& s : a.scopes()) {
      auto g = a.GroupOf(s);
      if (!g) continue;
      const std::string name =
          s.workload_scoped ? s.ns + "/" + s.sidecar->meta.ref.name + " workloads" : s.ns;
      const auto& hosts = a.groups()[*g].hosts;
      for (std::size_t k = 0; k < hosts.size(); ++k)
        if (!policy.Allows(s.ns, hosts[k])) denied[*g][k].push_back(name);
    }
  }
  for (std::size_t g = 0; g < a.groups().size(); ++g) {
    const auto& group = a.groups()[g];
    out << "\nHost group " << g + 1 << ": " << group.hosts.size() << " host"
        << (group.hosts.size() == 1 ? "" : "s") << " exported to every namespace, reached by "
        << group.namespaces << " namespaces"
        << (group.unfiltered ? "" : " through the same Sidecar egress hosts") << ":\n";
    std::vector<std::string> marks(group.hosts.size());
    for (const auto& [k, names] : denied[g])
      marks[k] = "NOT ALLOWED by policy for " + NameList(names, 5);
    HostTable(out, a, group.hosts, "  ", marks);
  }
}

}  // namespace

std::size_t CountPolicyViolations(const EgressAnalysis& a, const egress::CompiledPolicy& policy) {
  PolicyView view(a, &policy);
  std::size_t n = 0;
  for (const Scope& s : a.scopes()) {
    if (AllowsAny(s.mode) && !view.AllowsAnyHost(s.ns)) ++n;
    for (const HostRef& h : a.Reachable(s))
      if (!view.Allows(s.ns, h)) ++n;
  }
  return n;
}

void WriteEgressText(std::ostream& out, const EgressAnalysis& a, const EgressReportOptions& o) {
  const MeshModel& model = a.model();
  PolicyView policy(a, o.policy);
  auto group_of = [&](const Scope& s) -> std::optional<std::size_t> {
    return o.expand ? std::nullopt : a.GroupOf(s);
  };

  const istio::OutboundDecision mesh = istio::MeshOutbound(model);
  out << "Mesh outbound mode: " << OutboundModeName(mesh.mode);
  if (mesh.origin == ModeOrigin::kMesh) {
    out << " (" << TerminalSafe(model.mesh_sources[*mesh.mesh_source].description) << ", "
        << At(model, mesh.loc) << ")";
  } else {
    out << " (Istio's default: no mesh config in the inputs sets it)";
  }
  out << "\nRoot namespace: " << TerminalSafe(model.mesh.root_namespace) << "\n";

  std::size_t namespaces = 0, workload_rows = 0;
  for (const Scope& s : a.scopes()) (s.workload_scoped ? workload_rows : namespaces)++;
  out << namespaces << " namespace" << (namespaces == 1 ? "" : "s") << ", " << workload_rows
      << " workload-scoped Sidecar" << (workload_rows == 1 ? "" : "s") << "\n";

  if (!o.expand) WriteHostGroups(out, a, policy);

  // Each namespace's block (its row and its workload-scoped Sidecars' rows) is
  // rendered without the namespace's name; namespaces with identical blocks
  // are printed once, under the list of their names.
  auto row = [&](std::ostream& os, const Scope& s, const std::string& indent) {
    std::vector<HostRef> hosts = o.expand ? a.Reachable(s) : a.ReachableBeyondGroup(s);
    if (AllowsAny(s.mode)) {
      os << indent << "any external host (" << OutboundModeName(s.mode) << ")";
      if (!policy.AllowsAnyHost(s.ns)) os << "  NOT ALLOWED by policy (no \"*\" for it)";
      os << '\n';
    }
    if (auto g = group_of(s))
      os << indent << "+ host group " << *g + 1 << " (" << a.groups()[*g].hosts.size() << " host"
         << (a.groups()[*g].hosts.size() == 1 ? "" : "s") << ")\n";
    std::vector<std::string> marks;
    for (const HostRef& h : hosts)
      marks.push_back(policy.Allows(s.ns, h) ? "" : "NOT ALLOWED by policy");
    HostTable(os, a, hosts, indent, marks);
    if (hosts.empty() && !group_of(s) && !AllowsAny(s.mode))
      os << indent << "no external host\n";
  };

  std::vector<std::pair<std::string, std::vector<std::string>>> blocks;
  std::map<std::string, std::size_t> block_index;
  const auto& scopes = a.scopes();
  for (std::size_t i = 0; i < scopes.size(); ++i) {
    const Scope& s = scopes[i];
    if (s.workload_scoped) continue;
    std::ostringstream body;
    body << "  mode " << ModeText(model, s) << "; " << SidecarText(model, s) << "\n";
    row(body, s, "  ");
    for (std::size_t j = i + 1; j < scopes.size() && scopes[j].workload_scoped; ++j) {
      const Scope& w = scopes[j];
      body << "  workloads of Sidecar " << TerminalSafe(Qualified(w.sidecar->meta.ref)) << " ("
           << At(model, w.sidecar->selector_loc.valid() ? w.sidecar->selector_loc
                                                        : w.sidecar->meta.anchor())
           << "): mode " << ModeText(model, w) << "\n";
      row(body, w, "    ");
    }
    auto [it, fresh] = block_index.try_emplace(body.str(), blocks.size());
    if (fresh) blocks.push_back({body.str(), {}});
    blocks[it->second].second.push_back(s.ns);
  }
  for (const auto& [body, names] : blocks) {
    out << '\n';
    if (names.size() == 1) {
      out << TerminalSafe(names.front()) << ":\n";
    } else {
      std::vector<std::string> heading = names;
      heading.back() += " (" + std::to_string(names.size()) + " namespaces):";
      WrapNames(out, heading, "");
    }
    out << body;
  }
}

namespace {

Json HostList(const EgressAnalysis& a, const std::vector<HostRef>& hosts, PolicyView& policy,
              const std::string& ns) {
  Json list = Json::array();
  for (const HostRef& h : hosts) {
    Json j = {{"host", a.HostName(h)},
              {"serviceEntry", Qualified(a.model().service_entries[h.se].meta.ref)}};
    if (policy.active()) j["allowed"] = policy.Allows(ns, h);
    list.push_back(std::move(j));
  }
  return list;
}

Json ScopeJson(const EgressAnalysis& a, const Scope& s, const std::vector<HostRef>& hosts,
               PolicyView& policy, bool workload) {
  Json j;
  if (workload) {
    j["sidecar"] = Qualified(s.sidecar->meta.ref);
  } else {
    j["name"] = s.ns;
  }
  // The interface names two values: the dynamic-DNS variant passes any host too.
  j["outboundTrafficPolicy"] = AllowsAny(s.mode) ? "ALLOW_ANY" : "REGISTRY_ONLY";
  j["outboundTrafficPolicySource"] = SourceName(s.mode_source);
  if (!workload) j["sidecar"] = s.sidecar ? Json(Qualified(s.sidecar->meta.ref)) : Json(nullptr);
  j["external"] = HostList(a, hosts, policy, s.ns);
  if (policy.active() && AllowsAny(s.mode)) j["anyHostAllowed"] = policy.AllowsAnyHost(s.ns);
  return j;
}

}  // namespace

namespace {

// `text` (a dumped JSON value) shifted right by `spaces`, as it would appear
// nested that deep in one document. JSON strings hold no raw line breaks.
std::string Nested(const std::string& text, int spaces) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    out += c;
    if (c == '\n') out.append(static_cast<std::size_t>(spaces), ' ');
  }
  return out;
}

}  // namespace

void WriteEgressJson(std::ostream& out, const EgressAnalysis& a, const EgressReportOptions& o) {
  const MeshModel& model = a.model();
  PolicyView policy(a, o.policy);
  Json mesh;
  const istio::OutboundDecision outbound = istio::MeshOutbound(model);
  mesh["outboundTrafficPolicy"] = AllowsAny(outbound.mode) ? "ALLOW_ANY" : "REGISTRY_ONLY";
  mesh["setAt"] =
      outbound.origin == ModeOrigin::kMesh ? Position(model, outbound.loc) : Json(nullptr);
  mesh["rootNamespace"] = model.mesh.root_namespace;
  // Streamed one namespace at a time: the document lists every reachable host
  // of every namespace (millions of entries in a large mesh), and building it
  // whole in memory would cost gigabytes. The bytes are those of one dump.
  out << "{\n  \"mesh\": " << Nested(report_detail::Dump(mesh, 2), 2) << ",\n  \"namespaces\": [";
  bool first = true;
  const auto& scopes = a.scopes();
  for (std::size_t i = 0; i < scopes.size(); ++i) {
    const Scope& s = scopes[i];
    if (s.workload_scoped) continue;
    // JSON is an interface: `external` always lists every reachable registry
    // host (host groups only shorten the text report).
    auto row = [&](const Scope& r, bool workload) {
      return ScopeJson(a, r, a.Reachable(r), policy, workload);
    };
    Json j = row(s, false);
    Json workloads = Json::array();
    for (std::size_t k = i + 1; k < scopes.size() && scopes[k].workload_scoped; ++k)
      workloads.push_back(row(scopes[k], true));
    j["workloadSidecars"] = std::move(workloads);
    out << (first ? "\n    " : ",\n    ") << Nested(report_detail::Dump(j, 2), 4);
    first = false;
  }
  out << (first ? "]" : "\n  ]") << "\n}\n";
}

}  // namespace meshlint
