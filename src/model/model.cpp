#include "model/model.h"

#include <algorithm>
#include <tuple>
#include <type_traits>

namespace meshlint {

std::string ObjectRef::FullyQualifiedName() const {
  std::string out;
  if (!ns.empty()) out += ns + "/";
  out += kind + "/" + name;
  return out;
}

std::string_view OutboundModeName(OutboundMode mode) {
  switch (mode) {
    case OutboundMode::kRegistryOnly: return "REGISTRY_ONLY";
    case OutboundMode::kAllowAny: return "ALLOW_ANY";
    case OutboundMode::kAllowAnyDynamicDns: return "ALLOW_ANY_DYNAMIC_DNS";
  }
  return "ALLOW_ANY";
}

std::optional<OutboundMode> ParseOutboundMode(std::string_view text) {
  if (text == "REGISTRY_ONLY") return OutboundMode::kRegistryOnly;
  if (text == "ALLOW_ANY") return OutboundMode::kAllowAny;
  if (text == "ALLOW_ANY_DYNAMIC_DNS") return OutboundMode::kAllowAnyDynamicDns;
  return std::nullopt;
}

const Label* Labels::Find(std::string_view key) const {
  for (const Label& l : items)
    if (l.key == key) return &l;
  return nullptr;
}

const std::string* Labels::Value(std::string_view key) const {
  const Label* l = Find(key);
  return l ? &l->value : nullptr;
}

bool Labels::Includes(const Labels& selector) const {
  return std::all_of(selector.items.begin(), selector.items.end(), [&](const Label& want) {
    const std::string* have = Value(want.key);
    return have && *have == want.value;
  });
}

void Labels::Set(std::string key, std::string value, Location loc) {
  for (Label& l : items)
    if (l.key == key) {
      l.value = std::move(value);
      l.loc = loc;
      return;
    }
  items.push_back({std::move(key), std::move(value), loc});
}

std::string_view PodAnnotationName(PodAnnotation a) {
  switch (a) {
    case PodAnnotation::kInject: return "sidecar.istio.io/inject";
    case PodAnnotation::kInterceptionMode: return "sidecar.istio.io/interceptionMode";
    case PodAnnotation::kStatus: return "sidecar.istio.io/status";
    case PodAnnotation::kIncludeOutboundIPRanges: return "traffic.sidecar.istio.io/includeOutboundIPRanges";
    case PodAnnotation::kExcludeOutboundIPRanges: return "traffic.sidecar.istio.io/excludeOutboundIPRanges";
    case PodAnnotation::kIncludeOutboundPorts: return "traffic.sidecar.istio.io/includeOutboundPorts";
    case PodAnnotation::kExcludeOutboundPorts: return "traffic.sidecar.istio.io/excludeOutboundPorts";
    case PodAnnotation::kProxyConfig: return "proxy.istio.io/config";
    case PodAnnotation::kInjectTemplates: return "inject.istio.io/templates";
    case PodAnnotation::kRevision: return "istio.io/rev";
  }
  return "";
}

const Located<std::string>* PodTemplate::Annotation(PodAnnotation a) const {
  for (const auto& [which, value] : annotations)
    if (which == a) return &value;
  return nullptr;
}

std::optional<IstioVersion> IstioVersion::Parse(std::string_view text) {
  // MAJOR.MINOR or MAJOR.MINOR.PATCH, digits only.
  int parts[3] = {0, 0, 0};
  int count = 0;
  std::size_t i = 0;
  while (count < 3) {
    std::size_t start = i;
    long value = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9' && i - start < 4)
      value = value * 10 + (text[i++] - '0');
    if (i == start) return std::nullopt;
    parts[count++] = static_cast<int>(value);
    if (i == text.size()) break;
    if (text[i++] != '.') return std::nullopt;
  }
  if (i != text.size() || count < 2) return std::nullopt;
  return IstioVersion{parts[0], parts[1]};
}

namespace {

template <typename Lookup>
bool SelectorMatches(const LabelSelector& sel, Lookup value_of) {
  for (const Label& want : sel.match_labels.items) {
    const std::string* have = value_of(want.key);
    if (!have || *have != want.value) return false;
  }
  for (const auto& req : sel.expressions) {
    const std::string* have = value_of(req.key);
    const bool listed =
        have && std::find(req.values.begin(), req.values.end(), *have) != req.values.end();
    if (req.op == "In" && !listed) return false;
    if (req.op == "NotIn" && listed) return false;
    if (req.op == "Exists" && !have) return false;
    if (req.op == "DoesNotExist" && have) return false;
    if (req.op != "In" && req.op != "NotIn" && req.op != "Exists" && req.op != "DoesNotExist")
      return false;  // an unknown operator is an invalid selector: it selects nothing
  }
  return true;
}

}  // namespace

bool LabelSelector::Matches(const Labels& labels) const {
  return SelectorMatches(*this, [&](const std::string& k) { return labels.Value(k); });
}

bool LabelSelector::Matches(const std::map<std::string, std::string>& labels) const {
  return SelectorMatches(*this, [&](const std::string& k) -> const std::string* {
    auto it = labels.find(k);
    return it == labels.end() ? nullptr : &it->second;
  });
}

namespace {

// Earlier in the input: by file, then position.
bool Before(const Location& a, const Location& b) {
  return std::tie(a.file, a.line, a.column) < std::tie(b.file, b.line, b.column);
}

std::string JoinValues(const std::vector<Located<std::string>>& values) {
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out += ", ";
    out += values[i].value;
  }
  return out + "]";
}

int Precedence(MeshConfigSource::Origin origin) {
  // What the user names explicitly wins; the ConfigMap is what istiod reads;
  // an IstioOperator is what generates that ConfigMap.
  switch (origin) {
    case MeshConfigSource::Origin::kProjectConfig:  // before the others: inserted first
    case MeshConfigSource::Origin::kCommandLine: return 0;
    case MeshConfigSource::Origin::kConfigMap: return 1;
    case MeshConfigSource::Origin::kIstioOperator: return 2;
  }
  return 3;
}

}  // namespace

void MeshModel::Finalize() {
  ResolveMeshSettings();
  ApplyCustomScopes();
  BuildNamespaceIndex();
}

// Objects of a kind that a CRD among the inputs declares cluster-scoped
// live in no namespace (the reader could not know when it met them).
void MeshModel::ApplyCustomScopes() {
  if (custom_kinds.empty()) return;
  for (ObjectMeta& o : others) {
    if (o.ref.ns.empty()) continue;
    const std::string_view api = o.api_version;
    const std::string_view group = api.substr(0, api.find('/'));
    for (const CustomKind& k : custom_kinds)
      if (k.cluster_scoped && k.kind == o.ref.kind && k.group == group) {
        o.ref.ns.clear();
        o.ns_defaulted = false;
        o.ns_loc = {};
        break;
      }
  }
}

void MeshModel::ResolveMeshSettings() {
  mesh = MeshSettings{};
  mesh_conflicts.clear();
  std::vector<std::size_t> order(mesh_sources.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return Precedence(mesh_sources[a].origin) < Precedence(mesh_sources[b].origin);
  });

  // For each field: the first source (by precedence) that sets it decides;
  // every later source that sets it differently is a conflict.
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
      if (value(s) != value(w)) {
        mesh_conflicts.push_back(
            {field, *from, idx, loc(w), loc(s), value(w), value(s)});
      }
    }
  };

  weigh(
      "rootNamespace", [](const auto& s) { return s.root_namespace.has_value(); },
      [](const auto& s) { return s.root_namespace->value; },
      [](const auto& s) { return s.root_namespace->loc; }, mesh.root_namespace_from);
  if (mesh.root_namespace_from)
    mesh.root_namespace = mesh_sources[*mesh.root_namespace_from].root_namespace->value;

  weigh(
      "defaultServiceExportTo",
      [](const auto& s) { return s.default_service_export_to.has_value(); },
      [](const auto& s) { return JoinValues(*s.default_service_export_to); },
      [](const auto& s) { return s.default_service_export_to_key; },
      mesh.default_export_from);
  if (mesh.default_export_from) {
    const auto& values = *mesh_sources[*mesh.default_export_from].default_service_export_to;
    mesh.default_service_export_to.clear();
    for (const auto& v : values) mesh.default_service_export_to.push_back(v.value);
    // An empty list in MeshConfig means Istio's default, "*".
    if (mesh.default_service_export_to.empty()) mesh.default_service_export_to = {"*"};
  }

  weigh(
      "outboundTrafficPolicy.mode", [](const auto& s) { return s.outbound_mode.has_value(); },
      [](const auto& s) { return std::string(OutboundModeName(s.outbound_mode->value)); },
      [](const auto& s) { return s.outbound_mode->loc; }, mesh.outbound_from);
  if (mesh.outbound_from) mesh.outbound_mode = mesh_sources[*mesh.outbound_from].outbound_mode->value;
  if (!mesh.outbound_from)
    for (std::size_t idx : order)
      if (mesh_sources[idx].origin != MeshConfigSource::Origin::kProjectConfig) {
        mesh.outbound_unset_at = idx;
        break;
      }
}

NamespaceInfo& MeshModel::Touch(const std::string& ns, const ObjectMeta& meta) {
  auto it = index_by_name_.find(ns);
  if (it == index_by_name_.end()) {
    it = index_by_name_.emplace(ns, index_.size()).first;
    index_.push_back(NamespaceInfo{});
    index_.back().name = ns;
  }
  NamespaceInfo& info = index_[it->second];
  // Only objects that live in the namespace anchor it; the Namespace manifest
  // itself is recorded separately.
  if (meta.ref.ns == ns &&
      (!info.first_object_loc.valid() || Before(meta.anchor(), info.first_object_loc))) {
    info.first_object = meta.ref;
    info.first_object_loc = meta.anchor();
  }
  return info;
}

void MeshModel::BuildNamespaceIndex() {
  index_.clear();
  index_by_name_.clear();
  // Every object of every kind makes its namespace known; the kinds that
  // NamespaceInfo indexes are also listed there.
  ForEachCollection(static_cast<const Objects&>(*this), [&](const auto& items) {
    using T = typename std::decay_t<decltype(items)>::value_type;
    if constexpr (HasMeta<T>) {
      for (std::size_t i = 0; i < items.size(); ++i) {
        const ObjectMeta& meta = MetaOf(items[i]);
        if constexpr (std::is_same_v<T, NamespaceObject>) {
          NamespaceInfo& info = Touch(meta.ref.name, meta);
          if (!info.manifest) info.manifest = i;
        } else if constexpr (std::is_same_v<T, ServiceEntry>) {
          Touch(meta.ref.ns, meta).service_entries.push_back(i);
        } else if constexpr (std::is_same_v<T, Sidecar>) {
          Touch(meta.ref.ns, meta).sidecars.push_back(i);
        } else if constexpr (std::is_same_v<T, Workload>) {
          Touch(meta.ref.ns, meta).workloads.push_back(i);
        } else if constexpr (std::is_same_v<T, KubeService>) {
          Touch(meta.ref.ns, meta).services.push_back(i);
        } else if constexpr (std::is_same_v<T, VirtualService>) {
          Touch(meta.ref.ns, meta).virtual_services.push_back(i);
        } else if constexpr (std::is_same_v<T, Gateway>) {
          Touch(meta.ref.ns, meta).gateways.push_back(i);
        } else if constexpr (std::is_same_v<T, AuthorizationPolicy>) {
          Touch(meta.ref.ns, meta).authorization_policies.push_back(i);
        } else if (!meta.ref.ns.empty()) {
          Touch(meta.ref.ns, meta);
        }
      }
    }
  });

  // Name order, and an index that follows it.
  std::sort(index_.begin(), index_.end(),
            [](const NamespaceInfo& a, const NamespaceInfo& b) { return a.name < b.name; });
  index_by_name_.clear();
  for (std::size_t i = 0; i < index_.size(); ++i) index_by_name_.emplace(index_[i].name, i);
}

const MeshSettings& MeshModel::SettingsForRevision(std::string_view revision) const {
  if (revision == "default") revision = "";
  for (const RevisionTag& t : revision_tags)
    if (t.tag == revision) {
      revision = t.revision;
      break;
    }
  if (revision.empty() || revision == "default") return mesh;
  for (const MeshSettings& s : revision_settings_)
    if (s.revision == revision) return s;
  return mesh;
}

std::vector<std::string_view> MeshModel::Revisions() const {
  std::vector<std::string_view> out = {mesh.revision};
  for (const MeshSettings& s : revision_settings_) out.push_back(s.revision);
  return out;
}

const NamespaceInfo* MeshModel::FindNamespace(std::string_view name) const {
  auto it = index_by_name_.find(name);
  return it == index_by_name_.end() ? nullptr : &index_[it->second];
}

}  // namespace meshlint
