#include "rules/common.h"
#include "rules/rules.h"

namespace meshlint::rules {

std::string ListForMessage(const std::vector<std::string>& items, std::size_t shown) {
  std::string out;
  const std::size_t n = std::min(items.size(), shown);
  for (std::size_t i = 0; i < n; ++i) {
    if (i) out += (i + 1 == items.size()) ? " and " : ", ";
    out += items[i];
  }
  if (items.size() > n) out += " and " + std::to_string(items.size() - n) + " more";
  return out;
}

std::string Where(const MeshModel& model, const Location& loc) {
  if (!loc.valid() || loc.file >= model.files.size()) return "?";
  return model.files.display(loc.file) + ":" + std::to_string(loc.line);
}

void AboutPods(const MeshModel& model, const std::vector<const Workload*>& workloads,
               const NamespaceInfo& info, Diagnostic& d) {
  Location anchor;
  if (!workloads.empty()) {
    d.object = workloads.front()->meta.ref;
    anchor = workloads.front()->meta.anchor();
  } else if (info.manifest) {
    d.object = model.namespaces[*info.manifest].meta.ref;
    anchor = model.namespaces[*info.manifest].meta.anchor();
  } else {
    d.object = ObjectRef{"Namespace", "", info.name};
    anchor = info.first_object_loc;
  }
  if (!d.loc.valid()) d.loc = anchor;
}

}  // namespace meshlint::rules
