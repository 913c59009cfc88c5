// Renders `meshlint egress --base`: the pairs a change opens and closes, as
// text, JSON (an interface: docs/output-formats.md), Markdown (a pull-request
// comment) or one self-contained HTML page.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include "egress/diff.h"

namespace meshlint {

struct DiffLabels {
  std::string base;         // as the user named it: a revision or a directory
  std::string base_commit;  // the commit a revision resolved to; "" for a directory
  std::string head = "working tree";
};

void WriteEgressDiffText(std::ostream& out, const egress::EgressDiff& diff,
                         const DiffLabels& labels);
void WriteEgressDiffJson(std::ostream& out, const egress::EgressDiff& diff,
                         const DiffLabels& labels);

// A pull-request comment: GitHub takes 65,536 characters at most (and as
// much in $GITHUB_STEP_SUMMARY); the Markdown is cut by whole rows, with a
// count, to fit `limit` bytes.
inline constexpr std::size_t kMaxCommentBytes = 65536;
void WriteEgressDiffMarkdown(std::ostream& out, const egress::EgressDiff& diff,
                             const DiffLabels& labels, std::size_t limit = kMaxCommentBytes);
// Without a base: a picture of the mesh as it is (sources grouped).
void WriteEgressPictureMarkdown(std::ostream& out, const std::vector<egress::Pair>& pairs,
                                std::size_t limit = kMaxCommentBytes);
// The same from each source's targets (TargetsBySource), in time of the
// distinct target lists rather than of the pairs.
void WriteEgressPictureMarkdown(std::ostream& out,
                                const std::vector<egress::SourceTargets>& sources,
                                std::size_t limit = kMaxCommentBytes);

// One self-contained page (inline CSS, JS and SVG; nothing loaded from the
// network): the graph, filters by namespace and host, an edge's explanation
// on click.
void WriteEgressDiffHtml(std::ostream& out, const egress::EgressDiff& diff,
                         const DiffLabels& labels);
// Without a base: every pair, explained (up to egress::kMaxExplainedPairs).
void WriteEgressPictureHtml(std::ostream& out, const std::vector<egress::DiffEntry>& entries);

// "1 pair", "3 pairs".
std::string Plural(std::size_t n, const char* one, const char* many);
// "2 pairs opened, 1 closed, 4 unchanged": the summary both the text and the
// Markdown start with.
std::string DiffCounts(const egress::EgressDiff& diff);

}  // namespace meshlint
