#include "loader/object_reader.h"

#include <algorithm>
#include <array>
#include <utility>

#include "loader/classify.h"
#include "loader/injector_config.h"
#include "loader/kind_readers.h"
#include "loader/mesh_config.h"

namespace meshlint {

namespace {

// Kinds that exist once per cluster, not per namespace. Objects of these kinds
// never make a namespace known.
constexpr std::array<std::string_view, 30> kClusterScopedKinds = {
    "APIService",
    "CSIDriver",
    "CSINode",
    "CertificateSigningRequest",
    "ClusterIssuer",
    "ClusterRole",
    "ClusterRoleBinding",
    "ComponentStatus",
    "CustomResourceDefinition",
    "FlowSchema",
    "GatewayClass",
    "IngressClass",
    "MutatingAdmissionPolicy",
    "MutatingAdmissionPolicyBinding",
    "MutatingWebhookConfiguration",
    "Namespace",
    "Node",
    "PersistentVolume",
    "PodSecurityPolicy",
    "PriorityClass",
    "PriorityLevelConfiguration",
    "RuntimeClass",
    "SelfSubjectAccessReview",
    "SelfSubjectRulesReview",
    "StorageClass",
    "TokenReview",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
    "ValidatingWebhookConfiguration",
    "VolumeAttachment"};

bool IsClusterScoped(std::string_view kind) {
  return std::find(kClusterScopedKinds.begin(), kClusterScopedKinds.end(), kind) !=
         kClusterScopedKinds.end();
}

// kind: List items holding Lists: kubectl flattens them, but nothing writes
// more than a level or two, and the depth bounds our recursion.
constexpr int kMaxListDepth = 16;

// Suppression annotations, the only ones the model keeps.
constexpr std::string_view kMeshlintAnnotations = "ignore.meshlint.io/";

// Documents that carry apiVersion and kind but configure a local tool rather
// than describe a cluster object (kustomize, kubeconfig). Like Helm values,
// they are skipped and counted.
bool IsLocalToolConfig(std::string_view api_version, std::string_view kind) {
  return api_version.starts_with("kustomize.config.k8s.io/") ||
         api_version.starts_with("config.kubernetes.io/") ||
         (api_version == "v1" && kind == "Config");
}

// kind: List (and FooList) wraps objects in `items`.
bool IsListKind(std::string_view kind) {
  return kind == "List" || (kind.size() > 4 && kind.ends_with("List"));
}

bool IsCoreV1(std::string_view api_version) { return api_version == "v1"; }
bool IsIstioNetworking(std::string_view api_version) {
  return api_version == "networking.istio.io/v1alpha3" ||
         api_version == "networking.istio.io/v1beta1" || api_version == "networking.istio.io/v1";
}
bool IsIstioInstall(std::string_view api_version) {
  return api_version.starts_with("install.istio.io/");
}
bool IsIstioSecurity(std::string_view api_version) {
  return api_version == "security.istio.io/v1" || api_version == "security.istio.io/v1beta1";
}
bool IsApps(std::string_view api_version) {
  return api_version.starts_with("apps/") || api_version == "extensions/v1beta1";
}
bool IsBatch(std::string_view api_version) { return api_version.starts_with("batch/"); }
bool IsArgoRollouts(std::string_view api_version) {
  return api_version.starts_with("argoproj.io/");
}
bool IsFluxHelm(std::string_view api_version) {
  return api_version.starts_with("helm.toolkit.fluxcd.io/");
}
bool IsSail(std::string_view api_version) { return api_version.starts_with("sailoperator.io/"); }
bool Always(const ObjectMeta&) { return true; }
bool IsAdmissionRegistration(std::string_view api_version) {
  return api_version.starts_with("admissionregistration.k8s.io/");
}
bool IsApiExtensions(std::string_view api_version) {
  return api_version.starts_with("apiextensions.k8s.io/");
}

void ReadNamespace(NodeReader& r, const LiteNode& node, ObjectMeta& meta, const std::string& where);
void ReadCustomResourceDefinition(NodeReader& r, const LiteNode& node, ObjectMeta& meta,
                                  const std::string& where);
void ReadCustomKind(NodeReader& r, const LiteNode& node, const ObjectMeta& meta,
                    const std::string& where);

// A kind the model reads beyond the generic ObjectMeta that every other
// object becomes.
struct KindReader {
  std::string_view kind;
  bool (*api_version)(std::string_view);  // the versions read so
  // Whether the reader looks beyond the object's identity (so that the
  // scanner's identity-only tree cannot do).
  bool (*read_in_full)(const ObjectMeta&);
  // Stores the object. A reader that takes `meta` into its own object and
  // then finds it unusable (throws Unusable) leaves nothing behind; one that
  // leaves `meta` in place has it kept as a generic object.
  void (*read)(NodeReader&, const LiteNode& node, ObjectMeta& meta, const std::string& where);
  // Other versions of this group are a problem, not a silent pass.
  std::string_view group = {};
  std::string_view served = {};  // how the problem names the versions read
};

constexpr std::string_view kIstioServed = "networking.istio.io/v1, v1beta1 or v1alpha3";
constexpr std::string_view kSecurityServed = "security.istio.io/v1 or v1beta1";

const KindReader kKindReaders[] = {
    {"Namespace", IsCoreV1, Always, ReadNamespace},
    {"ServiceEntry", IsIstioNetworking, Always, ReadServiceEntry, "networking.istio.io/",
     kIstioServed},
    {"Sidecar", IsIstioNetworking, Always, ReadSidecar, "networking.istio.io/", kIstioServed},
    {"VirtualService", IsIstioNetworking, Always, ReadVirtualService, "networking.istio.io/",
     kIstioServed},
    {"Gateway", IsIstioNetworking, Always, ReadGateway, "networking.istio.io/", kIstioServed},
    {"AuthorizationPolicy", IsIstioSecurity, Always, ReadAuthorizationPolicy, "security.istio.io/",
     kSecurityServed},
    {"Service", IsCoreV1, Always, ReadKubeService},
    {"Pod", IsCoreV1, Always, ReadWorkload},
    {"ReplicationController", IsCoreV1, Always, ReadWorkload},
    {"Deployment", IsApps, Always, ReadWorkload},
    {"StatefulSet", IsApps, Always, ReadWorkload},
    {"DaemonSet", IsApps, Always, ReadWorkload},
    {"ReplicaSet", IsApps, Always, ReadWorkload},
    {"Job", IsBatch, Always, ReadWorkload},
    {"CronJob", IsBatch, Always, ReadWorkload},
    {"Rollout", IsArgoRollouts, Always, ReadWorkload},
    {"IstioOperator", IsIstioInstall, Always, ReadIstioOperator},
    {"HelmRelease", IsFluxHelm, Always, ReadHelmRelease},
    {"Application", IsArgoRollouts, Always, ReadArgoApplication},
    {"Istio", IsSail, Always, ReadSailIstio},
    {"ConfigMap", IsCoreV1, IsMeshConfigMapName, ReadMeshConfigMap},
    {"MutatingWebhookConfiguration", IsAdmissionRegistration, IsInjectionWebhookName,
     ReadMutatingWebhookConfiguration},
    {"CustomResourceDefinition", IsApiExtensions, Always, ReadCustomResourceDefinition},
};

const KindReader* FindKindReader(std::string_view kind, std::string_view api_version) {
  for (const KindReader& k : kKindReaders)
    if (k.kind == kind && k.api_version(api_version)) return &k;
  return nullptr;
}

// A version of a group the table reads, but not one it serves.
const KindReader* UnservedVersion(std::string_view kind, std::string_view api_version) {
  for (const KindReader& k : kKindReaders)
    if (k.kind == kind && !k.group.empty() && api_version.starts_with(k.group) &&
        !k.api_version(api_version))
      return &k;
  return nullptr;
}

void ReadNamespace(NodeReader& r, const LiteNode& node, ObjectMeta& meta,
                   const std::string& where) {
  NamespaceObject ns;
  ns.meta = meta;
  Field md = r.Get(node, "metadata", ns.meta.ref, where);
  Field labels = r.Get(md.value, "labels", ns.meta.ref, NodeReader::Join(where, "metadata"));
  if (labels.present()) {
    r.RequireMap(labels, ns.meta.ref, NodeReader::Join(where, "metadata.labels"));
    for (auto it = labels.value.begin(); it != labels.value.end(); ++it) {
      // A list or mapping is no label (Kubernetes rejects it); an empty
      // value is the empty string, as the API server reads it.
      if (!it->first.IsScalar() || !(it->second.IsScalar() || it->second.IsNull())) continue;
      const std::string value = it->second.IsScalar() ? it->second.Scalar() : std::string();
      r.Charge(it->first.Scalar().size() + value.size() + 1);
      ns.labels[it->first.Scalar()] = value;
      ns.label_locs[it->first.Scalar()] =
          it->second.IsScalar() ? r.Loc(it->second) : r.Loc(it->first);
    }
  }
  r.out().namespaces.push_back(std::move(ns));
}

// Helm's Chart.yaml: apiVersion v1/v2 with name and version, no kind.
// Which kind a CRD declares and whether it is cluster-scoped, so that its
// objects among the inputs make no namespace. The CRD itself stays a generic
// object; a field of another shape is the API server's to reject, not ours.
void ReadCustomResourceDefinition(NodeReader& r, const LiteNode& node, ObjectMeta& meta,
                                  const std::string& where) {
  ReadCustomKind(r, node, meta, where);
  r.out().others.push_back(std::move(meta));
}

void ReadCustomKind(NodeReader& r, const LiteNode& node, const ObjectMeta& meta,
                    const std::string& where) {
  const ObjectRef& ref = meta.ref;
  Field spec = r.Get(node, "spec", ref, where);
  if (!spec.present() || !spec.value.IsMap()) return;
  const std::string sp = NodeReader::Join(where, "spec");
  auto text = [&](const LiteNode& map, std::string_view key, const std::string& path) {
    Field f = r.Get(map, key, ref, path);
    return f.present() && f.value.IsScalar() ? f.value.Scalar() : std::string();
  };
  CustomKind k;
  k.group = text(spec.value, "group", sp);
  Field names = r.Get(spec.value, "names", ref, sp);
  if (names.present() && names.value.IsMap()) k.kind = text(names.value, "kind", sp + ".names");
  k.cluster_scoped = text(spec.value, "scope", sp) == "Cluster";
  k.loc = meta.loc;
  if (!k.group.empty() && !k.kind.empty()) r.out().custom_kinds.push_back(std::move(k));
}

bool IsHelmChartFile(const LiteNode& node, const Field& api) {
  if (!api.value.IsScalar() || (api.value.Scalar() != "v1" && api.value.Scalar() != "v2"))
    return false;
  NodeReader::RequireWhole(node);
  bool name = false, version = false;
  for (auto it = node.begin(); it != node.end(); ++it) {
    if (!it->first.IsScalar()) continue;
    name = name || it->first.Scalar() == "name";
    version = version || it->first.Scalar() == "version";
  }
  return name && version;
}

void ReadAnnotations(NodeReader& r, const Field& md, ObjectMeta& meta, const FieldPath& mpath) {
  Field ann = r.Get(md.value, "annotations", meta.ref, mpath);
  if (!ann.present()) return;
  r.RequireMap(ann, meta.ref, FieldPath(mpath, "annotations"));
  if (!ann.value.HoldsPrefix(kMeshlintAnnotations)) throw NeedsFullTree{};
  for (auto it = ann.value.begin(); it != ann.value.end(); ++it) {
    r.Charge(1);
    if (!it->first.IsScalar() || !it->first.Scalar().starts_with(kMeshlintAnnotations)) continue;
    if (it->second.IsScalar()) r.Charge(it->second.Scalar().size());
    std::string value = it->second.IsScalar() ? it->second.Scalar() : std::string();
    meta.meshlint_annotations.push_back(
        {it->first.Scalar(), Located<std::string>{value, r.Loc(it->first)}});
  }
}

void ReadMetadata(NodeReader& r, const LiteNode& node, ObjectMeta& meta, const std::string& where) {
  const ObjectRef& ref = meta.ref;
  // An IstioOperator is istioctl's install input, which needs neither a
  // name nor a namespace (`istioctl install -f iop.yaml`); istioctl stores
  // it as "installed-state" in the Istio namespace. Not a broken object.
  const bool install_input = meta.ref.kind == "IstioOperator";
  const FieldPath at(where);
  const FieldPath mpath(at, "metadata");
  Field md = r.Get(node, "metadata", ref, where);
  if (install_input && (!md.found || md.value.IsNull())) {
    meta.ref.name = "installed-state";
    meta.ref.ns = "istio-system";
    meta.ns_defaulted = true;
    return;
  }
  if (!md.found || md.value.IsNull()) {
    r.Problem(meta.loc, meta.ref.kind + " has no metadata (metadata.name is required)", ref,
              mpath.str());
    throw Unusable{};
  }
  if (!md.value.IsMap()) {
    r.Problem(r.Loc(md.value),
              mpath.str() + " must be a mapping, not " + NodeReader::ShapeName(md.value), ref,
              mpath.str());
    throw Unusable{};
  }
  Field name = r.Get(md.value, "name", ref, mpath);
  if (!name.present()) name = r.Get(md.value, "generateName", ref, mpath);
  if (!name.present() && install_input) {
    meta.ref.name = "installed-state";
  } else if (!name.present()) {
    r.Problem(r.Loc(md.key), meta.ref.kind + " has no metadata.name", ref,
              FieldPath(mpath, "name").str());
    throw Unusable{};
  } else {
    auto n = r.Scalar(name, ref, FieldPath(mpath, "name"));
    if (IsTemplated(n.value))
      throw TemplatedIdentity{mpath.str() + ".name is a template (" + n.value +
                              "): not an object until rendered"};
    meta.ref.name = std::move(n.value);
    meta.name_loc = n.loc;
  }

  Field ns = r.Get(md.value, "namespace", ref, mpath);
  if (IsClusterScoped(meta.ref.kind) || IsKnownClusterScoped(meta.api_version, meta.ref.kind)) {
    meta.ref.ns.clear();
  } else if (ns.present()) {
    auto v = r.Scalar(ns, ref, FieldPath(mpath, "namespace"));
    if (IsTemplated(v.value))
      throw TemplatedIdentity{mpath.str() + ".namespace is a template (" + v.value +
                              "): not an object until rendered"};
    meta.ref.ns = std::move(v.value);
    meta.ns_loc = v.loc;
  } else {
    meta.ref.ns = install_input ? "istio-system" : r.options().default_namespace;
    meta.ns_defaulted = true;
  }
  ReadAnnotations(r, md, meta, mpath);
}

void ReadObject(NodeReader& r, const LiteNode& node, const std::string& where, int list_depth);

// The objects of a kind: List; false when it has no `items` (then it is an
// object like any other).
bool ReadList(NodeReader& r, const LiteNode& node, const Field& kind, const std::string& where,
              int list_depth) {
  const ObjectRef none;
  Field items = r.Get(node, "items", none, where);
  if (!items.found) return false;
  if (!items.value.IsSequence() && !items.value.IsNull()) {
    r.Problem(r.Loc(items.value), NodeReader::Join(where, "items") + " must be a list", none,
              where);
    return true;
  }
  if (list_depth >= kMaxListDepth) {
    r.Problem(r.Loc(kind.value),
              "kind: List nested more than " + std::to_string(kMaxListDepth) +
                  " deep: its items are not read",
              none, where);
    return true;
  }
  r.Visit(node);
  std::size_t repeats = 0;
  std::string first_repeat;
  Location repeat_loc;
  for (std::size_t i = 0; i < items.value.size(); ++i) {
    const LiteNode item = items.value[i];
    std::string item_where = NodeReader::Join(where, "items[" + std::to_string(i) + "]");
    if (!item.IsMap()) {
      r.Problem(r.Loc(item), item_where + " must be a mapping (an object)", none, item_where);
      continue;
    }
    // An alias (*name) naming an item again, or the List itself: read each
    // object once, so cycles end and aliases cannot multiply. Reported once
    // per List, so the report stays as small as the file.
    if (!r.Visit(item)) {
      if (repeats++ == 0) {
        first_repeat = item_where;
        repeat_loc = r.Loc(item);
      }
      continue;
    }
    ReadObject(r, item, item_where, list_depth + 1);
  }
  if (repeats > 0) {
    r.Problem(
        repeat_loc,
        first_repeat +
            (repeats == 1 ? std::string(" repeats an object")
                          : " and " + std::to_string(repeats - 1) + " more items repeat objects") +
            " already read (YAML aliases): not read again",
        none, first_repeat);
  }
  return true;
}

// A document that is no Kubernetes object: counted, and listed by --verbose.
void SkipDocument(NodeReader& r, std::string reason) {
  ++r.out().stats.skipped_non_kubernetes;
  // The document's first line: the scanner's tree has no position for the
  // mapping itself, and a list goes to --verbose only.
  const std::uint32_t line = std::max<std::uint32_t>(r.span().first_line, 1);
  r.out().skipped.push_back({Location{r.span().file, line, 1, line, 1}, std::move(reason)});
}

// A top-level list whose first entry has apiVersion and kind: objects
// written as a list, which kubectl rejects (reported, not skipped).
bool ListsObjects(NodeReader& r, const LiteNode& list) {
  const LiteNode first = list[0];
  if (!first.IsMap()) return false;
  try {
    const ObjectRef none;
    return r.Get(first, "apiVersion", none, "").found && r.Get(first, "kind", none, "").found;
  } catch (const Unusable&) {
    return true;
  }
}

// Checks apiVersion and kind; false (reported or counted) when the mapping
// is not an object the model takes.
bool ReadIdentity(NodeReader& r, const LiteNode& node, const std::string& where, Field& api,
                  Field& kind) {
  const ObjectRef none;
  Field metadata;
  try {
    api = r.Get(node, "apiVersion", none, where);
    kind = r.Get(node, "kind", none, where);
    metadata = r.Get(node, "metadata", none, where);
  } catch (const Unusable&) {
    return false;
  }
  if (api.found && !kind.found && IsHelmChartFile(node, api)) {
    SkipDocument(r, "a Helm chart's Chart.yaml");
    return false;
  }
  // Helm values, Ansible variables, tools' files shaped like objects: not
  // ours to judge (loader/classify.h says what an object is).
  auto text = [](const Field& f) {
    return f.found && f.value.IsScalar() ? std::string_view(f.value.Scalar()) : std::string_view();
  };
  // Written but empty or not a string: a broken object, reported below.
  auto usable = [&](const Field& f) { return !f.found || !text(f).empty(); };
  if (where.empty() && usable(api) && usable(kind)) {
    if (auto why = NotAnObject(text(api), text(kind), metadata.present())) {
      SkipDocument(r, *why);
      return false;
    }
  }
  if (!api.found || !kind.found) {
    const Field& have = api.found ? api : kind;
    r.Problem(r.Loc(have.key),
              std::string("object has '") + (api.found ? "apiVersion" : "kind") + "' but no '" +
                  (api.found ? "kind" : "apiVersion") + "'",
              none, where);
    return false;
  }
  if (!api.value.IsScalar() || !kind.value.IsScalar() || kind.value.Scalar().empty()) {
    const Field& bad = api.value.IsScalar() ? kind : api;
    r.Problem(r.Loc(bad.value),
              NodeReader::Join(where, api.value.IsScalar() ? "kind" : "apiVersion") +
                  " must be a non-empty string",
              none, where);
    return false;
  }
  r.Charge(api.value.Scalar().size() + kind.value.Scalar().size());
  const std::string& api_version = api.value.Scalar();
  const std::string& kind_name = kind.value.Scalar();
  if (const KindReader* k = UnservedVersion(kind_name, api_version)) {
    // A version Istio does not serve: kubectl rejects it, and a silent pass
    // would hide the object from every rule.
    r.Problem(r.Loc(api.value),
              kind_name + " apiVersion '" + api_version + "' is not one Istio serves (" +
                  std::string(k->served) + "): not checked",
              none, NodeReader::Join(where, "apiVersion"));
    return false;
  }
  if (IsLocalToolConfig(api_version, kind_name)) {
    SkipDocument(r, "apiVersion " + api_version + ": a local tool's configuration");
    return false;
  }
  return true;
}

void ReadObject(NodeReader& r, const LiteNode& node, const std::string& where, int list_depth) {
  r.Charge(64);
  Field api, kind;
  if (!ReadIdentity(r, node, where, api, kind)) return;
  // The tree's own strings: it outlives the object's reading.
  const std::string& api_version = api.value.Scalar();
  const std::string& kind_name = kind.value.Scalar();
  if (IsListKind(kind_name)) {
    try {
      if (ReadList(r, node, kind, where, list_depth)) return;
    } catch (const Unusable&) {
      return;
    }
  }
  ObjectMeta meta;
  meta.api_version = SharedText(api_version);
  meta.ref.kind = kind_name;
  meta.loc = r.Loc(kind.value);
  try {
    ReadMetadata(r, node, meta, where);
    ++r.out().stats.objects;
    const KindReader* reader = FindKindReader(kind_name, api_version);
    if (!reader) {
      r.out().others.push_back(std::move(meta));
      return;
    }
    if (node.IsPartial() && reader->read_in_full(meta)) throw NeedsFullTree{};
    reader->read(r, node, meta, where);
  } catch (const Unusable&) {
    // Reported where detected. The object still tells which namespace
    // exists, when its metadata was readable.
    if (!meta.ref.name.empty()) r.out().others.push_back(std::move(meta));
  } catch (TemplatedIdentity& t) {
    SkipDocument(r, std::move(t.reason));
  }
}

}  // namespace

std::string Qualified(const ObjectRef& ref) {
  return ref.ns.empty() ? ref.name : ref.ns + "/" + ref.name;
}

bool KindLikelyReadInFull(std::string_view kind) {
  if (IsListKind(kind)) return true;
  ObjectMeta meta;  // the kind alone: no name to go by
  meta.ref.kind = std::string(kind);
  for (const KindReader& k : kKindReaders)
    if (k.kind == kind && k.read_in_full(meta)) return true;
  return false;
}

const PrunePlan* PrunePlanFor(std::string_view kind) {
  // Objects read for their identity: only metadata (and there not the
  // bookkeeping kubectl writes).
  static const PrunePlan kIdentity{{"metadata"}, {"managedFields"}};
  // Workloads: the pod template's metadata and hostNetwork, not what runs.
  static const PrunePlan kWorkload{
      {},
      {"containers", "initContainers", "ephemeralContainers", "volumes", "volumeClaimTemplates",
       "affinity", "tolerations", "topologySpreadConstraints", "managedFields", "status"}};
  // A CRD's group, kind and scope, not its schemas.
  static const PrunePlan kDefinition{{}, {"versions", "validation", "managedFields", "status"}};
  // Any other kind read: only what no reader asks for.
  static const PrunePlan kRead{{}, {"managedFields"}};
  if (kind.empty() || IsListKind(kind)) return nullptr;
  const KindReader* reader = nullptr;
  for (const KindReader& k : kKindReaders)
    if (k.kind == kind) reader = &k;
  // A ConfigMap's data is read for the mesh config map only, known by its
  // name: a guess the reader corrects (NeedsFullTree) for that one.
  if (reader == nullptr || kind == "ConfigMap") return &kIdentity;
  if (reader->read == ReadWorkload) return &kWorkload;
  if (kind == "CustomResourceDefinition") return &kDefinition;
  return &kRead;
}

void ReadDocument(NodeReader& r, const LiteNode& root) {
  ++r.out().stats.documents;
  if (!root || root.IsNull()) {
    ++r.out().stats.empty_documents;
    return;
  }
  if (root.IsSequence() && !ListsObjects(r, root)) {
    // Ansible playbooks and tasks, JSON 6902 patches, test data: kubectl
    // takes no list as an object either.
    SkipDocument(r, "a YAML list, not a Kubernetes object (Ansible tasks, a JSON patch, data)");
    return;
  }
  if (!root.IsMap()) {
    r.Problem(r.Loc(root),
              std::string("a manifest document must be a mapping (an object), not a ") +
                  (root.IsSequence() ? "list" : "scalar"),
              {}, "");
    return;
  }
  try {
    ReadObject(r, root, "", 0);
  } catch (const BudgetExhausted&) {
    r.ReportExhausted(root);
  }
}

}  // namespace meshlint
