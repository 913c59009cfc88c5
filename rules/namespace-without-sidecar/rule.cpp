// namespace-without-sidecar: a namespace in the sidecar mesh whose proxies are
// limited by no Sidecar, neither its own default nor the root namespace's, so
// they import every service exported to them: the second hole of the write-up.
#include <algorithm>
#include <map>
#include <vector>

#include "rules/common.h"
#include "rules/rules.h"

namespace meshlint::rules {

namespace {

bool Label(const NamespaceObject& ns, const char* key, const char* value) {
  auto it = ns.labels.find(key);
  return it != ns.labels.end() && it->second == value;
}

// Whether workloads of this namespace get sidecars at all.
bool InSidecarMesh(const MeshModel& model, const NamespaceInfo& info) {
  if (model.IsSystemNamespace(info.name)) return false;
  if (!info.manifest) return true;  // known only from its objects: assume yes
  const NamespaceObject& ns = model.namespaces[*info.manifest];
  if (Label(ns, "istio-injection", "disabled")) return false;
  const bool injected = Label(ns, "istio-injection", "enabled") ||
                        ns.labels.count("istio.io/rev") != 0;
  if (Label(ns, "istio.io/dataplane-mode", "ambient") && !injected) return false;
  return true;
}

}  // namespace

void CheckNamespaceWithoutSidecar(const MeshModel& model, FindingSink& sink) {
  if (!model.DefaultSidecars(model.mesh.root_namespace).empty()) return;

  // External hosts each namespace imports without a Sidecar: those exported
  // to all, plus those exported to it by name or by ".". One pass over the
  // ServiceEntries, not one per namespace.
  // The ServiceEntries themselves are kept too: the first few become related
  // locations, the objects that grant the namespace its hosts.
  std::size_t to_all = 0;
  std::vector<const ServiceEntry*> granting_all;
  std::map<std::string, std::size_t, std::less<>> to_some;
  std::map<std::string, std::vector<const ServiceEntry*>, std::less<>> granting_some;
  for (const ServiceEntry& se : model.service_entries) {
    if (!se.IsExternal()) continue;
    if (model.IsExportedToAll(se)) {
      to_all += se.hosts.size();
      granting_all.push_back(&se);
      continue;
    }
    auto add = [&](const std::string& ns) {
      to_some[ns] += se.hosts.size();
      auto& list = granting_some[ns];
      if (list.empty() || list.back() != &se) list.push_back(&se);
    };
    if (se.export_to.empty()) {
      for (const auto& ns : model.mesh.default_service_export_to)
        add(ns == "." ? se.meta.ref.ns : ns);
    } else {
      for (const auto& ns : se.export_to) add(ns.value == "." ? se.meta.ref.ns : ns.value);
    }
  }
  constexpr std::size_t kRelatedGrants = 5;

  for (const NamespaceInfo& info : model.namespace_index()) {
    if (!InSidecarMesh(model, info)) continue;
    if (!model.DefaultSidecars(info.name).empty()) continue;

    Diagnostic d;
    if (info.manifest) {
      const ObjectMeta& meta = model.namespaces[*info.manifest].meta;
      d.loc = meta.anchor();
      d.object = meta.ref;
    } else {
      d.loc = info.first_object_loc;
      d.object = ObjectRef{"Namespace", "", info.name};
    }
    d.field = "Sidecar";

    std::size_t hosts = to_all;
    if (auto it = to_some.find(info.name); it != to_some.end()) hosts += it->second;
    std::string subject = "Namespace '" + info.name + "'";
    if (!info.manifest)
      subject += " (no Namespace manifest; known from " + info.first_object.kind + " '" +
                 info.first_object.name + "')";

    std::vector<std::string> scoped;
    for (std::size_t i : info.sidecars) {
      scoped.push_back(model.sidecars[i].meta.ref.name);
      d.related.push_back({model.sidecars[i].selector_loc.valid() ? model.sidecars[i].selector_loc
                                                                  : model.sidecars[i].meta.anchor(),
                           "workload-scoped Sidecar: applies only to the workloads it selects"});
    }
    // The ServiceEntries that grant hosts here, exported by name first (they
    // are about this namespace), then to all; a few, the count is in the message.
    // Only the first few are copied: copying every exported-to-all
    // ServiceEntry for every namespace would grow with their product.
    std::vector<const ServiceEntry*> grants;
    if (auto it = granting_some.find(info.name); it != granting_some.end())
      grants.assign(it->second.begin(),
                    it->second.begin() + static_cast<std::ptrdiff_t>(
                                             std::min(it->second.size(), kRelatedGrants)));
    for (std::size_t k = 0; grants.size() < kRelatedGrants && k < granting_all.size(); ++k)
      grants.push_back(granting_all[k]);
    for (const ServiceEntry* se : grants)
      if (se->meta.anchor() != d.loc)  // not the place the finding already points at
        d.related.push_back({se->meta.anchor(), "ServiceEntry '" + se->meta.ref.name +
                                                  "' adds its hosts to this namespace's registry"});
    d.message = subject + " has no default Sidecar";
    if (!scoped.empty())
      d.message += " (only workload-scoped ones: " + ListForMessage(scoped) + ")";
    d.message += " and the root namespace " + model.mesh.root_namespace +
                 " has none to inherit: its proxies import every service exported to it";
    if (hosts > 0)
      d.message += ", including " + std::to_string(hosts) + " external host" +
                   (hosts == 1 ? "" : "s");
    d.message += ". Add a Sidecar without workloadSelector whose egress hosts list only what it "
                 "needs (e.g. \"./*\", \"" + model.mesh.root_namespace + "/*\").";
    sink.Report(std::move(d));
  }
}

}  // namespace meshlint::rules
