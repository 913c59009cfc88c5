// The egress analysis (src/egress): host matching as Istio does it, the
// per-namespace reachability rows, the common group, explanations, the policy,
// and the `meshlint egress` command's outputs and exit statuses.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "egress/egress.h"
#include "report/egress_report.h"
#include "semantics/istio.h"
#include "test_util.h"

namespace meshlint::testing {
namespace {

namespace fs = std::filesystem;
using egress::EgressAnalysis;
using istio::HostSubsetOf;

const char* kMeshRegistryOnly = R"(apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata:
  name: installed-state
  namespace: istio-system
spec:
  meshConfig:
    outboundTrafficPolicy:
      mode: REGISTRY_ONLY
)";

std::string Se(const std::string& ns, const std::string& name, const std::string& hosts,
               const std::string& export_to = "", const std::string& location = "MESH_EXTERNAL") {
  std::string out =
      "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: " + name +
      "\n  namespace: " + ns + "\nspec:\n  hosts: " + hosts + "\n";
  if (!export_to.empty()) out += "  exportTo: " + export_to + "\n";
  out += "  location: " + location + "\n";
  // Ports matter: a ServiceEntry without any gives no listener.
  out += "  ports:\n  - {number: 443, name: https, protocol: HTTPS}\n";
  return out;
}

std::string Sc(const std::string& ns, const std::string& name, const std::string& hosts,
               const std::string& extra = "") {
  std::string out =
      "apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata:\n  name: " + name +
      "\n  namespace: " + ns + "\nspec:\n";
  if (!hosts.empty()) out += "  egress:\n  - hosts: " + hosts + "\n";
  return out + extra;
}

// An injected namespace: its pods get a sidecar, so Istio mediates them.
std::string Ns(const std::string& name) {
  return "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + name +
         "\n  labels:\n    istio-injection: enabled\n";
}

// "host<-ns/se" of every host a namespace's row reaches.
std::vector<std::string> Reach(const EgressAnalysis& a, const std::string& ns) {
  std::vector<std::string> out;
  for (const egress::Scope& s : a.scopes()) {
    if (s.ns != ns || s.hypothetical) continue;
    for (const egress::HostRef& h : a.Reachable(s)) {
      const auto& ref = a.Service(s, h).meta->ref;
      out.push_back(std::string(a.HostName(s, h)) + "<-" + ref.ns + "/" + ref.name);
    }
  }
  return out;
}

using V = std::vector<std::string>;

TEST(HostMatching, FollowsIstioSubsetOf) {
  EXPECT_TRUE(HostSubsetOf("api.example.com", "api.example.com"));
  EXPECT_TRUE(HostSubsetOf("api.example.com", "*.example.com"));
  EXPECT_TRUE(HostSubsetOf("api.example.com", "*"));
  EXPECT_FALSE(HostSubsetOf("example.com", "*.example.com"));
  EXPECT_FALSE(HostSubsetOf("api.example.com", "*.other.com"));
  // A wildcard service host is imported only by a wildcard at least as wide.
  EXPECT_FALSE(HostSubsetOf("*.example.com", "api.example.com"));
  EXPECT_TRUE(HostSubsetOf("*.example.com", "*.example.com"));
  EXPECT_TRUE(HostSubsetOf("*.a.example.com", "*.example.com"));
  EXPECT_FALSE(HostSubsetOf("*.example.com", "*.a.example.com"));
  EXPECT_TRUE(HostSubsetOf("*.example.com", "*"));
}

TEST(EgressEntries, NamespacePartAndDot) {
  auto e = istio::SplitEgressHost("./*");
  ASSERT_TRUE(e);
  EXPECT_TRUE(istio::EntryImports(*e, "newguy", "newguy", "x.example.com"));
  EXPECT_FALSE(istio::EntryImports(*e, "newguy", "default", "x.example.com"));
  EXPECT_FALSE(istio::EntryImports(*istio::SplitEgressHost("~/*"), "n", "n", "a.com"));
  EXPECT_TRUE(istio::EntryImports(*istio::SplitEgressHost("*/a.com"), "n", "other", "a.com"));
  EXPECT_FALSE(istio::SplitEgressHost("no-slash"));
}

TEST(EgressAnalysis, SeAndSidecarAsInTheWriteUp) {
  // Exported everywhere; newguy's Sidecar imports only one of its hosts.
  auto m =
      LoadFiles({{"istio.yaml", kMeshRegistryOnly},
                 {"se.yaml", Se("default", "debian-org", "[security.debian.org, deb.debian.org]")},
                 {"sc.yaml", Sc("newguy", "default", R"(["./*", "default/deb.debian.org"])")}});
  EgressAnalysis a(m);
  EXPECT_EQ(Reach(a, "default"),
            (V{"deb.debian.org<-default/debian-org", "security.debian.org<-default/debian-org"}));
  EXPECT_EQ(Reach(a, "newguy"), (V{"deb.debian.org<-default/debian-org"}));
  // default and istio-system import the same: one group of both hosts;
  // newguy's Sidecar filter is its own.
  ASSERT_EQ(a.groups().size(), 1u);
  EXPECT_EQ(a.groups()[0].hosts.size(), 2u);
  EXPECT_EQ(a.groups()[0].namespaces, 2u);
  EXPECT_EQ(a.groups()[0].rows, 2u);
  EXPECT_FALSE(a.GroupOf(a.NamespaceScope("newguy")));
}

TEST(EgressAnalysis, ExportToDotOnlyOwnNamespaceAndSidecarCannotImportIt) {
  auto m = LoadFiles({{"istio.yaml", kMeshRegistryOnly},
                      {"se.yaml", Se("default", "debian-org", "[deb.debian.org]", R"(["."])")},
                      {"sc.yaml", Sc("newguy", "default", R"(["default/deb.debian.org"])")}});
  EgressAnalysis a(m);
  EXPECT_EQ(Reach(a, "default"), (V{"deb.debian.org<-default/debian-org"}));
  EXPECT_EQ(Reach(a, "newguy"), V{});
  EXPECT_TRUE(a.groups().empty());
  auto ex = a.Explain("newguy", "deb.debian.org");
  EXPECT_FALSE(ex.reachable);
}

TEST(EgressAnalysis, ExportToNamedNamespaceExcludesOwn) {
  auto m = LoadFiles({{"se.yaml", Se("default", "x", "[a.example.com]", R"(["newguy"])")},
                      {"ns.yaml", Ns("newguy")}});
  EgressAnalysis a(m);
  EXPECT_EQ(Reach(a, "default"), V{});
  EXPECT_EQ(Reach(a, "newguy"), (V{"a.example.com<-default/x"}));
}

TEST(EgressAnalysis, MeshDefaultExportToDot) {
  auto m = LoadFiles(
      {{"istio.yaml", std::string(kMeshRegistryOnly) + "    defaultServiceExportTo: [\".\"]\n"},
       {"se.yaml", Se("default", "x", "[a.example.com]")},
       {"ns.yaml", Ns("newguy")}});
  EgressAnalysis a(m);
  EXPECT_EQ(Reach(a, "default"), (V{"a.example.com<-default/x"}));
  EXPECT_EQ(Reach(a, "newguy"), V{});
}

TEST(EgressAnalysis, MeshInternalIsARegistryEntryLikeAnyOther) {
  // se-mesh-internal: location only changes mTLS and telemetry, not the registry.
  auto m = LoadFiles({{"istio.yaml", kMeshRegistryOnly},
                      {"se.yaml", Se("default", "db", "[db.internal]", "", "MESH_INTERNAL")}});
  EgressAnalysis a(m);
  EXPECT_EQ(Reach(a, "default"), (V{"db.internal<-default/db"}));
  EXPECT_TRUE(a.Explain("default", "db.internal:443").reachable);
}

TEST(EgressAnalysis, RootNamespaceDefaultDotMeansTheWorkloadsNamespace) {
  // In the root default, "./*" is each namespace's own; "default/..." names one.
  auto m = LoadFiles({{"istio.yaml", kMeshRegistryOnly},
                      {"a.yaml", Se("team-a", "a", "[a.example.com]", R"(["*"])")},
                      {"b.yaml", Se("team-b", "b", "[b.example.com]", R"(["*"])")},
                      {"sc.yaml", Sc("istio-system", "default", R"(["./*"])")}});
  EgressAnalysis a(m);
  EXPECT_EQ(Reach(a, "team-a"), (V{"a.example.com<-team-a/a"}));
  EXPECT_EQ(Reach(a, "team-b"), (V{"b.example.com<-team-b/b"}));
  EXPECT_EQ(Reach(a, "istio-system"), V{});
  // A namespace with its own default ignores the root's.
  auto m2 = LoadFiles({{"a.yaml", Se("team-a", "a", "[a.example.com]", R"(["*"])")},
                       {"root.yaml", Sc("istio-system", "default", R"(["./*"])")},
                       {"own.yaml", Sc("team-b", "default", R"(["team-a/*"])")}});
  EgressAnalysis a2(m2);
  EXPECT_EQ(Reach(a2, "team-b"), (V{"a.example.com<-team-a/a"}));
}

TEST(EgressAnalysis, SidecarWithoutEgressImportsEverything) {
  auto m = LoadFiles({{"se.yaml", Se("default", "x", "[a.example.com]")},
                      {"sc.yaml", Sc("newguy", "default", "", "  outboundTrafficPolicy: {}\n")}});
  EgressAnalysis a(m);
  EXPECT_EQ(Reach(a, "newguy"), (V{"a.example.com<-default/x"}));
  const egress::Scope s = a.NamespaceScope("newguy");
  // outboundTrafficPolicy: {} is REGISTRY_ONLY, set by the Sidecar.
  EXPECT_EQ(s.mode, OutboundMode::kRegistryOnly);
  EXPECT_EQ(s.mode_source, istio::ModeOrigin::kSidecar);
}

// An analysis builds each row's indexed imports once and answers every
// later explanation of that row from them (as `--base` explains its pairs):
// whatever came before, each answer is a fresh analysis's. Rows that share
// the shared list differ in their own imports, Sidecars and capture.
TEST(EgressAnalysis, ExplanationsOfARowShareItsImports) {
  std::string passthrough =
      "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: any\n"
      "  namespace: team-c\nspec:\n  hosts: [\"*.tcp.example\"]\n  exportTo: [\".\"]\n"
      "  location: MESH_EXTERNAL\n  resolution: NONE\n  ports:\n"
      "  - {number: 5432, name: tcp, protocol: TCP}\n";
  auto m = LoadFiles({{"istio.yaml", kMeshRegistryOnly},
                      {"ns.yaml", Ns("team-a") + "---\n" + Ns("team-b") + "---\n" + Ns("team-c") +
                                      "---\n" + Ns("team-d")},
                      {"shared.yaml", Se("shared", "s", "[api.shared.example]", R"(["*"])")},
                      {"a.yaml", Se("team-a", "a", "[a.example.com]", R"(["."])")},
                      {"b.yaml", Se("team-b", "b", "[b.example.com]", R"(["team-b", "team-d"])")},
                      {"c.yaml", passthrough},
                      {"sc.yaml", Sc("team-d", "default", R"(["team-b/*"])")}});
  const std::vector<std::pair<std::string, std::string>> asked = {
      {"team-a", "a.example.com"},       {"team-b", "a.example.com"},
      {"team-a", "b.example.com:443"},   {"team-b", "b.example.com:443"},
      {"team-c", "db.tcp.example:5432"}, {"team-a", "db.tcp.example:5432"},
      {"team-d", "b.example.com"},       {"team-d", "api.shared.example"},
      {"team-b", "api.shared.example"},  {"team-c", "api.shared.example:443"},
      {"newguy", "api.shared.example"},  {"newguy", "a.example.com"},
  };
  auto text = [&](const egress::Explanation& ex) {
    std::string out = ex.reachable ? "reachable\n" : "not reachable\n";
    for (const egress::Verdict& v : ex.row_verdicts)
      out += std::to_string(v.reachable) + " " + std::to_string(static_cast<int>(v.via)) + " " +
             std::to_string(static_cast<int>(v.block)) + "\n";
    for (const auto& line : RenderExplanation(m, ex).chain) out += line.text + "\n";
    return out;
  };
  std::vector<std::string> fresh;
  for (const auto& [from, to] : asked) fresh.push_back(text(EgressAnalysis(m).Explain(from, to)));
  // The reachable ones are so on their own imports only.
  EXPECT_EQ(fresh[0].substr(0, 10), "reachable\n");
  EXPECT_EQ(fresh[1].substr(0, 4), "not ");
  EXPECT_EQ(fresh[3].substr(0, 10), "reachable\n");
  EXPECT_EQ(fresh[4].substr(0, 10), "reachable\n");
  EXPECT_EQ(fresh[5].substr(0, 4), "not ");
  EXPECT_EQ(fresh[6].substr(0, 10), "reachable\n");
  EXPECT_EQ(fresh[7].substr(0, 4), "not ");
  EXPECT_EQ(fresh[8].substr(0, 10), "reachable\n");
  // One analysis, asked in order, backwards and twice over.
  EgressAnalysis shared(m);
  for (int round = 0; round < 3; ++round)
    for (std::size_t k = 0; k < asked.size(); ++k) {
      const std::size_t i = round == 1 ? asked.size() - 1 - k : k;
      EXPECT_EQ(text(shared.Explain(asked[i].first, asked[i].second)), fresh[i])
          << asked[i].first << " -> " << asked[i].second << ", round " << round;
    }
}

TEST(EgressAnalysis, WildcardsOnBothSides) {
  auto m = LoadFiles({{"wild.yaml", Se("default", "wild", R"(["*.example.com"])")},
                      {"api.yaml", Se("default", "api", "[api.other.com]")},
                      {"n1.yaml", Sc("n1", "default", R"(["default/api.example.com"])")},
                      {"n2.yaml", Sc("n2", "default", R"(["*/*.example.com"])")},
                      {"n3.yaml", Sc("n3", "default", R"(["default/*.com"])")}});
  EgressAnalysis a(m);
  // A specific entry does not import a wildcard ServiceEntry host.
  EXPECT_EQ(Reach(a, "n1"), V{});
  EXPECT_EQ(Reach(a, "n2"), (V{"*.example.com<-default/wild"}));
  EXPECT_EQ(Reach(a, "n3"), (V{"*.example.com<-default/wild", "api.other.com<-default/api"}));
  // A concrete host asked about is covered by the wildcard ServiceEntry.
  EXPECT_TRUE(a.Explain("n2", "www.example.com").via_registry);
  EXPECT_FALSE(a.Explain("n1", "api.example.com").via_registry);
}

TEST(EgressAnalysis, WorkloadScopedSidecarsAreTheirOwnRows) {
  auto m = LoadFiles({{"istio.yaml", kMeshRegistryOnly},
                      {"se.yaml", Se("default", "x", "[a.example.com]")},
                      {"sc.yaml", Sc("newguy", "default", R"(["./*"])") + "---\n" +
                                      Sc("newguy", "debian", R"(["default/a.example.com"])",
                                         "  workloadSelector:\n    labels: {app: debian}\n")}});
  EgressAnalysis a(m);
  std::vector<std::string> rows;
  for (const auto& s : a.scopes())
    rows.push_back(s.ns + (s.hypothetical ? "/" + s.sidecar->meta.ref.name : "") + ":" +
                   std::to_string(a.Reachable(s).size()));
  EXPECT_EQ(rows, (V{"default:1", "istio-system:1", "newguy:0", "newguy/debian:1"}));
  // The namespace answers for its pods; the pods the workload-scoped Sidecar
  // would select are a note, not the namespace's answer.
  auto ex = a.Explain("newguy", "a.example.com");
  EXPECT_FALSE(ex.reachable);
  ASSERT_EQ(ex.workload_notes.size(), 1u);
  const std::string note = RenderExplanation(m, ex).workload_notes[0].text;
  EXPECT_EQ(
      note,
      "The workloads Sidecar newguy/debian selects (Sidecar newguy/debian, mode REGISTRY_ONLY): "
      "a.example.com is reachable.");
  EXPECT_EQ(ex.workload_notes[0].kind, egress::StepKind::kOtherRow);
  EXPECT_TRUE(ex.workload_notes[0].reachable);
}

TEST(EgressAnalysis, ExplanationLinksPointAtTheDecidingLines) {
  auto m =
      LoadFiles({{"istio.yaml", kMeshRegistryOnly},
                 {"se.yaml", Se("default", "debian-org", "[deb.debian.org]")},
                 {"sc.yaml", Sc("newguy", "default", R"(["./*", "default/deb.debian.org"])")}});
  EgressAnalysis a(m);
  auto ex = a.Explain("newguy", "deb.debian.org");
  EXPECT_TRUE(ex.reachable);
  EXPECT_TRUE(ex.via_registry);
  std::vector<std::string> at;
  for (const auto& r : ex.chain)
    at.push_back(r.loc.valid() ? m.files.display(r.loc.file) + ":" + std::to_string(r.loc.line)
                               : "-");
  // The assumed membership (no Namespace manifest: the first object that
  // names newguy), the mode (mesh), the ServiceEntry host, its export (the
  // object: no exportTo), the Sidecar entry that imports it.
  EXPECT_EQ(at, (V{"sc.yaml:4", "istio.yaml:9", "se.yaml:7", "se.yaml:4", "sc.yaml:8"}));
  // The same links as data: what each step is about.
  using K = egress::StepKind;
  std::vector<K> kinds;
  for (const auto& r : ex.chain) kinds.push_back(r.kind);
  EXPECT_EQ(kinds, (std::vector<K>{K::kMembershipAssumed, K::kModeByMesh, K::kListed,
                                   K::kExportMeshDefault, K::kSidecarImportsThrough}));
  EXPECT_EQ(ex.chain[4].egress_host, 1u);
  EXPECT_TRUE(ex.chain[3].included);
  ASSERT_FALSE(ex.changes.empty());
  EXPECT_EQ(ex.changes[0].kind, K::kRemoveEgressHost);
  EXPECT_EQ(RenderExplanation(m, ex).changes[0].text,
            "Remove egress host \"default/deb.debian.org\" from Sidecar newguy/default.");
}

TEST(EgressAnalysis, AllowAnyReachesAnythingAndSaysHowToClose) {
  auto m = LoadFiles({{"ns.yaml", Ns("newguy")}});
  EgressAnalysis a(m);
  auto ex = a.Explain("newguy", "example.org");
  EXPECT_TRUE(ex.reachable);
  EXPECT_FALSE(ex.via_registry);
  ASSERT_EQ(ex.changes.size(), 1u);
  EXPECT_NE(RenderExplanation(m, ex).changes[0].text.find("REGISTRY_ONLY"), std::string::npos);
}

TEST(EgressAnalysis, ScaleShapeIsIndexedNotPairwise) {
  // 300 namespaces, each with a private ServiceEntry, plus 20 exported to all:
  // every row has its own host and the 20 common ones.
  std::string text;
  for (int i = 0; i < 300; ++i)
    text += Se("ns" + std::to_string(i), "own", "[h" + std::to_string(i) + ".example.com]",
               R"(["."])") +
            "---\n";
  for (int i = 0; i < 20; ++i)
    text +=
        Se("shared", "s" + std::to_string(i), "[s" + std::to_string(i) + ".example.com]") + "---\n";
  auto m = LoadFiles({{"all.yaml", text}});
  EgressAnalysis a(m);
  ASSERT_EQ(a.groups().size(), 1u);
  EXPECT_EQ(a.groups()[0].hosts.size(), 20u);
  EXPECT_EQ(a.groups()[0].namespaces, 301u);
  for (const auto& s : a.scopes()) {
    if (s.ns == "shared") continue;
    EXPECT_EQ(a.ReachableBeyondGroup(s).size(), 1u) << s.ns;
  }
}

TEST(EgressAnalysis, RootDefaultChangesSayTheyAffectEveryNamespace) {
  auto m = LoadFiles({{"istio.yaml", kMeshRegistryOnly},
                      {"se.yaml", Se("default", "debian-org", "[deb.debian.org]")},
                      {"root.yaml", Sc("istio-system", "default", R"(["./*"])")},
                      {"ns.yaml", Ns("newguy")}});
  EgressAnalysis a(m);
  auto ex = a.Explain("newguy", "deb.debian.org");
  EXPECT_FALSE(ex.reachable);
  ASSERT_EQ(ex.changes.size(), 1u);
  EXPECT_EQ(
      RenderExplanation(m, ex).changes[0].text,
      "Add \"default/deb.debian.org\" to the egress hosts of Sidecar istio-system/default (it "
      "applies to every namespace without a default Sidecar of its own; to change only "
      "newguy, give newguy its own).");
  // The ServiceEntry's own namespace imports it through "./*".
  EXPECT_TRUE(a.Explain("default", "deb.debian.org").reachable);
}

TEST(EgressAnalysis, SidecarAllowAnyOverridesARegistryOnlyMesh) {
  auto m = LoadFiles({{"istio.yaml", kMeshRegistryOnly},
                      {"sc.yaml", Sc("newguy", "default", R"(["./*"])",
                                     "  outboundTrafficPolicy:\n    mode: ALLOW_ANY\n")}});
  EgressAnalysis a(m);
  auto ex = a.Explain("newguy", "example.org");
  EXPECT_TRUE(ex.reachable);
  EXPECT_EQ(ex.scope.mode_source, istio::ModeOrigin::kSidecar);
  ASSERT_FALSE(ex.changes.empty());
  EXPECT_EQ(RenderExplanation(m, ex).changes[0].text,
            "Set outboundTrafficPolicy.mode to REGISTRY_ONLY in Sidecar newguy/default (or remove "
            "its outboundTrafficPolicy: the mesh is REGISTRY_ONLY).");
  EXPECT_EQ(m.files.display(ex.changes[0].loc.file) + ":" + std::to_string(ex.changes[0].loc.line),
            "sc.yaml:10");
}

// ---- The policy ----

TEST(EgressPolicy, HostPatterns) {
  EXPECT_EQ(egress::CheckHostPattern("*"), "");
  EXPECT_EQ(egress::CheckHostPattern("*.debian.org"), "");
  EXPECT_EQ(egress::CheckHostPattern("api.stripe.com"), "");
  EXPECT_NE(egress::CheckHostPattern("api.*.com"), "");
  EXPECT_NE(egress::CheckHostPattern("*debian.org"), "");
  EXPECT_NE(egress::CheckHostPattern("API.stripe.com"), "");
  EXPECT_NE(egress::CheckHostPattern("a..b"), "");
  EXPECT_NE(egress::CheckHostPattern(""), "");
}

class PolicyCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("meshlint-policy-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_ / "mesh");
    Write("mesh/istio.yaml", kMeshRegistryOnly);
    Write("mesh/se.yaml", Se("default", "debian-org", "[deb.debian.org]"));
    Write("mesh/ns.yaml", Ns("newguy") + "---\n" + Ns("payments"));
  }
  void TearDown() override { fs::remove_all(dir_); }
  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name, std::ios::binary) << text;
  }
  fs::path dir_;
};

TEST_F(PolicyCli, InvalidRegexIsAnErrorWithFileLine) {
  Write("policy.yaml", "egress:\n- namespaces: \"pay(ments\"\n  hosts: [\"*.debian.org\"]\n");
  auto r = RunInProcess({"lint", "mesh", "--policy", "policy.yaml"}, dir_.string());
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err.rfind("meshlint: policy.yaml:2:15: invalid namespace pattern \"pay(ments\": ", 0),
            0u)
      << r.err;
  r = RunInProcess({"egress", "mesh", "--policy", "policy.yaml"}, dir_.string());
  EXPECT_EQ(r.status, 2);
}

TEST_F(PolicyCli, InvalidHostPatternIsAnErrorWithFileLine) {
  Write("policy.yaml", "egress:\n- namespaces: \".*\"\n  hosts: [\"deb.*.org\"]\n");
  auto r = RunInProcess({"lint", "mesh", "--policy", "policy.yaml"}, dir_.string());
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err,
            "meshlint: policy.yaml:3:11: invalid host pattern \"deb.*.org\": '*' is only allowed "
            "as the whole leftmost label (\"*.example.com\")\n");
}

TEST_F(PolicyCli, MalformedPolicyShapeIsAnError) {
  Write("policy.yaml", "egress:\n- namespaces: [a, b]\n  hosts: \"x.com\"\n");
  auto r = RunInProcess({"lint", "mesh", "--policy", "policy.yaml"}, dir_.string());
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("policy.yaml:2:15: egress[0].namespaces must be a non-empty RE2 pattern"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("policy.yaml:3:10: egress[0].hosts must be a list"), std::string::npos)
      << r.err;
}

TEST_F(PolicyCli, NamespacePatternMatchesTheWholeName) {
  // "pay" must not match "payments": RE2 full match.
  Write(
      "policy.yaml",
      "egress:\n- namespaces: \"pay|default|istio-system|newguy\"\n  hosts: [\"*.debian.org\"]\n");
  auto r = RunInProcess({"egress", "mesh", "--policy", "policy.yaml", "--from", "payments", "--to",
                         "deb.debian.org", "--format", "json"},
                        dir_.string());
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("\"allowedByPolicy\": false"), std::string::npos) << r.out;
  r = RunInProcess({"egress", "mesh", "--policy", "policy.yaml"}, dir_.string());
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("NOT ALLOWED by policy for payments"), std::string::npos) << r.out;
}

TEST_F(PolicyCli, ViolationsShowInSarif) {
  Write("policy.yaml", "egress:\n- namespaces: \"default\"\n  hosts: [\"*.debian.org\"]\n");
  auto r =
      RunInProcess({"lint", "mesh", "--policy", "policy.yaml", "--format", "sarif"}, dir_.string());
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find("\"ruleId\": \"egress-not-allowed\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"uri\": \"mesh/se.yaml\""), std::string::npos);
  // Without --policy the rule is silent.
  r = RunInProcess({"lint", "mesh", "--format", "sarif"}, dir_.string());
  EXPECT_EQ(r.out.find("\"ruleId\": \"egress-not-allowed\""), std::string::npos);
}

TEST_F(PolicyCli, ViolationSarifPassesTheMultitool) {
  const char* tool = std::getenv("MESHLINT_SARIF_MULTITOOL");
  if (!tool || !fs::exists(tool))
    GTEST_SKIP() << "MESHLINT_SARIF_MULTITOOL not set (ci/test sets it)";
  Write("policy.yaml", "egress:\n- namespaces: \"default\"\n  hosts: [\"*.debian.org\"]\n");
  auto r = RunMeshlint(
      {"lint", "mesh", "--policy", "policy.yaml", "--format", "sarif", "--output", "out.sarif"},
      dir_.string());
  ASSERT_EQ(r.status, 1) << r.err;
  const std::string cmd = "'" + std::string(tool) + "' validate --rule-kind 'Sarif;Gh' -o '" +
                          (dir_ / "report.sarif").string() + "' '" + (dir_ / "out.sarif").string() +
                          "' >/dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  const std::string report = ReadFileText((dir_ / "report.sarif").string());
  EXPECT_NE(report.find("\"results\": []"), std::string::npos) << report;
}

TEST_F(PolicyCli, EgressJsonShape) {
  // JSON is an interface. Grouped (the default), each host is written once
  // in "hosts" and named by its index; the hosts every namespace reaches
  // alike are a group under "hostGroups" and each row names the groups it
  // reaches; --expand writes every host in full into every row's "external".
  for (bool expand : {false, true}) {
    std::vector<std::string> args = {"egress", "mesh", "--format", "json"};
    if (expand) args.push_back("--expand");
    auto r = RunInProcess(args, dir_.string());
    ASSERT_EQ(r.status, 0) << r.err;
    const nlohmann::json j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["schemaVersion"], 4);
    const nlohmann::json* newguy = nullptr;
    for (const auto& ns : j["namespaces"])
      if (ns["name"] == "newguy") newguy = &ns;
    ASSERT_NE(newguy, nullptr) << r.out;
    EXPECT_EQ((*newguy)["membership"]["state"], "injected");
    const nlohmann::json& row = (*newguy)["rows"][0];
    EXPECT_EQ(row["proxy"], "sidecar");
    EXPECT_EQ(row["outboundTrafficPolicy"], "REGISTRY_ONLY");
    EXPECT_EQ(row["outboundTrafficPolicySource"], "mesh");
    EXPECT_EQ(row["sidecar"], nullptr);
    const nlohmann::json deb = {{"host", "deb.debian.org"},
                                {"serviceEntry", "default/debian-org"},
                                {"ports", {{{"number", 443}, {"protocol", "HTTPS"}}}}};
    if (expand) {
      EXPECT_EQ(j["hostGroups"], nlohmann::json::array());
      EXPECT_EQ(j["hosts"], nlohmann::json::array());
      EXPECT_EQ(row["hostGroups"], nlohmann::json::array());
      EXPECT_EQ(row["external"], nlohmann::json::array({deb})) << r.out;
    } else {
      EXPECT_EQ(j["hosts"], nlohmann::json::array({deb})) << r.out;
      ASSERT_EQ(j["hostGroups"].size(), 1u) << r.out;
      EXPECT_EQ(j["hostGroups"][0]["id"], "g1");
      EXPECT_EQ(j["hostGroups"][0]["hosts"], nlohmann::json::array({0}));
      EXPECT_EQ(row["hostGroups"], nlohmann::json::array({"g1"}));
      EXPECT_EQ(row["external"], nlohmann::json::array()) << r.out;
    }
  }
}

TEST_F(PolicyCli, EgressJsonPolicyVerdictsNameHostsByIndex) {
  Write("mesh/stripe.yaml", Se("payments", "stripe", "[api.stripe.com]", R"(["."])"));
  Write("policy.yaml",
        "egress:\n- namespaces: \"payments|newguy|default|istio-system\"\n"
        "  hosts: [\"*.debian.org\"]\n");
  for (bool expand : {false, true}) {
    std::vector<std::string> args = {"egress",      "mesh",     "--policy",
                                     "policy.yaml", "--format", "json"};
    if (expand) args.push_back("--expand");
    auto r = RunInProcess(args, dir_.string());
    const nlohmann::json j = nlohmann::json::parse(r.out);
    const nlohmann::json* row = nullptr;
    for (const auto& ns : j["namespaces"])
      if (ns["name"] == "payments") row = &ns["rows"][0];
    ASSERT_NE(row, nullptr) << r.out;
    if (expand) {  // every host in full, the group's too, each with its verdict
      ASSERT_EQ((*row)["external"].size(), 2u) << r.out;
      EXPECT_EQ((*row)["external"][0]["host"], "api.stripe.com");
      EXPECT_EQ((*row)["external"][0]["allowed"], false);
      EXPECT_EQ((*row)["external"][1]["host"], "deb.debian.org");
      EXPECT_EQ((*row)["external"][1]["allowed"], true);
      EXPECT_FALSE(row->contains("externalNotAllowed"));
    } else {
      ASSERT_EQ((*row)["external"].size(), 1u) << r.out;
      const std::size_t id = (*row)["external"][0];
      EXPECT_EQ(j["hosts"][id]["host"], "api.stripe.com");
      EXPECT_FALSE(j["hosts"][id].contains("allowed"));  // a verdict is the row's, not the host's
      EXPECT_EQ((*row)["externalNotAllowed"], nlohmann::json::array({id}));
      EXPECT_EQ((*row)["groupHostsNotAllowed"], nlohmann::json::array());
    }
  }
}

TEST_F(PolicyCli, SidecarRowOfANamespaceWithoutProxies) {
  // A workload-scoped Sidecar in a namespace whose pods get no proxy: its row
  // is written (no proxy applies it), naming the Sidecar that selects them.
  Write(
      "mesh/off.yaml",
      "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: legacy\n  labels:\n"
      "    istio-injection: disabled\n---\n" +
          Sc("legacy", "debian", R"(["./*"])", "  workloadSelector:\n    labels: {app: debian}\n"));
  auto r = RunInProcess({"egress", "mesh", "--format", "json"}, dir_.string());
  ASSERT_EQ(r.status, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  const nlohmann::json* legacy = nullptr;
  for (const auto& ns : j["namespaces"])
    if (ns["name"] == "legacy") legacy = &ns;
  ASSERT_NE(legacy, nullptr) << r.out;
  ASSERT_EQ((*legacy)["rows"].size(), 2u) << r.out;
  const nlohmann::json& row = (*legacy)["rows"][1];
  EXPECT_EQ(row["selectedBySidecar"], "legacy/debian");
  EXPECT_EQ(row["proxy"], "none");
  EXPECT_EQ(row["anyHost"], true);
  auto e =
      RunInProcess({"egress", "mesh", "--from", "legacy", "--to", "deb.debian.org"}, dir_.string());
  EXPECT_NE(e.out.find("legacy/debian"), std::string::npos) << e.out << e.err;
}

TEST_F(PolicyCli, ExplanationJson) {
  auto r = RunInProcess(
      {"egress", "mesh", "--from", "newguy", "--to", "deb.debian.org", "--format", "json"},
      dir_.string());
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out.rfind(R"({
  "from": "newguy",
  "to": "deb.debian.org",
  "port": 443,
  "reachable": true,
  "viaRegistry": true,
  "mediated": true,
  "assumed": false,
  "outboundTrafficPolicy": "REGISTRY_ONLY",
  "sidecar": null,
  "workloads": [],
  "reasons": [
    {
      "text": "Namespace newguy is labelled istio-injection=enabled: the pods get a sidecar proxy.",
      "file": "mesh/ns.yaml",
      "line": 6,
      "column": 22
    },
    {
      "text": "Outbound mode is REGISTRY_ONLY, set by the mesh config (IstioOperator istio-system/installed-state): only hosts in the service registry (ServiceEntries) pass.",
      "file": "mesh/istio.yaml",
      "line": 9,
      "column": 13
    },)",
                        0),
            0u)
      << r.out;
  r = RunInProcess({"egress", "mesh", "--from", "newguy", "--to", "example.org"}, dir_.string());
  EXPECT_EQ(r.status, 1);
}

TEST_F(PolicyCli, FromWithoutToIsAUsageError) {
  auto r = RunInProcess({"egress", "mesh", "--from", "newguy"}, dir_.string());
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--from and --to go together"), std::string::npos);
}

}  // namespace
}  // namespace meshlint::testing
