// The in-memory mesh: the handful of Istio objects the rules reason about, plus
// enough of every other object to know which namespaces exist. Filled by the
// loader, read (never changed) by the rules.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/location.h"
#include "model/object_ref.h"
#include "model/objects.h"
#include "model/problem.h"

namespace meshlint {

// The Istio release whose behaviour is modelled: `istioVersion` in
// .meshlint.yaml, `--istio-version`. Semantics and validation that changed
// between releases follow it (e.g. `~` exclusions in Sidecar egress hosts and
// ALLOW_ANY_DYNAMIC_DNS from 1.31).
struct IstioVersion {
  int major = 1;
  int minor = 30;

  bool AtLeast(int want_major, int want_minor) const {
    return major != want_major ? major > want_major : minor >= want_minor;
  }
  std::string ToString() const { return std::to_string(major) + "." + std::to_string(minor); }
  // "1.30" or "1.30.3" (the patch is accepted and ignored); nullopt otherwise.
  static std::optional<IstioVersion> Parse(std::string_view text);
  friend bool operator==(const IstioVersion&, const IstioVersion&) = default;
};
// The releases meshlint models, and the default: the newest GA release.
inline constexpr IstioVersion kOldestIstioVersion{1, 24};
inline constexpr IstioVersion kNewestIstioVersion{1, 31};
inline constexpr IstioVersion kDefaultIstioVersion{1, 30};
// Why `text` is no modelled release ("'1.22' is not ..."), "" when it is one.
std::string IstioVersionProblem(std::string_view text);
// "1.24 to 1.31".
std::string ModelledIstioVersions();
inline bool IsModelledIstioVersion(const IstioVersion& v) {
  return v.AtLeast(kOldestIstioVersion.major, kOldestIstioVersion.minor) &&
         kNewestIstioVersion.AtLeast(v.major, v.minor);
}

// A mesh-wide setting: its value, where it was written and which source of
// MeshModel::mesh_sources set it (nullopt: Istio's or the chart's default).
template <typename T>
struct Setting {
  T value{};
  Location loc;
  std::optional<std::size_t> from;
};

// What the sidecar injector of one revision does (Helm values / IstioOperator
// spec.values / ConfigMap istio-sidecar-injector[-<rev>]). Defaults are the
// istiod chart's.
struct InjectorSettings {
  Setting<bool> enable_namespaces_by_default{false, {}, {}};
  Setting<std::string> auto_inject{"enabled", {}, {}};  // values.global.proxy.autoInject
  std::vector<LabelSelector> never_inject_selector;
  std::optional<std::size_t> never_inject_from;
  std::vector<LabelSelector> always_inject_selector;
  std::optional<std::size_t> always_inject_from;
  // values.global.proxy.*: the defaults of the traffic.sidecar.istio.io/
  // annotations.
  Setting<std::string> include_ip_ranges{"*", {}, {}};
  Setting<std::string> exclude_ip_ranges{"", {}, {}};
  Setting<std::string> include_outbound_ports{"", {}, {}};
  Setting<std::string> exclude_outbound_ports{"", {}, {}};
};

// Effective mesh-wide settings after all sources were weighed, for one
// control-plane revision (MeshModel::SettingsForRevision).
struct MeshSettings {
  // The revision these settings govern: "" for the default revision (the
  // ConfigMap `istio`), else R (ConfigMap `istio-<R>`, IstioOperator or Helm
  // values with revision R).
  std::string revision;
  // No source in the inputs is for this revision: the default revision's
  // settings stand in for it.
  bool inherited_from_default = false;
  // The namespace this revision's istiod runs in (its install source's
  // release namespace, spec.namespace or values.global.istioNamespace; else
  // the default revision's; else istio-system): istiod reads its mesh
  // ConfigMap there only.
  std::string istio_namespace = "istio-system";
  std::string root_namespace = "istio-system";
  std::vector<std::string> default_service_export_to = {"*"};
  OutboundMode outbound_mode = OutboundMode::kAllowAny;
  // Index into MeshModel::mesh_sources of the source that decided each value,
  // or nullopt when Istio's built-in default applies.
  std::optional<std::size_t> root_namespace_from;
  std::optional<std::size_t> default_export_from;
  std::optional<std::size_t> outbound_from;
  // No source sets the outbound mode: the one that would decide it if it did
  // (the highest-precedence source that can hold a mode), nullopt when none.
  std::optional<std::size_t> outbound_unset_at;
  // MeshConfig.defaultVirtualServiceExportTo ("*" when unset).
  std::vector<std::string> default_virtual_service_export_to = {"*"};
  std::optional<std::size_t> default_vs_export_from;
  // defaultConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE: sidecars use
  // auto-allocated ServiceEntry addresses only with DNS capture (off by
  // default).
  Setting<bool> dns_capture{false, {}, {}};
  ServiceEntryVisibility service_entry_visibility;
  std::optional<std::size_t> service_entry_visibility_from;
  InjectorSettings injector;
};

// A revision tag (MutatingWebhookConfiguration istio-revision-tag-<tag>, the
// istiod chart's revisionTags values): namespaces labelled istio.io/rev=<tag>
// are injected by revision `revision`, and istio.io/rev=<tag> config is
// processed by it.
struct RevisionTag {
  std::string tag;
  std::string revision;  // "" for the default revision
  Location loc;
  // Index into MeshModel::mesh_sources of the values that list it; nullopt
  // for a webhook configuration (MeshModel::injection_webhooks).
  std::optional<std::size_t> from;
};

// Two sources that set the same mesh field to different values.
struct MeshConflict {
  std::string revision;    // the revision whose sources disagree ("" default)
  std::string field;       // "outboundTrafficPolicy.mode"
  std::size_t winner = 0;  // source indices
  std::size_t loser = 0;
  Location winner_loc;
  Location loser_loc;
  std::string winner_value;
  std::string loser_value;
};

// What Istio's admission says about one object (src/semantics/validation.h):
// an error means the API server refuses it (kubectl apply fails, istiod
// never sees it); a warning is printed by kubectl and the object is stored.
struct ValidationMessage {
  enum class Level : std::uint8_t { kError, kWarning };
  // Who says it: istiod's validating webhook (pkg/config/validation), or the
  // API server itself, from the CRD's OpenAPI schema (enums, required fields).
  enum class By : std::uint8_t { kWebhook, kSchema };
  Level level = Level::kError;
  By by = By::kWebhook;
  ObjectRef object;
  Location loc;         // the offending value, else its key, else the object
  std::string field;    // "spec.hosts[0]"
  std::string message;  // Istio's own words ("invalid host *")
  // The Istio function (or "CRD schema") whose rule it is: "ValidateServiceEntry",
  // "validateExportTo", "ValidateNamespaceSlashWildcardHostname"...
  std::string_view check;
};

// A file or document that could not be used. Becomes an `invalid-manifest`
// finding.
using LoadProblem = Problem;

// A remark about the inputs that is no problem: a file reached a second
// time through a symbolic link is read once, under one name.
struct InputNote {
  std::string path;  // as shown to the user
  std::string message;
};

// Everything known about one namespace.
struct NamespaceInfo {
  std::string name;
  std::optional<std::size_t> manifest;  // index into MeshModel::namespaces
  ObjectRef first_object;               // the first object found in it (input order)
  Location first_object_loc;
  std::vector<std::size_t> sidecars;  // indices into MeshModel::sidecars
  std::vector<std::size_t> service_entries;
  std::vector<std::size_t> workloads;  // indices into MeshModel::workloads, ...
  std::vector<std::size_t> services;
  std::vector<std::size_t> virtual_services;
  std::vector<std::size_t> gateways;
  std::vector<std::size_t> authorization_policies;
};

// An egress policy file (--policy): which namespaces may reach which external
// hosts. Read by the loader; patterns are compiled and checked in src/egress.
struct EgressPolicyEntry {
  Located<std::string> namespaces;          // RE2, matched against the whole name
  std::vector<Located<std::string>> hosts;  // "api.example.com", "*.example.com", "*"
  Location loc;                             // the entry itself (its first key)
};

struct EgressPolicy {
  std::uint32_t file = 0;  // index into MeshModel::files
  std::vector<EgressPolicyEntry> entries;
};

// The loaded objects (Objects: namespaces, service_entries, sidecars,
// others, mesh_sources, problems, stats) and what is derived from them.
class MeshModel : public Objects {
 public:
  FileTable files;
  std::vector<InputNote> input_notes;
  LoadReport load_report;  // charts, kustomizations, duplicates (model/load_report.h)
  // System namespaces named by the project config, besides the built-in ones.
  std::vector<std::string> extra_system_namespaces;
  std::optional<EgressPolicy> egress_policy;  // --policy FILE, when given

  // The Istio release modelled. Set before loading (or call Finalize again):
  // validation follows it.
  IstioVersion istio_version = kDefaultIstioVersion;
  // Threads Finalize may use (0: the machine's cores), as --jobs gives them:
  // it checks objects side by side; what it derives does not depend on it.
  unsigned finalize_jobs = 1;

  // Derived by Finalize(); read-only afterwards.
  // What Istio's validation says of every object, for istio_version, in
  // kind order then input order.
  std::vector<ValidationMessage> validation;
  // The objects it rejects, set aside (input order kept): no rule, index or
  // semantics function sees them, as istiod never does. Only the kinds Istio
  // validates are ever here.
  Objects rejected;
  // Indices into mesh_sources of the ConfigMaps istiod does not read (named
  // like the mesh config, outside the namespace of their revision's istiod):
  // they set nothing.
  std::vector<std::size_t> inert_mesh_sources;
  // The default revision's settings (SettingsForRevision("")).
  MeshSettings mesh;
  std::vector<MeshConflict> mesh_conflicts;
  // Every tag once: the webhook configurations' (what the API server acts
  // on) before the install values' (what renders them), each in input order.
  std::vector<RevisionTag> revision_tags;

  // The mesh settings that govern proxies injected by revision `revision`
  // ("" or "default": the default revision; a revision tag is resolved to
  // its revision). A revision without a mesh config of its own in the
  // inputs gets the default revision's settings, with inherited_from_default.
  const MeshSettings& SettingsForRevision(std::string_view revision) const;
  // The revisions the inputs hold settings for, "" first, then by name.
  std::vector<std::string_view> Revisions() const;

  // Builds the namespace index and resolves the mesh settings. Call after
  // loading, before any query below; calling it again after adding settings
  // sources recomputes everything.
  void Finalize();

  // Namespaces in name order.
  const std::vector<NamespaceInfo>& namespace_index() const { return index_; }
  const NamespaceInfo* FindNamespace(std::string_view name) const;

  // What Istio makes of the objects (exportTo, the applicable Sidecar, system
  // namespaces, ...) is answered by src/semantics/istio.h, not here.

 private:
  void ResolveMeshSettings();
  void ResolveRevisionTags();
  MeshSettings ResolveRevision(const std::string& revision, const std::string& istio_ns,
                               const std::vector<std::size_t>& order);
  void ApplyValidation();
  void RestoreRejected();
  void ApplyCustomScopes();
  void BuildNamespaceIndex();
  NamespaceInfo& Touch(const std::string& ns, const ObjectMeta& meta);

  std::vector<MeshSettings> revision_settings_;  // other than the default, by name
  MeshSettings inherited_;                       // the default's, for revisions without sources
  // For each collection, where each object of `rejected` stood among its kind.
  std::array<std::vector<std::size_t>, kObjectCollectionCount> rejected_at_;
  std::vector<NamespaceInfo> index_;
  std::map<std::string, std::size_t, std::less<>> index_by_name_;
};

}  // namespace meshlint
