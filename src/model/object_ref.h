// The identity of a Kubernetes object, as findings and problems name it.
#pragma once

#include <string>

namespace meshlint {

// Identity of a Kubernetes object as findings name it.
struct ObjectRef {
  std::string kind;
  std::string ns;  // empty for cluster-scoped objects
  std::string name;

  // "<namespace>/<Kind>/<name>", or "<Kind>/<name>" when cluster-scoped.
  std::string FullyQualifiedName() const;
  bool empty() const { return kind.empty() && name.empty(); }
};

}  // namespace meshlint
