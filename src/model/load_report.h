// What the loader decided about the inputs beyond the objects themselves:
// documents it skipped as not Kubernetes objects, the custom kinds CRDs
// declare, objects written more than once, and what became of Helm charts
// and kustomizations. Rules turn some of it into findings; --verbose lists
// the rest.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "model/location.h"
#include "model/object_ref.h"

namespace meshlint {

// A document that is no Kubernetes object (Helm values, an Ansible task
// list, a tool's configuration shaped like an object), or a file of a chart
// or a kustomization that is not linted raw.
struct SkippedDocument {
  Location loc;        // the document (or the file: line 1)
  std::string reason;  // "a YAML list, not a Kubernetes object"
};

// A kind that a CustomResourceDefinition among the inputs declares.
struct CustomKind {
  std::string group;            // spec.group
  std::string kind;             // spec.names.kind
  bool cluster_scoped = false;  // spec.scope: Cluster
  Location loc;
};

// One group/kind/namespace/name written more than once: the last one read
// is the object (as `kubectl apply` would leave it), the others are listed.
struct DuplicateObject {
  ObjectRef object;
  Location kept;                 // the place that wins
  std::vector<Location> others;  // earlier places, in input order
  // The places were rendered by different kustomizations (names of their
  // directories): they are likely environments of one repository.
  std::vector<std::string> renders;
};

// What became of a Helm chart or a kustomization found among the inputs.
struct ToolNote {
  enum class Kind {
    kHelmChart,             // its templates are not linted raw
    kKustomizeNotRendered,  // no tool (or a feature meshlint does not run)
    kKustomizeFailed,       // the tool ran and failed
  };
  Kind kind = Kind::kHelmChart;
  Location loc;  // Chart.yaml or the kustomization file (the entry at fault)
  std::string message;
  // The cause is likely outside the files (a remote base, no network): the
  // finding is reported a level lower.
  bool uncertain = false;
};

// Everything above for one run; MeshModel::load_report.
struct LoadReport {
  std::vector<DuplicateObject> duplicates;
  std::vector<ToolNote> tools;
  // Files not linted raw because a chart or a kustomization uses them, and
  // files .gitignore/.meshlintignore leave out: display path and why, for
  // --verbose.
  std::vector<std::pair<std::string, std::string>> not_linted;
  std::size_t kustomizations_rendered = 0;
  // The kustomization files (as shown) that rendered each object, by
  // ObjectRef::FullyQualifiedName(): a finding about one names them, since
  // the place it points at may be a base several overlays use.
  std::map<std::string, std::vector<std::string>> rendered_by;
  // Walked files that .gitignore or .meshlintignore leave out (also listed
  // in not_linted).
  std::size_t ignored_files = 0;
};

}  // namespace meshlint
