// multiple-default-sidecars: more than one Sidecar without workloadSelector in
// a namespace. Istio's behaviour is then undefined (it picks the oldest), so
// the egress a namespace gets depends on creation order.
#include "rules/common.h"
#include "rules/rules.h"
#include "semantics/istio.h"

namespace meshlint::rules {

void CheckMultipleDefaultSidecars(const MeshModel& model, FindingSink& sink) {
  for (const NamespaceInfo& info : model.namespace_index()) {
    std::vector<const Sidecar*> defaults = istio::DefaultSidecars(model, info.name);
    if (defaults.size() < 2) continue;
    for (const Sidecar* sc : defaults) {
      std::vector<std::string> others;
      Diagnostic d;
      for (const Sidecar* o : defaults) {
        if (o == sc) continue;
        others.push_back("'" + o->meta.ref.name + "' (" + Where(model, o->meta.anchor()) + ")");
        d.related.push_back({o->meta.anchor(), "another Sidecar without workloadSelector"});
      }
      d.loc = sc->meta.anchor();
      d.object = sc->meta.ref;
      d.field = "spec.workloadSelector";
      d.message = "Sidecar '" + sc->meta.ref.name + "' is one of " +
                  std::to_string(defaults.size()) +
                  " Sidecars without workloadSelector in namespace " + info.name + " (also " +
                  ListForMessage(others) +
                  "): Istio's behaviour is then undefined. Keep one default Sidecar per namespace "
                  "and give the others a workloadSelector.";
      sink.Report(std::move(d));
    }
  }
}

}  // namespace meshlint::rules
