// The sidecar injector as istiod's install renders it (helm template istiod,
// istioctl manifest generate, kubectl get -o yaml of a cluster):
//
// - ConfigMap istio-sidecar-injector[-<rev>] (templates/istiod-injector-
//   configmap.yaml), which istiod reads in its own namespace
//   (pilot/pkg/bootstrap/sidecarinjector.go getInjectorConfigMapName,
//   pkg/kube/inject/watcher.go readConfigMap): `config` (YAML: policy,
//   neverInjectSelector, alwaysInjectSelector) and `values` (the chart's
//   values as JSON: global.proxy.*, sidecarInjectorWebhook.*, revision).
//   Both must parse, or istiod uses neither (readConfigMap, NewValuesConfig).
// - MutatingWebhookConfiguration istio-sidecar-injector[-<rev>] and
//   istio-revision-tag-<tag> (templates/mutatingwebhook.yaml,
//   revision-tags-mwc.yaml): which pods the API server sends to which
//   revision's injector.
#include "loader/injector_config.h"

#include <utility>

#include "loader/mesh_config.h"
#include "loader/mesh_values.h"
#include "loader/object_reader.h"

namespace meshlint {

namespace {

constexpr std::string_view kInjectorName = "istio-sidecar-injector";
constexpr std::string_view kTagPrefix = "istio-revision-tag-";

std::optional<Located<std::string>> MetaLabel(NodeReader& r, const LiteNode& node,
                                              std::string_view key, const ObjectRef& ref) {
  if (!node.IsMap()) return std::nullopt;
  Field md = r.Get(node, "metadata", ref, "");
  if (!md.present() || !md.value.IsMap()) return std::nullopt;
  Field labels = r.Get(md.value, "labels", ref, "metadata");
  if (!labels.present()) return std::nullopt;
  return LenientScalar(r, labels.value, key, ref, "metadata.labels");
}

// The injector's own keys of `config` into `out` (the values' copies of
// them are the chart's input, not what the injector reads).
void ReadInjectConfig(NodeReader& r, const LiteNode& config, InjectorValues& out,
                      const ObjectRef& ref) {
  out.never_inject_selector.reset();
  out.always_inject_selector.reset();
  out.auto_inject.reset();
  if (!config.IsMap()) return;
  out.auto_inject = LenientScalar(r, config, "policy", ref, "config");
  auto selectors = [&](std::string_view key, std::optional<std::vector<LabelSelector>>& list,
                       Location& key_loc) {
    Field f = r.Get(config, key, ref, "config");
    if (!f.found) return;
    key_loc = r.Loc(f.key);
    list = SelectorList(r, f.value, ref, "config." + std::string(key));
  };
  selectors("neverInjectSelector", out.never_inject_selector, out.never_inject_key);
  selectors("alwaysInjectSelector", out.always_inject_selector, out.always_inject_key);
}

// One string of data (`key`), parsed as YAML (JSON is YAML): fn(reader,
// root) when it parses; false when it is missing or does not (reported).
template <typename Fn>
bool ReadDataKey(NodeReader& r, const LiteNode& data, std::string_view key, const ObjectMeta& meta,
                 const std::string& where, Fn fn) {
  const std::string path = NodeReader::Join(where, "data." + std::string(key));
  Field f = r.Get(data, key, meta.ref, NodeReader::Join(where, "data"));
  if (!f.found || !f.value.IsScalar()) {
    r.Problem(f.found ? r.Loc(f.value) : meta.anchor(),
              "ConfigMap " + meta.ref.name + " has no string data." + std::string(key) +
                  ": istiod does not use its injection config",
              meta.ref, path);
    return false;
  }
  bool parsed = false;
  ReadEmbeddedYaml(r, f, meta.ref, path, "data." + std::string(key),
                   [&](NodeReader& reader, const LiteNode& root) {
                     parsed = true;
                     fn(reader, root);
                   });
  return parsed;
}

}  // namespace

bool IsInjectorConfigMapName(const ObjectMeta& meta) {
  const std::string& n = meta.ref.name;
  return n == kInjectorName ||
         (n.starts_with(kInjectorName) && n.size() > kInjectorName.size() + 1 &&
          n[kInjectorName.size()] == '-');
}

void ReadInjectorConfigMap(NodeReader& r, const LiteNode& node, const ObjectMeta& meta,
                           const std::string& where) {
  Field data = r.Get(node, "data", meta.ref, where);
  if (!data.present() || !data.value.IsMap()) return;
  const std::string dp = NodeReader::Join(where, "data");
  // Neither key: some other ConfigMap of that name, no injection config.
  if (!r.Get(data.value, "config", meta.ref, dp).found &&
      !r.Get(data.value, "values", meta.ref, dp).found)
    return;
  MeshConfigSource source;
  source.origin = MeshConfigSource::Origin::kConfigMap;
  source.injector_only = true;
  source.description = "ConfigMap " + Qualified(meta.ref);
  source.object = meta.ref;
  source.loc = meta.anchor();
  // getInjectorConfigMapName: istio-sidecar-injector-<rev> for revision rev.
  if (meta.ref.name.size() > kInjectorName.size())
    source.revision = meta.ref.name.substr(kInjectorName.size() + 1);
  bool usable = true;
  try {
    usable = ReadDataKey(r, data.value, "values", meta, where,
                         [&](NodeReader& reader, const LiteNode& root) {
                           ReadInjectorValues(reader, root, source.injector, meta.ref, "values");
                         });
    // Both keys are read, so that a problem in each is reported.
    usable = ReadDataKey(r, data.value, "config", meta, where,
                         [&](NodeReader& reader, const LiteNode& root) {
                           ReadInjectConfig(reader, root, source.injector, meta.ref);
                         }) &&
             usable;
  } catch (const Unusable&) {
    usable = false;  // a duplicate key: reported
  }
  // The rendered chart's revision tags are webhook configurations of their
  // own; the values' list says nothing the API server acts on.
  source.injector.revision_tags.clear();
  if (usable && source.injector.Any()) r.out().mesh_sources.push_back(std::move(source));
}

namespace {

void ReadWebhook(NodeReader& r, const LiteNode& hook, const std::string& path,
                 InjectionWebhookConfig& out) {
  const ObjectRef& ref = out.meta.ref;
  InjectionWebhook w;
  w.loc = r.Loc(hook);
  if (auto name = LenientScalar(r, hook, "name", ref, path)) w.name = name->value;
  for (auto [key, member] : {std::pair{"namespaceSelector", &InjectionWebhook::namespace_selector},
                             std::pair{"objectSelector", &InjectionWebhook::object_selector}}) {
    Field f = r.Get(hook, key, ref, path);
    if (!f.present()) continue;
    w.*member = ReadLabelSelector(r, f.value, ref, NodeReader::Join(path, key));
    // A selector of another shape is the API server's to refuse: it selects
    // nothing here.
    if (!(w.*member)) {
      w.*member = LabelSelector{};
      (w.*member)->expressions.push_back({"", "?", {}, r.Loc(f.value)});
    }
  }
  // clientConfig.service.name: istiod, or istiod-<rev>.
  Field cc = r.Get(hook, "clientConfig", ref, path);
  if (cc.present() && cc.value.IsMap() && !out.revision_loc.valid()) {
    Field svc = r.Get(cc.value, "service", ref, NodeReader::Join(path, "clientConfig"));
    if (svc.present())
      if (auto name = LenientScalar(r, svc.value, "name", ref, path + ".clientConfig.service")) {
        if (name->value == "istiod" || name->value.starts_with("istiod-")) {
          out.revision = name->value.size() > 6 ? name->value.substr(7) : "";
          out.revision_loc = name->loc;
        }
      }
  }
  out.webhooks.push_back(std::move(w));
}

}  // namespace

bool IsInjectionWebhookName(const ObjectMeta& meta) {
  const std::string& n = meta.ref.name;
  return n.starts_with(kInjectorName) || n.starts_with(kTagPrefix);
}

void ReadMutatingWebhookConfiguration(NodeReader& r, const LiteNode& node, ObjectMeta& meta,
                                      const std::string& where) {
  if (!IsInjectionWebhookName(meta)) {
    r.out().others.push_back(std::move(meta));
    return;
  }
  InjectionWebhookConfig config;
  config.meta = meta;
  const ObjectRef& ref = config.meta.ref;
  Field hooks = r.Get(node, "webhooks", ref, where);
  if (hooks.present() && hooks.value.IsSequence())
    for (std::size_t i = 0; i < hooks.value.size() && i < 256; ++i) {
      r.Charge(1);
      if (hooks.value[i].IsMap())
        ReadWebhook(r, hooks.value[i], "webhooks[" + std::to_string(i) + "]", config);
    }
  if (!config.revision_loc.valid())
    if (auto rev = MetaLabel(r, node, "istio.io/rev", ref)) {
      config.revision = rev->value == "default" ? "" : rev->value;
      config.revision_loc = rev->loc;
    }
  if (ref.name.starts_with(kTagPrefix)) {
    if (auto tag = MetaLabel(r, node, "istio.io/tag", ref)) {
      config.tag = tag->value;
      config.tag_loc = tag->loc;
    } else {
      config.tag = ref.name.substr(kTagPrefix.size());
      config.tag_loc = meta.anchor();
    }
  }
  r.out().injection_webhooks.push_back(std::move(config));
}

}  // namespace meshlint
