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
    MeshSettings s = ResolveRevision(r, own ? *own : default_ns, order);
    // Only the injector's ConfigMap names the revision: its mesh settings
    // are the default's, as for a revision without any source.
    if (std::none_of(mesh_sources.begin(), mesh_sources.end(), [&](const MeshConfigSource& m) {
          return m.revision == r && !m.injector_only && !ForEveryRevision(m);
        })) {
      InjectorSettings injector = std::move(s.injector);
      std::string istio_ns = std::move(s.istio_namespace);
      s = mesh;
      s.revision = r;
      s.istio_namespace = std::move(istio_ns);
      s.injector = std::move(injector);
      s.inherited_from_default = true;
    }
    revision_settings_.push_back(std::move(s));
  }
  inherited_ = mesh;
  inherited_.inherited_from_default = true;
}

namespace {

// For each field: the first source (by precedence) that sets it decides;
// every later source that sets it differently is a conflict. Two sources
// that apply to every revision are reported once, with the default's.
class Weigher {
 public:
  Weigher(const std::vector<MeshConfigSource>& sources, const std::vector<std::size_t>& order,
          const std::string& revision, std::vector<MeshConflict>& conflicts)
      : sources_(sources), order_(order), revision_(revision), conflicts_(conflicts) {}

  // `get(source)` is the field's optional value (a pointer-like: null when
  // unset), `text(value)` its text for a conflict, `loc(source)` where.
  template <typename Get, typename Text, typename Loc>
  std::optional<std::size_t> Weigh(const char* field, Get get, Text text, Loc loc) {
    std::optional<std::size_t> from;
    for (std::size_t idx : order_) {
      const MeshConfigSource& s = sources_[idx];
      if (!get(s)) continue;
      if (!from) {
        from = idx;
        continue;
      }
      const MeshConfigSource& w = sources_[*from];
      const bool repeated = !revision_.empty() && ForEveryRevision(s) && ForEveryRevision(w);
      if (text(*get(s)) != text(*get(w)) && !repeated)
        conflicts_.push_back(
            {revision_, field, *from, idx, loc(w), loc(s), text(*get(w)), text(*get(s))});
    }
    return from;
  }

  // A text value of the injector's, into its setting.
  void String(const char* field, std::optional<Located<std::string>> InjectorValues::*member,
              Setting<std::string>& out) {
    auto got = [member](const MeshConfigSource& s) {
      return (s.injector.*member) ? &*(s.injector.*member) : nullptr;
    };
    auto text = [](const Located<std::string>& v) { return v.value; };
    auto loc = [member](const MeshConfigSource& s) { return (s.injector.*member)->loc; };
    out.from = Weigh(field, got, text, loc);
    if (out.from) {
      out.value = (sources_[*out.from].injector.*member)->value;
      out.loc = (sources_[*out.from].injector.*member)->loc;
    }
  }

 private:
  const std::vector<MeshConfigSource>& sources_;
  const std::vector<std::size_t>& order_;
  const std::string& revision_;
  std::vector<MeshConflict>& conflicts_;
};

std::string ExportText(const std::optional<std::vector<Located<std::string>>>& v) {
  return v ? JoinValues(*v) : "";
}

std::vector<std::string> ExportValues(const std::vector<Located<std::string>>& values) {
  std::vector<std::string> out;
  for (const auto& v : values) out.push_back(v.value);
  // An empty list in MeshConfig means Istio's default, "*".
  if (out.empty()) out = {"*"};
  return out;
}

std::string SelectorsText(const std::vector<LabelSelector>& list) {
  std::string out;
  for (const LabelSelector& s : list) {
    out += "{";
    for (const Label& l : s.match_labels.items) out += l.key + "=" + l.value + ",";
    for (const auto& e : s.expressions) {
      out += e.key + " " + e.op + " (";
      for (const auto& v : e.values) out += v + ",";
      out += "),";
    }
    out += "}";
  }
  return out;
}

std::string VisibilityText(const ServiceEntryVisibility& v) {
  std::string out = std::string(v.apply_to_sidecars ? "applyToSidecars " : "") + "default " +
                    (v.default_visibility.empty() ? "PUBLIC" : v.default_visibility);
  for (const auto& rule : v.rules)
    out += "; " + rule.visibility + " for " + SelectorsText(rule.namespace_selectors);
  return out;
}

// The injector's values (only install sources hold them).
void ResolveInjector(Weigher& w, const std::vector<MeshConfigSource>& sources,
                     InjectorSettings& out) {
  {
    auto got = [](const MeshConfigSource& s) {
      return s.injector.enable_namespaces_by_default ? &*s.injector.enable_namespaces_by_default
                                                     : nullptr;
    };
    auto text = [](const Located<bool>& v) { return std::string(v.value ? "true" : "false"); };
    auto loc = [](const MeshConfigSource& s) {
      return s.injector.enable_namespaces_by_default->loc;
    };
    Setting<bool>& e = out.enable_namespaces_by_default;
    e.from = w.Weigh("sidecarInjectorWebhook.enableNamespacesByDefault", got, text, loc);
    if (e.from) {
      e.value = sources[*e.from].injector.enable_namespaces_by_default->value;
      e.loc = sources[*e.from].injector.enable_namespaces_by_default->loc;
    }
  }
  auto selectors = [&](const char* field,
                       std::optional<std::vector<LabelSelector>> InjectorValues::*m,
                       Location InjectorValues::*key, std::vector<LabelSelector>& list,
                       std::optional<std::size_t>& from) {
    auto got = [m](const MeshConfigSource& s) {
      return (s.injector.*m) ? &*(s.injector.*m) : nullptr;
    };
    auto loc = [key](const MeshConfigSource& s) { return s.injector.*key; };
    from = w.Weigh(field, got, SelectorsText, loc);
    if (from) list = *(sources[*from].injector.*m);
  };
  selectors("sidecarInjectorWebhook.neverInjectSelector", &InjectorValues::never_inject_selector,
            &InjectorValues::never_inject_key, out.never_inject_selector, out.never_inject_from);
  selectors("sidecarInjectorWebhook.alwaysInjectSelector", &InjectorValues::always_inject_selector,
            &InjectorValues::always_inject_key, out.always_inject_selector, out.always_inject_from);
  w.String("global.proxy.autoInject", &InjectorValues::auto_inject, out.auto_inject);
  w.String("global.proxy.includeIPRanges", &InjectorValues::include_ip_ranges,
           out.include_ip_ranges);
  w.String("global.proxy.excludeIPRanges", &InjectorValues::exclude_ip_ranges,
           out.exclude_ip_ranges);
  w.String("global.proxy.includeOutboundPorts", &InjectorValues::include_outbound_ports,
           out.include_outbound_ports);
  w.String("global.proxy.excludeOutboundPorts", &InjectorValues::exclude_outbound_ports,
           out.exclude_outbound_ports);
}

// defaultVirtualServiceExportTo, serviceEntryVisibility, DNS capture.
void ResolveMore(Weigher& w, const std::vector<MeshConfigSource>& sources, MeshSettings& out) {
  out.default_vs_export_from = w.Weigh(
      "defaultVirtualServiceExportTo",
      [](const MeshConfigSource& s) {
        return s.default_virtual_service_export_to ? &s.default_virtual_service_export_to : nullptr;
      },
      ExportText,
      [](const MeshConfigSource& s) { return s.default_virtual_service_export_to_key; });
  if (out.default_vs_export_from)
    out.default_virtual_service_export_to =
        ExportValues(*sources[*out.default_vs_export_from].default_virtual_service_export_to);

  out.service_entry_visibility_from = w.Weigh(
      "serviceEntryVisibility",
      [](const MeshConfigSource& s) {
        return s.service_entry_visibility ? &*s.service_entry_visibility : nullptr;
      },
      VisibilityText, [](const MeshConfigSource& s) { return s.service_entry_visibility->loc; });
  if (out.service_entry_visibility_from)
    out.service_entry_visibility =
        *sources[*out.service_entry_visibility_from].service_entry_visibility;

  out.dns_capture.from = w.Weigh(
      "defaultConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE",
      [](const MeshConfigSource& s) { return s.dns_capture ? &*s.dns_capture : nullptr; },
      [](const Located<bool>& v) { return std::string(v.value ? "true" : "false"); },
      [](const MeshConfigSource& s) { return s.dns_capture->loc; });
  if (out.dns_capture.from) {
    out.dns_capture.value = sources[*out.dns_capture.from].dns_capture->value;
    out.dns_capture.loc = sources[*out.dns_capture.from].dns_capture->loc;
  }
  ResolveInjector(w, sources, out.injector);
}

}  // namespace

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
  Weigher w(mesh_sources, order, revision, mesh_conflicts);

  out.root_namespace_from = w.Weigh(
      "rootNamespace",
      [](const MeshConfigSource& s) { return s.root_namespace ? &*s.root_namespace : nullptr; },
      [](const Located<std::string>& v) { return v.value; },
      [](const MeshConfigSource& s) { return s.root_namespace->loc; });
  if (out.root_namespace_from)
    out.root_namespace = mesh_sources[*out.root_namespace_from].root_namespace->value;

  out.default_export_from = w.Weigh(
      "defaultServiceExportTo",
      [](const MeshConfigSource& s) {
        return s.default_service_export_to ? &s.default_service_export_to : nullptr;
      },
      ExportText, [](const MeshConfigSource& s) { return s.default_service_export_to_key; });
  if (out.default_export_from)
    out.default_service_export_to =
        ExportValues(*mesh_sources[*out.default_export_from].default_service_export_to);

  out.outbound_from = w.Weigh(
      "outboundTrafficPolicy.mode",
      [](const MeshConfigSource& s) { return s.outbound_mode ? &*s.outbound_mode : nullptr; },
      [](const Located<OutboundMode>& v) { return std::string(OutboundModeName(v.value)); },
      [](const MeshConfigSource& s) { return s.outbound_mode->loc; });
  if (out.outbound_from) out.outbound_mode = mesh_sources[*out.outbound_from].outbound_mode->value;
  if (!out.outbound_from)
    for (std::size_t idx : order)
      if (mesh_sources[idx].origin != Origin::kProjectConfig && !mesh_sources[idx].injector_only) {
        out.outbound_unset_at = idx;
        break;
      }
  ResolveMore(w, mesh_sources, out);
  return out;
}

void MeshModel::ResolveRevisionTags() {
  revision_tags.clear();
  auto add = [&](const std::string& tag, const std::string& revision, const Location& loc,
                 std::optional<std::size_t> from) {
    for (const RevisionTag& t : revision_tags)
      if (t.tag == tag) return;
    revision_tags.push_back({tag, revision == "default" ? "" : revision, loc, from});
  };
  for (const InjectionWebhookConfig& c : injection_webhooks)
    if (c.IsTag()) add(c.tag, c.revision, c.tag_loc, std::nullopt);
  for (std::size_t i = 0; i < mesh_sources.size(); ++i)
    for (const Located<std::string>& t : mesh_sources[i].injector.revision_tags)
      add(t.value, mesh_sources[i].revision, t.loc, i);
}

}  // namespace meshlint
