// sidecar-egress-unresolved-host: an egress host entry naming one host that no
// service visible to the Sidecar's namespace provides, so it imports nothing.
// The write-up's last step is the classic case: "default/deb.debian.org" while
// the ServiceEntry is exportTo ["."].
#include <set>
#include <unordered_map>

#include "egress/egress.h"
#include "rules/common.h"
#include "rules/rules.h"

namespace meshlint::rules {

namespace {

std::string JoinExport(const MeshModel& model, const ServiceEntry& se) {
  std::vector<std::string> values;
  if (se.export_to.empty()) {
    for (const auto& v : model.mesh.default_service_export_to) values.push_back("\"" + v + "\"");
  } else {
    for (const auto& v : se.export_to) values.push_back("\"" + v.value + "\"");
  }
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i) out += (i ? ", " : "") + values[i];
  return out + "]";
}

}  // namespace

void CheckSidecarEgressUnresolvedHost(const MeshModel& model, FindingSink& sink) {
  bool any_specific = false;
  for (const Sidecar& sc : model.sidecars)
    for (const auto& h : sc.egress_hosts)
      if (auto e = egress::SplitEgressHost(h.value); e && !egress::IsWildcardHost(e->dns))
        any_specific = true;
  if (!any_specific) return;

  // Every ServiceEntry host, and every Kubernetes Service's cluster names.
  std::unordered_map<std::string, std::vector<const ServiceEntry*>> by_host;
  for (const ServiceEntry& se : model.service_entries)
    for (const auto& h : se.hosts) by_host[h.value].push_back(&se);
  std::set<std::pair<std::string, std::string>> services;  // (namespace, name)
  for (const ObjectMeta& m : model.others)
    if (m.ref.kind == "Service" && m.api_version == "v1") services.insert({m.ref.ns, m.ref.name});

  for (const Sidecar& sc : model.sidecars) {
    const bool root_default = !sc.has_selector && sc.meta.ref.ns == model.mesh.root_namespace;
    // The namespaces this Sidecar is applied to: its own, or for the root
    // default every namespace without a default Sidecar of its own.
    auto governs = [&](std::string_view ns) {
      if (!root_default) return ns == sc.meta.ref.ns;
      return ns == sc.meta.ref.ns || model.DefaultSidecars(ns).empty();
    };
    for (std::size_t i = 0; i < sc.egress_hosts.size(); ++i) {
      const auto& written = sc.egress_hosts[i];
      auto entry = egress::SplitEgressHost(written.value);
      if (!entry || entry->ns == "~" || egress::IsWildcardHost(entry->dns)) continue;
      const std::string dns(entry->dns);
      auto ns_matches = [&](std::string_view config_ns, std::string_view service_ns) {
        if (entry->ns == "*") return true;
        return (entry->ns == "." ? config_ns : entry->ns) == service_ns;
      };

      // A Kubernetes Service "name.ns.svc..." (exported everywhere unless
      // annotated; annotations are not modelled, so it counts as resolved).
      if (auto svc = dns.find(".svc."); svc != std::string::npos) {
        const std::string head = dns.substr(0, svc);
        const auto dot = head.find('.');
        if (dot != std::string::npos &&
            services.count({head.substr(dot + 1), head.substr(0, dot)}) &&
            (entry->ns == "*" || entry->ns == "." || entry->ns == head.substr(dot + 1)))
          continue;
      }

      bool resolved = false;
      std::vector<const ServiceEntry*> not_exported, elsewhere;
      auto it = by_host.find(dns);
      if (it != by_host.end()) {
        for (const ServiceEntry* se : it->second) {
          const std::string& se_ns = se->meta.ref.ns;
          // Config namespaces to try: the Sidecar's, or for a root default
          // "." the ServiceEntry's own, else any governed namespace it is
          // exported to.
          bool placed = false, exported = false;
          if (!root_default) {
            placed = ns_matches(sc.meta.ref.ns, se_ns);
            exported = model.IsExportedTo(*se, sc.meta.ref.ns);
          } else if (entry->ns == ".") {
            placed = governs(se_ns);
            exported = model.IsExportedTo(*se, se_ns);
          } else {
            placed = ns_matches("", se_ns);
            if (model.IsExportedToAll(*se)) {
              exported = true;
            } else if (!se->export_to.empty()) {
              for (const auto& v : se->export_to)
                exported |= v.value != "~" && governs(v.value == "." ? se_ns : v.value);
            } else {
              for (const auto& v : model.mesh.default_service_export_to)
                exported |= v != "~" && governs(v == "." ? se_ns : v);
            }
          }
          if (placed && exported) resolved = true;
          else if (placed) not_exported.push_back(se);
          else elsewhere.push_back(se);
        }
      }
      if (resolved) continue;

      Diagnostic d;
      d.loc = written.loc;
      d.object = sc.meta.ref;
      d.field = "spec.egress.hosts[" + std::to_string(i) + "]";
      const std::string subject = "Sidecar '" + sc.meta.ref.name + "' egress host \"" +
                                  written.value + "\" imports nothing";
      const std::string where = root_default ? "the namespaces it applies to" : sc.meta.ref.ns;
      if (!not_exported.empty()) {
        const ServiceEntry* se = not_exported.front();
        d.message = subject + ": ServiceEntry " + se->meta.ref.ns + "/" + se->meta.ref.name +
                    " lists " + dns + " but its exportTo " + JoinExport(model, *se) +
                    " does not include " + where +
                    ", and a Sidecar can only import services exported to its namespace. Add " +
                    (root_default ? std::string("them") : sc.meta.ref.ns) +
                    " to the ServiceEntry's exportTo, or remove this entry.";
        d.related.push_back({se->export_to_key.valid() ? se->export_to_key : se->meta.anchor(),
                             "the ServiceEntry's export is decided here"});
      } else if (!elsewhere.empty()) {
        const ServiceEntry* se = elsewhere.front();
        d.message = subject + ": " + dns + " is defined by ServiceEntry " + se->meta.ref.ns + "/" +
                    se->meta.ref.name + ", which is not in namespace " +
                    std::string(entry->ns == "." ? sc.meta.ref.ns : std::string(entry->ns)) +
                    ". Write \"" + se->meta.ref.ns + "/" + dns + "\" instead.";
        d.related.push_back({se->meta.anchor(), "the ServiceEntry that defines the host"});
      } else {
        d.uncertain = true;  // it may be defined outside these inputs
        d.message = subject + " unless " + dns +
                    " is defined outside these inputs: no ServiceEntry or Service here provides "
                    "it. Add a ServiceEntry for it exported to " + where +
                    ", or remove the entry.";
      }
      sink.Report(std::move(d));
    }
  }
}

}  // namespace meshlint::rules
