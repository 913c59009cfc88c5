#include <algorithm>
#include <filesystem>
#include <map>

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

// What SARIF calls stdin without --stdin-filename (docs/usage.md).
constexpr const char* kStdinUri = "%3Cstdin%3E";

// GitHub code scanning's limits per run and per result.
constexpr std::size_t kMaxResults = 25000;
constexpr std::size_t kMaxRelated = 1000;

// SARIF's result levels use meshlint's severity words.
constexpr std::string_view LevelName(Severity s) { return SeverityName(s); }

// help.text is read where markdown is not rendered: the doc without heading
// marks and code fences, code indented instead.
std::string PlainText(std::string_view doc) {
  std::string out;
  bool in_code = false;
  std::size_t pos = 0;
  while (pos < doc.size()) {
    std::size_t eol = doc.find('\n', pos);
    if (eol == std::string_view::npos) eol = doc.size();
    std::string_view line = doc.substr(pos, eol - pos);
    pos = eol + 1;
    if (line.starts_with("```")) {
      in_code = !in_code;
      continue;
    }
    if (in_code) {
      out += "    ";
    } else if (line.starts_with('#')) {
      while (line.starts_with('#')) line.remove_prefix(1);
      if (line.starts_with(' ')) line.remove_prefix(1);
    }
    out += line;
    out += '\n';
  }
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

Json RuleDescriptor(const RuleInfo& r) {
  Json j;
  j["id"] = r.id;
  j["name"] = PascalCase(r.id);
  j["shortDescription"] = {{"text", r.summary}};
  std::string full = report_detail::DocFirstParagraph(r.doc);
  j["fullDescription"] = {{"text", full.empty() ? std::string(r.summary) : full}};
  if (r.doc.empty()) {
    j["help"] = {{"text", r.summary}, {"markdown", r.summary}};
  } else {
    j["help"] = {{"text", PlainText(r.doc)}, {"markdown", r.doc}};
  }
  j["helpUri"] = std::string(kToolUri) + "/blob/main/rules/" + std::string(r.id) + "/doc.md";
  j["defaultConfiguration"] = {{"level", LevelName(r.default_severity)}};
  Json tags = Json::array();
  for (std::string_view tag : r.tags) tags.push_back(tag);
  Json props = {{"tags", tags}, {"precision", PrecisionName(r.precision)}};
  if (r.security_severity) props["security-severity"] = SecuritySeverityText(*r.security_severity);
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
      // No file of the repository (--stdin-filename names one): the name the
      // text report shows, percent-encoded into a relative URI reference no
      // file in a checkout is likely to have, said to be stdin.
      artifact["uri"] = kStdinUri;
      artifact["description"] = {
          {"text", "standard input; name the file it stands for with --stdin-filename"}};
    } else if (!rel.empty() && *rel.begin() != "..") {
      artifact["uri"] = PercentEncode(rel.generic_string());
      artifact["uriBaseId"] = "%SRCROOT%";
    } else {
      artifact["uri"] = "file://" + PercentEncode(abs);
    }
    Json region = {{"startLine", loc.line},
                   {"startColumn", std::max<std::uint32_t>(loc.column, 1)}};
    region["endLine"] = std::max(loc.end_line, loc.line);
    region["endColumn"] =
        std::max<std::uint32_t>(loc.end_column, std::max<std::uint32_t>(loc.column, 1) + 1);
    return {{"artifactLocation", artifact}, {"region", region}};
  }

 private:
  const MeshModel& model_;
  std::filesystem::path root_;
};

// GitHub rejects a run with more than kMaxResults results: the indices of the
// findings kept (the most severe, in report order); `omitted` counts the rest.
std::vector<std::size_t> KeptResults(const ReportContext& ctx, std::size_t& omitted) {
  std::vector<std::size_t> kept(ctx.findings.size());
  for (std::size_t i = 0; i < kept.size(); ++i) kept[i] = i;
  omitted = 0;
  if (kept.size() > kMaxResults) {
    std::stable_sort(kept.begin(), kept.end(), [&](std::size_t a, std::size_t b) {
      return ctx.findings[a].severity > ctx.findings[b].severity;
    });
    omitted = kept.size() - kMaxResults;
    kept.resize(kMaxResults);
    std::sort(kept.begin(), kept.end());
  }
  return kept;
}

// One result. A finding without a position (project-level, or from stdin
// with no name) has its object as the only location: a location with a
// logical but no physical location passes GitHub's ingestion rules, where a
// result without any location does not.
Json Result(const ReportContext& ctx, const Finding& f, std::size_t rule_index,
            const std::string& fingerprint, const LocationWriter& where) {
  Json res;
  res["ruleId"] = f.rule_id;
  res["ruleIndex"] = rule_index;
  res["level"] = LevelName(f.severity);
  res["message"] = {{"text", f.diag.message}};
  Json location;
  if (HasPosition(ctx.model.files, f.diag.loc))
    location["physicalLocation"] = where.Physical(f.diag.loc);
  if (!f.diag.object.empty()) {
    location["logicalLocations"] =
        Json::array({{{"name", f.diag.object.name},
                      {"fullyQualifiedName", f.diag.object.FullyQualifiedName()},
                      {"kind", "resource"}}});
  }
  // An empty location object is worse than none (the guide: no empty
  // objects); a finding always has one or the other in practice.
  if (!location.empty()) res["locations"] = Json::array({location});
  res["partialFingerprints"] = {{"meshlint/v1", fingerprint}};
  if (!ctx.baseline_file.empty()) res["baselineState"] = "new";
  if (!f.environment.empty()) res["properties"] = {{"environment", f.environment}};
  Json related = Json::array();
  int id = 1;
  for (const RelatedLocation& r : f.diag.related) {
    if (!HasPosition(ctx.model.files, r.loc)) continue;
    if (related.size() == kMaxRelated) break;  // GitHub's limit per result
    Json rel = {{"id", id++}, {"physicalLocation", where.Physical(r.loc)}};
    if (!r.message.empty()) rel["message"] = {{"text", r.message}};
    related.push_back(std::move(rel));
  }
  if (!related.empty()) res["relatedLocations"] = std::move(related);
  if (f.suppression)
    res["suppressions"] = Json::array({{{"kind", SuppressionKindName(f.suppression->kind)},
                                        {"justification", f.suppression->justification}}});
  return res;
}

Json Notification(std::string_view level, std::string_view id, const std::string& text) {
  return {{"level", level}, {"descriptor", {{"id", id}}}, {"message", {{"text", text}}}};
}

// Problems that are not findings. Unusable inputs mean the run did not check
// what it was asked to: the execution did not succeed (exit 2).
Json Notifications(const ReportContext& ctx, std::size_t omitted) {
  Json notes = Json::array();
  for (const Problem& p : ctx.problems) {
    std::string text = ProblemText(ctx.model.files, p);
    if (!text.empty() && text.back() != '.') text += '.';
    notes.push_back(Notification("error", "input-error", text));
  }
  if (const std::size_t skipped = ctx.model.stats.skipped_non_kubernetes) {
    notes.push_back(
        Notification("note", "skipped-documents",
                     std::to_string(skipped) + " YAML document" +
                         (skipped == 1 ? " has" : "s have") + " no apiVersion and kind and " +
                         (skipped == 1 ? "was" : "were") + " skipped as not Kubernetes objects."));
  }
  if (omitted) {
    notes.push_back(Notification(
        "warning", "results-omitted",
        std::to_string(omitted) + " of " + std::to_string(ctx.findings.size()) +
            " findings are left out of this SARIF log, which GitHub accepts with at most " +
            std::to_string(kMaxResults) +
            " results; the least severe were dropped. Use a baseline or the JSON output for the "
            "full list."));
  }
  if (ctx.baselined) {
    notes.push_back(Notification("note", "baselined-findings",
                                 std::to_string(ctx.baselined) + " finding" +
                                     (ctx.baselined == 1 ? " is" : "s are") + " in the baseline " +
                                     ctx.baseline_file + " and not reported."));
  }
  return notes;
}

}  // namespace

void WriteSarif(std::ostream& out, const ReportContext& ctx) {
  std::map<std::string_view, std::size_t> rule_index;
  Json rules = Json::array();
  for (const RuleInfo& r : AllRules()) {
    rule_index[r.id] = rules.size();
    rules.push_back(RuleDescriptor(r));
  }

  const LocationWriter where(ctx.model, ctx.source_root);
  const std::vector<std::string> fingerprints = report_detail::FingerprintsOf(ctx);
  std::size_t omitted = 0;
  Json results = Json::array();
  for (std::size_t i : KeptResults(ctx, omitted)) {
    const Finding& f = ctx.findings[i];
    results.push_back(Result(ctx, f, rule_index[f.rule_id], fingerprints[i], where));
  }

  Json invocation = {{"executionSuccessful", ctx.problems.empty()}};
  if (Json notes = Notifications(ctx, omitted); !notes.empty())
    invocation["toolExecutionNotifications"] = std::move(notes);

  std::string root_uri = "file://" + PercentEncode(ctx.source_root);
  if (root_uri.back() != '/') root_uri += '/';
  Json run;
  run["tool"] = {{"driver",
                  {{"name", kToolName},
                   {"semanticVersion", kToolVersion},
                   {"informationUri", kToolUri},
                   {"rules", std::move(rules)}}}};
  if (!ctx.automation_id.empty()) run["automationDetails"] = {{"id", ctx.automation_id}};
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
