// istio-validation-warning: an object Istio admits with a validation
// warning (WrapWarning in pkg/config/validation): kubectl prints it and
// stores the object, which then often does something else than it says.
#include <string>

#include "rules/rules.h"

namespace meshlint::rules {

void CheckIstioValidationWarning(const MeshModel& model, FindingSink& sink) {
  const std::string version = "Istio " + model.istio_version.ToString();
  for (const ValidationMessage& m : model.validation) {
    if (m.level != ValidationMessage::Level::kWarning) continue;
    Diagnostic d;
    d.loc = m.loc;
    d.object = m.object;
    d.field = m.field;
    const ObjectRef& ref = m.object;
    d.message = version + " warns about " + ref.kind + " " +
                (ref.ns.empty() ? ref.name : ref.ns + "/" + ref.name) + ": " + m.message + " (" +
                std::string(m.check) + "). kubectl prints the warning and applies the object.";
    sink.Report(std::move(d));
  }
}

}  // namespace meshlint::rules
