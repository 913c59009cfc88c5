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
    const std::string kept = HasPosition(model.files, dup.kept)
                                 ? model.files.display(dup.kept.file) + ":" +
                                       std::to_string(dup.kept.line) + ":" +
                                       std::to_string(dup.kept.column)
                                 : std::string("another file");
    for (const Location& other : dup.others) {
      Diagnostic d;
      d.loc = other;
      d.object = dup.object;
      d.message = dup.object.FullyQualifiedName() + " is written again at " + kept +
                  ": one object, as `kubectl apply` of both leaves it; meshlint lints the copy "
                  "read last (" +
                  kept + ") and not this one. Remove one copy.";
      d.related.push_back({dup.kept, "the copy that is linted"});
      sink.Report(std::move(d));
    }
  }
}

}  // namespace meshlint::rules
