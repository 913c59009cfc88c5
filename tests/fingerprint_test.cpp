// Fingerprints identify a finding by rule + object + field, never by line or
// file: they must survive the edits a reviewer makes every day, or baselines
// and code-scanning alert history break.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "report/report.h"
#include "test_util.h"

namespace meshlint {
namespace {

using testing::LoadFiles;

constexpr const char* kOpenSe =
    "apiVersion: networking.istio.io/v1\n"
    "kind: ServiceEntry\n"
    "metadata:\n"
    "  name: debian-org\n"
    "  namespace: apps\n"
    "spec:\n"
    "  hosts: [deb.debian.org]\n"
    "  location: MESH_EXTERNAL\n";

constexpr const char* kOtherSe =
    "apiVersion: networking.istio.io/v1\n"
    "kind: ServiceEntry\n"
    "metadata:\n"
    "  name: pypi\n"
    "  namespace: apps\n"
    "spec:\n"
    "  hosts: [pypi.org]\n";

constexpr const char* kMesh =
    "apiVersion: install.istio.io/v1alpha1\n"
    "kind: IstioOperator\n"
    "metadata:\n"
    "  name: demo\n"
    "  namespace: istio-system\n"
    "spec:\n"
    "  meshConfig:\n"
    "    outboundTrafficPolicy:\n"
    "      mode: ALLOW_ANY\n";

// rule + fingerprint of every finding, sorted: what a baseline compares.
std::vector<std::string> Prints(const std::vector<std::pair<std::string, std::string>>& files) {
  MeshModel model = LoadFiles(files);
  std::vector<Finding> findings = RunRules(model, {});
  std::vector<std::string> fps = ComputeFingerprints(model, findings);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < findings.size(); ++i)
    out.push_back(std::string(findings[i].rule_id) + " " + fps[i]);
  std::sort(out.begin(), out.end());
  return out;
}

// Line of the first finding of `rule`, 0 when none.
std::uint32_t Line(const std::vector<std::pair<std::string, std::string>>& files,
                   std::string_view rule) {
  MeshModel model = LoadFiles(files);
  for (const Finding& f : RunRules(model, {}))
    if (f.rule_id == rule) return f.diag.loc.line;
  return 0;
}

TEST(Fingerprint, BaseCaseHasDistinctFingerprintsPerFinding) {
  auto prints =
      Prints({{"a.yaml", std::string(kOpenSe) + "---\n" + kOtherSe}, {"mesh.yaml", kMesh}});
  // Two open ServiceEntries, the namespace without Sidecar, the mesh policy
  // (and whatever later rules add).
  ASSERT_GE(prints.size(), 4u);
  EXPECT_EQ(std::adjacent_find(prints.begin(), prints.end()), prints.end());
  for (const std::string& p : prints) EXPECT_EQ(p.size(), p.find(' ') + 1 + 16) << p;
}

TEST(Fingerprint, SurvivesLinesInsertedAboveTheObject) {
  const auto files = std::vector<std::pair<std::string, std::string>>{
      {"a.yaml", std::string(kOpenSe) + "---\n" + kOtherSe}, {"mesh.yaml", kMesh}};
  const auto moved = std::vector<std::pair<std::string, std::string>>{
      {"a.yaml", "# a comment\n# and another\n\n" + std::string(kOpenSe) + "---\n" + kOtherSe},
      {"mesh.yaml", "# header\n" + std::string(kMesh)}};
  // The edit did move the findings...
  ASSERT_NE(Line(files, "mesh-outbound-allow-any"), 0u);
  EXPECT_EQ(Line(moved, "mesh-outbound-allow-any"), Line(files, "mesh-outbound-allow-any") + 1);
  ASSERT_NE(Line(files, "serviceentry-exported-to-all"), 0u);
  EXPECT_EQ(Line(moved, "serviceentry-exported-to-all"),
            Line(files, "serviceentry-exported-to-all") + 3);
  // ...and left their identities alone.
  EXPECT_EQ(Prints(files), Prints(moved));
}

TEST(Fingerprint, SurvivesReorderedDocuments) {
  EXPECT_EQ(Prints({{"a.yaml", std::string(kOpenSe) + "---\n" + kOtherSe}, {"mesh.yaml", kMesh}}),
            Prints({{"a.yaml", std::string(kOtherSe) + "---\n" + kOpenSe}, {"mesh.yaml", kMesh}}));
  // Reordered files too (the first file is where a run-wide finding points).
  EXPECT_EQ(Prints({{"a.yaml", kOpenSe}, {"b.yaml", kOtherSe}}),
            Prints({{"b.yaml", kOtherSe}, {"a.yaml", kOpenSe}}));
}

TEST(Fingerprint, SurvivesMovingTheObjectToAnotherFile) {
  EXPECT_EQ(
      Prints({{"a.yaml", std::string(kOpenSe) + "---\n" + kOtherSe}, {"mesh.yaml", kMesh}}),
      Prints(
          {{"a.yaml", kOtherSe}, {"moved/debian.yaml", kOpenSe}, {"istio/operator.yaml", kMesh}}));
}

TEST(Fingerprint, ChangesWithTheObjectItNames) {
  // Renaming the object is a different finding: the baseline must not hide it.
  std::string renamed(kOpenSe);
  renamed.replace(renamed.find("debian-org"), 10, "debian-net");
  auto before = Prints({{"a.yaml", kOpenSe}});
  auto after = Prints({{"a.yaml", renamed}});
  ASSERT_EQ(before.size(), after.size());
  std::vector<std::string> common;
  std::set_intersection(before.begin(), before.end(), after.begin(), after.end(),
                        std::back_inserter(common));
  EXPECT_LT(common.size(), before.size());  // the ServiceEntry's changed
  EXPECT_FALSE(common.empty());             // the namespace's did not

  // Same object name in another namespace: another object.
  std::string other_ns(kOpenSe);
  other_ns.replace(other_ns.find("namespace: apps"), 15, "namespace: web");
  auto both = Prints({{"a.yaml", std::string(kOpenSe) + "---\n" + other_ns}});
  EXPECT_EQ(std::adjacent_find(both.begin(), both.end()), both.end());
}

TEST(Fingerprint, KeyIsRuleObjectAndFieldNeverPosition) {
  MeshModel model = LoadFiles({{"a.yaml", kOpenSe}, {"b.yaml", kOtherSe}});
  Finding f;
  f.rule_id = "serviceentry-exported-to-all";
  f.diag.object = ObjectRef{"ServiceEntry", "apps", "debian-org"};
  f.diag.field = "spec.exportTo";
  f.diag.loc = Location{0, 7, 3, 7, 9};
  f.diag.message = "one text";
  EXPECT_EQ(FingerprintKey(model, f),
            "serviceentry-exported-to-all|apps/ServiceEntry/debian-org|spec.exportTo");
  const std::string print = Fingerprint(f);
  Finding elsewhere = f;
  elsewhere.diag.loc = Location{1, 40, 1, 40, 9};
  elsewhere.diag.message = "another text";
  EXPECT_EQ(ComputeFingerprints(model, std::vector<Finding>{elsewhere}),
            std::vector<std::string>{print});
  Finding other_field = f;
  other_field.diag.field = "spec.hosts";
  EXPECT_NE(ComputeFingerprints(model, std::vector<Finding>{other_field}),
            std::vector<std::string>{print});
  Finding other_rule = f;
  other_rule.rule_id = "namespace-without-sidecar";
  EXPECT_NE(ComputeFingerprints(model, std::vector<Finding>{other_rule}),
            std::vector<std::string>{print});
}

TEST(Fingerprint, DigestsTheStableKeyForEveryShapeOfObject) {
  // ComputeFingerprints digests the key piece by piece: the same number as
  // the digest of StableKey's text (Fingerprint), with and without a
  // namespace, field and environment.
  MeshModel model = LoadFiles({{"a.yaml", kOpenSe}});
  Finding f;
  f.rule_id = "mesh-config-conflict";
  f.diag.loc = Location{0, 1, 1, 1, 2};
  std::vector<Finding> findings;
  for (const ObjectRef& object :
       {ObjectRef{"ServiceEntry", "apps", "debian-org"}, ObjectRef{"Namespace", "", "apps"}})
    for (const char* field : {"", "spec.hosts[0]"})
      for (const char* environment : {"", "prod, staging"}) {
        f.diag.object = object;
        f.diag.field = field;
        f.environment = SharedText(environment);
        findings.push_back(f);
      }
  const std::vector<std::string> fps = ComputeFingerprints(model, findings);
  ASSERT_EQ(fps.size(), 8u);
  for (std::size_t i = 0; i < findings.size(); ++i)
    EXPECT_EQ(fps[i], Fingerprint(findings[i])) << findings[i].StableKey();
  EXPECT_EQ(findings[7].StableKey(),
            "mesh-config-conflict|Namespace/apps|spec.hosts[0]|prod, staging");
}

TEST(Fingerprint, FileStandsInForAMissingObject) {
  // A file that does not parse names no object: its path is the identity, so
  // two broken files are two findings, and lines inserted above keep it.
  const std::string broken = "apiVersion: v1\nkind: [\n";
  MeshModel model = LoadFiles({{"x.yaml", broken}, {"y.yaml", "\n\n" + broken}});
  std::vector<Finding> findings = RunRules(model, {});
  std::vector<std::string> invalid;
  for (std::size_t i = 0; i < findings.size(); ++i)
    if (findings[i].rule_id == "invalid-manifest" && findings[i].diag.object.empty())
      invalid.push_back(FingerprintKey(model, findings[i]));
  ASSERT_EQ(invalid.size(), 2u);
  EXPECT_EQ(invalid[0].rfind("invalid-manifest|file:x.yaml|", 0), 0u) << invalid[0];
  EXPECT_EQ(invalid[1].rfind("invalid-manifest|file:y.yaml|", 0), 0u) << invalid[1];

  MeshModel shifted = LoadFiles({{"x.yaml", "# new comment\n" + broken}});
  MeshModel original = LoadFiles({{"x.yaml", broken}});
  EXPECT_EQ(ComputeFingerprints(shifted, RunRules(shifted, {})),
            ComputeFingerprints(original, RunRules(original, {})));
}

TEST(Fingerprint, IdenticalKeysAreNumbered) {
  MeshModel model = LoadFiles({{"a.yaml", kOpenSe}});
  std::vector<Finding> findings = RunRules(model, {});
  ASSERT_FALSE(findings.empty());
  findings.push_back(findings.front());
  findings.push_back(findings.front());
  std::vector<std::string> fps = ComputeFingerprints(model, findings);
  const std::string& first = fps.front();
  EXPECT_EQ(fps[fps.size() - 2], first + ":2");
  EXPECT_EQ(fps.back(), first + ":3");
  EXPECT_EQ(first, Fingerprint(findings.front()));
}

}  // namespace
}  // namespace meshlint
