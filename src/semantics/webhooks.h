// Which injection webhook the API server sends a pod to, when the inputs hold
// the MutatingWebhookConfigurations istiod's install renders (templates/
// mutatingwebhook.yaml, revision-tags-mwc.yaml): a webhook is called when
// its namespaceSelector matches the namespace's labels (with
// kubernetes.io/metadata.name, which the API server sets) and its
// objectSelector the pod's labels. Without an injector's configuration
// (istio-sidecar-injector*) in the inputs, membership.cpp keeps the chart's
// default selectors instead.
#pragma once

#include <optional>

#include "model/model.h"

namespace meshlint::istio {

struct FiredWebhook {
  const InjectionWebhookConfig* config = nullptr;
  const InjectionWebhook* webhook = nullptr;
};

// The inputs hold an injector's own webhook configuration: the webhooks,
// not the defaults, decide.
bool WebhooksDecide(const MeshModel& model);

// The first webhook that the pod matches, configurations in name order (as
// the API server calls them), webhooks in their order; `pod_labels` null: a
// pod with no labels.
std::optional<FiredWebhook> FiringWebhook(const MeshModel& model, const NamespaceObject& ns,
                                          const Labels* pod_labels);

}  // namespace meshlint::istio
