// Pieces shared by the JSON and SARIF writers.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "report/report.h"

namespace meshlint::report_detail {

using Json = nlohmann::ordered_json;

// Dumps with invalid UTF-8 replaced, so bytes from a manifest can never make
// the document unparseable.
std::string Dump(const Json& j, int indent);

// The first paragraph of a rule doc (after its title): a self-contained
// description.
std::string DocFirstParagraph(std::string_view doc);

}  // namespace meshlint::report_detail
