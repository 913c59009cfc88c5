// The sidecar injector as istiod's install renders it: the ConfigMap
// istio-sidecar-injector[-<rev>] and the MutatingWebhookConfigurations of
// the injector and of revision tags. Loader-internal.
#pragma once

#include <string>

#include "loader/node_reader.h"

namespace meshlint {

// istio-sidecar-injector and istio-sidecar-injector-<rev>.
bool IsInjectorConfigMapName(const ObjectMeta& meta);
// Its `config` and `values` into one more mesh source (Origin kConfigMap, the
// revision of its name), when both parse; problems otherwise.
void ReadInjectorConfigMap(NodeReader& r, const LiteNode& node, const ObjectMeta& meta,
                           const std::string& where);

// istio-sidecar-injector* and istio-revision-tag-*.
bool IsInjectionWebhookName(const ObjectMeta& meta);
// The kind table's reader: an injection webhook configuration into
// Objects::injection_webhooks; any other stays a generic object.
void ReadMutatingWebhookConfiguration(NodeReader& r, const LiteNode& node, ObjectMeta& meta,
                                      const std::string& where);

}  // namespace meshlint
