// The sentences about who asks (membership, capture, which Sidecar) and
// about the listeners, routes and egress gateway of an answer.
#include "report/egress_explain.h"

namespace meshlint::egress_detail {

using egress::Step;
using egress::StepKind;
using istio::ProxyReason;

namespace {

std::string Capitalized(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

std::string NsLabel(const MeshModel& model, const std::string& ns, const char* key) {
  const NamespaceInfo* info = model.FindNamespace(ns);
  if (!info || !info->manifest) return "";
  const auto& labels = model.namespaces[*info->manifest].labels;
  auto it = labels.find(key);
  return it == labels.end() ? "" : it->second;
}

std::string NamespaceReason(const MeshModel& model, const std::string& ns, const std::string& rev) {
  const NamespaceInfo* info = model.FindNamespace(ns);
  if (!info) return "namespace " + ns + " is not in the inputs";
  switch (istio::NamespaceMembership(model, *info).reason) {
    case istio::MembershipReason::kInjectionEnabled:
      return "namespace " + ns + " is labelled istio-injection=enabled";
    case istio::MembershipReason::kRevisionLabel:
      return "namespace " + ns + " is labelled istio.io/rev=" +
             (rev.empty() ? NsLabel(model, ns, "istio.io/rev") : rev);
    case istio::MembershipReason::kEnabledByDefault:
      return "the injector's enableNamespacesByDefault injects the unlabelled namespace " + ns;
    case istio::MembershipReason::kInjectionDisabled:
      return "namespace " + ns + " is labelled istio-injection=disabled";
    case istio::MembershipReason::kInjectionOtherValue:
      return "namespace " + ns +
             " is labelled istio-injection=" + NsLabel(model, ns, "istio-injection") +
             ", and only \"enabled\" injects";
    case istio::MembershipReason::kIgnoredNamespace:
      return ns + " is a namespace the injector never injects";
    case istio::MembershipReason::kNoManifest:
      return "no Namespace manifest for " + ns + " is in the inputs";
    case istio::MembershipReason::kNoMatchingWebhook:
      return "no injection webhook among the inputs' MutatingWebhookConfigurations selects "
             "namespace " +
             ns;
    default:
      return "namespace " + ns +
             " has no istio-injection or istio.io/rev label (and the injector's "
             "enableNamespacesByDefault is off)";
  }
}

}  // namespace

std::string ProxyReasonText(const MeshModel& model, const std::string& ns,
                            const istio::PodProxy& p) {
  switch (p.reason) {
    case ProxyReason::kNamespaceInjected:
    case ProxyReason::kNamespaceNotInjected: return NamespaceReason(model, ns, p.revision);
    case ProxyReason::kAssumedInjected:
      return "no Namespace manifest for " + ns + " is in the inputs";
    case ProxyReason::kPodLabelInjects:
      return "the pod label sidecar.istio.io/inject=true (the object webhook)";
    case ProxyReason::kPodRevisionLabel: return "the pod label istio.io/rev=" + p.revision;
    case ProxyReason::kAlwaysInjectSelector:
      return "the injector's alwaysInjectSelector matches the pod labels";
    case ProxyReason::kPodLabelFalse: return "the pod label sidecar.istio.io/inject=false";
    case ProxyReason::kPodAnnotationFalse:
      return "the pod annotation sidecar.istio.io/inject=false";
    case ProxyReason::kAnnotationOnlyTrue:
      return "only the pod annotation sidecar.istio.io/inject=true asks for a sidecar, and the injection "
             "webhook's selectors see labels only";
    case ProxyReason::kHostNetwork:
      return "the pods use hostNetwork: true, which Istio never injects";
    case ProxyReason::kIgnoredNamespace:
      return ns +
             " is a namespace the injector never injects (kube-system, kube-public, "
             "kube-node-lease, local-path-storage)";
    case ProxyReason::kNeverInjectSelector:
      return "the injector's neverInjectSelector matches the pod labels";
    case ProxyReason::kAutoInjectDisabled:
      return "values.global.proxy.autoInject is disabled and nothing asks for the pods to be injected";
    case ProxyReason::kAmbientNamespace:
      return "namespace " + ns + " is labelled istio.io/dataplane-mode=ambient";
    case ProxyReason::kAmbientPod: return "the pod label istio.io/dataplane-mode=ambient";
  }
  return "";
}

namespace {

std::string CaptureText(const Names& n) {
  const istio::Capture& c = n.ex.scope.capture;
  const std::string mesh = c.mesh_source ? " (the mesh-wide values.global.proxy default)" : "";
  if (c.none)
    return "The pod annotation sidecar.istio.io/interceptionMode: NONE: istio-init redirects nothing "
           "to the proxy, so it never sees the connection.";
  if (c.exclude_ranges_public)
    return "traffic.sidecar.istio.io/excludeOutboundIPRanges " + Quote(c.exclude_ranges) + mesh +
           " covers public addresses (a public host is taken to be outside the private ranges): "
           "connections to them bypass the proxy on every port.";
  const std::uint32_t port = n.ex.verdict.port;
  for (std::uint32_t p : c.exclude_ports)
    if (p == port || p == 0)
      return "traffic.sidecar.istio.io/excludeOutboundPorts" + mesh + " lists port " +
             std::to_string(port) + ": connections on it bypass the proxy.";
  return "traffic.sidecar.istio.io/includeOutboundIPRanges " + Quote(c.include_ranges) + mesh +
         " does not cover public addresses (a public host is taken to be outside the listed ranges): "
         "the proxy never sees connections to it" +
         (c.include_ports.empty() ? std::string() : " except on includeOutboundPorts") + ".";
}

}  // namespace

std::string WhoText(const Names& n, const Step& s) {
  const std::string& ns = n.ex.scope.ns;
  switch (s.kind) {
    case StepKind::kNamespaceUnknown:
      return "No input names namespace " + ns +
             "; the answer is what a new namespace of that name would get.";
    case StepKind::kMembershipAssumed:
      return "No Namespace manifest for " + ns +
             " is in the inputs: its pods are assumed to get a sidecar "
             "proxy, as the rest of the configuration intends. This answer rests on that assumption.";
    case StepKind::kProxyInjected:
      return Capitalized(ProxyReasonText(n.model, ns, s.proxy)) + ": the pods get a sidecar proxy" +
             (s.proxy.revision.empty() ? std::string() : " of revision " + s.proxy.revision) + ".";
    case StepKind::kNoProxy:
      return Capitalized(ProxyReasonText(n.model, ns, s.proxy)) +
             ": the pods have no sidecar proxy, so Istio does not mediate their egress: any host, any "
             "port." +
             (s.proxy.assumed
                  ? " No workload of " + ns +
                        " is in the inputs: its pods are assumed to carry no label "
                        "sidecar.istio.io/inject=true, which would give a pod a sidecar in a "
                        "namespace without injection label. This answer rests on that assumption."
                  : std::string());
    case StepKind::kAmbient:
      return Capitalized(ProxyReasonText(n.model, ns, s.proxy)) +
             ": the pods are in ambient mode; ztunnel applies neither REGISTRY_ONLY nor Sidecar resources "
             "(waypoints are not modelled), so Istio does not restrict their egress.";
    case StepKind::kGatewaySource:
      return "These pods are an Istio gateway (inject.istio.io/templates: gateway): a gateway forwards what "
             "its Gateway servers and VirtualServices route, it is not a client that a Sidecar governs.";
    case StepKind::kCaptureBypass: return CaptureText(n);
    case StepKind::kSidecarSelects:
      return n.sidecar + " selects these workloads (workloadSelector" +
             (s.sidecar->selector.labels.empty()
                  ? " with empty labels: every workload of the namespace"
                  : std::string()) +
             "), ahead of the namespace's default.";
    default: {  // kSeveralDefaults
      const bool stamped = !s.sidecar->config.creation_timestamp.value.empty();
      return "Namespace " + ns + " has " + std::to_string(s.count) +
             " Sidecars without workloadSelector: Istio applies the oldest (by creationTimestamp, then "
             "name), " +
             n.sidecar +
             (stamped
                  ? std::string(".")
                  : " (no creationTimestamp in the inputs: the first by name; in a cluster the one "
                    "created first wins).");
    }
  }
}

std::string RouteText(const Names& n, const Step& s) {
  const std::string& host = n.ex.host;
  auto dest = [&](const RouteDestination* d) {
    return d->host.value + (d->port.value ? ":" + std::to_string(d->port.value) : std::string());
  };
  switch (s.kind) {
    case StepKind::kPortNotListed:
      if (s.included)
        return "Its port " + std::to_string(s.port) +
               " is not imported: a Sidecar egress listener with a "
               "port imports only that port of a service.";
      return "It declares no port " + std::to_string(s.port) + " (ports " + PortsText(*s.service) +
             "), so no listener takes " + host + " on that port.";
    case StepKind::kNoPorts: return "It declares no ports, so the proxy builds no listener for it.";
    case StepKind::kVsDestinationImported:
      return "VirtualService " + Qualified(s.vs->meta.ref) + ", which " + n.ex.scope.ns +
             " imports, routes to it: Istio adds a VirtualService's destinations to the proxy's services, "
             "whatever the Sidecar's egress hosts.";
    case StepKind::kPassthroughListener:
      if (s.listener == istio::PortListener::kRangePassthrough)
        return ServiceName(*s.service) + " declares port " +
               PortsText(*s.service, istio::PortBit(s.port_index)) +
               " with resolution NONE and the CIDR addresses " + RangesText(*s.service) +
               ": the proxy listens on 0.0.0.0:" + std::to_string(s.port) +
               " with a filter chain for those ranges and passes " + host +
               ", an address in them, to its original destination.";
      return ServiceName(*s.service) + " declares port " +
             PortsText(*s.service, istio::PortBit(s.port_index)) +
             (s.service->whole_space_range
                  ? " with resolution NONE and an address range that covers every address: the proxy "
                    "listens on "
                  : " with resolution NONE and no addresses, endpoints or workloadSelector: the proxy "
                    "listens on ") +
             "0.0.0.0:" + std::to_string(s.port) +
             " and passes every connection on that port to its original destination, whatever the host.";
    case StepKind::kHijackedBy:
      return ServiceName(*s.service) + " declares port " +
             PortsText(*s.service, istio::PortBit(s.port_index)) +
             " without an address the proxy uses: it listens on 0.0.0.0:" + std::to_string(s.port) +
             " and sends every TCP connection on that port to " + n.SeHost(s) + " instead of " +
             host + ".";
    case StepKind::kPortHasListenerNoMatch:
      return "The proxy's listener on port " + std::to_string(s.port) +
             " (HTTP: routed by Host; TLS: matched by SNI) has no route for " + host +
             ", so the outbound mode decides.";
    case StepKind::kVsRoute:
      return "VirtualService " + Qualified(s.vs->meta.ref) + " routes " + host + n.Port() + " to " +
             dest(s.dest) +
             (s.included ? "."
                         : ", which is not in the proxy's registry: 503 (no healthy upstream).");
    case StepKind::kVsPort80Host:
      return "VirtualService " + Qualified(s.vs->meta.ref) + " lists host " + host +
             ", which no service of the proxy provides: Istio adds it to the port-80 HTTP routes (the proxy "
             "has an HTTP listener on port 80) and routes it to " +
             dest(s.dest) +
             (s.included ? "."
                         : ", which is not in the proxy's registry: 503 (no healthy upstream).");
    case StepKind::kGatewayServer:
      return s.included
                 ? "Gateway " + Qualified(s.gateway->meta.ref) +
                       " selects the gateway's pods and has a "
                       "server on port " +
                       std::to_string(s.port) + " for " + host + "."
                 : "No server of Gateway " + Qualified(s.gateway->meta.ref) +
                       " on that port lists " + host + ": the gateway does not accept it (404).";
    case StepKind::kGatewayVs:
      return s.included ? "VirtualService " + Qualified(s.vs->meta.ref) + ", bound to Gateway " +
                              Qualified(s.gateway->meta.ref) + ", routes " + host + " to " +
                              dest(s.dest) + "."
                        : "No VirtualService bound to Gateway " + Qualified(s.gateway->meta.ref) +
                              " routes " + host + ": the gateway answers 404.";
    case StepKind::kGatewayCluster:
      return s.included ? dest(s.dest) + " is visible in the gateway's namespace " +
                              s.gateway->meta.ref.ns + " (" + ServiceName(*s.service) + ")."
                        : "The gateway sees only services exported to its namespace " +
                              s.gateway->meta.ref.ns + ", and none is " + s.dest->host.value +
                              ": 503 (no cluster).";
    case StepKind::kGatewayAuthz:
      if (!s.policy)
        return "No AuthorizationPolicy applies to the gateway's pods: every request is allowed.";
      if (s.included)
        return "AuthorizationPolicy " + Qualified(s.policy->meta.ref) +
               " on the gateway allows requests from " + n.ex.scope.ns + ".";
      if (s.reachable)
        return "AuthorizationPolicy " + Qualified(s.policy->meta.ref) +
               " (ALLOW) applies to the gateway and "
               "none of its rules matches requests from " +
               n.ex.scope.ns + ": 403.";
      return "AuthorizationPolicy " + Qualified(s.policy->meta.ref) + " denies requests from " +
             n.ex.scope.ns + ": 403.";
    case StepKind::kAuthzAssumed:
      return "Some policy conditions (when, service-account principals, CUSTOM providers) are not evaluated "
             "by meshlint: they are assumed to let the request through.";
    default: return "";
  }
}

}  // namespace meshlint::egress_detail
