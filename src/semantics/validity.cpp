#include "semantics/validity.h"

namespace meshlint::istio {

bool IsRejected(const MeshModel& /*model*/, const ObjectMeta& /*meta*/) {
  // Validation parity lands with src/semantics/validation.h; until then
  // every loaded object counts as admitted.
  return false;
}

bool ConfigInRevision(const MeshModel& model, const ConfigMeta& config, std::string_view revision) {
  const std::string* label = config.Revision();
  if (!label) return true;
  std::string_view wanted = *label;
  for (const RevisionTag& t : model.revision_tags)
    if (t.tag == wanted) {
      wanted = t.revision;
      break;
    }
  if (wanted == "default") wanted = "";
  if (revision == "default") revision = "";
  return wanted == revision;
}

}  // namespace meshlint::istio
