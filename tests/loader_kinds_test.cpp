// The kinds the reachability analysis reads (workloads, Services,
// VirtualServices, Gateways, AuthorizationPolicies, and the ServiceEntry and
// Sidecar fields beyond hosts and exportTo): each value is read, with the
// line and column of where it is written, by both the scanner and yaml-cpp.
#include <gtest/gtest.h>

#include "test_util.h"

namespace meshlint {
namespace {

using testing::LoadFiles;

std::string Span(const Location& l) {
  return std::to_string(l.line) + ":" + std::to_string(l.column) + "-" +
         std::to_string(l.end_line) + ":" + std::to_string(l.end_column);
}

// Both builders, and no problem reported.
std::vector<MeshModel> LoadBoth(const std::string& text) {
  std::vector<MeshModel> out;
  for (bool full : {false, true}) {
    LoadOptions options;
    options.full_parse = full;
    out.push_back(LoadFiles({{"in.yaml", text}}, options));
    EXPECT_TRUE(out.back().problems.empty()) << out.back().problems.front().message;
  }
  return out;
}

TEST(LoaderKinds, DeploymentPodTemplate) {
  const std::string text =
      "apiVersion: apps/v1\n"                                                  // 1
      "kind: Deployment\n"                                                     // 2
      "metadata: {name: web, namespace: shop, labels: {app: outer}}\n"         // 3
      "spec:\n"                                                                // 4
      "  template:\n"                                                          // 5
      "    metadata:\n"                                                        // 6
      "      labels:\n"                                                        // 7
      "        app: web\n"                                                     // 8
      "        sidecar.istio.io/inject: \"false\"\n"                           // 9
      "      annotations:\n"                                                   // 10
      "        traffic.sidecar.istio.io/excludeOutboundIPRanges: 0.0.0.0/0\n"  // 11
      "        prometheus.io/scrape: \"true\"\n"                               // 12
      "    spec:\n"                                                            // 13
      "      hostNetwork: true\n"                                              // 14
      "      containers: [{name: web, image: nginx}]\n";                       // 15
  for (const MeshModel& m : LoadBoth(text)) {
    ASSERT_EQ(m.workloads.size(), 1u);
    const PodTemplate& pod = m.workloads[0].pod;
    EXPECT_EQ(m.workloads[0].meta.ref.FullyQualifiedName(), "shop/Deployment/web");
    EXPECT_FALSE(pod.unknown);
    EXPECT_EQ(Span(pod.loc), "6:5-6:13");
    ASSERT_EQ(pod.labels.size(), 2u);  // the template's, not the Deployment's own
    EXPECT_EQ(*pod.labels.Value("app"), "web");
    EXPECT_EQ(*pod.labels.Value("sidecar.istio.io/inject"), "false");
    EXPECT_EQ(Span(pod.labels.Find("sidecar.istio.io/inject")->loc), "9:9-9:32");
    ASSERT_EQ(pod.annotations.size(), 1u);  // only the annotations Istio reads
    const auto* exclude = pod.Annotation(PodAnnotation::kExcludeOutboundIPRanges);
    ASSERT_NE(exclude, nullptr);
    EXPECT_EQ(exclude->value, "0.0.0.0/0");
    EXPECT_EQ(Span(exclude->loc), "11:59-11:68");
    EXPECT_TRUE(pod.host_network);
    EXPECT_EQ(Span(pod.host_network_loc), "14:20-14:24");
    ASSERT_NE(m.FindNamespace("shop"), nullptr);
    EXPECT_EQ(m.FindNamespace("shop")->workloads, (std::vector<std::size_t>{0}));
  }
}

TEST(LoaderKinds, EveryWorkloadKindHasItsTemplate) {
  const std::string text =
      "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: nightly, namespace: b}\n"
      "spec:\n  jobTemplate:\n    spec:\n      template:\n        metadata:\n"
      "          labels: {app: nightly}\n---\n"
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: debug\n  namespace: b\n"
      "  labels: {app: debug}\n  annotations:\n    sidecar.istio.io/inject: \"false\"\n"
      "    proxy.istio.io/config: |\n      proxyMetadata:\n        ISTIO_META_DNS_CAPTURE: \"true\"\n"
      "---\n"
      "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db, namespace: b}\n"
      "spec: {template: {metadata: {labels: {app: db}}}}\n---\n"
      "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: r, namespace: b}\n"
      "spec: {workloadRef: {apiVersion: apps/v1, kind: Deployment, name: web}}\n";
  for (const MeshModel& m : LoadBoth(text)) {
    ASSERT_EQ(m.workloads.size(), 4u);
    EXPECT_EQ(*m.workloads[0].pod.labels.Value("app"), "nightly");
    const PodTemplate& pod = m.workloads[1].pod;
    EXPECT_EQ(*pod.labels.Value("app"), "debug");
    EXPECT_EQ(pod.Annotation(PodAnnotation::kInject)->value, "false");
    ASSERT_TRUE(pod.dns_capture);
    EXPECT_TRUE(pod.dns_capture->value);
    EXPECT_EQ(pod.dns_capture->loc.line, 19u);  // the annotation's value
    EXPECT_EQ(*m.workloads[2].pod.labels.Value("app"), "db");
    EXPECT_TRUE(m.workloads[3].pod.unknown);  // its pods are another object's
  }
}

TEST(LoaderKinds, ServiceEntryPortsAndResolution) {
  const std::string text =
      "apiVersion: networking.istio.io/v1\n"             // 1
      "kind: ServiceEntry\n"                             // 2
      "metadata:\n"                                      // 3
      "  name: db\n"                                     // 4
      "  namespace: app\n"                               // 5
      "  labels: {istio.io/rev: canary, team: x}\n"      // 6
      "  creationTimestamp: \"2024-05-01T10:00:00Z\"\n"  // 7
      "spec:\n"                                          // 8
      "  hosts: [db.example.com]\n"                      // 9
      "  addresses: [10.0.0.1/32]\n"                     // 10
      "  ports:\n"                                       // 11
      "  - number: 5432\n"                               // 12
      "    name: tcp\n"                                  // 13
      "    protocol: TCP\n"                              // 14
      "  resolution: STATIC\n"                           // 15
      "  endpoints:\n"                                   // 16
      "  - address: 10.0.0.1\n"                          // 17
      "  workloadSelector:\n"                            // 18
      "    labels: {}\n";                                // 19
  for (const MeshModel& m : LoadBoth(text)) {
    // Endpoints beside a workloadSelector: Istio's validation sets it aside,
    // with every field read.
    ASSERT_EQ(m.rejected.service_entries.size(), 1u);
    const ServiceEntry& se = m.rejected.service_entries[0];
    ASSERT_NE(se.config.Revision(), nullptr);
    EXPECT_EQ(*se.config.Revision(), "canary");
    EXPECT_EQ(se.config.istio_labels.size(), 1u);  // team: x is not kept
    EXPECT_EQ(se.config.creation_timestamp.value, "2024-05-01T10:00:00Z");
    EXPECT_EQ(Span(se.config.creation_timestamp.loc), "7:22-7:44");
    ASSERT_EQ(se.addresses.size(), 1u);
    EXPECT_EQ(Span(se.addresses[0].loc), "10:15-10:26");
    ASSERT_EQ(se.ports.size(), 1u);
    EXPECT_EQ(se.ports[0].number.value, 5432);
    EXPECT_EQ(Span(se.ports[0].number.loc), "12:13-12:17");
    EXPECT_EQ(se.ports[0].name.value, "tcp");
    EXPECT_EQ(se.ports[0].protocol.value, "TCP");
    EXPECT_EQ(se.Resolution(), "STATIC");
    EXPECT_TRUE(se.endpoints_set);
    ASSERT_EQ(se.endpoint_addresses.size(), 1u);
    EXPECT_EQ(Span(se.endpoint_addresses[0].loc), "17:14-17:22");
    EXPECT_TRUE(se.has_workload_selector);
    EXPECT_TRUE(se.workload_selector.set);
    EXPECT_TRUE(se.workload_selector.labels.empty());  // the whole namespace
    EXPECT_EQ(Span(se.workload_selector.labels_key), "19:5-19:11");
  }
}

TEST(LoaderKinds, ServiceEntryDefaultsAndBadPort) {
  auto m = LoadFiles({{"se.yaml",
                       "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\n"
                       "metadata: {name: a, namespace: app}\nspec: {hosts: [a.example.com]}\n"}});
  ASSERT_EQ(m.service_entries.size(), 1u);
  EXPECT_EQ(m.service_entries[0].Resolution(), "NONE");
  EXPECT_FALSE(m.service_entries[0].workload_selector.set);
  EXPECT_FALSE(m.service_entries[0].endpoints_set);

  auto bad = LoadFiles({{"se.yaml",
                         "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\n"
                         "metadata: {name: a, namespace: app}\nspec:\n  hosts: [a.example.com]\n"
                         "  ports:\n  - {number: https, name: tls}\n"}});
  EXPECT_TRUE(bad.service_entries.empty());
  ASSERT_EQ(bad.problems.size(), 1u);
  EXPECT_EQ(bad.problems[0].message, "spec.ports[0].number must be an integer, not 'https'");
  EXPECT_EQ(Span(bad.problems[0].loc), "7:14-7:19");
}

// The paths that name a field in a problem are built only when one is
// reported (FieldPath): each reader's nesting, inside a kind: List and not,
// by both builders.
TEST(LoaderKinds, ProblemsNameTheFieldPath) {
  struct Case {
    std::string object;  // after apiVersion and kind
    std::string message;
    std::string field;
  };
  const std::string se = "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\n";
  const std::string sc = "apiVersion: networking.istio.io/v1\nkind: Sidecar\n";
  const std::string vs = "apiVersion: networking.istio.io/v1\nkind: VirtualService\n";
  const std::string ap = "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\n";
  const std::string md = "metadata:\n  name: a\n  namespace: app\n";
  const std::vector<Case> cases = {
      {se + md + "spec:\n  ports:\n  - number: 80\n  - number: 81\n    targetPort: x\n",
       "spec.ports[1].targetPort must be an integer, not 'x'", "spec.ports[1].targetPort"},
      {se + md + "spec:\n  endpoints:\n  - address: [x]\n",
       "spec.endpoints[0].address must be a string, not a list", "spec.endpoints[0].address"},
      {se + md + "spec:\n  workloadSelector:\n    labels: [a]\n",
       "spec.workloadSelector.labels must be a mapping, not a list",
       "spec.workloadSelector.labels"},
      {sc + md + "spec:\n  egress:\n  - hosts: [a/b]\n  - hosts: [c/d, {x: 1}]\n",
       "spec.egress[1].hosts[1] must be a string, not a mapping", "spec.egress[1].hosts[1]"},
      {sc + md + "spec:\n  outboundTrafficPolicy:\n    egressProxy:\n      host: [x]\n",
       "spec.outboundTrafficPolicy.egressProxy.host must be a string, not a list",
       "spec.outboundTrafficPolicy.egressProxy.host"},
      {vs + md + "spec:\n  http:\n  - route:\n    - destination:\n        port: {number: x}\n",
       "spec.http[0].route[0].destination.port.number must be an integer, not 'x'",
       "spec.http[0].route[0].destination.port.number"},
      {vs + md +
           "spec:\n  http:\n  - route:\n    - destination:\n        host: a\n        host: b\n",
       "duplicate key 'host' (first at line 10); Kubernetes rejects this",
       "spec.http[0].route[0].destination.host"},
      {ap + md + "spec:\n  rules:\n  - to:\n    - operation:\n        notPorts: {a: b}\n",
       "spec.rules[0].to[0].operation.notPorts must be a list, not a mapping",
       "spec.rules[0].to[0].operation.notPorts"},
      {"apiVersion: v1\nkind: Service\n" + md +
           "spec:\n  ports:\n  - port: 80\n  - port: 81\n    name: a\n    name: b\n",
       "duplicate key 'name' (first at line 10); Kubernetes rejects this", "spec.ports[1].name"},
      {"apiVersion: batch/v1\nkind: CronJob\n" + md +
           "spec:\n  jobTemplate:\n    spec:\n      template:\n        metadata:\n"
           "          labels: {a: b}\n          labels: {a: c}\n",
       "duplicate key 'labels' (first at line 11); Kubernetes rejects this",
       "spec.jobTemplate.spec.template.metadata.labels"},
      {se + "metadata:\n  name: a\n  namespace: [x]\n",
       "metadata.namespace must be a string, not a list", "metadata.namespace"},
  };
  for (const Case& c : cases) {
    // Alone, and as the second item of a List (six lines further down and
    // indented: the paths start with items[1]).
    std::string item;
    for (std::size_t at = 0; at < c.object.size();) {
      const std::size_t end = c.object.find('\n', at);
      item += (at == 0 ? "- " : "  ") + c.object.substr(at, end - at + 1);
      at = end + 1;
    }
    const std::string list =
        "apiVersion: v1\nkind: List\nitems:\n"
        "- apiVersion: v1\n  kind: Namespace\n  metadata: {name: x}\n" +
        item;
    for (bool full : {false, true}) {
      LoadOptions options;
      options.full_parse = full;
      auto alone = LoadFiles({{"in.yaml", c.object}}, options);
      ASSERT_EQ(alone.problems.size(), 1u) << c.object;
      EXPECT_EQ(alone.problems[0].message, c.message);
      EXPECT_EQ(alone.problems[0].field, c.field);
      auto listed = LoadFiles({{"in.yaml", list}}, options);
      ASSERT_EQ(listed.problems.size(), 1u) << list;
      const Problem& last = listed.problems[0];
      std::string message = c.message;
      if (message.starts_with("duplicate")) {
        const std::size_t n = message.find("line ") + 5;
        const std::size_t line = std::stoul(message.substr(n));
        message.replace(n, std::to_string(line).size(), std::to_string(line + 6));
      } else {
        message = "items[1]." + message;
      }
      EXPECT_EQ(last.message, message);
      EXPECT_EQ(last.field, "items[1]." + c.field);
    }
  }
}

TEST(LoaderKinds, SidecarListeners) {
  const std::string text =
      "apiVersion: networking.istio.io/v1\n"                                 // 1
      "kind: Sidecar\n"                                                      // 2
      "metadata: {name: s, namespace: app}\n"                                // 3
      "spec:\n"                                                              // 4
      "  workloadSelector: {labels: {app: web}}\n"                           // 5
      "  egress:\n"                                                          // 6
      "  - port: {number: 443, protocol: TLS, name: tls}\n"                  // 7
      "    bind: 127.0.0.1\n"                                                // 8
      "    hosts: [\"*/api.example.com\", \"*/b.example.com\"]\n"            // 9
      "  - hosts: [\"./*\"]\n"                                               // 10
      "  outboundTrafficPolicy:\n"                                           // 11
      "    mode: ALLOW_ANY\n"                                                // 12
      "    egressProxy: {host: proxy.example.com, port: {number: 3128}}\n";  // 13
  for (const MeshModel& m : LoadBoth(text)) {
    ASSERT_EQ(m.sidecars.size(), 1u);
    const Sidecar& sc = m.sidecars[0];
    EXPECT_TRUE(sc.has_selector);
    EXPECT_EQ(*sc.selector.labels.Value("app"), "web");
    ASSERT_EQ(sc.egress_hosts.size(), 3u);  // the flat list stays
    ASSERT_EQ(sc.egress.size(), 2u);
    EXPECT_TRUE(sc.egress[0].port_set);
    EXPECT_EQ(sc.egress[0].port.number.value, 443);
    EXPECT_EQ(sc.egress[0].port.protocol.value, "TLS");
    EXPECT_EQ(Span(sc.egress[0].port.number.loc), "7:20-7:23");
    EXPECT_EQ(sc.egress[0].bind.value, "127.0.0.1");
    EXPECT_EQ(sc.egress[0].first_host, 0u);
    EXPECT_EQ(sc.egress[0].host_count, 2u);
    EXPECT_FALSE(sc.egress[1].port_set);
    EXPECT_EQ(sc.egress[1].first_host, 2u);
    EXPECT_EQ(sc.egress[1].host_count, 1u);
    EXPECT_EQ(Span(sc.egress[1].hosts_key), "10:5-10:10");
    EXPECT_TRUE(sc.egress_proxy_set);
    EXPECT_EQ(sc.egress_proxy_host.value, "proxy.example.com");
    EXPECT_TRUE(sc.egress_proxy_port_set);
  }
}

TEST(LoaderKinds, VirtualServiceRoutes) {
  const std::string text =
      "apiVersion: networking.istio.io/v1\n"                                         // 1
      "kind: VirtualService\n"                                                       // 2
      "metadata: {name: cnn, namespace: app}\n"                                      // 3
      "spec:\n"                                                                      // 4
      "  hosts: [edition.cnn.com]\n"                                                 // 5
      "  gateways: [mesh, istio-system/egress]\n"                                    // 6
      "  exportTo: [\".\"]\n"                                                        // 7
      "  http:\n"                                                                    // 8
      "  - match:\n"                                                                 // 9
      "    - {gateways: [mesh], port: 80}\n"                                         // 10
      "    route:\n"                                                                 // 11
      "    - destination:\n"                                                         // 12
      "        host: istio-egressgateway.istio-system.svc.cluster.local\n"           // 13
      "        port: {number: 80}\n"                                                 // 14
      "    mirror: {host: copy.example.com}\n"                                       // 15
      "  tls:\n"                                                                     // 16
      "  - match: [{sniHosts: [edition.cnn.com], sourceNamespace: app}]\n"           // 17
      "    route: [{destination: {host: edition.cnn.com, port: {number: 443}}}]\n";  // 18
  for (const MeshModel& m : LoadBoth(text)) {
    ASSERT_EQ(m.virtual_services.size(), 1u);
    const VirtualService& vs = m.virtual_services[0];
    EXPECT_EQ(vs.hosts.size(), 1u);
    EXPECT_TRUE(vs.gateways_set);
    EXPECT_EQ(vs.gateways.size(), 2u);
    EXPECT_EQ(vs.export_to[0].value, ".");
    ASSERT_EQ(vs.routes.size(), 2u);
    const Route& http = vs.routes[0];
    EXPECT_EQ(http.kind, Route::Kind::kHttp);
    ASSERT_EQ(http.matches.size(), 1u);
    EXPECT_EQ(http.matches[0].port.value, 80);
    ASSERT_EQ(http.destinations.size(), 2u);
    EXPECT_EQ(http.destinations[0].host.value,
              "istio-egressgateway.istio-system.svc.cluster.local");
    EXPECT_EQ(Span(http.destinations[0].host.loc), "13:15-13:65");
    EXPECT_EQ(http.destinations[0].port.value, 80);
    EXPECT_TRUE(http.destinations[1].mirror);
    const Route& tls = vs.routes[1];
    EXPECT_EQ(tls.kind, Route::Kind::kTls);
    EXPECT_EQ(tls.matches[0].sni_hosts[0].value, "edition.cnn.com");
    EXPECT_EQ(tls.matches[0].source_namespace.value, "app");
    EXPECT_EQ(tls.destinations[0].port.value, 443);
  }
}

TEST(LoaderKinds, GatewayAndAuthorizationPolicy) {
  const std::string text =
      "apiVersion: networking.istio.io/v1\nkind: Gateway\n"
      "metadata: {name: egress, namespace: istio-system}\n"
      "spec:\n"
      "  selector: {istio: egressgateway}\n"  // 5
      "  servers:\n"
      "  - port: {number: 443, name: tls, protocol: TLS}\n"  // 7
      "    hosts: [\"*/edition.cnn.com\"]\n"
      "    tls: {mode: PASSTHROUGH}\n"
      "---\n"
      "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\n"
      "metadata: {name: allow, namespace: istio-system}\n"
      "spec:\n"
      "  selector: {matchLabels: {istio: egressgateway}}\n"
      "  action: DENY\n"
      "  rules:\n"
      "  - from: [{source: {namespaces: [team-a], notPrincipals: [x]}}]\n"
      "    to: [{operation: {hosts: [edition.cnn.com], ports: [\"443\"]}}]\n";
  for (const MeshModel& m : LoadBoth(text)) {
    ASSERT_EQ(m.gateways.size(), 1u);
    const Gateway& gw = m.gateways[0];
    EXPECT_EQ(*gw.selector.labels.Value("istio"), "egressgateway");
    ASSERT_EQ(gw.servers.size(), 1u);
    EXPECT_EQ(gw.servers[0].port.number.value, 443);
    EXPECT_EQ(gw.servers[0].hosts[0].value, "*/edition.cnn.com");
    EXPECT_TRUE(gw.servers[0].tls_set);
    EXPECT_EQ(gw.servers[0].tls_mode.value, "PASSTHROUGH");
    ASSERT_EQ(m.authorization_policies.size(), 1u);
    const AuthorizationPolicy& ap = m.authorization_policies[0];
    EXPECT_EQ(ap.Action(), "DENY");
    EXPECT_EQ(*ap.selector.labels.Value("istio"), "egressgateway");
    ASSERT_EQ(ap.rules.size(), 1u);
    EXPECT_EQ(ap.rules[0].from[0].namespaces[0].value, "team-a");
    EXPECT_EQ(ap.rules[0].from[0].not_principals[0].value, "x");
    EXPECT_EQ(ap.rules[0].to[0].ports[0].value, "443");
  }
}

TEST(LoaderKinds, KubernetesService) {
  const std::string text =
      "apiVersion: v1\nkind: Service\n"
      "metadata:\n  name: ledger\n  namespace: backend\n"
      "  annotations: {networking.istio.io/exportTo: \"., frontend\"}\n"  // 6
      "spec:\n  type: ExternalName\n  externalName: ledger.example.com\n"
      "  ports:\n  - {name: http, port: 80, appProtocol: http, targetPort: web}\n";
  for (const MeshModel& m : LoadBoth(text)) {
    ASSERT_EQ(m.services.size(), 1u);
    const KubeService& s = m.services[0];
    ASSERT_TRUE(s.export_to);
    EXPECT_EQ(s.export_to->value, "., frontend");
    EXPECT_EQ(Span(s.export_to->loc), "6:47-6:60");
    EXPECT_EQ(s.type.value, "ExternalName");
    EXPECT_EQ(s.external_name.value, "ledger.example.com");
    ASSERT_EQ(s.ports.size(), 1u);
    EXPECT_EQ(s.ports[0].port.value, 80);
    EXPECT_EQ(s.ports[0].app_protocol.value, "http");
    EXPECT_EQ(s.ports[0].target_port.value, "web");
  }
}

TEST(LoaderKinds, LabelSelectorsAndVersions) {
  LabelSelector sel;
  sel.match_labels.Set("app", "web", {});
  sel.expressions.push_back({"tier", "NotIn", {"db"}, {}});
  Labels pod;
  pod.Set("app", "web", {});
  EXPECT_TRUE(sel.Matches(pod));
  pod.Set("tier", "db", {});
  EXPECT_FALSE(sel.Matches(pod));
  EXPECT_TRUE(LabelSelector{}.Matches(pod));

  EXPECT_EQ(IstioVersion::Parse("1.30"), (IstioVersion{1, 30}));
  EXPECT_EQ(IstioVersion::Parse("1.31.0"), (IstioVersion{1, 31}));
  EXPECT_FALSE(IstioVersion::Parse("1"));
  EXPECT_FALSE(IstioVersion::Parse("1.x"));
  EXPECT_FALSE(IstioVersion::Parse("v1.30"));
  EXPECT_TRUE((IstioVersion{1, 31}).AtLeast(1, 31));
  EXPECT_FALSE((IstioVersion{1, 30}).AtLeast(1, 31));
  EXPECT_TRUE(IsModelledIstioVersion({1, 24}));
  EXPECT_FALSE(IsModelledIstioVersion({1, 23}));
  EXPECT_FALSE(IsModelledIstioVersion({1, 32}));
}

}  // namespace
}  // namespace meshlint
