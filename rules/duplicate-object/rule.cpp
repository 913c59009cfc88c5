// duplicate-object: one kind/namespace/name written more than once. The
// loader keeps one object, the copy read last (loader/identity.cpp), as
// `kubectl apply` of every file would leave it; this rule points at each
// other copy, which nothing else looks at, so that the user removes it (or
// learns that two files fight over one object).
#include <string>

#include "rules/rules.h"

namespace meshlint::rules {

void CheckDuplicateObject(const MeshModel& model, FindingSink& sink) {
  for (const DuplicateObject& dup : model.load_report.duplicates) {
    std::string kept = "another file";
    if (HasPosition(model.files, dup.kept)) {
      kept = model.files.display(dup.kept.file);
      kept += ':';
      kept += std::to_string(dup.kept.line);
      kept += ':';
      kept += std::to_string(dup.kept.column);
    }
    // The message is the same for every other copy: built once, in one string.
    std::string message = dup.object.FullyQualifiedName();
    message += " is written again at ";
    message += kept;
    message +=
        ": one object, as `kubectl apply` of both leaves it; meshlint lints the copy read last (";
    message += kept;
    message += ") and not this one. Remove one copy.";
    for (const Location& other : dup.others) {
      Diagnostic d;
      d.loc = other;
      d.object = dup.object;
      d.message = message;
      d.related.push_back({dup.kept, "the copy that is linted"});
      sink.Report(std::move(d));
    }
  }
}

}  // namespace meshlint::rules
