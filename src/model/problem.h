// A located problem: what could not be used, and where. The one shape every
// layer reports problems in (input files, manifests, the project config, the
// egress policy), so that the CLI and the reports render them alike.
#pragma once

#include <string>

#include "model/location.h"
#include "model/object_ref.h"

namespace meshlint {

struct Problem {
  // loc.file indexes the run's FileTable; loc.line == 0: the file as a whole.
  Location loc;
  std::string message;  // one or more sentences, without the location
  ObjectRef object;     // when the problem is inside an identifiable object
  std::string field;    // the offending field's path, e.g. "spec.exportTo"
};

}  // namespace meshlint
