// sidecar-egress-unresolved-host: an egress host entry naming one host that no
// service visible to the Sidecar's namespace provides, so it imports nothing.
// The write-up's last step is the classic case: "default/deb.debian.org" while
// the ServiceEntry is exportTo ["."].
#include <unordered_map>

#include "rules/common.h"
#include "rules/rules.h"
#include "semantics/istio.h"

namespace meshlint::rules {

namespace {

using HostIndex = std::unordered_map<std::string, std::vector<const ServiceEntry*>>;

// The exportTo list that applies, as written: the ServiceEntry's own, or the
// mesh default.
std::string JoinExport(const MeshModel& model, const ServiceEntry& se) {
  std::vector<std::string> values;
  if (istio::EffectiveExport(model, se).origin == istio::ExportOrigin::kExportTo) {
    for (const auto& v : se.export_to) values.push_back("\"" + v.value + "\"");
  } else {
    for (const auto& v : model.mesh.default_service_export_to) values.push_back("\"" + v + "\"");
  }
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i) out += (i ? ", " : "") + values[i];
  return out + "]";
}

// An entry naming one host: the only kind this rule can check.
std::optional<istio::EgressEntry> SpecificEntry(const Located<std::string>& written) {
  auto entry = istio::SplitEgressHost(written.value);
  if (!entry || entry->ns == "~" || istio::IsWildcardHost(entry->dns)) return std::nullopt;
  return entry;
}

bool AnySpecificEntry(const MeshModel& model) {
  for (const Sidecar& sc : model.sidecars)
    for (const auto& h : sc.egress_hosts)
      if (SpecificEntry(h)) return true;
  return false;
}

// What the ServiceEntries listing the entry's host make of it: one imports
// it, or the first that is selected but not exported, or the first that
// lives in a namespace the entry does not select.
struct Verdict {
  bool resolved = false;
  const ServiceEntry* not_exported = nullptr;
  const ServiceEntry* elsewhere = nullptr;
};

Verdict Resolve(const MeshModel& model, const Sidecar& sc, const istio::EgressEntry& entry,
                const HostIndex& by_host) {
  Verdict v;
  auto it = by_host.find(std::string(entry.dns));
  if (it == by_host.end()) return v;
  for (const ServiceEntry* se : it->second) {
    const istio::GovernedImport import = istio::ImportWhereApplied(model, sc, entry, *se);
    if (import.imports()) {
      v.resolved = true;
    } else if (import.selects) {
      if (!v.not_exported) v.not_exported = se;
    } else if (!v.elsewhere) {
      v.elsewhere = se;
    }
  }
  return v;
}

Diagnostic Finding(const MeshModel& model, const Sidecar& sc, std::size_t i,
                   const istio::EgressEntry& entry, const Verdict& v) {
  const auto& written = sc.egress_hosts[i];
  const std::string dns(entry.dns);
  const bool root_default = istio::IsRootDefault(model, sc);
  Diagnostic d;
  d.loc = written.loc;
  d.object = sc.meta.ref;
  d.field = "spec.egress.hosts[" + std::to_string(i) + "]";
  const std::string subject =
      "Sidecar '" + sc.meta.ref.name + "' egress host \"" + written.value + "\" imports nothing";
  const std::string where = root_default ? "the namespaces it applies to" : sc.meta.ref.ns;
  if (const ServiceEntry* se = v.not_exported) {
    d.message = subject + ": ServiceEntry " + se->meta.ref.ns + "/" + se->meta.ref.name +
                " lists " + dns + " but its exportTo " + JoinExport(model, *se) +
                " does not include " + where +
                ", and a Sidecar can only import services exported to its namespace. Add " +
                (root_default ? std::string("them") : sc.meta.ref.ns) +
                " to the ServiceEntry's exportTo, or remove this entry.";
    d.related.push_back({se->export_to_key.valid() ? se->export_to_key : se->meta.anchor(),
                         "the ServiceEntry's export is decided here"});
  } else if (const ServiceEntry* se = v.elsewhere) {
    d.message = subject + ": " + dns + " is defined by ServiceEntry " + se->meta.ref.ns + "/" +
                se->meta.ref.name + ", which is not in namespace " +
                (entry.ns == "." ? sc.meta.ref.ns : std::string(entry.ns)) + ". Write \"" +
                se->meta.ref.ns + "/" + dns + "\" instead.";
    d.related.push_back({se->meta.anchor(), "the ServiceEntry that defines the host"});
  } else {
    d.uncertain = true;  // it may be defined outside these inputs
    d.message = subject + " unless " + dns +
                " is defined outside these inputs: no ServiceEntry or Service here provides "
                "it. Add a ServiceEntry for it exported to " +
                where + ", or remove the entry.";
  }
  return d;
}

}  // namespace

void CheckSidecarEgressUnresolvedHost(const MeshModel& model, FindingSink& sink) {
  if (!AnySpecificEntry(model)) return;
  // Every ServiceEntry host, and every Kubernetes Service.
  HostIndex by_host;
  for (const ServiceEntry& se : model.service_entries)
    for (const auto& h : se.hosts) by_host[h.value].push_back(&se);
  const istio::ServiceIndex services(model);

  for (const Sidecar& sc : model.sidecars) {
    for (std::size_t i = 0; i < sc.egress_hosts.size(); ++i) {
      const auto entry = SpecificEntry(sc.egress_hosts[i]);
      if (!entry || istio::ServiceProvides(services, *entry)) continue;
      const Verdict v = Resolve(model, sc, *entry, by_host);
      if (!v.resolved) sink.Report(Finding(model, sc, i, *entry, v));
    }
  }
}

}  // namespace meshlint::rules
