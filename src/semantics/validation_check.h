// Shared by the validation units: one object's messages, collected as
// Istio's webhook returns them (errors and warnings together), and where
// each points. Internal to src/semantics/validation*.cpp.
#pragma once

#include <algorithm>
#include <iterator>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "model/parallel.h"
#include "semantics/validation.h"

namespace meshlint::istio {

// The position of T's collection in kObjectCollections.
template <typename T>
constexpr std::size_t CollectionOf() {
  std::size_t i = 0, found = kObjectCollectionCount;
  std::apply(
      [&](auto... member) {
        ((std::is_same_v<typename std::remove_cvref_t<decltype(std::declval<const Objects&>().*
                                                               member)>::value_type,
                         T>
              ? (found = i, ++i)
              : ++i),
         ...);
      },
      kObjectCollections);
  return found;
}

// The messages of one object. Records the object as rejected when it is
// destroyed with an error.
class Checker {
 public:
  Checker(ValidationReport& report, std::size_t collection, std::size_t index,
          const ObjectMeta& meta, std::string_view check)
      : report_(report), collection_(collection), index_(index), meta_(meta), check_(check) {}
  ~Checker() {
    if (errors_) report_.rejected[collection_].push_back(index_);
  }
  Checker(const Checker&) = delete;
  Checker& operator=(const Checker&) = delete;

  // The Istio function the next messages come from.
  void SetCheck(std::string_view check) { check_ = check; }
  std::string_view check() const { return check_; }

  void Error(const Location& loc, std::string field, std::string message) {
    Add(ValidationMessage::Level::kError, ValidationMessage::By::kWebhook, loc, std::move(field),
        std::move(message));
  }
  // The CRD schema's refusal, in the API server's words.
  void SchemaError(const Location& loc, std::string field, std::string message) {
    Add(ValidationMessage::Level::kError, ValidationMessage::By::kSchema, loc, std::move(field),
        std::move(message));
  }
  void Warning(const Location& loc, std::string field, std::string message) {
    Add(ValidationMessage::Level::kWarning, ValidationMessage::By::kWebhook, loc, std::move(field),
        std::move(message));
  }
  // Error or warning from a Check* function's result; false when it is empty.
  bool ErrorIf(const Location& loc, const std::string& field, std::string message) {
    if (message.empty()) return false;
    Error(loc, field, std::move(message));
    return true;
  }
  bool WarningIf(const Location& loc, const std::string& field, std::string message) {
    if (message.empty()) return false;
    Warning(loc, field, std::move(message));
    return true;
  }
  std::size_t errors() const { return errors_; }

 private:
  void Add(ValidationMessage::Level level, ValidationMessage::By by, const Location& loc,
           std::string field, std::string message) {
    if (level == ValidationMessage::Level::kError) ++errors_;
    ValidationMessage m;
    m.level = level;
    m.by = by;
    m.object = meta_.ref;
    m.loc = loc.valid() ? loc : meta_.anchor();
    m.field = std::move(field);
    m.message = std::move(message);
    m.check = by == ValidationMessage::By::kSchema ? std::string_view("CRD schema") : check_;
    report_.messages.push_back(std::move(m));
  }

  ValidationReport& report_;
  std::size_t collection_;
  std::size_t index_;
  const ObjectMeta& meta_;
  std::string_view check_;
  std::size_t errors_ = 0;
};

// Runs `check(checker, object)` on every object of `objects`, each with its
// own Checker (so an error rejects that object alone), its messages said to
// come from the Istio function `istio_function`. Objects are independent:
// runs of them are checked on up to `jobs` threads, each run into a report
// of its own, and the reports are joined in object order, so the report is
// the one a single thread writes.
template <typename T, typename Check>
void ValidateEach(const std::vector<T>& objects, std::string_view istio_function,
                  ValidationReport& report, unsigned jobs, Check check) {
  constexpr std::size_t kRun = 1024;
  const auto validate = [&](ValidationReport& into, std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to; ++i) {
      Checker c(into, CollectionOf<T>(), i, objects[i].meta, istio_function);
      check(c, objects[i]);
    }
  };
  const std::size_t runs = (objects.size() + kRun - 1) / kRun;
  if (runs <= 1 || EffectiveJobs(jobs) <= 1) {
    validate(report, 0, objects.size());
    return;
  }
  std::vector<ValidationReport> parts(runs);
  ParallelForEach(runs, jobs, [&](std::size_t r) {
    validate(parts[r], r * kRun, std::min(objects.size(), (r + 1) * kRun));
  });
  for (ValidationReport& part : parts) {
    std::move(part.messages.begin(), part.messages.end(), std::back_inserter(report.messages));
    for (std::size_t c = 0; c < kObjectCollectionCount; ++c)
      report.rejected[c].insert(report.rejected[c].end(), part.rejected[c].begin(),
                                part.rejected[c].end());
  }
}

// The units, one per group of kinds.
void ValidateServiceEntries(const Objects& objects, const IstioVersion& version, unsigned jobs,
                            ValidationReport& report);
void ValidateSidecars(const Objects& objects, const IstioVersion& version, unsigned jobs,
                      ValidationReport& report);
void ValidateRoutingKinds(const Objects& objects, const IstioVersion& version, unsigned jobs,
                          ValidationReport& report);

// validateExportTo (ServiceEntry: `~` allowed alone).
void CheckExportTo(Checker& c, const std::string& ns,
                   const std::vector<Located<std::string>>& values, bool service_entry);
// ValidateAlphaWorkloadSelector / validateWorkloadSelector: errors for empty
// keys and wildcards; true when the selector is written without labels.
bool CheckSelectorLabels(Checker& c, const Selector& selector, const std::string& field);
// ValidateNamespaceSlashWildcardHostname for Sidecar egress hosts
// (is_gateway false) and Gateway server hosts (true).
void CheckNamespaceSlashHost(Checker& c, const Located<std::string>& host, const std::string& field,
                             bool is_gateway, const IstioVersion& version);
// "spec.x: Unsupported value: "v": supported values: "a", "b"" (the API
// server's enum message).
std::string UnsupportedValue(std::string_view field, std::string_view value,
                             std::initializer_list<std::string_view> supported);

}  // namespace meshlint::istio
