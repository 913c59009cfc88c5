// Loader units on in-memory strings: what is modelled, and exactly where.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "loader/text.h"
#include "semantics/istio.h"
#include "test_util.h"

namespace meshlint {
namespace {

using testing::LoadFiles;
using testing::Problems;
using testing::TempDir;

// "line:col-endline:endcol", easy to compare and to read in a failure.
std::string Span(const Location& l) {
  return std::to_string(l.line) + ":" + std::to_string(l.column) + "-" +
         std::to_string(l.end_line) + ":" + std::to_string(l.end_column);
}

// ---------------------------------------------------------------- locations

TEST(LoaderLocations, ServiceEntryFields) {
  auto m = LoadFiles({{"se.yaml",
                       "apiVersion: networking.istio.io/v1\n"  // 1
                       "kind: ServiceEntry\n"                  // 2
                       "metadata:\n"                           // 3
                       "  name: debian-org\n"                  // 4
                       "  namespace: shop\n"                   // 5
                       "spec:\n"                               // 6
                       "  hosts:\n"                            // 7
                       "  - security.debian.org\n"             // 8
                       "  - \"deb.debian.org\"\n"              // 9
                       "  exportTo: [\".\", 'other']\n"        // 10
                       "  location: MESH_EXTERNAL\n"}});       // 11
  ASSERT_TRUE(m.problems.empty()) << ::testing::PrintToString(Problems(m));
  ASSERT_EQ(m.service_entries.size(), 1u);
  const ServiceEntry& se = m.service_entries[0];
  EXPECT_EQ(se.meta.ref.FullyQualifiedName(), "shop/ServiceEntry/debian-org");
  EXPECT_EQ(se.meta.api_version, "networking.istio.io/v1");
  EXPECT_FALSE(se.meta.ns_defaulted);
  EXPECT_EQ(Span(se.meta.loc), "2:7-2:19");
  EXPECT_EQ(Span(se.meta.name_loc), "4:9-4:19");
  EXPECT_EQ(Span(se.meta.ns_loc), "5:14-5:18");
  EXPECT_EQ(se.hosts_key.line, 7u);
  EXPECT_EQ(se.hosts_key.column, 3u);
  ASSERT_EQ(se.hosts.size(), 2u);
  EXPECT_EQ(se.hosts[0].value, "security.debian.org");
  EXPECT_EQ(Span(se.hosts[0].loc), "8:5-8:24");
  EXPECT_EQ(se.hosts[1].value, "deb.debian.org");
  EXPECT_EQ(Span(se.hosts[1].loc), "9:5-9:21");  // the quotes belong to the token
  EXPECT_TRUE(se.export_to_set);
  EXPECT_EQ(se.export_to_key.line, 10u);
  EXPECT_EQ(se.export_to_key.column, 3u);
  ASSERT_EQ(se.export_to.size(), 2u);
  EXPECT_EQ(se.export_to[0].value, ".");
  EXPECT_EQ(Span(se.export_to[0].loc), "10:14-10:17");
  EXPECT_EQ(se.export_to[1].value, "other");
  EXPECT_EQ(Span(se.export_to[1].loc), "10:19-10:26");
  EXPECT_EQ(se.location.value, "MESH_EXTERNAL");
  EXPECT_TRUE(se.IsExternal());
}

// The model keeps what it read and no more: lists read whole are reserved
// exactly (push_back would leave a fourth slot for three entries).
TEST(LoaderMemory, ListsAreKeptWithoutGrowthSlack) {
  auto m = LoadFiles({{"se.yaml",
                       "apiVersion: networking.istio.io/v1\n"
                       "kind: ServiceEntry\n"
                       "metadata: {name: ext, namespace: shop}\n"
                       "spec:\n"
                       "  hosts: [a.example.com, b.example.com, c.example.com]\n"
                       "  addresses: [10.0.0.1, 10.0.0.2, 10.0.0.3]\n"
                       "  exportTo:\n"
                       "  - .\n"
                       "  - other\n"
                       "  - third\n"
                       "  ports:\n"
                       "  - {number: 80, name: http, protocol: HTTP}\n"
                       "  - {number: 443, name: https, protocol: TLS}\n"
                       "  - {number: 8080, name: alt, protocol: HTTP}\n"
                       "  resolution: DNS\n"
                       "---\n"
                       "apiVersion: v1\n"
                       "kind: Service\n"
                       "metadata:\n"
                       "  name: web\n"
                       "  namespace: shop\n"
                       "spec:\n"
                       "  ports:\n"
                       "  - port: 80\n"
                       "  - port: 81\n"
                       "  - port: 82\n"}});
  ASSERT_TRUE(m.problems.empty()) << ::testing::PrintToString(Problems(m));
  ASSERT_EQ(m.service_entries.size(), 1u);
  const ServiceEntry& se = m.service_entries[0];
  EXPECT_EQ(se.hosts.size(), 3u);
  EXPECT_EQ(se.hosts.capacity(), 3u);
  EXPECT_EQ(se.addresses.size(), 3u);
  EXPECT_EQ(se.addresses.capacity(), 3u);
  EXPECT_EQ(se.export_to.size(), 3u);
  EXPECT_EQ(se.export_to.capacity(), 3u);
  EXPECT_EQ(se.ports.size(), 3u);
  EXPECT_EQ(se.ports.capacity(), 3u);
  EXPECT_EQ(se.ports[2].number.value, 8080);
  ASSERT_EQ(m.services.size(), 1u);
  EXPECT_EQ(m.services[0].ports.size(), 3u);
  EXPECT_EQ(m.services[0].ports.capacity(), 3u);
  EXPECT_EQ(m.services[0].ports[2].port.value, 82);
}

// Every object holds its apiVersion, and a repository writes a handful of
// them: the text is kept once, each object points at it (loaded on two
// threads, and across two loads).
TEST(LoaderMemory, ObjectsShareTheirApiVersion) {
  std::vector<std::pair<std::string, std::string>> files;
  for (int i = 0; i < 8; ++i)
    files.push_back({"se" + std::to_string(i) + ".yaml",
                     "apiVersion: networking.istio.io/v1beta1\nkind: ServiceEntry\n"
                     "metadata: {name: ext" +
                         std::to_string(i) +
                         ", namespace: shop}\nspec: {hosts: [a.example.com], exportTo: [.]}\n"
                         "---\napiVersion: networking.istio.io/v1\nkind: Sidecar\n"
                         "metadata: {name: default, namespace: ns" +
                         std::to_string(i) + "}\nspec: {egress: [{hosts: [./*]}]}\n"});
  LoadOptions two, one;
  two.jobs = 2;
  one.jobs = 1;
  auto a = LoadFiles(files, two);
  auto b = LoadFiles(files, one);
  ASSERT_TRUE(a.problems.empty()) << ::testing::PrintToString(Problems(a));
  ASSERT_EQ(a.service_entries.size(), 8u);
  ASSERT_EQ(b.sidecars.size(), 8u);
  const char* se_text = a.service_entries[0].meta.api_version.view().data();
  const char* sidecar_text = a.sidecars[0].meta.api_version.view().data();
  EXPECT_NE(se_text, sidecar_text);
  for (const auto* m : {&a, &b}) {
    for (const ServiceEntry& se : m->service_entries) {
      EXPECT_EQ(se.meta.api_version, "networking.istio.io/v1beta1");
      EXPECT_EQ(se.meta.api_version.view().data(), se_text);
    }
    for (const Sidecar& sc : m->sidecars) {
      EXPECT_EQ(sc.meta.api_version, "networking.istio.io/v1");
      EXPECT_EQ(sc.meta.api_version.view().data(), sidecar_text);
    }
  }
  EXPECT_EQ(sizeof(SharedText), sizeof(void*));
}

TEST(SharedText, OneCopyOfEachTextFromEveryThread) {
  const SharedText empty;
  EXPECT_TRUE(empty.empty());
  EXPECT_EQ(empty, SharedText(""));
  EXPECT_EQ(empty.view(), "");
  // Built from a temporary that is gone afterwards: the text is the pool's.
  const SharedText a(std::string("example.test/v") + "1");
  EXPECT_EQ(a, "example.test/v1");
  EXPECT_TRUE(a.starts_with("example.test/"));
  EXPECT_NE(a, SharedText("example.test/v2"));
  EXPECT_LT(a, SharedText("example.test/v2"));
  std::vector<const char*> seen(8, nullptr);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < seen.size(); ++t)
    threads.emplace_back([&seen, t] {
      for (int i = 0; i < 1000; ++i) {
        // Another text in between, so that each thread's memory of the last
        // one it was given does not answer every time.
        const SharedText other("example.test/t" + std::to_string(i % 7));
        EXPECT_EQ(other.view(), "example.test/t" + std::to_string(i % 7));
        seen[t] = SharedText(std::string_view("example.test/v1")).view().data();
      }
    });
  for (auto& t : threads) t.join();
  for (const char* p : seen) EXPECT_EQ(p, a.view().data());
}

TEST(LoaderLocations, ServiceEntryWithoutExportToOrHosts) {
  auto m = LoadFiles({{"se.yaml",
                       "apiVersion: networking.istio.io/v1beta1\n"
                       "kind: ServiceEntry\n"
                       "metadata:\n"
                       "  name: bare\n"
                       "spec:\n"
                       "  location: MESH_INTERNAL\n"}});
  // No host: Istio's validation sets it aside, read as written.
  ASSERT_EQ(m.rejected.service_entries.size(), 1u);
  const ServiceEntry& se = m.rejected.service_entries[0];
  EXPECT_FALSE(se.export_to_set);
  EXPECT_TRUE(se.hosts.empty());
  EXPECT_EQ(Span(se.hosts_key), Span(se.meta.name_loc));  // nothing better to point at
  EXPECT_FALSE(se.IsExternal());
  EXPECT_TRUE(se.meta.ns_defaulted);
  EXPECT_EQ(se.meta.ref.ns, "default");
}

TEST(LoaderLocations, SidecarFields) {
  auto m = LoadFiles({{"sc.yaml",
                       "apiVersion: networking.istio.io/v1alpha3\n"  // 1
                       "kind: Sidecar\n"                             // 2
                       "metadata:\n"                                 // 3
                       "  name: default\n"                           // 4
                       "  namespace: newguy\n"                       // 5
                       "spec:\n"                                     // 6
                       "  workloadSelector:\n"                       // 7
                       "    labels: {app: debian}\n"                 // 8
                       "  egress:\n"                                 // 9
                       "  - hosts:\n"                                // 10
                       "    - \"./*\"\n"                             // 11
                       "  - port: {number: 80}\n"                    // 12
                       "    hosts: [istio-system/*]\n"               // 13
                       "  outboundTrafficPolicy:\n"                  // 14
                       "    mode: ALLOW_ANY\n"}});                   // 15
  ASSERT_TRUE(m.problems.empty()) << ::testing::PrintToString(Problems(m));
  // The listener without a port is not last: Istio's validation sets the
  // Sidecar aside, read as written.
  ASSERT_EQ(m.rejected.sidecars.size(), 1u);
  const Sidecar& sc = m.rejected.sidecars[0];
  EXPECT_TRUE(sc.has_selector);
  EXPECT_EQ(sc.selector_loc.line, 7u);
  EXPECT_TRUE(sc.egress_set);
  EXPECT_EQ(sc.egress_key.line, 9u);
  ASSERT_EQ(sc.egress_hosts.size(), 2u);
  EXPECT_EQ(sc.egress_hosts[0].value, "./*");
  EXPECT_EQ(Span(sc.egress_hosts[0].loc), "11:7-11:12");
  EXPECT_EQ(sc.egress_hosts[1].value, "istio-system/*");
  EXPECT_EQ(Span(sc.egress_hosts[1].loc), "13:13-13:27");
  EXPECT_TRUE(sc.outbound_set);
  EXPECT_EQ(sc.outbound_key.line, 14u);
  EXPECT_EQ(sc.outbound_mode, OutboundMode::kAllowAny);
  EXPECT_EQ(Span(sc.outbound_mode_loc), "15:11-15:20");
}

// A rendered kustomization's comments (loader/text.h): a node paired with
// the Nth patch file ("@N", the file after the Nth tab) is at its line there;
// one paired with the source is in the source; the rest is the object's
// line; an index naming no file drops its entry.
TEST(LoaderLocations, RenderedNodesPointIntoTheirPatchFile) {
  MeshModel m;
  LoadText(
      "---\n"
      "# Source: base/sidecar.yaml\n"
      "# meshlint-object-line: 3\n"
      "# meshlint-source-nodes: 4.6=4.6 10.4=8.4@1 10.10=8.10@1 9.2=7.2@2"
      "\toverlays/prod/allow-any.yaml\n"
      "apiVersion: networking.istio.io/v1\n"  // rendered line 3
      "kind: Sidecar\n"                       // 4
      "metadata:\n"                           // 5
      "  name: default\n"                     // 6
      "  namespace: shop\n"                   // 7
      "spec:\n"                               // 8
      "  outboundTrafficPolicy:\n"            // 9
      "    mode: ALLOW_ANY\n",                // 10
      "<stdin>", LoadOptions{}, m);
  ASSERT_EQ(m.sidecars.size(), 1u) << ::testing::PrintToString(Problems(m));
  const Sidecar& sc = m.sidecars[0];
  EXPECT_EQ(m.files.display(sc.meta.loc.file), "base/sidecar.yaml");
  EXPECT_EQ(Span(sc.meta.loc), "4:7-4:14");
  EXPECT_EQ(m.files.display(sc.outbound_mode_loc.file), "overlays/prod/allow-any.yaml");
  EXPECT_EQ(Span(sc.outbound_mode_loc), "8:11-8:20");
  // `outboundTrafficPolicy:` is paired with no file the comment names.
  EXPECT_EQ(m.files.display(sc.outbound_key.file), "base/sidecar.yaml");
  EXPECT_EQ(sc.outbound_key.line, 3u);
}

TEST(LoaderLocations, SidecarPolicyWithoutModeIsRegistryOnly) {
  // The enum's zero value: an empty policy is REGISTRY_ONLY, not "inherit".
  auto m = LoadFiles({{"sc.yaml",
                       "apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata:\n"
                       "  name: default\n  namespace: a\nspec:\n  outboundTrafficPolicy: {}\n"}});
  ASSERT_EQ(m.sidecars.size(), 1u);
  EXPECT_TRUE(m.sidecars[0].outbound_set);
  EXPECT_EQ(m.sidecars[0].outbound_mode, OutboundMode::kRegistryOnly);
  EXPECT_FALSE(m.sidecars[0].outbound_mode_loc.valid());
  EXPECT_FALSE(m.sidecars[0].has_selector);
}

TEST(LoaderLocations, IstioOperatorMeshConfig) {
  auto m = LoadFiles({{"iop.yaml",
                       "apiVersion: install.istio.io/v1alpha1\n"   // 1
                       "kind: IstioOperator\n"                     // 2
                       "metadata:\n"                               // 3
                       "  name: control-plane\n"                   // 4
                       "  namespace: istio-system\n"               // 5
                       "spec:\n"                                   // 6
                       "  meshConfig:\n"                           // 7
                       "    rootNamespace: istio-config\n"         // 8
                       "    defaultServiceExportTo: [\".\"]\n"     // 9
                       "    outboundTrafficPolicy:\n"              // 10
                       "      mode: REGISTRY_ONLY # locked\n"}});  // 11
  ASSERT_TRUE(m.problems.empty()) << ::testing::PrintToString(Problems(m));
  ASSERT_EQ(m.mesh_sources.size(), 1u);
  const MeshConfigSource& s = m.mesh_sources[0];
  EXPECT_EQ(s.origin, MeshConfigSource::Origin::kIstioOperator);
  EXPECT_EQ(s.description, "IstioOperator istio-system/control-plane");
  EXPECT_EQ(s.object.FullyQualifiedName(), "istio-system/IstioOperator/control-plane");
  EXPECT_EQ(Span(s.loc), "7:3-7:13");  // the meshConfig key
  ASSERT_TRUE(s.root_namespace);
  EXPECT_EQ(s.root_namespace->value, "istio-config");
  EXPECT_EQ(Span(s.root_namespace->loc), "8:20-8:32");
  ASSERT_TRUE(s.default_service_export_to);
  ASSERT_EQ(s.default_service_export_to->size(), 1u);
  EXPECT_EQ(Span((*s.default_service_export_to)[0].loc), "9:30-9:33");
  EXPECT_EQ(s.default_service_export_to_key.line, 9u);
  EXPECT_EQ(s.outbound_key.line, 10u);
  ASSERT_TRUE(s.outbound_mode);
  EXPECT_EQ(s.outbound_mode->value, OutboundMode::kRegistryOnly);
  EXPECT_EQ(Span(s.outbound_mode->loc), "11:13-11:26");  // not the comment
  EXPECT_EQ(m.mesh.root_namespace, "istio-config");
  EXPECT_EQ(m.mesh.outbound_mode, OutboundMode::kRegistryOnly);
}

TEST(LoaderLocations, ConfigMapMeshLinesMapIntoTheFile) {
  auto m = LoadFiles({{"cm.yaml",
                       "apiVersion: v1\n"                      // 1
                       "kind: ConfigMap\n"                     // 2
                       "metadata:\n"                           // 3
                       "  name: istio\n"                       // 4
                       "  namespace: istio-system\n"           // 5
                       "data:\n"                               // 6
                       "  mesh: |-\n"                          // 7
                       "    accessLogFile: /dev/stdout\n"      // 8
                       "\n"                                    // 9
                       "    defaultServiceExportTo:\n"         // 10
                       "      - \".\"\n"                       // 11
                       "    outboundTrafficPolicy:\n"          // 12
                       "      mode: ALLOW_ANY\n"               // 13
                       "  meshNetworks: 'networks: {}'\n"}});  // 14
  ASSERT_TRUE(m.problems.empty()) << ::testing::PrintToString(Problems(m));
  ASSERT_EQ(m.mesh_sources.size(), 1u);
  const MeshConfigSource& s = m.mesh_sources[0];
  EXPECT_EQ(s.origin, MeshConfigSource::Origin::kConfigMap);
  EXPECT_EQ(s.description, "ConfigMap istio-system/istio");
  EXPECT_EQ(s.loc.line, 7u);
  ASSERT_TRUE(s.outbound_mode);
  EXPECT_EQ(s.outbound_mode->value, OutboundMode::kAllowAny);
  EXPECT_EQ(Span(s.outbound_mode->loc), "13:13-13:22");
  EXPECT_EQ(Span(s.outbound_key), "12:5-12:26");
  ASSERT_TRUE(s.default_service_export_to);
  EXPECT_EQ(Span((*s.default_service_export_to)[0].loc), "11:9-11:12");
}

TEST(LoaderLocations, ConfigMapMeshWithIndentationIndicator) {
  auto m = LoadFiles({{"cm.yaml",
                       "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: istio-1-24\n"
                       "  namespace: istio-system\n"     // 5
                       "data:\n"                         // 6
                       "  mesh: |2\n"                    // 7
                       "      outboundTrafficPolicy:\n"  // 8: 4 spaces of content indent + 2
                       "        mode: ALLOW_ANY\n"}});   // 9
  ASSERT_TRUE(m.problems.empty()) << ::testing::PrintToString(Problems(m));
  ASSERT_EQ(m.mesh_sources.size(), 1u);
  ASSERT_TRUE(m.mesh_sources[0].outbound_mode);
  EXPECT_EQ(Span(m.mesh_sources[0].outbound_mode->loc), "9:15-9:24");
}

TEST(LoaderLocations, ConfigMapMeshInOtherStylesPointsAtTheValue) {
  // A quoted string cannot be mapped line by line: everything points at it.
  auto m = LoadFiles({{"cm.yaml",
                       "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: istio\n"
                       "  namespace: istio-system\ndata:\n"
                       "  mesh: \"outboundTrafficPolicy: {mode: ALLOW_ANY}\"\n"}});  // 7
  ASSERT_EQ(m.mesh_sources.size(), 1u);
  ASSERT_TRUE(m.mesh_sources[0].outbound_mode);
  EXPECT_EQ(m.mesh_sources[0].outbound_mode->value, OutboundMode::kAllowAny);
  EXPECT_EQ(Span(m.mesh_sources[0].outbound_mode->loc), "7:9-7:51");
}

TEST(LoaderLocations, OtherConfigMapsAreNotMeshConfig) {
  auto m = LoadFiles({{"cm.yaml",
                       "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n"
                       "data:\n  mesh: |\n    outboundTrafficPolicy: {mode: ALLOW_ANY}\n"}});
  EXPECT_TRUE(m.mesh_sources.empty());
  EXPECT_EQ(m.others.size(), 1u);
}

// ------------------------------------------------------------ documents

TEST(LoaderDocuments, MultiDocumentWithMarkersAndComments) {
  auto m = LoadFiles({{"all.yaml",
                       "# leading comment\n"    // 1
                       "\n"                     // 2
                       "---\n"                  // 3
                       "apiVersion: v1\n"       // 4
                       "kind: Namespace\n"      // 5
                       "metadata: {name: a}\n"  // 6
                       "...\n"                  // 7
                       "---\n"                  // 8
                       "# only a comment\n"     // 9
                       "---\n"                  // 10
                       "apiVersion: v1\n"       // 11
                       "kind: Namespace\n"      // 12
                       "metadata:\n"            // 13
                       "  name: b\n"            // 14
                       "--- # trailing\n"}});   // 15
  ASSERT_TRUE(m.problems.empty()) << ::testing::PrintToString(Problems(m));
  ASSERT_EQ(m.namespaces.size(), 2u);
  EXPECT_EQ(m.namespaces[0].meta.ref.name, "a");
  EXPECT_EQ(m.namespaces[0].meta.name_loc.line, 6u);
  EXPECT_EQ(m.namespaces[1].meta.ref.name, "b");
  EXPECT_EQ(Span(m.namespaces[1].meta.name_loc), "14:9-14:10");
  EXPECT_EQ(m.stats.objects, 2u);
  EXPECT_EQ(m.stats.files, 1u);
  EXPECT_EQ(m.stats.documents, 4u);  // a, the comment-only one, b, the trailing empty one
  EXPECT_EQ(m.stats.empty_documents, 2u);
}

TEST(LoaderDocuments, CrlfLineEnds) {
  auto m =
      LoadFiles({{"crlf.yaml",
                  "apiVersion: networking.istio.io/v1\r\nkind: ServiceEntry\r\nmetadata:\r\n"
                  "  name: win\r\n  namespace: shop\r\nspec:\r\n  hosts:\r\n  - a.example.com\r\n"
                  "  exportTo: ['*']\r\n"}});
  ASSERT_TRUE(m.problems.empty()) << ::testing::PrintToString(Problems(m));
  ASSERT_EQ(m.service_entries.size(), 1u);
  EXPECT_EQ(m.service_entries[0].meta.ref.name, "win");
  EXPECT_EQ(Span(m.service_entries[0].meta.ns_loc), "5:14-5:18");
  EXPECT_EQ(Span(m.service_entries[0].hosts[0].loc), "8:5-8:18");
  EXPECT_EQ(Span(m.service_entries[0].export_to[0].loc), "9:14-9:17");
}

TEST(LoaderDocuments, ByteOrderMark) {
  auto m = LoadFiles({{"bom.yaml",
                       "\xEF\xBB\xBF"
                       "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: bom\n"}});
  ASSERT_TRUE(m.problems.empty()) << ::testing::PrintToString(Problems(m));
  ASSERT_EQ(m.namespaces.size(), 1u);
  EXPECT_EQ(Span(m.namespaces[0].meta.name_loc), "4:9-4:12");
}

TEST(LoaderDocuments, Json) {
  auto m = LoadFiles({{"se.json",
                       "{\n"
                       "  \"apiVersion\": \"networking.istio.io/v1\",\n"
                       "  \"kind\": \"ServiceEntry\",\n"
                       "  \"metadata\": {\"name\": \"j\", \"namespace\": \"web\"},\n"
                       "  \"spec\": {\"hosts\": [\"httpbin.org\"], \"exportTo\": [\"*\"]}\n"
                       "}\n"}});
  ASSERT_TRUE(m.problems.empty()) << ::testing::PrintToString(Problems(m));
  ASSERT_EQ(m.service_entries.size(), 1u);
  const ServiceEntry& se = m.service_entries[0];
  EXPECT_EQ(se.meta.ref.FullyQualifiedName(), "web/ServiceEntry/j");
  EXPECT_EQ(Span(se.hosts[0].loc), "5:22-5:35");
  EXPECT_EQ(Span(se.export_to[0].loc), "5:51-5:54");
}

TEST(LoaderDocuments, JsonWithDashesIsOneDocument) {
  // "---" inside JSON is data, never a document marker.
  auto m = LoadFiles(
      {{"x.json",
        "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"c\"},\n"
        "\"data\": {\"k\": \"\n---\n\"}}\n"}});
  EXPECT_EQ(m.stats.documents, 1u);
}

TEST(LoaderDocuments, KindList) {
  auto m = LoadFiles({{"list.yaml",
                       "apiVersion: v1\n"
                       "kind: List\n"
                       "items:\n"
                       "- apiVersion: v1\n"                      // 4
                       "  kind: Namespace\n"                     // 5
                       "  metadata: {name: shop}\n"              // 6
                       "- apiVersion: networking.istio.io/v1\n"  // 7
                       "  kind: ServiceEntry\n"
                       "  metadata: {name: api, namespace: shop}\n"
                       "  spec:\n"
                       "    hosts: [api.example.com]\n"  // 11
                       "- 42\n"}});                      // 12
  ASSERT_EQ(m.namespaces.size(), 1u);
  EXPECT_EQ(m.namespaces[0].meta.name_loc.line, 6u);
  ASSERT_EQ(m.service_entries.size(), 1u);
  EXPECT_EQ(Span(m.service_entries[0].hosts[0].loc), "11:13-11:28");
  EXPECT_EQ(m.stats.objects, 2u);
  EXPECT_EQ(Problems(m),
            (std::vector<std::string>{"list.yaml:12:3 items[2] must be a mapping (an object)"}));
}

TEST(LoaderDocuments, NonKubernetesDocumentsAreSkippedAndCounted) {
  auto m = LoadFiles(
      {{"values.yaml",
        "replicaCount: 2\n---\nmeshConfig:\n  outboundTrafficPolicy: {mode: ALLOW_ANY}\n"},
       {"kustomization.yaml",
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: []\n"}});
  EXPECT_TRUE(m.problems.empty());
  EXPECT_EQ(m.stats.skipped_non_kubernetes, 3u);
  EXPECT_EQ(m.stats.objects, 0u);
  // Helm values among the manifests are not mesh config: only --mesh-config reads them.
  EXPECT_TRUE(m.mesh_sources.empty());
}

TEST(LoaderDocuments, DefaultNamespaceOption) {
  LoadOptions options;
  options.default_namespace = "team-a";
  auto m = LoadFiles(
      {{"a.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n---\n"
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  namespace: b\n"}},
      options);
  ASSERT_EQ(m.workloads.size(), 2u);
  EXPECT_EQ(m.workloads[0].meta.ref.ns, "team-a");
  EXPECT_TRUE(m.workloads[0].meta.ns_defaulted);
  EXPECT_EQ(m.workloads[1].meta.ref.ns, "b");
  EXPECT_FALSE(m.workloads[1].meta.ns_defaulted);
  ASSERT_NE(m.FindNamespace("team-a"), nullptr);
  EXPECT_EQ(m.FindNamespace("default"), nullptr);
}

TEST(LoaderDocuments, ClusterScopedKindsHaveNoNamespace) {
  auto m =
      LoadFiles({{"c.yaml",
                  "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n"
                  "  name: r\n  namespace: stray\n---\n"
                  "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
                  "metadata: {name: x.example.com}\n---\n"
                  "apiVersion: admissionregistration.k8s.io/v1\n"
                  "kind: MutatingWebhookConfiguration\nmetadata: {name: inj}\n---\n"
                  "apiVersion: v1\nkind: Namespace\nmetadata: {name: ns1, namespace: other}\n"}});
  ASSERT_EQ(m.others.size(), 3u);
  for (const ObjectMeta& o : m.others) EXPECT_EQ(o.ref.ns, "") << o.ref.kind;
  EXPECT_EQ(m.others[0].ref.FullyQualifiedName(), "ClusterRole/r");
  ASSERT_EQ(m.namespaces.size(), 1u);
  EXPECT_EQ(m.namespaces[0].meta.ref.FullyQualifiedName(), "Namespace/ns1");
  // Only the Namespace itself is known; no object made "stray" or "other" exist.
  ASSERT_EQ(m.namespace_index().size(), 1u);
  EXPECT_EQ(m.namespace_index()[0].name, "ns1");
}

TEST(LoaderDocuments, NamespaceLabelsKeepOnlyStringPairs) {
  // A label whose key or value is a list or mapping is no label: Kubernetes
  // rejects it, and it must not turn into an empty-string label here. An
  // empty value is the empty string, as the API server reads it.
  const std::string text =
      "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n  labels:\n"
      "    istio-injection: enabled\n    nested: {a: b}\n    listed: [x]\n"
      "    ? [complex]\n    : key\n    istio.io/rev:\n";
  for (bool full_parse : {false, true}) {
    LoadOptions options;
    options.full_parse = full_parse;
    auto m = LoadFiles({{"ns.yaml", text}}, options);
    ASSERT_EQ(m.namespaces.size(), 1u);
    EXPECT_EQ(m.namespaces[0].labels, (std::map<std::string, std::string>{
                                          {"istio-injection", "enabled"}, {"istio.io/rev", ""}}))
        << "full_parse " << full_parse;
  }
}

TEST(LoaderDocuments, DuplicateKeyMakesTheObjectUnusable) {
  auto m = LoadFiles(
      {{"d.yaml",
        "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n"
        "  name: twice\nspec:\n  hosts: [a]\n  exportTo: [\".\"]\n  exportTo: [\"*\"]\n"}});
  EXPECT_TRUE(m.service_entries.empty());
  EXPECT_EQ(Problems(m),
            (std::vector<std::string>{
                "d.yaml:8:3 duplicate key 'exportTo' (first at line 7); Kubernetes rejects this"}));
}

TEST(LoaderDocuments, WrongTypesAreReportedAndTheObjectDropped) {
  auto m = LoadFiles({{"w.yaml",
                       "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n"
                       "  name: s\nspec:\n  hosts: [a]\n  exportTo: \".\"\n"  // 7
                       "---\n"
                       "apiVersion: v1\nkind: Namespace\nmetadata: ns\n"}});  // 11
  EXPECT_TRUE(m.service_entries.empty());
  EXPECT_TRUE(m.namespaces.empty());
  EXPECT_EQ(Problems(m),
            (std::vector<std::string>{
                "w.yaml:7:13 spec.exportTo must be a list, not a scalar (write exportTo: [\".\"])",
                "w.yaml:11:11 metadata must be a mapping, not a scalar"}));
  ASSERT_EQ(m.problems.size(), 2u);
  EXPECT_EQ(m.problems[0].object.FullyQualifiedName(), "default/ServiceEntry/s");
  EXPECT_EQ(m.problems[0].field, "spec.exportTo");
}

TEST(LoaderDocuments, SyntaxErrorLosesOnlyItsDocument) {
  auto m = LoadFiles({{"s.yaml",
                       "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\n"
                       "apiVersion: v1\nkind: Namespace\nmetadata: {name: [b}\n---\n"  // 5-7
                       "apiVersion: v1\nkind: Namespace\nmetadata: {name: c}\n"}});
  ASSERT_EQ(m.namespaces.size(), 2u);
  EXPECT_EQ(m.namespaces[0].meta.ref.name, "a");
  EXPECT_EQ(m.namespaces[1].meta.ref.name, "c");
  ASSERT_EQ(m.problems.size(), 1u);
  EXPECT_EQ(m.problems[0].loc.line, 7u);
  EXPECT_TRUE(m.problems[0].message.starts_with("YAML syntax error")) << m.problems[0].message;
}

TEST(LoaderDocuments, BinaryAndNonUtf8Input) {
  auto m = LoadFiles(
      {{"b.yaml", std::string("kind: x\n\x01\x00zz", 11)}, {"l.yaml", "a: ok\nb: M\xFCnchen\n"}});
  EXPECT_EQ(Problems(m),
            (std::vector<std::string>{
                "b.yaml:2:2 binary file (NUL byte): not a YAML or JSON manifest",
                "l.yaml:2:5 invalid UTF-8: YAML and JSON manifests must be UTF-8 text"}));
}

TEST(LoaderDocuments, HelmChartFileIsSkipped) {
  // Chart.yaml has apiVersion but no kind: Helm's metadata, not a broken object.
  auto m = LoadFiles({{"Chart.yaml", "apiVersion: v2\nname: tags\nversion: 1.1.0\n"},
                      {"half.yaml", "apiVersion: v1\nmetadata: {name: x}\n"}});
  EXPECT_EQ(m.stats.skipped_non_kubernetes, 1u);
  EXPECT_EQ(Problems(m),
            (std::vector<std::string>{"half.yaml:1:1 object has 'apiVersion' but no 'kind'"}));
}

TEST(LoaderDocuments, IstioOperatorWithoutMetadataIsAnInstallInput) {
  // `istioctl install -f` takes these; their mesh config counts.
  auto m = LoadFiles({{"iop.yaml",
                       "apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nspec:\n"
                       "  meshConfig:\n    outboundTrafficPolicy: {mode: REGISTRY_ONLY}\n"},
                      {"iop2.yaml",
                       "apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\n"
                       "metadata: {namespace: istio-system}\nspec: {profile: default}\n"}});
  EXPECT_TRUE(m.problems.empty()) << ::testing::PrintToString(Problems(m));
  ASSERT_EQ(m.mesh_sources.size(), 1u);
  EXPECT_EQ(m.mesh_sources[0].description, "IstioOperator istio-system/installed-state");
  EXPECT_EQ(m.mesh.outbound_mode, OutboundMode::kRegistryOnly);
  ASSERT_EQ(m.others.size(), 2u);
  // Install inputs belong to the Istio namespace, not to "default".
  EXPECT_EQ(m.others[0].ref.FullyQualifiedName(), "istio-system/IstioOperator/installed-state");
  EXPECT_EQ(m.FindNamespace("default"), nullptr);
  // Other kinds still need a name.
  auto bad = LoadFiles({{"d.yaml", "apiVersion: apps/v1\nkind: Deployment\nspec: {}\n"}});
  EXPECT_EQ(Problems(bad),
            (std::vector<std::string>{
                "d.yaml:2:7 Deployment has no metadata (metadata.name is required)"}));
}

TEST(LoaderDocuments, TemplateThatParsesIsReportedAsTemplate) {
  // `{{ .Release.Name }}` is a valid YAML flow mapping: the parse succeeds and
  // only the field's type is wrong. The message must still say "template".
  auto m = LoadFiles({{"t.yaml",
                       "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n"
                       "  name: {{ .Release.Name }}\nspec:\n  hosts: [a]\n"}});
  ASSERT_EQ(m.problems.size(), 1u);
  EXPECT_EQ(Span(m.problems[0].loc).substr(0, 4), "4:9-");
  EXPECT_EQ(m.problems[0].message,
            "Helm/Go template syntax ('{{') found: render it first (helm template ... | meshlint "
            "lint -) (metadata.name must be a string, not a mapping)");
}

TEST(LoaderDocuments, UnclosedFlowPointsAtTheDocumentsLastLine) {
  // yaml-cpp reports these at the end of input: the next document's `---`,
  // or a line past the end of the file.
  auto m = LoadFiles(
      {{"u.yaml",
        "apiVersion: v1\nkind: Namespace\nmetadata:\n"
        "  name: [a\n"  // 4
        "\n# trailing comment\n"
        "---\n"
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: ok}\n"},
       {"cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: istio, namespace: istio-system}\n"
        "data:\n  mesh: |\n    outboundTrafficPolicy:\n"
        "      mode: [REGISTRY_ONLY\n"}});  // 7
  EXPECT_EQ(m.namespaces.size(), 1u);
  ASSERT_EQ(m.problems.size(), 2u);
  EXPECT_EQ(Span(m.problems[0].loc), "4:10-4:11");  // the "a" that is never closed
  EXPECT_EQ(m.problems[0].message, "YAML syntax error: end of sequence flow not found");
  EXPECT_EQ(Span(m.problems[1].loc), "7:26-7:27");
  EXPECT_EQ(m.problems[1].message,
            "YAML syntax error in data.mesh: end of sequence flow not found");
}

// ------------------------------------------------------------ text helpers

std::vector<std::pair<std::string, std::uint32_t>> Chunks(std::string_view text,
                                                          bool json = false) {
  std::vector<std::pair<std::string, std::uint32_t>> out;
  for (const DocumentChunk& c : SplitDocuments(text, json))
    out.emplace_back(std::string(c.text), c.first_line);
  return out;
}

TEST(TextSplitDocuments, Markers) {
  using V = std::vector<std::pair<std::string, std::uint32_t>>;
  EXPECT_EQ(Chunks(""), V{});
  EXPECT_EQ(Chunks("# just a comment\n\n"), V{});
  EXPECT_EQ(Chunks("a: 1\n"), (V{{"a: 1\n", 1}}));
  EXPECT_EQ(Chunks("# c\n---\na: 1\n---\nb: 2\n"), (V{{"---\na: 1\n", 2}, {"---\nb: 2\n", 4}}));
  EXPECT_EQ(Chunks("a: 1\n...\nb: 2\n"), (V{{"a: 1\n", 1}, {"b: 2\n", 3}}));
  // Markers only count in column 0 and followed by a blank or the line end.
  EXPECT_EQ(Chunks("a: |\n  ---\n---x: 1\n"), (V{{"a: |\n  ---\n---x: 1\n", 1}}));
  EXPECT_EQ(Chunks("a: 1\r\n---\r\nb: 2\r\n"), (V{{"a: 1\r\n", 1}, {"---\r\nb: 2\r\n", 2}}));
  // An explicit empty document is still a document.
  EXPECT_EQ(Chunks("---\n---\na: 1\n"), (V{{"---\n", 1}, {"---\na: 1\n", 2}}));
  EXPECT_EQ(Chunks("{\"a\": 1}\n---\n", true), (V{{"{\"a\": 1}\n---\n", 1}}));
}

TEST(TextFindBinary, Positions) {
  EXPECT_FALSE(FindBinary("plain: text\nünïcödé: ✓ 🚀\n"));
  auto nul = FindBinary(std::string_view("ab\ncd\0", 6));
  ASSERT_TRUE(nul);
  EXPECT_EQ(nul->line, 2u);
  EXPECT_EQ(nul->column, 3u);
  auto latin1 = FindBinary("x: caf\xE9\n");
  ASSERT_TRUE(latin1);
  EXPECT_EQ(latin1->line, 1u);
  EXPECT_EQ(latin1->column, 7u);
  EXPECT_TRUE(FindBinary("\xC0\x80"));          // overlong
  EXPECT_TRUE(FindBinary("\xED\xA0\x80"));      // surrogate
  EXPECT_TRUE(FindBinary("\xF4\x90\x80\x80"));  // beyond U+10FFFF
  EXPECT_TRUE(FindBinary("\xE2\x82"));          // truncated
}

TEST(TextScalarWidth, Styles) {
  EXPECT_EQ(ScalarWidth("  - deb.debian.org", 4, "deb.debian.org"), 14u);
  EXPECT_EQ(ScalarWidth("  - \"deb.debian.org\" # c", 4, "deb.debian.org"), 16u);
  EXPECT_EQ(ScalarWidth("  - 'it''s'", 4, "it's"), 7u);
  EXPECT_EQ(ScalarWidth("  - \"a\\\"b\"", 4, "a\"b"), 6u);
  EXPECT_EQ(ScalarWidth("  mesh: |-", 8, "whatever\n"), 1u);
  EXPECT_EQ(ScalarWidth("  mode: ALLOW_ANY\r", 8, "ALLOW_ANY"), 9u);
  EXPECT_EQ(ScalarWidth("  x: a  b   # c", 5, "a b"), 4u);  // plain scalar, folded spaces
  EXPECT_EQ(ScalarWidth("  x: \"unterminated", 5, ""), 13u);
  EXPECT_EQ(ScalarWidth("short", 10, "v"), 1u);
}

TEST(TextEmbeddedSpan, LiteralBlockKeepsLines) {
  const std::string text = "data:\n  mesh: |\n    a: 1\n    b: 2\n";
  TextSpan outer;
  outer.file = 3;
  outer.text = text;
  outer.first_line = 10;
  TextSpan inner = EmbeddedSpan(outer, 1, 8, "a: 1\nb: 2\n", Location{3, 11, 9, 11, 10});
  EXPECT_FALSE(inner.collapse_to.valid());
  EXPECT_EQ(inner.first_line, 12u);
  EXPECT_EQ(inner.column_offset, 4u);
  EXPECT_EQ(inner.file, 3u);
}

TEST(TextEmbeddedSpan, OtherStylesCollapse) {
  const std::string text = "data:\n  mesh: \"a: 1\"\n";
  TextSpan outer;
  outer.text = text;
  Location fallback{0, 2, 9, 2, 15};
  TextSpan inner = EmbeddedSpan(outer, 1, 8, "a: 1", fallback);
  EXPECT_EQ(inner.collapse_to, fallback);
  // A folded block cannot be mapped line for line either.
  const std::string folded = "data:\n  mesh: >\n    a: 1\n";
  outer.text = folded;
  outer.starts_.clear();
  EXPECT_TRUE(EmbeddedSpan(outer, 1, 8, "a: 1\n", fallback).collapse_to.valid());
}

TEST(TextEmbeddedSpan, ExplicitIndentationIndicator) {
  const std::string text = "data:\n  mesh: |2\n      a: 1\n";
  TextSpan outer;
  outer.text = text;
  TextSpan inner = EmbeddedSpan(outer, 1, 8, "  a: 1\n", Location{0, 2, 9, 2, 10});
  EXPECT_FALSE(inner.collapse_to.valid());
  EXPECT_EQ(inner.first_line, 3u);
  EXPECT_EQ(inner.column_offset, 4u);  // parent indentation 2 + indicator 2
}

// ------------------------------------------------------------ --mesh-config

TEST(LoaderMeshConfigFile, HelmValues) {
  // Regression: assigning a YAML::Node while iterating its parent crashed here.
  TempDir dir;
  const std::string values = dir.Write("values.yaml",
                                       "global:\n  hub: docker.io/istio\n"
                                       "meshConfig:\n"  // 3
                                       "  outboundTrafficPolicy:\n"
                                       "    mode: REGISTRY_ONLY\n"  // 5
                                       "  defaultServiceExportTo: [\".\"]\n");
  const std::string se = dir.Write("se.yaml",
                                   "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\n"
                                   "metadata: {name: s}\nspec: {hosts: [a.example.com]}\n");
  LoadOptions options;
  options.mesh_config_file = values;
  options.base_dir = dir.path().string();
  MeshModel m;
  EXPECT_TRUE(LoadInputs({se}, options, m).empty());
  ASSERT_EQ(m.mesh_sources.size(), 1u);
  const MeshConfigSource& s = m.mesh_sources[0];
  EXPECT_EQ(s.origin, MeshConfigSource::Origin::kCommandLine);
  EXPECT_EQ(s.description, "--mesh-config (Helm values meshConfig)");
  EXPECT_EQ(s.loc.line, 3u);
  ASSERT_TRUE(s.outbound_mode);
  EXPECT_EQ(m.files.display(s.outbound_mode->loc.file), "values.yaml");
  EXPECT_EQ(Span(s.outbound_mode->loc), "5:11-5:24");
  EXPECT_EQ(m.mesh.outbound_mode, OutboundMode::kRegistryOnly);
  EXPECT_EQ(m.mesh.default_service_export_to, std::vector<std::string>{"."});
  EXPECT_FALSE(istio::IsExportedToAll(m, m.service_entries.at(0)));
}

TEST(LoaderMeshConfigFile, BareMeshConfigAndIstioOperator) {
  TempDir dir;
  LoadOptions options;
  options.base_dir = dir.path().string();
  {
    options.mesh_config_file =
        dir.Write("mesh.yaml", "outboundTrafficPolicy:\n  mode: ALLOW_ANY\n");
    MeshModel m;
    EXPECT_TRUE(LoadInputs({options.mesh_config_file}, options, m).empty());
    ASSERT_EQ(m.mesh_sources.size(), 1u);  // not also a manifest: it is no Kubernetes object
    EXPECT_EQ(m.mesh_sources[0].description, "--mesh-config (MeshConfig)");
    EXPECT_EQ(m.mesh_sources[0].object.FullyQualifiedName(), "MeshConfig/mesh-config");
    EXPECT_EQ(Span(m.mesh_sources[0].outbound_mode->loc), "2:9-2:18");
  }
  {
    options.mesh_config_file =
        dir.Write("iop.yaml",
                  "apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\n"
                  "metadata: {name: cp, namespace: istio-system}\n"
                  "spec:\n  meshConfig:\n    outboundTrafficPolicy: {mode: REGISTRY_ONLY}\n");
    MeshModel m;
    const std::string other =
        dir.Write("ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n");
    EXPECT_TRUE(LoadInputs({other}, options, m).empty());
    ASSERT_EQ(m.mesh_sources.size(), 1u);
    EXPECT_EQ(m.mesh_sources[0].origin, MeshConfigSource::Origin::kCommandLine);
    EXPECT_EQ(m.mesh_sources[0].description, "--mesh-config IstioOperator istio-system/cp");
    // Objects in the mesh config file are settings, not part of the linted mesh.
    EXPECT_TRUE(m.others.empty());
    EXPECT_EQ(m.mesh.outbound_mode, OutboundMode::kRegistryOnly);
  }
  {
    options.mesh_config_file = (dir.path() / "missing.yaml").string();
    MeshModel m;
    auto errors = LoadInputs({}, options, m);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].path, options.mesh_config_file);
  }
}

// ---------------------------------------------------------------- egress policy

std::vector<std::string> PolicyProblems(const std::string& text) {
  MeshModel m;
  std::vector<std::string> out;
  for (const Problem& p : LoadEgressPolicyText(text, 1, "policy.yaml", {}, m))
    out.push_back(std::to_string(p.loc.line) + ":" + std::to_string(p.loc.column) + " " +
                  p.message);
  return out;
}

TEST(LoaderEgressPolicy, MissingKeysPointAtWhereTheyBelong) {
  // A key that is not written has no position of its own: the problem points
  // at the entry (or the document) that lacks it, not at the file as a whole.
  EXPECT_EQ(PolicyProblems("egress:\n- hosts: [a.com]\n- namespaces: x\n"),
            (std::vector<std::string>{
                "2:3 egress[0].namespaces must be a non-empty RE2 pattern string, e.g. "
                "\"payments|checkout\"",
                "3:3 egress[1].hosts must be a list of host patterns, e.g. [\"api.stripe.com\", "
                "\"*.debian.org\"]"}));
  EXPECT_EQ(PolicyProblems("rules: []\n"),
            (std::vector<std::string>{"1:1 the policy has no 'egress:' list"}));
  EXPECT_EQ(PolicyProblems("egress: {}\n"),
            (std::vector<std::string>{
                "1:1 'egress' must be a list of {namespaces: REGEX, hosts: [HOST...]}"}));
}

}  // namespace
}  // namespace meshlint
