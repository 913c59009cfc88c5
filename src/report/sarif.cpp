#include <algorithm>
#include <filesystem>
#include <map>

#include "report/json_common.h"
#include "report/json_writer.h"

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

// physicalLocation objects, written into the writer. Where a file's URI
// points is worked out once per file, not once per location.
class LocationWriter {
 public:
  LocationWriter(const MeshModel& model, const std::string& root)
      : model_(model), root_(root), root_text_(root), artifacts_(model.files.size()) {}

  void Physical(report_detail::JsonWriter& w, const Location& loc) const {
    const Artifact& artifact = ArtifactOf(loc.file);
    w.BeginObject();
    w.Key("artifactLocation");
    w.BeginObject();
    w.Key("uri");
    w.String(artifact.uri);
    if (artifact.kind == Artifact::kStdin) {
      // No file of the repository (--stdin-filename names one): the name the
      // text report shows, percent-encoded into a relative URI reference no
      // file in a checkout is likely to have, said to be stdin.
      w.Key("description");
      w.BeginObject();
      w.Key("text");
      w.String("standard input; name the file it stands for with --stdin-filename");
      w.EndObject();
    } else if (artifact.kind == Artifact::kRelative) {
      w.Key("uriBaseId");
      w.String("%SRCROOT%");
    }
    w.EndObject();
    w.Key("region");
    w.BeginObject();
    w.Key("startLine");
    w.Unsigned(loc.line);
    w.Key("startColumn");
    w.Unsigned(std::max<std::uint32_t>(loc.column, 1));
    w.Key("endLine");
    w.Unsigned(std::max(loc.end_line, loc.line));
    w.Key("endColumn");
    w.Unsigned(std::max<std::uint32_t>(loc.end_column, std::max<std::uint32_t>(loc.column, 1) + 1));
    w.EndObject();
    w.EndObject();
  }

 private:
  struct Artifact {
    enum Kind { kUnknown, kStdin, kRelative, kAbsolute };
    Kind kind = kUnknown;
    std::string uri;
  };

  const Artifact& ArtifactOf(std::uint32_t file) const {
    Artifact& a = artifacts_.at(file);
    if (a.kind != Artifact::kUnknown) return a;
    const std::string& abs = model_.files.absolute(file);
    if (std::string_view below; PlainlyPlaced(abs, below)) {
      if (below.empty()) a = {Artifact::kAbsolute, "file://" + PercentEncode(abs)};
      else a = {Artifact::kRelative, PercentEncode(below)};
      return a;
    }
    std::filesystem::path rel = std::filesystem::path(abs).lexically_relative(root_);
    if (abs == "<stdin>") {
      a = {Artifact::kStdin, kStdinUri};
    } else if (!rel.empty() && *rel.begin() != "..") {
      a = {Artifact::kRelative, PercentEncode(rel.generic_string())};
    } else {
      a = {Artifact::kAbsolute, "file://" + PercentEncode(abs)};
    }
    return a;
  }

  // Whether `path` is absolute with no empty, "." or ".." segment: then
  // where it lies against another such path shows in the text.
  static bool Plain(std::string_view path) {
    if (path.empty() || path.front() != '/') return false;
    if (path == "/") return true;
    for (std::size_t from = 1; from <= path.size();) {
      std::size_t slash = path.find('/', from);
      if (slash == std::string_view::npos) slash = path.size();
      const std::string_view segment = path.substr(from, slash - from);
      if (segment.empty() || segment == "." || segment == "..") return false;
      from = slash + 1;
    }
    return true;
  }

  // Where `abs` lies against the root, as lexically_relative would say,
  // when both are Plain: below it (`below` set to the relative path) or
  // outside it (true, `below` empty). False: left to std::filesystem.
  bool PlainlyPlaced(std::string_view abs, std::string_view& below) const {
    const std::string_view root = root_text_;
    below = {};
    if (!Plain(root) || !Plain(abs) || abs == root) return false;
    if (root == "/") {
      below = abs.substr(1);
      return true;
    }
    if (abs.size() > root.size() && abs.starts_with(root) && abs[root.size()] == '/')
      below = abs.substr(root.size() + 1);
    return true;
  }

  const MeshModel& model_;
  std::filesystem::path root_;
  std::string root_text_;
  mutable std::vector<Artifact> artifacts_;
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
void WriteResult(report_detail::JsonWriter& w, const ReportContext& ctx, const Finding& f,
                 std::size_t rule_index, const std::string& fingerprint,
                 const LocationWriter& where) {
  w.BeginObject();
  w.Key("ruleId");
  w.String(f.rule_id);
  w.Key("ruleIndex");
  w.Unsigned(rule_index);
  w.Key("level");
  w.String(LevelName(f.severity));
  w.Key("message");
  w.BeginObject();
  w.Key("text");
  w.String(f.diag.message);
  w.EndObject();
  const bool physical = HasPosition(ctx.model.files, f.diag.loc);
  const bool logical = !f.diag.object.empty();
  // An empty location object is worse than none (the guide: no empty
  // objects); a finding always has one or the other in practice.
  if (physical || logical) {
    w.Key("locations");
    w.BeginArray();
    w.BeginObject();
    if (physical) {
      w.Key("physicalLocation");
      where.Physical(w, f.diag.loc);
    }
    if (logical) {
      w.Key("logicalLocations");
      w.BeginArray();
      w.BeginObject();
      w.Key("name");
      w.String(f.diag.object.name);
      w.Key("fullyQualifiedName");
      w.String(f.diag.object.FullyQualifiedName());
      w.Key("kind");
      w.String("resource");
      w.EndObject();
      w.EndArray();
    }
    w.EndObject();
    w.EndArray();
  }
  w.Key("partialFingerprints");
  w.BeginObject();
  w.Key("meshlint/v1");
  w.String(fingerprint);
  w.EndObject();
  if (!ctx.baseline_file.empty()) {
    w.Key("baselineState");
    w.String("new");
  }
  if (!f.environment.empty()) {
    w.Key("properties");
    w.BeginObject();
    w.Key("environment");
    w.String(f.environment);
    w.EndObject();
  }
  std::size_t written = 0;
  for (const RelatedLocation& r : f.diag.related) {
    if (!HasPosition(ctx.model.files, r.loc)) continue;
    if (written == kMaxRelated) break;  // GitHub's limit per result
    if (written == 0) {
      w.Key("relatedLocations");
      w.BeginArray();
    }
    ++written;
    w.BeginObject();
    w.Key("id");
    w.Unsigned(written);
    w.Key("physicalLocation");
    where.Physical(w, r.loc);
    if (!r.message.empty()) {
      w.Key("message");
      w.BeginObject();
      w.Key("text");
      w.String(r.message);
      w.EndObject();
    }
    w.EndObject();
  }
  if (written) w.EndArray();
  if (f.suppression) {
    w.Key("suppressions");
    w.BeginArray();
    w.BeginObject();
    w.Key("kind");
    w.String(SuppressionKindName(f.suppression->kind));
    w.Key("justification");
    w.String(f.suppression->justification);
    w.EndObject();
    w.EndArray();
  }
  w.EndObject();
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
  const std::vector<std::size_t> kept = KeptResults(ctx, omitted);

  Json invocation = {{"executionSuccessful", ctx.problems.empty()}};
  if (Json notes = Notifications(ctx, omitted); !notes.empty())
    invocation["toolExecutionNotifications"] = std::move(notes);

  std::string root_uri = "file://" + PercentEncode(ctx.source_root);
  if (root_uri.back() != '/') root_uri += '/';
  const Json tool = {{"driver",
                      {{"name", kToolName},
                       {"semanticVersion", kToolVersion},
                       {"informationUri", kToolUri},
                       {"rules", std::move(rules)}}}};
  const Json base_ids = {{"%SRCROOT%", {{"uri", root_uri}}}};

  // The results, nearly all of the log, are written as they go
  // (report_detail::JsonWriter); the rest is built with nlohmann.
  report_detail::JsonWriter w(out);
  w.BeginObject();
  w.Key("$schema");
  w.String("https://json.schemastore.org/sarif-2.1.0.json");
  w.Key("version");
  w.String("2.1.0");
  w.Key("runs");
  w.BeginArray();
  w.BeginObject();
  w.Key("tool");
  w.Raw(tool);
  if (!ctx.automation_id.empty()) {
    w.Key("automationDetails");
    w.BeginObject();
    w.Key("id");
    w.String(ctx.automation_id);
    w.EndObject();
  }
  w.Key("invocations");
  w.BeginArray();
  w.Raw(invocation);
  w.EndArray();
  w.Key("originalUriBaseIds");
  w.Raw(base_ids);
  w.Key("results");
  w.BeginArray();
  for (std::size_t i : kept) {
    const Finding& f = ctx.findings[i];
    WriteResult(w, ctx, f, rule_index[f.rule_id], fingerprints[i], where);
  }
  w.EndArray();
  w.EndObject();
  w.EndArray();
  w.EndObject();
  w.Finish();
  out << '\n';
}

}  // namespace meshlint
