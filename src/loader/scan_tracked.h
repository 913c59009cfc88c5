// The keys the scanner (scan.h) records, shared by the scanner and the
// partial trees it builds from what it recorded (scan_header.cpp).
#pragma once

#include <cstdint>
#include <string_view>

#include "loader/scan.h"

namespace meshlint::scan {

// Which mapping a key belongs to, as far as the model cares.
enum class Where : std::uint8_t { kRoot, kMetadata, kAnnotations, kOther };

// The keys the scanner records, mapping by mapping. A partial tree
// (BuildHeaderTree) holds exactly these, so PartialMapHolds answers from the
// same table: what the scanner records and what a reader may ask of a
// partial tree cannot drift apart.
struct TrackedKey {
  Where where;
  std::string_view key;
  ScannedScalar DocumentHeader::*field;  // a single-line scalar, or
  Where child;                           // a mapping (else kOther)
};
constexpr TrackedKey kTracked[] = {
    {Where::kRoot, "apiVersion", &DocumentHeader::api_version, Where::kOther},
    {Where::kRoot, "kind", &DocumentHeader::kind, Where::kOther},
    {Where::kRoot, "metadata", nullptr, Where::kMetadata},
    {Where::kMetadata, "name", &DocumentHeader::name, Where::kOther},
    {Where::kMetadata, "generateName", &DocumentHeader::generate_name, Where::kOther},
    {Where::kMetadata, "namespace", &DocumentHeader::ns, Where::kOther},
    {Where::kMetadata, "annotations", nullptr, Where::kAnnotations},
};
// Annotations with this prefix make the scanner decline the document, so an
// accepted one has none of them.
constexpr std::string_view kDeclinedAnnotations = "ignore.meshlint.io/";

inline const TrackedKey* FindTracked(Where where, std::string_view key) {
  for (const TrackedKey& t : kTracked)
    if (t.where == where && t.key == key) return &t;
  return nullptr;
}

}  // namespace meshlint::scan
