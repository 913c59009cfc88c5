// Plain-text helpers for the loader: splitting a file into YAML documents,
// spotting input yaml-cpp must not see, and measuring tokens for end columns.
// No yaml-cpp here, so all of it is testable on strings.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/location.h"

namespace meshlint {

// A node of a rendered object that is written the same in its source file
// (or in a patch that set it): where it is in the rendered document (0-based
// line of the document's text, 0-based column) and where in the file (1-based
// line, 0-based column).
struct SourceNode {
  static constexpr std::uint32_t kObjectFile = UINT32_MAX;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::uint32_t source_line = 0;
  std::uint32_t source_column = 0;
  std::uint32_t file = kObjectFile;  // else the file (a patch) it is written in
  friend bool operator<(const SourceNode& a, const SourceNode& b) {
    return a.line != b.line ? a.line < b.line : a.column < b.column;
  }
};

// One YAML document of a file, including its `---` line when it has one.
struct DocumentChunk {
  std::string_view text;
  std::uint32_t first_line = 1;  // 1-based line of text's first line in the file
  // When not 0, every position in the document is this line of its file
  // (a rendered object whose fields do not line up with its source)...
  std::uint32_t collapse_line = 0;
  // ...but for the nodes found in the source as they are rendered (sorted).
  std::vector<SourceNode> source_nodes = {};
};

// The comments meshlint writes after `# Source:` in a rendered
// kustomization: the line of its source file where the object starts, then
// the nodes found there ("LINE.COL=LINE.COL ...", SourceNode's fields), or in
// the Nth patch file ("LINE.COL=LINE.COL@N"), those files' paths following
// the nodes, each after a tab.
inline constexpr std::string_view kObjectLineComment = "# meshlint-object-line: ";
inline constexpr std::string_view kSourceNodesComment = "# meshlint-source-nodes:";
// Bound on the nodes mapped per rendered object.
inline constexpr std::size_t kMaxSourceNodes = 20000;

// Splits at `---` and `...` markers in column 0 (the only places YAML allows
// them), so a syntax error in one document does not hide the others. JSON is
// one document. Leading blank/comment-only text before the first `---` is not
// a document.
std::vector<DocumentChunk> SplitDocuments(std::string_view text, bool is_json);

std::string_view StripBom(std::string_view text);

// A position (1-based, relative to the text) with a reason.
struct TextIssue {
  std::uint32_t line = 1;
  std::uint32_t column = 1;
  std::string message;
};

// NUL bytes (a binary file), other C0 controls (not tab, CR, LF), or bytes
// that are not UTF-8.
std::optional<TextIssue> FindBinary(std::string_view text);
// Flow nesting or indentation deep enough to exhaust the parser's stack.
std::optional<TextIssue> FindExcessiveNesting(std::string_view text);
// FindExcessiveNesting of one text, worked out when first asked only: the
// scanner asks about a document with many brackets, and the loader asks again
// about each document the scanner declines.
class NestingCheck {
 public:
  explicit NestingCheck(std::string_view text) : text_(text) {}
  const std::optional<TextIssue>& Result() {
    if (!done_) {
      result_ = FindExcessiveNesting(text_);
      done_ = true;
    }
    return result_;
  }
  // Whether the walk ran (tests).
  bool Done() const { return done_; }

 private:
  std::string_view text_;
  bool done_ = false;
  std::optional<TextIssue> result_;
};
// The first `{{` (a Helm or Go template).
std::optional<TextIssue> FindTemplateMarker(std::string_view text);

// Width in bytes of a scalar written at `column` (0-based) of `line`: a quoted
// scalar up to its closing quote, a block indicator (`|`, `>`) alone, a plain
// scalar as long as its value when written as is, else to the end of line.
std::uint32_t ScalarWidth(std::string_view line, std::size_t column, const std::string& value);

// Maps positions of a parsed text back into a file.
struct TextSpan {
  std::uint32_t file = 0;
  std::string_view text;  // what was parsed; its line 0 is the file's first_line
  std::uint32_t first_line = 1;
  std::uint32_t column_offset = 0;                        // added to every column (embedded YAML)
  Location collapse_to;                                   // when valid, every position maps here...
  const std::vector<SourceNode>* source_nodes = nullptr;  // ...but these (sorted)

  // Line `i` (0-based) of text, without its line break.
  std::string_view Line(std::uint32_t i) const;
  std::uint32_t LineCount() const;

  // Line start offsets, computed on first use.
  mutable std::vector<std::size_t> starts_ = {};
};

// The span of YAML embedded in a scalar (ConfigMap `data.mesh`) whose value
// starts at (line, column) of `outer`. A literal block scalar keeps its lines;
// any other style collapses to `fallback`.
TextSpan EmbeddedSpan(const TextSpan& outer, std::uint32_t line, std::size_t column,
                      std::string_view value, Location fallback);

// The `# Source: <chart>/templates/<file>.yaml` comment that `helm template`
// writes before each rendered document, when it precedes the document's
// content (only `---`, blank and comment lines may come before it).
struct HelmSource {
  std::string path;
  std::uint32_t line = 0;  // 0-based line of the comment within the chunk
  std::size_t offset = 0;  // byte offset of that line within the chunk
};
std::optional<HelmSource> FindHelmSource(std::string_view chunk);

// Path globs of the config's include/exclude lists, matched against a path
// relative to the config file's directory, '/'-separated: `*` is any run of
// characters but '/', `?` one character but '/', a whole segment `**` any
// number of segments (none included). A pattern that matches a directory
// matches everything below it (`vendor` covers vendor/a/b.yaml). Linear in
// the path: at most (path segments) x (pattern segments + 1) segment matches,
// however many `**` the pattern has.
bool GlobMatch(std::string_view pattern, std::string_view path);
// The same, adding the number of segment matches tried to *steps (tests).
bool GlobMatchCounting(std::string_view pattern, std::string_view path, std::size_t* steps);
// Why `pattern` is not a glob meshlint understands (so that it is never taken
// literally by surprise), or nullopt.
std::optional<std::string> GlobProblem(std::string_view pattern);

}  // namespace meshlint
