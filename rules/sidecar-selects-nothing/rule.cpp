// sidecar-selects-nothing: a workload-scoped Sidecar whose selector matches
// no workload of its namespace in the inputs. Istio applies such a Sidecar
// only to pods of its own namespace whose labels include the selector's; the
// pods it was probably written for fall back to the namespace's default.
// Silent when the inputs hold no workload of the namespace (the pods may be
// deployed from elsewhere) or one whose pod labels are unknown.
#include <algorithm>
#include <string>
#include <vector>

#include "rules/common.h"
#include "rules/rules.h"
#include "semantics/istio.h"

namespace meshlint::rules {

namespace {

std::string SelectorText(const Labels& labels) {
  std::vector<std::string> items;
  for (const Label& l : labels.items) items.push_back(l.key + "=" + l.value);
  return ListForMessage(items, 8);
}

}  // namespace

void CheckSidecarSelectsNothing(const MeshModel& model, FindingSink& sink) {
  for (const Sidecar& sc : model.sidecars) {
    // No selector, or `labels: {}`: the whole namespace.
    if (!sc.has_selector || sc.selector.labels.empty()) continue;
    const NamespaceInfo* info = model.FindNamespace(sc.meta.ref.ns);
    if (!info || info->workloads.empty()) continue;
    bool unknown = false;
    bool selected = false;
    std::vector<std::string> names;
    for (std::size_t wi : info->workloads) {
      const Workload& w = model.workloads[wi];
      unknown |= w.pod.unknown;
      selected |= istio::SelectorSelects(sc.selector, &w.pod.labels);
      names.push_back(w.meta.ref.kind + "/" + w.meta.ref.name);
    }
    if (unknown || selected) continue;
    Diagnostic d;
    d.loc = sc.selector.labels_key.valid() ? sc.selector.labels_key : sc.selector_loc;
    if (!d.loc.valid()) d.loc = sc.meta.anchor();
    d.object = sc.meta.ref;
    d.field = "spec.workloadSelector.labels";
    d.message = "Sidecar '" + sc.meta.ref.ns + "/" + sc.meta.ref.name + "' selects pods labelled " +
                SelectorText(sc.selector.labels) + ", but " +
                (names.size() == 1 ? std::string("the only workload")
                                   : "none of the " + std::to_string(names.size()) + " workloads") +
                " of namespace '" + sc.meta.ref.ns + "' in the inputs (" + ListForMessage(names) +
                ") " + (names.size() == 1 ? "does not have" : "has") +
                " these pod labels: it applies to no pod. Match the selector to the labels of the "
                "pod template it is meant for, or remove the Sidecar.";
    sink.Report(std::move(d));
  }
}

}  // namespace meshlint::rules
