// Real-looking repositories (tests/repos/): a Helm chart beside manifests,
// Ansible and tool configs, kustomize bases, overlays, a component and a
// JSON 6902 patch. Only true findings, each where it belongs; the kustomize
// tests run the real tool and skip, saying so, when it is missing.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "loader/kustomize.h"
#include "test_util.h"

namespace meshlint {
namespace {

namespace fs = std::filesystem;
using testing::RunInProcess;

// The report's finding lines (those with a rule in brackets).
std::string FindingLines(const std::string& out) {
  std::string lines, line;
  std::istringstream in(out);
  while (std::getline(in, line))
    if (line.find(": error [") != std::string::npos ||
        line.find(": warning [") != std::string::npos || line.find(": note [") != std::string::npos)
      lines += line + "\n";
  return lines;
}

std::string NoteLines(const std::string& err) {
  std::string lines, line;
  std::istringstream in(err);
  while (std::getline(in, line))
    if (line.starts_with("meshlint: note: ")) lines += line + "\n";
  return lines;
}

TEST(Repos, ChartAnsibleAndToolConfigsMakeNoNoise) {
  auto r = RunInProcess({"lint", "--no-config"}, testing::RepoTree("app-repo").string());
  // One note for the chart (its sub-chart included), no error per template;
  // Ansible, kind, kubeadm, audit, kuttl and skaffold files are skipped.
  EXPECT_EQ(NoteLines(r.err),
            "meshlint: note: chart: a Helm chart: its templates are not linted raw (5 files); "
            "render it and lint the output: helm template chart | meshlint lint -\n");
  EXPECT_NE(r.err.find("in 7 files, 2 objects, 6 non-Kubernetes documents skipped"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(FindingLines(r.out).find("[invalid-manifest]"), std::string::npos) << r.out;
  EXPECT_EQ(FindingLines(r.out).find("namespace-without-sidecar"), std::string::npos) << r.out;
  EXPECT_EQ(FindingLines(r.out).find("{{"), std::string::npos) << r.out;
}

TEST(Repos, ExcludeFlagLeavesFilesOut) {
  auto r =
      RunInProcess({"lint", "--no-config", "--exclude", "ansible", "--exclude", "tools/*.yaml"},
                   testing::RepoTree("app-repo").string());
  EXPECT_NE(r.err.find("in 3 files, 2 objects, 2 non-Kubernetes documents skipped"),
            std::string::npos)
      << r.err;
}

TEST(Repos, ClusterDumpPutsNothingInDefault) {
  // Cluster-scoped custom kinds, from the dump's own CRD or from the list of
  // well-known operator kinds, live in no namespace.
  MeshModel m;
  EXPECT_TRUE(
      LoadInputs({(testing::RepoTree("cluster-dump") / "dump.yaml").string()}, {}, m).empty());
  EXPECT_TRUE(m.problems.empty());
  EXPECT_EQ(m.FindNamespace("default"), nullptr);
  auto r = RunInProcess({"lint", "--no-config"}, testing::RepoTree("cluster-dump").string());
  EXPECT_EQ(FindingLines(r.out), "");
  EXPECT_EQ(r.status, 0);
}

bool HaveKustomize() { return FindKustomizeTool("").has_value(); }

#define SKIP_WITHOUT_KUSTOMIZE()                                                            \
  if (!HaveKustomize())                                                                     \
  GTEST_SKIP() << "neither kustomize nor kubectl is on PATH: the kustomize tests need the " \
                  "real tool"

TEST(Repos, KustomizeOverlaysAreRenderedAndMappedToTheirSources) {
  SKIP_WITHOUT_KUSTOMIZE();
  auto r = RunInProcess({"lint", "--no-config"}, testing::RepoTree("kustomize-repo").string());
  // Rendered, the prod overlay is clean (its patch sets REGISTRY_ONLY, its
  // component exportTo: ["."]); dev really exports stripe to every
  // namespace. No second Sidecar/default from the patch, no invalid JSON
  // patch, nothing in `default`.
  EXPECT_EQ(
      FindingLines(r.out),
      "base/stripe.yaml:6:3: warning [serviceentry-exported-to-all] Rendered by "
      "overlays/dev/kustomization.yaml: ServiceEntry 'stripe' exports api.stripe.com to every namespace: it has no exportTo and the mesh default "
      "(defaultServiceExportTo) is \"*\". Add exportTo: [\".\"] or the namespaces that need "
      "it.\n");
  EXPECT_EQ(NoteLines(r.err), "");
  EXPECT_EQ(r.status, 1);
}

TEST(Repos, RenderedAndRawDirectoryRunsAgree) {
  SKIP_WITHOUT_KUSTOMIZE();
  const std::string dir = testing::RepoTree("kustomize-repo").string();
  auto raw = RunInProcess({"lint", "--no-config", "overlays/prod", "mesh.yaml"}, dir);
  EXPECT_EQ(FindingLines(raw.out), "");
  EXPECT_EQ(raw.status, 0);
  const std::string tool = *FindKustomizeTool("");
  const bool kubectl = fs::path(tool).filename() == "kubectl";
  auto rendered = testing::RunMeshlint({"lint", "--no-config", "-", "mesh.yaml"}, dir, [&] {
    std::string cmd = tool + (kubectl ? " kustomize" : " build") + " overlays/prod";
    std::string out;
    FILE* p = ::popen(("cd '" + dir + "' && " + cmd).c_str(), "r");
    char buf[4096];
    for (std::size_t n; p && (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
    if (p) ::pclose(p);
    return out;
  }());
  EXPECT_EQ(FindingLines(rendered.out), "");
  EXPECT_EQ(rendered.status, 0);
}

TEST(Repos, KustomizeFailureIsAFindingWithItsMessage) {
  SKIP_WITHOUT_KUSTOMIZE();
  testing::TempDir tmp;
  fs::create_directories(tmp.path() / "broken");
  std::ofstream(tmp.path() / "broken" / "kustomization.yaml") << "resources:\n  - missing.yaml\n";
  auto r = RunInProcess({"lint", "--no-config", "broken"}, tmp.path().string());
  const std::string lines = FindingLines(r.out);
  EXPECT_TRUE(lines.starts_with("broken/kustomization.yaml:1:1: error [invalid-manifest] "))
      << lines;
  EXPECT_NE(lines.find("missing.yaml"), std::string::npos) << lines;
  EXPECT_EQ(r.status, 1);
}

// Without the tool, and with a --kustomize-command that is none:
// repos_output_test.cpp (Kustomize.*).

}  // namespace
}  // namespace meshlint
