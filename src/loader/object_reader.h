// Document trees → modelled objects: which kinds the model reads, and how.
// One table (object_reader.cpp) says, for each kind, which apiVersions are
// read, whether more than the object's identity is read, and by which
// reader; the full parse and the scanner's fast path both go through it.
// Loader-internal.
#pragma once

#include <string>
#include <string_view>

#include "loader/node_reader.h"
#include "loader/yaml_events.h"

namespace meshlint {

// Reads one document's tree into r.out(): its object, or the objects of a
// kind: List. A partial tree (the scanner's identity-only one) is read as far
// as it holds; NeedsFullTree is thrown when the object needs more.
void ReadDocument(NodeReader& r, const LiteNode& root);

// Whether a document of `kind` is read beyond its identity whatever its name
// (a guess for the scanner, which then builds the whole tree at once).
bool KindLikelyReadInFull(std::string_view kind);

// What the event builder may leave out of a document of `kind` (a guess
// from its text; "" when not found): nullptr for nothing.
const PrunePlan* PrunePlanFor(std::string_view kind);

// "istio-system/istio": how messages name an object whose kind they state.
std::string Qualified(const ObjectRef& ref);

}  // namespace meshlint
