// One file's text → documents → objects: the guards every document passes
// before a parser sees it, and the choice between the scanner's fast path
// and yaml-cpp. Loader-internal.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "loader/loader.h"
#include "loader/text.h"
#include "model/objects.h"

namespace meshlint {

// Where a YAML syntax error yaml-cpp marks at (line, column) — 0-based,
// within span.text — is shown. yaml-cpp reports "... not found" at the end
// of the input, a line after the document; such errors point at the end of
// the document's last non-blank line instead.
Location ParseErrorLocation(const TextSpan& span, int line, int column);

// Loads one document of file `file` into `out`.
void LoadChunk(const DocumentChunk& chunk, std::uint32_t file, const LoadOptions& options,
               Objects& out);

// Checks a file's text as a whole and cuts it into documents; false (with the
// problem recorded) when it is no manifest at all. Counts the file.
bool SplitContent(std::string_view text, std::uint32_t file, bool is_json, Objects& out,
                  std::vector<DocumentChunk>& chunks);

// Gives the FileTable index of a `# Source:` path of rendered Helm output,
// registering it on first use.
using SourceFileFn = std::function<std::uint32_t(const std::string& source_path)>;

// The file a document belongs to. With `source_file`, a document that `helm
// template` marked with `# Source: <template>` is attributed to that
// template: its lines count from the comment (the line after it is 1).
std::uint32_t AttributeSource(DocumentChunk& chunk, std::uint32_t file, bool is_json,
                              const SourceFileFn* source_file);

// Loads all documents of one file's text.
void LoadContent(std::string_view text, std::uint32_t file, bool is_json,
                 const LoadOptions& options, Objects& out,
                 const SourceFileFn* source_file = nullptr);

}  // namespace meshlint
