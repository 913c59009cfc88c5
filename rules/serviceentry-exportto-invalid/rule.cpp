// serviceentry-exportto-invalid: exportTo values that Istio's validation
// (validateExportTo) rejects, so the ServiceEntry never takes effect. The
// validation unit rejects the same ServiceEntries (src/semantics/validation.h)
// and sets them aside, so this rule reads those too; istio-validation-rejected
// leaves these messages to it.
#include <set>

#include "rules/rules.h"
#include "semantics/validation.h"

namespace meshlint::rules {

namespace {

// Istio's own words for the value at `loc` (validateExportTo), "" when the
// validation gave none there.
std::string IstioMessage(const MeshModel& model, const ServiceEntry& se, const Location& loc) {
  for (const ValidationMessage& m : model.validation)
    if (m.check == "validateExportTo" && m.loc == loc && m.object.name == se.meta.ref.name &&
        m.object.ns == se.meta.ref.ns)
      return " (Istio: \"" + m.message + "\")";
  return "";
}

void CheckOne(const MeshModel& model, const ServiceEntry& se, FindingSink& sink) {
  const auto& values = se.export_to;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const std::string& v = values[i].value;
    Diagnostic d;
    d.loc = values[i].loc;
    d.object = se.meta.ref;
    d.field = "spec.exportTo[" + std::to_string(i) + "]";
    const std::string subject =
        "ServiceEntry '" + se.meta.ref.name + "' exportTo value \"" + v + "\"";
    // "." and the own namespace's name mean the same namespace.
    const std::string canonical = v == "." ? se.meta.ref.ns : v;
    if ((v == "*" || v == "~") && values.size() > 1) {
      d.message = subject + " must stand alone, but the list has " + std::to_string(values.size()) +
                  " values: Istio rejects the ServiceEntry. " +
                  (v == "*" ? "Keep only \"*\" or list the namespaces."
                            : "Keep only \"~\" (visible nowhere) or list the namespaces.");
    } else if (!seen.insert(canonical).second) {
      d.message =
          subject + " repeats a namespace already listed" +
          (v == "." || v == se.meta.ref.ns
               ? std::string(" (\".\" is the ServiceEntry's own namespace ") + se.meta.ref.ns + ")"
               : std::string()) +
          ": Istio rejects duplicate exportTo values. Remove it.";
    } else if (v != "." && v != "*" && v != "~" && !istio::IsDns1123Label(v)) {
      d.message = subject +
                  " is not a namespace name (lowercase letters, digits and '-', at most 63) nor "
                  "\".\", \"*\" or \"~\": Istio rejects the ServiceEntry. Fix the name.";
    } else {
      continue;
    }
    d.message += IstioMessage(model, se, d.loc);
    sink.Report(std::move(d));
  }
}

}  // namespace

void CheckServiceEntryExportToInvalid(const MeshModel& model, FindingSink& sink) {
  // The rejected ones are those this rule is about.
  for (const ServiceEntry& se : model.service_entries) CheckOne(model, se, sink);
  for (const ServiceEntry& se : model.rejected.service_entries) CheckOne(model, se, sink);
}

}  // namespace meshlint::rules
