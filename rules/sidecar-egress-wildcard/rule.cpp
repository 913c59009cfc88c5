// sidecar-egress-wildcard: an egress host "*/..." imports from every
// namespace, so anything any team exports (ServiceEntries included) lands in
// these proxies.
#include "rules/rules.h"
#include "semantics/istio.h"

namespace meshlint::rules {

void CheckSidecarEgressWildcard(const MeshModel& model, FindingSink& sink) {
  for (const Sidecar& sc : model.sidecars) {
    for (std::size_t i = 0; i < sc.egress_hosts.size(); ++i) {
      const auto& host = sc.egress_hosts[i];
      auto entry = istio::SplitEgressHost(host.value);
      if (!entry || entry->ns != "*") continue;
      Diagnostic d;
      d.loc = host.loc;
      d.object = sc.meta.ref;
      d.field = "spec.egress.hosts[" + std::to_string(i) + "]";
      const std::string what =
          entry->dns == "*" ? "every service exported to its namespace, from every namespace"
                            : std::string(entry->dns) + " from whichever namespace exports it";
      d.message = "Sidecar '" + sc.meta.ref.name + "' egress host \"" + host.value + "\" imports " +
                  what +
                  ": a ServiceEntry added by any team reaches these proxies. Name the namespaces "
                  "instead (\"./*\", \"" +
                  model.mesh.root_namespace + "/*\", \"<ns>/" +
                  (entry->dns == "*" ? std::string("<host>") : std::string(entry->dns)) + "\").";
      sink.Report(std::move(d));
    }
  }
}

}  // namespace meshlint::rules
