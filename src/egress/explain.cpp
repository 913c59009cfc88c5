// `meshlint egress --from NS --to HOST`: why the host is (not) reachable and
// what would flip the answer, as steps. Every Istio answer comes from
// src/semantics; the sentences are rendered in src/report.
#include <algorithm>
#include <tuple>

#include "egress/egress.h"

namespace meshlint::egress {

namespace {

// A ServiceEntry that lists the host asked about (or a wildcard covering it).
struct Candidate {
  std::uint32_t se = 0;
  std::uint32_t host = 0;  // the matching entry of its hosts
  bool exported = false;
  istio::Import import;  // how the applicable Sidecar imports it
  bool reaches() const { return exported && import.imports(); }
};

// Builds one Explanation; each part is one method, in the order of the text.
class Explainer {
 public:
  Explainer(const MeshModel& model, Explanation& ex) : model_(model), ex_(ex) {}

  void Run() {
    sc_ = ex_.scope.sidecar;
    allow_any_ = AllowsAny(ex_.scope.mode);
    Preamble();
    Mode();
    FindCandidates();
    ex_.via_registry = !candidates_.empty() && candidates_.front().reaches();
    ex_.reachable = allow_any_ || ex_.via_registry;
    Registry();
    if (ex_.reachable) {
      ChangesToClose();
    } else {
      ChangesToOpen();
    }
    WorkloadNotes();
  }

 private:
  const ServiceEntry& Se(const Candidate& c) const { return model_.service_entries[c.se]; }

  Step Make(StepKind kind, Location loc) const {
    Step s;
    s.kind = kind;
    s.loc = loc;
    s.sidecar = sc_;
    return s;
  }
  Step About(StepKind kind, Location loc, const Candidate& c) const {
    Step s = Make(kind, loc);
    s.service_entry = &Se(c);
    s.host = c.host;
    return s;
  }

  void Preamble() {
    if (!ex_.scope.namespace_known) ex_.chain.push_back(Make(StepKind::kNamespaceUnknown, {}));
    if (const auto defaults = istio::DefaultSidecars(model_, ex_.ns); defaults.size() > 1) {
      Step s = Make(StepKind::kSeveralDefaults, defaults[1]->meta.anchor());
      s.count = defaults.size();
      ex_.chain.push_back(s);
    }
  }

  void Mode() {
    const istio::OutboundDecision d = istio::EffectiveOutbound(model_, sc_);
    StepKind kind = StepKind::kModeNoMeshConfig;
    switch (d.origin) {
      case istio::ModeOrigin::kSidecar:
        kind = d.mode_written ? StepKind::kModeBySidecar : StepKind::kModeBySidecarUnset;
        break;
      case istio::ModeOrigin::kMesh: kind = StepKind::kModeByMesh; break;
      case istio::ModeOrigin::kIstioDefault:
        kind = d.mesh_source ? StepKind::kModeMeshUnset : StepKind::kModeNoMeshConfig;
        break;
    }
    Step s = Make(kind, d.loc);
    s.mode = d.mode;
    s.mesh_source = d.mesh_source;
    ex_.chain.push_back(s);
  }

  void FindCandidates() {
    for (std::uint32_t i = 0; i < model_.service_entries.size(); ++i) {
      const ServiceEntry& se = model_.service_entries[i];
      for (std::uint32_t h = 0; h < se.hosts.size(); ++h) {
        if (!istio::HostSubsetOf(ex_.host, se.hosts[h].value)) continue;
        if (!se.IsExternal()) {
          internal_.push_back(i);
          break;
        }
        Candidate c;
        c.se = i;
        c.host = h;
        c.exported = istio::IsExportedTo(model_, se, ex_.ns);
        c.import = istio::SidecarImport(sc_, ex_.ns, se.meta.ref.ns, se.hosts[h].value);
        candidates_.push_back(c);
        break;
      }
    }
    // The decisive ones first: reaching, then exported, then own namespace.
    auto rank = [&](const Candidate& c) {
      const ObjectRef& r = Se(c).meta.ref;
      return std::make_tuple(!c.reaches(), !c.exported, r.ns != ex_.ns, r.ns, r.name);
    };
    std::stable_sort(candidates_.begin(), candidates_.end(),
                     [&](const Candidate& a, const Candidate& b) { return rank(a) < rank(b); });
  }

  void Registry() {
    if (candidates_.empty()) ex_.chain.push_back(Make(StepKind::kNotInRegistry, {}));
    for (std::uint32_t i : internal_) {
      Step s = Make(StepKind::kMeshInternal, model_.service_entries[i].location.loc);
      s.service_entry = &model_.service_entries[i];
      ex_.chain.push_back(s);
    }
    const std::size_t shown = std::min<std::size_t>(candidates_.size(), kShown);
    for (std::size_t k = 0; k < shown; ++k) {
      const Candidate& c = candidates_[k];
      ex_.chain.push_back(About(StepKind::kListed, Se(c).hosts[c.host].loc, c));
      ex_.chain.push_back(ExportStep(c));
      if (c.exported) {
        ex_.chain.push_back(ImportStep(c));
      } else if (c.import.kind == istio::ImportKind::kEntry) {
        Step s = About(StepKind::kImportsButNotExported, sc_->egress_hosts[c.import.entry].loc, c);
        s.egress_host = c.import.entry;
        ex_.chain.push_back(s);
      }
    }
    if (candidates_.size() > shown) {
      Step s = Make(StepKind::kMoreServiceEntries, {});
      s.count = candidates_.size() - shown;
      ex_.chain.push_back(s);
    }
  }

  // Whether the ServiceEntry is exported to the namespace, and what decides.
  Step ExportStep(const Candidate& c) const {
    const ServiceEntry& se = Se(c);
    const istio::Export exported = istio::EffectiveExport(model_, se);
    Location loc = se.export_to_key.valid() ? se.export_to_key : se.meta.anchor();
    // Not exported because of the mesh default: that is the line to change.
    if (!c.exported && exported.origin == istio::ExportOrigin::kMeshDefault) loc = exported.loc;
    Step s = About(exported.origin == istio::ExportOrigin::kExportTo ? StepKind::kExportToList
                                                                     : StepKind::kExportMeshDefault,
                   loc, c);
    s.included = c.exported;
    s.mesh_source = exported.mesh_source;
    return s;
  }

  // How the applicable Sidecar imports (or not) an exported ServiceEntry.
  Step ImportStep(const Candidate& c) const {
    if (!sc_) {
      // The Namespace manifest is where a person would look for (and add) one.
      Location loc;
      if (const NamespaceInfo* info = model_.FindNamespace(ex_.ns); info && info->manifest)
        loc = model_.namespaces[*info->manifest].meta.anchor();
      return About(StepKind::kNoSidecar, loc, c);
    }
    if (sc_->egress_hosts.empty()) return About(StepKind::kSidecarImportsAll, sc_->meta.anchor(), c);
    if (c.import.kind == istio::ImportKind::kEntry) {
      Step s = About(StepKind::kSidecarImportsThrough, sc_->egress_hosts[c.import.entry].loc, c);
      s.egress_host = c.import.entry;
      return s;
    }
    return About(StepKind::kSidecarDoesNotImport,
                 sc_->egress_key.valid() ? sc_->egress_key : sc_->meta.anchor(), c);
  }

  Step ModeChange() const {
    const istio::OutboundDecision d = istio::EffectiveOutbound(model_, sc_);
    switch (d.origin) {
      case istio::ModeOrigin::kSidecar: {
        Step s = Make(StepKind::kSetSidecarMode, d.loc);
        s.mode = istio::MeshOutbound(model_).mode;
        return s;
      }
      case istio::ModeOrigin::kMesh: {
        Step s = Make(StepKind::kSetMeshMode, d.loc);
        s.mesh_source = d.mesh_source;
        return s;
      }
      case istio::ModeOrigin::kIstioDefault: break;
    }
    return Make(StepKind::kAddMeshMode, {});
  }

  // Reachable: the mode, then each ServiceEntry that lets it through.
  void ChangesToClose() {
    if (allow_any_) ex_.changes.push_back(ModeChange());
    const Relation after_mode = allow_any_ ? Relation::kAlsoNeeded : Relation::kNone;
    for (const Candidate& c : candidates_) {
      if (!c.reaches()) continue;
      const ServiceEntry& se = Se(c);
      Step s = About(StepKind::kAddDefaultSidecar, {}, c);
      if (sc_ && sc_->egress_hosts.empty()) {
        s = About(StepKind::kGiveEgressHosts, sc_->meta.anchor(), c);
      } else if (sc_) {
        const auto& entry = sc_->egress_hosts[c.import.entry];
        const bool exact = istio::SplitEgressHost(entry.value)->dns == se.hosts[c.host].value;
        s = About(exact ? StepKind::kRemoveEgressHost : StepKind::kReplaceEgressHost, entry.loc, c);
        s.egress_host = c.import.entry;
      }
      s.relation = after_mode;
      ex_.changes.push_back(s);
      Step alt = se.meta.ref.ns != ex_.ns
                     ? About(StepKind::kNarrowExport,
                             se.export_to_key.valid() ? se.export_to_key : se.hosts_key, c)
                     : About(StepKind::kRemoveHost, se.hosts[c.host].loc, c);
      alt.relation = Relation::kAlternative;
      ex_.changes.push_back(alt);
      if (ex_.changes.size() > 8) break;
    }
  }

  // Not reachable: register the host, or export and import a ServiceEntry
  // that lists it.
  void ChangesToOpen() {
    if (candidates_.empty()) {
      Step s = Make(StepKind::kAddServiceEntry, {});
      if (sc_ && !sc_->egress_hosts.empty()) {
        // A ServiceEntry in the namespace itself: does the Sidecar import it?
        s.import_too = !istio::SidecarImport(sc_, ex_.ns, ex_.ns, ex_.host).imports();
      }
      ex_.changes.push_back(s);
    }
    for (std::size_t k = 0; k < std::min<std::size_t>(candidates_.size(), kShown); ++k) {
      const Candidate& c = candidates_[k];
      const ServiceEntry& se = Se(c);
      Step s;
      if (!c.exported) {
        s = About(StepKind::kAddToExport,
                  se.export_to_key.valid() ? se.export_to_key : se.hosts_key, c);
        s.import_too = !c.import.imports();
      } else {
        s = About(StepKind::kAddEgressHost,
                  sc_->egress_key.valid() ? sc_->egress_key : sc_->meta.anchor(), c);
      }
      s.relation = k ? Relation::kAlternative : Relation::kNone;
      ex_.changes.push_back(s);
    }
  }

  // Workload-scoped Sidecars answer for the workloads they select.
  void WorkloadNotes() {
    const NamespaceInfo* info = model_.FindNamespace(ex_.ns);
    if (!info) return;
    for (std::size_t i : info->sidecars) {
      const Sidecar& ws = model_.sidecars[i];
      if (!ws.has_selector) continue;
      Step s = Make(StepKind::kWorkloadSidecar,
                    ws.selector_loc.valid() ? ws.selector_loc : ws.meta.anchor());
      s.sidecar = &ws;
      s.mode = istio::EffectiveOutbound(model_, &ws).mode;
      s.reachable = AllowsAny(s.mode);
      for (const Candidate& c : candidates_) {
        const ServiceEntry& se = Se(c);
        if (c.exported &&
            istio::SidecarImport(&ws, ex_.ns, se.meta.ref.ns, se.hosts[c.host].value).imports())
          s.reachable = true;
      }
      ex_.workload_notes.push_back(s);
    }
  }

  static constexpr std::size_t kShown = 3;  // ServiceEntries explained in full

  const MeshModel& model_;
  Explanation& ex_;
  const Sidecar* sc_ = nullptr;
  bool allow_any_ = false;
  std::vector<Candidate> candidates_;
  std::vector<std::uint32_t> internal_;  // MESH_INTERNAL ones that list the host
};

}  // namespace

Explanation EgressAnalysis::Explain(std::string_view ns, std::string_view host) const {
  Explanation ex;
  ex.ns = std::string(ns);
  ex.host = std::string(host);
  ex.scope = NamespaceScope(ns);
  ex.sidecar_origin = istio::ApplicableSidecar(model_, ns).origin;
  Explainer(model_, ex).Run();
  return ex;
}

}  // namespace meshlint::egress
