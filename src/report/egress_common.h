// Pieces the egress report and the --from/--to explanation share.
#pragma once

#include <string>

#include "model/model.h"
#include "report/json_common.h"
#include "report/report.h"

namespace meshlint::egress_detail {

// "namespace/name".
inline std::string Qualified(const ObjectRef& ref) { return ref.ns + "/" + ref.name; }

// "file:line:col", terminal-safe; "" when `loc` points nowhere.
inline std::string At(const MeshModel& model, const Location& loc) {
  if (!loc.valid() || loc.file >= model.files.size()) return "";
  return TerminalSafe(model.files.display(loc.file)) + ":" + std::to_string(loc.line) + ":" +
         std::to_string(loc.column);
}

// {"file", "line", "column"}, or null when `loc` points nowhere.
inline report_detail::Json Position(const MeshModel& model, const Location& loc) {
  if (!loc.valid() || loc.file >= model.files.size()) return nullptr;
  return {{"file", model.files.display(loc.file)}, {"line", loc.line}, {"column", loc.column}};
}

}  // namespace meshlint::egress_detail
