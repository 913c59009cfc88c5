// GitHub Actions workflow commands: the runner turns each `::error ...` line
// on a step's stdout into an annotation on the pull request diff, with no
// code-scanning setup. Escaping follows the runner's rules (actions/toolkit
// command.ts): in the message %, CR and LF are percent-encoded; in property
// values also ':' and ',', which would otherwise end the value. The runner
// prints each command in the job's log, so what comes from the inputs is
// first made TerminalSafe: no escape sequence reaches a log viewer.
#include <algorithm>

#include "report/report.h"

#include "report/json_common.h"

namespace meshlint {

namespace {

// TerminalSafe for every character but CR and LF, which the runner's
// percent-encoding carries (a message may span lines).
std::string SafeKeepingLineBreaks(std::string_view raw) {
  std::string out;
  while (!raw.empty()) {
    const std::size_t brk = std::min(raw.find_first_of("\r\n"), raw.size());
    out += TerminalSafe(raw.substr(0, brk));
    if (brk == raw.size()) break;
    out += raw[brk];
    raw.remove_prefix(brk + 1);
  }
  return out;
}

std::string EscapeData(std::string_view raw) {
  const std::string text = SafeKeepingLineBreaks(raw);
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '%': out += "%25"; break;
      case '\r': out += "%0D"; break;
      case '\n': out += "%0A"; break;
      default: out += c;
    }
  }
  return out;
}

std::string EscapeProperty(std::string_view raw) {
  const std::string text = SafeKeepingLineBreaks(raw);
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '%': out += "%25"; break;
      case '\r': out += "%0D"; break;
      case '\n': out += "%0A"; break;
      case ':': out += "%3A"; break;
      case ',': out += "%2C"; break;
      default: out += c;
    }
  }
  return out;
}

std::string_view CommandName(Severity s) {
  switch (s) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kNote: return "notice";
  }
  return "warning";
}

}  // namespace

void WriteGithub(std::ostream& out, const ReportContext& ctx) {
  // GitHub shows only a limited number of annotations per step and job, so
  // the most severe come first; within a severity, report order.
  std::vector<const Finding*> order;
  for (const Finding& f : ctx.findings)
    if (!f.suppression) order.push_back(&f);  // accepted: no annotation
  std::stable_sort(order.begin(), order.end(),
                   [](const Finding* a, const Finding* b) { return a->severity > b->severity; });
  for (const Finding* fp : order) {
    const Finding& f = *fp;
    const Location& loc = f.diag.loc;
    std::string props;
    std::string path = report_detail::RootRelativePath(ctx, loc);
    // Stdin is no file of the repository: an annotation naming it would
    // point nowhere, one without a file still shows on the run.
    if (path == "stdin" && ctx.model.files.absolute(loc.file) == "<stdin>") path.clear();
    if (!path.empty()) {
      const std::uint32_t end_line = std::max(loc.end_line, loc.line);
      // GitHub accepts columns only for a one-line span; its endColumn is
      // inclusive, ours is one past the end.
      const bool columns = loc.column > 0 && end_line == loc.line;
      props += "file=" + EscapeProperty(path) + ",line=" + std::to_string(loc.line);
      if (columns) props += ",col=" + std::to_string(loc.column);
      props += ",endLine=" + std::to_string(end_line);
      if (columns && loc.end_column > loc.column + 1)
        props += ",endColumn=" + std::to_string(loc.end_column - 1);
      props += ',';
    }
    props += "title=" + EscapeProperty("meshlint [" + std::string(f.rule_id) + "]");
    out << "::" << CommandName(f.severity) << ' ' << props << "::" << EscapeData(f.diag.message)
        << '\n';
  }
}

}  // namespace meshlint
