// What the text format does not show: each finding's object, field path and
// related locations (they feed JSON, SARIF logical locations and fingerprints).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "test_util.h"

namespace meshlint {
namespace {

using testing::LoadFiles;

std::vector<Finding> Only(const MeshModel& m, std::string_view rule) {
  std::vector<Finding> out;
  for (Finding& f : RunRules(m, {}))
    if (f.rule_id == rule) out.push_back(std::move(f));
  return out;
}

std::string At(const MeshModel& m, const Location& l) {
  return m.files.display(l.file) + ":" + std::to_string(l.line) + ":" + std::to_string(l.column);
}

constexpr const char* kOperatorDefaultStar =
    "apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nmetadata: {name: cp, namespace: istio-system}\n"
    "spec:\n  meshConfig:\n    defaultServiceExportTo: ['*']\n"  // 6
    "    outboundTrafficPolicy: {mode: REGISTRY_ONLY}\n";

TEST(RuleServiceEntryExportedToAll, ObjectFieldAndMeshDefaultRelated) {
  auto m = LoadFiles(
      {{"mesh.yaml", kOperatorDefaultStar},
       {"se.yaml",
        "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: a, namespace: x}\n"
        "spec:\n  hosts: [a.com]\n---\n"
        "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: b, namespace: x}\n"
        "spec:\n  hosts: [b.com]\n  exportTo: ['*']\n"}});  // 12
  auto f = Only(m, "serviceentry-exported-to-all");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].diag.object.FullyQualifiedName(), "x/ServiceEntry/a");
  EXPECT_EQ(f[0].diag.field, "spec.exportTo");
  EXPECT_EQ(At(m, f[0].diag.loc), "se.yaml:5:3");  // hosts:, as there is no exportTo
  ASSERT_EQ(f[0].diag.related.size(), 1u);
  EXPECT_EQ(At(m, f[0].diag.related[0].loc), "mesh.yaml:6:5");
  EXPECT_EQ(f[1].diag.field, "spec.exportTo[0]");
  EXPECT_EQ(At(m, f[1].diag.loc), "se.yaml:12:14");
  EXPECT_TRUE(f[1].diag.related.empty());
  EXPECT_EQ(f[1].StableKey(), "serviceentry-exported-to-all|x/ServiceEntry/b|spec.exportTo[0]");
}

TEST(RuleNamespaceWithoutSidecar, WorkloadSidecarsAreRelated) {
  auto m = LoadFiles(
      {{"ns.yaml",
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n---\n"
        "apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata: {name: one, namespace: shop}\n"
        "spec:\n  workloadSelector:\n    labels: {app: one}\n"  // 10
        "  egress:\n  - hosts: [\"./*\"]\n"}});
  auto f = Only(m, "namespace-without-sidecar");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].diag.object.FullyQualifiedName(), "Namespace/shop");
  EXPECT_EQ(At(m, f[0].diag.loc), "ns.yaml:4:9");
  ASSERT_EQ(f[0].diag.related.size(), 1u);
  EXPECT_EQ(At(m, f[0].diag.related[0].loc), "ns.yaml:10:3");
  EXPECT_EQ(f[0].diag.related[0].message,
            "workload-scoped Sidecar: applies only to the workloads it selects");
}

TEST(RuleNamespaceWithoutSidecar, NamespaceKnownFromObjectsIsNamedAsNamespace) {
  auto m = LoadFiles(
      {{"d.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\n"}});
  auto f = Only(m, "namespace-without-sidecar");
  ASSERT_EQ(f.size(), 1u);
  // Cluster-scoped identity, so SARIF says Namespace/shop whichever object anchors it.
  EXPECT_EQ(f[0].diag.object.FullyQualifiedName(), "Namespace/shop");
  EXPECT_EQ(At(m, f[0].diag.loc), "d.yaml:3:18");
}

TEST(RuleMeshConfigConflict, PointsAtTheLoserAndRelatesTheWinner) {
  auto m = LoadFiles(
      {{"iop.yaml", kOperatorDefaultStar},
       {"cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: istio, namespace: istio-system}\n"
        "data:\n  mesh: |\n    outboundTrafficPolicy:\n      mode: ALLOW_ANY\n"}});  // 7
  auto f = Only(m, "mesh-config-conflict");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(At(m, f[0].diag.loc), "iop.yaml:7:35");
  EXPECT_EQ(f[0].diag.object.FullyQualifiedName(), "istio-system/IstioOperator/cp");
  EXPECT_EQ(f[0].diag.field, "meshConfig.outboundTrafficPolicy.mode");
  ASSERT_EQ(f[0].diag.related.size(), 1u);
  EXPECT_EQ(At(m, f[0].diag.related[0].loc), "cm.yaml:7:13");
  // The winner decides the other rule: the ConfigMap's ALLOW_ANY is reported there.
  auto any = Only(m, "mesh-outbound-allow-any");
  ASSERT_EQ(any.size(), 1u);
  EXPECT_EQ(At(m, any[0].diag.loc), "cm.yaml:7:13");
  EXPECT_EQ(any[0].diag.object.FullyQualifiedName(), "istio-system/ConfigMap/istio");
}

TEST(RuleMeshOutboundAllowAny, NoInputNoFinding) {
  MeshModel m;
  m.Finalize();
  EXPECT_TRUE(RunRules(m, {}).empty());
}

TEST(RuleInvalidManifest, CarriesObjectAndField) {
  auto m = LoadFiles(
      {{"se.yaml",
        "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: s, namespace: x}\n"
        "spec:\n  hosts: a.com\n"}});
  auto f = Only(m, "invalid-manifest");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kError);
  EXPECT_EQ(f[0].diag.object.FullyQualifiedName(), "x/ServiceEntry/s");
  EXPECT_EQ(f[0].diag.field, "spec.hosts");
  EXPECT_EQ(At(m, f[0].diag.loc), "se.yaml:5:10");
}

TEST(Runner, SeverityOverridesAndOrder) {
  auto m = LoadFiles({{"b.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n"},
                      {"a.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n"}});
  RunOptions options;
  options.severity["namespace-without-sidecar"] = Severity::kNote;
  options.severity["mesh-outbound-allow-any"] = std::nullopt;
  auto f = RunRules(m, options);
  ASSERT_EQ(f.size(), 2u);
  // Sorted by file (display path), then line and column.
  EXPECT_EQ(m.files.display(f[0].diag.loc.file), "a.yaml");
  EXPECT_EQ(m.files.display(f[1].diag.loc.file), "b.yaml");
  EXPECT_EQ(f[0].severity, Severity::kNote);
}

// SortFindings puts the findings in place, one cycle of the permutation at a
// time: every cycle length (fixed points, swaps, longer cycles) must end in
// the order a sort of a copy gives, with equal keys kept in input order.
TEST(SortFindings, InPlaceOrderMatchesASortedCopy) {
  MeshModel model;
  model.files.Add("b.yaml", "/b.yaml");  // file 0 sorts after file 1
  model.files.Add("a.yaml", "/a.yaml");
  struct Spec {
    std::uint32_t file, line;
    const char* rule;
    const char* message;
  };
  const std::vector<Spec> specs = {
      {0, 3, "r", "m"}, {1, 9, "r", "m"}, {0, 1, "r", "m"}, {1, 2, "r", "m"},
      {0, 1, "q", "m"}, {1, 9, "r", "m"}, {0, 0, "r", "z"}, {1, 2, "r", "a"},
      {0, 3, "r", "m"}, {1, 1, "r", "m"}, {0, 0, "r", "a"}, {1, 9, "r", "m"},
  };
  std::vector<Finding> findings;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    Finding f;
    f.rule_id = specs[i].rule;
    f.diag.loc = {specs[i].file, specs[i].line, 1, specs[i].line, 2};
    f.diag.message = specs[i].message;
    f.environment = SharedText(std::to_string(i));  // which input it was, to check stability
    findings.push_back(std::move(f));
  }
  std::vector<std::string> expected;
  {
    std::vector<std::size_t> idx(specs.size());
    for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
    auto key = [&](std::size_t i) {
      const Spec& s = specs[i];
      const std::string path = s.line == 0 ? "" : (s.file == 0 ? "b.yaml" : "a.yaml");
      return std::make_tuple(path, s.line, std::string(s.rule), std::string(s.message));
    };
    std::stable_sort(idx.begin(), idx.end(), [&](auto a, auto b) { return key(a) < key(b); });
    for (std::size_t i : idx) expected.push_back(std::to_string(i));
  }
  SortFindings(model, findings);
  std::vector<std::string> got;
  for (const Finding& f : findings) got.emplace_back(f.environment.view());
  EXPECT_EQ(got, expected);
  EXPECT_EQ(got.front(), "10");  // no position, message "a": first
  EXPECT_EQ(got.back(), "8");    // b.yaml:3, the later of two equal ones
}

}  // namespace
}  // namespace meshlint
