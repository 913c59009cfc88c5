#include "egress/egress.h"

#include <algorithm>
#include <tuple>

namespace meshlint::egress {

using istio::EntryImports;
using istio::HostSubsetOf;
using istio::IsWildcardHost;
using istio::SplitEgressHost;

namespace {

bool RefLess(const HostRef& a, const HostRef& b) {
  return std::tie(a.se, a.host) < std::tie(b.se, b.host);
}

std::string Quote(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::string Qualified(const ObjectRef& ref) { return ref.ns + "/" + ref.name; }

std::string JoinQuoted(const std::vector<Located<std::string>>& values, std::size_t max = 6) {
  std::string out = "[";
  for (std::size_t i = 0; i < values.size() && i < max; ++i) {
    if (i) out += ", ";
    out += Quote(values[i].value);
  }
  if (values.size() > max) out += ", ... " + std::to_string(values.size() - max) + " more";
  return out + "]";
}

}  // namespace

EgressAnalysis::EgressAnalysis(const MeshModel& model) : model_(model) {
  // Index every external ServiceEntry by where it is exported: one pass, so
  // no namespace is ever compared with every ServiceEntry.
  auto shared = std::make_shared<std::vector<HostRef>>();
  for (std::uint32_t i = 0; i < model.service_entries.size(); ++i) {
    const ServiceEntry& se = model.service_entries[i];
    if (!Counts(se)) continue;
    const istio::Export exported = istio::EffectiveExport(model, se);
    if (exported.scope == istio::ExportScope::kAll) {
      to_all_.push_back(i);
      for (std::uint32_t h = 0; h < se.hosts.size(); ++h) {
        const auto pos = static_cast<std::uint32_t>(shared->size());
        shared->push_back({i, h});
        shared_by_ns_[se.meta.ref.ns].push_back(pos);
        shared_by_host_[se.hosts[h].value].push_back(pos);
      }
      continue;
    }
    for (std::string_view ns : exported.namespaces) to_ns_[std::string(ns)].push_back(i);
  }
  all_shared_ = std::move(shared);

  for (const NamespaceInfo& info : model.namespace_index()) {
    scopes_.push_back(NamespaceScope(info.name));
    for (std::size_t i : info.sidecars) {
      const Sidecar& sc = model.sidecars[i];
      if (sc.has_selector) scopes_.push_back(MakeScope(info.name, &sc, true));
    }
  }

  // Shared import lists that several namespace rows use become groups, in
  // the order their first row appears.
  std::unordered_map<const std::vector<HostRef>*, std::size_t> rows;
  for (const Scope& s : scopes_)
    if (!s.workload_scoped && !s.shared->empty()) ++rows[s.shared.get()];
  for (const Scope& s : scopes_) {
    auto it = rows.find(s.shared.get());
    if (it == rows.end() || it->second < 2 || group_of_.count(s.shared.get())) continue;
    group_of_.emplace(s.shared.get(), groups_.size());
    HostGroup g;
    g.hosts = Dedup(*s.shared, "");
    g.namespaces = it->second;
    g.unfiltered = s.shared == all_shared_;
    std::unordered_set<std::string_view> names;
    names.reserve(g.hosts.size());
    for (const HostRef& h : g.hosts) names.insert(HostName(h));
    group_names_.push_back(std::move(names));
    groups_.push_back(std::move(g));
  }
}

std::optional<std::size_t> EgressAnalysis::GroupOf(const Scope& scope) const {
  auto it = group_of_.find(scope.shared.get());
  if (it == group_of_.end()) return std::nullopt;
  return it->second;
}

std::shared_ptr<const std::vector<HostRef>> EgressAnalysis::SharedFor(const Sidecar* sidecar) const {
  if (istio::ImportsEverything(sidecar)) return all_shared_;
  if (auto it = shared_cache_.find(sidecar); it != shared_cache_.end()) return it->second;
  const std::vector<HostRef>& all = *all_shared_;
  // Positions picked, sorted at the end: a flag per shared host would cost
  // every Sidecar the size of the whole mesh (quadratic on big meshes).
  std::vector<std::uint32_t> picked;
  static const std::vector<std::uint32_t> kNone;
  auto find = [](const auto& map, std::string_view k) -> const std::vector<std::uint32_t>& {
    auto it = map.find(std::string(k));
    return it == map.end() ? kNone : it->second;
  };
  // The indexes only narrow the candidates; EntryImports decides.
  auto pick = [&](const istio::EgressEntry& entry, std::uint32_t p) {
    const HostRef& h = all[p];
    if (EntryImports(entry, sidecar->meta.ref.ns, model_.service_entries[h.se].meta.ref.ns,
                     HostName(h)))
      picked.push_back(p);
  };
  for (const auto& written : sidecar->egress_hosts) {
    auto entry = SplitEgressHost(written.value);
    // "." depends on the namespace the Sidecar is applied to: per row.
    if (!entry || entry->ns == "." || entry->ns == "~") continue;
    if (!IsWildcardHost(entry->dns)) {
      for (std::uint32_t p : find(shared_by_host_, entry->dns)) pick(*entry, p);
    } else if (entry->ns == "*") {
      for (std::size_t p = 0; p < all.size(); ++p) pick(*entry, static_cast<std::uint32_t>(p));
    } else {
      for (std::uint32_t p : find(shared_by_ns_, entry->ns)) pick(*entry, p);
    }
  }
  std::sort(picked.begin(), picked.end());
  picked.erase(std::unique(picked.begin(), picked.end()), picked.end());
  auto out = std::make_shared<std::vector<HostRef>>();
  out->reserve(picked.size());
  for (std::uint32_t p : picked) out->push_back(all[p]);
  shared_cache_.emplace(sidecar, out);
  return out;
}

Scope EgressAnalysis::MakeScope(std::string_view ns, const Sidecar* sidecar,
                                bool workload_scoped) const {
  Scope s;
  s.ns = std::string(ns);
  s.sidecar = sidecar;
  s.workload_scoped = workload_scoped;
  s.namespace_known = model_.FindNamespace(ns) != nullptr;
  const istio::OutboundDecision outbound = istio::EffectiveOutbound(model_, sidecar);
  s.mode = outbound.mode;
  s.mode_source = outbound.origin;
  s.shared = SharedFor(sidecar);

  if (auto it = to_ns_.find(s.ns); it != to_ns_.end()) {
    for (std::uint32_t i : it->second) {
      const ServiceEntry& se = model_.service_entries[i];
      for (std::uint32_t h = 0; h < se.hosts.size(); ++h)
        if (istio::SidecarImport(sidecar, ns, se.meta.ref.ns, se.hosts[h].value).imports())
          s.own.push_back({i, h});
    }
  }
  // "./..." entries import the row's own exported-to-all ServiceEntries.
  if (!istio::ImportsEverything(sidecar)) {
    std::vector<istio::EgressEntry> dots;
    for (const auto& written : sidecar->egress_hosts)
      if (auto e = SplitEgressHost(written.value); e && e->ns == ".") dots.push_back(*e);
    auto it = shared_by_ns_.find(s.ns);
    if (!dots.empty() && it != shared_by_ns_.end()) {
      for (std::uint32_t p : it->second) {
        const HostRef& h = (*all_shared_)[p];
        if (std::binary_search(s.shared->begin(), s.shared->end(), h, RefLess)) continue;
        for (const istio::EgressEntry& e : dots)
          if (EntryImports(e, ns, ns, HostName(h))) {
            s.own.push_back(h);
            break;
          }
      }
    }
  }
  return s;
}

Scope EgressAnalysis::NamespaceScope(std::string_view ns) const {
  return MakeScope(ns, istio::ApplicableSidecar(model_, ns).sidecar, false);
}

std::vector<HostRef> EgressAnalysis::Dedup(std::vector<HostRef> hosts, std::string_view ns) const {
  // One ServiceEntry per host name: the one in the namespace itself, else the
  // first by namespace and name (Istio picks one too).
  auto rank = [&](const HostRef& h) {
    const ObjectRef& ref = model_.service_entries[h.se].meta.ref;
    return std::make_tuple(std::string_view(HostName(h)), ref.ns != ns, std::string_view(ref.ns),
                           std::string_view(ref.name), h.se, h.host);
  };
  std::sort(hosts.begin(), hosts.end(),
            [&](const HostRef& a, const HostRef& b) { return rank(a) < rank(b); });
  hosts.erase(std::unique(hosts.begin(), hosts.end(),
                          [&](const HostRef& a, const HostRef& b) {
                            return HostName(a) == HostName(b);
                          }),
              hosts.end());
  return hosts;
}

std::vector<HostRef> EgressAnalysis::Reachable(const Scope& scope) const {
  std::vector<HostRef> all(scope.shared->begin(), scope.shared->end());
  all.insert(all.end(), scope.own.begin(), scope.own.end());
  return Dedup(std::move(all), scope.ns);
}

std::vector<HostRef> EgressAnalysis::ReachableBeyondGroup(const Scope& scope) const {
  const auto group = GroupOf(scope);
  if (!group) return Reachable(scope);
  const auto& in_group = group_names_[*group];
  std::vector<HostRef> out;
  for (const HostRef& h : Dedup(scope.own, scope.ns))
    if (!in_group.count(HostName(h))) out.push_back(h);
  return out;
}

// ---- --from/--to ----

namespace {

struct Candidate {
  std::uint32_t se = 0;
  std::uint32_t host = 0;  // the matching entry of its hosts
  bool exported = false;
  std::optional<int> entry;  // importing Sidecar entry
  bool reaches() const { return exported && entry.has_value(); }
};

// nullopt: not imported; -1: imported by the catch-all; else the entry.
std::optional<int> EntryIndex(const istio::Import& import) {
  switch (import.kind) {
    case istio::ImportKind::kNone: return std::nullopt;
    case istio::ImportKind::kAll: return -1;
    case istio::ImportKind::kEntry: return static_cast<int>(import.entry);
  }
  return std::nullopt;
}

}  // namespace

Explanation EgressAnalysis::Explain(std::string_view ns, std::string_view host) const {
  Explanation ex;
  ex.ns = std::string(ns);
  ex.host = std::string(host);
  ex.scope = NamespaceScope(ns);
  const Scope& scope = ex.scope;
  const Sidecar* sc = scope.sidecar;
  const std::string root = model_.mesh.root_namespace;
  const std::string sc_name = sc ? "Sidecar " + Qualified(sc->meta.ref) : "";

  if (!scope.namespace_known)
    ex.chain.push_back({{}, "No input names namespace " + ex.ns +
                                "; the answer is what a new namespace of that name would get."});

  if (const auto defaults = istio::DefaultSidecars(model_, ns); defaults.size() > 1)
    ex.chain.push_back({defaults[1]->meta.anchor(),
                        "Namespace " + ex.ns + " has " + std::to_string(defaults.size()) +
                            " Sidecars without workloadSelector: Istio's choice is undefined (it "
                            "uses the oldest); this answer uses " + sc_name +
                            ", the first in the inputs."});

  // 1. The outbound mode and where it is set.
  const std::string mode(OutboundModeName(scope.mode));
  const bool allow_any = AllowsAny(scope.mode);
  const std::string mode_effect =
      allow_any ? ": traffic to any host passes, registered or not."
                : ": only hosts in the service registry (ServiceEntries) pass.";
  Reason mode_reason;
  switch (scope.mode_source) {
    case istio::ModeOrigin::kSidecar:
      mode_reason.loc = sc->outbound_mode_loc.valid() ? sc->outbound_mode_loc : sc->outbound_key;
      mode_reason.text = sc->outbound_mode_loc.valid()
                             ? "Outbound mode is " + mode + ", set by " + sc_name + mode_effect
                             : "Outbound mode is REGISTRY_ONLY: " + sc_name +
                                   " has outboundTrafficPolicy without a mode, which Istio reads as "
                                   "REGISTRY_ONLY (the enum's zero value)" + mode_effect;
      break;
    case istio::ModeOrigin::kMesh: {
      const MeshConfigSource& src = model_.mesh_sources[*model_.mesh.outbound_from];
      mode_reason.loc = src.outbound_mode->loc;
      mode_reason.text = "Outbound mode is " + mode + ", set by the mesh config (" +
                         src.description + ")" + mode_effect;
      break;
    }
    case istio::ModeOrigin::kIstioDefault:
      if (const istio::OutboundDecision mesh = istio::MeshOutbound(model_); mesh.mesh_source) {
        // A mesh config exists but leaves the mode unset: point at it.
        const MeshConfigSource& src = model_.mesh_sources[*mesh.mesh_source];
        mode_reason.loc = mesh.loc;
        mode_reason.text = "Outbound mode is ALLOW_ANY: the mesh config (" + src.description +
                           ") does not set outboundTrafficPolicy.mode, and Istio's default is "
                           "ALLOW_ANY" + mode_effect;
      } else {
        mode_reason.text = "Outbound mode is ALLOW_ANY: no mesh config in the inputs sets "
                           "outboundTrafficPolicy.mode, and Istio's default is ALLOW_ANY" +
                           mode_effect;
      }
      break;
  }
  ex.chain.push_back(mode_reason);

  // 2. ServiceEntries that list the host, their export, the Sidecar import.
  std::vector<Candidate> candidates;
  std::vector<std::uint32_t> internal;
  for (std::uint32_t i = 0; i < model_.service_entries.size(); ++i) {
    const ServiceEntry& se = model_.service_entries[i];
    for (std::uint32_t h = 0; h < se.hosts.size(); ++h) {
      if (!HostSubsetOf(host, se.hosts[h].value)) continue;
      if (!se.IsExternal()) {
        internal.push_back(i);
        break;
      }
      Candidate c;
      c.se = i;
      c.host = h;
      c.exported = istio::IsExportedTo(model_, se, ns);
      c.entry = EntryIndex(istio::SidecarImport(sc, ns, se.meta.ref.ns, se.hosts[h].value));
      candidates.push_back(c);
      break;
    }
  }
  // The decisive ones first: reaching, then exported, then own namespace.
  std::stable_sort(candidates.begin(), candidates.end(), [&](const Candidate& a, const Candidate& b) {
    auto rank = [&](const Candidate& c) {
      const ObjectRef& r = model_.service_entries[c.se].meta.ref;
      return std::make_tuple(!c.reaches(), !c.exported, r.ns != ns, r.ns, r.name);
    };
    return rank(a) < rank(b);
  });
  ex.via_registry = !candidates.empty() && candidates.front().reaches();
  ex.reachable = allow_any || ex.via_registry;

  const std::string in_reg = allow_any ? "In the registry (what counts under REGISTRY_ONLY): " : "";
  if (candidates.empty()) {
    ex.chain.push_back({{}, in_reg + "No ServiceEntry in the inputs lists " + ex.host +
                                " (nor a wildcard covering it), so it is not in the registry."});
  }
  for (std::uint32_t i : internal) {
    const ServiceEntry& se = model_.service_entries[i];
    ex.chain.push_back({se.location.loc, "ServiceEntry " + Qualified(se.meta.ref) + " lists " +
                                             ex.host +
                                             " as MESH_INTERNAL (a service inside the mesh), so it "
                                             "does not count as an external host."});
  }

  // Describes how the Sidecar imports (or not) one ServiceEntry.
  auto sidecar_reason = [&](const Candidate& c) -> Reason {
    const ServiceEntry& se = model_.service_entries[c.se];
    const std::string& se_host = se.hosts[c.host].value;
    if (!sc) {
      // The Namespace manifest is where a person would look for (and add) one.
      Location loc;
      if (const NamespaceInfo* info = model_.FindNamespace(ns); info && info->manifest)
        loc = model_.namespaces[*info->manifest].meta.anchor();
      return {loc, "No Sidecar applies to " + ex.ns + " (it has no default Sidecar, nor has the "
                   "root namespace " + root + "), so its proxies import every service exported "
                   "to it."};
    }
    const std::string which =
        sc->meta.ref.ns == ex.ns ? sc_name + ", the default Sidecar of " + ex.ns
                                 : sc_name + ", the root namespace's default, which applies to " +
                                       ex.ns + " (it has none of its own)";
    if (sc->egress_hosts.empty())
      return {sc->meta.anchor(),
              which + ", has no egress hosts, so it imports every service exported to " + ex.ns +
                  "."};
    if (c.entry)
      return {sc->egress_hosts[*c.entry].loc,
              which + ", imports it through egress host " +
                  Quote(sc->egress_hosts[*c.entry].value) + "."};
    return {sc->egress_key.valid() ? sc->egress_key : sc->meta.anchor(),
            which + ", does not import it: none of its egress hosts " +
                JoinQuoted(sc->egress_hosts) + " selects " + se.meta.ref.ns + "/" + se_host +
                "."};
  };

  const std::size_t shown = std::min<std::size_t>(candidates.size(), 3);
  for (std::size_t k = 0; k < shown; ++k) {
    const Candidate& c = candidates[k];
    const ServiceEntry& se = model_.service_entries[c.se];
    const std::string& se_host = se.hosts[c.host].value;
    std::string lists = in_reg + "ServiceEntry " + Qualified(se.meta.ref) + " lists " +
                        (se_host == ex.host ? ex.host : se_host + ", which covers " + ex.host) +
                        " (location " +
                        (se.location.value.empty() ? std::string("unset: external")
                                                   : se.location.value) +
                        ").";
    ex.chain.push_back({se.hosts[c.host].loc, lists});
    std::string exported;
    Location export_loc = se.export_to_key.valid() ? se.export_to_key : se.meta.anchor();
    if (!se.export_to.empty()) {
      exported = "Its exportTo " + JoinQuoted(se.export_to) +
                 (c.exported ? " includes " + ex.ns : " does not include " + ex.ns) + ".";
    } else {
      std::string def = "[";
      for (std::size_t i = 0; i < model_.mesh.default_service_export_to.size(); ++i)
        def += (i ? ", " : "") + Quote(model_.mesh.default_service_export_to[i]);
      def += "]";
      exported = std::string(se.export_to_set ? "Its exportTo is empty" : "It has no exportTo") +
                 ", so the mesh default defaultServiceExportTo " + def +
                 (c.exported ? " applies, which includes " + ex.ns
                             : " applies, which does not include " + ex.ns) +
                 ".";
      if (model_.mesh.default_export_from && c.exported == false)
        export_loc = model_.mesh_sources[*model_.mesh.default_export_from].default_service_export_to_key;
    }
    ex.chain.push_back({export_loc, exported});
    if (c.exported) {
      ex.chain.push_back(sidecar_reason(c));
    } else if (sc && !sc->egress_hosts.empty() && c.entry) {
      ex.chain.push_back({sc->egress_hosts[*c.entry].loc,
                          sc_name + " has egress host " + Quote(sc->egress_hosts[*c.entry].value) +
                              ", but a Sidecar can only import services exported to its "
                              "namespace: it imports nothing here."});
    }
  }
  if (candidates.size() > shown)
    ex.chain.push_back({{}, "(" + std::to_string(candidates.size() - shown) +
                                " more ServiceEntries list " + ex.host + ".)"});

  // 3. What would flip the answer.
  auto mode_change = [&]() -> Reason {
    switch (scope.mode_source) {
      case istio::ModeOrigin::kSidecar:
        return {sc->outbound_mode_loc.valid() ? sc->outbound_mode_loc : sc->outbound_key,
                "Set outboundTrafficPolicy.mode to REGISTRY_ONLY in " + sc_name +
                    (AllowsAny(model_.mesh.outbound_mode)
                         ? std::string(".")
                         : " (or remove its outboundTrafficPolicy: the mesh is REGISTRY_ONLY).")};
      case istio::ModeOrigin::kMesh:
        return {model_.mesh_sources[*model_.mesh.outbound_from].outbound_mode->loc,
                "Set meshConfig.outboundTrafficPolicy.mode to REGISTRY_ONLY."};
      case istio::ModeOrigin::kIstioDefault:
        break;
    }
    return {{}, "Set meshConfig.outboundTrafficPolicy.mode: REGISTRY_ONLY in the mesh config "
                "(IstioOperator spec.meshConfig, ConfigMap istio data.mesh, or Helm values)."};
  };
  // Changing the root namespace's default changes every namespace that has
  // no default of its own.
  const std::string root_note =
      sc && !scope.workload_scoped && sc->meta.ref.ns != ex.ns
          ? " (it applies to every namespace without a default Sidecar of its own; to change only " +
                ex.ns + ", give " + ex.ns + " its own)"
          : "";
  if (ex.reachable) {
    if (allow_any) ex.changes.push_back(mode_change());
    const std::string also = allow_any ? "Then also " : "";
    for (const Candidate& c : candidates) {
      if (!c.reaches()) continue;
      const ServiceEntry& se = model_.service_entries[c.se];
      const std::string& se_host = se.hosts[c.host].value;
      const std::string target = se.meta.ref.ns + "/" + se_host;
      if (!sc) {
        ex.changes.push_back(
            {{}, also + "add a default Sidecar (no workloadSelector) to " + ex.ns +
                     " whose egress hosts do not select " + target + " (e.g. \"./*\", \"" + root +
                     "/*\")."});
      } else if (sc->egress_hosts.empty()) {
        ex.changes.push_back({sc->meta.anchor(), also + "give " + sc_name +
                                                      " egress hosts that do not select " + target +
                                                      " (e.g. \"./*\", \"" + root + "/*\")."});
      } else {
        const auto& entry = sc->egress_hosts[static_cast<std::size_t>(*c.entry)];
        const bool exact = SplitEgressHost(entry.value)->dns == se_host;
        ex.changes.push_back(
            {entry.loc, also + (exact ? "remove egress host " + Quote(entry.value) + " from " + sc_name
                                      : "replace egress host " + Quote(entry.value) + " of " +
                                            sc_name + " with entries that do not select " + target) +
                            root_note + "."});
      }
      if (se.meta.ref.ns != ex.ns) {
        ex.changes.push_back(
            {se.export_to_key.valid() ? se.export_to_key : se.hosts_key,
             "Or export ServiceEntry " + Qualified(se.meta.ref) +
                 " only to the namespaces that need it, not " + ex.ns +
                 " (e.g. exportTo: [\".\"])."});
      } else {
        ex.changes.push_back({se.hosts[c.host].loc, "Or remove " + se_host + " from ServiceEntry " +
                                                        Qualified(se.meta.ref) + "."});
      }
      if (ex.changes.size() > 8) break;
    }
  } else {
    if (candidates.empty()) {
      std::string text = "Add a ServiceEntry with hosts: [\"" + ex.host +
                         "\"] and location: MESH_EXTERNAL that is exported to " + ex.ns +
                         " (e.g. in namespace " + ex.ns + " with exportTo: [\".\"])";
      if (sc && !sc->egress_hosts.empty()) {
        bool dot_imports = false;
        for (const auto& e : sc->egress_hosts)
          if (auto parsed = SplitEgressHost(e.value))
            dot_imports |= EntryImports(*parsed, ex.ns, ex.ns, ex.host);
        if (!dot_imports)
          text += ", and import it in " + sc_name + " (egress host \"./" + ex.host + "\")";
      }
      ex.changes.push_back({{}, text + "."});
    }
    for (std::size_t k = 0; k < std::min<std::size_t>(candidates.size(), 3); ++k) {
      const Candidate& c = candidates[k];
      const ServiceEntry& se = model_.service_entries[c.se];
      const std::string target = se.meta.ref.ns + "/" + se.hosts[c.host].value;
      std::string text;
      Location loc;
      if (!c.exported) {
        loc = se.export_to_key.valid() ? se.export_to_key : se.hosts_key;
        text = "add " + ex.ns + " to the exportTo of ServiceEntry " + Qualified(se.meta.ref);
        if (!c.entry && sc) text += ", and add " + Quote(target) + " to the egress hosts of " + sc_name;
      } else {
        loc = sc->egress_key.valid() ? sc->egress_key : sc->meta.anchor();
        text = "add " + Quote(target) + " to the egress hosts of " + sc_name + root_note;
      }
      ex.changes.push_back({loc, (k ? "Or " : "A") + (k ? text : text.substr(1)) + "."});
    }
  }

  for (Reason& r : ex.changes)
    if (!r.text.empty() && r.text[0] >= 'a' && r.text[0] <= 'z') r.text[0] = static_cast<char>(r.text[0] - 'a' + 'A');

  // Workload-scoped Sidecars answer for the workloads they select.
  if (const NamespaceInfo* info = model_.FindNamespace(ns)) {
    for (std::size_t i : info->sidecars) {
      const Sidecar& ws = model_.sidecars[i];
      if (!ws.has_selector) continue;
      Scope w = MakeScope(ns, &ws, true);
      bool reach = AllowsAny(w.mode);
      for (const Candidate& c : candidates) {
        const ServiceEntry& se = model_.service_entries[c.se];
        if (c.exported && istio::SidecarImport(&ws, ns, se.meta.ref.ns, se.hosts[c.host].value).imports())
          reach = true;
      }
      ex.workload_notes.push_back(
          {ws.selector_loc.valid() ? ws.selector_loc : ws.meta.anchor(),
           "Workload-scoped Sidecar " + Qualified(ws.meta.ref) +
               " applies instead to the workloads it selects: for them " + ex.host + " is " +
               (reach ? "reachable" : "not reachable") + " (mode " +
               std::string(OutboundModeName(w.mode)) + ")."});
    }
  }
  return ex;
}

}  // namespace meshlint::egress
