// `meshlint egress --format markdown`: a pull-request comment (with --base)
// or a picture of the mesh, with a ```mermaid graph GitHub and GitLab draw.
// Everything from a manifest is escaped; the text is cut by whole blocks and
// rows so that it always stays valid Markdown under the size limit.
#include <cctype>
#include <sstream>

#include "report/egress_diff.h"
#include "report/egress_graph.h"

namespace meshlint {

using egress::Change;
using egress::DiffEntry;
using egress::EgressDiff;
using egress::Pair;

namespace {

constexpr std::size_t kMaxGraphEdges = 60;

// Text for a table cell or a sentence: nothing in it can start Markdown or
// HTML, nor end the cell.
std::string Md(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '\n':
      case '\r':
      case '\t': out += ' '; break;
      case '|':
      case '\\':
      case '*':
      case '_':
      case '`':
      case '[':
      case ']':
      case '#':
      case '~':
      case '!':
      case '(':
      case ')':
      case '{':
      case '}':
      case '$':
      case '^':
        out += '\\';
        out += c;
        break;
      default:
        if (static_cast<unsigned char>(c) >= 0x20) out += c;
    }
  }
  return out;
}

// A relative link target: '/'-separated path, percent-encoded.
std::string Href(std::string_view path, std::uint32_t line) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '/' || c == '.' || c == '-' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  if (line) out += "#L" + std::to_string(line);
  return out;
}

std::string Link(const std::string& file, std::uint32_t line) {
  if (file.empty()) return "";
  return "[" + Md(file) + ":" + std::to_string(line) + "](" + Href(file, line) + ")";
}

// A Mermaid label: in double quotes, with Mermaid's entity codes.
std::string MermaidLabel(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '"': out += "#quot;"; break;
      case '<': out += "#lt;"; break;
      case '>': out += "#gt;"; break;
      case '#': out += "#35;"; break;
      case '&': out += "#amp;"; break;
      case '\n':
      case '\r':
      case '\t': out += ' '; break;
      default:
        if (static_cast<unsigned char>(c) >= 0x20) out += c;
    }
  }
  return out;
}

std::string Mermaid(const EgressGraph& g) {
  std::ostringstream out;
  out << "```mermaid\nflowchart LR\n";
  for (std::size_t i = 0; i < g.nodes.size(); ++i) {
    const GraphNode& n = g.nodes[i];
    out << "  n" << i << (n.host ? "([\"" : "[\"") << MermaidLabel(n.Label())
        << (n.host ? "\"])" : "\"]") << '\n';
  }
  for (const GraphEdge& e : g.edges) {
    const char* word = e.kind == EdgeKind::kOpened   ? "opened"
                       : e.kind == EdgeKind::kClosed ? "closed"
                                                     : "";
    out << "  n" << e.from << (e.kind == EdgeKind::kClosed ? " -.->" : " -->");
    if (*word || e.pairs > 1) {
      std::string label = word;
      if (e.pairs > 1) label += std::string(*word ? " " : "") + std::to_string(e.pairs) + " pairs";
      out << "|\"" << label << "\"|";
    }
    out << " n" << e.to << '\n';
  }
  for (std::size_t i = 0; i < g.edges.size(); ++i) {
    if (g.edges[i].kind == EdgeKind::kOpened)
      out << "  linkStyle " << i << " stroke:#cf222e,stroke-width:2px\n";
    if (g.edges[i].kind == EdgeKind::kClosed)
      out << "  linkStyle " << i << " stroke:#1a7f37,stroke-width:2px\n";
  }
  out << "  classDef source fill:#ddf4ff,stroke:#0969da,color:#0a3069\n"
         "  classDef host fill:#f6f8fa,stroke:#57606a,color:#24292f\n";
  std::string sources, hosts;
  for (std::size_t i = 0; i < g.nodes.size(); ++i)
    (g.nodes[i].host ? hosts : sources) +=
        (((g.nodes[i].host ? hosts : sources).empty()) ? "" : ",") + ("n" + std::to_string(i));
  if (!sources.empty()) out << "  class " << sources << " source\n";
  if (!hosts.empty()) out << "  class " << hosts << " host\n";
  out << "```\n";
  if (g.dropped_edges)
    out << "\n_The graph leaves out " << g.dropped_edges << " more edges (" << g.dropped_pairs
        << " pairs)._\n";
  return out.str();
}

// A box's members for a table cell: the first 30, then a count, so one row
// of a large mesh stays far below the comment's limit.
std::string Names(const GraphNode& n) {
  constexpr std::size_t kShown = 30;
  std::string out;
  for (std::size_t i = 0; i < n.members.size() && i < kShown; ++i)
    out += (i ? ", " : "") + Md(n.members[i]);
  if (n.members.size() > kShown)
    out += " and " + std::to_string(n.members.size() - kShown) + " more";
  return out;
}

std::string ChangeCell(const DiffEntry& e) {
  if (!e.explained) return "";
  std::string out;
  for (const Change& c : e.changes) {
    if (!out.empty()) out += "<br>";
    out += std::string(egress::ChangeWord(c.what)) + " " + Md(c.object);
    if (!c.file.empty())
      out += " (" + Link(c.file, c.line) + (c.on_base ? " in the base" : "") + ")";
  }
  return out;
}

std::string WhyCell(const DiffEntry& e) {
  if (!e.explained)
    return "_not explained: over " + std::to_string(egress::kMaxExplainedPairs) + " pairs_";
  std::string out;
  for (const egress::Reason& r : e.reasons) {
    if (!out.empty()) out += "<br>";
    if (!r.file.empty()) out += Link(r.file, r.line) + " ";
    out += Md(r.text);
  }
  return out;
}

std::string Row(const DiffEntry& e, bool opened) {
  std::string policy;
  if (e.allowed) policy = *e.allowed ? " (allowed)" : " **not allowed**";
  return std::string("| ") + (opened ? "🔴 opened" : "🟢 closed") + policy + " | " +
         Md(egress::SourceName(e.pair)) + " | " + Md(egress::TargetName(e.pair)) + " | " +
         WhyCell(e) + " | " + ChangeCell(e) + " |\n";
}

std::string Summary(const EgressDiff& d) {
  std::size_t denied = 0;
  for (const DiffEntry& e : d.opened) denied += e.allowed && !*e.allowed ? 1 : 0;
  std::string out;
  if (d.opened.empty() && d.closed.empty())
    return "This change opens and closes no egress path (" + Plural(d.unchanged, "pair", "pairs") +
           " unchanged).";
  if (!d.opened.empty()) {
    out = "This change lets workloads reach **" + std::to_string(d.opened.size()) + "** external " +
          (d.opened.size() == 1 ? "destination" : "destinations") + " they could not reach before";
    if (denied) out += ", **" + std::to_string(denied) + " not allowed** by the egress policy";
    out += d.closed.empty() ? "." : ", and closes " + std::to_string(d.closed.size()) + ".";
  } else {
    out = "This change opens nothing and closes " + std::to_string(d.closed.size()) + " egress " +
          (d.closed.size() == 1 ? "path." : "paths.");
  }
  return out + " " + Plural(d.unchanged, "pair", "pairs") + " unchanged.";
}

// Appends `rows` to `out` while they fit in `limit` with `tail` after them;
// the rows left out are counted in a last line.
void FitRows(std::string& out, const std::vector<std::string>& rows, const std::string& tail,
             std::size_t limit, const std::string& what) {
  std::size_t i = 0;
  const std::size_t reserve = tail.size() + 200;
  for (; i < rows.size(); ++i) {
    if (out.size() + rows[i].size() + reserve > limit) break;
    out += rows[i];
  }
  if (i < rows.size())
    out += "\n_" + std::to_string(rows.size() - i) + " more " + what +
           " left out to fit a comment; the JSON report (`--format json`) lists them all._\n";
}

}  // namespace

void WriteEgressDiffMarkdown(std::ostream& os, const EgressDiff& d, const DiffLabels& labels,
                             std::size_t limit) {
  std::string out = "<!-- meshlint egress diff -->\n### Egress: " + DiffCounts(d) + "\n\n" +
                    Summary(d) + "\n\nBase: " + Md(labels.base);
  if (!labels.base_commit.empty()) out += " (" + labels.base_commit.substr(0, 12) + ")";
  out += "; head: " + Md(labels.head) + ".\n";
  std::vector<std::pair<Pair, EdgeKind>> edges;
  for (const DiffEntry& e : d.opened) edges.push_back({e.pair, EdgeKind::kOpened});
  for (const DiffEntry& e : d.closed) edges.push_back({e.pair, EdgeKind::kClosed});
  const std::string tail = "\n<sub>meshlint egress --base</sub>\n";
  if (!edges.empty()) {
    const std::string graph = "\n" + Mermaid(BuildGraph(edges, kMaxGraphEdges));
    if (out.size() + graph.size() + tail.size() + 1000 < limit) out += graph;
    std::vector<std::string> rows;
    for (const DiffEntry& e : d.opened) rows.push_back(Row(e, true));
    for (const DiffEntry& e : d.closed) rows.push_back(Row(e, false));
    out += "\n| | From | To | Why, on the head | Changed |\n| --- | --- | --- | --- | --- |\n";
    FitRows(out, rows, tail, limit, "pairs");
  } else if (!d.changes.empty()) {
    // Nothing moved, yet objects changed (a ServiceEntry removed under
    // ALLOW_ANY): say which, so the comment does not read as "no change".
    constexpr std::size_t kShown = 30;
    out += "\nChanged objects, none of which moves a pair:\n\n";
    for (std::size_t i = 0; i < d.changes.size() && i < kShown; ++i) {
      const Change& c = d.changes[i];
      out += "- " + std::string(egress::ChangeWord(c.what)) + " " + Md(c.object);
      if (!c.file.empty())
        out += " (" + Link(c.file, c.line) + (c.on_base ? " in the base" : "") + ")";
      out += "\n";
    }
    if (d.changes.size() > kShown)
      out += "- and " + std::to_string(d.changes.size() - kShown) + " more\n";
  }
  out += tail;
  os << out;
}

namespace {

// The picture of `all` (every edge) and `drawn` (at most kMaxGraphEdges).
void WritePicture(std::ostream& os, const EgressGraph& all, const EgressGraph& drawn,
                  std::size_t pairs, std::size_t limit) {
  std::size_t sources = 0, hosts = 0;
  for (const GraphNode& n : all.nodes) (n.host ? hosts : sources) += n.members.size();
  std::string out = "<!-- meshlint egress -->\n### Egress: " + std::to_string(sources) +
                    (sources == 1 ? " source reaches " : " sources reach ") +
                    std::to_string(hosts) + " external " +
                    (hosts == 1 ? "destination" : "destinations") + "\n\n" + std::to_string(pairs) +
                    " pairs in all; sources that reach the same hosts are one box, "
                    "and so are hosts reached by the same sources.\n";
  const std::string tail = "\n<sub>meshlint egress</sub>\n";
  if (pairs) {
    const std::string graph = "\n" + Mermaid(drawn);
    if (out.size() + graph.size() + tail.size() + 1000 < limit) out += graph;
    std::vector<std::string> rows;
    for (const GraphEdge& e : all.edges)
      rows.push_back("| " + Names(all.nodes[e.from]) + " | " + Names(all.nodes[e.to]) + " |\n");
    out += "\n| From | Reaches |\n| --- | --- |\n";
    FitRows(out, rows, tail, limit, "rows");
  } else {
    out += "\nNo source reaches any external host.\n";
  }
  out += tail;
  os << out;
}

}  // namespace

void WriteEgressPictureMarkdown(std::ostream& os, const std::vector<Pair>& pairs,
                                std::size_t limit) {
  std::vector<std::pair<Pair, EdgeKind>> edges;
  for (const Pair& p : pairs) edges.push_back({p, EdgeKind::kReaches});
  WritePicture(os, BuildGraph(edges, edges.size()), BuildGraph(edges, kMaxGraphEdges), pairs.size(),
               limit);
}

void WriteEgressPictureMarkdown(std::ostream& os, const std::vector<egress::SourceTargets>& sources,
                                std::size_t limit) {
  std::size_t pairs = 0;
  for (const egress::SourceTargets& s : sources) pairs += s.size();
  WritePicture(os, BuildReachGraph(sources, static_cast<std::size_t>(-1)),
               BuildReachGraph(sources, kMaxGraphEdges), pairs, limit);
}

}  // namespace meshlint
