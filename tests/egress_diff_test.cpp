// `meshlint egress --base`: on the seed write-up's steps
// (fixtures/scenarios/seed-egress-step-N), the change from each step to the
// next opens and closes exactly the pairs the author saw change, each with
// its explanation and the object that changed; outputs as reviewed
// (tests/egress-diff/step-N.{txt,json}; MESHLINT_UPDATE_GOLDEN=1 rewrites
// them), and the exit statuses.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "egress_pairs.h"
#include "shell_run.h"
#include "test_util.h"

namespace meshlint::testing {
namespace {

namespace fs = std::filesystem;

struct StepDiff {
  int step;  // compared with step - 1
  PairSet opened;
  PairSet closed;
};

// What changed, step by step. istio-system is a namespace of the inputs (the
// IstioOperator's) and reaches what every namespace reaches.
const StepDiff kDiffs[] = {
    {2,
     {"default -> deb.debian.org:80", "default -> security.debian.org:80",
      "istio-system -> deb.debian.org:80", "istio-system -> security.debian.org:80"},
     {}},
    // The plot twist: the new namespace reaches the hosts too.
    {3, {"newguy -> deb.debian.org:80", "newguy -> security.debian.org:80"}, {}},
    // exportTo ["."]: newguy (and istio-system) lose them; default keeps them.
    {4,
     {},
     {"istio-system -> deb.debian.org:80", "istio-system -> security.debian.org:80",
      "newguy -> deb.debian.org:80", "newguy -> security.debian.org:80"}},
    // The Sidecar instead of exportTo: istio-system reaches them again, newguy does not.
    {5, {"istio-system -> deb.debian.org:80", "istio-system -> security.debian.org:80"}, {}},
    // The Sidecar lists the hosts: newguy reaches them again.
    {6, {"newguy -> deb.debian.org:80", "newguy -> security.debian.org:80"}, {}},
};

bool Updating() {
  const char* v = std::getenv("MESHLINT_UPDATE_GOLDEN");
  return v && std::string(v) == "1";
}

fs::path StepDir(int step) {
  return fs::path(SourceDir()) / "fixtures" / "scenarios" /
         ("seed-egress-step-" + std::to_string(step));
}

void CheckGolden(const fs::path& golden, const std::string& actual) {
  if (Updating()) {
    std::ofstream(golden, std::ios::binary | std::ios::trunc) << actual;
    return;
  }
  ASSERT_TRUE(fs::exists(golden)) << golden << " missing (MESHLINT_UPDATE_GOLDEN=1)";
  EXPECT_EQ(ReadFileText(golden.string()), actual) << golden;
}

class SeedDiff : public ::testing::TestWithParam<StepDiff> {};

TEST_P(SeedDiff, DirectoryBaseNamesExactlyThePairsThatChanged) {
  const StepDiff& s = GetParam();
  const std::string base = "../seed-egress-step-" + std::to_string(s.step - 1);
  const CommandResult json =
      RunInProcess({"egress", ".", "--base", base, "-f", "json"}, StepDir(s.step).string());
  ASSERT_NE(json.status, 2) << json.err;
  EXPECT_EQ(json.status, s.opened.empty() ? 0 : 1) << "exit 1 exactly when a pair opens";
  const nlohmann::json doc = nlohmann::json::parse(json.out);
  EXPECT_EQ(doc["schemaVersion"], 1);
  EXPECT_EQ(doc["base"], base);
  EXPECT_EQ(Pairs(doc["opened"]), s.opened);
  EXPECT_EQ(Pairs(doc["closed"]), s.closed);
  for (const char* list : {"opened", "closed"})
    for (const auto& e : doc[list]) {
      EXPECT_FALSE(e["reasons"].empty()) << e.dump();
      EXPECT_FALSE(e["changes"].empty()) << "which change did it: " << e.dump();
    }
  const fs::path golden = fs::path(SourceDir()) / "tests" / "egress-diff";
  CheckGolden(golden / ("step-" + std::to_string(s.step) + ".json"), json.out);
  const CommandResult text =
      RunInProcess({"egress", ".", "--base", base}, StepDir(s.step).string());
  EXPECT_EQ(text.status, json.status);
  CheckGolden(golden / ("step-" + std::to_string(s.step) + ".txt"), text.out);
}

INSTANTIATE_TEST_SUITE_P(Steps, SeedDiff, ::testing::ValuesIn(kDiffs),
                         [](const ::testing::TestParamInfo<StepDiff>& info) {
                           return "step" + std::to_string(info.param.step);
                         });

// The same diffs with the base read from a git revision: a scratch
// repository holds step N-1 in its last commit and step N in its working
// tree, below a subdirectory (the PATH resolved at the revision). The
// outputs are those of the directory base but for the base's name, and the
// working tree, index and HEAD are left as they were.
TEST_P(SeedDiff, GitRevisionBaseGivesTheSameDiff) {
  const StepDiff& s = GetParam();
  if (RunShell("git --version").status != 0) GTEST_SKIP() << "git is not installed";
  TempDir t;
  const fs::path repo = t.path() / "repo", dir = repo / "mesh";
  fs::create_directories(dir);
  auto copy_step = [&](int step) {
    for (const auto& e : fs::directory_iterator(dir)) fs::remove(e.path());
    for (const auto& e : fs::directory_iterator(StepDir(step)))
      if (e.path().extension() == ".yaml") fs::copy_file(e.path(), dir / e.path().filename());
  };
  copy_step(s.step - 1);
  const std::string git =
      "cd " + ShellQuote(repo.string()) +
      " && git -c user.name=t -c user.email=t@example.com -c init.defaultBranch=main ";
  ASSERT_EQ(RunShell(git + "init -q && " + git + "add -A && " + git + "commit -q -m base").status,
            0);
  copy_step(s.step);
  t.Write("repo/untracked-note.txt", "left alone\n");
  const std::string state = "cd " + ShellQuote(repo.string()) +
                            " && git status --porcelain && git rev-parse HEAD && git stash list";
  const ShellResult before = RunShell(state);

  const CommandResult json =
      RunInProcess({"egress", ".", "--base", "HEAD", "-f", "json"}, dir.string());
  ASSERT_NE(json.status, 2) << json.err;
  EXPECT_EQ(json.status, s.opened.empty() ? 0 : 1);
  nlohmann::json doc = nlohmann::json::parse(json.out);
  EXPECT_EQ(doc["base"], "HEAD");
  EXPECT_EQ(doc["baseCommit"].get<std::string>().size(), 40u) << doc["baseCommit"];
  EXPECT_EQ(Pairs(doc["opened"]), s.opened);
  EXPECT_EQ(Pairs(doc["closed"]), s.closed);
  const fs::path golden = fs::path(SourceDir()) / "tests" / "egress-diff";
  if (!Updating()) {
    nlohmann::json expected = nlohmann::json::parse(
        ReadFileText((golden / ("step-" + std::to_string(s.step) + ".json")).string()));
    doc.erase("baseCommit");
    doc["base"] = expected["base"];
    EXPECT_EQ(doc, expected);
    const CommandResult text = RunInProcess({"egress", "--base", "HEAD"}, dir.string());
    std::string want =
        ReadFileText((golden / ("step-" + std::to_string(s.step) + ".txt")).string());
    const std::string got = text.out.substr(text.out.find('\n'));
    EXPECT_EQ(want.substr(want.find('\n')), got);
  }
  EXPECT_EQ(RunShell(state).out, before.out) << "the working tree, index and HEAD are untouched";
}

// A revision that does not exist, and a path the base does not have yet.
TEST(EgressDiff, GitRevisionErrorsAndNewPaths) {
  if (RunShell("git --version").status != 0) GTEST_SKIP() << "git is not installed";
  TempDir t;
  const std::string git =
      "cd " + ShellQuote(t.str()) + " && git -c user.name=t -c user.email=t@example.com ";
  t.Write(
      "old/ns.yaml",
      "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  labels: {istio-injection: enabled}\n");
  ASSERT_EQ(RunShell(git + "init -q && " + git + "add -A && " + git + "commit -q -m base").status,
            0);
  const CommandResult bad = RunInProcess({"egress", "--base", "no-such-branch"}, t.str());
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find("'no-such-branch' is neither a directory nor a commit"), std::string::npos)
      << bad.err;
  EXPECT_EQ(RunInProcess({"egress", "--base", "--output=x"}, t.str()).status, 2);
  // A directory the change adds: an empty base, every pair of it opened.
  t.Write("new/se.yaml",
          "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: x\n"
          "  namespace: a\nspec:\n  hosts: [x.example.com]\n  location: MESH_EXTERNAL\n");
  const CommandResult added =
      RunInProcess({"egress", "new", "--base", "HEAD", "-f", "json"}, t.str());
  EXPECT_EQ(added.status, 1) << added.err;
  const nlohmann::json doc = nlohmann::json::parse(added.out);
  // ALLOW_ANY: any host, which says it all (the registry's hosts are not
  // listed again under it).
  EXPECT_EQ(Pairs(doc["opened"]), (PairSet{"a -> *"}));
  EXPECT_EQ(doc["opened"][0]["changes"][0]["object"], "ServiceEntry a/x") << doc.dump(2);
  EXPECT_EQ(doc["opened"][0]["changes"][0]["change"], "added");
  // Outside any repository: a clear error.
  TempDir plain;
  const CommandResult none = RunInProcess({"egress", "--base", "main"}, plain.str());
  EXPECT_EQ(none.status, 2);
  EXPECT_NE(none.err.find("not in a git repository"), std::string::npos) << none.err;
}

// The change that did it, named: exportTo ["."] is a change to the
// ServiceEntry; the plot twist is the new Namespace.
TEST(EgressDiff, NamesTheChangedObject) {
  const CommandResult r = RunInProcess({"egress", "--base", "../seed-egress-step-3", "-f", "json"},
                                       StepDir(4).string());
  const nlohmann::json doc = nlohmann::json::parse(r.out);
  ASSERT_EQ(doc["closed"].size(), 4u);
  const auto& c = doc["closed"][2]["changes"];
  ASSERT_EQ(c.size(), 1u) << c.dump();
  EXPECT_EQ(c[0]["change"], "modified");
  EXPECT_EQ(c[0]["object"], "ServiceEntry default/debian-org");
  EXPECT_EQ(c[0]["file"], "debian-org.yaml");
  const CommandResult twist = RunInProcess(
      {"egress", "--base", "../seed-egress-step-2", "-f", "json"}, StepDir(3).string());
  const nlohmann::json d3 = nlohmann::json::parse(twist.out);
  ASSERT_EQ(d3["opened"].size(), 2u);
  EXPECT_EQ(d3["opened"][0]["changes"][0]["object"], "Namespace newguy");
  EXPECT_EQ(d3["opened"][0]["changes"][0]["change"], "added");
}

TEST(EgressDiff, ExitStatusFollowsFailOn) {
  const std::string dir = StepDir(3).string();
  EXPECT_EQ(RunInProcess({"egress", "--base", "../seed-egress-step-2"}, dir).status, 1);
  EXPECT_EQ(
      RunInProcess({"egress", "--base", "../seed-egress-step-2", "--fail-on", "never"}, dir).status,
      0);
  // Without a policy an opened pair counts as a warning.
  EXPECT_EQ(
      RunInProcess({"egress", "--base", "../seed-egress-step-2", "--fail-on", "error"}, dir).status,
      0);
  EXPECT_EQ(
      RunInProcess({"egress", "--base", "../seed-egress-step-2", "--fail-on", "note"}, dir).status,
      1);
  // Only closing: 0.
  EXPECT_EQ(RunInProcess({"egress", "--base", "../seed-egress-step-3"}, StepDir(4).string()).status,
            0);
  // The same mesh on both sides: nothing changes.
  const CommandResult same = RunInProcess({"egress", "--base", "."}, dir);
  EXPECT_EQ(same.status, 0) << same.err;
  EXPECT_EQ(same.out.substr(same.out.find('\n') + 1), "0 pairs opened, 0 closed, 6 unchanged.\n");
  const CommandResult bad =
      RunInProcess({"egress", "--base", "../seed-egress-step-2", "--fail-on", "loud"}, dir);
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find("--fail-on must be"), std::string::npos) << bad.err;
  const CommandResult missing = RunInProcess({"egress", "--base", "no-such-base"}, dir);
  EXPECT_EQ(missing.status, 2);
  EXPECT_NE(missing.err.find("no-such-base"), std::string::npos) << missing.err;
  EXPECT_EQ(missing.err.find("--help"), std::string::npos) << "an input error, not a usage one";
  EXPECT_EQ(RunInProcess({"egress", "--base", ".", "--from", "a", "--to", "b"}, dir).status, 2);
}

// With --policy, only an opened pair the policy does not allow fails.
TEST(EgressDiff, PolicyDecidesWhichOpenedPairsFail) {
  TempDir t;
  t.Write("policy.yaml",
          "egress:\n- namespaces: \"default|istio-system\"\n  hosts: [\"*.debian.org\"]\n");
  const std::string dir = StepDir(3).string();
  const std::string policy = (t.path() / "policy.yaml").string();
  const CommandResult r = RunInProcess(
      {"egress", "--base", "../seed-egress-step-2", "--policy", policy, "-f", "json"}, dir);
  EXPECT_EQ(r.status, 1) << r.err;
  const nlohmann::json doc = nlohmann::json::parse(r.out);
  ASSERT_EQ(doc["opened"].size(), 2u);
  EXPECT_EQ(doc["opened"][0]["allowedByPolicy"], false);
  t.Write("policy.yaml", "egress:\n- namespaces: \".*\"\n  hosts: [\"*.debian.org\"]\n");
  EXPECT_EQ(
      RunInProcess({"egress", "--base", "../seed-egress-step-2", "--policy", policy}, dir).status,
      0);
  EXPECT_EQ(RunInProcess({"egress", "--base", "../seed-egress-step-2", "--policy", policy,
                          "--fail-on", "note"},
                         dir)
                .status,
            1);
}

}  // namespace
}  // namespace meshlint::testing

namespace meshlint::testing {
namespace {

// What a reviewer is told about a removed ServiceEntry. Under ALLOW_ANY
// "any host" says it all: removing a ServiceEntry moves no pair (its host
// stays reachable), so the removal is listed among the changed objects, at
// its place in the base, with no pair behind it. Under REGISTRY_ONLY its
// host's port closes, and the removal is named as the change that closed
// it. Switching the mesh to REGISTRY_ONLY closes "any host" and names the
// mesh config.
TEST(EgressDiff, ModeAndRemovalAreTheChanges) {
  TempDir base, head, strict_base, strict_head;
  const std::string ns =
      "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  labels: {istio-injection: enabled}\n";
  const std::string se =
      "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: x\n  namespace: a\n"
      "spec:\n  hosts: [x.example.com]\n  location: MESH_EXTERNAL\n  resolution: DNS\n"
      "  ports:\n  - {number: 443, name: tls, protocol: TLS}\n";
  const std::string mesh =
      "apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nmetadata:\n  name: istio\n"
      "  namespace: istio-system\nspec:\n  meshConfig:\n    outboundTrafficPolicy:\n"
      "      mode: REGISTRY_ONLY\n";
  base.Write("ns.yaml", ns);
  base.Write("se.yaml", se);
  head.Write("ns.yaml", ns);

  // ALLOW_ANY on both sides: nothing moves, the removal is still named.
  const CommandResult same =
      RunInProcess({"egress", "--base", base.str(), "-f", "json"}, head.str());
  EXPECT_EQ(same.status, 0) << same.err << same.out;
  const nlohmann::json quiet = nlohmann::json::parse(same.out);
  EXPECT_EQ(Pairs(quiet["opened"]), PairSet{});
  EXPECT_EQ(Pairs(quiet["closed"]), PairSet{});
  EXPECT_EQ(quiet["unchanged"], 1);
  ASSERT_EQ(quiet["changes"].size(), 1u) << quiet.dump(2);
  EXPECT_EQ(quiet["changes"][0]["change"], "removed");
  EXPECT_EQ(quiet["changes"][0]["object"], "ServiceEntry a/x");
  EXPECT_EQ(quiet["changes"][0]["side"], "base");
  EXPECT_EQ(quiet["changes"][0]["file"], "se.yaml");
  EXPECT_EQ(quiet["changes"][0]["line"], 4);
  const CommandResult text = RunInProcess({"egress", "--base", base.str()}, head.str());
  EXPECT_EQ(text.out.substr(text.out.find('\n') + 1),
            "0 pairs opened, 0 closed, 1 unchanged.\n\nChanged objects (1):\n"
            "  removed ServiceEntry a/x (se.yaml:4:9 in the base)\n");

  // REGISTRY_ONLY on both sides: the removal closes the host's port.
  for (const TempDir* d : {&strict_base, &strict_head}) {
    d->Write("ns.yaml", ns);
    d->Write("mesh.yaml", mesh);
  }
  strict_base.Write("se.yaml", se);
  const CommandResult removed =
      RunInProcess({"egress", "--base", strict_base.str(), "-f", "json"}, strict_head.str());
  EXPECT_EQ(removed.status, 0) << removed.err << removed.out;
  const nlohmann::json gone = nlohmann::json::parse(removed.out);
  EXPECT_EQ(Pairs(gone["opened"]), PairSet{});
  // istio-system (the IstioOperator's namespace) reached it too.
  EXPECT_EQ(Pairs(gone["closed"]),
            (PairSet{"a -> x.example.com:443", "istio-system -> x.example.com:443"}));
  const auto& closed = gone["closed"][0];
  ASSERT_EQ(closed["changes"].size(), 1u) << closed.dump(2);
  EXPECT_EQ(closed["changes"][0]["object"], "ServiceEntry a/x");
  EXPECT_EQ(closed["changes"][0]["change"], "removed");
  EXPECT_EQ(closed["changes"][0]["side"], "base");
  EXPECT_EQ(closed["changes"][0]["file"], "se.yaml");

  // The mode switched (and the ServiceEntry removed): "any host" closes,
  // named with the mesh config; the removal is listed too.
  head.Write("mesh.yaml", mesh);
  const CommandResult r = RunInProcess({"egress", "--base", base.str(), "-f", "json"}, head.str());
  EXPECT_EQ(r.status, 0) << r.err << r.out;
  const nlohmann::json doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(Pairs(doc["opened"]), PairSet{});
  EXPECT_EQ(Pairs(doc["closed"]), (PairSet{"a -> *"}));
  const auto& any = doc["closed"][0];
  ASSERT_EQ(any["changes"].size(), 1u) << any.dump(2);
  EXPECT_EQ(any["changes"][0]["object"], "IstioOperator istio-system/istio");
  EXPECT_EQ(any["changes"][0]["change"], "added");
  ASSERT_EQ(doc["changes"].size(), 2u) << doc.dump(2);
  EXPECT_EQ(doc["changes"][0]["object"], "IstioOperator istio-system/istio");
  EXPECT_EQ(doc["changes"][1]["object"], "ServiceEntry a/x");
  EXPECT_EQ(doc["changes"][1]["change"], "removed");

  // The mode switched, the ServiceEntry kept: a's pair to its host was
  // reachable before (as any host) and still is, so only "any host" closes.
  // istio-system is new (the IstioOperator's namespace): its pair opens.
  head.Write("se.yaml", se);
  const CommandResult kept =
      RunInProcess({"egress", "--base", base.str(), "-f", "json"}, head.str());
  const nlohmann::json k = nlohmann::json::parse(kept.out);
  EXPECT_EQ(kept.status, 1) << kept.err << kept.out;
  EXPECT_EQ(Pairs(k["opened"]), (PairSet{"istio-system -> x.example.com:443"}));
  EXPECT_EQ(Pairs(k["closed"]), (PairSet{"a -> *"}));
  EXPECT_EQ(k["unchanged"], 1) << "a still reaches x.example.com:443";
  // And back: the base listed the host, the head reaches any host: "any
  // host" opens, a's pair to the host does not close.
  const CommandResult loose =
      RunInProcess({"egress", "--base", head.str(), "-f", "json"}, base.str());
  const nlohmann::json l = nlohmann::json::parse(loose.out);
  EXPECT_EQ(loose.status, 1) << loose.err;
  EXPECT_EQ(Pairs(l["opened"]), (PairSet{"a -> *"}));
  EXPECT_EQ(Pairs(l["closed"]), (PairSet{"istio-system -> x.example.com:443"}));
}

// "Any host" that came or went with the proxy names what decided the
// proxy (the pod label), not the namespace's first object (a ServiceEntry
// that changed too, but opens or closes nothing of "any host"); with no
// such label changed, the namespace's workloads that changed are named.
TEST(EgressDiff, AnyHostFromTheProxyNamesWhatDecidedIt) {
  if (RunShell("git --version").status != 0) GTEST_SKIP() << "git is not installed";
  TempDir t;
  const std::string git =
      "cd " + ShellQuote(t.str()) +
      " && git -c user.name=t -c user.email=t@example.com -c init.defaultBranch=main ";
  t.Write("mesh.yaml",
          "apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nmetadata:\n  name: istio\n"
          "  namespace: istio-system\nspec:\n  meshConfig:\n    outboundTrafficPolicy:\n"
          "      mode: REGISTRY_ONLY\n");
  auto se = [](const std::string& hosts) {
    return "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: x\n"
           "  namespace: a\nspec:\n  hosts: [" +
           hosts +
           "]\n  exportTo: [\".\"]\n  location: MESH_EXTERNAL\n  resolution: DNS\n"
           "  ports:\n  - {number: 443, name: tls, protocol: TLS}\n";
  };
  auto web = [](bool injected) {
    return std::string(
               "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n"
               "  namespace: a\nspec:\n  selector: {matchLabels: {app: web}}\n"
               "  template:\n    metadata:\n      labels:\n        app: web\n") +
           (injected ? "" : "        sidecar.istio.io/inject: \"false\"\n") +
           "    spec:\n      containers: [{name: web, image: web}]\n";
  };
  // The base: a's only workload opts out of injection, so a reaches any host.
  t.Write("se.yaml", se("x.example.com"));
  t.Write("web.yaml", web(false));
  ASSERT_EQ(RunShell(git + "init -q && " + git + "add -A && " + git + "commit -q -m base").status,
            0);
  // The change: the label goes, and the ServiceEntry (a's first object)
  // lists one host more.
  t.Write("se.yaml", se("x.example.com, y.example.com"));
  t.Write("web.yaml", web(true));
  const CommandResult r = RunInProcess({"egress", "--base", "HEAD", "-f", "json"}, t.str());
  ASSERT_NE(r.status, 2) << r.err;
  const nlohmann::json doc = nlohmann::json::parse(r.out);
  // a reached y.example.com already, as any host: nothing opens.
  EXPECT_EQ(Pairs(doc["opened"]), PairSet{});
  EXPECT_EQ(Pairs(doc["closed"]), (PairSet{"a -> *"}));
  const auto& closed = doc["closed"][0]["changes"];
  ASSERT_EQ(closed.size(), 1u) << closed.dump(2);
  EXPECT_EQ(closed[0]["object"], "Deployment a/web");
  EXPECT_EQ(closed[0]["change"], "modified");
  EXPECT_EQ(closed[0]["file"], "web.yaml");
  // And back: committed without the label, the working tree adds it again.
  ASSERT_EQ(RunShell(git + "commit -q -a -m head").status, 0);
  t.Write("se.yaml", se("x.example.com"));
  t.Write("web.yaml", web(false));
  const CommandResult back = RunInProcess({"egress", "--base", "HEAD", "-f", "json"}, t.str());
  const nlohmann::json b = nlohmann::json::parse(back.out);
  EXPECT_EQ(Pairs(b["opened"]), (PairSet{"a -> *"}));
  const auto& opened = b["opened"][0]["changes"];
  ASSERT_EQ(opened.size(), 1u) << opened.dump(2);
  EXPECT_EQ(opened[0]["object"], "Deployment a/web");
  EXPECT_EQ(opened[0]["file"], "web.yaml");
  EXPECT_EQ(opened[0]["line"], 4);
  // Membership: the workload that opted out moves to another namespace; a
  // (known from its ServiceEntry) is then assumed injected: "any host"
  // closes, and the move is the change, not the ServiceEntry.
  ASSERT_EQ(RunShell(git + "commit -q -a -m back").status, 0);
  std::string moved = web(false);
  moved.replace(moved.find("namespace: a"), 12, "namespace: b");
  t.Write("se.yaml", se("x.example.com, z.example.com"));
  t.Write("web.yaml", moved);
  const CommandResult m = RunInProcess({"egress", "--base", "HEAD", "-f", "json"}, t.str());
  const nlohmann::json md = nlohmann::json::parse(m.out);
  ASSERT_EQ(Pairs(md["closed"]), (PairSet{"a -> *"})) << md.dump(2);
  const auto& gone = md["closed"][0]["changes"];
  ASSERT_EQ(gone.size(), 1u) << gone.dump(2);
  EXPECT_EQ(gone[0]["object"], "Deployment a/web");
  EXPECT_EQ(gone[0]["change"], "removed");
}

// A workload group that is new on the head answers, on the base, as its
// namespace did; a group that reached nothing on the base is no namespace.
TEST(EgressDiff, NewWorkloadGroupIsComparedWithItsNamespace) {
  TempDir base, head;
  const std::string common =
      "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  labels: {istio-injection: enabled}\n"
      "---\napiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nmetadata:\n  name: istio\n"
      "  namespace: istio-system\nspec:\n  meshConfig:\n    outboundTrafficPolicy:\n"
      "      mode: REGISTRY_ONLY\n---\n"
      "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: x\n  namespace: a\n"
      "spec:\n  hosts: [x.example.com]\n  exportTo: [\".\"]\n  location: MESH_EXTERNAL\n"
      "  resolution: DNS\n  ports:\n  - {number: 443, name: tls, protocol: TLS}\n";
  const std::string web =
      "apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata:\n  name: web\n  namespace: a\n"
      "spec:\n  workloadSelector: {labels: {app: web}}\n  egress:\n  - hosts: [\"%s\"]\n";
  auto sidecar = [&](const char* host) {
    std::string s = web;
    s.replace(s.find("%s"), 2, host);
    return s;
  };
  base.Write("mesh.yaml", common);
  head.Write("mesh.yaml", common);
  head.Write("web.yaml", sidecar("./x.example.com"));
  // The namespace reached x already: the new group's pair is unchanged.
  const CommandResult added =
      RunInProcess({"egress", "--base", base.str(), "-f", "json"}, head.str());
  const nlohmann::json d = nlohmann::json::parse(added.out);
  EXPECT_EQ(added.status, 0) << added.err << added.out;
  EXPECT_EQ(Pairs(d["opened"]), PairSet{});
  EXPECT_EQ(Pairs(d["closed"]), PairSet{});
  // The group reached nothing on the base: its pair opens.
  base.Write("web.yaml", sidecar("./none.example.com"));
  const CommandResult widened =
      RunInProcess({"egress", "--base", base.str(), "-f", "json"}, head.str());
  const nlohmann::json w = nlohmann::json::parse(widened.out);
  EXPECT_EQ(widened.status, 1) << widened.err << widened.out;
  EXPECT_EQ(Pairs(w["opened"]), (PairSet{"a (Sidecar/web) -> x.example.com:443"}));
}

}  // namespace
}  // namespace meshlint::testing
