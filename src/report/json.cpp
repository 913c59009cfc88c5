#include <array>

#include "report/json_common.h"
#include "report/json_writer.h"

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

// A location's members, as the JSON output writes them into the object open.
void WritePosition(report_detail::JsonWriter& w, const MeshModel& model, const Location& loc) {
  w.Key("file");
  if (HasPosition(model.files, loc)) w.String(model.files.display(loc.file));
  else w.Null();
  w.Key("line");
  w.Unsigned(loc.line);
  w.Key("column");
  w.Unsigned(loc.column);
  w.Key("endLine");
  w.Unsigned(loc.end_line);
  w.Key("endColumn");
  w.Unsigned(loc.end_column);
}

}  // namespace

void WriteJson(std::ostream& out, const ReportContext& ctx) {
  // Written as it goes (report_detail::JsonWriter): the bytes nlohmann
  // would dump of the same document, without building it.
  std::array<std::size_t, 3> by{};
  std::size_t suppressed = 0;
  const std::vector<std::string> fingerprints = report_detail::FingerprintsOf(ctx);
  report_detail::JsonWriter w(out);
  w.BeginObject();
  w.Key("schemaVersion");
  w.Unsigned(1);
  w.Key("tool");
  w.BeginObject();
  w.Key("name");
  w.String(kToolName);
  w.Key("version");
  w.String(kToolVersion);
  w.EndObject();
  w.Key("findings");
  w.BeginArray();
  for (std::size_t i = 0; i < ctx.findings.size(); ++i) {
    const Finding& f = ctx.findings[i];
    if (f.suppression) ++suppressed;
    else ++by[static_cast<int>(f.severity)];
    w.BeginObject();
    w.Key("rule");
    w.String(f.rule_id);
    w.Key("severity");
    w.String(SeverityName(f.severity));
    w.Key("message");
    w.String(f.diag.message);
    WritePosition(w, ctx.model, f.diag.loc);
    w.Key("object");
    if (f.diag.object.empty()) {
      w.Null();
    } else {
      w.BeginObject();
      w.Key("kind");
      w.String(f.diag.object.kind);
      w.Key("namespace");
      if (f.diag.object.ns.empty()) w.Null();
      else w.String(f.diag.object.ns);
      w.Key("name");
      w.String(f.diag.object.name);
      w.EndObject();
    }
    w.Key("field");
    w.String(f.diag.field);
    if (!f.environment.empty()) {
      w.Key("environment");
      w.String(f.environment);
    }
    w.Key("fingerprint");
    w.String(fingerprints[i]);
    w.Key("related");
    w.BeginArray();
    for (const RelatedLocation& r : f.diag.related) {
      w.BeginObject();
      WritePosition(w, ctx.model, r.loc);
      w.Key("message");
      w.String(r.message);
      w.EndObject();
    }
    w.EndArray();
    w.Key("suppressed");
    if (f.suppression) {
      w.BeginObject();
      w.Key("kind");
      w.String(SuppressionKindName(f.suppression->kind));
      w.Key("justification");
      w.String(f.suppression->justification);
      w.EndObject();
    } else {
      w.Null();
    }
    w.EndObject();
  }
  w.EndArray();
  const LoadStats& s = ctx.model.stats;
  const std::pair<const char*, std::size_t> summary[] = {
      {"files", s.files},     {"documents", s.documents},
      {"objects", s.objects}, {"skippedDocuments", s.skipped_non_kubernetes},
      {"errors", by[2]},      {"warnings", by[1]},
      {"notes", by[0]},       {"suppressed", suppressed}};
  w.Key("summary");
  w.BeginObject();
  for (const auto& [key, n] : summary) {
    w.Key(key);
    w.Unsigned(n);
  }
  // Only with --baseline, so the common shape stays as documented.
  if (!ctx.baseline_file.empty()) {
    w.Key("baselined");
    w.Unsigned(ctx.baselined);
  }
  w.EndObject();
  w.EndObject();
  w.Finish();
  out << '\n';
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
