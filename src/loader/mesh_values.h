// Mesh config fields beyond the outbound policy and exportTo defaults, and
// the istiod chart's injector values. Loader-internal.
#pragma once

#include <optional>
#include <string>

#include "loader/node_reader.h"

namespace meshlint {

// A Kubernetes LabelSelector (matchLabels, matchExpressions), read
// leniently: nullopt when `node` is not a mapping; a requirement without a
// key or operator makes a selector that selects nothing.
std::optional<LabelSelector> ReadLabelSelector(NodeReader& r, const LiteNode& node,
                                               const ObjectRef& ref, const std::string& path);
// Each selector of a list of them (at most 256), as ReadLabelSelector reads
// one; none when `list` is not a list.
std::vector<LabelSelector> SelectorList(NodeReader& r, const LiteNode& list, const ObjectRef& ref,
                                        const std::string& path);

// defaultVirtualServiceExportTo, defaultDestinationRuleExportTo,
// serviceEntryVisibility and defaultConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE
// of the MeshConfig mapping `mc` into `source`. Throws Unusable (reported)
// when a value makes the mesh config unparsable for istiod.
void ReadMoreMeshConfig(NodeReader& r, const LiteNode& mc, MeshConfigSource& source,
                        const ObjectRef& ref, const std::string& path);

// The injector's values of the istiod chart's `values` mapping
// (sidecarInjectorWebhook.*, global.proxy.*), leniently.
void ReadInjectorValues(NodeReader& r, const LiteNode& values, InjectorValues& out,
                        const ObjectRef& ref, const std::string& path);

}  // namespace meshlint
