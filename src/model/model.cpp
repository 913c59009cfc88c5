#include "model/model.h"

#include "semantics/validation.h"

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
    case PodAnnotation::kIncludeOutboundIPRanges:
      return "traffic.sidecar.istio.io/includeOutboundIPRanges";
    case PodAnnotation::kExcludeOutboundIPRanges:
      return "traffic.sidecar.istio.io/excludeOutboundIPRanges";
    case PodAnnotation::kIncludeOutboundPorts:
      return "traffic.sidecar.istio.io/includeOutboundPorts";
    case PodAnnotation::kExcludeOutboundPorts:
      return "traffic.sidecar.istio.io/excludeOutboundPorts";
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

std::string ModelledIstioVersions() {
  return kOldestIstioVersion.ToString() + " to " + kNewestIstioVersion.ToString();
}

std::string IstioVersionProblem(std::string_view text) {
  const std::optional<IstioVersion> v = IstioVersion::Parse(text);
  const std::string quoted = "'" + std::string(text.substr(0, 40)) + "'";
  if (!v)
    return quoted + " is not a version (MAJOR.MINOR, e.g. " + kDefaultIstioVersion.ToString() + ")";
  if (!IsModelledIstioVersion(*v))
    return quoted + " is not a release meshlint models (Istio " + ModelledIstioVersions() + ")";
  return "";
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

}  // namespace

void MeshModel::Finalize() {
  RestoreRejected();
  ResolveMeshSettings();
  ResolveRevisionTags();
  ApplyCustomScopes();
  ApplyValidation();
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

namespace {

// Only the kinds with metadata can be rejected.
template <typename T>
void MarkRejected(T& object, bool rejected) {
  if constexpr (requires { object.meta.rejected; }) object.meta.rejected = rejected;
  else if constexpr (std::is_same_v<T, ObjectMeta>) object.rejected = rejected;
}

// fn(index, a's collection, b's collection) for each collection of two Objects.
template <typename Fn>
void ForEachCollectionPair(Objects& a, Objects& b, Fn fn) {
  std::size_t i = 0;
  std::apply([&](auto... member) { (fn(i++, a.*member, b.*member), ...); }, kObjectCollections);
}

}  // namespace

void MeshModel::RestoreRejected() {
  // Back where each stood, so that validating again (another version) starts
  // from the inputs as loaded.
  ForEachCollectionPair(*this, rejected, [&](std::size_t c, auto& kept, auto& aside) {
    const std::vector<std::size_t>& at = rejected_at_[c];
    for (std::size_t k = 0; k < aside.size() && k < at.size(); ++k) {
      MarkRejected(aside[k], false);
      kept.insert(kept.begin() + static_cast<std::ptrdiff_t>(at[k]), std::move(aside[k]));
    }
    aside.clear();
  });
  for (auto& at : rejected_at_) at.clear();
  validation.clear();
}

void MeshModel::ApplyValidation() {
  istio::ValidationReport report = istio::ValidateObjects(*this, istio_version, finalize_jobs);
  validation = std::move(report.messages);
  ForEachCollectionPair(*this, rejected, [&](std::size_t c, auto& kept, auto& aside) {
    const std::vector<std::size_t>& out = report.rejected[c];
    if (out.empty()) return;
    // In place: a second vector of the kept objects would double the
    // collection's memory at this point, the run's peak.
    aside.reserve(aside.size() + out.size());
    std::size_t next = 0, to = 0;
    for (std::size_t i = 0; i < kept.size(); ++i) {
      if (next < out.size() && out[next] == i) {
        MarkRejected(kept[i], true);
        aside.push_back(std::move(kept[i]));
        ++next;
      } else {
        if (to != i) kept[to] = std::move(kept[i]);
        ++to;
      }
    }
    kept.erase(kept.begin() + static_cast<std::ptrdiff_t>(to), kept.end());
    rejected_at_[c] = out;
  });
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
  // A tag first: istio-revision-tag-default may send "default" elsewhere.
  for (const RevisionTag& t : revision_tags)
    if (t.tag == revision) {
      revision = t.revision;
      break;
    }
  if (revision.empty() || revision == "default") return mesh;
  for (const MeshSettings& s : revision_settings_)
    if (s.revision == revision) return s;
  return inherited_;
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
