// istio-validation-rejected: an object Istio refuses at admission (istiod's
// validating webhook, or the API server's check against Istio's CRD schema).
// `kubectl apply` fails on it, so istiod never sees it; meshlint leaves it out
// of the mesh (src/semantics/validation.h) and says which of Istio's rules it
// breaks. ServiceEntry exportTo errors are serviceentry-exportto-invalid's.
#include <string>

#include "rules/rules.h"

namespace meshlint::rules {

namespace {

// Reported by serviceentry-exportto-invalid, one finding per value.
bool ExportToOfServiceEntry(const ValidationMessage& m) {
  return m.check == "validateExportTo" && m.object.kind == "ServiceEntry";
}

std::string Qualified(const ObjectRef& ref) {
  return ref.kind + " " + (ref.ns.empty() ? ref.name : ref.ns + "/" + ref.name);
}

}  // namespace

void CheckIstioValidationRejected(const MeshModel& model, FindingSink& sink) {
  const std::string version = "Istio " + model.istio_version.ToString();
  for (const ValidationMessage& m : model.validation) {
    if (m.level != ValidationMessage::Level::kError || ExportToOfServiceEntry(m)) continue;
    Diagnostic d;
    d.loc = m.loc;
    d.object = m.object;
    d.field = m.field;
    const std::string who =
        m.by == ValidationMessage::By::kSchema
            ? "The API server rejects " + Qualified(m.object) + " (" + version + "'s CRD schema): "
            : version + " rejects " + Qualified(m.object) + ": ";
    d.message = who + m.message +
                (m.by == ValidationMessage::By::kSchema ? std::string()
                                                        : " (" + std::string(m.check) + ")") +
                ". kubectl apply fails and istiod never sees the object, so none of it takes "
                "effect; meshlint leaves it out of the mesh.";
    sink.Report(std::move(d));
  }
}

}  // namespace meshlint::rules
