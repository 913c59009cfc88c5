#include <array>

#include "report/json_common.h"

namespace meshlint {
namespace report_detail {

std::string Dump(const Json& j, int indent) {
  return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string DocFirstParagraph(std::string_view doc) {
  std::string out;
  std::size_t pos = 0;
  while (pos < doc.size()) {
    std::size_t eol = doc.find('\n', pos);
    if (eol == std::string_view::npos) eol = doc.size();
    std::string_view line = doc.substr(pos, eol - pos);
    pos = eol + 1;
    if (line.empty() || line.front() == '#') {
      if (!out.empty()) break;
      continue;
    }
    if (!out.empty()) out += ' ';
    out += line;
  }
  if (out.size() > 1000) out = out.substr(0, 997) + "...";
  return out;
}

}  // namespace report_detail

using report_detail::Json;

namespace {

Json Position(const MeshModel& model, const Location& loc) {
  Json j;
  j["file"] = HasPosition(model.files, loc) ? Json(model.files.display(loc.file)) : Json(nullptr);
  j["line"] = loc.line;
  j["column"] = loc.column;
  j["endLine"] = loc.end_line;
  j["endColumn"] = loc.end_column;
  return j;
}

}  // namespace

void WriteJson(std::ostream& out, const ReportContext& ctx) {
  Json findings = Json::array();
  std::array<std::size_t, 3> by{};
  std::size_t suppressed = 0;
  const std::vector<std::string> fingerprints = report_detail::FingerprintsOf(ctx);
  for (std::size_t i = 0; i < ctx.findings.size(); ++i) {
    const Finding& f = ctx.findings[i];
    if (f.suppression) ++suppressed;
    else ++by[static_cast<int>(f.severity)];
    Json j;
    j["rule"] = f.rule_id;
    j["severity"] = SeverityName(f.severity);
    j["message"] = f.diag.message;
    j.update(Position(ctx.model, f.diag.loc));
    if (f.diag.object.empty()) {
      j["object"] = nullptr;
    } else {
      j["object"] = {
          {"kind", f.diag.object.kind},
          {"namespace", f.diag.object.ns.empty() ? Json(nullptr) : Json(f.diag.object.ns)},
          {"name", f.diag.object.name}};
    }
    j["field"] = f.diag.field;
    if (!f.environment.empty()) j["environment"] = f.environment;
    j["fingerprint"] = fingerprints[i];
    Json related = Json::array();
    for (const RelatedLocation& r : f.diag.related) {
      Json rj = Position(ctx.model, r.loc);
      rj["message"] = r.message;
      related.push_back(std::move(rj));
    }
    j["related"] = std::move(related);
    if (f.suppression)
      j["suppressed"] = {{"kind", SuppressionKindName(f.suppression->kind)},
                         {"justification", f.suppression->justification}};
    else j["suppressed"] = nullptr;
    findings.push_back(std::move(j));
  }
  const LoadStats& s = ctx.model.stats;
  Json doc;
  doc["schemaVersion"] = 1;
  doc["tool"] = {{"name", kToolName}, {"version", kToolVersion}};
  doc["findings"] = std::move(findings);
  doc["summary"] = {{"files", s.files},     {"documents", s.documents},
                    {"objects", s.objects}, {"skippedDocuments", s.skipped_non_kubernetes},
                    {"errors", by[2]},      {"warnings", by[1]},
                    {"notes", by[0]},       {"suppressed", suppressed}};
  // Only with --baseline, so the common shape stays as documented.
  if (!ctx.baseline_file.empty()) doc["summary"]["baselined"] = ctx.baselined;
  out << report_detail::Dump(doc, 2) << '\n';
}

void WriteRulesJson(std::ostream& out) {
  Json rules = Json::array();
  for (const RuleInfo& r : AllRules())
    rules.push_back({{"id", r.id},
                     {"defaultSeverity", SeverityName(r.default_severity)},
                     {"summary", r.summary}});
  out << report_detail::Dump(Json{{"rules", rules}}, 2) << '\n';
}

}  // namespace meshlint
