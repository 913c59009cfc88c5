// What a rule reports (severities: engine/severity.h).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/severity.h"
#include "model/location.h"
#include "model/model.h"

namespace meshlint {

// Another place involved in a finding ("the ServiceEntry that grants it").
struct RelatedLocation {
  Location loc;
  std::string message;
};

// What a rule's check says: where, what, about which object. The engine adds
// the rule id and severity.
struct Diagnostic {
  Location loc;
  std::string message;
  ObjectRef object;
  // Path of the offending field inside the object ("spec.exportTo[0]"):
  // with the rule and object it identifies the finding across edits.
  std::string field;
  std::vector<RelatedLocation> related;
  // The check cannot be sure (e.g. the object may be defined outside the
  // inputs): the finding is reported one severity level below the rule's.
  bool uncertain = false;
  // About the project as a whole (no mesh config anywhere), not about a place
  // in one file: `loc` is left invalid, every report shows it without a file
  // (text without the `file:line:col:` prefix, JSON with "file": null, SARIF
  // with only its logical location, a GitHub annotation without file=), and
  // `lint --context` (findings of the named files only) leaves it out.
  bool project_level = false;
};

// Whether `loc` points into one of the run's files: reports show a position
// only then. A project-level finding has none.
inline bool HasPosition(const FileTable& files, const Location& loc) {
  return loc.valid() && loc.file < files.size();
}

// Why a finding is accepted: an annotation on the object (in source) or an
// entry of the project config (external), with the recorded reason.
struct Suppression {
  enum class Kind { kInSource, kExternal };
  Kind kind = Kind::kInSource;
  std::string justification;
  Location loc;  // the annotation key, or the config entry
};

struct Finding {
  std::string_view rule_id;
  Severity severity = Severity::kWarning;
  Diagnostic diag;
  // Set when the finding is suppressed: it is still reported (SARIF, JSON,
  // counts) but never fails the run.
  std::optional<Suppression> suppression;
  // With `environments:` in the project config: the environment (or, for a
  // finding that several make alike, the environments joined by ", ") whose
  // mesh the finding is about; empty without environments.
  std::string environment;

  // rule + object + field (+ environment): stable when lines move or files
  // are renamed.
  std::string StableKey() const;
};

}  // namespace meshlint
