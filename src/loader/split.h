// Cutting a big YAML stream into its documents on several threads: the
// text is cut into pieces at line breaks, each piece's `---` and `...` lines
// are found on its own, and the chunks are built from all of them in order,
// exactly as SplitDocuments builds them in one pass (a marker is a property
// of one line, so no piece needs another's). Loader-internal.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "loader/text.h"

namespace meshlint {

// A `---` or `...` line of a piece.
struct DocumentMarker {
  std::size_t offset = 0;  // of the line, in the whole text
  std::size_t next = 0;    // of the line after it (the text's size at its end)
  std::uint32_t line = 0;  // 0-based, within the piece
  bool start = false;      // `---` (else `...`)
};

// What one piece holds: its markers, in order, and its line breaks.
struct PieceMarkers {
  std::vector<DocumentMarker> markers;
  std::uint32_t line_breaks = 0;
};

// [begin, end) ranges of about `bytes` each covering `text`, each ending just
// after a line break (the last at the text's end); none when text is empty.
std::vector<std::pair<std::size_t, std::size_t>> CutAtLines(std::string_view text,
                                                            std::size_t bytes);

// Piece `range` of StripBom(content), as FindBinary is to check it: the
// first with the BOM before it. Pieces begin after a line break, where
// FindBinary's walk of the whole text is never inside a character, so it
// finds a problem in the whole content when, and only when, it finds one in
// a piece.
std::string_view PieceWithBom(std::string_view content, std::pair<std::size_t, std::size_t> range);

// The markers of text[begin, end), begin at the start of a line and end just
// after a line break or at the text's end.
PieceMarkers FindMarkers(std::string_view text, std::size_t begin, std::size_t end);

// The chunks SplitDocuments(text, false) gives, from the markers of the
// pieces CutAtLines gave, in order.
std::vector<DocumentChunk> ChunksFromMarkers(std::string_view text,
                                             const std::vector<PieceMarkers>& pieces);

// Where `text`, a window of a YAML stream, may be cut so that both parts
// split into the documents the whole would: the start of its last line that
// is a `---` or `...` marker and ends with a line break, looking only at
// lines that start at `from` or later, never at 0. 0 when there is none.
std::size_t LastMarkerLine(std::string_view text, std::size_t from);

// SplitDocuments(text, false), with pieces of `piece_bytes` searched on up to
// `jobs` threads.
std::vector<DocumentChunk> SplitDocumentsParallel(std::string_view text, unsigned jobs,
                                                  std::size_t piece_bytes);

}  // namespace meshlint
