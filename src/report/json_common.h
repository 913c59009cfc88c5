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

namespace meshlint::report_detail {

// ctx.fingerprints when the caller computed them, else computed here.
std::vector<std::string> FingerprintsOf(const ReportContext& ctx);

// The path of `loc`'s file relative to ctx.source_root (the repository root
// in CI), '/'-separated; the absolute path when the file lies outside it; ""
// when `loc` has no file.
std::string RootRelativePath(const ReportContext& ctx, const Location& loc);

}  // namespace meshlint::report_detail
