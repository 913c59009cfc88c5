// workload-outbound-bypass: capture settings that send outbound connections
// of injected pods past their sidecar (istio-init returns them before the
// redirect), in a mesh meant to restrict those pods' egress. What each
// annotation or proxy default does is the semantics unit's (PodCapture);
// this rule reports each setting that opens a bypass, once per place.
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "rules/common.h"
#include "rules/rules.h"
#include "semantics/istio.h"

namespace meshlint::rules {

namespace {

enum class Bypass { kInterceptionNone, kExcludeRanges, kIncludeRanges, kExcludePorts };

struct Group {
  Bypass bypass = Bypass::kExcludePorts;
  Location loc;
  bool from_values = false;  // the revision's values.global.proxy.*, not an annotation
  std::string ns;            // the first namespace
  const NamespaceInfo* info = nullptr;
  std::vector<const Workload*> workloads;  // empty: the namespace's pods (no manifests)
  // from_values: every namespace whose pods take the default.
  std::vector<std::string> namespaces;
  istio::Capture capture;
  istio::EgressIntent intent;  // of the first workload
  // Every pod of the group has a sidecar only by assumption (no Namespace
  // manifest says so): then the finding is a note.
  bool assumed = true;
};

// A place and what it opens: an annotation is one workload's, a proxy
// default is reported once for every pod it applies to.
using Key = std::tuple<std::uint32_t, std::uint32_t, std::uint32_t, int>;

std::string_view AnnotationName(Bypass b) {
  switch (b) {
    case Bypass::kInterceptionNone: return "sidecar.istio.io/interceptionMode";
    case Bypass::kExcludeRanges: return "traffic.sidecar.istio.io/excludeOutboundIPRanges";
    case Bypass::kIncludeRanges: return "traffic.sidecar.istio.io/includeOutboundIPRanges";
    case Bypass::kExcludePorts: return "traffic.sidecar.istio.io/excludeOutboundPorts";
  }
  return "";
}

std::string_view ValuesName(Bypass b) {
  switch (b) {
    case Bypass::kInterceptionNone: return "the proxy's interceptionMode";
    case Bypass::kExcludeRanges: return "values.global.proxy.excludeIPRanges";
    case Bypass::kIncludeRanges: return "values.global.proxy.includeIPRanges";
    case Bypass::kExcludePorts: return "values.global.proxy.excludeOutboundPorts";
  }
  return "";
}

PodAnnotation AnnotationOf(Bypass b) {
  switch (b) {
    case Bypass::kInterceptionNone: return PodAnnotation::kInterceptionMode;
    case Bypass::kExcludeRanges: return PodAnnotation::kExcludeOutboundIPRanges;
    case Bypass::kIncludeRanges: return PodAnnotation::kIncludeOutboundIPRanges;
    case Bypass::kExcludePorts: return PodAnnotation::kExcludeOutboundPorts;
  }
  return PodAnnotation::kInject;
}

std::string Ports(const std::vector<std::uint32_t>& ports) {
  std::vector<std::string> out;
  for (std::uint32_t p : ports) out.push_back(p == 0 ? "every port" : std::to_string(p));
  return ListForMessage(out, 8);
}

// What passes the sidecar, in words.
std::string Effect(const Group& g) {
  const istio::Capture& c = g.capture;
  switch (g.bypass) {
    case Bypass::kInterceptionNone:
      return "is NONE: istio-init redirects no connection to the sidecar, so every connection "
             "bypasses it";
    case Bypass::kExcludeRanges:
      return "is \"" + c.exclude_ranges +
             "\", which covers public addresses: connections to them bypass the sidecar on "
             "every port";
    case Bypass::kIncludeRanges: {
      std::string out = "is \"" + c.include_ranges +
                        "\", which leaves public addresses out: connections to them bypass the "
                        "sidecar";
      if (!c.include_ports.empty())
        out += " except on includeOutboundPorts " + Ports(c.include_ports);
      else out += " on every port";
      return out;
    }
    case Bypass::kExcludePorts:
      return "lists " + std::string(c.exclude_ports.size() == 1 ? "port " : "ports ") +
             Ports(c.exclude_ports) + ": connections on " +
             (c.exclude_ports.size() == 1 ? "it" : "them") +
             " bypass the sidecar, to any destination";
  }
  return "";
}

std::string Subject(const Group& g) {
  if (g.from_values) {
    std::vector<std::string> names;
    for (const std::string& ns : g.namespaces) names.push_back("'" + ns + "'");
    return "the injected pods that set no annotation of their own (in " +
           std::string(g.namespaces.size() == 1 ? "namespace " : "namespaces ") +
           ListForMessage(names) + ")";
  }
  if (g.workloads.empty()) return "the pods of namespace '" + g.ns + "'";
  if (g.workloads.size() == 1)
    return g.workloads.front()->meta.ref.kind + " '" + g.ns + "/" +
           g.workloads.front()->meta.ref.name + "'";
  std::vector<std::string> names;
  for (const Workload* w : g.workloads) names.push_back(w->meta.ref.kind + "/" + w->meta.ref.name);
  return "workloads " + ListForMessage(names) + " of namespace '" + g.ns + "'";
}

// The restriction the bypassed connections escape.
std::string Intent(const istio::EgressIntent& intent) {
  if (intent.why == istio::EgressIntent::Why::kRegistryOnly)
    return intent.outbound.origin == istio::ModeOrigin::kSidecar
               ? "the REGISTRY_ONLY mode of Sidecar '" + intent.sidecar->meta.ref.ns + "/" +
                     intent.sidecar->meta.ref.name + "'"
               : "the mesh's REGISTRY_ONLY mode";
  return "the egress hosts of Sidecar '" + intent.sidecar->meta.ref.ns + "/" +
         intent.sidecar->meta.ref.name + "'";
}

std::string_view FixText(Bypass b) {
  switch (b) {
    case Bypass::kInterceptionNone: return "Remove it (REDIRECT is the default)";
    case Bypass::kExcludeRanges:
      return "Exclude only private ranges, and register the external hosts the pods need";
    case Bypass::kIncludeRanges: return "Use \"*\", and exclude what must bypass by private range";
    case Bypass::kExcludePorts:
      return "Remove the ports, and register the external hosts the pods need on them";
  }
  return "";
}

void Report(const MeshModel& model, const Group& g, FindingSink& sink) {
  Diagnostic d;
  d.loc = g.loc;
  if (g.from_values && g.capture.mesh_source) {
    const MeshConfigSource& src = model.mesh_sources[*g.capture.mesh_source];
    d.object = src.object;
    if (!d.loc.valid()) d.loc = src.loc;
  } else {
    AboutPods(model, g.workloads, *g.info, d);
  }
  d.field = g.from_values ? std::string(ValuesName(g.bypass))
                          : "metadata.annotations." + std::string(AnnotationName(g.bypass));
  const std::string what = g.from_values ? "The proxy default " + std::string(ValuesName(g.bypass))
                                         : std::string(AnnotationName(g.bypass));
  d.message = what + " of " + Subject(g) + " " + Effect(g) + ". These connections escape " +
              Intent(g.intent) + ". " + std::string(FixText(g.bypass)) + ".";
  if (g.assumed) {
    d.uncertain = true;
    d.message +=
        " Nothing in the inputs says whether these pods get an Istio proxy (no Namespace "
        "manifest, no pod label asking for one), so the finding is one level lower than usual.";
  }
  sink.Report(std::move(d));
}

}  // namespace

void CheckWorkloadOutboundBypass(const MeshModel& model, FindingSink& sink) {
  std::map<Key, Group> groups;
  auto add = [&](const NamespaceInfo& info, const Workload* w, const istio::Capture& c,
                 const istio::EgressIntent& intent, Bypass b, const Location& loc, bool assumed) {
    // The pods of a namespace without workload manifests carry no
    // annotations: only the proxy defaults reach them.
    const bool from_values = !(w && w->pod.Annotation(AnnotationOf(b)));
    auto [it, fresh] = groups.try_emplace(Key{loc.file, loc.line, loc.column, static_cast<int>(b)});
    Group& g = it->second;
    if (fresh) {
      g.bypass = b;
      g.loc = loc;
      g.from_values = from_values;
      g.ns = info.name;
      g.info = &info;
      g.capture = c;
      g.intent = intent;
    }
    g.assumed = g.assumed && assumed;
    if (w) g.workloads.push_back(w);
    if (g.namespaces.empty() || g.namespaces.back() != info.name) g.namespaces.push_back(info.name);
  };
  auto consider = [&](const NamespaceInfo& info, const Workload* w) {
    const istio::PodProxy p = istio::WorkloadProxy(model, info, w);
    if (!p.mediated()) return;  // no sidecar to bypass (egress-unmediated-workload's case)
    const istio::Capture c = istio::PodCapture(model, w, p);
    if (c.CapturesAll()) return;
    const istio::EgressIntent intent =
        istio::IntendedEgress(model, info.name, w ? &w->pod.labels : nullptr, p.revision);
    if (!intent.restricted()) return;
    if (c.none) {
      add(info, w, c, intent, Bypass::kInterceptionNone, c.none_loc, p.assumed);
      return;
    }
    if (c.exclude_ranges_public)
      add(info, w, c, intent, Bypass::kExcludeRanges, c.exclude_ranges_loc, p.assumed);
    if (c.include_ranges_miss_public)
      add(info, w, c, intent, Bypass::kIncludeRanges, c.include_ranges_loc, p.assumed);
    if (!c.exclude_ports.empty())
      add(info, w, c, intent, Bypass::kExcludePorts, c.exclude_ports_loc, p.assumed);
  };
  for (const NamespaceInfo& info : model.namespace_index()) {
    if (istio::IsSystemNamespace(model, info.name)) continue;
    if (info.workloads.empty()) {
      consider(info, nullptr);
      continue;
    }
    for (std::size_t wi : info.workloads) consider(info, &model.workloads[wi]);
  }
  for (const auto& [key, g] : groups) Report(model, g, sink);
}

}  // namespace meshlint::rules
