// Small helpers shared by rule messages.
#pragma once

#include <string>
#include <vector>

#include "model/model.h"

namespace meshlint::rules {

// "a, b, c and 4 more": lists stay readable in one-line messages.
std::string ListForMessage(const std::vector<std::string>& items, std::size_t shown = 5);

// "path:line" of a location, for messages that name a second place.
std::string Where(const MeshModel& model, const Location& loc);

}  // namespace meshlint::rules
