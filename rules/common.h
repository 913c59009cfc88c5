// Small helpers shared by rule messages.
#pragma once

#include <string>
#include <vector>

#include "engine/finding.h"
#include "model/model.h"

namespace meshlint::rules {

// "a, b, c and 4 more": lists stay readable in one-line messages.
std::string ListForMessage(const std::vector<std::string>& items, std::size_t shown = 5);

// "path:line" of a location, for messages that name a second place.
std::string Where(const MeshModel& model, const Location& loc);

// Names in `d` what a finding about pods is about: the first of `workloads`,
// else the namespace's manifest, else the namespace as known from its first
// object. `d.loc` is set to that object's place only when it has none yet.
void AboutPods(const MeshModel& model, const std::vector<const Workload*>& workloads,
               const NamespaceInfo& info, Diagnostic& d);

}  // namespace meshlint::rules
