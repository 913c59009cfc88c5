// The readers of the kinds the model keeps beyond their identity, one per
// entry of object_reader.cpp's kind table: Istio's networking and security
// kinds (istio_readers.cpp) and the Kubernetes workloads and Services
// (workload_reader.cpp). Each takes `meta` into its own object and stores it
// in r.out(); a field of the wrong shape is a problem and the object is not
// used (Unusable). Loader-internal.
#pragma once

#include <string>

#include "loader/node_reader.h"

namespace meshlint {

void ReadServiceEntry(NodeReader& r, const LiteNode& node, ObjectMeta& meta,
                      const std::string& where);
void ReadSidecar(NodeReader& r, const LiteNode& node, ObjectMeta& meta, const std::string& where);
void ReadVirtualService(NodeReader& r, const LiteNode& node, ObjectMeta& meta,
                        const std::string& where);
void ReadGateway(NodeReader& r, const LiteNode& node, ObjectMeta& meta, const std::string& where);
void ReadAuthorizationPolicy(NodeReader& r, const LiteNode& node, ObjectMeta& meta,
                             const std::string& where);

// Pod, and the controllers of pods: their pod template. Lenient: a template
// of an unexpected shape is left unread (Kubernetes would reject it; its
// pods are then unknown), never a problem, so that a cheap read stays cheap.
void ReadWorkload(NodeReader& r, const LiteNode& node, ObjectMeta& meta, const std::string& where);
void ReadKubeService(NodeReader& r, const LiteNode& node, ObjectMeta& meta,
                     const std::string& where);

// Istio's config metadata (istio.io labels, creationTimestamp).
ConfigMeta ReadConfigMeta(NodeReader& r, const LiteNode& node, const ObjectRef& ref,
                          const std::string& where);

}  // namespace meshlint
