// The parts of the mesh config and of the istiod chart's values that decide
// visibility and injection, beside the ones mesh_config.cpp reads:
// defaultVirtualServiceExportTo, defaultDestinationRuleExportTo,
// serviceEntryVisibility (pilot/pkg/model/serviceentry_visibility.go),
// defaultConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE, and the injector's
// values (sidecarInjectorWebhook.*, global.proxy.*) that the chart renders
// into the webhook configuration and the istio-sidecar-injector ConfigMap.
#include "loader/mesh_values.h"

#include <array>

#include "loader/mesh_config.h"

namespace meshlint {

namespace {

// A YAML 1.1 boolean, as Helm's and Istio's YAML parsers read one.
std::optional<bool> YamlBool(std::string_view v) {
  static constexpr std::array<std::string_view, 8> kTrue = {"true", "True", "TRUE", "yes",
                                                            "Yes",  "on",   "On",   "YES"};
  static constexpr std::array<std::string_view, 8> kFalse = {"false", "False", "FALSE", "no",
                                                             "No",    "off",   "Off",   "NO"};
  for (std::string_view t : kTrue)
    if (v == t) return true;
  for (std::string_view f : kFalse)
    if (v == f) return false;
  return std::nullopt;
}

LiteNode Child(NodeReader& r, const LiteNode& map, std::string_view key, const ObjectRef& ref,
               const std::string& path) {
  if (!map.IsMap()) return {};
  Field f = r.Get(map, key, ref, path);
  return f.present() ? f.value : LiteNode();
}

std::optional<Located<bool>> LenientBool(NodeReader& r, const LiteNode& map, std::string_view key,
                                         const ObjectRef& ref, const std::string& path) {
  auto text = LenientScalar(r, map, key, ref, path);
  if (!text) return std::nullopt;
  auto value = YamlBool(text->value);
  if (!value) return std::nullopt;
  return Located<bool>{*value, text->loc};
}

// A list of Kubernetes LabelSelectors, read leniently: entries of another
// shape are left out (these values are the chart's, not ours to judge).

void ReadVisibilityPolicy(NodeReader& r, const LiteNode& policy, ServiceEntryVisibility& out,
                          const ObjectRef& ref, const std::string& path) {
  if (!policy.IsMap()) return;
  ServiceEntryVisibility::Rule rule;
  if (auto v = LenientScalar(r, policy, "visibility", ref, path)) rule.visibility = v->value;
  const LiteNode rules = Child(r, policy, "matchingRules", ref, path);
  if (rules.IsSequence()) {
    for (std::size_t i = 0; i < rules.size() && i < 256; ++i) {
      r.Charge(1);
      const std::string rp = path + ".matchingRules[" + std::to_string(i) + "]";
      const LiteNode sel = Child(r, rules[i], "namespaceSelector", ref, rp);
      // compileVisibilityRule: an unknown or unset matcher never matches.
      auto s =
          sel.IsMap() ? ReadLabelSelector(r, sel, ref, rp + ".namespaceSelector") : std::nullopt;
      if (s) rule.namespace_selectors.push_back(std::move(*s));
      else rule.never = true;
    }
  }
  out.rules.push_back(std::move(rule));
}

bool IsVisibility(std::string_view v) {
  return v == "UNSPECIFIED" || v == "PUBLIC" || v == "NAMESPACE" || v == "NONE";
}

}  // namespace

std::vector<LabelSelector> SelectorList(NodeReader& r, const LiteNode& list, const ObjectRef& ref,
                                        const std::string& path) {
  std::vector<LabelSelector> out;
  if (!list.IsSequence()) return out;
  for (std::size_t i = 0; i < list.size() && i < 256; ++i) {
    r.Charge(1);
    if (auto s = ReadLabelSelector(r, list[i], ref, path + "[" + std::to_string(i) + "]"))
      out.push_back(std::move(*s));
  }
  return out;
}

std::optional<LabelSelector> ReadLabelSelector(NodeReader& r, const LiteNode& node,
                                               const ObjectRef& ref, const std::string& path) {
  if (!node.IsMap()) return std::nullopt;
  LabelSelector s;
  s.loc = r.Loc(node);
  if (Field f = r.Get(node, "matchLabels", ref, path); f.present() && f.value.IsMap())
    r.StringMap(f, ref, NodeReader::Join(path, "matchLabels"), s.match_labels);
  const LiteNode exprs = Child(r, node, "matchExpressions", ref, path);
  if (exprs.IsSequence()) {
    for (std::size_t i = 0; i < exprs.size() && i < 256; ++i) {
      r.Charge(1);
      const LiteNode e = exprs[i];
      const std::string ep = path + ".matchExpressions[" + std::to_string(i) + "]";
      LabelSelector::Requirement req;
      auto key = LenientScalar(r, e, "key", ref, ep);
      auto op = LenientScalar(r, e, "operator", ref, ep);
      if (!key || !op) {
        // Not a requirement: an invalid selector, which selects nothing.
        req.op = "?";
      } else {
        req.key = key->value;
        req.op = op->value;
        req.loc = key->loc;
      }
      const LiteNode values = Child(r, e, "values", ref, ep);
      if (values.IsSequence())
        for (std::size_t v = 0; v < values.size() && v < 1024; ++v)
          if (values[v].IsScalar()) req.values.push_back(values[v].Scalar());
      s.expressions.push_back(std::move(req));
    }
  }
  return s;
}

void ReadMoreMeshConfig(NodeReader& r, const LiteNode& mc, MeshConfigSource& source,
                        const ObjectRef& ref, const std::string& path) {
  if (Field f = r.Get(mc, "defaultVirtualServiceExportTo", ref, path); f.present()) {
    source.default_virtual_service_export_to =
        r.ScalarList(f, ref, path + ".defaultVirtualServiceExportTo");
    source.default_virtual_service_export_to_key = r.Loc(f.key);
  }
  if (Field f = r.Get(mc, "defaultDestinationRuleExportTo", ref, path); f.present())
    source.default_destination_rule_export_to =
        r.ScalarList(f, ref, path + ".defaultDestinationRuleExportTo");
  if (Field f = r.Get(mc, "serviceEntryVisibility", ref, path); f.present()) {
    const std::string sp = path + ".serviceEntryVisibility";
    r.RequireMap(f, ref, sp);
    ServiceEntryVisibility sev;
    sev.set = true;
    sev.loc = r.Loc(f.key);
    if (auto apply = LenientBool(r, f.value, "applyToSidecars", ref, sp))
      sev.apply_to_sidecars = apply->value;
    if (auto d = LenientScalar(r, f.value, "defaultVisibility", ref, sp)) {
      if (!IsVisibility(d->value)) {
        // The mesh config does not parse: istiod keeps its defaults.
        r.Problem(d->loc,
                  "serviceEntryVisibility.defaultVisibility '" + d->value +
                      "' is not one of UNSPECIFIED, PUBLIC, NAMESPACE, NONE",
                  ref, sp + ".defaultVisibility");
        throw Unusable{};
      }
      sev.default_visibility = d->value;
    }
    const LiteNode policies = Child(r, f.value, "policies", ref, sp);
    if (policies.IsSequence())
      for (std::size_t i = 0; i < policies.size() && i < 256; ++i)
        ReadVisibilityPolicy(r, policies[i], sev, ref, sp + ".policies[" + std::to_string(i) + "]");
    source.service_entry_visibility = std::move(sev);
  }
  const LiteNode dc = Child(r, mc, "defaultConfig", ref, path);
  const LiteNode md = Child(r, dc, "proxyMetadata", ref, path + ".defaultConfig");
  if (auto capture =
          LenientBool(r, md, "ISTIO_META_DNS_CAPTURE", ref, path + ".defaultConfig.proxyMetadata"))
    source.dns_capture = capture;
}

void ReadInjectorValues(NodeReader& r, const LiteNode& values, InjectorValues& out,
                        const ObjectRef& ref, const std::string& path) {
  if (!values.IsMap()) return;
  const std::string wp = NodeReader::Join(path, "sidecarInjectorWebhook");
  const LiteNode webhook = Child(r, values, "sidecarInjectorWebhook", ref, path);
  out.enable_namespaces_by_default = LenientBool(r, webhook, "enableNamespacesByDefault", ref, wp);
  if (webhook.IsMap()) {
    if (Field f = r.Get(webhook, "neverInjectSelector", ref, wp); f.present()) {
      out.never_inject_selector = SelectorList(r, f.value, ref, wp + ".neverInjectSelector");
      out.never_inject_key = r.Loc(f.key);
    }
    if (Field f = r.Get(webhook, "alwaysInjectSelector", ref, wp); f.present()) {
      out.always_inject_selector = SelectorList(r, f.value, ref, wp + ".alwaysInjectSelector");
      out.always_inject_key = r.Loc(f.key);
    }
  }
  const std::string gp = NodeReader::Join(path, "global.proxy");
  const LiteNode proxy = Child(r, Child(r, values, "global", ref, path), "proxy", ref,
                               NodeReader::Join(path, "global"));
  out.auto_inject = LenientScalar(r, proxy, "autoInject", ref, gp);
  out.include_ip_ranges = LenientScalar(r, proxy, "includeIPRanges", ref, gp);
  out.exclude_ip_ranges = LenientScalar(r, proxy, "excludeIPRanges", ref, gp);
  out.include_outbound_ports = LenientScalar(r, proxy, "includeOutboundPorts", ref, gp);
  out.exclude_outbound_ports = LenientScalar(r, proxy, "excludeOutboundPorts", ref, gp);
  const LiteNode tags = Child(r, values, "revisionTags", ref, path);
  if (tags.IsSequence())
    for (std::size_t i = 0; i < tags.size() && i < 256; ++i)
      if (tags[i].IsScalar()) out.revision_tags.push_back({tags[i].Scalar(), r.Loc(tags[i])});
}

}  // namespace meshlint
