#include "loader/split.h"

#include <algorithm>
#include <cstring>

#include "model/parallel.h"

namespace meshlint {

namespace {

// Whether the line at `pos` (ending before `end`, a line break or the text's
// end) is the marker `c` three times, then a blank or the line's end: what
// SplitDocuments takes for a marker.
bool MarkerAt(std::string_view text, std::size_t pos, std::size_t end, char c) {
  if (end - pos < 3 || text[pos + 1] != c || text[pos + 2] != c) return false;
  if (end - pos == 3) return true;
  const char after = text[pos + 3];
  return after == ' ' || after == '\t' || after == '\r' || after == '\n';
}

// No line of `chunk` holds anything but blanks and a comment.
bool OnlyBlanksAndComments(std::string_view chunk) {
  for (std::size_t pos = 0; pos < chunk.size();) {
    std::size_t eol = chunk.find('\n', pos);
    if (eol == std::string_view::npos) eol = chunk.size();
    for (std::size_t i = pos; i < eol; ++i) {
      const char c = chunk[i];
      if (c == ' ' || c == '\t' || c == '\r') continue;
      if (c != '#') return false;
      break;
    }
    pos = eol + 1;
  }
  return true;
}

}  // namespace

std::vector<std::pair<std::size_t, std::size_t>> CutAtLines(std::string_view text,
                                                            std::size_t bytes) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  if (bytes == 0) bytes = 1;
  for (std::size_t begin = 0; begin < text.size();) {
    std::size_t end = text.size();
    if (text.size() - begin > bytes) {
      const std::size_t nl = text.find('\n', begin + bytes - 1);
      if (nl != std::string_view::npos) end = nl + 1;
    }
    out.emplace_back(begin, end);
    begin = end;
  }
  return out;
}

std::string_view PieceWithBom(std::string_view content, std::pair<std::size_t, std::size_t> range) {
  const std::size_t bom = content.size() - StripBom(content).size();
  const std::size_t begin = range.first == 0 ? 0 : bom + range.first;
  return content.substr(begin, bom + range.second - begin);
}

PieceMarkers FindMarkers(std::string_view text, std::size_t begin, std::size_t end) {
  PieceMarkers out;
  const char* data = text.data();
  for (std::size_t pos = begin; pos < end;) {
    const void* nl = std::memchr(data + pos, '\n', end - pos);
    const std::size_t eol =
        nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - data) : end;
    const char c = data[pos];
    if ((c == '-' || c == '.') && MarkerAt(text, pos, eol, c))
      out.markers.push_back({pos, nl ? eol + 1 : end, out.line_breaks, c == '-'});
    if (!nl) break;
    ++out.line_breaks;
    pos = eol + 1;
  }
  return out;
}

std::vector<DocumentChunk> ChunksFromMarkers(std::string_view text,
                                             const std::vector<PieceMarkers>& pieces) {
  std::vector<DocumentChunk> out;
  std::size_t count = 1;
  for (const PieceMarkers& p : pieces) count += p.markers.size();
  out.reserve(count);
  std::size_t start = 0;  // offset of the current chunk
  std::uint32_t start_line = 1;
  bool explicit_start = false;  // the chunk begins with `---`
  const auto flush = [&](std::size_t end) {
    const std::string_view chunk = text.substr(start, end - start);
    if (explicit_start || !OnlyBlanksAndComments(chunk)) out.push_back({chunk, start_line});
  };
  std::uint32_t first_line = 1;  // of the piece
  for (const PieceMarkers& p : pieces) {
    for (const DocumentMarker& m : p.markers) {
      flush(m.offset);
      if (m.start) {
        start = m.offset;
        start_line = first_line + m.line;
        explicit_start = true;
      } else {
        start = m.next;
        start_line = first_line + m.line + 1;
        explicit_start = false;
      }
    }
    first_line += p.line_breaks;
  }
  flush(text.size());
  return out;
}

std::size_t LastMarkerLine(std::string_view text, std::size_t from) {
  const std::size_t floor = std::max<std::size_t>(from, 1) - 1;
  // The last line break in [floor, before), or npos: the search goes back no
  // further than `floor`, so a long document costs one look at each byte.
  const auto break_before = [&](std::size_t before) {
    while (before > floor)
      if (text[--before] == '\n') return before;
    return std::string_view::npos;
  };
  for (std::size_t eol = break_before(text.size()); eol != std::string_view::npos;) {
    const std::size_t before = break_before(eol);
    if (before == std::string_view::npos) return 0;
    const std::size_t start = before + 1;
    const char c = text[start];
    if ((c == '-' || c == '.') && MarkerAt(text, start, eol, c)) return start;
    eol = before;
  }
  return 0;
}

std::vector<DocumentChunk> SplitDocumentsParallel(std::string_view text, unsigned jobs,
                                                  std::size_t piece_bytes) {
  const auto ranges = CutAtLines(text, piece_bytes);
  std::vector<PieceMarkers> pieces(ranges.size());
  ParallelForEach(ranges.size(), jobs, [&](std::size_t k) {
    pieces[k] = FindMarkers(text, ranges[k].first, ranges[k].second);
  });
  return ChunksFromMarkers(text, pieces);
}

}  // namespace meshlint
