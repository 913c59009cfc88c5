#include "loader/document.h"

#include <algorithm>

#include "loader/node_reader.h"
#include "loader/object_reader.h"
#include "loader/scan.h"
#include "loader/yaml_events.h"
#include "loader/yaml_tree.h"

namespace meshlint {

namespace {

// A thread's tree grown past this many nodes (a huge document) is given back
// to the allocator after use rather than kept for the next document.
constexpr std::size_t kKeptTreeNodes = std::size_t{1} << 16;

enum class TreeRead { kRead, kNeedsFullTree, kRejected };

// Reads a document's tree into `out`. A tree from the scanner must read
// without a problem: when it reports any (or is partial and the object needs
// more), what it added is rolled back, so that every problem — and where it
// points — comes from yaml-cpp.
TreeRead ReadTree(const LiteTree& tree, const TextSpan& span, const LoadOptions& options,
                  bool scanned, Objects& out) {
  const Objects::Marker before = out.Mark();
  const std::size_t problems = out.problems.size();
  WorkBudget budget = BudgetFor(span.text);
  NodeReader reader(out, options, span, budget);
  try {
    ReadDocument(reader, LiteNode::Root(tree));
  } catch (const NeedsFullTree&) {
    out.Truncate(before);
    return TreeRead::kNeedsFullTree;
  }
  if (!scanned || out.problems.size() == problems) return TreeRead::kRead;
  out.Truncate(before);
  return TreeRead::kRejected;
}

// The kind the first top-level `kind:` line names, or "". Only a guess,
// found near the top of most documents, for choosing how to build a tree: a
// wrong one costs a second scan or parse, or an unused tree, never a
// different result.
std::string_view GuessKind(std::string_view text) {
  std::size_t at = text.starts_with("kind: ") ? 0 : text.find("\nkind: ");
  if (at == std::string_view::npos) return {};
  std::string_view kind = text.substr(at + (at == 0 ? 6 : 7));
  kind = kind.substr(0, kind.find_first_of(" \r\n#"));
  // `kind: "Deployment"`, as Helm charts quote it.
  if (kind.size() >= 2 && (kind.front() == '"' || kind.front() == '\'') &&
      kind.back() == kind.front())
    kind = kind.substr(1, kind.size() - 2);
  return kind;
}

// The scanner's fast path: true when it read the document. A kind read in
// full gets its tree in one scan, less what its reader does not look into
// (the plan the event builder follows too); when the reader looks there
// after all, the whole tree is scanned and read instead.
bool LoadScanned(const DocumentChunk& chunk, const TextSpan& span, const LoadOptions& options,
                 LiteTree& tree, NestingCheck& nesting, Objects& out) {
  const std::string_view kind = GuessKind(chunk.text);
  const bool full = !kind.empty() && KindLikelyReadInFull(kind);
  const PrunePlan* plan = full ? PrunePlanFor(kind) : nullptr;
  auto header = ScanDocument(chunk.text, full ? &tree : nullptr, plan, &nesting);
  if (!header) return false;
  if (!full) BuildHeaderTree(*header, tree);
  TreeRead read = ReadTree(tree, span, options, true, out);
  if (read == TreeRead::kNeedsFullTree && (!full || plan) &&
      ScanDocument(chunk.text, &tree, nullptr, &nesting))
    read = ReadTree(tree, span, options, true, out);
  return read == TreeRead::kRead;
}

// libyaml's events, for what the scanner declined: true when the tree read
// without a problem. The tree leaves out what the reader of the document's
// (guessed) kind does not look into; when it looks there after all, or an
// alias names what was left out, the whole tree is built and read instead.
bool LoadEvents(const DocumentChunk& chunk, const TextSpan& span, const LoadOptions& options,
                LiteTree& tree, Objects& out) {
  const PrunePlan* plan = PrunePlanFor(GuessKind(chunk.text));
  EventParse parse = ParseYamlEvents(chunk.text, tree, plan);
  if (parse == EventParse::kNeedsWhole) parse = ParseYamlEvents(chunk.text, tree, nullptr);
  if (parse != EventParse::kBuilt) return false;
  TreeRead read = ReadTree(tree, span, options, true, out);
  if (read == TreeRead::kNeedsFullTree && plan != nullptr &&
      ParseYamlEvents(chunk.text, tree, nullptr) == EventParse::kBuilt)
    read = ReadTree(tree, span, options, true, out);
  return read == TreeRead::kRead;
}

Location DocumentStart(std::uint32_t file, const DocumentChunk& chunk) {
  // Helm documents count lines from their `# Source:` comment (line 0).
  const std::uint32_t start = std::max<std::uint32_t>(chunk.first_line, 1);
  return Location{file, start, 1, start, 2};
}

// What yaml-cpp could not parse, as a problem.
Problem ParseProblem(const YamlError& e, const DocumentChunk& chunk, const TextSpan& span) {
  if (e.depth > 0) {
    // yaml-cpp's own guard (block nesting such as `- - - - ...`).
    Location loc = DocumentStart(span.file, chunk);
    if (e.line >= 0) {
      loc.line = chunk.first_line + static_cast<std::uint32_t>(e.line);
      loc.column = static_cast<std::uint32_t>(e.column) + 1;
      loc.end_line = loc.line;
      loc.end_column = loc.column + 1;
    }
    return {loc,
            "collections nested " + std::to_string(e.depth) +
                " deep: nesting too deep to be a manifest, not parsed",
            {},
            ""};
  }
  Location loc = DocumentStart(span.file, chunk);
  if (e.line >= 0) loc = ParseErrorLocation(span, e.line, e.column);
  if (loc.line == 0) loc = DocumentStart(span.file, chunk);
  std::string message = "YAML syntax error: " + e.message;
  if (auto tmpl = FindTemplateMarker(chunk.text)) {
    message = std::string(kTemplateMessage) + "; YAML parser says: " + e.message;
    loc.line = chunk.first_line + tmpl->line - 1;
    loc.column = tmpl->column;
    loc.end_line = loc.line;
    loc.end_column = loc.column + 2;
  }
  return {loc, message, {}, ""};
}

}  // namespace

Location ParseErrorLocation(const TextSpan& span, int mark_line, int mark_column) {
  auto line = static_cast<std::uint32_t>(mark_line);
  auto column = static_cast<std::uint32_t>(mark_column);
  auto content = [&](std::uint32_t i) {
    std::string_view text = span.Line(i);
    std::size_t first = text.find_first_not_of(" \t\r");
    return first == std::string_view::npos || text[first] == '#' ? std::string_view{} : text;
  };
  if (line >= span.LineCount() || content(line).empty()) {
    for (std::uint32_t i = std::min(line, span.LineCount()); i-- > 0;) {
      std::string_view text = content(i);
      if (text.empty()) continue;
      line = i;
      column = static_cast<std::uint32_t>(text.find_last_not_of(" \t\r"));
      break;
    }
  }
  Location loc;
  loc.file = span.file;
  loc.line = loc.end_line = span.first_line + line;
  loc.column = span.column_offset + column + 1;
  loc.end_column = loc.column + 1;
  return loc;
}

void LoadChunk(const DocumentChunk& chunk, std::uint32_t file, const LoadOptions& options,
               Objects& out) {
  TextSpan span;
  span.file = file;
  span.text = chunk.text;
  span.first_line = chunk.first_line;
  if (chunk.collapse_line) {
    span.collapse_to = Location{file, chunk.collapse_line, 1, chunk.collapse_line, 2};
    if (!chunk.source_nodes.empty()) span.source_nodes = &chunk.source_nodes;
  }
  if (chunk.text.size() > kMaxDocumentBytes) {
    ++out.stats.documents;
    out.problems.push_back(
        {DocumentStart(file, chunk),
         "YAML document of " + std::to_string(chunk.text.size() >> 20) +
             " MiB is larger than the " + std::to_string(kMaxDocumentBytes >> 20) +
             " MiB meshlint parses (Kubernetes objects are at most a few MiB): not parsed; "
             "split it into one document per object",
         {},
         ""});
    return;
  }
  thread_local LiteTree tree;
  struct Shrink {  // after the document, whichever way it ends
    ~Shrink() {
      if (tree.nodes.size() > kKeptTreeNodes) tree = LiteTree{};
    }
  } shrink;
  // The scanner declines every document FindExcessiveNesting could object
  // to, so that check is needed only on the way to yaml-cpp (it ran already
  // when the scanner asked).
  NestingCheck nesting(chunk.text);
  if (!options.full_parse && LoadScanned(chunk, span, options, tree, nesting, out)) return;
  if (const auto& deep = nesting.Result()) {
    ++out.stats.documents;
    Location loc{file, chunk.first_line + deep->line - 1, deep->column, 0, 0};
    loc.end_line = loc.line;
    loc.end_column = loc.column + 1;
    out.problems.push_back({loc, deep->message, {}, ""});
    return;
  }
  // libyaml's events, for what the scanner declined: a tree that reads
  // without a problem stands; anything else — a syntax error, a problem a
  // reader reports — is left to yaml-cpp, so every finding comes from one
  // parser whichever path ran.
  if (!options.full_parse && LoadEvents(chunk, span, options, tree, out)) return;
  if (auto error = ParseYaml(chunk.text, tree)) {
    ++out.stats.documents;
    out.problems.push_back(ParseProblem(*error, chunk, span));
    return;
  }
  ReadTree(tree, span, options, false, out);
}

bool SplitContent(std::string_view text, std::uint32_t file, bool is_json, Objects& out,
                  std::vector<DocumentChunk>& chunks) {
  ++out.stats.files;
  if (auto bad = FindBinary(text)) {
    out.problems.push_back(
        {Location{file, bad->line, bad->column, bad->line, bad->column + 1}, bad->message, {}, ""});
    return false;
  }
  chunks = SplitDocuments(StripBom(text), is_json);
  return true;
}

namespace {

// A decimal number at the start of `text`, taken off it; false when there is
// none or it is over 10^8 (no line or column of a bounded file).
bool ReadNumber(std::string_view& text, std::uint32_t& v) {
  if (text.empty() || text[0] < '0' || text[0] > '9') return false;
  v = 0;
  while (!text.empty() && text[0] >= '0' && text[0] <= '9') {
    if (v > 100000000) return false;
    v = v * 10 + static_cast<std::uint32_t>(text[0] - '0');
    text.remove_prefix(1);
  }
  return true;
}

// The source-nodes comment on the line after `object_line` (the object-line
// comment), if any: "LINE.COL=LINE.COL[@N]" entries, at most kMaxSourceNodes,
// then the patch files the Nth names, each after a tab (registered by
// `source_file`).
void ReadSourceNodes(std::string_view object_line, const SourceFileFn& source_file,
                     std::vector<SourceNode>& out) {
  const std::size_t eol = object_line.find('\n');
  if (eol == std::string_view::npos) return;
  std::string_view text = object_line.substr(eol + 1);
  text = text.substr(0, text.find('\n'));
  if (!text.starts_with(kSourceNodesComment)) return;
  text.remove_prefix(kSourceNodesComment.size());
  auto number = [&](std::uint32_t& v) { return ReadNumber(text, v); };
  auto skip = [&](char c) {
    if (text.empty() || text[0] != c) return false;
    text.remove_prefix(1);
    return true;
  };
  while (skip(' ') && out.size() < kMaxSourceNodes) {
    SourceNode n;
    if (!number(n.line) || !skip('.') || !number(n.column) || !skip('=') ||
        !number(n.source_line) || !skip('.') || !number(n.source_column))
      break;
    if (skip('@') && !number(n.file)) break;
    out.push_back(n);
  }
  std::vector<std::uint32_t> files;
  while (skip('\t') && files.size() < kMaxSourceNodes) {
    const std::string_view path = text.substr(0, text.find('\t'));
    text.remove_prefix(path.size());
    files.push_back(source_file(std::string(path)));
  }
  // A patch file the comment does not name: the entry is dropped.
  std::erase_if(out, [&](SourceNode& n) {
    if (n.file == SourceNode::kObjectFile) return false;
    if (n.file == 0 || n.file > files.size()) return true;
    n.file = files[n.file - 1];
    return false;
  });
  std::sort(out.begin(), out.end());
}

}  // namespace

std::uint32_t AttributeSource(DocumentChunk& chunk, std::uint32_t file, bool is_json,
                              const SourceFileFn* source_file) {
  if (source_file && !is_json) {
    if (auto source = FindHelmSource(chunk.text)) {
      chunk.text.remove_prefix(source->offset);
      chunk.first_line = 0;  // the comment is line 0 of its template's document
      // A rendered kustomization says where the object starts in its file.
      const std::size_t eol = chunk.text.find('\n');
      const std::string_view next =
          eol == std::string_view::npos ? std::string_view() : chunk.text.substr(eol + 1);
      if (next.starts_with(kObjectLineComment)) {
        std::string_view digits = next.substr(kObjectLineComment.size());
        std::uint32_t line = 0;
        if (ReadNumber(digits, line)) chunk.collapse_line = line;
        ReadSourceNodes(next, *source_file, chunk.source_nodes);
      }
      return (*source_file)(source->path);
    }
  }
  return file;
}

void LoadContent(std::string_view text, std::uint32_t file, bool is_json,
                 const LoadOptions& options, Objects& out, const SourceFileFn* source_file) {
  std::vector<DocumentChunk> chunks;
  if (!SplitContent(text, file, is_json, out, chunks)) return;
  for (DocumentChunk chunk : chunks) {
    const std::uint32_t doc_file = AttributeSource(chunk, file, is_json, source_file);
    LoadChunk(chunk, doc_file, options, out);
  }
}

}  // namespace meshlint
