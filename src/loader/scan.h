// A cheap reader for the documents no rule looks inside (Deployments,
// ConfigMaps, CRDs...): it finds apiVersion, kind and the metadata the model
// keeps without yaml-cpp, which is most of the loading time of a large
// repository; for the few kinds read in full it builds the whole tree. No
// yaml-cpp here; testable on strings.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loader/tree.h"

namespace meshlint {

struct PrunePlan;    // yaml_events.h
class NestingCheck;  // text.h

// A single-line scalar value and where it starts in the document (0-based
// line and byte column, as yaml-cpp marks count them).
struct ScannedScalar {
  bool found = false;  // the key is written
  bool null = false;   // written with no value, `~` or `null`
  std::string value;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};

// What the scanner learnt about one document.
struct DocumentHeader {
  ScannedScalar api_version;
  ScannedScalar kind;
  bool has_metadata = false;  // `metadata:` is a (non-empty) block mapping
  ScannedScalar name;
  ScannedScalar generate_name;
  ScannedScalar ns;
  // annotations are present and a block mapping (with no ignore.meshlint.io/
  // key: the scanner declines those).
  bool has_annotations = false;
};

// Reads `text` (one document as SplitDocuments cuts it) when — and only when —
// it is certain that yaml-cpp would parse it without error into a mapping and
// read the same values: every line must belong to a conservative block-style
// subset of YAML whose structure is verified line by line (indentation,
// mapping keys (plain, or quoted on one line), list entries, plain scalars,
// quoted scalars — over several
// lines too, each indented past the collection holding it — `|`/`>` block
// scalars, flow lists and mappings — nested, over several lines, as a value,
// a list entry or the whole document — of plain and quoted scalars). Anything
// else — in flow: keys without a value, empty entries, comments, multi-line
// scalars; anchors, aliases, tags, complex keys,
// multi-line plain scalars, explicit block indentation, directives, tabs,
// CR, non-ASCII bytes, a duplicated key the loader reads, a read field that
// is not a single-line scalar — returns nullopt, and the caller parses the
// document with yaml-cpp. Set MESHLINT_SCAN_DEBUG to have each declined
// document's line and reason written to stderr.
//
// With `tree`, also builds the document's tree, decoding block and quoted
// scalars as yaml-cpp does (scan_scalars.h: every escape yaml-cpp 0.7 knows
// but `\'`). With a `plan` too, the collections it names are left out of the
// tree as the event builder leaves them out (yaml_events.h: one node that
// throws NeedsFullTree when asked what it holds).
//
// `nesting`, when given, is `text`'s FindExcessiveNesting (text.h), which the
// scanner asks for a document with many brackets: the caller asks it again
// for a declined document, and the walk runs once.
std::optional<DocumentHeader> ScanDocument(std::string_view text, LiteTree* tree = nullptr,
                                           const PrunePlan* plan = nullptr,
                                           NestingCheck* nesting = nullptr);

// Builds the partial tree of a scanned header: the identity it tracked, in
// mappings marked partial, so that a reader learns what the header says and
// is told when it asks for more.
void BuildHeaderTree(const DocumentHeader& header, LiteTree& tree);

}  // namespace meshlint
