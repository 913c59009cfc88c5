// serviceentry-exportto-invalid: exportTo values that Istio's validation
// rejects, so the ServiceEntry never takes effect (or not as written).
#include <set>

#include "rules/rules.h"

namespace meshlint::rules {

namespace {

// A Kubernetes namespace name: an RFC 1123 label.
bool IsNamespaceName(const std::string& s) {
  if (s.empty() || s.size() > 63) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  return s.front() != '-' && s.back() != '-';
}

}  // namespace

void CheckServiceEntryExportToInvalid(const MeshModel& model, FindingSink& sink) {
  for (const ServiceEntry& se : model.service_entries) {
    const auto& values = se.export_to;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < values.size(); ++i) {
      const std::string& v = values[i].value;
      Diagnostic d;
      d.loc = values[i].loc;
      d.object = se.meta.ref;
      d.field = "spec.exportTo[" + std::to_string(i) + "]";
      const std::string subject = "ServiceEntry '" + se.meta.ref.name + "' exportTo value \"" + v + "\"";
      // "." and the own namespace's name mean the same namespace.
      const std::string canonical = v == "." ? se.meta.ref.ns : v;
      if ((v == "*" || v == "~") && values.size() > 1) {
        d.message = subject + " must stand alone, but the list has " +
                    std::to_string(values.size()) + " values: Istio rejects the ServiceEntry. " +
                    (v == "*" ? "Keep only \"*\" or list the namespaces." :
                                "Keep only \"~\" (visible nowhere) or list the namespaces.");
      } else if (!seen.insert(canonical).second) {
        d.message = subject + " repeats a namespace already listed" +
                    (v == "." || v == se.meta.ref.ns
                         ? std::string(" (\".\" is the ServiceEntry's own namespace ") +
                               se.meta.ref.ns + ")"
                         : std::string()) +
                    ": Istio rejects duplicate exportTo values. Remove it.";
      } else if (v != "." && v != "*" && v != "~" && !IsNamespaceName(v)) {
        d.message = subject +
                    " is not a namespace name (lowercase letters, digits and '-', at most 63) nor "
                    "\".\", \"*\" or \"~\": Istio rejects the ServiceEntry. Fix the name.";
      } else {
        continue;
      }
      sink.Report(std::move(d));
    }
  }
}

}  // namespace meshlint::rules
