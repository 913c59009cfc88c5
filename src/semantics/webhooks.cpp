#include "semantics/webhooks.h"

#include <algorithm>
#include <vector>

namespace meshlint::istio {

bool WebhooksDecide(const MeshModel& model) {
  return std::any_of(model.injection_webhooks.begin(), model.injection_webhooks.end(),
                     [](const InjectionWebhookConfig& c) { return !c.IsTag(); });
}

std::optional<FiredWebhook> FiringWebhook(const MeshModel& model, const NamespaceObject& ns,
                                          const Labels* pod_labels) {
  std::map<std::string, std::string> ns_labels = ns.labels;
  ns_labels["kubernetes.io/metadata.name"] = ns.meta.ref.name;
  static const Labels kNone;
  const Labels& pod = pod_labels ? *pod_labels : kNone;
  std::vector<const InjectionWebhookConfig*> order;
  for (const InjectionWebhookConfig& c : model.injection_webhooks) order.push_back(&c);
  std::stable_sort(order.begin(), order.end(),
                   [](const InjectionWebhookConfig* a, const InjectionWebhookConfig* b) {
                     return a->meta.ref.name < b->meta.ref.name;
                   });
  for (const InjectionWebhookConfig* c : order)
    for (const InjectionWebhook& w : c->webhooks) {
      if (w.namespace_selector && !w.namespace_selector->Matches(ns_labels)) continue;
      if (w.object_selector && !w.object_selector->Matches(pod)) continue;
      return FiredWebhook{c, &w};
    }
  return std::nullopt;
}

}  // namespace meshlint::istio
