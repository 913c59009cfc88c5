// Model units: visibility (exportTo and the mesh default), which Sidecar
// governs a namespace, and how mesh config sources are weighed.
#include <gtest/gtest.h>

#include <stdexcept>

#include "semantics/istio.h"
#include "test_util.h"

namespace meshlint {
namespace {

using testing::LoadFiles;

std::string Se(const std::string& name, const std::string& ns, const std::string& export_to) {
  std::string s =
      "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: " + name +
      "\n  namespace: " + ns + "\nspec:\n  hosts: [" + name + ".example.com]\n";
  if (!export_to.empty()) s += "  exportTo: " + export_to + "\n";
  return s + "---\n";
}

std::string Operator(const std::string& mesh_config) {
  return "apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nmetadata:\n  name: cp\n"
         "  namespace: istio-system\nspec:\n  meshConfig:\n" +
         mesh_config + "---\n";
}

std::string ConfigMap(const std::string& mesh) {
  return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: istio\n  namespace: istio-system\n"
         "data:\n  mesh: |\n" +
         mesh + "---\n";
}

const ServiceEntry& Find(const MeshModel& m, const std::string& name) {
  for (const ServiceEntry& se : m.service_entries)
    if (se.meta.ref.name == name) return se;
  throw std::runtime_error("no ServiceEntry " + name);
}

TEST(ModelExportTo, ExplicitValues) {
  auto m = LoadFiles({{"se.yaml", Se("star", "a", "[\"*\"]") + Se("dot", "a", "[\".\"]") +
                                      Se("named", "a", "[newguy]") + Se("none", "a", "[\"~\"]") +
                                      Se("two", "a", "[b, .]")}});
  ASSERT_TRUE(m.problems.empty());
  EXPECT_TRUE(istio::IsExportedTo(m, Find(m, "star"), "anything"));
  EXPECT_TRUE(istio::IsExportedToAll(m, Find(m, "star")));

  EXPECT_TRUE(istio::IsExportedTo(m, Find(m, "dot"), "a"));
  EXPECT_FALSE(istio::IsExportedTo(m, Find(m, "dot"), "newguy"));
  EXPECT_FALSE(istio::IsExportedToAll(m, Find(m, "dot")));

  // A named namespace: not even the ServiceEntry's own.
  EXPECT_TRUE(istio::IsExportedTo(m, Find(m, "named"), "newguy"));
  EXPECT_FALSE(istio::IsExportedTo(m, Find(m, "named"), "a"));
  EXPECT_FALSE(istio::IsExportedToAll(m, Find(m, "named")));

  EXPECT_FALSE(istio::IsExportedTo(m, Find(m, "none"), "a"));
  EXPECT_FALSE(istio::IsExportedToAll(m, Find(m, "none")));

  EXPECT_TRUE(istio::IsExportedTo(m, Find(m, "two"), "a"));
  EXPECT_TRUE(istio::IsExportedTo(m, Find(m, "two"), "b"));
  EXPECT_FALSE(istio::IsExportedTo(m, Find(m, "two"), "c"));
  EXPECT_FALSE(istio::IsExportedToAll(m, Find(m, "two")));
}

TEST(ModelExportTo, MissingOrEmptyUsesIstiosDefaultStar) {
  auto m = LoadFiles({{"se.yaml", Se("missing", "a", "") + Se("empty", "a", "[]")}});
  EXPECT_EQ(m.mesh.default_service_export_to, std::vector<std::string>{"*"});
  EXPECT_FALSE(m.mesh.default_export_from);
  for (const char* name : {"missing", "empty"}) {
    EXPECT_TRUE(istio::IsExportedToAll(m, Find(m, name))) << name;
    EXPECT_TRUE(istio::IsExportedTo(m, Find(m, name), "newguy")) << name;
  }
}

TEST(ModelExportTo, MeshDefaultDotKeepsServiceEntriesHome) {
  auto m = LoadFiles(
      {{"mesh.yaml", Operator("    defaultServiceExportTo: [\".\"]\n")},
       {"se.yaml", Se("missing", "a", "") + Se("empty", "a", "[]") + Se("star", "a", "['*']")}});
  EXPECT_EQ(m.mesh.default_service_export_to, std::vector<std::string>{"."});
  ASSERT_TRUE(m.mesh.default_export_from);
  for (const char* name : {"missing", "empty"}) {
    EXPECT_FALSE(istio::IsExportedToAll(m, Find(m, name))) << name;
    EXPECT_TRUE(istio::IsExportedTo(m, Find(m, name), "a")) << name;
    EXPECT_FALSE(istio::IsExportedTo(m, Find(m, name), "newguy")) << name;
  }
  // An explicit exportTo is not affected by the mesh default.
  EXPECT_TRUE(istio::IsExportedToAll(m, Find(m, "star")));
}

TEST(ModelExportTo, MeshDefaultNamedNamespaceAndEmptyList) {
  auto named = LoadFiles({{"mesh.yaml", ConfigMap("    defaultServiceExportTo: [shared]\n")},
                          {"se.yaml", Se("missing", "a", "")}});
  EXPECT_TRUE(istio::IsExportedTo(named, Find(named, "missing"), "shared"));
  EXPECT_FALSE(istio::IsExportedTo(named, Find(named, "missing"), "a"));
  EXPECT_FALSE(istio::IsExportedToAll(named, Find(named, "missing")));

  // An empty mesh default is Istio's default, "*".
  auto empty = LoadFiles({{"mesh.yaml", Operator("    defaultServiceExportTo: []\n")},
                          {"se.yaml", Se("missing", "a", "")}});
  EXPECT_EQ(empty.mesh.default_service_export_to, std::vector<std::string>{"*"});
  EXPECT_TRUE(istio::IsExportedToAll(empty, Find(empty, "missing")));
}

// ------------------------------------------------------------ Sidecars

std::string SidecarYaml(const std::string& name, const std::string& ns, bool selector) {
  std::string s = "apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata:\n  name: " + name +
                  "\n  namespace: " + ns + "\nspec:\n";
  if (selector) s += "  workloadSelector:\n    labels: {app: x}\n";
  return s + "  egress:\n  - hosts: [\"./*\"]\n---\n";
}

TEST(ModelSidecar, OwnDefaultWins) {
  auto m =
      LoadFiles({{"sc.yaml", SidecarYaml("scoped", "a", true) + SidecarYaml("own", "a", false) +
                                 SidecarYaml("root", "istio-system", false)}});
  const Sidecar* sc = istio::ApplicableSidecar(m, "a").sidecar;
  ASSERT_NE(sc, nullptr);
  EXPECT_EQ(sc->meta.ref.name, "own");
  ASSERT_EQ(istio::DefaultSidecars(m, "a").size(), 1u);
}

TEST(ModelSidecar, RootDefaultWhenNoOwn) {
  auto m = LoadFiles(
      {{"sc.yaml", SidecarYaml("scoped", "a", true) + SidecarYaml("root", "istio-system", false)}});
  const Sidecar* sc = istio::ApplicableSidecar(m, "a").sidecar;
  ASSERT_NE(sc, nullptr);
  EXPECT_EQ(sc->meta.ref.FullyQualifiedName(), "istio-system/Sidecar/root");
  ASSERT_NE(istio::ApplicableSidecar(m, "never-seen").sidecar, nullptr);
  EXPECT_TRUE(istio::DefaultSidecars(m, "a").empty());
}

TEST(ModelSidecar, NoneWhenOnlySelectors) {
  auto m = LoadFiles(
      {{"sc.yaml", SidecarYaml("scoped", "a", true) + SidecarYaml("gw", "istio-system", true)}});
  EXPECT_EQ(istio::ApplicableSidecar(m, "a").sidecar, nullptr);
  EXPECT_EQ(istio::ApplicableSidecar(m, "b").sidecar, nullptr);
}

TEST(ModelSidecar, CustomRootNamespace) {
  auto m = LoadFiles({{"mesh.yaml", Operator("    rootNamespace: istio-config\n")},
                      {"sc.yaml", SidecarYaml("old-root", "istio-system", false) +
                                      SidecarYaml("root", "istio-config", false)}});
  EXPECT_EQ(m.mesh.root_namespace, "istio-config");
  ASSERT_NE(istio::ApplicableSidecar(m, "a").sidecar, nullptr);
  EXPECT_EQ(istio::ApplicableSidecar(m, "a").sidecar->meta.ref.name, "root");
  EXPECT_TRUE(istio::IsSystemNamespace(m, "istio-config"));
  EXPECT_TRUE(istio::IsSystemNamespace(m, "istio-system"));
}

TEST(ModelSidecar, SeveralDefaultsFirstInInputOrder) {
  auto m = LoadFiles({{"a.yaml", SidecarYaml("first", "a", false)},
                      {"b.yaml", SidecarYaml("second", "a", false)}});
  EXPECT_EQ(istio::DefaultSidecars(m, "a").size(), 2u);
  EXPECT_EQ(istio::ApplicableSidecar(m, "a").sidecar->meta.ref.name, "first");
}

TEST(ModelNamespaces, IndexSystemNamespacesAndFirstObject) {
  auto m = LoadFiles({{"a.yaml",
                       "apiVersion: v1\nkind: Service\nmetadata: {name: z, namespace: shop}\n---\n"
                       "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\n"
                       "apiVersion: v1\nkind: Service\nmetadata: {name: y, namespace: shop}\n---\n"
                       "apiVersion: v1\nkind: Namespace\nmetadata: {name: empty}\n"}});
  ASSERT_EQ(m.namespace_index().size(), 2u);
  EXPECT_EQ(m.namespace_index()[0].name, "empty");  // name order
  const NamespaceInfo* shop = m.FindNamespace("shop");
  ASSERT_NE(shop, nullptr);
  ASSERT_TRUE(shop->manifest);
  EXPECT_EQ(shop->first_object.name, "z");
  EXPECT_EQ(shop->first_object_loc.line, 3u);
  const NamespaceInfo* empty = m.FindNamespace("empty");
  ASSERT_NE(empty, nullptr);
  EXPECT_FALSE(empty->first_object_loc.valid());
  for (const char* ns : {"kube-system", "kube-public", "kube-node-lease", "istio-system"})
    EXPECT_TRUE(istio::IsSystemNamespace(m, ns)) << ns;
  EXPECT_FALSE(istio::IsSystemNamespace(m, "default"));
}

// ------------------------------------------------------------ mesh settings

TEST(ModelMeshSettings, DefaultsWithoutSources) {
  auto m = LoadFiles({{"ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n"}});
  EXPECT_EQ(m.mesh.root_namespace, "istio-system");
  EXPECT_EQ(m.mesh.outbound_mode, OutboundMode::kAllowAny);  // never REGISTRY_ONLY silently
  EXPECT_FALSE(m.mesh.outbound_from);
  EXPECT_TRUE(m.mesh_conflicts.empty());
}

TEST(ModelMeshSettings, ConfigMapBeatsIstioOperator) {
  auto m = LoadFiles({{"iop.yaml", Operator("    outboundTrafficPolicy: {mode: REGISTRY_ONLY}\n"
                                            "    rootNamespace: istio-config\n")},
                      {"cm.yaml", ConfigMap("    outboundTrafficPolicy: {mode: ALLOW_ANY}\n")}});
  ASSERT_EQ(m.mesh_sources.size(), 2u);
  EXPECT_EQ(m.mesh.outbound_mode, OutboundMode::kAllowAny);
  ASSERT_TRUE(m.mesh.outbound_from);
  EXPECT_EQ(m.mesh_sources[*m.mesh.outbound_from].origin, MeshConfigSource::Origin::kConfigMap);
  // Fields only one source sets come from that source.
  EXPECT_EQ(m.mesh.root_namespace, "istio-config");
  ASSERT_EQ(m.mesh_conflicts.size(), 1u);
  const MeshConflict& c = m.mesh_conflicts[0];
  EXPECT_EQ(c.field, "outboundTrafficPolicy.mode");
  EXPECT_EQ(c.winner_value, "ALLOW_ANY");
  EXPECT_EQ(c.loser_value, "REGISTRY_ONLY");
  EXPECT_EQ(m.mesh_sources[c.loser].origin, MeshConfigSource::Origin::kIstioOperator);
  EXPECT_EQ(c.loser_loc.line, 8u);
  EXPECT_EQ(m.files.display(c.winner_loc.file), "cm.yaml");
}

TEST(ModelMeshSettings, CommandLineBeatsEverything) {
  MeshModel m;
  LoadText(Operator("    outboundTrafficPolicy: {mode: ALLOW_ANY}\n"), "iop.yaml", {}, m);
  MeshConfigSource cli;
  cli.origin = MeshConfigSource::Origin::kCommandLine;
  cli.description = "--mesh-config (MeshConfig)";
  cli.outbound_mode = Located<OutboundMode>{OutboundMode::kRegistryOnly, Location{0, 9, 1, 9, 2}};
  m.mesh_sources.push_back(cli);
  LoadText(ConfigMap("    outboundTrafficPolicy: {mode: ALLOW_ANY}\n"), "cm.yaml", {}, m);
  m.Finalize();
  EXPECT_EQ(m.mesh.outbound_mode, OutboundMode::kRegistryOnly);
  EXPECT_EQ(*m.mesh.outbound_from, 1u);
  // Both manifests disagree with the winner; they agree with each other.
  ASSERT_EQ(m.mesh_conflicts.size(), 2u);
  EXPECT_EQ(m.mesh_conflicts[0].winner, 1u);
  EXPECT_EQ(m.mesh_conflicts[1].winner, 1u);
}

TEST(ModelMeshSettings, AgreeingSourcesAreNoConflict) {
  auto m = LoadFiles({{"iop.yaml", Operator("    defaultServiceExportTo: [\".\"]\n")},
                      {"cm.yaml", ConfigMap("    defaultServiceExportTo:\n    - \".\"\n")}});
  EXPECT_TRUE(m.mesh_conflicts.empty());
  EXPECT_EQ(m.mesh.default_service_export_to, std::vector<std::string>{"."});
}

TEST(ModelMeshSettings, FinalizeIsRepeatable) {
  auto m = LoadFiles({{"iop.yaml", Operator("    outboundTrafficPolicy: {mode: REGISTRY_ONLY}\n")},
                      {"cm.yaml", ConfigMap("    outboundTrafficPolicy: {mode: ALLOW_ANY}\n")}});
  m.Finalize();
  EXPECT_EQ(m.mesh_conflicts.size(), 1u);
  ASSERT_EQ(m.namespace_index().size(), 1u);
  EXPECT_EQ(m.namespace_index()[0].name, "istio-system");
}

TEST(ModelObjectRef, FullyQualifiedName) {
  EXPECT_EQ((ObjectRef{"ServiceEntry", "default", "debian-org"}).FullyQualifiedName(),
            "default/ServiceEntry/debian-org");
  EXPECT_EQ((ObjectRef{"Namespace", "", "newguy"}).FullyQualifiedName(), "Namespace/newguy");
}

TEST(ModelOutboundMode, ParseAndName) {
  for (auto mode :
       {OutboundMode::kRegistryOnly, OutboundMode::kAllowAny, OutboundMode::kAllowAnyDynamicDns})
    EXPECT_EQ(ParseOutboundMode(OutboundModeName(mode)), mode);
  EXPECT_FALSE(ParseOutboundMode("registry_only"));
  EXPECT_FALSE(ParseOutboundMode(""));
  EXPECT_FALSE(AllowsAny(OutboundMode::kRegistryOnly));
  EXPECT_TRUE(AllowsAny(OutboundMode::kAllowAnyDynamicDns));
}

}  // namespace
}  // namespace meshlint
