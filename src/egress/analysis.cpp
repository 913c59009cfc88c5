// The rows of the egress analysis: workloads grouped by the verdict they
// share, each with the registry of its proxy's revision and its Sidecar.
#include <algorithm>
#include <tuple>

#include "egress/egress.h"
#include "egress/import_index.h"

namespace meshlint::egress {

std::string Scope::WorkloadNames(std::size_t shown) const {
  std::string out;
  for (std::size_t i = 0; i < workloads.size() && i < shown; ++i)
    out += (i ? ", " : "") + workloads[i]->meta.ref.kind + "/" + workloads[i]->meta.ref.name;
  if (workloads.size() > shown) out += " and " + std::to_string(workloads.size() - shown) + " more";
  return out;
}

namespace {

// A revision tag resolves to its revision; "default" is the default.
std::string ResolveRevision(const MeshModel& model, const std::string& revision) {
  for (const RevisionTag& t : model.revision_tags)
    if (t.tag == revision) return t.revision == "default" ? "" : t.revision;
  return revision == "default" ? "" : revision;
}

// What makes two workloads' verdicts equal.
std::string RowKey(const Scope& s) {
  std::string key = std::to_string(static_cast<int>(s.proxy.proxy)) + "|";
  if (s.unmediated()) key += std::to_string(static_cast<int>(s.proxy.reason));
  key += "|" + s.proxy.revision + "|" +
         std::to_string(reinterpret_cast<std::uintptr_t>(s.sidecar)) + "|" + s.capture.Signature() +
         "|" + (s.dns_capture ? "d" : "");
  return key;
}

}  // namespace

std::uint32_t EgressAnalysis::RegistryFor(const std::string& revision) {
  const std::string rev = ResolveRevision(model_, revision);
  if (auto it = registry_of_revision_.find(rev); it != registry_of_revision_.end())
    return it->second;
  const auto i = static_cast<std::uint32_t>(registries_.size());
  registries_.push_back(std::make_unique<istio::Registry>(model_, rev));
  registry_of_revision_.emplace(rev, i);
  // Index the services by where they are visible: one pass, so no row is
  // ever compared with every service.
  Index idx;
  const istio::Registry& reg = *registries_.back();
  for (std::uint32_t s = 0; s < reg.services().size(); ++s) {
    const istio::RegistryService& svc = reg.service(s);
    if (svc.resolution == istio::Resolution::kAlias) continue;  // never a listener of its own
    if (svc.visibility.scope == istio::ExportScope::kAll) {
      idx.to_all.push_back(s);
      idx.all_by_ns[std::string(svc.ns())].push_back(s);
    } else {
      for (const std::string& ns : svc.visibility.namespaces) idx.to_ns[ns].push_back(s);
    }
  }
  index_.push_back(std::move(idx));
  return i;
}

EgressAnalysis::EgressAnalysis(const MeshModel& model) : model_(model) {
  RegistryFor("");  // registry 0: the default revision's
  for (const NamespaceInfo& info : model.namespace_index()) {
    if (info.workloads.empty()) {
      scopes_.push_back(MakeRow(info.name, nullptr, nullptr));
      // The pods each workload-scoped Sidecar would select.
      for (const Sidecar* sc :
           istio::NamespaceSidecars(model, info.name, scopes_.back().proxy.revision))
        if (sc->has_selector && !sc->selector.labels.empty())
          scopes_.push_back(MakeRow(info.name, nullptr, sc));
      continue;
    }
    std::map<std::string, std::size_t> by_key;
    for (std::size_t wi : info.workloads) {
      Scope row = MakeRow(info.name, &model.workloads[wi], nullptr);
      const auto [it, fresh] = by_key.try_emplace(RowKey(row), scopes_.size());
      if (fresh) {
        scopes_.push_back(std::move(row));
      } else {
        scopes_[it->second].workloads.push_back(&model.workloads[wi]);
      }
    }
  }
  for (Scope& s : scopes_) {
    s.registry = RegistryFor(s.proxy.revision);
    FillImports(s);
  }
  // The listeners of each shared list, once: rows differ only in their own
  // few imports.
  for (const Scope& s : scopes_) {
    if (!s.mediated()) continue;
    const auto key = std::make_pair(s.shared.get(), s.dns_capture);
    if (!wildcard_of_shared_.count(key))
      wildcard_of_shared_.emplace(key, FindWildcardListeners(*s.shared, s.registry, s.dns_capture));
    if (!s.virtual_services.empty() && !index_of_shared_.count(key))
      index_of_shared_.emplace(key, std::make_shared<const ImportIndex>(model_, RegistryOf(s),
                                                                        *s.shared, s.dns_capture));
  }
  BuildGroups();
}

Scope EgressAnalysis::MakeRow(const std::string& ns, const Workload* w,
                              const Sidecar* hypothetical) const {
  Scope s;
  s.ns = ns;
  if (w) s.workloads.push_back(w);
  s.hypothetical = hypothetical != nullptr;
  s.selected_by = hypothetical;
  const NamespaceInfo* info = model_.FindNamespace(ns);
  s.namespace_known = info != nullptr;
  s.proxy = info ? istio::WorkloadProxy(model_, *info, w) : istio::NewNamespaceProxy();
  if (s.unmediated()) return s;
  s.capture = istio::PodCapture(model_, w, s.proxy);
  const MeshSettings& settings = model_.SettingsForRevision(s.proxy.revision);
  s.dns_capture = settings.dns_capture.value;
  if (w && w->pod.dns_capture) s.dns_capture = w->pod.dns_capture->value;
  const Labels* labels = w              ? &w->pod.labels
                         : hypothetical ? &hypothetical->selector.labels
                                        : nullptr;
  const istio::AppliedSidecar applied = istio::SidecarFor(model_, ns, labels, s.proxy.revision);
  s.sidecar = applied.sidecar;
  s.sidecar_origin = applied.origin;
  s.defaults = applied.defaults;
  s.workload_scoped = s.sidecar && s.sidecar->has_selector;
  const istio::OutboundDecision outbound =
      istio::EffectiveOutbound(model_, s.sidecar, s.proxy.revision);
  s.mode = outbound.mode;
  s.mode_source = outbound.origin;
  return s;
}

std::vector<Scope> EgressAnalysis::NamespaceRows(std::string_view ns) const {
  std::vector<Scope> out;
  auto it = std::lower_bound(scopes_.begin(), scopes_.end(), ns,
                             [](const Scope& s, std::string_view n) { return s.ns < n; });
  for (; it != scopes_.end() && it->ns == ns; ++it) out.push_back(*it);
  if (out.empty()) out.push_back(NamespaceScope(ns));
  return out;
}

std::optional<Scope> EgressAnalysis::WorkloadRow(std::string_view ns, std::string_view kind,
                                                 std::string_view name) const {
  for (const Scope& s : scopes_) {
    if (s.ns != ns) continue;
    for (const Workload* w : s.workloads)
      if (w->meta.ref.kind == kind && w->meta.ref.name == name) {
        Scope one = s;
        one.workloads = {w};
        return one;
      }
  }
  return std::nullopt;
}

Scope EgressAnalysis::NamespaceScope(std::string_view ns) const {
  for (const Scope& s : scopes_)
    if (s.ns == ns && s.workloads.empty() && !s.hypothetical) return s;
  Scope s = MakeRow(std::string(ns), nullptr, nullptr);
  auto it = registry_of_revision_.find(ResolveRevision(model_, s.proxy.revision));
  s.registry = it == registry_of_revision_.end() ? 0 : it->second;
  FillImports(s);
  return s;
}

std::optional<std::pair<std::string, std::uint32_t>> ParseTarget(std::string_view to) {
  if (to.empty()) return std::nullopt;
  const auto colon = to.rfind(':');
  if (colon == std::string_view::npos) return std::make_pair(std::string(to), 0u);
  const std::string_view digits = to.substr(colon + 1);
  if (colon == 0 || digits.empty() || digits.size() > 5) return std::nullopt;
  std::uint32_t port = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    port = port * 10 + static_cast<std::uint32_t>(c - '0');
  }
  if (port == 0 || port > 65535) return std::nullopt;
  return std::make_pair(std::string(to.substr(0, colon)), port);
}

}  // namespace meshlint::egress
