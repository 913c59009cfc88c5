#include "loader/loader.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <iostream>
#include <iterator>
#include <set>
#include <sstream>
#include <thread>
#include <tuple>

#include "loader/scan.h"
#include "loader/config_file.h"
#include "loader/text.h"

namespace meshlint {
namespace fs = std::filesystem;

namespace {

// Kinds that exist once per cluster, not per namespace. Objects of these kinds
// never make a namespace known.
constexpr std::array<std::string_view, 30> kClusterScopedKinds = {
    "APIService", "CSIDriver", "CSINode", "CertificateSigningRequest", "ClusterIssuer",
    "ClusterRole", "ClusterRoleBinding", "ComponentStatus", "CustomResourceDefinition",
    "FlowSchema", "GatewayClass", "IngressClass", "MutatingAdmissionPolicy",
    "MutatingAdmissionPolicyBinding", "MutatingWebhookConfiguration", "Namespace", "Node",
    "PersistentVolume", "PodSecurityPolicy", "PriorityClass", "PriorityLevelConfiguration",
    "RuntimeClass", "SelfSubjectAccessReview", "SelfSubjectRulesReview", "StorageClass",
    "TokenReview", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding",
    "ValidatingWebhookConfiguration", "VolumeAttachment"};

bool IsClusterScoped(std::string_view kind) {
  return std::find(kClusterScopedKinds.begin(), kClusterScopedKinds.end(), kind) !=
         kClusterScopedKinds.end();
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// Documents that carry apiVersion and kind but configure a local tool rather
// than describe a cluster object (kustomize, kubeconfig). Like Helm values,
// they are skipped and counted.
bool IsLocalToolConfig(std::string_view api_version, std::string_view kind) {
  return StartsWith(api_version, "kustomize.config.k8s.io/") ||
         StartsWith(api_version, "config.kubernetes.io/") ||
         (api_version == "v1" && kind == "Config");
}

// "istio-system/istio": how messages name an object whose kind they state.
std::string Qualified(const ObjectRef& ref) {
  return ref.ns.empty() ? ref.name : ref.ns + "/" + ref.name;
}

bool IsIstioNetworking(std::string_view api_version) {
  return api_version == "networking.istio.io/v1alpha3" ||
         api_version == "networking.istio.io/v1beta1" || api_version == "networking.istio.io/v1";
}

// Where a node yaml-cpp marks at (line, column) — 0-based, within span.text —
// lies in the file; a scalar's `value` gives the span its width. Shared by
// the parser path and the scanner path so both place findings identically.
Location MarkLocation(const TextSpan& span, std::uint32_t line, std::uint32_t column,
                      const std::string* value) {
  Location loc;
  loc.file = span.file;
  loc.line = span.first_line + line;
  loc.column = span.column_offset + column + 1;
  loc.end_line = loc.line;
  loc.end_column = loc.column + 1;
  if (value) {
    std::uint32_t width = ScalarWidth(span.Line(line), column, *value);
    loc.end_column = loc.column + std::max<std::uint32_t>(width, 1);
  }
  return loc;
}

// Everything one file yields; files load in parallel and are merged in order.
using FileResult = Objects;

// Runs fn(0) ... fn(n - 1) on up to `jobs` threads.
template <typename Fn>
void ParallelFor(std::size_t n, unsigned jobs, Fn fn) {
  jobs = static_cast<unsigned>(std::min<std::size_t>(jobs, n));
  if (jobs <= 1) {
    for (std::size_t i = 0; i < n; ++i) fn(i);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < jobs; ++t)
    pool.emplace_back([&] {
      for (std::size_t i = next++; i < n; i = next++) fn(i);
    });
  for (auto& th : pool) th.join();
}

template <typename T>
void Append(std::vector<T>& to, std::vector<T>& from) {
  to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}

void Merge(FileResult& r, MeshModel& model) { model.Append(std::move(r)); }

constexpr const char* kTemplateMessage =
    "Helm/Go template syntax ('{{') found: render it first (helm template ... | meshlint lint -)";

// Where a YAML syntax error in `span` is. yaml-cpp reports "... not found"
// at the end of the input, a line after the document (the next `---`, or
// past the end of the file); such errors point at the end of the document's
// last non-blank line instead.
Location ParseErrorLocation(const TextSpan& span, const YAML::Mark& mark) {
  auto line = static_cast<std::uint32_t>(mark.line);
  auto column = static_cast<std::uint32_t>(mark.column);
  auto content = [&](std::uint32_t i) {
    std::string_view text = span.Line(i);
    std::size_t first = text.find_first_not_of(" \t\r");
    return first == std::string_view::npos || text[first] == '#' ? std::string_view{} : text;
  };
  if (line >= span.LineCount() || content(line).empty()) {
    for (std::uint32_t i = std::min(line, span.LineCount()); i-- > 0;) {
      std::string_view text = content(i);
      if (text.empty()) continue;
      line = i;
      column = static_cast<std::uint32_t>(text.find_last_not_of(" \t\r"));
      break;
    }
  }
  Location loc;
  loc.file = span.file;
  loc.line = loc.end_line = span.first_line + line;
  loc.column = span.column_offset + column + 1;
  loc.end_column = loc.column + 1;
  return loc;
}

// A key and its value inside a mapping.
template <typename Node>
struct FieldT {
  Node key;
  Node value;
  bool found = false;
  bool present() const { return found && !value.IsNull(); }

  FieldT() = default;
  FieldT(const FieldT&) = default;
  // YAML::Node's operator= writes through to the node it already refers to
  // (changing the parsed document); reset() only rebinds the handle.
  FieldT& operator=(const FieldT& other) {
    key.reset(other.key);
    value.reset(other.value);
    found = other.found;
    return *this;
  }
};

// Raised inside one object when a field the model needs has the wrong shape;
// the object is then not used, and the problem is reported.
struct Unusable {};

// YAML aliases let a small document name one node many times (a "billion
// laughs" bomb). yaml-cpp shares aliased nodes, but our reading of them would
// still copy and scan each use. Every document gets a work budget linear in
// its size: reading without aliases stays far below it, so only an alias bomb
// exhausts it, and the rest of that document is then not used.
struct WorkBudget {
  std::size_t left = 0;
};
struct BudgetExhausted {};
constexpr std::size_t kBudgetPerByte = 8;
constexpr std::size_t kBudgetBase = std::size_t{1} << 20;

// kind: List items holding Lists: kubectl flattens them, but nothing writes
// more than a level or two, and the depth bounds our recursion.
constexpr int kMaxListDepth = 16;

// yaml-cpp keeps about twenty times a document's size in memory. No
// Kubernetes object comes near this (the API server takes at most a few MiB),
// so a larger document is reported instead of parsed.
constexpr std::size_t kMaxDocumentBytes = std::size_t{32} << 20;

// Reads one parsed document (or the YAML embedded in a ConfigMap) into a
// FileResult, translating yaml-cpp marks into file positions. Node is
// YAML::Node, or LiteNode for a tree the scanner built (same interface).
template <typename Node>
class DocReaderT {
 public:
  using Field = FieldT<Node>;

  DocReaderT(FileResult& out, const LoadOptions& options, std::uint32_t file, TextSpan span,
             WorkBudget& budget)
      : out_(out), options_(options), file_(file), span_(span), budget_(budget) {}

  void Document(const Node& root) {
    ++out_.stats.documents;
    if (!root || root.IsNull()) {
      ++out_.stats.empty_documents;
      return;
    }
    if (!root.IsMap()) {
      Problem(Loc(root),
              std::string("a manifest document must be a mapping (an object), not a ") +
                  (root.IsSequence() ? "list" : "scalar"),
              {}, "");
      return;
    }
    try {
      Object(root, "", 0);
    } catch (const BudgetExhausted&) {
      ReportExhausted(root);
    }
  }

  void ReportExhausted(const Node& root) {
    Problem(Loc(root),
            "YAML aliases (*name) expand this document far beyond its size (an alias bomb): "
            "the rest of it is not read",
            {}, "");
  }

  // Mesh settings from a MeshConfig mapping (IstioOperator spec.meshConfig,
  // ConfigMap data.mesh, a --mesh-config file).
  void MeshConfig(const Node& mc, MeshConfigSource source, const ObjectRef& ref,
                  const std::string& path) {
    try {
      Charge(64);
      if (!mc.IsMap()) {
        if (!mc.IsNull()) Problem(Loc(mc), "mesh config must be a mapping", ref, path);
        out_.mesh_sources.push_back(std::move(source));
        return;
      }
      if (Field f = Get(mc, "rootNamespace", ref, path); f.present())
        source.root_namespace = Scalar(f, ref, path + ".rootNamespace");
      if (Field f = Get(mc, "defaultServiceExportTo", ref, path); f.present()) {
        source.default_service_export_to = ScalarList(f, ref, path + ".defaultServiceExportTo");
        source.default_service_export_to_key = Loc(f.key);
      }
      if (Field f = Get(mc, "outboundTrafficPolicy", ref, path); f.present()) {
        source.outbound_key = Loc(f.key);
        RequireMap(f, ref, path + ".outboundTrafficPolicy");
        if (Field m = Get(f.value, "mode", ref, path); m.present()) {
          auto mode = Scalar(m, ref, path + ".outboundTrafficPolicy.mode");
          auto parsed = ParseOutboundMode(mode.value);
          if (!parsed) {
            Problem(mode.loc,
                    "outboundTrafficPolicy.mode '" + mode.value +
                        "' is not one of REGISTRY_ONLY, ALLOW_ANY, ALLOW_ANY_DYNAMIC_DNS",
                    ref, path + ".outboundTrafficPolicy.mode");
            throw Unusable{};
          }
          source.outbound_mode = Located<OutboundMode>{*parsed, mode.loc};
        }
      }
      out_.mesh_sources.push_back(std::move(source));
    } catch (const Unusable&) {
      // Reported; the source is not used.
    }
  }

  Location Loc(const Node& node) const {
    const auto mark = node.Mark();
    // ScalarWidth below compares up to the value's length.
    if (node.IsScalar()) Charge(node.Scalar().size());
    if (span_.collapse_to.valid()) return span_.collapse_to;
    if (mark.line < 0) return Location{file_, span_.first_line, span_.column_offset + 1, 0, 0};
    return MarkLocation(span_, static_cast<std::uint32_t>(mark.line),
                        static_cast<std::uint32_t>(mark.column),
                        node.IsScalar() ? &node.Scalar() : nullptr);
  }

 private:
  void Charge(std::size_t work) const {
    if (work >= budget_.left) {
      budget_.left = 0;
      throw BudgetExhausted{};
    }
    budget_.left -= work;
  }

  void Problem(Location loc, std::string message, const ObjectRef& ref, std::string field) {
    // `name: {{ .Release.Name }}` is valid YAML (a flow mapping), so a Helm
    // template may parse and only fail here: say what it really is.
    if (!span_.collapse_to.valid() && loc.file == file_ && loc.line >= span_.first_line &&
        loc.column > span_.column_offset) {
      std::string_view line = span_.Line(loc.line - span_.first_line);
      std::size_t col = loc.column - span_.column_offset - 1;
      if (col < line.size() && line.substr(col).starts_with("{{"))
        message = std::string(kTemplateMessage) + " (" + message + ")";
    }
    out_.problems.push_back(LoadProblem{loc, std::move(message), ref, std::move(field)});
  }

  Field Get(const Node& map, std::string_view name, const ObjectRef& ref,
            const std::string& path) {
    Field field;
    for (auto it = map.begin(); it != map.end(); ++it) {
      Charge(1);
      if (!it->first.IsScalar() || it->first.Scalar() != name) continue;
      if (field.found) {
        Problem(Loc(it->first),
                "duplicate key '" + std::string(name) + "' (first at line " +
                    std::to_string(Loc(field.key).line) + "); Kubernetes rejects this",
                ref, Join(path, name));
        throw Unusable{};
      }
      field.key = it->first;
      field.value = it->second;
      field.found = true;
    }
    return field;
  }

  static std::string Join(const std::string& path, std::string_view name) {
    return path.empty() ? std::string(name) : path + "." + std::string(name);
  }

  static const char* ShapeName(const Node& node) {
    if (node.IsMap()) return "a mapping";
    if (node.IsSequence()) return "a list";
    if (node.IsNull()) return "empty";
    return "a scalar";
  }

  void RequireMap(const Field& f, const ObjectRef& ref, const std::string& path) {
    if (f.value.IsMap() || f.value.IsNull()) return;
    Problem(Loc(f.value), path + " must be a mapping, not " + ShapeName(f.value), ref, path);
    throw Unusable{};
  }

  Located<std::string> Scalar(const Field& f, const ObjectRef& ref, const std::string& path) {
    if (!f.value.IsScalar()) {
      Problem(Loc(f.value), path + " must be a string, not " + ShapeName(f.value), ref, path);
      throw Unusable{};
    }
    Charge(f.value.Scalar().size());
    return {f.value.Scalar(), Loc(f.value)};
  }

  std::vector<Located<std::string>> ScalarList(const Field& f, const ObjectRef& ref,
                                               const std::string& path,
                                               const char* example = nullptr) {
    std::vector<Located<std::string>> out;
    if (f.value.IsNull()) return out;
    if (!f.value.IsSequence()) {
      std::string message = path + " must be a list, not " + ShapeName(f.value);
      if (example) message += std::string(" (write ") + example + ")";
      Problem(Loc(f.value), message, ref, path);
      throw Unusable{};
    }
    for (std::size_t i = 0; i < f.value.size(); ++i) {
      const Node item = f.value[i];
      if (!item.IsScalar()) {
        std::string item_path = path + "[" + std::to_string(i) + "]";
        Problem(Loc(item), item_path + " must be a string, not " + ShapeName(item), ref,
                item_path);
        throw Unusable{};
      }
      Charge(item.Scalar().size() + 1);
      out.push_back({item.Scalar(), Loc(item)});
    }
    return out;
  }

  void Object(const Node& node, const std::string& where, int list_depth) {
    Charge(64);
    ObjectRef none;
    Field api, kind;
    try {
      api = Get(node, "apiVersion", none, where);
      kind = Get(node, "kind", none, where);
    } catch (const Unusable&) {
      return;
    }
    if (!api.found && !kind.found) {
      // Helm values, tool configuration, anything that is not a Kubernetes
      // object: not ours to judge.
      ++out_.stats.skipped_non_kubernetes;
      return;
    }
    if (api.found && !kind.found && IsHelmChartFile(node, api)) {
      // Helm's Chart.yaml: apiVersion v1/v2 with name and version, no kind.
      ++out_.stats.skipped_non_kubernetes;
      return;
    }
    if (!api.found || !kind.found) {
      const Field& have = api.found ? api : kind;
      Problem(Loc(have.key),
              std::string("object has '") + (api.found ? "apiVersion" : "kind") +
                  "' but no '" + (api.found ? "kind" : "apiVersion") + "'",
              none, where);
      return;
    }
    if (!api.value.IsScalar() || !kind.value.IsScalar() || kind.value.Scalar().empty()) {
      const Field& bad = api.value.IsScalar() ? kind : api;
      Problem(Loc(bad.value), Join(where, api.value.IsScalar() ? "kind" : "apiVersion") +
                                  " must be a non-empty string",
              none, where);
      return;
    }
    Charge(api.value.Scalar().size() + kind.value.Scalar().size());
    const std::string api_version = api.value.Scalar();
    const std::string kind_name = kind.value.Scalar();
    if ((kind_name == "ServiceEntry" || kind_name == "Sidecar") &&
        StartsWith(api_version, "networking.istio.io/") && !IsIstioNetworking(api_version)) {
      // A version Istio does not serve: kubectl rejects it, and a silent pass
      // would hide the object from every rule.
      Problem(Loc(api.value),
              kind_name + " apiVersion '" + api_version +
                  "' is not one Istio serves (networking.istio.io/v1, v1beta1 or v1alpha3): "
                  "not checked",
              none, Join(where, "apiVersion"));
      return;
    }
    if (IsLocalToolConfig(api_version, kind_name)) {
      ++out_.stats.skipped_non_kubernetes;
      return;
    }

    // kind: List (and FooList) wraps objects in `items`.
    if (kind_name == "List" || (kind_name.size() > 4 && kind_name.ends_with("List"))) {
      try {
        Field items = Get(node, "items", none, where);
        if (items.found) {
          if (!items.value.IsSequence() && !items.value.IsNull()) {
            Problem(Loc(items.value), Join(where, "items") + " must be a list", none, where);
            return;
          }
          if (list_depth >= kMaxListDepth) {
            Problem(Loc(kind.value),
                    "kind: List nested more than " + std::to_string(kMaxListDepth) +
                        " deep: its items are not read",
                    none, where);
            return;
          }
          Visit(node);
          std::size_t repeats = 0;
          std::string first_repeat;
          Location repeat_loc;
          for (std::size_t i = 0; i < items.value.size(); ++i) {
            const Node item = items.value[i];
            std::string item_where = Join(where, "items[" + std::to_string(i) + "]");
            if (!item.IsMap()) {
              Problem(Loc(item), item_where + " must be a mapping (an object)", none, item_where);
              continue;
            }
            // An alias (*name) naming an item again, or the List itself: read
            // each object once, so cycles end and aliases cannot multiply.
            // Reported once per List, so the report stays as small as the file.
            if (!Visit(item)) {
              if (repeats++ == 0) {
                first_repeat = item_where;
                repeat_loc = Loc(item);
              }
              continue;
            }
            Object(item, item_where, list_depth + 1);
          }
          if (repeats > 0) {
            Problem(repeat_loc,
                    first_repeat +
                        (repeats == 1 ? std::string(" repeats an object")
                                      : " and " + std::to_string(repeats - 1) +
                                            " more items repeat objects") +
                        " already read (YAML aliases): not read again",
                    none, first_repeat);
          }
          return;
        }
      } catch (const Unusable&) {
        return;
      }
    }

    ObjectMeta meta;
    meta.api_version = api_version;
    meta.ref.kind = kind_name;
    meta.loc = Loc(kind.value);
    try {
      ReadMetadata(node, meta, where);
      ++out_.stats.objects;
      if (kind_name == "Namespace" && api_version == "v1") {
        NamespaceObject ns;
        ns.meta = meta;
        ReadLabels(node, ns, where);
        out_.namespaces.push_back(std::move(ns));
        return;
      }
      if (kind_name == "ServiceEntry" && IsIstioNetworking(api_version)) {
        ReadServiceEntry(node, std::move(meta), where);
        return;
      }
      if (kind_name == "Sidecar" && IsIstioNetworking(api_version)) {
        ReadSidecar(node, std::move(meta), where);
        return;
      }
      if (kind_name == "IstioOperator" && StartsWith(api_version, "install.istio.io/"))
        ReadIstioOperator(node, meta, where);
      else if (kind_name == "ConfigMap" && api_version == "v1")
        ReadMeshConfigMap(node, meta, where);
      out_.others.push_back(std::move(meta));
    } catch (const Unusable&) {
      // Reported where detected. The object still tells which namespace
      // exists, when its metadata was readable.
      if (!meta.ref.name.empty()) {
        ObjectMeta generic = meta;
        out_.others.push_back(std::move(generic));
      }
    }
  }

  static bool IsHelmChartFile(const Node& node, const Field& api) {
    if (!api.value.IsScalar() || (api.value.Scalar() != "v1" && api.value.Scalar() != "v2"))
      return false;
    bool name = false, version = false;
    for (auto it = node.begin(); it != node.end(); ++it) {
      if (!it->first.IsScalar()) continue;
      name = name || it->first.Scalar() == "name";
      version = version || it->first.Scalar() == "version";
    }
    return name && version;
  }

  void ReadMetadata(const Node& node, ObjectMeta& meta, const std::string& where) {
    const ObjectRef& ref = meta.ref;
    // An IstioOperator is istioctl's install input, which needs neither a
    // name nor a namespace (`istioctl install -f iop.yaml`); istioctl stores
    // it as "installed-state" in the Istio namespace. Not a broken object.
    const bool install_input = meta.ref.kind == "IstioOperator";
    Field md = Get(node, "metadata", ref, where);
    if (install_input && (!md.found || md.value.IsNull())) {
      meta.ref.name = "installed-state";
      meta.ref.ns = "istio-system";
      meta.ns_defaulted = true;
      return;
    }
    if (!md.found || md.value.IsNull()) {
      Problem(meta.loc, meta.ref.kind + " has no metadata (metadata.name is required)", ref,
              Join(where, "metadata"));
      throw Unusable{};
    }
    if (!md.value.IsMap()) {
      Problem(Loc(md.value),
              Join(where, "metadata") + " must be a mapping, not " + ShapeName(md.value), ref,
              Join(where, "metadata"));
      throw Unusable{};
    }
    const std::string mpath = Join(where, "metadata");
    Field name = Get(md.value, "name", ref, mpath);
    if (!name.present()) name = Get(md.value, "generateName", ref, mpath);
    if (!name.present() && install_input) {
      meta.ref.name = "installed-state";
    } else if (!name.present()) {
      Problem(Loc(md.key), meta.ref.kind + " has no metadata.name", ref, mpath + ".name");
      throw Unusable{};
    } else {
      auto n = Scalar(name, ref, mpath + ".name");
      meta.ref.name = n.value;
      meta.name_loc = n.loc;
    }

    Field ns = Get(md.value, "namespace", ref, mpath);
    if (IsClusterScoped(meta.ref.kind)) {
      meta.ref.ns.clear();
    } else if (ns.present()) {
      auto v = Scalar(ns, ref, mpath + ".namespace");
      meta.ref.ns = v.value;
      meta.ns_loc = v.loc;
    } else {
      meta.ref.ns = install_input ? "istio-system" : options_.default_namespace;
      meta.ns_defaulted = true;
    }

    Field ann = Get(md.value, "annotations", ref, mpath);
    if (ann.present()) {
      RequireMap(ann, meta.ref, mpath + ".annotations");
      for (auto it = ann.value.begin(); it != ann.value.end(); ++it) {
        Charge(1);
        if (!it->first.IsScalar() || !StartsWith(it->first.Scalar(), "ignore.meshlint.io/"))
          continue;
        if (it->second.IsScalar()) Charge(it->second.Scalar().size());
        std::string value = it->second.IsScalar() ? it->second.Scalar() : std::string();
        meta.meshlint_annotations.push_back(
            {it->first.Scalar(), Located<std::string>{value, Loc(it->first)}});
      }
    }
  }

  void ReadLabels(const Node& node, NamespaceObject& ns, const std::string& where) {
    Field md = Get(node, "metadata", ns.meta.ref, where);
    Field labels = Get(md.value, "labels", ns.meta.ref, Join(where, "metadata"));
    if (!labels.present()) return;
    RequireMap(labels, ns.meta.ref, Join(where, "metadata.labels"));
    for (auto it = labels.value.begin(); it != labels.value.end(); ++it) {
      // A list or mapping is no label (Kubernetes rejects it); an empty
      // value is the empty string, as the API server reads it.
      if (!it->first.IsScalar() || !(it->second.IsScalar() || it->second.IsNull())) continue;
      const std::string value = it->second.IsScalar() ? it->second.Scalar() : std::string();
      Charge(it->first.Scalar().size() + value.size() + 1);
      ns.labels[it->first.Scalar()] = value;
    }
  }

  Field Spec(const Node& node, const ObjectRef& ref, const std::string& where) {
    Field spec = Get(node, "spec", ref, where);
    if (spec.found) RequireMap(spec, ref, Join(where, "spec"));
    return spec;
  }

  void ReadServiceEntry(const Node& node, ObjectMeta meta, const std::string& where) {
    ServiceEntry se;
    se.meta = std::move(meta);
    const ObjectRef& ref = se.meta.ref;
    Field spec = Spec(node, ref, where);
    if (spec.present()) {
      const std::string sp = Join(where, "spec");
      if (Field f = Get(spec.value, "hosts", ref, sp); f.found) {
        se.hosts_key = Loc(f.key);
        se.hosts = ScalarList(f, ref, sp + ".hosts", "hosts: [\"api.example.com\"]");
      }
      if (Field f = Get(spec.value, "exportTo", ref, sp); f.found) {
        se.export_to_set = true;
        se.export_to_key = Loc(f.key);
        se.export_to = ScalarList(f, ref, sp + ".exportTo", "exportTo: [\".\"]");
      }
      if (Field f = Get(spec.value, "location", ref, sp); f.present())
        se.location = Scalar(f, ref, sp + ".location");
      if (Field f = Get(spec.value, "workloadSelector", ref, sp); f.present())
        se.has_workload_selector = true;
    }
    if (!se.hosts_key.valid()) se.hosts_key = se.meta.anchor();
    out_.service_entries.push_back(std::move(se));
  }

  void ReadSidecar(const Node& node, ObjectMeta meta, const std::string& where) {
    Sidecar sc;
    sc.meta = std::move(meta);
    const ObjectRef& ref = sc.meta.ref;
    Field spec = Spec(node, ref, where);
    if (spec.present()) {
      const std::string sp = Join(where, "spec");
      if (Field f = Get(spec.value, "workloadSelector", ref, sp); f.present()) {
        RequireMap(f, ref, sp + ".workloadSelector");
        sc.has_selector = true;
        sc.selector_loc = Loc(f.key);
      }
      if (Field f = Get(spec.value, "egress", ref, sp); f.found) {
        sc.egress_set = true;
        sc.egress_key = Loc(f.key);
        if (!f.value.IsSequence() && !f.value.IsNull()) {
          Problem(Loc(f.value), sp + ".egress must be a list, not " + ShapeName(f.value), ref,
                  sp + ".egress");
          throw Unusable{};
        }
        for (std::size_t i = 0; i < f.value.size(); ++i) {
          const Node listener = f.value[i];
          const std::string lp = sp + ".egress[" + std::to_string(i) + "]";
          if (!listener.IsMap()) {
            Problem(Loc(listener), lp + " must be a mapping", ref, lp);
            throw Unusable{};
          }
          if (Field h = Get(listener, "hosts", ref, lp); h.found) {
            auto hosts = ScalarList(h, ref, lp + ".hosts", "hosts: [\"./*\"]");
            sc.egress_hosts.insert(sc.egress_hosts.end(), hosts.begin(), hosts.end());
          }
        }
      }
      if (Field f = Get(spec.value, "outboundTrafficPolicy", ref, sp); f.present()) {
        RequireMap(f, ref, sp + ".outboundTrafficPolicy");
        sc.outbound_set = true;
        sc.outbound_key = Loc(f.key);
        if (Field m = Get(f.value, "mode", ref, sp + ".outboundTrafficPolicy"); m.present()) {
          auto mode = Scalar(m, ref, sp + ".outboundTrafficPolicy.mode");
          auto parsed = ParseOutboundMode(mode.value);
          if (!parsed || *parsed == OutboundMode::kAllowAnyDynamicDns) {
            Problem(mode.loc,
                    "Sidecar outboundTrafficPolicy.mode '" + mode.value +
                        "' is not one of REGISTRY_ONLY, ALLOW_ANY",
                    ref, sp + ".outboundTrafficPolicy.mode");
            throw Unusable{};
          }
          sc.outbound_mode = *parsed;
          sc.outbound_mode_loc = mode.loc;
        }
      }
    }
    out_.sidecars.push_back(std::move(sc));
  }

  void ReadIstioOperator(const Node& node, const ObjectMeta& meta, const std::string& where) {
    Field spec = Spec(node, meta.ref, where);
    if (!spec.present()) return;
    Field mc = Get(spec.value, "meshConfig", meta.ref, Join(where, "spec"));
    if (!mc.found) return;
    MeshConfigSource source;
    source.origin = MeshConfigSource::Origin::kIstioOperator;
    source.description = "IstioOperator " + Qualified(meta.ref);
    source.object = meta.ref;
    source.loc = Loc(mc.key);
    MeshConfig(mc.value, std::move(source), meta.ref, Join(where, "spec.meshConfig"));
  }

  // ConfigMap `istio` (or `istio-<revision>`) holds the mesh config as YAML
  // inside the string `data.mesh`.
  void ReadMeshConfigMap(const Node& node, const ObjectMeta& meta, const std::string& where) {
    if (meta.ref.name != "istio" && !StartsWith(meta.ref.name, "istio-")) return;
    Field data = Get(node, "data", meta.ref, where);
    if (!data.present() || !data.value.IsMap()) return;
    Field mesh = Get(data.value, "mesh", meta.ref, Join(where, "data"));
    if (!mesh.present()) return;
    auto text = Scalar(mesh, meta.ref, Join(where, "data.mesh"));
    // The embedded text meets yaml-cpp too: the same guards as a file. Its
    // parse costs its size again.
    Charge(text.value.size());
    if (auto deep = FindExcessiveNesting(text.value)) {
      Problem(text.loc, "data.mesh: " + deep->message, meta.ref, Join(where, "data.mesh"));
      return;
    }
    MeshConfigSource source;
    source.origin = MeshConfigSource::Origin::kConfigMap;
    source.description = "ConfigMap " + Qualified(meta.ref);
    source.object = meta.ref;
    source.loc = Loc(mesh.key);

    // Map positions inside the string back into the file: a literal block
    // scalar (`mesh: |`) keeps its lines, shifted by its indentation. Other
    // styles point at the value itself.
    const auto mark = mesh.value.Mark();
    TextSpan inner =
        span_.collapse_to.valid() || mark.line < 0
            ? TextSpan{file_, text.value, 1, 0, text.loc}
            : EmbeddedSpan(span_, static_cast<std::uint32_t>(mark.line),
                           static_cast<std::size_t>(mark.column), text.value, text.loc);
    DocReaderT<YAML::Node> reader(out_, options_, file_, inner, budget_);
    YAML::Node mc;
    try {
      mc = YAML::Load(text.value);
    } catch (const YAML::Exception& e) {
      Location loc = text.loc;
      if (!inner.collapse_to.valid() && e.mark.line >= 0) loc = ParseErrorLocation(inner, e.mark);
      Problem(loc, "YAML syntax error in data.mesh: " + e.msg, meta.ref, Join(where, "data.mesh"));
      return;
    }
    reader.MeshConfig(mc, std::move(source), meta.ref, "data.mesh");
  }

  // Records a node as read; false when it was already (an alias of it).
  // Distinct nodes start at distinct places, and yaml-cpp gives an alias the
  // mark of the node it names.
  bool Visit(const Node& node) {
    const auto m = node.Mark();
    return visited_.insert({m.pos, m.line, m.column}).second;
  }

  FileResult& out_;
  const LoadOptions& options_;
  std::uint32_t file_;
  TextSpan span_;
  WorkBudget& budget_;
  std::set<std::tuple<int, int, int>> visited_;
};

using DocReader = DocReaderT<YAML::Node>;

WorkBudget BudgetFor(std::string_view text) {
  return WorkBudget{kBudgetBase + kBudgetPerByte * text.size()};
}

// Kinds the model reads beyond their identity, in any apiVersion: their
// documents are always parsed. (ConfigMaps are parsed when named like the
// mesh config; List kinds too.)
bool ModelReadsKind(std::string_view kind) {
  return kind == "Namespace" || kind == "ServiceEntry" || kind == "Sidecar" ||
         kind == "IstioOperator" || kind == "List" || (kind.size() > 4 && kind.ends_with("List"));
}

// Records a document the scanner read, exactly as DocReader would after a
// full parse, when it is one the model keeps only the identity of. Returns
// false when the document must be parsed after all. Keep in step with
// DocReader::Object and ReadMetadata; the scan/parse equivalence tests guard
// it.
bool RecordScanned(const DocumentHeader& h, const TextSpan& span, const LoadOptions& options,
                   FileResult& out) {
  if (!h.api_version.found && !h.kind.found) {
    ++out.stats.documents;
    ++out.stats.skipped_non_kubernetes;
    return true;
  }
  if (!h.api_version.found || !h.kind.found || h.api_version.null || h.kind.null ||
      h.kind.value.empty())
    return false;
  if (IsLocalToolConfig(h.api_version.value, h.kind.value)) {
    ++out.stats.documents;
    ++out.stats.skipped_non_kubernetes;
    return true;
  }
  if (ModelReadsKind(h.kind.value)) return false;
  if (!h.has_metadata || !h.name.found || h.name.null) return false;
  if (h.kind.value == "ConfigMap" &&
      (h.name.value == "istio" || StartsWith(h.name.value, "istio-")))
    return false;
  ObjectMeta meta;
  meta.api_version = h.api_version.value;
  meta.ref.kind = h.kind.value;
  meta.loc = MarkLocation(span, h.kind.line, h.kind.column, &h.kind.value);
  meta.ref.name = h.name.value;
  meta.name_loc = MarkLocation(span, h.name.line, h.name.column, &h.name.value);
  if (IsClusterScoped(meta.ref.kind)) {
    // no namespace
  } else if (h.ns.found && !h.ns.null) {
    meta.ref.ns = h.ns.value;
    meta.ns_loc = MarkLocation(span, h.ns.line, h.ns.column, &h.ns.value);
  } else {
    meta.ref.ns = options.default_namespace;
    meta.ns_defaulted = true;
  }
  ++out.stats.documents;
  ++out.stats.objects;
  out.others.push_back(std::move(meta));
  return true;
}

// Reads a document the scanner accepted from the scanner's own tree, with
// the same DocReader code as a parsed one. When that reports any problem, the
// result is dropped and false returned, so that every problem — and where it
// points — comes from yaml-cpp.
bool LoadFromTree(const LiteTree& tree, const TextSpan& span, const LoadOptions& options,
                  FileResult& out) {
  const Objects::Marker before = out.Mark();
  const std::size_t problems = out.problems.size();
  WorkBudget budget = BudgetFor(span.text);
  DocReaderT<LiteNode>(out, options, span.file, span, budget).Document(LiteNode(&tree, 0));
  if (out.problems.size() == problems) return true;
  out.Truncate(before);
  return false;
}

// Whether the first top-level `kind:` line names a kind the model reads in
// full, so that the scan should build its tree at once. Only a guess, found
// near the top of most documents: a wrong one costs a second scan or an
// unused tree, never a different result.
bool LikelyReadInFull(std::string_view text) {
  std::size_t at = text.starts_with("kind: ") ? 0 : text.find("\nkind: ");
  if (at == std::string_view::npos) return false;
  std::string_view kind = text.substr(at + (at == 0 ? 6 : 7));
  kind = kind.substr(0, kind.find_first_of(" \n#"));
  return ModelReadsKind(kind);
}

// Loads one document. Its yaml-cpp tree lives only inside this call.
void LoadChunk(const DocumentChunk& chunk, std::uint32_t file, const LoadOptions& options,
               FileResult& out) {
  TextSpan span;
  span.file = file;
  span.text = chunk.text;
  span.first_line = chunk.first_line;
  if (chunk.text.size() > kMaxDocumentBytes) {
    ++out.stats.documents;
    const std::uint32_t start = std::max<std::uint32_t>(chunk.first_line, 1);
    out.problems.push_back(
        {Location{file, start, 1, start, 2},
         "YAML document of " + std::to_string(chunk.text.size() >> 20) +
             " MiB is larger than the " + std::to_string(kMaxDocumentBytes >> 20) +
             " MiB meshlint parses (Kubernetes objects are at most a few MiB): not parsed; "
             "split it into one document per object",
         {}, ""});
    return;
  }
  // The scanner declines every document FindExcessiveNesting could object
  // to, so that check is needed only on the way to yaml-cpp.
  if (!options.full_parse) {
    thread_local LiteTree tree;
    const bool with_tree = LikelyReadInFull(chunk.text);
    auto header = ScanDocument(chunk.text, with_tree ? &tree : nullptr);
    if (header && RecordScanned(*header, span, options, out)) return;
    if (header && (with_tree || ScanDocument(chunk.text, &tree)) &&
        LoadFromTree(tree, span, options, out))
      return;
  }
  if (auto deep = FindExcessiveNesting(chunk.text)) {
    ++out.stats.documents;
    Location loc{file, chunk.first_line + deep->line - 1, deep->column, 0, 0};
    loc.end_line = loc.line;
    loc.end_column = loc.column + 1;
    out.problems.push_back({loc, deep->message, {}, ""});
    return;
  }
  YAML::Node root;
  try {
    root = YAML::Load(std::string(chunk.text));
  } catch (const YAML::DeepRecursion& e) {
    // yaml-cpp's own guard (block nesting such as `- - - - ...`).
    ++out.stats.documents;
    const std::uint32_t start = std::max<std::uint32_t>(chunk.first_line, 1);
    Location loc{file, start, 1, start, 2};
    if (e.mark.line >= 0) {
      loc.line = chunk.first_line + static_cast<std::uint32_t>(e.mark.line);
      loc.column = static_cast<std::uint32_t>(e.mark.column) + 1;
      loc.end_line = loc.line;
      loc.end_column = loc.column + 1;
    }
    out.problems.push_back(
        {loc,
         "collections nested " + std::to_string(e.depth()) +
             " deep: nesting too deep to be a manifest, not parsed",
         {}, ""});
    return;
  } catch (const YAML::Exception& e) {
    ++out.stats.documents;
    // Helm documents count lines from their `# Source:` comment (line 0).
    const std::uint32_t start = std::max<std::uint32_t>(chunk.first_line, 1);
    Location loc{file, start, 1, start, 2};
    if (e.mark.line >= 0) loc = ParseErrorLocation(span, e.mark);
    if (loc.line == 0) loc = Location{file, start, 1, start, 2};
    std::string message = "YAML syntax error: " + e.msg;
    if (auto tmpl = FindTemplateMarker(chunk.text)) {
      message = std::string(kTemplateMessage) + "; YAML parser says: " + e.msg;
      loc.line = chunk.first_line + tmpl->line - 1;
      loc.column = tmpl->column;
      loc.end_line = loc.line;
      loc.end_column = loc.column + 2;
    }
    out.problems.push_back({loc, message, {}, ""});
    return;
  }
  WorkBudget budget = BudgetFor(chunk.text);
  DocReader(out, options, file, span, budget).Document(root);
}

// Checks a file's text as a whole and cuts it into documents; false (with the
// problem recorded) when it is no manifest at all.
bool SplitContent(std::string_view text, std::uint32_t file, bool is_json, FileResult& out,
                  std::vector<DocumentChunk>& chunks) {
  ++out.stats.files;
  if (auto bad = FindBinary(text)) {
    out.problems.push_back(
        {Location{file, bad->line, bad->column, bad->line, bad->column + 1}, bad->message, {}, ""});
    return false;
  }
  chunks = SplitDocuments(StripBom(text), is_json);
  return true;
}

// Gives the FileTable index of a `# Source:` path of rendered Helm output,
// registering it on first use.
using SourceFileFn = std::function<std::uint32_t(const std::string& source_path)>;

// The file a document belongs to. With `source_file`, a document that `helm
// template` marked with `# Source: <template>` is attributed to that
// template: its lines count from the comment (the line after it is 1).
std::uint32_t AttributeSource(DocumentChunk& chunk, std::uint32_t file, bool is_json,
                              const SourceFileFn* source_file) {
  if (source_file && !is_json) {
    if (auto source = FindHelmSource(chunk.text)) {
      chunk.text.remove_prefix(source->offset);
      chunk.first_line = 0;  // the comment is line 0 of its template's document
      return (*source_file)(source->path);
    }
  }
  return file;
}

// Loads all documents of one file's text.
void LoadContent(std::string_view text, std::uint32_t file, bool is_json,
                 const LoadOptions& options, FileResult& out,
                 const SourceFileFn* source_file = nullptr) {
  std::vector<DocumentChunk> chunks;
  if (!SplitContent(text, file, is_json, out, chunks)) return;
  for (DocumentChunk chunk : chunks) {
    const std::uint32_t doc_file = AttributeSource(chunk, file, is_json, source_file);
    LoadChunk(chunk, doc_file, options, out);
  }
}

// A --mesh-config file: a bare MeshConfig, an IstioOperator, the ConfigMap,
// or Helm values with a top-level `meshConfig:`.
void LoadMeshConfigFile(std::string_view text, std::uint32_t file, const LoadOptions& options,
                        FileResult& out) {
  FileResult scratch;  // objects in it are settings, not part of the mesh
  LoadContent(text, file, false, options, scratch);
  Append(out.problems, scratch.problems);
  if (!scratch.mesh_sources.empty()) {
    for (auto& source : scratch.mesh_sources) {
      source.origin = MeshConfigSource::Origin::kCommandLine;
      source.description = "--mesh-config " + source.description;
      out.mesh_sources.push_back(std::move(source));
    }
    return;
  }
  if (!scratch.problems.empty()) return;
  for (const DocumentChunk& chunk : SplitDocuments(StripBom(text), false)) {
    YAML::Node root;
    try {
      root = YAML::Load(std::string(chunk.text));
    } catch (const YAML::Exception&) {
      continue;  // already reported by LoadContent
    }
    if (!root.IsMap()) continue;
    TextSpan span;
    span.file = file;
    span.text = chunk.text;
    span.first_line = chunk.first_line;
    WorkBudget budget = BudgetFor(chunk.text);
    DocReader reader(out, options, file, span, budget);
    MeshConfigSource source;
    source.origin = MeshConfigSource::Origin::kCommandLine;
    YAML::Node mc = root;
    source.loc = reader.Loc(root);
    source.description = "--mesh-config (MeshConfig)";
    source.object = ObjectRef{"MeshConfig", "", "mesh-config"};
    for (auto it = root.begin(); it != root.end(); ++it) {
      if (it->first.IsScalar() && it->first.Scalar() == "meshConfig") {
        // reset(), not =: assigning would overwrite `root` itself while it is
        // being iterated (a crash on every Helm values file).
        mc.reset(it->second);
        source.loc = reader.Loc(it->first);
        source.description = "--mesh-config (Helm values meshConfig)";
      }
    }
    try {
      reader.MeshConfig(mc, std::move(source), ObjectRef{}, "");
    } catch (const BudgetExhausted&) {
      reader.ReportExhausted(root);
    }
  }
}

bool ReadFile(const fs::path& path, std::string& content, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot open: " + std::string(std::strerror(errno));
    return false;
  }
  // A regular file is read straight into place: a 200 MB file costs 200 MB,
  // not the two or three copies a stringstream makes.
  std::error_code ec;
  if (fs::is_regular_file(path, ec)) {
    const std::uintmax_t size = fs::file_size(path, ec);
    if (!ec) content.reserve(static_cast<std::size_t>(size));
  }
  std::array<char, 1 << 16> chunk;
  while (in.read(chunk.data(), chunk.size()) || in.gcount() > 0)
    content.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
  if (in.bad()) {
    error = "cannot read: " + std::string(std::strerror(errno));
    return false;
  }
  return true;
}

bool HasManifestExtension(const fs::path& p) {
  const std::string ext = p.extension().string();
  return ext == ".yaml" || ext == ".yml" || ext == ".json";
}

struct InputFile {
  std::string display;
  std::string absolute;
  bool is_stdin = false;
  bool is_json = false;
  std::string preloaded;  // stdin or pipe content
  bool from_pipe = false;  // preloaded holds a pipe's content
  // Rendered output streamed in (stdin, `<(helm template ...)`): Helm's
  // `# Source:` comments name the files. A regular file is shown as itself,
  // since that is the file a user can open and fix.
  bool rendered = false;
  std::string skip_reason;  // non-empty: report instead of reading
};

std::string DisplayPath(const fs::path& absolute, const fs::path& base) {
  fs::path rel = absolute.lexically_relative(base);
  if (rel.empty()) return absolute.string();
  return rel.string();
}

bool IsWithin(const fs::path& path, const fs::path& root) {
  auto rel = path.lexically_relative(root);
  return !rel.empty() && *rel.begin() != "..";
}

// Walks a directory named on the command line for manifests. Symbolic links
// are never followed out of it: a link whose target lies outside is reported
// and its target never opened (a pull request could otherwise point a link at
// a secret and have it quoted into a public report). Directory links are not
// followed at all (inside the tree their files are reached by their real
// path), so link loops cannot make the walk go round. FIFOs and devices are
// reported, never opened (opening a FIFO blocks).
void Walk(const fs::path& root, const fs::path& base, std::vector<InputFile>& files) {
  std::error_code ec;
  const fs::path real_root = fs::canonical(root, ec);
  std::vector<InputFile> found;
  auto add = [&](const fs::path& path, std::string skip_reason) {
    InputFile f;
    f.absolute = fs::absolute(path).lexically_normal().string();
    f.display = DisplayPath(f.absolute, base);
    f.is_json = path.extension() == ".json";
    f.skip_reason = std::move(skip_reason);
    found.push_back(std::move(f));
  };
  const std::string shown = root.string();
  std::vector<fs::path> pending{root};
  while (!pending.empty()) {
    const fs::path dir = std::move(pending.back());
    pending.pop_back();
    fs::directory_iterator it(dir, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      const fs::path& path = it->path();
      const std::string name = path.filename().string();
      std::error_code sec;
      const fs::file_status lst = it->symlink_status(sec);
      if (fs::is_directory(lst)) {
        if (name != ".git" && name != "node_modules") pending.push_back(path);
        continue;
      }
      if (fs::is_symlink(lst)) {
        const fs::path target = fs::canonical(path, sec);
        if (sec == std::errc::too_many_symbolic_link_levels) {
          add(path, "symbolic link loop: not read");
          continue;
        }
        if (sec) {
          if (HasManifestExtension(path)) add(path, "symbolic link to a missing file: not read");
          continue;
        }
        const bool inside = !real_root.empty() && IsWithin(target, real_root);
        if (fs::is_directory(target, sec)) {
          if (!inside) add(path, "symbolic link to a directory outside " + shown + ": not followed");
          continue;
        }
        if (!HasManifestExtension(path) || name == kConfigFileName) continue;
        if (!inside) {
          add(path, "symbolic link points outside " + shown + ": not read");
        } else if (!fs::is_regular_file(target, sec)) {
          add(path, "not a regular file (FIFO, device or socket): not read");
        } else {
          add(path, "");
        }
        continue;
      }
      // The project configuration is not a manifest.
      if (!HasManifestExtension(path) || name == kConfigFileName) continue;
      add(path, fs::is_regular_file(lst) ? ""
                                         : "not a regular file (FIFO, device or socket): not read");
    }
    if (ec) {
      add(dir, "cannot read directory: " + ec.message());
      ec.clear();
    }
  }
  std::sort(found.begin(), found.end(),
            [](const InputFile& a, const InputFile& b) { return a.display < b.display; });
  Append(files, found);
}

}  // namespace

void LoadText(std::string_view text, const std::string& display_name, const LoadOptions& options,
              MeshModel& model) {
  std::uint32_t id = model.files.Add(display_name, display_name);
  FileResult r;
  std::map<std::string, std::uint32_t> sources;
  SourceFileFn source_file = [&](const std::string& path) {
    auto [it, fresh] = sources.emplace(path, 0);
    if (fresh) it->second = model.files.Add(path, path);
    return it->second;
  };
  LoadContent(text, id, display_name.ends_with(".json"), options, r,
              display_name == "<stdin>" ? &source_file : nullptr);
  Merge(r, model);
}

void LoadMeshConfigText(std::string_view text, const std::string& display_name,
                        const LoadOptions& options, MeshModel& model) {
  std::uint32_t id = model.files.Add(display_name, display_name);
  FileResult r;
  LoadMeshConfigFile(text, id, options, r);
  Merge(r, model);
}

std::vector<InputError> LoadInputs(const std::vector<std::string>& paths,
                                   const LoadOptions& options, MeshModel& model) {
  std::vector<InputError> errors;
  const fs::path base = options.base_dir.empty() ? fs::current_path() : fs::path(options.base_dir);
  std::vector<std::string> args = paths;
  if (args.empty()) args.push_back(".");

  std::vector<InputFile> inputs;
  bool stdin_read = false;
  for (const std::string& arg : args) {
    if (arg == "-") {
      if (stdin_read) continue;
      stdin_read = true;
      InputFile f;
      f.display = f.absolute = "<stdin>";
      f.is_stdin = true;
      f.rendered = true;
      std::ostringstream buffer;
      buffer << std::cin.rdbuf();
      f.preloaded = buffer.str();
      inputs.push_back(std::move(f));
      continue;
    }
    fs::path p(arg);
    std::error_code ec;
    fs::file_status st = fs::status(p, ec);
    if (ec || !fs::exists(st)) {
      errors.push_back({arg, "no such file or directory"});
      continue;
    }
    if (fs::is_directory(st)) {
      Walk(p, base, inputs);
      continue;
    }
    // A file named on the command line is read whatever its extension; a
    // pipe is fine (`<(helm template ...)`), a device is not (/dev/zero never
    // ends).
    if (!fs::is_regular_file(st) && !fs::is_fifo(st)) {
      errors.push_back({arg, "not a regular file or pipe: not read"});
      continue;
    }
    InputFile f;
    f.absolute = fs::absolute(p).lexically_normal().string();
    // A pipe (`<(helm template ...)`) is shown as named, not as ../../dev/fd/63.
    f.display = fs::is_regular_file(st) ? DisplayPath(f.absolute, base) : arg;
    f.rendered = !fs::is_regular_file(st);
    f.is_json = p.extension() == ".json";
    if (f.rendered) {
      // A pipe is read now, through the one open: opened and closed here to
      // probe it, then opened again, its writer could be gone (the second
      // open then waits forever).
      std::string error;
      if (!ReadFile(p, f.preloaded, error)) {
        errors.push_back({arg, error});
        continue;
      }
      f.from_pipe = true;
    } else if (std::ifstream probe(p, std::ios::binary); !probe) {
      errors.push_back({arg, "cannot open: " + std::string(std::strerror(errno))});
      continue;
    }
    inputs.push_back(std::move(f));
  }

  // The same file named twice (or reached through two arguments) is read once.
  {
    std::set<std::string> seen;
    std::vector<InputFile> unique;
    for (auto& f : inputs)
      if (f.is_stdin || seen.insert(f.absolute).second) unique.push_back(std::move(f));
    inputs = std::move(unique);
  }

  // The project's include/exclude globs.
  if (!options.include.empty() || !options.exclude.empty()) {
    const fs::path glob_base = options.glob_base.empty() ? base : fs::path(options.glob_base);
    std::vector<InputFile> kept;
    for (auto& f : inputs) {
      if (!f.is_stdin) {
        fs::path rel = fs::path(f.absolute).lexically_relative(glob_base);
        if (!rel.empty() && *rel.begin() != "..") {
          const std::string path = rel.generic_string();
          auto matches = [&](const std::vector<std::string>& globs) {
            return std::any_of(globs.begin(), globs.end(),
                               [&](const std::string& g) { return GlobMatch(g, path); });
          };
          if (!options.include.empty() && !matches(options.include)) continue;
          if (matches(options.exclude)) continue;
        }
      }
      kept.push_back(std::move(f));
    }
    inputs = std::move(kept);
  }

  std::vector<std::uint32_t> ids;
  for (const auto& f : inputs) ids.push_back(model.files.Add(f.display, f.absolute));

  const unsigned jobs =
      options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());

  // Helm `# Source:` templates become files of their own. They are
  // registered while a rendered stream is cut into documents, in document
  // order, before its documents load in parallel: file indices, and so the
  // output, do not depend on the threads.
  std::map<std::string, std::uint32_t> sources;
  SourceFileFn source_file = [&](const std::string& path) {
    auto [it, fresh] = sources.emplace(path, 0);
    if (fresh)
      it->second = model.files.Add(path, (base / path).lexically_normal().string());
    return it->second;
  };

  // Reads input i; false (with the problem in r) when it cannot be read.
  auto read = [&](std::size_t i, std::string& content, FileResult& r) {
    InputFile& f = inputs[i];
    std::string error;
    if (f.skip_reason.empty()) {
      if (f.is_stdin || f.from_pipe) {
        content = std::move(f.preloaded);
        return true;
      }
      if (ReadFile(f.absolute, content, error)) return true;
    }
    ++r.stats.files;
    r.problems.push_back(
        {Location{ids[i], 1, 1, 1, 1}, f.skip_reason.empty() ? error : f.skip_reason, {}, ""});
    return false;
  };

  // Small files are the unit of parallel work. A big file (a rendered bundle)
  // is cut into batches of documents instead, so it does not keep one core
  // busy while the others idle. Either way every unit's result is merged in
  // input order, so the model does not depend on `jobs`; and only the files
  // being worked on are held in memory.
  constexpr std::uintmax_t kBigFile = 1u << 20;
  constexpr std::size_t kBatchBytes = 256u << 10;
  auto is_big = [&](std::size_t i) {
    const InputFile& f = inputs[i];
    if (!f.skip_reason.empty()) return false;
    if (f.rendered) return true;  // its `# Source:` files are registered in order
    if (f.is_stdin) return f.preloaded.size() > kBigFile;
    std::error_code ec;
    const std::uintmax_t size = fs::file_size(f.absolute, ec);
    return !ec && size > kBigFile;
  };
  std::size_t i = 0;
  while (i < inputs.size()) {
    if (!is_big(i)) {
      // A bounded group, so that finished results move into the model (and
      // their vectors are freed) while the rest still loads.
      const std::size_t group = std::max<std::size_t>(32, 8 * std::size_t{jobs});
      std::size_t j = i + 1;
      while (j < inputs.size() && j - i < group && !is_big(j)) ++j;
      std::vector<FileResult> results(j - i);
      ParallelFor(j - i, jobs, [&](std::size_t k) {
        std::string content;
        if (read(i + k, content, results[k]))
          LoadContent(content, ids[i + k], inputs[i + k].is_json, options, results[k]);
      });
      for (auto& r : results) Merge(r, model);
      i = j;
      continue;
    }
    FileResult head;
    std::string content;
    std::vector<DocumentChunk> chunks;
    if (read(i, content, head) && SplitContent(content, ids[i], inputs[i].is_json, head, chunks)) {
      std::vector<std::uint32_t> files(chunks.size());
      for (std::size_t c = 0; c < chunks.size(); ++c)
        files[c] = AttributeSource(chunks[c], ids[i], inputs[i].is_json,
                                   inputs[i].rendered ? &source_file : nullptr);
      std::vector<std::pair<std::size_t, std::size_t>> batches;  // [first, last) chunks
      for (std::size_t c = 0; c < chunks.size();) {
        std::size_t e = c, bytes = 0;
        while (e < chunks.size() && (e == c || bytes < kBatchBytes)) bytes += chunks[e++].text.size();
        batches.emplace_back(c, e);
        c = e;
      }
      std::vector<FileResult> results(batches.size());
      ParallelFor(batches.size(), jobs, [&](std::size_t b) {
        for (std::size_t c = batches[b].first; c < batches[b].second; ++c)
          LoadChunk(chunks[c], files[c], options, results[b]);
      });
      Merge(head, model);
      for (auto& r : results) Merge(r, model);
    } else {
      Merge(head, model);
    }
    ++i;
  }

  if (!options.mesh_config_file.empty()) {
    fs::path p(options.mesh_config_file);
    std::string content, error;
    if (!ReadFile(p, content, error)) {
      errors.push_back({options.mesh_config_file, error});
    } else {
      std::string abs = fs::absolute(p).lexically_normal().string();
      std::uint32_t id = model.files.Add(DisplayPath(abs, base), abs);
      FileResult r;
      LoadMeshConfigFile(content, id, options, r);
      Merge(r, model);
    }
  }
  model.Finalize();
  return errors;
}

std::vector<std::string> LoadEgressPolicy(const std::string& path, const LoadOptions& options,
                                          MeshModel& model) {
  std::string content, error;
  if (!ReadFile(path, content, error)) return {path + ": " + error};
  return LoadEgressPolicyText(StripBom(content), 1, path, options, model);
}

std::vector<std::string> LoadEgressPolicyText(std::string_view content, std::uint32_t first_line,
                                              const std::string& path, const LoadOptions& options,
                                              MeshModel& model) {
  std::vector<std::string> errors;
  // yaml-cpp counts lines of `content` from 0; the file's line is this more.
  const int line_offset = static_cast<int>(std::max<std::uint32_t>(first_line, 1)) - 1;
  const fs::path base = options.base_dir.empty() ? fs::current_path() : fs::path(options.base_dir);
  const std::string abs = fs::absolute(fs::path(path)).lexically_normal().string();
  const std::string display = DisplayPath(abs, base);
  const std::uint32_t file = model.files.Add(display, abs);

  auto where = [&](const YAML::Mark& mark) {
    if (mark.line < 0) return display;
    return display + ":" + std::to_string(mark.line + line_offset + 1) + ":" +
           std::to_string(mark.column + 1);
  };
  auto loc = [&](const YAML::Node& node) {
    Location l;
    const YAML::Mark mark = node.Mark();
    if (mark.line < 0) return l;
    l.file = file;
    l.line = static_cast<std::uint32_t>(mark.line + line_offset) + 1;
    l.column = static_cast<std::uint32_t>(mark.column) + 1;
    l.end_line = l.line;
    l.end_column = l.column + static_cast<std::uint32_t>(
                                  std::max<std::size_t>(node.IsScalar() ? node.Scalar().size() : 1, 1));
    return l;
  };
  auto find = [](const YAML::Node& map, const char* key) -> std::pair<YAML::Node, YAML::Node> {
    for (auto it = map.begin(); it != map.end(); ++it)
      if (it->first.IsScalar() && it->first.Scalar() == key) return {it->first, it->second};
    return {};
  };

  // The policy file comes with the repository, so a pull request can change
  // it: the same guards as manifests before yaml-cpp sees it.
  auto at = [&](const TextIssue& issue) {
    return display + ":" + std::to_string(issue.line + line_offset) + ":" +
           std::to_string(issue.column);
  };
  if (auto bad = FindBinary(content)) {
    errors.push_back(at(*bad) + ": " + bad->message);
    return errors;
  }
  content = StripBom(content);
  if (content.size() > kMaxDocumentBytes) {
    errors.push_back(display + ": a policy larger than " + std::to_string(kMaxDocumentBytes >> 20) +
                     " MiB is not read");
    return errors;
  }
  if (auto deep = FindExcessiveNesting(content)) {
    errors.push_back(at(*deep) + ": " + deep->message);
    return errors;
  }
  YAML::Node root;
  try {
    root = YAML::Load(std::string(content));
  } catch (const YAML::Exception& e) {
    errors.push_back(where(e.mark) + ": YAML syntax error: " + e.msg);
    return errors;
  }
  // Aliases could repeat one large pattern thousands of times, each copied
  // and compiled: the copies are bounded by a budget linear in the file.
  WorkBudget budget = BudgetFor(content);
  auto charge = [&](std::size_t n) {
    if (n >= budget.left) return false;
    budget.left -= n;
    return true;
  };
  if (!root.IsMap()) {
    errors.push_back(display + ": an egress policy is a mapping with an 'egress:' list");
    return errors;
  }
  auto [egress_key, egress] = find(root, "egress");
  if (!egress_key) {
    errors.push_back(where(root.Mark()) + ": the policy has no 'egress:' list");
    return errors;
  }
  if (!egress.IsSequence()) {
    errors.push_back(where(egress_key.Mark()) +
                     ": 'egress' must be a list of {namespaces: REGEX, hosts: [HOST...]}");
    return errors;
  }
  EgressPolicy policy;
  policy.file = file;
  for (std::size_t i = 0; i < egress.size(); ++i) {
    const YAML::Node item = egress[i];
    const std::string item_name = "egress[" + std::to_string(i) + "]";
    if (!item.IsMap()) {
      errors.push_back(where(item.Mark()) + ": " + item_name +
                       " must be a mapping {namespaces: REGEX, hosts: [HOST...]}");
      continue;
    }
    if (!charge(64 + item.size())) {
      errors.push_back(where(item.Mark()) +
                       ": YAML aliases (*name) expand the policy far beyond its size: not read");
      return errors;
    }
    EgressPolicyEntry entry;
    entry.loc = loc(item);
    auto [ns_key, ns] = find(item, "namespaces");
    auto [hosts_key, hosts] = find(item, "hosts");
    for (auto it = item.begin(); it != item.end(); ++it) {
      const std::string key = it->first.IsScalar() ? it->first.Scalar() : "";
      if (key != "namespaces" && key != "hosts")
        errors.push_back(where(it->first.Mark()) + ": unknown key '" + key + "' in " + item_name +
                         " (expected namespaces and hosts)");
    }
    if (!ns_key || !ns.IsScalar() || ns.Scalar().empty()) {
      errors.push_back(where(ns_key ? ns.Mark() : item.Mark()) + ": " + item_name +
                       ".namespaces must be a non-empty RE2 pattern string, e.g. \"payments|checkout\"");
    } else if (!charge(ns.Scalar().size())) {
      errors.push_back(where(ns.Mark()) +
                       ": YAML aliases (*name) expand the policy far beyond its size: not read");
      return errors;
    } else {
      entry.namespaces = {ns.Scalar(), loc(ns)};
    }
    if (!hosts_key || !hosts.IsSequence()) {
      errors.push_back(where(hosts_key ? hosts.Mark() : item.Mark()) + ": " + item_name +
                       ".hosts must be a list of host patterns, e.g. [\"api.stripe.com\", \"*.debian.org\"]");
    } else {
      for (std::size_t h = 0; h < hosts.size(); ++h) {
        if (!hosts[h].IsScalar()) {
          errors.push_back(where(hosts[h].Mark()) + ": " + item_name + ".hosts[" +
                           std::to_string(h) + "] must be a string");
          continue;
        }
        if (!charge(hosts[h].Scalar().size() + 1)) {
          errors.push_back(where(hosts[h].Mark()) +
                           ": YAML aliases (*name) expand the policy far beyond its size: not read");
          return errors;
        }
        entry.hosts.push_back({hosts[h].Scalar(), loc(hosts[h])});
      }
    }
    policy.entries.push_back(std::move(entry));
  }
  if (errors.empty()) model.egress_policy = std::move(policy);
  return errors;
}

}  // namespace meshlint
