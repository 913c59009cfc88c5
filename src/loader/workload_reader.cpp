// Readers of the Kubernetes kinds Istio's injector and registry look at: the
// pod template of a workload (labels, the Istio annotations, hostNetwork) and
// a Service (ports, type, selector, the exportTo annotation). Repositories
// hold many workloads, so only those fields are read, and a template of an
// unexpected shape is skipped rather than reported: the API server is the
// judge of Deployments, meshlint only needs what Istio sees.
#include <array>
#include <utility>

#include "loader/document.h"
#include "loader/embedded_yaml.h"
#include "loader/kind_readers.h"
#include "loader/yaml_tree.h"

namespace meshlint {

namespace {

using Path = FieldPath;

// The entry `name` of `map` when `map` is a mapping and the entry is written
// and not null; else an absent field.
Field Entry(NodeReader& r, const LiteNode& map, std::string_view name, const ObjectRef& ref,
            const Path& path) {
  if (!map.IsMap()) return {};
  Field f = r.Get(map, name, ref, path);
  return f.present() ? f : Field{};
}

constexpr std::array<PodAnnotation, kPodAnnotationCount> kPodAnnotations = {
    PodAnnotation::kInject,
    PodAnnotation::kInterceptionMode,
    PodAnnotation::kStatus,
    PodAnnotation::kIncludeOutboundIPRanges,
    PodAnnotation::kExcludeOutboundIPRanges,
    PodAnnotation::kIncludeOutboundPorts,
    PodAnnotation::kExcludeOutboundPorts,
    PodAnnotation::kProxyConfig,
    PodAnnotation::kInjectTemplates,
    PodAnnotation::kRevision,
};

std::optional<PodAnnotation> FindPodAnnotation(std::string_view key) {
  for (PodAnnotation a : kPodAnnotations)
    if (PodAnnotationName(a) == key) return a;
  return std::nullopt;
}

// YAML 1.1 booleans as the API server's decoder reads them.
bool IsYamlTrue(std::string_view v) {
  return v == "true" || v == "True" || v == "TRUE" || v == "yes" || v == "Yes" || v == "YES" ||
         v == "on" || v == "On" || v == "ON" || v == "y" || v == "Y";
}

// Go's strconv.ParseBool, which the agent uses for ISTIO_META_DNS_CAPTURE.
std::optional<bool> ParseGoBool(std::string_view v) {
  if (v == "1" || v == "t" || v == "T" || v == "true" || v == "TRUE" || v == "True") return true;
  if (v == "0" || v == "f" || v == "F" || v == "false" || v == "FALSE" || v == "False")
    return false;
  return std::nullopt;
}

// proxy.istio.io/config holds a ProxyConfig as YAML (or JSON) text; only
// proxyMetadata.ISTIO_META_DNS_CAPTURE matters here. Text that does not
// parse is ignored: the injector would refuse the pod, not meshlint.
std::optional<bool> DnsCaptureOf(NodeReader& r, const std::string& text) {
  r.Charge(text.size());
  LiteTree tree;
  if (!ParseEmbeddedYaml(text, tree, r.options().full_parse).ok()) return std::nullopt;
  const LiteNode root = LiteNode::Root(tree);
  if (!root.IsMap()) return std::nullopt;
  for (auto it = root.begin(); it != root.end(); ++it) {
    if (!it->first.IsScalar() || it->first.Scalar() != "proxyMetadata" || !it->second.IsMap())
      continue;
    for (auto m = it->second.begin(); m != it->second.end(); ++m)
      if (m->first.IsScalar() && m->first.Scalar() == "ISTIO_META_DNS_CAPTURE" &&
          m->second.IsScalar())
        return ParseGoBool(m->second.Scalar());
  }
  return std::nullopt;
}

void ReadPodAnnotations(NodeReader& r, const Field& f, PodTemplate& pod) {
  if (!f.value.IsMap()) return;
  NodeReader::RequireWhole(f.value);
  for (auto it = f.value.begin(); it != f.value.end(); ++it) {
    r.Charge(1);
    if (!it->first.IsScalar() || !(it->second.IsScalar() || it->second.IsNull())) continue;
    auto which = FindPodAnnotation(it->first.Scalar());
    if (!which) continue;
    const std::string value = it->second.IsScalar() ? it->second.Scalar() : std::string();
    const Location loc = it->second.IsScalar() ? r.Loc(it->second) : r.Loc(it->first);
    if (*which == PodAnnotation::kProxyConfig) {
      if (auto capture = DnsCaptureOf(r, value)) pod.dns_capture = Located<bool>{*capture, loc};
    }
    // The status annotation is a large JSON document: only its presence counts.
    const bool keep_value =
        *which != PodAnnotation::kStatus && *which != PodAnnotation::kProxyConfig;
    if (keep_value) r.Charge(value.size());
    std::erase_if(pod.annotations, [&](const auto& a) { return a.first == *which; });
    pod.annotations.push_back({*which, Located<std::string>{keep_value ? value : "", loc}});
  }
}

// A pod's metadata and spec (a Pod itself, or a template).
void ReadPod(NodeReader& r, const LiteNode& pod_node, const ObjectRef& ref, const Path& path,
             PodTemplate& pod) {
  if (Field md = Entry(r, pod_node, "metadata", ref, path); md.found && md.value.IsMap()) {
    pod.loc = r.Loc(md.key);
    const Path mp(path, "metadata");
    if (Field labels = Entry(r, md.value, "labels", ref, mp);
        labels.found && labels.value.IsMap()) {
      pod.labels_key = r.Loc(labels.key);
      r.StringMap(labels, ref, Path(mp, "labels"), pod.labels);
    }
    if (Field ann = Entry(r, md.value, "annotations", ref, mp); ann.found)
      ReadPodAnnotations(r, ann, pod);
  }
  if (Field spec = Entry(r, pod_node, "spec", ref, path); spec.found) {
    const Path sp(path, "spec");
    if (Field hn = Entry(r, spec.value, "hostNetwork", ref, sp); hn.found && hn.value.IsScalar()) {
      pod.host_network = IsYamlTrue(hn.value.Scalar());
      pod.host_network_loc = r.Loc(hn.value);
    }
  }
}

// Where each kind keeps its pod template, as a path of keys below the object.
struct TemplatePath {
  std::string_view kind;
  std::array<std::string_view, 4> keys;  // empty entries end it; none: the object is the pod
};
constexpr TemplatePath kTemplatePaths[] = {
    {"Pod", {}},
    {"CronJob", {"spec", "jobTemplate", "spec", "template"}},
    {"Deployment", {"spec", "template"}},
    {"StatefulSet", {"spec", "template"}},
    {"DaemonSet", {"spec", "template"}},
    {"ReplicaSet", {"spec", "template"}},
    {"ReplicationController", {"spec", "template"}},
    {"Job", {"spec", "template"}},
    {"Rollout", {"spec", "template"}},
};

}  // namespace

void ReadWorkload(NodeReader& r, const LiteNode& node, ObjectMeta& meta, const std::string& where) {
  Workload w;
  w.meta = std::exchange(meta, {});
  const ObjectRef& ref = w.meta.ref;
  const TemplatePath* tp = nullptr;
  for (const TemplatePath& t : kTemplatePaths)
    if (t.kind == ref.kind) tp = &t;
  LiteNode pod = node;
  // The path of each key walked: paths[k + 1] is paths[k], then the k-th key.
  std::array<Path, 5> paths{Path(where)};
  std::size_t depth = 0;
  bool found = true;
  for (std::string_view key : tp ? tp->keys : std::array<std::string_view, 4>{}) {
    if (key.empty()) break;
    Field f = Entry(r, pod, key, ref, paths[depth]);
    if (!f.found || !f.value.IsMap()) {
      found = false;
      break;
    }
    pod = f.value;
    paths[depth + 1] = Path(paths[depth], key);
    ++depth;
  }
  // An Argo Rollout may take its pods from another workload (workloadRef).
  if (ref.kind == "Rollout") {
    Field spec = Entry(r, node, "spec", ref, where);
    if (spec.found && Entry(r, spec.value, "workloadRef", ref, Path(paths[0], "spec")).found)
      w.pod.unknown = true;
  }
  if (found && !w.pod.unknown) ReadPod(r, pod, ref, paths[depth], w.pod);
  if (!found && !w.pod.unknown) w.pod.unknown = tp && tp->keys[0].size() != 0;
  r.out().workloads.push_back(std::move(w));
}

void ReadKubeService(NodeReader& r, const LiteNode& node, ObjectMeta& meta,
                     const std::string& where) {
  KubeService svc;
  svc.meta = std::exchange(meta, {});
  const ObjectRef& ref = svc.meta.ref;
  const Path at(where);
  if (Field md = Entry(r, node, "metadata", ref, where); md.found && md.value.IsMap()) {
    const Path mp(at, "metadata");
    if (Field ann = Entry(r, md.value, "annotations", ref, mp); ann.found && ann.value.IsMap()) {
      const Path ap(mp, "annotations");
      Field e = Entry(r, ann.value, "networking.istio.io/exportTo", ref, ap);
      if (e.found && e.value.IsScalar())
        svc.export_to = r.Scalar(e, ref, Path(ap, "networking.istio.io/exportTo"));
    }
  }
  Field spec = Entry(r, node, "spec", ref, where);
  if (spec.found && spec.value.IsMap()) {
    const Path sp(at, "spec");
    auto scalar = [&](std::string_view key) {
      Field f = Entry(r, spec.value, key, ref, sp);
      return f.found && f.value.IsScalar() ? r.Scalar(f, ref, Path(sp, key))
                                           : Located<std::string>{};
    };
    svc.type = Shared(scalar("type"));
    svc.cluster_ip = scalar("clusterIP");
    svc.external_name = scalar("externalName");
    if (Field sel = Entry(r, spec.value, "selector", ref, sp); sel.found && sel.value.IsMap()) {
      svc.selector.set = true;
      svc.selector.loc = svc.selector.labels_key = r.Loc(sel.key);
      r.StringMap(sel, ref, Path(sp, "selector"), svc.selector.labels);
    }
    Field ports = Entry(r, spec.value, "ports", ref, sp);
    if (ports.found && ports.value.IsSequence()) svc.ports.reserve(ports.value.size());
    for (std::size_t i = 0; ports.found && i < ports.value.size(); ++i) {
      const LiteNode p = ports.value[i];
      if (!p.IsMap()) continue;
      const Path pp(sp, "ports", i);
      KubeServicePort port;
      port.loc = r.Loc(p);
      auto text = [&](std::string_view key) {
        Field f = Entry(r, p, key, ref, pp);
        return Shared(f.found && f.value.IsScalar() ? r.Scalar(f, ref, Path(pp, key))
                                                    : Located<std::string>{});
      };
      port.name = text("name");
      port.protocol = text("protocol");
      port.app_protocol = text("appProtocol");
      port.target_port = text("targetPort");
      if (Field num = Entry(r, p, "port", ref, pp); num.found)
        port.port = r.Integer(num, ref, Path(pp, "port"));
      svc.ports.push_back(std::move(port));
    }
  }
  r.out().services.push_back(std::move(svc));
}

}  // namespace meshlint
