// What a rule reports (severities: engine/severity.h).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/severity.h"
#include "model/location.h"
#include "model/model.h"
#include "model/shared_text.h"

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
  // The check cannot be sure (e.g. the object may be defined outside the
  // inputs): the finding is reported one severity level below the rule's.
  bool uncertain = false;
  // About the project as a whole (no mesh config anywhere), not about a place
  // in one file: `loc` is left invalid, every report shows it without a file
  // (text without the `file:line:col:` prefix, JSON with "file": null, SARIF
  // with only its logical location, a GitHub annotation without file=), and
  // `lint --context` (findings of the named files only) leaves it out.
  bool project_level = false;
  std::string message;
  ObjectRef object;
  // Path of the offending field inside the object ("spec.exportTo[0]"):
  // with the rule and object it identifies the finding across edits.
  std::string field;
  std::vector<RelatedLocation> related;
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

// An optional value held on the heap: absent, it costs its holder a
// pointer, not the value's size (most findings are not suppressed, and a run
// can hold hundreds of thousands of findings). Copies copy the value.
template <typename T>
class HeapOptional {
 public:
  HeapOptional() = default;
  HeapOptional(std::nullopt_t) {}  // NOLINT: as std::optional
  HeapOptional(T value)
      : value_(std::make_unique<T>(std::move(value))) {}  // NOLINT: as std::optional
  HeapOptional(const HeapOptional& other)
      : value_(other.value_ ? std::make_unique<T>(*other.value_) : nullptr) {}
  HeapOptional(HeapOptional&&) noexcept = default;
  HeapOptional& operator=(const HeapOptional& other) {
    if (this != &other) value_ = other.value_ ? std::make_unique<T>(*other.value_) : nullptr;
    return *this;
  }
  HeapOptional& operator=(HeapOptional&&) noexcept = default;
  ~HeapOptional() = default;

  bool has_value() const { return value_ != nullptr; }
  explicit operator bool() const { return has_value(); }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }
  T* operator->() { return value_.get(); }
  const T* operator->() const { return value_.get(); }

 private:
  std::unique_ptr<T> value_;
};

struct Finding {
  std::string_view rule_id;
  Severity severity = Severity::kWarning;
  Diagnostic diag;
  // Set when the finding is suppressed: it is still reported (SARIF, JSON,
  // counts) but never fails the run.
  HeapOptional<Suppression> suppression;
  // With `environments:` in the project config: the environment (or, for a
  // finding that several make alike, the environments joined by ", ") whose
  // mesh the finding is about; empty without environments.
  SharedText environment;

  // rule + object + field (+ environment): stable when lines move or files
  // are renamed.
  std::string StableKey() const;
};

}  // namespace meshlint
