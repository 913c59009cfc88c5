// namespace-without-sidecar: a namespace in the sidecar mesh whose proxies are
// limited by no Sidecar, neither its own default nor the root namespace's, so
// they import every service exported to them: the second hole of the write-up.
// When nothing in the inputs says the namespace's pods get a proxy (no
// Namespace manifest, or one without injection label and no workload), the
// finding is one level lower: the hole exists only if they do.
#include <algorithm>
#include <map>
#include <vector>

#include "rules/common.h"
#include "rules/rules.h"
#include "semantics/istio.h"

namespace meshlint::rules {

namespace {

// Only the first few granting ServiceEntries become related locations:
// copying every exported-to-all ServiceEntry for every namespace would grow
// with their product.
constexpr std::size_t kRelatedGrants = 5;

// External hosts each namespace imports without a Sidecar: those exported to
// all, plus those exported to it by name or by ".". One pass over the
// ServiceEntries, not one per namespace. The ServiceEntries themselves are
// kept too: the first few become related locations, the objects that grant
// the namespace its hosts.
struct Grants {
  std::size_t to_all = 0;
  std::vector<const ServiceEntry*> granting_all;
  std::map<std::string, std::size_t, std::less<>> to_some;
  std::map<std::string, std::vector<const ServiceEntry*>, std::less<>> granting_some;

  std::size_t HostsOf(const std::string& ns) const {
    auto it = to_some.find(ns);
    return to_all + (it == to_some.end() ? 0 : it->second);
  }
  // Exported by name first (they are about this namespace), then to all.
  std::vector<const ServiceEntry*> GrantingFirst(const std::string& ns) const {
    std::vector<const ServiceEntry*> out;
    if (auto it = granting_some.find(ns); it != granting_some.end())
      out.assign(it->second.begin(), it->second.begin() + static_cast<std::ptrdiff_t>(std::min(
                                                              it->second.size(), kRelatedGrants)));
    for (std::size_t k = 0; out.size() < kRelatedGrants && k < granting_all.size(); ++k)
      out.push_back(granting_all[k]);
    return out;
  }
};

Grants CollectGrants(const MeshModel& model) {
  Grants g;
  for (const ServiceEntry& se : model.service_entries) {
    if (!se.IsExternal()) continue;
    const istio::Export exported = istio::EffectiveExport(model, se);
    if (exported.scope == istio::ExportScope::kAll) {
      g.to_all += se.hosts.size();
      g.granting_all.push_back(&se);
      continue;
    }
    for (std::string_view ns : exported.namespaces) {
      g.to_some[std::string(ns)] += se.hosts.size();
      g.granting_some[std::string(ns)].push_back(&se);
    }
  }
  return g;
}

// Why a namespace whose pods may have no proxy is reported one level lower
// (a note, by default), in words.
std::string Unknown(const NamespaceInfo& info) {
  if (!info.manifest)
    return "Nothing in the inputs says whether its pods get an Istio proxy (no Namespace "
           "manifest, no workload labelled for injection), so the finding is one level lower than "
           "usual.";
  return "Its Namespace manifest has no injection label, so only pods labelled "
         "sidecar.istio.io/inject=true get an Istio proxy, and the inputs hold none of its "
         "workloads, so the finding is one level lower than usual.";
}

// "Namespace 'x' has no default Sidecar ... Add a Sidecar ...". Each
// sentence names what it speaks of: the proxies, and the namespace whose
// imports they get.
std::string Message(const MeshModel& model, const NamespaceInfo& info,
                    const std::vector<std::string>& scoped, std::size_t hosts, bool known) {
  const std::string& root = model.mesh.root_namespace;
  std::string out = "Namespace '" + info.name + "'";
  if (!info.manifest)
    out += " (no Namespace manifest; known from " + info.first_object.kind + " '" +
           info.first_object.name + "')";
  out += " has no default Sidecar";
  if (!scoped.empty()) out += " (only workload-scoped ones: " + ListForMessage(scoped) + ")";
  out += " and the root namespace " + root + " has none to inherit";
  out += known ? ": the Istio proxies of its pods"
               : ". " + Unknown(info) + " If some of its pods do get an Istio proxy, those proxies";
  out += " import every service exported to namespace '" + info.name + "'";
  if (hosts > 0)
    out += ", including " + std::to_string(hosts) + " external host" + (hosts == 1 ? "" : "s");
  out +=
      ". Add a Sidecar without workloadSelector whose egress hosts list only what it "
      "needs (e.g. \"./*\", \"" +
      root + "/*\").";
  return out;
}

void Report(const MeshModel& model, const NamespaceInfo& info, const Grants& grants, bool known,
            FindingSink& sink) {
  Diagnostic d;
  // Pods whose proxy is only assumed: a note (one level lower), not a guess.
  d.uncertain = !known;
  if (info.manifest) {
    const ObjectMeta& meta = model.namespaces[*info.manifest].meta;
    d.loc = meta.anchor();
    d.object = meta.ref;
  } else {
    d.loc = info.first_object_loc;
    d.object = ObjectRef{"Namespace", "", info.name};
  }
  d.field = "Sidecar";
  // The namespace has no default, so each of its Sidecars is workload-scoped.
  std::vector<std::string> scoped;
  for (std::size_t i : info.sidecars) {
    const Sidecar& sc = model.sidecars[i];
    scoped.push_back(sc.meta.ref.name);
    d.related.push_back({sc.selector_loc.valid() ? sc.selector_loc : sc.meta.anchor(),
                         "workload-scoped Sidecar: applies only to the workloads it selects"});
  }
  for (const ServiceEntry* se : grants.GrantingFirst(info.name))
    if (se->meta.anchor() != d.loc)  // not the place the finding already points at
      d.related.push_back({se->meta.anchor(), "ServiceEntry '" + se->meta.ref.name +
                                                  "' adds its hosts to this namespace's registry"});
  d.message = Message(model, info, scoped, grants.HostsOf(info.name), known);
  sink.Report(std::move(d));
}

}  // namespace

void CheckNamespaceWithoutSidecar(const MeshModel& model, FindingSink& sink) {
  if (!istio::DefaultSidecars(model, model.mesh.root_namespace).empty()) return;
  const Grants grants = CollectGrants(model);
  for (const NamespaceInfo& info : model.namespace_index()) {
    // System namespaces (Kubernetes', Istio's own, the root namespace and
    // those the project config names) run infrastructure, not the
    // workloads the rule is about; the root namespace's Sidecar is the
    // mesh-wide default, not a namespace's own.
    if (istio::IsSystemNamespace(model, info.name)) continue;
    // Only namespaces whose pods may get a sidecar: a label that keeps
    // every proxy out, ambient mode, or workloads in the inputs none of
    // which gets one leave no proxy for a Sidecar to limit (their
    // unmediated egress is egress-unmediated-workload's finding). A
    // namespace without injection label still injects the pods labelled
    // sidecar.istio.io/inject=true (the injector's `object.` webhook).
    const istio::SidecarPods pods = istio::NamespaceSidecarPods(model, info);
    if (pods == istio::SidecarPods::kNone) continue;
    if (!istio::DefaultSidecars(model, info.name).empty()) continue;
    Report(model, info, grants, pods == istio::SidecarPods::kSome, sink);
  }
}

}  // namespace meshlint::rules
