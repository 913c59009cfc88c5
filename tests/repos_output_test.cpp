// What a first run on a real repository prints (tests/repos/): the summary
// mode, lines wrapped on a terminal only, --verbose's list of what was not
// linted, stdin in SARIF, "no mesh config" as a finding about the project,
// kustomize without the tool or the network, and templated values that
// never become names, namespaces or hosts.
#include <gtest/gtest.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "loader/kustomize.h"
#include "report/report.h"
#include "test_util.h"

namespace meshlint {
namespace {

namespace fs = std::filesystem;
using testing::RunInProcess;

std::string ReadText(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Compares `actual` with the golden file (MESHLINT_UPDATE_GOLDEN=1 rewrites it).
void ExpectGolden(const fs::path& golden, const std::string& actual) {
  if (const char* update = std::getenv("MESHLINT_UPDATE_GOLDEN"); update && *update == '1') {
    std::ofstream(golden, std::ios::binary) << actual;
    return;
  }
  EXPECT_EQ(actual, ReadText(golden)) << golden;
}

// Lines of `text` that start with `prefix`.
std::string LinesStarting(const std::string& text, std::string_view prefix) {
  std::string lines, line;
  std::istringstream in(text);
  while (std::getline(in, line))
    if (line.starts_with(prefix)) lines += line + "\n";
  return lines;
}

// Sets an environment variable for the object's life.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    ::setenv(name, value, 1);
  }
  ~ScopedEnv() {
    if (old_) ::setenv(name_, old_->c_str(), 1);
    else ::unsetenv(name_);
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

// ------------------------------------------------------------------ --summary

TEST(FirstRun, SummaryGivesCountsAndTheFirstFindingOfEachRule) {
  const std::string dir = testing::RepoTree("first-run").string();
  auto r = RunInProcess({"lint", "--no-config", "-q", "--summary"}, dir);
  ExpectGolden(testing::RepoTree("first-run.summary.txt"), r.out);
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.status, 1);
  // The excluded legacy file leaves its rule out; a clean run says so.
  auto less = RunInProcess({"lint", "--no-config", "-q", "--summary", "--exclude", "legacy"}, dir);
  ExpectGolden(testing::RepoTree("first-run.summary-excluded.txt"), less.out);
  EXPECT_EQ(less.status, 1);
  auto clean = RunInProcess({"lint", "--no-config", "-q", "--summary", "--disable",
                             "serviceentry-exported-to-all", "--disable", "mesh-outbound-allow-any",
                             "--disable", "sidecar-egress-wildcard", "--exclude", "legacy"},
                            dir);
  EXPECT_EQ(clean.out, "no findings\n");
  EXPECT_EQ(clean.status, 0);
}

// The report on stdout is the table by rule already: stderr keeps its one
// line of totals and does not repeat the table.
TEST(FirstRun, SummaryOnStderrIsOneLine) {
  auto r = RunInProcess({"lint", "--no-config", "--summary", "--exclude", "legacy"},
                        testing::RepoTree("first-run").string());
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err.find("\n  "), std::string::npos) << r.err;
  EXPECT_EQ(r.err.rfind("meshlint: 5 findings (0 errors, 5 warnings, 0 notes) in ", 0), 0u)
      << r.err;
  auto plain = RunInProcess({"lint", "--no-config", "--exclude", "legacy"},
                            testing::RepoTree("first-run").string());
  EXPECT_NE(plain.err.find("\n  serviceentry-exported-to-all  3 warnings\n"), std::string::npos)
      << plain.err;
}

TEST(FirstRun, SummaryIsForTheTextFormatOnly) {
  auto r = RunInProcess({"lint", "--no-config", "--summary", "-f", "json"},
                        testing::RepoTree("first-run").string());
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--summary shapes the text report; --format json lists every finding"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.out, "");
}

// ------------------------------------------------------------------ wrapping

TEST(Wrap, BreaksTheMessageAtSpacesNeverTheHead) {
  std::ostringstream out;
  WriteWrapped(out, "a.yaml:3:5: warning [some-rule]", "one two three four five six", 40);
  EXPECT_EQ(out.str(),
            "a.yaml:3:5: warning [some-rule] one two\n"
            "    three four five six\n");
  // A head longer than the line stays whole; the message starts below it.
  std::ostringstream narrow;
  WriteWrapped(narrow, "deploy/very/long/path.yaml:3:5: warning [r]", "go on", 20);
  EXPECT_EQ(narrow.str(), "deploy/very/long/path.yaml:3:5: warning [r]\n    go on\n");
  // A word longer than a line stands alone, unbroken.
  std::ostringstream url;
  WriteWrapped(url, "h [r]", "see https://istio.io/latest/docs/reference/config/ now", 24);
  EXPECT_EQ(url.str(), "h [r] see\n    https://istio.io/latest/docs/reference/config/\n    now\n");
  // Width 0: one line, as in a pipe.
  std::ostringstream flat;
  WriteWrapped(flat, "h [r]", "one two three", 0);
  EXPECT_EQ(flat.str(), "h [r] one two three\n");
  // Colour codes take no columns.
  std::ostringstream color;
  WriteWrapped(color, "\x1b[1ma:1:1:\x1b[0m \x1b[1;33mwarning\x1b[0m [r]", "xx yy", 23);
  EXPECT_EQ(color.str(), "\x1b[1ma:1:1:\x1b[0m \x1b[1;33mwarning\x1b[0m [r] xx\n    yy\n");
}

// Runs the meshlint binary on a pseudo-terminal (as a user's shell would)
// with COLUMNS set; returns what it wrote there.
std::string OnTerminal(const std::vector<std::string>& args, const std::string& cwd,
                       const char* columns) {
  // Everything the child needs is made before fork(): it only execs.
  std::string binary = MESHLINT_BINARY;
  std::vector<std::string> strings = args;
  std::vector<char*> argv = {binary.data()};
  for (std::string& a : strings) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_strings = {"NO_COLOR=1", "TERM=xterm"};
  if (columns) env_strings.push_back(std::string("COLUMNS=") + columns);
  std::vector<char*> env;
  for (std::string& e : env_strings) env.push_back(e.data());
  env.push_back(nullptr);
  int master = -1;
  winsize ws{};
  ws.ws_col = 200;
  ws.ws_row = 50;
  const pid_t pid = ::forkpty(&master, nullptr, nullptr, &ws);
  if (pid == 0) {
    if (::chdir(cwd.c_str()) != 0) ::_exit(127);
    ::execve(binary.c_str(), argv.data(), env.data());
    ::_exit(127);
  }
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = ::read(master, buf, sizeof buf)) > 0;) out.append(buf, std::size_t(n));
  ::close(master);
  int status = 0;
  ::waitpid(pid, &status, 0);
  // The terminal turns \n into \r\n.
  std::string lines;
  for (char c : out)
    if (c != '\r') lines += c;
  return lines;
}

TEST(Wrap, OnATerminalAtItsWidthNeverInAPipe) {
  const std::string dir = testing::RepoTree("first-run").string();
  const std::vector<std::string> args = {
      "lint", "-q", "--no-config", "deploy/shop.yaml", "--disable", "mesh-outbound-allow-any"};
  const std::string wrapped = OnTerminal(args, dir, "60");
  EXPECT_EQ(wrapped.substr(0, wrapped.find('\n', wrapped.find('\n') + 1) + 1),
            "deploy/shop.yaml:4:9: warning [namespace-without-sidecar]\n"
            "    Namespace 'shop' has no default Sidecar and the root\n")
      << wrapped;
  // Only a head longer than the line (location, severity, rule: never
  // broken) is longer, and then it stands alone.
  std::istringstream in(wrapped);
  for (std::string line; std::getline(in, line);) {
    const bool fits = line.size() <= 60u;
    const bool lone_head = line.ends_with("]") && !line.starts_with(" ");
    EXPECT_TRUE(fits || lone_head) << line;
  }
  // The terminal's own width when COLUMNS is not set (200 here).
  const std::string wide = OnTerminal(args, dir, nullptr);
  const std::string first = wide.substr(0, wide.find('\n'));
  EXPECT_GT(first.size(), 150u) << wide;
  std::istringstream wide_in(wide);
  for (std::string line; std::getline(wide_in, line);) EXPECT_LE(line.size(), 200u) << line;
  // Piped, with COLUMNS set all the same: never wrapped.
  ScopedEnv columns("COLUMNS", "60");
  auto piped = testing::RunMeshlint(args, dir);
  EXPECT_EQ(LinesStarting(piped.out, "    "), "");
  EXPECT_EQ(LinesStarting(piped.out, "deploy/shop.yaml:").size(), piped.out.size());
}

// ------------------------------------------------------------------ --verbose

TEST(FirstRun, VerboseListsEverythingNotLintedWithWhy) {
  auto r = RunInProcess({"lint", "--no-config", "-q", "--verbose", "--exclude", "legacy"},
                        testing::RepoTree("first-run").string());
  EXPECT_EQ(LinesStarting(r.err, "meshlint: skipped: "),
            "meshlint: skipped: legacy/old-egress.yaml: excluded by --exclude\n"
            "meshlint: skipped: ansible/site.yml:1:1: a YAML list, not a Kubernetes object "
            "(Ansible tasks, a JSON patch, data)\n"
            "meshlint: skipped: templated/values-driven.yaml:1:1: metadata.namespace is a "
            "template ({{ .Release.Namespace }}): not an object until rendered\n");
  // Without --verbose, nothing of it.
  auto quiet = RunInProcess({"lint", "--no-config", "-q", "--exclude", "legacy"},
                            testing::RepoTree("first-run").string());
  EXPECT_EQ(LinesStarting(quiet.err, "meshlint: skipped: "), "");
}

TEST(FirstRun, VerboseNamesTheChartAndToolFiles) {
  auto r =
      RunInProcess({"lint", "--no-config", "-q", "-v"}, testing::RepoTree("app-repo").string());
  const std::string skipped = LinesStarting(r.err, "meshlint: skipped: ");
  EXPECT_NE(skipped.find("meshlint: skipped: chart/templates/serviceentry.yaml: part of the Helm "
                         "chart chart\n"),
            std::string::npos)
      << skipped;
  EXPECT_NE(skipped.find("meshlint: skipped: chart/charts/redis/Chart.yaml: part of the Helm "
                         "chart chart\n"),
            std::string::npos)
      << skipped;
  EXPECT_NE(skipped.find("meshlint: skipped: ansible/site.yml:1:1: "), std::string::npos)
      << skipped;
  EXPECT_NE(skipped.find("meshlint: skipped: tools/kind-cluster.yaml:1:1: "), std::string::npos)
      << skipped;
}

// ------------------------------------------------------------------ templates

TEST(FirstRun, QuotedTemplatesNeverBecomeNamesNamespacesOrHosts) {
  MeshModel m;
  ASSERT_TRUE(LoadInputs({(testing::RepoTree("first-run") / "templated").string()}, {}, m).empty());
  EXPECT_TRUE(m.problems.empty());
  for (const NamespaceInfo& ns : m.namespace_index())
    EXPECT_EQ(ns.name.find("{{"), std::string::npos) << ns.name;
  // The ServiceEntry in a templated namespace is no object; the other keeps
  // its real host only; the Sidecar its real egress hosts.
  ASSERT_EQ(m.service_entries.size(), 1u);
  EXPECT_EQ(m.service_entries[0].meta.ref.name, "mail");
  ASSERT_EQ(m.service_entries[0].hosts.size(), 1u);
  EXPECT_EQ(m.service_entries[0].hosts[0].value, "smtp.example.org");
  ASSERT_EQ(m.sidecars.size(), 1u);
  ASSERT_EQ(m.sidecars[0].egress_hosts.size(), 2u);
  for (const auto& host : m.sidecars[0].egress_hosts)
    EXPECT_EQ(host.value.find("{{"), std::string::npos) << host.value;
  // Nor does any report quote one as a name, a namespace or a host.
  auto r = RunInProcess({"lint", "--no-config", "-q", "templated"},
                        testing::RepoTree("first-run").string());
  EXPECT_EQ(r.out.find("{{"), std::string::npos) << r.out;
  auto egress =
      RunInProcess({"egress", "--no-config", "templated"}, testing::RepoTree("first-run").string());
  EXPECT_EQ(egress.out.find("{{"), std::string::npos) << egress.out;
}

// ------------------------------------------------------------------ no mesh config

TEST(ProjectLevel, NoMeshConfigHasNoFileInAnyFormat) {
  const std::string dir = testing::RepoTree("first-run").string();
  const std::vector<std::string> base = {"lint",      "--no-config",
                                         "-q",        "deploy",
                                         "--disable", "serviceentry-exported-to-all",
                                         "--disable", "sidecar-egress-wildcard",
                                         "--disable", "namespace-without-sidecar"};
  auto text = RunInProcess(base, dir);
  EXPECT_EQ(text.out,
            "warning [mesh-outbound-allow-any] No mesh config was found (IstioOperator "
            "spec.meshConfig, ConfigMap istio data.mesh, or --mesh-config FILE), so Istio's "
            "default outboundTrafficPolicy ALLOW_ANY applies: every sidecar passes traffic to any "
            "external host. Add the mesh config to the inputs or pass --mesh-config. The inputs "
            "install no Istio (an application repository?): pass the cluster's mesh config with "
            "--mesh-config to judge it.\n");
  EXPECT_EQ(text.status, 1);

  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = base;
    args.insert(args.end(), extra.begin(), extra.end());
    return RunInProcess(args, dir);
  };
  auto json = nlohmann::json::parse(with({"-f", "json"}).out);
  ASSERT_EQ(json["findings"].size(), 1u);
  EXPECT_TRUE(json["findings"][0]["file"].is_null());
  EXPECT_EQ(json["findings"][0]["line"], 0);
  EXPECT_EQ(json["findings"][0]["rule"], "mesh-outbound-allow-any");

  auto sarif = nlohmann::json::parse(with({"-f", "sarif"}).out);
  const auto& result = sarif["runs"][0]["results"][0];
  EXPECT_EQ(result["ruleId"], "mesh-outbound-allow-any");
  ASSERT_EQ(result["locations"].size(), 1u);
  EXPECT_FALSE(result["locations"][0].contains("physicalLocation"));
  EXPECT_EQ(result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
            "MeshConfig/mesh-config");

  const std::string github = with({"-f", "github"}).out;
  EXPECT_TRUE(github.starts_with("::warning title=meshlint [mesh-outbound-allow-any]::No mesh "))
      << github;

  auto gitlab = nlohmann::json::parse(with({"-f", "gitlab"}).out);
  EXPECT_EQ(gitlab[0]["location"]["path"], ".");

  // Findings in files still follow, after it; --context leaves it out.
  auto all = RunInProcess({"lint", "--no-config", "-q", "deploy"}, dir);
  EXPECT_TRUE(all.out.starts_with("warning [mesh-outbound-allow-any] ")) << all.out;
  EXPECT_NE(all.out.find("\ndeploy/billing.yaml:"), std::string::npos) << all.out;
  auto context =
      RunInProcess({"lint", "--no-config", "-q", "--context", ".", "deploy/shop.yaml"}, dir);
  EXPECT_EQ(context.out.find("[mesh-outbound-allow-any]"), std::string::npos) << context.out;
}

// ------------------------------------------------------------------ stdin in SARIF

TEST(Stdin, SarifNamesTheFileGivenOrAPlaceholderNeverStdin) {
  const std::string input = ReadText(testing::RepoTree("first-run") / "deploy" / "shop.yaml");
  const std::string dir = testing::RepoTree("first-run").string();
  auto uris = [](const std::string& sarif) {
    std::vector<std::string> out;
    const nlohmann::json doc = nlohmann::json::parse(sarif);
    for (const auto& r : doc["runs"][0]["results"])
      for (const auto& l : r["locations"])
        if (l.contains("physicalLocation"))
          out.push_back(l["physicalLocation"]["artifactLocation"]["uri"]);
    return out;
  };
  auto plain = RunInProcess({"lint", "--no-config", "-q", "-f", "sarif", "-"}, dir, input);
  EXPECT_EQ(uris(plain.out), (std::vector<std::string>(3, "%3Cstdin%3E")));
  EXPECT_NE(plain.out.find("name the file it stands for with --stdin-filename"), std::string::npos);
  auto named = RunInProcess(
      {"lint", "--no-config", "-q", "-f", "sarif", "-", "--stdin-filename", "deploy/shop.yaml"},
      dir, input);
  EXPECT_EQ(uris(named.out), (std::vector<std::string>(3, "deploy/shop.yaml")));
  auto text = RunInProcess(
      {"lint", "--no-config", "-q", "-", "--stdin-filename", "deploy/shop.yaml"}, dir, input);
  EXPECT_NE(text.out.find("\ndeploy/shop.yaml:26:3: warning [serviceentry-exported-to-all] "),
            std::string::npos)
      << text.out;
  auto github = RunInProcess(
      {"lint", "--no-config", "-q", "-f", "github", "-", "--stdin-filename", "deploy/shop.yaml"},
      dir, input);
  EXPECT_NE(github.out.find("::warning file=deploy/shop.yaml,line=26,"), std::string::npos)
      << github.out;
  auto empty = RunInProcess({"lint", "--no-config", "-", "--stdin-filename", ""}, dir, input);
  EXPECT_EQ(empty.status, 2);
}

// ------------------------------------------------------------------ kustomize

TEST(Kustomize, WithoutTheToolOneFindingPerKustomizationAndNoRawVerdicts) {
  ScopedEnv path("PATH", "/nonexistent");
  auto r = RunInProcess({"lint", "--no-config", "-q", "."},
                        testing::RepoTree("kustomize-repo").string());
  EXPECT_EQ(r.out,
            "overlays/dev/kustomization.yaml:1:1: error [invalid-manifest] a kustomization, not "
            "rendered: neither kustomize nor kubectl is on PATH, so none of its resources and "
            "patches is linted. Put kustomize or kubectl on PATH, or render it and lint the "
            "output: kubectl kustomize overlays/dev | meshlint lint -\n"
            "overlays/prod/kustomization.yaml:1:1: error [invalid-manifest] a kustomization, not "
            "rendered: neither kustomize nor kubectl is on PATH, so none of its resources and "
            "patches is linted. Put kustomize or kubectl on PATH, or render it and lint the "
            "output: kubectl kustomize overlays/prod | meshlint lint -\n");
  EXPECT_EQ(r.status, 1);
}

TEST(Kustomize, ACommandThatIsNoExecutableIsAUsageError) {
  auto r = RunInProcess({"lint", "--no-config", "--kustomize-command", "/nonexistent/kustomize"},
                        testing::RepoTree("kustomize-repo").string());
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(r.err.starts_with(
      "meshlint: --kustomize-command /nonexistent/kustomize: no such executable (give "
      "kustomize, kubectl, or a path to either)\n"))
      << r.err;
  EXPECT_EQ(r.out, "");
  auto dir = RunInProcess({"lint", "--no-config", "--kustomize-command", "overlays"},
                          testing::RepoTree("kustomize-repo").string());
  EXPECT_EQ(dir.status, 2);
}

bool HaveKustomize() { return FindKustomizeTool("").has_value(); }

#define SKIP_WITHOUT_KUSTOMIZE()                                                            \
  if (!HaveKustomize())                                                                     \
  GTEST_SKIP() << "neither kustomize nor kubectl is on PATH: the kustomize tests need the " \
                  "real tool"

TEST(Kustomize, RenderedFindingsPointAtTheFieldInItsSourceFile) {
  SKIP_WITHOUT_KUSTOMIZE();
  // The ServiceEntry starts at line 7 of its file, after a comment and
  // another object; rendered, it is renamed by a prefix and moved. Its
  // hosts are written as in the source: the finding is at them (12:3).
  testing::TempDir tmp;
  fs::create_directories(tmp.path() / "base");
  std::ofstream(tmp.path() / "base" / "kustomization.yaml")
      << "namespace: pay\nnamePrefix: prod-\nresources: [egress.yaml]\n";
  std::ofstream(tmp.path() / "base" / "egress.yaml")
      << "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: pay\n---\n# the card processor\n"
         "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: stripe\n"
         "spec:\n  hosts: [api.stripe.com]\n  location: MESH_EXTERNAL\n  resolution: DNS\n"
         "  ports: [{number: 443, name: https, protocol: TLS}]\n";
  auto lint = [&] {
    return RunInProcess({"lint", "--no-config", "-q", "--disable", "mesh-outbound-allow-any",
                         "--disable", "namespace-without-sidecar", "base"},
                        tmp.path().string());
  };
  auto finding = [](const std::string& at, const std::string& host) {
    return "base/egress.yaml:" + at + ": warning [serviceentry-exported-to-all] Rendered by " +
           "base/kustomization.yaml: ServiceEntry 'prod-stripe' exports " + host +
           " to every namespace: it has no exportTo and the " +
           "mesh default (defaultServiceExportTo) is \"*\". Add exportTo: [\".\"] or the " +
           "namespaces that need it.\n";
  };
  auto r = lint();
  EXPECT_EQ(r.out, finding("12:3", "api.stripe.com"));
  EXPECT_EQ(r.status, 1);
  // A patch that changes the hosts: the source's line says otherwise; the
  // patch, inline in the kustomization, writes them: the finding is at its
  // `hosts:` (10:7).
  std::ofstream(tmp.path() / "base" / "kustomization.yaml")
      << "namespace: pay\nnamePrefix: prod-\nresources: [egress.yaml]\npatches:\n"
         "- patch: |-\n    apiVersion: networking.istio.io/v1\n    kind: ServiceEntry\n"
         "    metadata: {name: stripe}\n    spec:\n      hosts: [api.example.com]\n";
  auto patched = lint();
  const std::string in_patch = finding("10:7", "api.example.com");
  EXPECT_EQ(patched.out, "base/kustomization.yaml" + in_patch.substr(in_patch.find(':')))
      << patched.err;
  // The same patch as a quoted string has no lines of its own to point at:
  // the finding is at the object (7:1), not at the source's hosts.
  std::ofstream(tmp.path() / "base" / "kustomization.yaml")
      << "namespace: pay\nnamePrefix: prod-\nresources: [egress.yaml]\npatches:\n"
         "- patch: \"{apiVersion: networking.istio.io/v1, kind: ServiceEntry, metadata: {name: "
         "stripe}, spec: {hosts: [api.example.com]}}\"\n";
  auto quoted = lint();
  EXPECT_EQ(quoted.out, finding("7:1", "api.example.com")) << quoted.err;
}

// A base two overlays use: each overlay's finding names its kustomization
// (otherwise two identical lines at the base's line); an object both render
// alike is one object, and its finding names both.
TEST(Kustomize, FindingsInASharedBaseNameTheOverlay) {
  SKIP_WITHOUT_KUSTOMIZE();
  testing::TempDir tmp;
  tmp.Write("base/kustomization.yaml", "resources: [stripe.yaml]\n");
  tmp.Write("base/stripe.yaml",
            "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: stripe\n"
            "spec:\n  hosts: [api.stripe.com]\n  location: MESH_EXTERNAL\n");
  tmp.Write("overlays/dev/kustomization.yaml", "namespace: dev\nresources: [../../base]\n");
  tmp.Write("overlays/prod/kustomization.yaml", "namespace: prod\nresources: [../../base]\n");
  auto lint = [&] {
    return RunInProcess(
        {"lint", "--no-config", "-q", "--disable", "mesh-outbound-allow-any", "--disable",
         "namespace-without-sidecar", "--disable", "duplicate-object", "."},
        tmp.str());
  };
  auto finding = [](const std::string& by) {
    return "base/stripe.yaml:6:3: warning [serviceentry-exported-to-all] Rendered by " + by +
           ": ServiceEntry 'stripe' exports api.stripe.com to every namespace: it has no "
           "exportTo and the mesh default (defaultServiceExportTo) is \"*\". Add exportTo: "
           "[\".\"] or the namespaces that need it.\n";
  };
  auto two = lint();
  EXPECT_EQ(two.out, finding("overlays/dev/kustomization.yaml") +
                         finding("overlays/prod/kustomization.yaml"))
      << two.err;
  EXPECT_EQ(two.status, 1);
  tmp.Write("overlays/prod/kustomization.yaml", "namespace: dev\nresources: [../../base]\n");
  auto one = lint();
  EXPECT_EQ(one.out, finding("overlays/dev/kustomization.yaml and "
                             "overlays/prod/kustomization.yaml"))
      << one.err;
}

TEST(Kustomize, RemoteBasesAreNotFetched) {
  SKIP_WITHOUT_KUSTOMIZE();
  // Refused before any connection is tried: git may use no transport but
  // files, and downloads go to a port nothing listens on.
  testing::TempDir tmp;
  fs::create_directories(tmp.path() / "remote");
  std::ofstream(tmp.path() / "remote" / "kustomization.yaml")
      << "resources:\n  - https://github.com/kubernetes-sigs/kustomize//examples/"
         "helloWorld?ref=v3.3.1\n";
  auto r =
      RunInProcess({"lint", "--no-config", "-q", "--disable", "mesh-outbound-allow-any", "remote"},
                   tmp.path().string());
  EXPECT_TRUE(r.out.starts_with("remote/kustomization.yaml:1:1: error [invalid-manifest] "))
      << r.out;
  EXPECT_NE(r.out.find("127.0.0.1:9"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("transport 'https' not allowed"), std::string::npos) << r.out;
  EXPECT_EQ(r.status, 1);
}

}  // namespace
}  // namespace meshlint
