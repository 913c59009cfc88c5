#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>

#include "report/report.h"

namespace meshlint {

namespace {

// Length of the valid UTF-8 sequence at s[i], or 0 when the bytes there are
// not one (stray continuation, overlong, surrogate, past U+10FFFF, cut off).
std::size_t Utf8Length(std::string_view s, std::size_t i, char32_t& cp) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char c = b(0);
  std::size_t len = c < 0x80             ? 1
                    : (c & 0xE0) == 0xC0 ? 2
                    : (c & 0xF0) == 0xE0 ? 3
                    : (c & 0xF8) == 0xF0 ? 4
                                         : 0;
  if (len == 0 || i + len > s.size()) return 0;
  cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
  for (std::size_t k = 1; k < len; ++k) {
    if ((b(k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b(k) & 0x3F);
  }
  static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

// Code points a terminal acts on or that reorder what is shown: C0 and C1
// controls (ESC, and U+009B, a one-character CSI), DEL, and the bidirectional
// embeddings, overrides and isolates ("Trojan Source").
bool IsUnsafe(char32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F || cp == 0x061C;
}

}  // namespace

namespace {

// Whether every byte of `text` is printable ASCII (0x20..0x7E), which
// TerminalSafe leaves as it is: nearly every string of a report. No early
// exit, so that the compiler checks many bytes at a time.
bool PlainAscii(std::string_view text) {
  unsigned char bad = 0;
  for (const char c : text)
    bad |= static_cast<unsigned char>(static_cast<unsigned char>(c) - 0x20) > 0x5E;
  return bad == 0;
}

}  // namespace

void AppendTerminalSafe(std::string& out, std::string_view text) {
  if (PlainAscii(text)) {
    out.append(text);
    return;
  }
  char buf[16];
  // Printable ASCII, nearly all of any report, is copied a run at a time:
  // decoding it byte by byte was a tenth of a lint run with many findings.
  const auto printable = [](char c) { return c >= 0x20 && c < 0x7F; };
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t run =
        std::find_if_not(text.begin() + i, text.end(), printable) - text.begin();
    out.append(text, i, run - i);
    i = run;
    if (i == text.size()) break;
    char32_t cp = 0;
    std::size_t len = Utf8Length(text, i, cp);
    if (len == 0) {  // not UTF-8 (a file name can be any bytes): one byte shown
      std::snprintf(buf, sizeof buf, "\\x%02X", static_cast<unsigned char>(text[i]));
      out += buf;
      ++i;
    } else if (IsUnsafe(cp)) {
      if (cp < 0x80) std::snprintf(buf, sizeof buf, "\\x%02X", static_cast<unsigned>(cp));
      else std::snprintf(buf, sizeof buf, "\\u%04X", static_cast<unsigned>(cp));
      out += buf;
      i += len;
    } else {
      out.append(text, i, len);
      i += len;
    }
  }
}

std::string TerminalSafe(std::string_view text) {
  if (PlainAscii(text)) return std::string(text);
  std::string out;
  out.reserve(text.size());
  AppendTerminalSafe(out, text);
  return out;
}

std::string ProblemText(const FileTable& files, const Problem& problem) {
  const Location& loc = problem.loc;
  if (loc.file >= files.size()) return problem.message;
  std::string text = files.display(loc.file);
  if (loc.line) text += ":" + std::to_string(loc.line) + ":" + std::to_string(loc.column);
  return text + ": " + problem.message;
}

void WriteProblem(std::ostream& err, const FileTable& files, const Problem& problem) {
  err << "meshlint: " << TerminalSafe(ProblemText(files, problem)) << '\n';
}

std::string Fingerprint(const Finding& finding) {
  // FNV-1a, 64 bits: stable across platforms and releases, unlike std::hash.
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : finding.StableKey()) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::string_view SuppressionKindName(Suppression::Kind kind) {
  return kind == Suppression::Kind::kInSource ? "inSource" : "external";
}

namespace {

// SGR sequences of the coloured text report: the location bold, the
// severity as compilers colour it, the rule id apart from the message.
struct Palette {
  const char* location = "";
  const char* severity = "";
  const char* rule = "";
  const char* reset = "";
};

Palette PaletteFor(bool color, Severity severity) {
  if (!color) return {};
  const char* by_severity = severity == Severity::kError     ? "\x1b[1;31m"
                            : severity == Severity::kWarning ? "\x1b[1;33m"
                                                             : "\x1b[1;36m";
  return {"\x1b[1m", by_severity, "\x1b[35m", "\x1b[0m"};
}

}  // namespace

namespace {

// Columns `text` takes on a terminal: one per code point, none for the SGR
// sequences of the palette (TerminalSafe leaves no other escape).
std::size_t Columns(std::string_view text) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\x1b') {
      while (i < text.size() && text[i] != 'm') ++i;
      continue;
    }
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++n;
  }
  return n;
}

void AppendNumber(std::string& out, std::uint32_t n) {
  char buf[16];
  const auto end = std::to_chars(buf, buf + sizeof buf, n).ptr;
  out.append(buf, end);
}

// The `file:line:col: severity [rule]` part of a finding's line, coloured,
// appended to `out`.
void AppendFindingHead(std::string& out, const ReportContext& ctx, const Finding& f) {
  const Location& loc = f.diag.loc;
  const Palette c = PaletteFor(ctx.color, f.severity);
  if (HasPosition(ctx.model.files, loc)) {
    out += c.location;
    AppendTerminalSafe(out, ctx.model.files.display(loc.file));
    out += ':';
    AppendNumber(out, loc.line);
    out += ':';
    AppendNumber(out, loc.column);
    out += ':';
    out += c.reset;
    out += ' ';
  }
  out += c.severity;
  out += SeverityName(f.severity);
  out += c.reset;
  out += " [";
  out += c.rule;
  out += f.rule_id;
  out += c.reset;
  out += ']';
}

std::string FindingHead(const ReportContext& ctx, const Finding& f) {
  std::string head;
  AppendFindingHead(head, ctx, f);
  return head;
}

// The message and, when suppressed, why, safe for a terminal, appended to
// `out`.
void AppendFindingBody(std::string& out, const Finding& f) {
  AppendTerminalSafe(out, f.diag.message);
  if (f.suppression) {
    out += " [suppressed ";
    out += f.suppression->kind == Suppression::Kind::kInSource ? "by annotation" : "by config";
    out += ": ";
    AppendTerminalSafe(out, f.suppression->justification);
    out += ']';
  }
}

std::string FindingBody(const Finding& f) {
  std::string body;
  AppendFindingBody(body, f);
  return body;
}

// WriteWrapped into a string.
void AppendWrapped(std::string& out, std::string_view head, std::string_view body,
                   std::size_t width) {
  out += head;
  if (body.empty()) {
    out += '\n';
    return;
  }
  if (width == 0) {
    out += ' ';
    out += body;
    out += '\n';
    return;
  }
  // Words of the body go on the line while they fit; the head is never
  // broken, and a word longer than a line (a URL, a host) stands alone.
  std::size_t used = Columns(head);
  bool line_empty = used == 0;
  while (!body.empty()) {
    const std::size_t space = body.find(' ');
    const std::string_view word = body.substr(0, space);
    body.remove_prefix(space == std::string_view::npos ? body.size() : space + 1);
    if (word.empty()) continue;
    const std::size_t cols = Columns(word);
    if (!line_empty && used + 1 + cols > width) {
      out += '\n';
      out.append(kWrapIndent, ' ');
      out += word;
      used = kWrapIndent + cols;
    } else {
      if (!line_empty) out += ' ';
      out += word;
      used += (line_empty ? 0 : 1) + cols;
    }
    line_empty = false;
  }
  out += '\n';
}

}  // namespace

void WriteWrapped(std::ostream& out, std::string_view head, std::string_view body,
                  std::size_t width) {
  std::string text;
  AppendWrapped(text, head, body, width);
  out << text;
}

void WriteText(std::ostream& out, const ReportContext& ctx) {
  if (ctx.summary) {
    WriteTextSummary(out, ctx);
    return;
  }
  // The lines go into one buffer, written out a block at a time: building a
  // line from temporaries and streaming it piece by piece cost more than
  // every rule of a run with thousands of findings.
  constexpr std::size_t kBlock = 1 << 16;
  std::string buf;
  buf.reserve(kBlock + 4096);
  std::string head, body;                   // a wrapped line's parts, reused
  const SharedText* environment = nullptr;  // the section being written
  for (const Finding& f : ctx.findings) {
    if (f.suppression && !ctx.show_suppressed) continue;
    // With environments, findings come grouped by environment: a header
    // opens each group.
    if (!f.environment.empty() && (!environment || *environment != f.environment)) {
      buf += "== environment ";
      AppendTerminalSafe(buf, f.environment);
      buf += " ==\n";
      environment = &f.environment;
    }
    if (ctx.wrap_width == 0) {
      // As AppendWrapped writes an unwrapped line, without the copies.
      AppendFindingHead(buf, ctx, f);
      const std::size_t mark = buf.size();
      buf += ' ';
      AppendFindingBody(buf, f);
      if (buf.size() == mark + 1) buf.resize(mark);  // no body: no space
      buf += '\n';
    } else {
      head.clear();
      body.clear();
      AppendFindingHead(head, ctx, f);
      AppendFindingBody(body, f);
      AppendWrapped(buf, head, body, ctx.wrap_width);
    }
    if (buf.size() >= kBlock) {
      out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
      buf.clear();
    }
  }
  out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
}

void WriteTextSummary(std::ostream& out, const ReportContext& ctx) {
  // Per rule: its findings by severity and the first of them, the rule
  // with the most severe findings first, then the most frequent.
  struct Rule {
    std::string_view id;
    std::array<std::size_t, 3> by{};
    std::size_t total = 0;
    const Finding* first = nullptr;
    Severity worst = Severity::kNote;
  };
  std::vector<Rule> rules;
  std::array<std::size_t, 3> by{};
  std::size_t suppressed = 0;
  for (const Finding& f : ctx.findings) {
    if (f.suppression) {
      ++suppressed;
      continue;
    }
    auto it =
        std::find_if(rules.begin(), rules.end(), [&](const Rule& r) { return r.id == f.rule_id; });
    if (it == rules.end()) {
      rules.push_back({f.rule_id, {}, 0, &f, f.severity});
      it = rules.end() - 1;
    }
    ++it->by[static_cast<int>(f.severity)];
    ++it->total;
    it->worst = std::max(it->worst, f.severity);
    ++by[static_cast<int>(f.severity)];
  }
  std::stable_sort(rules.begin(), rules.end(), [](const Rule& a, const Rule& b) {
    if (a.worst != b.worst) return a.worst > b.worst;
    if (a.total != b.total) return a.total > b.total;
    return a.id < b.id;
  });
  auto plural = [](std::size_t n, std::string_view word) {
    return std::to_string(n) + " " + std::string(word) + (n == 1 ? "" : "s");
  };
  auto counts = [&](const std::array<std::size_t, 3>& n) {
    std::string text;
    for (Severity s : {Severity::kError, Severity::kWarning, Severity::kNote}) {
      if (!n[static_cast<int>(s)]) continue;
      if (!text.empty()) text += ", ";
      text += plural(n[static_cast<int>(s)], SeverityName(s));
    }
    return text;
  };
  for (const Rule& r : rules) {
    out << r.id << ": " << counts(r.by) << '\n';
    WriteWrapped(out, "  " + FindingHead(ctx, *r.first), FindingBody(*r.first), ctx.wrap_width);
    if (r.total > 1) out << "  ... and " << r.total - 1 << " more\n";
  }
  const std::size_t active = by[0] + by[1] + by[2];
  out << (active ? plural(active, "finding") + " (" + plural(by[2], "error") + ", " +
                       plural(by[1], "warning") + ", " + plural(by[0], "note") + ") from " +
                       plural(rules.size(), "rule")
                 : std::string("no findings"));
  if (suppressed) out << ", " << suppressed << " suppressed";
  out << '\n';
}

namespace {

// The summary's table of findings: one row per rule, its counts by
// severity ("2 warnings, 1 note", as --summary writes them), the rule with
// the most severe findings first, then the most frequent.
void WriteRuleCounts(std::ostream& out, const ReportContext& ctx) {
  auto plural = [](std::size_t n, std::string_view word) {
    return std::to_string(n) + " " + std::string(word) + (n == 1 ? "" : "s");
  };
  struct RuleCount {
    std::string_view id;
    std::array<std::size_t, 3> by{};
    std::size_t total = 0;
    Severity worst = Severity::kNote;
  };
  std::vector<RuleCount> rules;
  for (const Finding& f : ctx.findings) {
    if (f.suppression) continue;  // accepted: counted above, not to fix
    auto it = std::find_if(rules.begin(), rules.end(),
                           [&](const RuleCount& r) { return r.id == f.rule_id; });
    if (it == rules.end()) {
      rules.push_back({f.rule_id, {}, 0, f.severity});
      it = rules.end() - 1;
    }
    ++it->by[static_cast<int>(f.severity)];
    ++it->total;
    it->worst = std::max(it->worst, f.severity);
  }
  std::sort(rules.begin(), rules.end(), [](const RuleCount& a, const RuleCount& b) {
    if (a.worst != b.worst) return a.worst > b.worst;
    if (a.total != b.total) return a.total > b.total;
    return a.id < b.id;
  });
  std::size_t width = 0;
  for (const RuleCount& r : rules) width = std::max(width, r.id.size());
  for (const RuleCount& r : rules) {
    std::string id(r.id);
    id.resize(width, ' ');
    std::string counts;
    for (Severity sev : {Severity::kError, Severity::kWarning, Severity::kNote}) {
      if (!r.by[static_cast<int>(sev)]) continue;
      if (!counts.empty()) counts += ", ";
      counts += plural(r.by[static_cast<int>(sev)], SeverityName(sev));
    }
    out << "  " << id << "  " << counts << '\n';
  }
}

}  // namespace

void WriteSummary(std::ostream& out, const ReportContext& ctx) {
  std::array<std::size_t, 3> by{};
  std::size_t suppressed = 0;
  for (const Finding& f : ctx.findings) {
    if (f.suppression) ++suppressed;
    else ++by[static_cast<int>(f.severity)];
  }
  const std::size_t active = ctx.findings.size() - suppressed;
  const LoadStats& s = ctx.model.stats;
  auto plural = [](std::size_t n, std::string_view word) {
    return std::to_string(n) + " " + std::string(word) + (n == 1 ? "" : "s");
  };
  out << "meshlint: ";
  if (active == 0) {
    out << (ctx.baseline_file.empty() ? "no findings" : "no new findings");
  } else {
    out << plural(active, ctx.baseline_file.empty() ? "finding" : "new finding") << " ("
        << plural(by[2], SeverityName(Severity::kError)) << ", "
        << plural(by[1], SeverityName(Severity::kWarning)) << ", "
        << plural(by[0], SeverityName(Severity::kNote)) << ")";
  }
  if (suppressed) out << ", " << suppressed << " suppressed,";
  out << " in " << plural(s.files, "file") << ", " << plural(s.objects, "object");
  if (s.skipped_non_kubernetes)
    out << ", " << s.skipped_non_kubernetes << " non-Kubernetes document"
        << (s.skipped_non_kubernetes == 1 ? "" : "s") << " skipped";
  if (const std::size_t ignored = ctx.model.load_report.ignored_files)
    out << ", " << plural(ignored, "ignored file");
  out << " (" << ctx.elapsed.count() << " ms)\n";

  // By rule, most severe first, then most frequent: what to fix first.
  // With --summary the report on stdout is that table already.
  if (!ctx.summary) WriteRuleCounts(out, ctx);

  if (!ctx.baseline_file.empty()) {
    out << "meshlint: " << plural(ctx.baselined, "finding") << " in the baseline "
        << TerminalSafe(ctx.baseline_file) << " not reported";
    if (ctx.baseline_stale)
      out << "; " << ctx.baseline_stale
          << (ctx.baseline_stale == 1 ? " baseline entry no longer occurs"
                                      : " baseline entries no longer occur")
          << " (refresh it with --write-baseline)";
    out << '\n';
  }
}

void WriteRulesText(std::ostream& out) {
  std::size_t width = 0;
  for (const RuleInfo& r : AllRules()) width = std::max(width, r.id.size());
  for (const RuleInfo& r : AllRules()) {
    std::string id(r.id);
    id.resize(width, ' ');
    std::string sev(SeverityName(r.default_severity));
    sev.resize(8, ' ');
    out << id << "  " << sev << "  " << r.summary << '\n';
  }
}

void WriteRulesMarkdown(std::ostream& out) {
  out << "| rule | default severity | what it flags |\n|---|---|---|\n";
  for (const RuleInfo& r : AllRules())
    out << "| [`" << r.id << "`](rules/" << r.id << "/doc.md) | "
        << SeverityName(r.default_severity) << " | " << r.summary << " |\n";
}

}  // namespace meshlint
