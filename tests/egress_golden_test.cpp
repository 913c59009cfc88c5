// Golden outputs of `meshlint egress` (tests/egress-golden/<case>/): each
// case directory holds manifests and one or more NAME.args files (the
// arguments after `egress .`, one per line); NAME.out is the exact stdout
// and NAME.exit the exit status. The command runs in process with the case
// directory as the working directory. MESHLINT_UPDATE_GOLDEN=1 rewrites the
// expected files instead of comparing (review the diff).
//
// The size test beside them pins what makes the JSON linear: hosts shared by
// many namespaces are written once, as a host group, and --expand is the
// flat form that repeats them.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "test_util.h"

namespace meshlint::testing {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(line);
  return out;
}

bool Updating() {
  const char* v = std::getenv("MESHLINT_UPDATE_GOLDEN");
  return v && std::string(v) == "1";
}

void Write(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

std::vector<fs::path> ArgFiles() {
  std::vector<fs::path> out;
  const fs::path root = fs::path(SourceDir()) / "tests" / "egress-golden";
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return out;
  for (const auto& c : fs::directory_iterator(root)) {
    if (!c.is_directory()) continue;
    for (const auto& f : fs::directory_iterator(c.path()))
      if (f.path().extension() == ".args") out.push_back(f.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(EgressGolden, EveryCaseMatches) {
  const std::vector<fs::path> cases = ArgFiles();
  ASSERT_GE(cases.size(), 4u) << "tests/egress-golden/ lost its cases";
  for (const fs::path& args_file : cases) {
    SCOPED_TRACE(args_file.string());
    std::vector<std::string> args = {"egress", "."};
    for (const std::string& a : Lines(ReadFileText(args_file.string()))) args.push_back(a);
    const CommandResult r = RunInProcess(args, args_file.parent_path().string());
    fs::path out = args_file;
    out.replace_extension(".out");
    fs::path exit = args_file;
    exit.replace_extension(".exit");
    if (Updating()) {
      Write(out, r.out);
      Write(exit, std::to_string(r.status) + "\n");
      continue;
    }
    ASSERT_TRUE(fs::exists(out)) << "no " << out << " (MESHLINT_UPDATE_GOLDEN=1, then review)";
    EXPECT_EQ(ReadFileText(out.string()), r.out) << "stderr:\n" << r.err;
    ASSERT_TRUE(fs::exists(exit)) << "no " << exit;
    EXPECT_EQ(std::stoi(ReadFileText(exit.string())), r.status) << "stderr:\n" << r.err;
  }
}

// N namespaces without a Sidecar, all reaching the same M hosts exported to
// every namespace: the grouped JSON writes the M hosts once (size ~ N + M),
// the expanded one under every namespace (size ~ N × M).
std::string Mesh(int namespaces, int hosts) {
  std::string y =
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: istio, namespace: istio-system}\n"
      "data:\n  mesh: |-\n    outboundTrafficPolicy:\n      mode: REGISTRY_ONLY\n";
  for (int i = 0; i < namespaces; ++i)
    y += "---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns" + std::to_string(i) +
         "\n  labels: {istio-injection: enabled}\n";
  for (int i = 0; i < hosts; ++i)
    y += "---\napiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: se" +
         std::to_string(i) + ", namespace: shared}\nspec:\n  hosts: [h" + std::to_string(i) +
         ".example.com]\n  ports: [{number: 443, name: https, protocol: HTTPS}]\n";
  return y;
}

std::size_t JsonSize(int namespaces, int hosts, bool expand) {
  TempDir dir;
  dir.Write("mesh.yaml", Mesh(namespaces, hosts));
  std::vector<std::string> args = {"egress", ".", "--format", "json"};
  if (expand) args.push_back("--expand");
  const CommandResult r = RunInProcess(args, dir.str());
  EXPECT_EQ(r.status, 0) << r.err;
  return r.out.size();
}

TEST(EgressGolden, JsonGrowsWithTheInputNotItsSquare) {
  const std::size_t base = JsonSize(20, 20, false);
  // Ten times the namespaces and the hosts: about ten times the size (a
  // square would be a hundred). The flat form is the square.
  const std::size_t big = JsonSize(200, 200, false);
  EXPECT_LT(big, base * 12) << base << " -> " << big;
  const std::size_t flat = JsonSize(200, 200, true);
  EXPECT_GT(flat, big * 20) << big << " vs --expand " << flat;
}

// N namespaces each exporting a ServiceEntry and a VirtualService routing
// to it to every namespace: every row routes all N hosts. Each namespace
// runs a workload of its own name, so no two namespace blocks of the text
// are alike. Grouped, the N routes are written once (a route group) and
// each row names the group.
std::string RoutedMesh(int namespaces) {
  std::string y =
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: istio, namespace: istio-system}\n"
      "data:\n  mesh: |-\n    outboundTrafficPolicy:\n      mode: REGISTRY_ONLY\n";
  for (int i = 0; i < namespaces; ++i) {
    const std::string n = std::to_string(i);
    y += "---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns" + n +
         "\n  labels: {istio-injection: enabled}\n"
         "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app" +
         n + ", namespace: ns" + n +
         "}\nspec:\n  template:\n    metadata: {labels: {app: a}}\n"
         "    spec: {containers: [{name: a, image: a}]}\n"
         "---\napiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: se, "
         "namespace: ns" +
         n + "}\nspec:\n  hosts: [api" + n +
         ".example.com]\n  ports: [{number: 80, name: http, protocol: HTTP}]\n"
         "---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: vs, "
         "namespace: ns" +
         n + "}\nspec:\n  hosts: [www" + n +
         ".example.com]\n  http:\n  - route:\n    - destination: {host: api" + n +
         ".example.com}\n";
  }
  return y;
}

std::string RoutedOutput(int namespaces, bool json, bool expand) {
  TempDir dir;
  dir.Write("mesh.yaml", RoutedMesh(namespaces));
  std::vector<std::string> args = {"egress", "."};
  if (json) args.insert(args.end(), {"--format", "json"});
  if (expand) args.push_back("--expand");
  const CommandResult r = RunInProcess(args, dir.str());
  EXPECT_EQ(r.status, 0) << r.err;
  return r.out;
}

TEST(EgressGolden, RoutesGrowWithTheInputNotItsSquare) {
  for (bool json : {false, true}) {
    SCOPED_TRACE(json ? "json" : "text");
    const std::string small = RoutedOutput(40, json, false);
    // Every row routes every namespace's host (the mesh is what it says).
    EXPECT_NE(small.find("www39.example.com"), std::string::npos) << small;
    // Twice the namespaces: about twice the bytes, grouped; about four
    // times, flat (every row lists every route).
    const std::size_t big = RoutedOutput(80, json, false).size();
    EXPECT_LT(big, small.size() * 9 / 4) << small.size() << " -> " << big;
    const std::size_t flat_small = RoutedOutput(40, json, true).size();
    const std::size_t flat_big = RoutedOutput(80, json, true).size();
    EXPECT_GT(flat_big, flat_small * 7 / 2) << flat_small << " -> " << flat_big;
  }
}

}  // namespace
}  // namespace meshlint::testing
