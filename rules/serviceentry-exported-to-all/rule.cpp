// serviceentry-exported-to-all: a ServiceEntry every namespace can see, so
// every namespace can reach its hosts. The first hole of the seed write-up.
#include "rules/common.h"
#include "rules/rules.h"
#include "semantics/istio.h"

namespace meshlint::rules {

void CheckServiceEntryExportedToAll(const MeshModel& model, FindingSink& sink) {
  for (const ServiceEntry& se : model.service_entries) {
    const istio::Export exported = istio::EffectiveExport(model, se);
    if (exported.scope != istio::ExportScope::kAll) continue;
    std::vector<std::string> hosts;
    for (const auto& h : se.hosts) hosts.push_back(h.value);
    const std::string what = "ServiceEntry '" + se.meta.ref.name + "' exports " +
                             (hosts.empty() ? std::string("its hosts") : ListForMessage(hosts)) +
                             " to every namespace";
    Diagnostic d;
    d.object = se.meta.ref;
    if (exported.origin == istio::ExportOrigin::kExportTo) {
      for (std::size_t i = 0; i < se.export_to.size(); ++i) {
        if (se.export_to[i].value != "*") continue;
        d.loc = se.export_to[i].loc;
        d.field = "spec.exportTo[" + std::to_string(i) + "]";
        break;
      }
      d.message = what +
                  " (exportTo: \"*\"). Export it only to the namespaces that need it, "
                  "e.g. exportTo: [\".\"].";
    } else {
      d.loc = se.export_to_set ? se.export_to_key : se.hosts_key;
      d.field = "spec.exportTo";
      std::string why = se.export_to_set ? "its exportTo is empty" : "it has no exportTo";
      d.message = what + ": " + why +
                  " and the mesh default (defaultServiceExportTo) is \"*\". Add exportTo: "
                  "[\".\"] or the namespaces that need it.";
      if (exported.origin == istio::ExportOrigin::kMeshDefault)
        d.related.push_back({exported.loc, "the mesh default defaultServiceExportTo is set here"});
    }
    sink.Report(std::move(d));
  }
}

}  // namespace meshlint::rules
