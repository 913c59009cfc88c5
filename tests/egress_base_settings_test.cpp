// `meshlint egress --base`: the base side is resolved with its own settings
// (the .meshlint.yaml and the mesh config as they are at the revision, or in
// the base directory), so a change to the config alone shows up as the
// diff; the repository boundary holds on the base's tree; failOn applies;
// pairs carry their port, so opening a port on a host already reachable is
// an opened pair.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "egress_pairs.h"
#include "shell_run.h"
#include "test_util.h"

namespace meshlint::testing {
namespace {

namespace fs = std::filesystem;

// "modified .meshlint.yaml", one per change of an entry or of the list.
std::vector<std::string> Changes(const nlohmann::json& list) {
  std::vector<std::string> out;
  for (const auto& c : list)
    out.push_back(c["change"].get<std::string>() + " " + c["object"].get<std::string>() + " (" +
                  c["side"].get<std::string>() + ")");
  return out;
}

const char* kNamespace =
    "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  labels: {istio-injection: enabled}\n";

std::string ServiceEntry(const std::string& ports) {
  return "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: x\n"
         "  namespace: a\nspec:\n  hosts: [x.example.com]\n  location: MESH_EXTERNAL\n"
         "  resolution: DNS\n  ports:\n" +
         ports;
}
const char* kPort443 = "  - {number: 443, name: tls, protocol: TLS}\n";
const char* kPort8443 = "  - {number: 8443, name: tls-alt, protocol: TLS}\n";

std::string Mesh(const char* mode) {
  return std::string(
             "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: istio\n"
             "  namespace: istio-system\ndata:\n  mesh: |-\n    outboundTrafficPolicy:\n"
             "      mode: ") +
         mode + "\n";
}

bool HaveGit() { return RunShell("git --version").status == 0; }

std::string Git(const fs::path& repo) {
  return "cd " + ShellQuote(repo.string()) +
         " && git -c user.name=t -c user.email=t@example.com -c init.defaultBranch=main ";
}

void Commit(const fs::path& repo) {
  ASSERT_EQ(
      RunShell(Git(repo) + "init -q; " + Git(repo) + "add -A && " + Git(repo) + "commit -q -m base")
          .status,
      0);
}

// The mesh of these tests: REGISTRY_ONLY through the config's meshConfig,
// namespace a, ServiceEntry x on 443.
void WriteMesh(const TempDir& t, const std::string& dir, const std::string& config) {
  t.Write(dir + "/.meshlint.yaml", config);
  t.Write(dir + "/mesh-strict.yaml", Mesh("REGISTRY_ONLY"));
  t.Write(dir + "/mesh-open.yaml", Mesh("ALLOW_ANY"));
  t.Write(dir + "/manifests/ns.yaml", kNamespace);
  t.Write(dir + "/manifests/se.yaml", ServiceEntry(kPort443));
}

// An exclude added to .meshlint.yaml at the head leaves the ServiceEntry out:
// its pair closes, with the ServiceEntry (gone from what is loaded) and the
// config named as the changes. Before, the base was read with the head's
// config and nothing moved.
TEST(EgressBaseSettings, GitBaseReadsTheConfigAtTheRevision) {
  if (!HaveGit()) GTEST_SKIP() << "git is not installed";
  TempDir t;
  WriteMesh(t, "repo", "meshConfig: mesh-strict.yaml\n");
  Commit(t.path() / "repo");
  t.Write("repo/.meshlint.yaml", "meshConfig: mesh-strict.yaml\nexclude: [manifests/se.yaml]\n");
  const CommandResult r =
      RunInProcess({"egress", "manifests", "--base", "HEAD", "-f", "json"}, t.str() + "/repo");
  ASSERT_EQ(r.status, 0) << r.err << r.out;
  const nlohmann::json doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(Pairs(doc["opened"]), PairSet{});
  EXPECT_EQ(Pairs(doc["closed"]), (PairSet{"a -> x.example.com:443"}));
  EXPECT_EQ(doc["closed"][0]["protocol"], "TLS");
  EXPECT_EQ(Changes(doc["closed"][0]["changes"]),
            (std::vector<std::string>{"removed ServiceEntry a/x (base)",
                                      "modified .meshlint.yaml (head)"}));
  EXPECT_EQ(Changes(doc["changes"]), (std::vector<std::string>{"modified .meshlint.yaml (head)",
                                                               "removed ServiceEntry a/x (base)"}));
  EXPECT_EQ(doc["changes"][1]["file"], "manifests/se.yaml");
  EXPECT_EQ(doc["changes"][1]["line"], 4);
}

// meshConfig pointed at another file: the mode changes, so "any host"
// closes (exit 0: nothing opens; the registry's host on its port was
// reachable before, as any host, and still is); the same diff for a git
// revision and for a directory holding the base with its own config.
TEST(EgressBaseSettings, MeshConfigPathChangeIsTheDiff) {
  TempDir t;
  WriteMesh(t, "base", "meshConfig: mesh-open.yaml\n");
  WriteMesh(t, "head", "meshConfig: mesh-strict.yaml\n");
  const CommandResult dir =
      RunInProcess({"egress", "manifests", "--base", "../base", "-f", "json"}, t.str() + "/head");
  ASSERT_EQ(dir.status, 0) << dir.err << dir.out;
  const nlohmann::json d = nlohmann::json::parse(dir.out);
  EXPECT_EQ(Pairs(d["opened"]), PairSet{});
  EXPECT_EQ(d["unchanged"], 1);
  EXPECT_EQ(Pairs(d["closed"]), (PairSet{"a -> *"}));
  EXPECT_EQ(
      Changes(d["closed"][0]["changes"]),
      (std::vector<std::string>{"added mesh-strict.yaml (head)", "removed mesh-open.yaml (base)",
                                "modified .meshlint.yaml (head)"}));
  if (!HaveGit()) GTEST_SKIP() << "git is not installed";
  WriteMesh(t, "repo", "meshConfig: mesh-open.yaml\n");
  Commit(t.path() / "repo");
  t.Write("repo/.meshlint.yaml", "meshConfig: mesh-strict.yaml\n");
  const CommandResult git =
      RunInProcess({"egress", "manifests", "--base", "HEAD", "-f", "json"}, t.str() + "/repo");
  ASSERT_EQ(git.status, 0) << git.err << git.out;
  nlohmann::json g = nlohmann::json::parse(git.out);
  g.erase("baseCommit");
  g["base"] = d["base"];
  EXPECT_EQ(g, d) << "a revision and a directory give the same diff";
}

// With environments, --environment chooses one mesh on both sides: the
// base holds that environment alone (its other environments' files, read
// from the commit, are left out), for a git revision and for a directory.
TEST(EgressBaseSettings, EnvironmentChoosesTheSameMeshOnTheBase) {
  if (!HaveGit()) GTEST_SKIP() << "git is not installed";
  TempDir t;
  t.Write("repo/.meshlint.yaml", "environments: [\"envs/*\"]\n");
  for (const char* env : {"dev", "prod"}) {
    t.Write(std::string("repo/envs/") + env + "/mesh.yaml", Mesh("REGISTRY_ONLY"));
    t.Write(std::string("repo/envs/") + env + "/ns.yaml", kNamespace);
  }
  Commit(t.path() / "repo");
  fs::copy(t.path() / "repo", t.path() / "base", fs::copy_options::recursive);
  fs::remove_all(t.path() / "base" / ".git");
  t.Write("repo/envs/prod/se.yaml", ServiceEntry(kPort443));
  for (const std::string base : {"HEAD", "../base"}) {
    const CommandResult prod = RunInProcess(
        {"egress", "--base", base, "--environment", "envs/prod", "-f", "json"}, t.str() + "/repo");
    ASSERT_EQ(prod.status, 1) << base << prod.err << prod.out;
    const nlohmann::json d = nlohmann::json::parse(prod.out);
    EXPECT_EQ(Pairs(d["opened"]),
              (PairSet{"a -> x.example.com:443", "istio-system -> x.example.com:443"}))
        << base;
    EXPECT_EQ(Changes(d["changes"]), (std::vector<std::string>{"added ServiceEntry a/x (head)"}))
        << base << ": the dev environment is no change of the prod mesh";
    const CommandResult dev = RunInProcess(
        {"egress", "--base", base, "--environment", "envs/dev", "-f", "json"}, t.str() + "/repo");
    EXPECT_EQ(dev.status, 0) << base << dev.err << dev.out;
    EXPECT_EQ(nlohmann::json::parse(dev.out)["changes"].size(), 0u) << base << dev.out;
  }
}

// The base's config is held to the repository boundary on the base's own
// tree: a meshConfig that is a symbolic link there, or that leaves the
// repository, stops the run (exit 2) without reading it.
TEST(EgressBaseSettings, BaseConfigFilesStayInsideTheBaseTree) {
  if (!HaveGit()) GTEST_SKIP() << "git is not installed";
  TempDir t;
  WriteMesh(t, "repo", "meshConfig: linked.yaml\n");
  fs::create_symlink("mesh-strict.yaml", t.path() / "repo" / "linked.yaml");
  Commit(t.path() / "repo");
  t.Write("repo/.meshlint.yaml", "meshConfig: mesh-strict.yaml\n");
  const CommandResult link = RunInProcess({"egress", "--base", "HEAD"}, t.str() + "/repo");
  EXPECT_EQ(link.status, 2) << link.out;
  EXPECT_NE(link.err.find("base: .meshlint.yaml:1:13: meshConfig 'linked.yaml' is a symbolic "
                          "link in HEAD: not followed"),
            std::string::npos)
      << link.err;
  t.Write("outside.yaml", Mesh("ALLOW_ANY"));
  t.Write("repo/.meshlint.yaml", "meshConfig: ../outside.yaml\n");
  ASSERT_EQ(RunShell(Git(t.path() / "repo") + "commit -q -am outside").status, 0);
  t.Write("repo/.meshlint.yaml", "meshConfig: mesh-strict.yaml\n");
  const CommandResult out = RunInProcess({"egress", "--base", "HEAD"}, t.str() + "/repo");
  EXPECT_EQ(out.status, 2) << out.out;
  EXPECT_NE(out.err.find("meshConfig '../outside.yaml' lies outside the repository"),
            std::string::npos)
      << out.err;
}

// Opening a second port on a host already reachable is an opened pair of
// its own, named with the ServiceEntry that changed.
TEST(EgressBaseSettings, ANewPortIsAnOpenedPair) {
  TempDir t;
  WriteMesh(t, "base", "meshConfig: mesh-strict.yaml\n");
  WriteMesh(t, "head", "meshConfig: mesh-strict.yaml\n");
  t.Write("head/manifests/se.yaml", ServiceEntry(std::string(kPort443) + kPort8443));
  const CommandResult r =
      RunInProcess({"egress", "manifests", "--base", "../base", "-f", "json"}, t.str() + "/head");
  ASSERT_EQ(r.status, 1) << r.err << r.out;
  const nlohmann::json doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(Pairs(doc["opened"]), (PairSet{"a -> x.example.com:8443"}));
  EXPECT_EQ(Pairs(doc["closed"]), PairSet{});
  EXPECT_EQ(doc["unchanged"], 1);
  EXPECT_EQ(doc["opened"][0]["protocol"], "TLS");
  EXPECT_EQ(Changes(doc["opened"][0]["changes"]),
            (std::vector<std::string>{"modified ServiceEntry a/x (head)"}));
  const CommandResult text =
      RunInProcess({"egress", "manifests", "--base", "../base"}, t.str() + "/head");
  EXPECT_NE(text.out.find("\n  a -> x.example.com:8443\n"), std::string::npos) << text.out;
}

// failOn in .meshlint.yaml sets the exit status as --fail-on does, for the
// diff and for --policy violations; the flag wins.
TEST(EgressBaseSettings, FailOnFromTheConfig) {
  TempDir t;
  WriteMesh(t, "base", "meshConfig: mesh-strict.yaml\n");
  WriteMesh(t, "head", "meshConfig: mesh-strict.yaml\nfailOn: never\n");
  t.Write("head/manifests/se.yaml", ServiceEntry(std::string(kPort443) + kPort8443));
  const std::string head = t.str() + "/head";
  EXPECT_EQ(RunInProcess({"egress", "manifests", "--base", "../base"}, head).status, 0);
  EXPECT_EQ(RunInProcess({"egress", "manifests", "--base", "../base", "--fail-on", "warning"}, head)
                .status,
            1);
  t.Write("head/policy.yaml", "egress:\n- namespaces: \"b\"\n  hosts: [\"*\"]\n");
  EXPECT_EQ(RunInProcess({"egress", "manifests", "--policy", "policy.yaml"}, head).status, 0);
  EXPECT_EQ(
      RunInProcess({"egress", "manifests", "--policy", "policy.yaml", "--fail-on", "error"}, head)
          .status,
      1);
  t.Write("head/.meshlint.yaml", "meshConfig: mesh-strict.yaml\nfailOn: error\n");
  EXPECT_EQ(RunInProcess({"egress", "manifests", "--base", "../base"}, head).status, 0)
      << "without a policy an opened pair is a warning";
  EXPECT_EQ(RunInProcess({"egress", "manifests", "--policy", "policy.yaml"}, head).status, 1);
}

}  // namespace
}  // namespace meshlint::testing
