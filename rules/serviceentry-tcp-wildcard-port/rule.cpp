// serviceentry-tcp-wildcard-port: a ServiceEntry whose TCP port Istio turns
// into a wildcard passthrough listener. With resolution NONE, no addresses,
// no endpoints and no workloadSelector, a TCP-ish port (TCP, Mongo, Redis,
// MySQL, or no protocol) becomes 0.0.0.0:<port> on every sidecar that
// imports the ServiceEntry, and its cluster is ORIGINAL_DST: every
// destination on that port passes, even under REGISTRY_ONLY
// (pilot/pkg/networking/core/listener.go buildSidecarOutboundListener).
// The semantics unit decides which ports qualify (istio::ListenerFor), so
// the finding and `meshlint egress` cannot disagree.
#include <cstdint>
#include <optional>
#include <string>

#include "rules/rules.h"
#include "semantics/istio.h"
#include "semantics/listeners.h"

namespace meshlint::rules {

namespace {

std::string Message(const ServiceEntry& se, const istio::RegistryService& svc,
                    const istio::ServicePort& port) {
  const std::string addresses =
      svc.whole_space_range ? "an address range that covers every address" : "no addresses";
  return "ServiceEntry '" + se.meta.ref.ns + "/" + se.meta.ref.name + "' has resolution NONE, " +
         addresses + " and no endpoints, so port " + std::to_string(port.number) + " (" +
         std::string(istio::ProtocolName(port.protocol)) +
         ") becomes a listener on 0.0.0.0:" + std::to_string(port.number) +
         " in every sidecar it is exported to, which passes connections to any destination on "
         "that port, even under REGISTRY_ONLY. Add the destination's addresses (CIDRs), or use "
         "resolution DNS for a named host.";
}

}  // namespace

void CheckServiceEntryTcpWildcardPort(const MeshModel& model, FindingSink& sink) {
  // The default revision's registry: what its istiod would program. Each
  // ServiceEntry's entry is built alone (Registry::ServiceEntryService, as
  // the registry builds it), and only for those that can have a passthrough
  // port: ListenerFor gives one only with resolution NONE, no endpoints and
  // no workloadSelector. No whole registry (and its host index) is kept for
  // this rule.
  const MeshSettings& settings = model.SettingsForRevision("");
  const bool dns_capture = settings.dns_capture.value;
  for (std::size_t i = 0; i < model.service_entries.size(); ++i) {
    const ServiceEntry& se = model.service_entries[i];
    if (istio::ParseResolution(se.resolution.value) != istio::Resolution::kNone ||
        !se.endpoint_addresses.empty() || se.workload_selector.set)
      continue;
    const std::optional<istio::RegistryService> entry =
        istio::Registry::ServiceEntryService(model, settings, "", static_cast<std::uint32_t>(i));
    if (!entry) continue;  // not applied by this revision
    const istio::RegistryService& svc = *entry;
    // CIDR addresses give a 0.0.0.0 listener too, but its filter chain
    // matches only connections into those ranges (kRangePassthrough): not
    // every destination, unless a range is a /0.
    for (std::size_t p = 0; p < svc.ports.size(); ++p) {
      if (istio::ListenerFor(model, svc, svc.ports[p], dns_capture) !=
          istio::PortListener::kPassthrough)
        continue;
      Diagnostic d;
      d.loc = svc.ports[p].loc.valid() ? svc.ports[p].loc : se.meta.anchor();
      d.object = se.meta.ref;
      d.field = "spec.ports[" + std::to_string(p) + "]";
      d.message = Message(se, svc, svc.ports[p]);
      if (se.resolution.loc.valid()) d.related.push_back({se.resolution.loc, "resolution NONE"});
      sink.Report(std::move(d));
    }
  }
}

}  // namespace meshlint::rules
