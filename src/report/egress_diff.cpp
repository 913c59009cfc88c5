// `meshlint egress --base` as text and JSON.
#include "report/egress_diff.h"

#include "report/json_common.h"
#include "report/report.h"

namespace meshlint {

using egress::Change;
using egress::DiffEntry;
using egress::EgressDiff;
using egress::Reason;
using report_detail::Json;

std::string Plural(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

namespace {

std::string Where(const std::string& file, std::uint32_t line, std::uint32_t column) {
  if (file.empty()) return "";
  return TerminalSafe(file) + ":" + std::to_string(line) + ":" + std::to_string(column);
}

std::string ChangeText(const Change& c) {
  std::string out = std::string(egress::ChangeWord(c.what)) + " " + TerminalSafe(c.object);
  const std::string at = Where(c.file, c.line, c.column);
  if (!at.empty()) out += " (" + at + (c.on_base ? " in the base" : "") + ")";
  return out;
}

void TextEntries(std::ostream& out, const char* title, const std::vector<DiffEntry>& entries) {
  if (entries.empty()) return;
  out << '\n' << title << " (" << entries.size() << "):\n";
  for (const DiffEntry& e : entries) {
    out << "  " << TerminalSafe(egress::SourceName(e.pair)) << " -> "
        << TerminalSafe(egress::TargetName(e.pair));
    if (e.allowed) out << (*e.allowed ? "  (allowed by policy)" : "  NOT ALLOWED by policy");
    out << '\n';
    if (!e.explained) continue;
    for (std::size_t i = 0; i < e.reasons.size(); ++i) {
      const Reason& r = e.reasons[i];
      out << "    " << i + 1 << ". ";
      const std::string at = Where(r.file, r.line, r.column);
      if (!at.empty()) out << at << ": ";
      out << TerminalSafe(r.text) << '\n';
    }
    if (e.changes.empty()) {
      out << "    changed: no single changed object found behind it\n";
    }
    for (const Change& c : e.changes) out << "    changed: " << ChangeText(c) << '\n';
  }
  std::size_t unexplained = 0;
  for (const DiffEntry& e : entries) unexplained += e.explained ? 0 : 1;
  if (unexplained)
    out << "  (" << unexplained << " past the first " << egress::kMaxExplainedPairs
        << " listed without reasons)\n";
}

Json Position(const std::string& file, std::uint32_t line, std::uint32_t column, Json& into) {
  into["file"] = file.empty() ? Json(nullptr) : Json(file);
  into["line"] = file.empty() ? Json(nullptr) : Json(line);
  into["column"] = file.empty() ? Json(nullptr) : Json(column);
  return into;
}

Json ChangeJson(const Change& c) {
  Json j = {{"change", egress::ChangeWord(c.what)},
            {"object", c.object},
            {"side", c.on_base ? "base" : "head"}};
  return Position(c.file, c.line, c.column, j);
}

Json EntryJson(const DiffEntry& e) {
  Json j = {{"namespace", e.pair.ns}};
  if (!e.pair.workload.empty()) j["workload"] = e.pair.workload;
  j["host"] = e.pair.host;
  if (e.pair.port) j["port"] = e.pair.port;
  if (!e.pair.protocol.empty()) j["protocol"] = e.pair.protocol;
  if (e.allowed) j["allowedByPolicy"] = *e.allowed;
  if (!e.explained) j["explained"] = false;
  Json reasons = Json::array();
  for (const Reason& r : e.reasons) {
    Json rj = {{"text", r.text}};
    reasons.push_back(Position(r.file, r.line, r.column, rj));
  }
  j["reasons"] = std::move(reasons);
  Json changes = Json::array();
  for (const Change& c : e.changes) changes.push_back(ChangeJson(c));
  j["changes"] = std::move(changes);
  return j;
}

}  // namespace

std::string DiffCounts(const EgressDiff& d) {
  return Plural(d.opened.size(), "pair", "pairs") + " opened, " + std::to_string(d.closed.size()) +
         " closed, " + std::to_string(d.unchanged) + " unchanged";
}

void WriteEgressDiffText(std::ostream& out, const EgressDiff& d, const DiffLabels& labels) {
  out << "Egress change: base " << TerminalSafe(labels.base);
  if (!labels.base_commit.empty()) out << " (" << labels.base_commit.substr(0, 12) << ")";
  out << " -> " << TerminalSafe(labels.head) << "\n" << DiffCounts(d) << ".\n";
  TextEntries(out, "Opened", d.opened);
  TextEntries(out, "Closed", d.closed);
  if (!d.changes.empty()) {
    out << "\nChanged objects (" << d.changes.size() << "):\n";
    for (const Change& c : d.changes) out << "  " << ChangeText(c) << '\n';
  }
}

void WriteEgressDiffJson(std::ostream& out, const EgressDiff& d, const DiffLabels& labels) {
  Json doc;
  doc["schemaVersion"] = 1;
  doc["base"] = labels.base;
  if (!labels.base_commit.empty()) doc["baseCommit"] = labels.base_commit;
  doc["head"] = labels.head;
  Json opened = Json::array(), closed = Json::array(), changes = Json::array();
  for (const DiffEntry& e : d.opened) opened.push_back(EntryJson(e));
  for (const DiffEntry& e : d.closed) closed.push_back(EntryJson(e));
  for (const Change& c : d.changes) changes.push_back(ChangeJson(c));
  doc["opened"] = std::move(opened);
  doc["closed"] = std::move(closed);
  doc["unchanged"] = d.unchanged;
  doc["changes"] = std::move(changes);
  out << report_detail::Dump(doc, 2) << '\n';
}

}  // namespace meshlint
