// schema/meshlint-config.schema.json, the JSON schema editors use for
// .meshlint.yaml, says what the loader (src/loader/config_file.cpp) says:
// its keys and rule ids are the loader's, every config in the tree and a
// representative set of the configs the tests write pass both, and configs
// the loader rejects fail the schema too. The validator is ajv-cli, pinned
// and installed into .tools/ by ci/setup --for-tests.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "egress/egress.h"
#include "engine/config.h"
#include "engine/rule.h"
#include "engine/suppress.h"
#include "loader/config_file.h"
#include "loader/loader.h"
#include "shell_run.h"
#include "test_util.h"

namespace meshlint::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kSchemaPath = "/schema/meshlint-config.schema.json";

json Schema() { return json::parse(ReadFileText(SourceDir() + kSchemaPath)); }

std::set<std::string> Keys(const json& object) {
  std::set<std::string> out;
  for (const auto& [key, value] : object.items()) out.insert(key);
  return out;
}

// The loader's own list of top-level keys, from its unknown-key message.
std::set<std::string> LoaderKeys() {
  ProjectConfig config;
  const auto errors = ParseConfig("zzzzzzzz: 1\n", "/project/.meshlint.yaml", config);
  EXPECT_EQ(errors.size(), 1u);
  if (errors.empty()) return {};
  const std::string& m = errors[0].message;
  const std::size_t from = m.find("(known keys: ");
  EXPECT_NE(from, std::string::npos) << m;
  if (from == std::string::npos) return {};
  std::set<std::string> keys;
  std::string rest = m.substr(from + 13, m.rfind(')') - from - 13);
  for (std::size_t pos = 0; pos <= rest.size();) {
    std::size_t space = std::min(rest.find(' ', pos), rest.size());
    if (space > pos) keys.insert(rest.substr(pos, space - pos));
    pos = space + 1;
  }
  return keys;
}

TEST(ConfigSchema, NamesTheLoadersKeysAndRules) {
  const json schema = Schema();
  EXPECT_EQ(schema["$schema"], "http://json-schema.org/draft-07/schema#");
  EXPECT_EQ(Keys(schema["properties"]), LoaderKeys());
  std::set<std::string> all, suppressible;
  for (const RuleInfo& rule : AllRules()) {
    all.insert(std::string(rule.id));
    if (rule.phase != Phase::kRun) suppressible.insert(std::string(rule.id));
  }
  EXPECT_EQ(Keys(schema["properties"]["rules"]["properties"]), all)
      << "add the rule to schema/meshlint-config.schema.json";
  std::set<std::string> enumerated;
  for (const auto& id : schema["definitions"]["suppression"]["properties"]["rule"]["enum"])
    enumerated.insert(id.get<std::string>());
  EXPECT_EQ(enumerated, suppressible);
}

// YAML as a YAML 1.2 editor sees it (the core schema: plain null, booleans
// and numbers are typed; quoted and block scalars are strings), which is
// what the schema describes. ajv's own YAML reader would turn
// `expires: 2027-03-31` into a date, which no JSON schema can accept.
json ToJson(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      json out = json::object();
      for (auto it = node.begin(); it != node.end(); ++it)
        out[it->first.Scalar()] = ToJson(it->second);
      return out;
    }
    case YAML::NodeType::Sequence: {
      json out = json::array();
      for (const YAML::Node& item : node) out.push_back(ToJson(item));
      return out;
    }
    case YAML::NodeType::Scalar: {
      const std::string& s = node.Scalar();
      if (node.Tag() != "?") return s;  // quoted or block: a string
      static const std::regex boolean("true|True|TRUE|false|False|FALSE");
      static const std::regex integer("[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+");
      static const std::regex real(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)");
      if (std::regex_match(s, boolean)) return s[0] == 't' || s[0] == 'T';
      if (std::regex_match(s, integer)) {
        const int base = s.starts_with("0o") ? 8 : s.starts_with("0x") ? 16 : 10;
        return std::strtoll(s.c_str() + (base == 10 ? 0 : 2), nullptr, base);
      }
      if (std::regex_match(s, real)) return std::strtod(s.c_str(), nullptr);
      return s;
    }
    default: return nullptr;
  }
}

std::string Ajv() { return NpmTool("MESHLINT_AJV", "ajv"); }

#define REQUIRE_AJV()                                                            \
  if (Ajv().empty())                                                             \
  GTEST_SKIP() << "ajv not found: set MESHLINT_AJV or run ci/setup --for-tests " \
                  "(installs ajv-cli into .tools/)"

struct Config {
  std::string name;  // where it comes from, for messages
  std::string text;
};

// Validates every config with one ajv run; returns the names it found valid.
std::set<std::string> SchemaValid(const std::vector<Config>& configs, const TempDir& dir) {
  std::string cmd = ShellQuote(Ajv()) + " validate --strict=true --all-errors --errors=line -s " +
                    ShellQuote(SourceDir() + kSchemaPath);
  std::map<std::string, std::string> by_file;
  for (std::size_t i = 0; i < configs.size(); ++i) {
    const std::string file = (dir.path() / ("config-" + std::to_string(i) + ".json")).string();
    json data;
    try {
      data = ToJson(YAML::Load(configs[i].text));
    } catch (const YAML::Exception& e) {
      ADD_FAILURE() << configs[i].name << ": not YAML: " << e.what();
      continue;
    }
    dir.Write(file.substr(dir.str().size() + 1), data.dump());
    by_file[file] = configs[i].name;
    cmd += " -d " + ShellQuote(file);
  }
  const ShellResult r = RunShell(cmd);
  std::set<std::string> valid;
  for (const auto& [file, name] : by_file) {
    const bool ok = (r.out + r.err).find(file + " valid\n") != std::string::npos;
    const bool bad = (r.out + r.err).find(file + " invalid\n") != std::string::npos;
    EXPECT_NE(ok, bad) << name << ": ajv said neither valid nor invalid\n" << r.out << r.err;
    if (ok) valid.insert(name);
  }
  return valid;
}

// What the loader says about a config written at dir/.meshlint.yaml.
std::vector<std::string> LoaderErrors(const Config& c, const TempDir& dir) {
  ProjectConfig config;
  std::vector<ConfigError> errors =
      ParseConfig(c.text, (dir.path() / ".meshlint.yaml").string(), config);
  if (errors.empty()) errors = ValidateConfig(config);
  std::vector<std::string> out;
  for (const ConfigError& e : errors) out.push_back(e.message);
  // An inline egress policy is read, and its patterns checked, when a run
  // loads it: errors there stop the run just the same.
  if (out.empty() && config.egress_policy && config.egress_policy->path.empty()) {
    MeshModel model;
    for (const Problem& p :
         LoadEgressPolicyText(config.egress_policy->inline_text,
                              config.egress_policy->inline_first_line, config.path, {}, model))
      out.push_back(p.message);
    if (out.empty() && model.egress_policy) {
      std::vector<egress::PolicyError> problems;
      egress::CompilePolicy(*model.egress_policy, problems);
      for (const auto& p : problems) out.push_back(p.message);
    }
  }
  return out;
}

// Configs as the tests and the fixtures write them.
std::vector<Config> ValidConfigs() {
  std::vector<Config> out;
  for (const auto& e : fs::recursive_directory_iterator(fs::path(SourceDir()) / "fixtures"))
    if (e.path().filename() == ".meshlint.yaml")
      out.push_back(
          {fs::relative(e.path(), SourceDir()).string(), ReadFileText(e.path().string())});
  std::sort(out.begin(), out.end(),
            [](const Config& a, const Config& b) { return a.name < b.name; });
  // The configuration examples of the docs.
  const std::regex block("```yaml\n((?:#[^\n]*\n)*(?:rules|suppressions):[^`]*)```");
  for (const char* page :
       {"README.md", "docs/configuration.md", "rules/suppression-expired/doc.md"}) {
    const std::string text = ReadFileText(SourceDir() + "/" + page);
    int n = 0;
    for (std::sregex_iterator it(text.begin(), text.end(), block), end; it != end; ++it)
      out.push_back({std::string(page) + " block " + std::to_string(++n), (*it)[1]});
  }
  const std::vector<Config> written = {
      {"every key",
       "rules:\n  namespace-without-sidecar: off\n  serviceentry-exported-to-all: error\n"
       "  mesh-config-conflict: note\n  suppression-expired: warning\n"
       "suppressions:\n- rule: namespace-without-sidecar\n  object: \"Namespace/build-.*\"\n"
       "  reason: \"CI runners pull from every mirror\"\n  expires: 2027-03-31\n"
       "- rule: serviceentry-exported-to-all\n  reason: mirrors used by all teams\n"
       "include: [\"manifests/**\"]\nexclude:\n- manifests/vendor\n- \"**/*-test.yaml\"\n"
       "defaultNamespace: apps\nrootNamespace: mesh-root\n"
       "systemNamespaces: [monitoring, cert-manager]\nmeshConfig: mesh/istio.yaml\n"
       "egressPolicy: policy.yaml\nfailOn: error\ninlineSuppressions: false\n"
       "istioVersion: \"1.31\"\n"},
      {"istio patch version", "istioVersion: \"1.24.3\"\n"},
      {"empty", ""},
      {"comments only", "# nothing to set yet\n"},
      {"inline policy",
       "egressPolicy:\n  egress:\n  - namespaces: \"payments|checkout\"\n"
       "    hosts: [\"api.stripe.com\", \"*.debian.org\"]\n  - namespaces: \".*\"\n"
       "    hosts: [\"*\"]\nfailOn: never\n"},
      {"inline flow policy", "egressPolicy: {egress: []}\n"},
      {"quoted booleans and levels",
       "inlineSuppressions: \"true\"\nrules: {invalid-manifest: \"warning\"}\nfailOn: \"note\"\n"},
      {"globs",
       "include: [\"a/*/b.yaml\", \"**\", \"x?.yml\", \"deploy/\", \"...\", \".hidden/**\"]\n"},
      {"empty lists",
       "include: []\nexclude: []\nsuppressions: []\nsystemNamespaces: []\nrules: {}\n"},
      {"object absent, odd reason",
       "suppressions:\n- rule: invalid-manifest\n  reason: \"  x  \"\n"},
      {"digits namespace", "defaultNamespace: \"123\"\nrootNamespace: a-1\n"},
      {"environments", "environments: [\"envs/*\", \"clusters/*/mesh\", regions/eu]\n"},
  };
  out.insert(out.end(), written.begin(), written.end());
  return out;
}

TEST(ConfigSchema, AcceptsEveryConfigTheLoaderAccepts) {
  REQUIRE_AJV();
  TempDir dir;
  dir.Write("mesh/istio.yaml", "rootNamespace: istio-system\n");
  dir.Write("policy.yaml", "egress: []\n");
  dir.Write("manifests/mesh.yaml", "outboundTrafficPolicy: {mode: REGISTRY_ONLY}\n");
  dir.Write("istio/mesh-config.yaml", "outboundTrafficPolicy: {mode: REGISTRY_ONLY}\n");
  dir.Write("policy/egress.yaml", "egress: []\n");
  const std::vector<Config> configs = ValidConfigs();
  ASSERT_GE(configs.size(), 18u);
  for (const Config& c : configs)
    EXPECT_EQ(LoaderErrors(c, dir), std::vector<std::string>{}) << c.name << ":\n" << c.text;
  const std::set<std::string> valid = SchemaValid(configs, dir);
  for (const Config& c : configs)
    EXPECT_TRUE(valid.count(c.name)) << c.name << " fails the schema:\n" << c.text;
}

TEST(ConfigSchema, RejectsWhatTheLoaderRejects) {
  REQUIRE_AJV();
  TempDir dir;
  dir.Write("mesh.yaml", "outboundTrafficPolicy: {mode: REGISTRY_ONLY}\n");
  const std::vector<Config> configs = {
      {"examples/config-with-mistakes.yaml",
       ReadFileText(SourceDir() + "/examples/config-with-mistakes.yaml")},
      {"unknown key", "rule:\n  namespace-without-sidecar: off\n"},
      {"unknown rule", "rules:\n  namespace-without-sidecars: off\n"},
      {"bad level", "rules:\n  invalid-manifest: fatal\n"},
      {"rules not a map", "rules: [invalid-manifest]\n"},
      {"rules empty", "rules:\n"},
      {"not a mapping", "- rules\n"},
      {"a scalar", "rules\n"},
      {"suppression without reason", "suppressions:\n- rule: invalid-manifest\n"},
      {"suppression without rule", "suppressions:\n- reason: because\n"},
      {"blank reason", "suppressions:\n- rule: invalid-manifest\n  reason: \"  \"\n"},
      {"suppressing a suppression rule",
       "suppressions:\n- rule: suppression-expired\n  reason: noisy\n"},
      {"unknown suppression key",
       "suppressions:\n- rule: invalid-manifest\n  reason: x\n  until: 2027-01-01\n"},
      {"malformed date",
       "suppressions:\n- rule: invalid-manifest\n  reason: x\n  expires: 31.03.2027\n"},
      {"month 13", "suppressions:\n- rule: invalid-manifest\n  reason: x\n  expires: 2027-13-01\n"},
      {"suppressions a map", "suppressions: {rule: invalid-manifest}\n"},
      {"uppercase namespace", "defaultNamespace: Apps\n"},
      {"long namespace", "rootNamespace: " + std::string(64, 'a') + "\n"},
      {"namespace ending in -", "systemNamespaces: [monitoring-]\n"},
      {"system namespaces a string", "systemNamespaces: monitoring\n"},
      {"absolute glob", "include: [/deploy]\n"},
      {"dot segment", "exclude: [./vendor]\n"},
      {"dot-dot segment", "exclude: [deploy/../vendor]\n"},
      {"brackets", "include: [\"deploy/[ab].yaml\"]\n"},
      {"braces", "include: [\"deploy/{a,b}.yaml\"]\n"},
      {"backslash", "include: [\"deploy\\\\a.yaml\"]\n"},
      {"** inside a segment", "include: [\"deploy/**.yaml\"]\n"},
      {"empty segment", "include: [\"deploy//a.yaml\"]\n"},
      {"empty glob", "include: [\"\"]\n"},
      {"environments with **", "environments: [\"envs/**\"]\n"},
      {"environments absolute", "environments: [/envs]\n"},
      {"environments a string", "environments: \"envs/*\"\n"},
      {"failOn typo", "failOn: warnings\n"},
      {"inlineSuppressions yes", "inlineSuppressions: \"yes\"\n"},
      {"empty meshConfig", "meshConfig: \"\"\n"},
      {"istioVersion not modelled", "istioVersion: \"1.22\"\n"},
      {"istioVersion not a version", "istioVersion: \"latest\"\n"},
      {"meshConfig a list", "meshConfig: [mesh.yaml]\n"},
      {"policy without egress", "egressPolicy:\n  rules: []\n"},
      {"policy entry without hosts", "egressPolicy:\n  egress:\n  - namespaces: payments\n"},
      {"policy entry with extra key",
       "egressPolicy:\n  egress:\n  - namespaces: a\n    hosts: [x.com]\n    ports: [443]\n"},
      {"policy empty namespaces",
       "egressPolicy:\n  egress:\n  - namespaces: \"\"\n    hosts: []\n"},
      {"policy uppercase host",
       "egressPolicy:\n  egress:\n  - namespaces: a\n    hosts: [API.example.com]\n"},
      {"policy wildcard inside",
       "egressPolicy:\n  egress:\n  - namespaces: a\n    hosts: [\"api.*.com\"]\n"},
      {"policy bare *.", "egressPolicy:\n  egress:\n  - namespaces: a\n    hosts: [\"*.\"]\n"},
      {"policy dash label",
       "egressPolicy:\n  egress:\n  - namespaces: a\n    hosts: [\"-a.com\"]\n"},
  };
  for (const Config& c : configs)
    EXPECT_NE(LoaderErrors(c, dir), std::vector<std::string>{})
        << c.name << ": the loader accepts it, so the schema must too:\n"
        << c.text;
  const std::set<std::string> valid = SchemaValid(configs, dir);
  for (const Config& c : configs)
    EXPECT_FALSE(valid.count(c.name)) << c.name << " passes the schema:\n" << c.text;
}

// What docs/configuration.md says only meshlint checks: the schema accepts
// these, the loader does not.
TEST(ConfigSchema, LeavesToMeshlintWhatNoSchemaCanCheck) {
  REQUIRE_AJV();
  TempDir dir;
  const std::vector<Config> configs = {
      {"missing file", "meshConfig: no-such-file.yaml\n"},
      {"missing policy file", "egressPolicy: no-such-policy.yaml\n"},
      {"invalid RE2", "suppressions:\n- rule: invalid-manifest\n  reason: x\n  object: \"((\"\n"},
      {"impossible date",
       "suppressions:\n- rule: invalid-manifest\n  reason: x\n  expires: 2027-02-30\n"},
  };
  for (const Config& c : configs)
    EXPECT_NE(LoaderErrors(c, dir), std::vector<std::string>{}) << c.name;
  EXPECT_EQ(SchemaValid(configs, dir).size(), configs.size());
}

TEST(ConfigSchema, YamlIsReadAsEditorsReadIt) {
  EXPECT_EQ(
      ToJson(YAML::Load("a: 2027-03-31\nb: off\nc: true\nd: \"true\"\ne: 12\nf: ~\ng: |\n  x\n")),
      json::parse(R"({"a": "2027-03-31", "b": "off", "c": true, "d": "true", "e": 12,
                            "f": null, "g": "x\n"})"));
}

}  // namespace
}  // namespace meshlint::testing
