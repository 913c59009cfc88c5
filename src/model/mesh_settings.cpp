// MeshModel::ResolveMeshSettings: the mesh settings of each control-plane
// revision, as its istiod reads them (pilot/pkg/bootstrap/mesh.go
// getMeshConfigMapName: ConfigMap `istio` for the default revision,
// `istio-<rev>` otherwise, in istiod's own namespace only), and where the
// sources in the inputs disagree.
#include <algorithm>
#include <set>

#include "model/model.h"

namespace meshlint {

namespace {

using Origin = MeshConfigSource::Origin;

std::string JoinValues(const std::vector<Located<std::string>>& values) {
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out += ", ";
    out += values[i].value;
  }
  return out + "]";
}

int Precedence(Origin origin) {
  // What the user names explicitly wins; the ConfigMap is what istiod reads;
  // an IstioOperator or the chart's values are what generate that ConfigMap.
  switch (origin) {
    case Origin::kProjectConfig:  // before the others: inserted first
    case Origin::kCommandLine: return 0;
    case Origin::kConfigMap: return 1;
    case Origin::kIstioOperator:
    case Origin::kInstallValues: return 2;
  }
  return 3;
}

// Sources the user passes apply to every revision; the others to theirs.
bool ForEveryRevision(const MeshConfigSource& s) {
  return s.origin == Origin::kCommandLine || s.origin == Origin::kProjectConfig;
}

bool IsInstall(const MeshConfigSource& s) {
  return s.origin == Origin::kIstioOperator || s.origin == Origin::kInstallValues;
}

// The namespace the install sources of `revision` put istiod in, if any says.
const std::string* InstallNamespace(const std::vector<MeshConfigSource>& sources,
                                    const std::vector<std::size_t>& order,
                                    const std::string& revision) {
  for (std::size_t idx : order)
    if (IsInstall(sources[idx]) && sources[idx].revision == revision &&
        sources[idx].istio_namespace)
      return &sources[idx].istio_namespace->value;
  return nullptr;
}

}  // namespace

void MeshModel::ResolveMeshSettings() {
  mesh_conflicts.clear();
  inert_mesh_sources.clear();
  revision_settings_.clear();
  std::vector<std::size_t> order(mesh_sources.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return Precedence(mesh_sources[a].origin) < Precedence(mesh_sources[b].origin);
  });
  const std::string* ns = InstallNamespace(mesh_sources, order, "");
  const std::string default_ns = ns ? *ns : "istio-system";
  std::set<std::string> revisions;
  for (const MeshConfigSource& s : mesh_sources)
    if (!ForEveryRevision(s) && !s.revision.empty()) revisions.insert(s.revision);
  // A ConfigMap istiod of its revision does not read sets nothing.
  std::vector<std::string> istio_ns_of(mesh_sources.size());
  for (std::size_t i = 0; i < mesh_sources.size(); ++i) {
    const MeshConfigSource& s = mesh_sources[i];
    if (s.origin != Origin::kConfigMap) continue;
    const std::string* own = InstallNamespace(mesh_sources, order, s.revision);
    if (s.object.ns != (own ? *own : default_ns)) inert_mesh_sources.push_back(i);
  }
  mesh = ResolveRevision("", default_ns, order);
  for (const std::string& r : revisions) {
    const std::string* own = InstallNamespace(mesh_sources, order, r);
    revision_settings_.push_back(ResolveRevision(r, own ? *own : default_ns, order));
  }
  inherited_ = mesh;
  inherited_.inherited_from_default = true;
}

MeshSettings MeshModel::ResolveRevision(const std::string& revision, const std::string& istio_ns,
                                        const std::vector<std::size_t>& all) {
  MeshSettings out;
  out.revision = revision;
  out.istio_namespace = istio_ns;
  std::vector<std::size_t> order;
  for (std::size_t idx : all) {
    const MeshConfigSource& s = mesh_sources[idx];
    const bool inert = std::find(inert_mesh_sources.begin(), inert_mesh_sources.end(), idx) !=
                       inert_mesh_sources.end();
    if (!inert && (ForEveryRevision(s) || s.revision == revision)) order.push_back(idx);
  }
  // For each field: the first source (by precedence) that sets it decides;
  // every later source that sets it differently is a conflict. Two sources
  // that apply to every revision are reported once, with the default's.
  auto weigh = [&](const char* field, auto has, auto value, auto loc,
                   std::optional<std::size_t>& from) {
    for (std::size_t idx : order) {
      const MeshConfigSource& s = mesh_sources[idx];
      if (!has(s)) continue;
      if (!from) {
        from = idx;
        continue;
      }
      const MeshConfigSource& w = mesh_sources[*from];
      const bool repeated = !revision.empty() && ForEveryRevision(s) && ForEveryRevision(w);
      if (value(s) != value(w) && !repeated)
        mesh_conflicts.push_back({revision, field, *from, idx, loc(w), loc(s), value(w), value(s)});
    }
  };

  weigh(
      "rootNamespace", [](const auto& s) { return s.root_namespace.has_value(); },
      [](const auto& s) { return s.root_namespace->value; },
      [](const auto& s) { return s.root_namespace->loc; }, out.root_namespace_from);
  if (out.root_namespace_from)
    out.root_namespace = mesh_sources[*out.root_namespace_from].root_namespace->value;

  weigh(
      "defaultServiceExportTo",
      [](const auto& s) { return s.default_service_export_to.has_value(); },
      [](const auto& s) { return JoinValues(*s.default_service_export_to); },
      [](const auto& s) { return s.default_service_export_to_key; }, out.default_export_from);
  if (out.default_export_from) {
    const auto& values = *mesh_sources[*out.default_export_from].default_service_export_to;
    out.default_service_export_to.clear();
    for (const auto& v : values) out.default_service_export_to.push_back(v.value);
    // An empty list in MeshConfig means Istio's default, "*".
    if (out.default_service_export_to.empty()) out.default_service_export_to = {"*"};
  }

  weigh(
      "outboundTrafficPolicy.mode", [](const auto& s) { return s.outbound_mode.has_value(); },
      [](const auto& s) { return std::string(OutboundModeName(s.outbound_mode->value)); },
      [](const auto& s) { return s.outbound_mode->loc; }, out.outbound_from);
  if (out.outbound_from) out.outbound_mode = mesh_sources[*out.outbound_from].outbound_mode->value;
  if (!out.outbound_from)
    for (std::size_t idx : order)
      if (mesh_sources[idx].origin != Origin::kProjectConfig) {
        out.outbound_unset_at = idx;
        break;
      }
  return out;
}

}  // namespace meshlint
