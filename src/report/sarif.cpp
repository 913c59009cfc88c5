#include <filesystem>
#include <map>
#include <sstream>

#include "report/json_common.h"

namespace meshlint {

using report_detail::Json;

namespace {

std::string PascalCase(std::string_view id) {
  std::string out;
  bool upper = true;
  for (char c : id) {
    if (c == '-') {
      upper = true;
      continue;
    }
    out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return out;
}

std::string PercentEncode(std::string_view path) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string_view LevelName(Severity s) {
  switch (s) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kNote: return "note";
  }
  return "warning";
}

Json RuleDescriptor(const RuleInfo& r) {
  Json j;
  j["id"] = r.id;
  j["name"] = PascalCase(r.id);
  j["shortDescription"] = {{"text", r.summary}};
  std::string full = report_detail::DocFirstParagraph(r.doc);
  j["fullDescription"] = {{"text", full.empty() ? std::string(r.summary) : full}};
  j["help"] = {{"text", r.doc}, {"markdown", r.doc}};
  j["helpUri"] = std::string(kToolUri) + "/blob/main/rules/" + std::string(r.id) + "/doc.md";
  j["defaultConfiguration"] = {{"level", LevelName(r.default_severity)}};
  Json tags = Json::array();
  std::stringstream ss{std::string(r.tags)};
  for (std::string tag; std::getline(ss, tag, ',');) tags.push_back(tag);
  Json props = {{"tags", tags}, {"precision", r.precision}};
  if (!r.security_severity.empty()) props["security-severity"] = r.security_severity;
  j["properties"] = std::move(props);
  return j;
}

class LocationWriter {
 public:
  LocationWriter(const MeshModel& model, const std::string& root) : model_(model), root_(root) {}

  Json Physical(const Location& loc) const {
    Json artifact;
    const std::string& abs = model_.files.absolute(loc.file);
    std::filesystem::path rel = std::filesystem::path(abs).lexically_relative(root_);
    if (abs == "<stdin>") {
      artifact["uri"] = "stdin";
    } else if (!rel.empty() && *rel.begin() != "..") {
      artifact["uri"] = PercentEncode(rel.generic_string());
      artifact["uriBaseId"] = "%SRCROOT%";
    } else {
      artifact["uri"] = "file://" + PercentEncode(abs);
    }
    Json region = {{"startLine", loc.line}, {"startColumn", std::max<std::uint32_t>(loc.column, 1)}};
    region["endLine"] = std::max(loc.end_line, loc.line);
    region["endColumn"] =
        std::max<std::uint32_t>(loc.end_column, std::max<std::uint32_t>(loc.column, 1) + 1);
    return {{"artifactLocation", artifact}, {"region", region}};
  }

 private:
  const MeshModel& model_;
  std::filesystem::path root_;
};

}  // namespace

void WriteSarif(std::ostream& out, const ReportContext& ctx) {
  std::map<std::string_view, std::size_t> rule_index;
  Json rules = Json::array();
  for (const RuleInfo& r : AllRules()) {
    rule_index[r.id] = rules.size();
    rules.push_back(RuleDescriptor(r));
  }

  LocationWriter where(ctx.model, ctx.source_root);
  std::map<std::string, int> seen_keys;
  Json results = Json::array();
  for (const Finding& f : ctx.findings) {
    Json res;
    res["ruleId"] = f.rule_id;
    res["ruleIndex"] = rule_index[f.rule_id];
    res["level"] = LevelName(f.severity);
    res["message"] = {{"text", f.diag.message}};
    Json location;
    if (f.diag.loc.valid()) location["physicalLocation"] = where.Physical(f.diag.loc);
    if (!f.diag.object.empty()) {
      location["logicalLocations"] = Json::array(
          {{{"name", f.diag.object.name},
            {"fullyQualifiedName", f.diag.object.FullyQualifiedName()},
            {"kind", "resource"}}});
    }
    res["locations"] = Json::array({location});
    // Identical keys (two findings on one field) get an occurrence number so
    // each fingerprint stays unique.
    std::string fp = Fingerprint(f);
    int n = ++seen_keys[fp];
    if (n > 1) fp += ":" + std::to_string(n);
    res["partialFingerprints"] = {{"meshlint/v1", fp}};
    if (!f.diag.related.empty()) {
      Json related = Json::array();
      int id = 1;
      for (const RelatedLocation& r : f.diag.related) {
        if (!r.loc.valid()) continue;
        related.push_back({{"id", id++},
                           {"physicalLocation", where.Physical(r.loc)},
                           {"message", {{"text", r.message}}}});
      }
      if (!related.empty()) res["relatedLocations"] = std::move(related);
    }
    if (f.suppression)
      res["suppressions"] = Json::array({{{"kind", SuppressionKindName(f.suppression->kind)},
                                          {"justification", f.suppression->justification}}});
    results.push_back(std::move(res));
  }

  Json invocation = {{"executionSuccessful", true}};
  if (!ctx.notifications.empty()) {
    Json notes = Json::array();
    for (const std::string& n : ctx.notifications)
      notes.push_back({{"level", "error"}, {"message", {{"text", n}}}});
    invocation["toolExecutionNotifications"] = std::move(notes);
  }

  std::string root_uri = "file://" + PercentEncode(ctx.source_root);
  if (root_uri.back() != '/') root_uri += '/';
  Json run;
  run["tool"] = {{"driver",
                  {{"name", kToolName},
                   {"semanticVersion", kToolVersion},
                   {"informationUri", kToolUri},
                   {"rules", std::move(rules)}}}};
  run["invocations"] = Json::array({invocation});
  run["originalUriBaseIds"] = {{"%SRCROOT%", {{"uri", root_uri}}}};
  run["results"] = std::move(results);

  Json doc;
  doc["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
  doc["version"] = "2.1.0";
  doc["runs"] = Json::array({run});
  out << report_detail::Dump(doc, 2) << '\n';
}

}  // namespace meshlint
