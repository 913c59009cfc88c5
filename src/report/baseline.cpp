// Baseline files: the findings a team accepted when adopting meshlint. Matched
// by fingerprint only; the other fields are there for the people who review
// the file in a pull request.
#include <algorithm>
#include <tuple>

#include "report/json_common.h"

namespace meshlint {

using report_detail::Json;

namespace {

constexpr int kBaselineVersion = 1;

}  // namespace

void WriteBaseline(std::ostream& out, const ReportContext& ctx) {
  const std::vector<std::string> fingerprints = report_detail::FingerprintsOf(ctx);
  struct Entry {
    std::string rule, object, field, file, message, fingerprint;
  };
  std::vector<Entry> entries;
  entries.reserve(ctx.findings.size());
  for (std::size_t i = 0; i < ctx.findings.size(); ++i) {
    const Finding& f = ctx.findings[i];
    // Suppressed findings are accepted where they are suppressed; recording
    // them too would keep them hidden once the suppression is removed.
    if (f.suppression) continue;
    entries.push_back({std::string(f.rule_id), f.diag.object.FullyQualifiedName(), f.diag.field,
                       report_detail::RootRelativePath(ctx, f.diag.loc), f.diag.message,
                       fingerprints[i]});
  }
  // Sorted by what a finding is about, never by line, so that a refreshed
  // baseline differs from the old one only where findings came or went.
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return std::tie(a.rule, a.object, a.field, a.fingerprint) <
           std::tie(b.rule, b.object, b.field, b.fingerprint);
  });
  Json list = Json::array();
  for (const Entry& e : entries) {
    Json j;
    j["rule"] = e.rule;
    j["object"] = e.object.empty() ? Json(nullptr) : Json(e.object);
    j["field"] = e.field;
    j["file"] = e.file.empty() ? Json(nullptr) : Json(e.file);
    j["message"] = e.message;
    j["fingerprint"] = e.fingerprint;
    list.push_back(std::move(j));
  }
  Json doc;
  doc["meshlintBaseline"] = kBaselineVersion;
  doc["comment"] =
      "Findings accepted when this baseline was written; meshlint lint --baseline FILE "
      "reports only findings not listed here. Entries match by fingerprint (rule, object, "
      "field), so moving lines or files does not invalidate them.";
  doc["findings"] = std::move(list);
  out << report_detail::Dump(doc, 2) << '\n';
}

bool ReadBaseline(std::string_view text, std::vector<std::string>& fingerprints,
                  std::string& error) {
  Json doc = Json::parse(text.begin(), text.end(), nullptr, false);
  if (doc.is_discarded()) {
    error = "not valid JSON";
    return false;
  }
  if (!doc.is_object() || !doc.contains("meshlintBaseline")) {
    error =
        "not a meshlint baseline (no \"meshlintBaseline\" key; write one with --write-baseline)";
    return false;
  }
  if (doc["meshlintBaseline"] != kBaselineVersion) {
    error = "baseline version " + doc["meshlintBaseline"].dump() + " is not supported (expected " +
            std::to_string(kBaselineVersion) + ")";
    return false;
  }
  const Json& list = doc["findings"];
  if (!list.is_array()) {
    error = "\"findings\" must be a list";
    return false;
  }
  fingerprints.clear();
  for (std::size_t i = 0; i < list.size(); ++i) {
    const Json& e = list[i];
    if (!e.is_object() || !e.contains("fingerprint") || !e["fingerprint"].is_string()) {
      error = "findings[" + std::to_string(i) + "] has no \"fingerprint\" string";
      return false;
    }
    fingerprints.push_back(e["fingerprint"].get<std::string>());
  }
  return true;
}

}  // namespace meshlint
