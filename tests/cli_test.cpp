// The command line end to end: exit statuses, what goes to stdout and stderr,
// and the exact shape of each report format. Most cases run the CLI in
// process (RunInProcess); those about the process itself (exit status, real
// stdin and streams, report files) run the binary (RunMeshlint).
#include <gtest/gtest.h>

#include "engine/rule.h"
#include "test_util.h"

namespace meshlint::testing {
namespace {

constexpr const char* kLeakySe =
    "apiVersion: networking.istio.io/v1\n"
    "kind: ServiceEntry\n"
    "metadata:\n"
    "  name: debian-org\n"
    "  namespace: istio-system\n"
    "spec:\n"
    "  hosts: [deb.debian.org]\n"
    "  exportTo: [\"*\"]\n";

constexpr const char* kRegistryOnly =
    "apiVersion: install.istio.io/v1alpha1\n"
    "kind: IstioOperator\n"
    "metadata:\n"
    "  name: cp\n"
    "  namespace: istio-system\n"
    "spec:\n"
    "  meshConfig:\n"
    "    outboundTrafficPolicy:\n"
    "      mode: REGISTRY_ONLY\n";

constexpr const char* kSeLine =
    "se.yaml:8:14: warning [serviceentry-exported-to-all] ServiceEntry 'debian-org' exports "
    "deb.debian.org to every namespace (exportTo: \"*\"). Export it only to the namespaces that "
    "need it, e.g. exportTo: [\".\"].\n";

// A mesh with exactly one finding (a warning) and one with none.
struct Meshes {
  TempDir dir;
  Meshes() {
    dir.Write("one/mesh.yaml", kRegistryOnly);
    dir.Write("one/se.yaml", kLeakySe);
    dir.Write("clean/mesh.yaml", kRegistryOnly);
    dir.Write("clean/ns.yaml",
              "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: istio-system\n");
  }
  std::string one() const { return dir.str() + "/one"; }
  std::string clean() const { return dir.str() + "/clean"; }
};

TEST(CliExit, CleanRunIsZero) {
  Meshes m;
  auto r = RunMeshlint({"lint", "."}, m.clean());
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err.rfind("meshlint: no findings in 2 files, 2 objects (", 0), 0u) << r.err;
}

TEST(CliExit, FindingsAreOne) {
  Meshes m;
  auto r = RunMeshlint({"lint", "."}, m.one());
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_EQ(r.out, kSeLine);
  // The summary is on stderr, never mixed into the report.
  EXPECT_EQ(
      r.err.rfind("meshlint: 1 finding (0 errors, 1 warning, 0 notes) in 2 files, 2 objects (", 0),
      0u)
      << r.err;
}

TEST(CliExit, FailOn) {
  Meshes m;
  EXPECT_EQ(RunInProcess({"lint", ".", "--fail-on", "never"}, m.one()).status, 0);
  EXPECT_EQ(RunInProcess({"lint", ".", "--fail-on", "error"}, m.one()).status,
            0);  // only a warning
  EXPECT_EQ(RunInProcess({"lint", ".", "--fail-on", "warning"}, m.one()).status, 1);
  EXPECT_EQ(RunInProcess({"lint", ".", "--fail-on", "note"}, m.one()).status, 1);
  // A finding lowered to a note only fails at --fail-on note.
  const std::string as_note = "serviceentry-exported-to-all=note";
  auto r = RunInProcess({"lint", ".", "--severity", as_note}, m.one());
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("se.yaml:8:14: note [serviceentry-exported-to-all]"), std::string::npos)
      << r.out;
  EXPECT_EQ(RunInProcess({"lint", ".", "--severity", as_note, "--fail-on", "note"}, m.one()).status,
            1);
  // Raised to an error, it fails even at --fail-on error.
  EXPECT_EQ(RunInProcess({"lint", ".", "--severity", "serviceentry-exported-to-all=error",
                          "--fail-on", "error"},
                         m.one())
                .status,
            1);
  // Turned off, nothing is left.
  r = RunInProcess({"lint", ".", "--disable", "serviceentry-exported-to-all"}, m.one());
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "");
  r = RunInProcess({"lint", ".", "--severity", "serviceentry-exported-to-all=off"}, m.one());
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "");
}

TEST(CliExit, InvalidManifestFails) {
  TempDir dir;
  dir.Write("mesh.yaml", kRegistryOnly);
  dir.Write("bad.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: nope\n");
  auto r = RunInProcess({"lint", "."}, dir.str());
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out,
            "bad.yaml:3:11: error [invalid-manifest] metadata must be a mapping, not a scalar\n");
}

TEST(CliExit, UsageErrorsAreTwo) {
  Meshes m;
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {},
           {"frobnicate"},
           {"lint", ".", "--bogus"},
           {"lint", ".", "--format", "xml"},
           {"lint", ".", "--fail-on", "sometimes"},
           {"lint", ".", "--severity", "no-such-rule=error"},
           {"lint", ".", "--severity", "serviceentry-exported-to-all"},
           {"lint", ".", "--severity", "serviceentry-exported-to-all=fatal"},
           {"lint", ".", "--disable", "no-such-rule"},
           {"explain"},
           {"explain", "no-such-rule"},
           {"rules", "--format", "yaml"}}) {
    auto r = RunMeshlint(args, m.one());
    EXPECT_EQ(r.status, 2) << ::testing::PrintToString(args);
    EXPECT_EQ(r.out, "") << ::testing::PrintToString(args);
    EXPECT_NE(r.err, "") << ::testing::PrintToString(args);
  }
  auto r = RunMeshlint({"lint", ".", "--severity", "no-such-rule=error"}, m.one());
  EXPECT_NE(r.err.find("unknown rule 'no-such-rule'"), std::string::npos) << r.err;
}

TEST(CliExit, MissingPathIsTwoButTheRestIsLinted) {
  Meshes m;
  auto r = RunMeshlint({"lint", "does-not-exist.yaml", "."}, m.one());
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.out, kSeLine);
  EXPECT_NE(r.err.find("meshlint: does-not-exist.yaml: no such file or directory\n"),
            std::string::npos)
      << r.err;
}

TEST(CliInputs, NoArgumentMeansTheWorkingDirectory) {
  Meshes m;
  auto r = RunInProcess({"lint"}, m.one());
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, kSeLine);
}

TEST(CliInputs, Stdin) {
  Meshes m;
  auto r = RunMeshlint({"lint", "-", "mesh.yaml"}, m.one(), kLeakySe);
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_EQ(r.out, std::string("<stdin>") + (kSeLine + 7));
}

TEST(CliInputs, ExplicitFilesAndDirectories) {
  Meshes m;
  // Relative display paths follow the working directory.
  auto r = RunInProcess({"lint", "one"}, m.dir.str());
  EXPECT_EQ(r.out, std::string("one/") + kSeLine);
  r = RunInProcess({"lint", "one/se.yaml", "one/mesh.yaml", "one/se.yaml"}, m.dir.str());
  EXPECT_EQ(r.out, std::string("one/") + kSeLine);  // named twice, read once
}

TEST(CliOutput, OutputFile) {
  Meshes m;
  auto r = RunMeshlint({"lint", ".", "--output", "report.txt"}, m.one());
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(ReadFileText(m.one() + "/report.txt"), kSeLine);
  r = RunMeshlint({"lint", ".", "-o", m.dir.str() + "/missing-dir/report.txt"}, m.one());
  EXPECT_EQ(r.status, 2);
}

TEST(CliOutput, SarifToAFile) {
  Meshes m;
  auto r = RunMeshlint({"lint", ".", "--format", "sarif", "--output", "out.sarif"}, m.one());
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "");
  const std::string sarif = ReadFileText(m.one() + "/out.sarif");
  EXPECT_EQ(sarif.rfind("{\n  \"$schema\"", 0), 0u) << sarif.substr(0, 100);
  EXPECT_NE(sarif.find("\"ruleId\": \"serviceentry-exported-to-all\""), std::string::npos);
}

TEST(CliInputs, DefaultNamespaceFlag) {
  TempDir dir;
  dir.Write("mesh.yaml", kRegistryOnly);
  dir.Write("se.yaml",
            "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: api\n"
            "spec:\n  hosts: [api.example.com]\n  exportTo: ['*']\n");
  auto r =
      RunInProcess({"lint", ".", "--default-namespace", "team-a", "--format", "json"}, dir.str());
  EXPECT_NE(r.out.find("\"namespace\": \"team-a\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Namespace 'team-a' (no Namespace manifest; known from ServiceEntry 'api')"),
            std::string::npos)
      << r.out;
}

TEST(CliInputs, MissingMeshConfigFileIsTwo) {
  Meshes m;
  auto r = RunInProcess({"lint", ".", "--mesh-config", "nope.yaml"}, m.one());
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("nope.yaml"), std::string::npos) << r.err;
}

TEST(CliOutput, QuietDropsTheSummary) {
  Meshes m;
  auto r = RunInProcess({"lint", ".", "-q"}, m.one());
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out, kSeLine);
}

TEST(CliFormats, JsonExactShape) {
  Meshes m;
  auto r = RunInProcess({"lint", ".", "--format", "json"}, m.one());
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, R"({
  "schemaVersion": 1,
  "tool": {
    "name": "meshlint",
    "version": "0.1.0"
  },
  "findings": [
    {
      "rule": "serviceentry-exported-to-all",
      "severity": "warning",
      "message": "ServiceEntry 'debian-org' exports deb.debian.org to every namespace (exportTo: \"*\"). Export it only to the namespaces that need it, e.g. exportTo: [\".\"].",
      "file": "se.yaml",
      "line": 8,
      "column": 14,
      "endLine": 8,
      "endColumn": 17,
      "object": {
        "kind": "ServiceEntry",
        "namespace": "istio-system",
        "name": "debian-org"
      },
      "field": "spec.exportTo[0]",
      "fingerprint": "0906970568a2c4ef",
      "related": [],
      "suppressed": null
    }
  ],
  "summary": {
    "files": 2,
    "documents": 2,
    "objects": 2,
    "skippedDocuments": 0,
    "errors": 0,
    "warnings": 1,
    "notes": 0,
    "suppressed": 0
  }
}
)");
  // Clean: an empty list, same exit rules.
  r = RunInProcess({"lint", ".", "--format", "json"}, m.clean());
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("\"findings\": [],"), std::string::npos) << r.out;
}

TEST(CliFormats, SarifShape) {
  Meshes m;
  auto r = RunInProcess({"lint", ".", "--format", "sarif"}, m.one());
  EXPECT_EQ(r.status, 1);
  // Nothing but the SARIF document on stdout.
  ASSERT_FALSE(r.out.empty());
  EXPECT_EQ(r.out.front(), '{');
  EXPECT_EQ(r.out.substr(r.out.size() - 2), "}\n");
  EXPECT_NE(r.out.find("\"version\": \"2.1.0\""), std::string::npos);
  EXPECT_NE(r.out.find("\"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\""),
            std::string::npos);
  for (const RuleInfo& rule : AllRules())
    EXPECT_NE(r.out.find("\"id\": \"" + std::string(rule.id) + "\""), std::string::npos) << rule.id;
  const std::size_t results = r.out.find("\"results\": [");
  ASSERT_NE(results, std::string::npos);
  // The rule's index in the sorted rule list (it moves as rules are added).
  std::size_t index = 0;
  while (index < AllRules().size() && AllRules()[index].id != "serviceentry-exported-to-all")
    ++index;
  EXPECT_EQ(r.out.substr(results), R"("results": [
        {
          "ruleId": "serviceentry-exported-to-all",
          "ruleIndex": )" + std::to_string(index) +
                                       R"(,
          "level": "warning",
          "message": {
            "text": "ServiceEntry 'debian-org' exports deb.debian.org to every namespace (exportTo: \"*\"). Export it only to the namespaces that need it, e.g. exportTo: [\".\"]."
          },
          "locations": [
            {
              "physicalLocation": {
                "artifactLocation": {
                  "uri": "se.yaml",
                  "uriBaseId": "%SRCROOT%"
                },
                "region": {
                  "startLine": 8,
                  "startColumn": 14,
                  "endLine": 8,
                  "endColumn": 17
                }
              },
              "logicalLocations": [
                {
                  "name": "debian-org",
                  "fullyQualifiedName": "istio-system/ServiceEntry/debian-org",
                  "kind": "resource"
                }
              ]
            }
          ],
          "partialFingerprints": {
            "meshlint/v1": "0906970568a2c4ef"
          }
        }
      ]
    }
  ]
}
)");
  // %SRCROOT% is the working directory.
  EXPECT_NE(r.out.find("\"uri\": \"file://" + m.one() + "/\""), std::string::npos);
  // Clean runs still carry an empty results array.
  r = RunInProcess({"lint", ".", "--format", "sarif"}, m.clean());
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("\"results\": []"), std::string::npos);
}

TEST(CliFormats, SarifNamesClusterScopedObjectsWithoutNamespace) {
  TempDir dir;
  dir.Write("mesh.yaml", kRegistryOnly);
  dir.Write("ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: newguy\n");
  auto r = RunInProcess({"lint", ".", "--format", "sarif"}, dir.str());
  EXPECT_NE(r.out.find("\"fullyQualifiedName\": \"Namespace/newguy\""), std::string::npos) << r.out;
}

TEST(CliCommands, Rules) {
  auto r = RunInProcess({"rules"}, SourceDir());
  EXPECT_EQ(r.status, 0);
  std::size_t at = 0;
  for (const RuleInfo& rule : AllRules()) {
    const std::size_t pos = r.out.find(std::string(rule.id) + " ", at);
    ASSERT_NE(pos, std::string::npos) << rule.id << " missing or out of order";
    at = pos;
  }
  EXPECT_EQ(static_cast<std::size_t>(std::count(r.out.begin(), r.out.end(), '\n')),
            AllRules().size());
  r = RunInProcess({"rules", "--format", "json"}, SourceDir());
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("\"id\": \"mesh-outbound-allow-any\""), std::string::npos);
  r = RunInProcess({"rules", "--format", "markdown"}, SourceDir());
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out.rfind("| rule |", 0), 0u);
}

TEST(CliCommands, Explain) {
  for (const RuleInfo& rule : AllRules()) {
    auto r = RunInProcess({"explain", std::string(rule.id)}, SourceDir());
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.out, rule.doc);
    EXPECT_EQ(r.out, ReadFileText(SourceDir() + "/rules/" + std::string(rule.id) + "/doc.md"));
  }
}

TEST(CliCommands, VersionAndHelp) {
  auto r = RunMeshlint({"--version"}, SourceDir());
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(r.out.starts_with("meshlint 0.1.0\ncommit:    ")) << r.out;  // cli_habits_test
  EXPECT_NE(r.out.find("\nmodels:    Istio 1.24 to 1.31 (default 1.30)\n"), std::string::npos)
      << r.out;
  for (const char* flag : {"--help", "-h", "help"}) {
    r = RunMeshlint({flag}, SourceDir());
    EXPECT_EQ(r.status, 0) << flag;
    EXPECT_NE(r.out.find("Usage:"), std::string::npos) << flag;
    EXPECT_NE(r.out.find("meshlint lint"), std::string::npos) << flag;
    EXPECT_NE(r.out.find("Exit status"), std::string::npos) << flag;
  }
  r = RunMeshlint({"lint", "--help"}, SourceDir());
  EXPECT_EQ(r.status, 0);
  for (const char* option : {"--format", "--output", "--fail-on", "--severity", "--mesh-config"})
    EXPECT_NE(r.out.find(option), std::string::npos) << option;
  // No command at all: usage on stderr, a usage error.
  r = RunMeshlint({}, SourceDir());
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("Usage:"), std::string::npos);
}

}  // namespace
}  // namespace meshlint::testing
