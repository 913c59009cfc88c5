// mesh-outbound-allow-any: the mesh lets traffic to unknown hosts through, so
// neither ServiceEntries nor Sidecar egress lists restrict anything.
#include "rules/rules.h"
#include "semantics/istio.h"

namespace meshlint::rules {

namespace {

constexpr const char* kFix = " Set meshConfig.outboundTrafficPolicy.mode to REGISTRY_ONLY.";

// Each other revision's istiod reads its own mesh config (ConfigMap
// istio-<rev>): one that lets any host through is reported at its source.
void CheckRevisions(const MeshModel& model, FindingSink& sink) {
  for (std::string_view revision : model.Revisions()) {
    if (revision.empty()) continue;
    const MeshSettings& s = model.SettingsForRevision(revision);
    if (!AllowsAny(s.outbound_mode) || !s.outbound_from) continue;
    const MeshConfigSource& src = model.mesh_sources[*s.outbound_from];
    Diagnostic d;
    d.field = "meshConfig.outboundTrafficPolicy.mode";
    d.loc = src.outbound_mode->loc;
    d.object = src.object;
    d.message = "The outboundTrafficPolicy.mode of revision " + std::string(revision) + " is " +
                std::string(OutboundModeName(s.outbound_mode)) + " (" + src.description +
                "): every sidecar that revision injects passes traffic to any external host, "
                "registered or not." +
                kFix;
    sink.Report(std::move(d));
  }
}

// Whether the inputs install Istio: an install input (IstioOperator, the
// Sail operator's Istio), or objects in the root namespace. An application
// repository has none, and its mesh config lives with the cluster's.
bool InstallsIstio(const MeshModel& model) {
  for (const ObjectMeta& o : model.others)
    if (o.api_version.starts_with("install.istio.io/") ||
        o.api_version.starts_with("sailoperator.io/"))
      return true;
  const NamespaceInfo* root = model.FindNamespace(model.mesh.root_namespace);
  return root && root->first_object_loc.valid();
}

}  // namespace

void CheckMeshOutboundAllowAny(const MeshModel& model, FindingSink& sink) {
  CheckRevisions(model, sink);
  const istio::OutboundDecision mesh = istio::MeshOutbound(model);
  if (!AllowsAny(mesh.mode)) return;
  Diagnostic d;
  d.field = "meshConfig.outboundTrafficPolicy.mode";
  const std::string mode(OutboundModeName(mesh.mode));
  if (mesh.mesh_source) {
    // Set by a source, or left unset: point at the source that decides (or,
    // unset, the one whose setting would).
    const MeshConfigSource& src = model.mesh_sources[*mesh.mesh_source];
    d.loc = mesh.loc;
    d.object = src.object;
    d.message = mesh.origin == istio::ModeOrigin::kMesh
                    ? "The mesh's outboundTrafficPolicy.mode is " + mode + " (" + src.description +
                          "): every sidecar passes traffic to any external host, registered or "
                          "not." +
                          kFix
                    : "The mesh config (" + src.description +
                          ") does not set outboundTrafficPolicy.mode, so Istio uses ALLOW_ANY: "
                          "every sidecar passes traffic to any external host." +
                          kFix;
  } else {
    if (model.stats.files == 0) return;  // nothing was read: nothing to judge
    // Only revisioned control planes are configured: they are judged above.
    if (model.Revisions().size() > 1) return;
    // About the project, not a place in a file: no location (reports show
    // it as a finding of the run; finding.h).
    d.project_level = true;
    d.object = ObjectRef{"MeshConfig", "", "mesh-config"};
    d.message =
        "No mesh config was found (IstioOperator spec.meshConfig, ConfigMap istio data.mesh, "
        "or --mesh-config FILE), so Istio's default outboundTrafficPolicy ALLOW_ANY applies: "
        "every sidecar passes traffic to any external host. Add the mesh config to the inputs "
        "or pass --mesh-config.";
    // Without any Istio installation among the inputs (an application
    // repository), the cluster's mesh config may well be strict: a level
    // lower.
    if (!InstallsIstio(model)) {
      d.uncertain = true;
      d.message +=
          " The inputs install no Istio (an application repository?): pass the "
          "cluster's mesh config with --mesh-config to judge it.";
    }
  }
  sink.Report(std::move(d));
}

}  // namespace meshlint::rules
