// Every YAML style through every path that reads it, against yaml-cpp: the
// scanner's tree and its header-only read, libyaml's events with and without
// a PrunePlan, and the whole `lint` result (findings with rule, object,
// file:line:col and message; the model's objects) with and without
// --full-parse. The styles are those of issue 16 — flow, anchors and
// aliases, block scalars, multi-line flow, tags, comments everywhere, CRLF,
// BOM, deep nesting — the guard findings (which must be worded and placed
// the same whichever path ran), and the styles ci/bench generates (block,
// flow, helm, crd, kustomize), made here by a small port of
// bench/gen_mesh.py and bench/gen_styles.py so that ctest needs no python.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "loader/object_reader.h"
#include "loader/scan.h"
#include "loader/text.h"
#include "loader/yaml_events.h"
#include "loader/yaml_tree.h"
#include "test_util.h"
#include "tests/model_dump.h"
#include "tests/tree_dump.h"

namespace meshlint {
namespace {

namespace fs = std::filesystem;
using testing::DumpTree;
using testing::FirstDifference;

// --- the paths, document by document ----------------------------------------

// How many documents each path read (built a tree, or a header), over the
// documents checked.
struct PathCounts {
  int documents = 0;
  int yaml_cpp_refused = 0;
  int guarded = 0;  // FindExcessiveNesting objects: no parser sees it
  int empty = 0;    // no node at all (a comment, a template left empty)
  int scan_tree = 0;
  int scan_tree_pruned = 0;
  int scan_header = 0;
  int events = 0;
  int events_pruned = 0;
  int fast = 0;  // read by some path other than yaml-cpp

  std::string Summary() const {
    return std::to_string(documents) + " documents: scanner tree " + std::to_string(scan_tree) +
           ", pruned " + std::to_string(scan_tree_pruned) + ", header " +
           std::to_string(scan_header) + "; events " + std::to_string(events) + ", pruned " +
           std::to_string(events_pruned) + "; yaml-cpp refused " +
           std::to_string(yaml_cpp_refused) + ", guarded " + std::to_string(guarded) + ", empty " +
           std::to_string(empty);
  }
};

const LiteTree::Rec* Child(const LiteTree& t, const LiteTree::Rec& map, std::string_view key) {
  if (map.type != LiteTree::Type::kMap) return nullptr;
  for (std::size_t i = 0; i + 1 < map.kids.size(); i += 2)
    if (t.nodes[map.kids[i]].type == LiteTree::Type::kScalar && t.nodes[map.kids[i]].scalar == key)
      return &t.nodes[map.kids[i + 1]];
  return nullptr;
}

// `pruned` is `whole` but for the collections left out: each of those is
// one node of the same type and mark, marked kPruned.
bool SameButPruned(const LiteTree& whole, std::uint32_t w, const LiteTree& pruned, std::uint32_t p,
                   std::set<std::uint32_t>& seen, std::string& why) {
  const LiteTree::Rec& a = whole.nodes[w];
  const LiteTree::Rec& b = pruned.nodes[p];
  const std::string at = std::to_string(a.line) + ":" + std::to_string(a.column);
  if (a.type != b.type || a.line != b.line || a.column != b.column || a.scalar != b.scalar) {
    why = "node at " + at + " differs (pruned tree has " + std::to_string(b.line) + ":" +
          std::to_string(b.column) + " '" + b.scalar + "')";
    return false;
  }
  if (b.partial == LiteTree::Partial::kPruned || !seen.insert(p).second) return true;
  if (a.kids.size() != b.kids.size()) {
    why = "node at " + at + " has " + std::to_string(b.kids.size()) + " children, not " +
          std::to_string(a.kids.size());
    return false;
  }
  for (std::size_t i = 0; i < a.kids.size(); ++i)
    if (!SameButPruned(whole, a.kids[i], pruned, b.kids[i], seen, why)) return false;
  return true;
}

void ExpectPrunedMatches(const LiteTree& whole, const LiteTree& pruned, std::string_view text,
                         const char* path) {
  std::set<std::uint32_t> seen;
  std::string why;
  EXPECT_TRUE(whole.used > 0 && pruned.used > 0 && SameButPruned(whole, 0, pruned, 0, seen, why))
      << path << ": " << why << "\ndocument:\n"
      << text;
}

// What the header-only scan found is what yaml-cpp's tree holds there.
void ExpectHeaderMatches(const DocumentHeader& h, const LiteTree& t, std::string_view text) {
  ASSERT_GT(t.used, 0u) << text;
  const LiteTree::Rec& root = t.nodes[0];
  const LiteTree::Rec* metadata = Child(t, root, "metadata");
  auto check = [&](const ScannedScalar& s, const LiteTree::Rec* node, const char* field) {
    if (!s.found) {
      // The scanner reads apiVersion and kind wherever they are.
      if (field == std::string_view("apiVersion") || field == std::string_view("kind")) {
        EXPECT_EQ(node, nullptr) << field << " not found by the scanner:\n" << text;
      }
      return;
    }
    ASSERT_NE(node, nullptr) << field << " found by the scanner only:\n" << text;
    if (s.null) {
      EXPECT_EQ(node->type, LiteTree::Type::kNull) << field << ":\n" << text;
      return;
    }
    ASSERT_EQ(node->type, LiteTree::Type::kScalar) << field << ":\n" << text;
    EXPECT_EQ(s.value, node->scalar) << field << ":\n" << text;
    EXPECT_EQ(static_cast<int>(s.line), node->line) << field << ":\n" << text;
    EXPECT_EQ(static_cast<int>(s.column), node->column) << field << ":\n" << text;
  };
  check(h.api_version, Child(t, root, "apiVersion"), "apiVersion");
  check(h.kind, Child(t, root, "kind"), "kind");
  const LiteTree::Rec* none = nullptr;
  check(h.name, metadata ? Child(t, *metadata, "name") : none, "metadata.name");
  check(h.ns, metadata ? Child(t, *metadata, "namespace") : none, "metadata.namespace");
  check(h.generate_name, metadata ? Child(t, *metadata, "generateName") : none,
        "metadata.generateName");
  if (h.has_metadata && metadata && metadata->type == LiteTree::Type::kMap) {
    EXPECT_EQ(h.name.found, Child(t, *metadata, "name") != nullptr) << text;
    EXPECT_EQ(h.ns.found, Child(t, *metadata, "namespace") != nullptr) << text;
  }
}

// One document (as SplitDocuments cuts it) through every path: each path
// that reads it must give yaml-cpp's tree; what yaml-cpp refuses, every
// other path declines.
void CheckPaths(std::string_view text, PathCounts& c) {
  ++c.documents;
  LiteTree t;
  if (FindExcessiveNesting(text)) {
    // The loader reports it before any parser runs; the scanner must not
    // read it first.
    ++c.guarded;
    EXPECT_FALSE(ScanDocument(text)) << text.substr(0, 300);
    EXPECT_FALSE(ScanDocument(text, &t)) << text.substr(0, 300);
    return;
  }
  LiteTree oracle;
  const auto error = ParseYaml(text, oracle);
  c.yaml_cpp_refused += error.has_value();
  c.empty += !error && (oracle.used == 0 || oracle.nodes[0].type == LiteTree::Type::kNull);
  const std::string expected = error ? "" : DumpTree(oracle);
  std::string_view kind;
  if (!error && oracle.used > 0)
    if (const LiteTree::Rec* k = Child(oracle, oracle.nodes[0], "kind");
        k && k->type == LiteTree::Type::kScalar)
      kind = k->scalar;
  const PrunePlan* plan = PrunePlanFor(kind);
  bool fast = false;

  if (ScanDocument(text, &t)) {
    ++c.scan_tree;
    fast = true;
    EXPECT_FALSE(error) << "scanner accepted what yaml-cpp refuses (" << error->message << "):\n"
                        << text;
    if (!error) {
      const std::string got = DumpTree(t);
      EXPECT_EQ(got, expected) << "scanner tree:\n"
                               << text << "\n"
                               << FirstDifference(got, expected);
    }
  }
  if (plan && ScanDocument(text, &t, plan)) {
    ++c.scan_tree_pruned;
    fast = true;
    EXPECT_FALSE(error) << text;
    if (!error) ExpectPrunedMatches(oracle, t, text, "scanner with plan");
  }
  if (auto header = ScanDocument(text)) {
    ++c.scan_header;
    fast = true;
    EXPECT_FALSE(error) << "header scan accepted what yaml-cpp refuses (" << error->message
                        << "):\n"
                        << text;
    if (!error) ExpectHeaderMatches(*header, oracle, text);
  }
  const bool built = ParseYamlEvents(text, t);
  if (built) {
    ++c.events;
    fast = true;
    EXPECT_FALSE(error) << "events accepted what yaml-cpp refuses (" << error->message << "):\n"
                        << text;
    if (!error) {
      const std::string got = DumpTree(t);
      EXPECT_EQ(got, expected) << "event tree:\n" << text << "\n" << FirstDifference(got, expected);
    }
  }
  if (plan) {
    const EventParse parse = ParseYamlEvents(text, t, plan);
    // The plan changes what is built, never what is declined.
    EXPECT_EQ(parse == EventParse::kDeclined, !built) << text;
    if (parse == EventParse::kBuilt) {
      ++c.events_pruned;
      if (!error) ExpectPrunedMatches(oracle, t, text, "events with plan");
    }
  }
  c.fast += fast;
}

// Every document of a file's text, cut as the loader cuts it.
void CheckAllPaths(std::string_view file_text, PathCounts& c) {
  if (FindBinary(file_text)) return;
  for (const DocumentChunk& chunk : SplitDocuments(StripBom(file_text), false))
    CheckPaths(chunk.text, c);
}

// --- the whole result, default against --full-parse --------------------------

std::string ModelOf(const std::vector<std::pair<std::string, std::string>>& files, bool full) {
  LoadOptions options;
  options.full_parse = full;
  return testing::Dump(testing::LoadFiles(files, options));
}

void ExpectSameModel(const std::vector<std::pair<std::string, std::string>>& files,
                     const std::string& what) {
  const std::string fast = ModelOf(files, false);
  const std::string full = ModelOf(files, true);
  EXPECT_EQ(fast, full) << what << ": " << FirstDifference(fast, full);
}

struct TempDir {
  fs::path path;
  explicit TempDir(const std::string& name)
      : path(fs::temp_directory_path() /
             ("meshlint-style-" + name + "-" + std::to_string(::getpid()))) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  void Write(const std::string& rel, const std::string& text) const {
    fs::create_directories((path / rel).parent_path());
    std::ofstream(path / rel, std::ios::binary) << text;
  }
};

// `meshlint ARGS...` with and without --full-parse: the same status and the
// same bytes on stdout. Returns the default run's stdout.
std::string ExpectSameCli(std::vector<std::string> args, const fs::path& cwd,
                          const std::string& input = "") {
  const auto fast = testing::RunInProcess(args, cwd.string(), input);
  args.push_back("--full-parse");
  const auto full = testing::RunInProcess(args, cwd.string(), input);
  EXPECT_LT(fast.status, 2) << fast.err;
  EXPECT_EQ(fast.status, full.status) << args[0];
  EXPECT_EQ(fast.out, full.out) << args[0] << ": " << FirstDifference(fast.out, full.out);
  return fast.out;
}

// The `[invalid-manifest]` lines of a text report, sorted.
std::vector<std::string> InvalidManifestLines(const std::string& report) {
  std::vector<std::string> out;
  std::istringstream in(report);
  for (std::string line; std::getline(in, line);)
    if (line.find("[invalid-manifest]") != std::string::npos) out.push_back(line);
  std::sort(out.begin(), out.end());
  return out;
}

// --- every style of issue 16, hand-written -----------------------------------

struct StyleCase {
  const char* style;
  std::string text;  // one file, one or more documents
};

std::string Crlf(std::string text) {
  std::string out;
  for (char c : text) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

// A document nested `depth` deep in flow style at `where` of a Sidecar.
std::string FlowNested(int depth) {
  return "apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata: {name: deep, namespace: "
         "shop}\nspec:\n  x: " +
         std::string(static_cast<std::size_t>(depth), '[') + "1" +
         std::string(static_cast<std::size_t>(depth), ']') + "\n  egress: [{hosts: [\"./*\"]}]\n";
}

// A Deployment whose spec nests `depth` block mappings, one space a level.
std::string BlockNested(int depth, const char* kind) {
  std::string text = std::string("apiVersion: v1\nkind: ") + kind +
                     "\nmetadata:\n  name: deep\n  namespace: shop\nspec:\n";
  for (int i = 0; i < depth; ++i)
    text += std::string(static_cast<std::size_t>(1 + i), ' ') + "k" + std::to_string(i) + ":\n";
  return text + std::string(static_cast<std::size_t>(1 + depth), ' ') + "v: 1\n";
}

std::vector<StyleCase> StyleCases() {
  const std::string se_block =
      "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: ext\n"
      "  namespace: shop\nspec:\n  hosts:\n  - api.example.com\n  location: MESH_EXTERNAL\n"
      "  resolution: DNS\n  ports:\n  - number: 443\n    name: https\n    protocol: TLS\n";
  const std::string deployment_block =
      "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\n"
      "  labels:\n    app: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n"
      "  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n"
      "      containers:\n      - name: web\n        image: r/web:1\n";
  std::vector<StyleCase> cases = {
      // flow, in every place a reader looks and in places none does
      {"flow",
       "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: ext, namespace: "
       "shop, labels: {team: a}}\nspec: {hosts: [api.example.com, \"b.example.com\"], exportTo: "
       "[\"*\"], location: MESH_EXTERNAL, resolution: DNS, ports: [{number: 443, name: https, "
       "protocol: TLS}]}\n---\napiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata: "
       "{name: default, namespace: shop}\nspec: {egress: [{hosts: [\"./*\", "
       "\"istio-system/*\"]}], outboundTrafficPolicy: {mode: REGISTRY_ONLY}}\n---\n"
       "{apiVersion: apps/v1, kind: Deployment, metadata: {name: web, namespace: shop}, spec: "
       "{template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: "
       "\"r/web:1\"}]}}}}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: "
       "shop}\ndata: {a: \"1\", b: x}\n---\n{\"apiVersion\": \"v1\", \"kind\": \"Service\", "
       "\"metadata\": {\"name\": \"s\", \"namespace\": \"shop\"}, \"spec\": {\"ports\": "
       "[{\"port\": 80}]}}\n"},
      // anchors and aliases: in metadata, in spec, in what a plan leaves out,
      // an alias in a kept place naming a node left out, merge keys
      {"anchors",
       "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: &n ext\n"
       "  namespace: shop\n  labels: &l {app: *n}\nspec:\n  hosts: &h\n  - api.example.com\n"
       "  exportTo: [\".\"]\n  location: MESH_EXTERNAL\n  other: *h\n---\napiVersion: apps/v1\n"
       "kind: Deployment\nmetadata:\n  name: web\n  namespace: &ns shop\nspec:\n  template:\n"
       "    metadata:\n      labels: &pl {app: web}\n      annotations: {owner: *ns}\n"
       "    spec:\n      containers: &c [{name: web, env: [{name: NS, value: *ns}]}]\n"
       "      initContainers: *c\n  selector: {matchLabels: *pl}\n---\napiVersion: v1\n"
       "kind: ConfigMap\nmetadata: &m\n  name: c\n  namespace: shop\ndata:\n  copy: *m\n---\n"
       "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: j, namespace: shop}\nspec:\n"
       "  jobTemplate:\n    spec:\n      template:\n        spec: {containers: &cs [{name: "
       "n}]}\n        metadata: {labels: {app: j}}\n  kept: *cs\n---\n"
       "apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata: {name: s, namespace: "
       "shop}\nbase: &b {hosts: [\"./*\"]}\nspec:\n  egress:\n  - <<: *b\n    port: {number: "
       "80, protocol: HTTP, name: http}\n"},
      // block scalars in metadata, in spec, in a ConfigMap's data, in the mesh
      // ConfigMap (read in full), with chomping and indentation indicators
      {"block scalars",
       "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: ext\n"
       "  namespace: shop\n  annotations:\n    note: |\n      {\"k\": \"v\"}\n    other: >-\n"
       "      folded\n      text\nspec:\n  hosts:\n  - |-\n    api.example.com\n"
       "  location: MESH_EXTERNAL\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n"
       "  namespace: shop\ndata:\n  a: |\n    line\n\n     more\n  b: >+\n    kept\n\n  c: |2\n"
       "      two\n  d: |-\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: istio\n"
       "  namespace: istio-system\ndata:\n  mesh: |\n    outboundTrafficPolicy:\n"
       "      mode: REGISTRY_ONLY\n    defaultConfig: >\n      ignored\n---\n" +
           deployment_block + "        command:\n        - |\n          echo hi\n"},
      // flow collections over several lines, nested, in the identity too
      {"multi-line flow",
       "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {\n  name: ext,\n"
       "  namespace: shop,\n  labels: {\n      team: a\n  }\n}\nspec:\n  hosts: [\n"
       "    api.example.com,\n    \"b.example.com\",\n  ]\n  ports: [{number: 443,\n"
       "    name: https, protocol: TLS}]\n  location: MESH_EXTERNAL\n---\napiVersion: apps/v1\n"
       "kind: Deployment\nmetadata:\n  name: web\n  namespace: shop\n  labels: {\n"
       "      app: web,\n      app.kubernetes.io/part-of: platform}\nspec:\n  template:\n"
       "    metadata: {labels: {app: web,\n      tier: front}}\n    spec:\n      containers: [\n"
       "        {name: web, args: [--a,\n          --b]}]\n"},
      // tags: core tags, local tags, on identity fields and elsewhere
      {"tags",
       "apiVersion: !!str networking.istio.io/v1\nkind: ServiceEntry\nmetadata: !!map\n"
       "  name: !!str ext\n  namespace: shop\nspec:\n  hosts: !!seq\n  - api.example.com\n"
       "  exportTo: [!!str \".\"]\n  location: MESH_EXTERNAL\n  x: !custom {a: 1}\n---\n"
       "apiVersion: v1\nkind: !!str ConfigMap\nmetadata: {name: !local c, namespace: shop}\n"
       "data: {n: !!int \"3\", s: !!str 4}\n---\n--- !!map\napiVersion: apps/v1\nkind: "
       "Deployment\nmetadata: {name: web, namespace: shop}\nspec: !spec {template: {metadata: "
       "{labels: {app: web}}}}\n"},
      // comments everywhere: before, after and inside every construct
      {"comments",
       "# head\n--- # after the marker\n# before\napiVersion: networking.istio.io/v1 # api\n"
       "kind: ServiceEntry # kind\nmetadata: # metadata\n  # inside\n  name: ext # name\n"
       "  namespace: shop # ns\n  labels: {a: b, # in flow\n    c: d}\nspec:\n  hosts: # hosts\n"
       "  # between\n  - api.example.com # item\n  - \"b.example.com\" # quoted\n"
       "  exportTo: [\".\", # flow comment\n    other]\n  location: MESH_EXTERNAL\n# tail\n---\n"
       "# only comments in this document\n---\napiVersion: v1 #a\nkind: ConfigMap #k\n"
       "metadata: #m\n  name: c #n\ndata:\n  x: | # header comment\n    # not a comment\n"
       "# a comment at column 0\n  y: z\n"},
      // CRLF line ends, in every style at once
      {"CRLF", Crlf(se_block + "---\n" + deployment_block +
                    "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: shop}\n"
                    "data:\n  a: |\n    x\n    y\n  b: [p,\n    q]\n---\n"
                    "apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata:\n  name: s\n"
                    "  namespace: shop\nspec:\n  egress: [{hosts: [\"./*\"]}] # c\n")},
      // a byte order mark at the start of the file, and CRLF after it
      {"BOM", "\xEF\xBB\xBF" + se_block + "---\n" + deployment_block},
      {"BOM", "\xEF\xBB\xBF" + Crlf(deployment_block + "---\n" + se_block)},
      // a byte order mark at the start of a later document too (YAML allows
      // one before each document)
      {"BOM", se_block + "---\n\xEF\xBB\xBF" + deployment_block},
      {"BOM",
       "\xEF\xBB\xBF"
       "{\"apiVersion\": \"v1\", \"kind\": \"Namespace\", \"metadata\": {\"name\": \"shop\"}}\n"},
      // multi-byte UTF-8 around the positions reported
      {"UTF-8",
       "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: ext\n"
       "  namespace: shop\n  annotations: {note: \"é ü\"}\nspec:\n  hosts: [\"ü.example.com\", "
       "bad_host]\n  location: MESH_EXTERNAL\n"},
      // plain and quoted scalars over several lines, keys quoted or complex
      {"multi-line scalars",
       "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: ext\n"
       "  namespace: shop\n  annotations:\n    a: plain\n      continued\n    \"quoted key\": 'one\n"
       "      two'\nspec:\n  hosts:\n  - \"api.example.com\"\n  location: MESH_EXTERNAL\n"},
      // explicit and complex keys: the event path declines them, yaml-cpp reads them
      {"complex keys",
       "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: ext, "
       "namespace: shop}\nspec:\n  hosts: [api.example.com]\n  ? complex\n  : value\n"
       "  ? [a, b]\n  : c\n"},
  };
  // Deep nesting around every guard: the event path's 400, yaml-cpp's 500,
  // the bracket guard's 1000, in flow and in block style.
  for (int depth : {390, 397, 398, 399, 400, 496, 497, 498, 499, 500, 501, 999, 1000, 1001})
    cases.push_back({"deep flow", FlowNested(depth)});
  for (int depth : {390, 396, 397, 398, 399, 400, 401, 497, 498, 499})
    for (const char* kind : {"Service", "ConfigMap"})
      cases.push_back({"deep block", BlockNested(depth, kind)});
  return cases;
}

TEST(StyleEquivalence, EveryStyleThroughEveryPath) {
  std::map<std::string, PathCounts> counts;
  for (const StyleCase& c : StyleCases()) CheckAllPaths(c.text, counts[c.style]);
  for (const auto& [style, n] : counts) {
    SCOPED_TRACE(style);
    std::cout << "[ style    ] " << style << ": " << n.Summary() << "\n";
    // Each style is read by a path other than yaml-cpp somewhere, or the
    // comparison above compared nothing.
    if (style == "complex keys") {
      EXPECT_EQ(n.fast, 0) << n.Summary();  // when a path learns them, they are compared
    } else if (style != "deep block") {
      EXPECT_GT(n.fast, 0) << n.Summary();
      EXPECT_GT(n.events, 0) << n.Summary();
    }
  }
  // The deep cases: events read up to their guard, the rest goes on.
  EXPECT_GT(counts["deep flow"].events, 0);
  EXPECT_GT(counts["deep flow"].yaml_cpp_refused, 0);
  EXPECT_GT(counts["deep flow"].guarded, 0);
  EXPECT_GT(counts["deep block"].events, 0);
  EXPECT_GT(counts["deep block"].yaml_cpp_refused, 0);
}

TEST(StyleEquivalence, EveryStyleLintsAsFullParse) {
  const std::vector<StyleCase> cases = StyleCases();
  for (std::size_t i = 0; i < cases.size(); ++i)
    ExpectSameModel({{"case.yaml", cases[i].text}},
                    std::string(cases[i].style) + " #" + std::to_string(i));
  // And as users run it: every case a file of one directory, text and JSON.
  TempDir dir("styles");
  for (std::size_t i = 0; i < cases.size(); ++i)
    dir.Write("case-" + std::to_string(100 + i) + ".yaml", cases[i].text);
  const std::string json = ExpectSameCli({"lint", ".", "--format", "json"}, dir.path);
  EXPECT_NE(json.find("\"object\""), std::string::npos);
  const std::string text = ExpectSameCli({"lint", "."}, dir.path);
  // The deep cases past yaml-cpp's guard are reported, by yaml-cpp's guard.
  EXPECT_NE(text.find("collections nested"), std::string::npos) << text;
}

// --- the guard findings --------------------------------------------------------

// Each guard, in a document the scanner would read but for it and in one
// only the event path or yaml-cpp reads: the same finding, worded and placed
// the same, with and without --full-parse.
TEST(StyleEquivalence, GuardFindingsAgree) {
  const std::string cm =
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: shop\n";
  const std::string se =
      "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: se, namespace: "
      "shop}\n";
  std::vector<std::pair<std::string, std::string>> files = {
      // FindExcessiveNesting: brackets
      {"brackets-block.yaml", cm + "data:\n  x: " + std::string(1001, '[') + "\n"},
      {"brackets-flow.yaml", se + "spec: {hosts: " + std::string(1001, '[') + "}\n"},
      // FindExcessiveNesting: indentation
      {"indent-block.yaml", cm + "  labels:\n" + std::string(2001, ' ') + "a: b\n"},
      {"indent-flow.yaml", se + "spec:\n  hosts: [a,\n" + std::string(2005, ' ') + "b]\n"},
      // yaml-cpp's own depth guard, in block and in flow style
      {"depth-block.yaml", BlockNested(520, "ConfigMap")},
      {"depth-block-se.yaml", BlockNested(520, "ServiceEntry")},
      {"depth-flow.yaml", FlowNested(600)},
      // binary input, control characters, invalid UTF-8
      {"nul.yaml", cm + "data:\n  a: x\0y\n"},
      {"control.yaml", se + "spec: {hosts: [\"a\x01\"]}\n"},
      {"latin1.yaml", cm + "data:\n  a: caf\xE9\n"},
      {"surrogate.yaml", se + "spec:\n  hosts: [\"\xED\xA0\x80\"]\n"},
      // a syntax error, in the style of each path
      {"syntax-block.yaml", cm + "data:\n  a: b\n c: d\n"},
      {"syntax-flow.yaml", se + "spec: {hosts: [a, b}\n"},
      {"undefined-alias.yaml", se + "spec: {hosts: *nothing}\n"},
  };
  files[7].second = cm + std::string("data:\n  a: x\0y\n", 15);  // keep the NUL
  TempDir dir("guards");
  for (const auto& [name, text] : files) dir.Write(name, text);
  const std::string report = ExpectSameCli({"lint", "."}, dir.path);
  const std::vector<std::string> expected = {
      "brackets-block.yaml:7:1006: error [invalid-manifest] brackets nested more than 1000 deep: "
      "not parsed",
      "brackets-flow.yaml:4:1014: error [invalid-manifest] brackets nested more than 1000 deep: "
      "not parsed",
      "control.yaml:4:18: error [invalid-manifest] control character (byte 0x01) in YAML text: "
      "not a YAML or JSON manifest",
      "depth-block-se.yaml:504:504: error [invalid-manifest] collections nested 500 deep: "
      "nesting too deep to be a manifest, not parsed",
      "depth-block.yaml:504:504: error [invalid-manifest] collections nested 500 deep: nesting "
      "too deep to be a manifest, not parsed",
      "depth-flow.yaml:5:1207: error [invalid-manifest] collections nested 500 deep: nesting too "
      "deep to be a manifest, not parsed",
      "indent-block.yaml:7:2002: error [invalid-manifest] indentation deeper than 2000 columns: "
      "nesting too deep to be a manifest, not parsed",
      "indent-flow.yaml:6:2006: error [invalid-manifest] indentation deeper than 2000 columns: "
      "nesting too deep to be a manifest, not parsed",
      "latin1.yaml:7:9: error [invalid-manifest] invalid UTF-8: YAML and JSON manifests must be "
      "UTF-8 text",
      "nul.yaml:7:7: error [invalid-manifest] binary file (NUL byte): not a YAML or JSON manifest",
      "surrogate.yaml:5:12: error [invalid-manifest] invalid UTF-8: YAML and JSON manifests must "
      "be UTF-8 text",
  };
  // (yaml-cpp's depth guard is placed at yaml-cpp's mark: in block style
  // just after the key whose value is the 500th collection, in flow style
  // just after the outermost collection it was parsing.)
  std::vector<std::string> got = InvalidManifestLines(report);
  // The syntax errors are yaml-cpp's wording; only their presence is fixed here.
  std::vector<std::string> syntax;
  std::erase_if(got, [&](const std::string& l) {
    const bool s = l.starts_with("syntax-") || l.starts_with("undefined-alias");
    if (s) syntax.push_back(l);
    return s;
  });
  EXPECT_EQ(got, expected) << report;
  EXPECT_EQ(syntax.size(), 3u) << report;
  for (const std::string& l : syntax)
    EXPECT_NE(l.find("YAML syntax error: "), std::string::npos) << l;
  // The same in the model, as LoadText sees each file.
  for (const auto& [name, text] : files) ExpectSameModel({{name, text}}, name);
}

// A document over the 32 MiB the loader parses: refused before any parser
// runs, at its first line, either way.
TEST(StyleEquivalence, OversizedDocumentAgrees) {
  std::string big =
      "apiVersion: v1\nkind: Namespace\nmetadata: {name: before}\n---\n"
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big, namespace: shop}\n"
      "data:\n  a: \"";
  big.append(std::size_t{33} << 20, 'x');
  big += "\"\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: after}\n";
  const std::string fast = ModelOf({{"big.yaml", big}}, false);
  EXPECT_EQ(fast, ModelOf({{"big.yaml", big}}, true));
  EXPECT_NE(fast.find("problem 0:4:1-4:2|YAML document of 33 MiB is larger than the 32 MiB"),
            std::string::npos)
      << fast.substr(0, 2000);
  EXPECT_NE(fast.find("|Namespace/after|"), std::string::npos) << fast.substr(0, 2000);
}

// --- the bench styles, generated here ----------------------------------------
//
// The essentials of bench/gen_mesh.py (block) and bench/gen_styles.py (flow,
// helm, crd, kustomize) at a few hundred objects: the same kinds of mesh
// (namespaces, Sidecars for most of them, ServiceEntries exported to one
// namespace, to all or to none, VirtualServices exported everywhere,
// Deployments, Services, ConfigMaps, CRDs) written the way each style writes
// them. Deterministic.

// A YAML value as the writer below writes it.
struct Y {
  enum Kind { kStr, kRaw, kFolded, kMap, kSeq } kind = kStr;
  std::string s;                  // a string, or a raw scalar (numbers, booleans)
  std::vector<std::string> keys;  // a mapping's keys, in order
  std::vector<Y> q;               // its values, or a sequence's items
  bool flow = false;              // written as a flow collection in the flow style
};

Y S(std::string s) { return Y{Y::kStr, std::move(s), {}, {}, false}; }
Y R(std::string s) { return Y{Y::kRaw, std::move(s), {}, {}, false}; }
Y R(int n) { return R(std::to_string(n)); }
Y F(std::string s) { return Y{Y::kFolded, std::move(s), {}, {}, false}; }
Y M(std::vector<std::pair<std::string, Y>> m, bool flow = false) {
  Y out{Y::kMap, {}, {}, {}, flow};
  for (auto& [k, v] : m) {
    out.keys.push_back(k);
    out.q.push_back(std::move(v));
  }
  return out;
}
Y Q(std::vector<Y> q, bool flow = false) { return Y{Y::kSeq, {}, {}, std::move(q), flow}; }

struct Style {
  bool flow = false;         // collections marked `flow` as flow ({app: web})
  bool indent_seqs = true;   // `  - x` under a key, not `- x`
  bool sort_keys = false;    // kustomize sorts keys at every level
  bool quote_all = false;    // helm's quoted values
  int multi_line_every = 0;  // one flow collection in so many over several lines
};

bool NeedsQuotes(const std::string& s, bool in_flow) {
  if (s.empty()) return true;
  static const std::set<std::string> kReserved = {"true", "false", "yes", "no", "on",
                                                  "off",  "null",  "~",   "y",  "n"};
  std::string lower;
  for (char c : s) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (kReserved.count(lower)) return true;
  if (s.find_first_not_of("0123456789.+-eE_") == std::string::npos) return true;
  if (std::string_view("-?:,[]{}#&*!|>'\"%@` ").find(s[0]) != std::string_view::npos &&
      !(s[0] == '-' && s.size() > 1 && s[1] != ' ' && s[1] != '-'))
    return true;
  if (s.find(": ") != std::string::npos || s.find(" #") != std::string::npos || s.back() == ':' ||
      s.back() == ' ')
    return true;
  return in_flow && s.find_first_of(",[]{}") != std::string::npos;
}

std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

class Writer {
 public:
  explicit Writer(Style style) : style_(style) {}

  std::string Document(const Y& root) {
    std::string out;
    Entries(out, Sorted(root), 0);
    return out;
  }

 private:
  Y Sorted(const Y& v) const {
    Y out = v;
    for (auto& x : out.q) x = Sorted(x);
    if (style_.sort_keys && out.kind == Y::kMap) {
      std::vector<std::size_t> order(out.keys.size());
      for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
      std::sort(order.begin(), order.end(),
                [&](std::size_t a, std::size_t b) { return out.keys[a] < out.keys[b]; });
      Y sorted = out;
      for (std::size_t i = 0; i < order.size(); ++i) {
        sorted.keys[i] = out.keys[order[i]];
        sorted.q[i] = out.q[order[i]];
      }
      return sorted;
    }
    return out;
  }

  std::string Scalar(const Y& v, bool in_flow) const {
    if (v.kind == Y::kRaw) return v.s;
    if (style_.quote_all || NeedsQuotes(v.s, in_flow)) return Quote(v.s);
    return v.s;
  }

  // Keys are quoted only where YAML needs it, in every style.
  static std::string Key(const std::string& k, bool in_flow) {
    return NeedsQuotes(k, in_flow) ? Quote(k) : k;
  }

  std::string Flow(const Y& v) const {
    if (v.kind != Y::kMap && v.kind != Y::kSeq) return Scalar(v, true);
    std::string out = v.kind == Y::kMap ? "{" : "[";
    for (std::size_t i = 0; i < v.q.size(); ++i)
      out +=
          (i ? ", " : "") + (v.kind == Y::kMap ? Key(v.keys[i], true) + ": " : "") + Flow(v.q[i]);
    return out + (v.kind == Y::kMap ? "}" : "]");
  }

  // A flow collection spread over lines, as people format long ones.
  std::string MultiLineFlow(const Y& v, int indent) const {
    const std::string pad(static_cast<std::size_t>(indent + 4), ' ');
    std::string out = v.kind == Y::kMap ? "{\n" : "[\n";
    for (std::size_t i = 0; i < v.q.size(); ++i)
      out += pad + (v.kind == Y::kMap ? Key(v.keys[i], true) + ": " : "") + Flow(v.q[i]) +
             (i + 1 < v.q.size() ? ",\n" : "\n");
    return out + std::string(static_cast<std::size_t>(indent), ' ') +
           (v.kind == Y::kMap ? "}" : "]");
  }

  // What follows `key:` (or `- `) for value `v` whose lines are at `indent`.
  void Value(std::string& out, const Y& v, int indent) {
    const std::string pad(static_cast<std::size_t>(indent), ' ');
    switch (v.kind) {
      case Y::kStr:
        if (v.s.find('\n') != std::string::npos) {
          out += " |\n";
          std::size_t at = 0;
          while (at < v.s.size()) {
            const std::size_t eol = v.s.find('\n', at);
            const std::string line = v.s.substr(at, eol - at);
            out += (line.empty() ? "" : pad) + line + "\n";
            at = eol == std::string::npos ? v.s.size() : eol + 1;
          }
          return;
        }
        out += " " + Scalar(v, false) + "\n";
        return;
      case Y::kRaw: out += " " + v.s + "\n"; return;
      case Y::kFolded: {
        out += " >-\n";
        std::istringstream words(v.s);
        std::string line;
        for (std::string w; words >> w;) {
          if (!line.empty() && line.size() + w.size() > 50) {
            out += pad + line + "\n";
            line.clear();
          }
          line += (line.empty() ? "" : " ") + w;
        }
        out += pad + line + "\n";
        return;
      }
      case Y::kMap:
      case Y::kSeq:
        if (v.q.empty()) {
          out += v.kind == Y::kMap ? " {}\n" : " []\n";
          return;
        }
        if (style_.flow && v.flow) {
          const bool spread =
              style_.multi_line_every > 0 && ++flows_ % style_.multi_line_every == 0;
          out += " " + (spread ? MultiLineFlow(v, indent - 2) : Flow(v)) + "\n";
          return;
        }
        out += "\n";
        if (v.kind == Y::kMap) Entries(out, v, indent);
        else Items(out, v, style_.indent_seqs ? indent : indent - 2);
        return;
    }
  }

  void Entries(std::string& out, const Y& map, int indent) {
    for (std::size_t i = 0; i < map.q.size(); ++i) {
      out += std::string(static_cast<std::size_t>(indent), ' ') + Key(map.keys[i], false) + ":";
      Value(out, map.q[i], indent + 2);
    }
  }

  void Items(std::string& out, const Y& seq, int indent) {
    const std::string pad(static_cast<std::size_t>(indent), ' ');
    for (const Y& item : seq.q) {
      if (item.kind == Y::kMap && !item.q.empty() && !(style_.flow && item.flow)) {
        std::string body;
        Entries(body, item, indent + 2);
        out += pad + "- " + body.substr(static_cast<std::size_t>(indent + 2));
      } else if (item.kind == Y::kMap || item.kind == Y::kSeq) {
        out += pad + "- " + Flow(item) + "\n";
      } else {
        std::string v;
        Value(v, item, indent + 2);
        out += pad + "-" + v;
      }
    }
  }

  Style style_;
  int flows_ = 0;
};

struct Generated {
  std::vector<std::pair<std::string, std::string>> files;  // relative path → text
  int objects = 0;
};

// The mesh of one style: `teams` teams of `namespaces` namespaces.
Generated GenerateMesh(const std::string& style, int teams, int namespaces) {
  Style st;
  if (style == "flow") {
    st.flow = true;
    st.multi_line_every = 5;
  }
  if (style == "kustomize") {
    st.indent_seqs = false;
    st.sort_keys = true;
  }
  const bool helm = style == "helm", kustomize = style == "kustomize", crd = style == "crd";
  Writer writer(st);
  Writer quoted([&] {
    Style q = st;
    q.quote_all = helm;
    return q;
  }());
  Generated g;
  std::map<std::string, std::string> files;
  const std::string prefix = kustomize ? "prod-" : "";
  auto labels = [&](std::vector<std::pair<std::string, Y>> l, const std::string& base) {
    if (helm)
      for (const char* k : {"helm.sh/chart", "app.kubernetes.io/managed-by"})
        l.emplace_back(k, S(k == std::string_view("helm.sh/chart") ? "platform-1.4.2" : "Helm"));
    if (kustomize) {
      l.emplace_back("app.kubernetes.io/managed-by", S("kustomize"));
      l.emplace_back("env", S("prod"));
    }
    (void)base;
    return M(std::move(l), true);
  };
  auto meta = [&](const std::string& name, const std::string& ns,
                  std::vector<std::pair<std::string, Y>> l, const std::string& base,
                  std::vector<std::pair<std::string, Y>> annotations = {}) {
    std::vector<std::pair<std::string, Y>> m = {{"name", S(name)}};
    if (!ns.empty()) m.emplace_back("namespace", S(ns));
    if (!l.empty() || helm || kustomize) m.emplace_back("labels", labels(std::move(l), base));
    if (kustomize)
      annotations.emplace_back("config.kubernetes.io/origin",
                               S("path: ../../base/" + base + ".yaml\n"));
    if (!annotations.empty()) m.emplace_back("annotations", M(std::move(annotations), true));
    return M(std::move(m));
  };
  auto emit = [&](const std::string& file, const std::string& tmpl, const Y& doc, bool istio) {
    std::string& out = files[file];
    if (helm) out += "---\n# Source: platform/templates/" + tmpl + ".yaml\n";
    else if (!out.empty()) out += "---\n";
    out += (istio ? quoted : writer).Document(doc);
    ++g.objects;
  };
  auto file_for = [&](int team, const char* part) {
    const std::string t = "team" + std::to_string(team);
    if (helm) return "rendered/" + t + ".yaml";
    if (kustomize) return std::string("overlays/prod/rendered.yaml");
    if (style == "flow") return "teams/" + t + "/all.yaml";
    return "teams/" + t + "/" + part + ".yaml";
  };
  int se_counter = 0;
  for (int team = 0; team < teams; ++team) {
    for (int n = 0; n < namespaces; ++n) {
      const std::string ns = "team" + std::to_string(team) + "-ns" + std::to_string(n);
      emit(file_for(team, "namespaces"), "namespace",
           M({{"apiVersion", S("v1")},
              {"kind", S("Namespace")},
              {"metadata",
               meta(ns, "",
                    {{"istio-injection", S("enabled")}, {"team", S("team" + std::to_string(team))}},
                    "namespace")}}),
           false);
      if (helm && n % 3 == 1)
        files[file_for(team, "")] += "---\n# Source: platform/templates/hpa.yaml\n";
      if (n % 4 != 3)
        emit(file_for(team, "istio"), "sidecar",
             M({{"apiVersion", S("networking.istio.io/v1")},
                {"kind", S("Sidecar")},
                {"metadata", meta("default", ns, {}, "sidecar")},
                {"spec",
                 M({{"egress", Q({M({{"hosts", Q({S("./*"), S("istio-system/*"),
                                                  S("team" + std::to_string(team) + "-ns" +
                                                    std::to_string((n + 5) % namespaces) + "/*")},
                                                 true)}})})}})}}),
             true);
      for (int k = 0; k < 3; ++k, ++se_counter) {
        const std::string id = std::to_string(se_counter);
        std::vector<std::pair<std::string, Y>> spec = {
            {"hosts", Q({S("api-" + id + ".svc-" + id + ".example.com")}, true)}};
        const int e = se_counter % 5;
        if (e == 0) spec.emplace_back("exportTo", Q({S(ns)}, true));
        if (e == 1) spec.emplace_back("exportTo", Q({S("*")}, true));
        if (e == 2) spec.emplace_back("exportTo", Q({S(".")}, true));
        spec.emplace_back("location", S("MESH_EXTERNAL"));
        spec.emplace_back("resolution", S("DNS"));
        spec.emplace_back("ports", Q({M({{"number", R(se_counter % 7 == 0 ? 80 : 443)},
                                         {"name", S(se_counter % 7 == 0 ? "http" : "https")},
                                         {"protocol", S(se_counter % 7 == 0 ? "HTTP" : "TLS")}})}));
        emit(file_for(team, "istio"), "serviceentry",
             M({{"apiVersion", S("networking.istio.io/v1beta1")},
                {"kind", S("ServiceEntry")},
                {"metadata", meta(prefix + "ext-" + id, ns, {{"owner", S(ns)}}, "serviceentry")},
                {"spec", M(std::move(spec))}}),
             true);
        if (e == 1 && se_counter % 3 == 0)
          emit(file_for(team, "istio"), "virtualservice",
               M({{"apiVersion", S("networking.istio.io/v1")},
                  {"kind", S("VirtualService")},
                  {"metadata", meta(prefix + "vs-" + id, ns, {}, "virtualservice")},
                  {"spec",
                   M({{"hosts", Q({S("api-" + id + ".svc-" + id + ".example.com")}, true)},
                      {"exportTo", Q({S("*")}, true)},
                      {"http",
                       Q({M({{"timeout", S("5s")},
                             {"route", Q({M({{"destination", M({{"host", S("api-" + id + ".svc-" +
                                                                           id + ".example.com")}},
                                                               true)}})})}})})}})}}),
               true);
      }
      for (int a = 0; a < 2; ++a) {
        const std::string app = prefix + "app-" + std::to_string(n * 2 + a);
        emit(
            file_for(team, "apps"), "deployment",
            M({{"apiVersion", S("apps/v1")},
               {"kind", S("Deployment")},
               {"metadata",
                meta(app, ns, {{"app", S(app)}, {"app.kubernetes.io/part-of", S("platform")}},
                     "deployment",
                     {{"deployment.kubernetes.io/revision", S(std::to_string(n + a + 3))}})},
               {"spec",
                M({{"replicas", R(1 + a)},
                   {"selector", M({{"matchLabels", M({{"app", S(app)}}, true)}})},
                   {"template",
                    M({{"metadata",
                        M({{"labels", M({{"app", S(app)}}, true)},
                           {"annotations",
                            M({{"sidecar.istio.io/inject", S(a ? "true" : "false")}}, true)}})},
                       {"spec",
                        M({{"hostNetwork", R(n % 5 == 4 ? "true" : "false")},
                           {"containers",
                            Q({M({{"name", S(app)},
                                  {"image", S("registry.example.com/" + ns + "/" + app + ":1." +
                                              std::to_string(n) + ".0")},
                                  {"args", Q({S("--port=8080"), S("--log-level=info")}, true)},
                                  {"ports",
                                   Q({M({{"containerPort", R(8080)}, {"name", S("http")}}, true)})},
                                  {"env", Q({M({{"name", S("JAVA_OPTS")},
                                                {"value", S("-Xmx512m -XX:+UseG1GC")}},
                                               true)})},
                                  {"resources",
                                   M({{"requests",
                                       M({{"cpu", S("250m")}, {"memory", S("256Mi")}}, true)}})},
                                  {"readinessProbe",
                                   M({{"httpGet", M({{"path", S("/healthz")}, {"port", R(8080)}},
                                                    true)}})}})})}})}})}})}}),
            false);
        emit(file_for(team, "apps"), "service",
             M({{"apiVersion", S("v1")},
                {"kind", S("Service")},
                {"metadata", meta(app, ns, {{"app", S(app)}}, "service")},
                {"spec",
                 M({{"selector", M({{"app", S(app)}}, true)},
                    {"ports", Q({M({{"name", S("http")}, {"port", R(80)}, {"targetPort", R(8080)}},
                                   true)})}})}}),
             false);
        std::vector<std::pair<std::string, Y>> data = {
            {"log-level", S("info")}, {"flags", S("a,b")}, {"replicas", S(std::to_string(a + 1))}};
        if (helm || n % 2 == 0)
          data.emplace_back("nginx.conf", S("server {\n    listen 8000;\n    server_name " + app +
                                            ".svc.cluster.local;\n    location / {\n"
                                            "        proxy_pass http://127.0.0.1:8080;\n"
                                            "    }\n}\n"));
        if (helm)
          data.emplace_back("application.yaml", S("spring:\n  application:\n    name: " + app +
                                                  "\n\nserver:\n  port: 8080\n"));
        emit(file_for(team, "apps"), "configmap",
             M({{"apiVersion", S("v1")},
                {"kind", S("ConfigMap")},
                {"metadata", meta(app + "-config", ns, {}, "configmap")},
                {"data", M(std::move(data))}}),
             false);
      }
    }
  }
  // The CRDs: one small in most styles, several large ones in `crd`.
  auto schema = [](auto&& self, int depth, int width) -> Y {
    std::vector<std::pair<std::string, Y>> props;
    for (int i = 0; i < width; ++i) {
      const std::string f = "field" + std::to_string(depth) + "x" + std::to_string(i);
      if (depth == 0)
        props.emplace_back(f, i % 2 ? M({{"description", S("The " + f +
                                                           " value; see the "
                                                           "operator documentation.")},
                                         {"type", S("string")},
                                         {"enum", Q({S("Always"), S("IfNotPresent"), S("Never")})}})
                                    : M({{"description", S("Limit for " + f + ".")},
                                         {"type", S("integer")},
                                         {"format", S("int32")},
                                         {"minimum", R(0)},
                                         {"maximum", R(65535)}}));
      else
        props.emplace_back(
            f, M({{"description",
                   F(f + " holds the nested settings of depth " + std::to_string(depth) +
                     ". Every field is optional; unset fields take the "
                     "defaults the operator documents.")},
                  {"type", S("object")},
                  {"properties", self(self, depth - 1, width)}}));
    }
    return M(std::move(props));
  };
  const int crds = crd ? 4 : 1;
  for (int c = 0; c < crds; ++c) {
    const std::string group = "group" + std::to_string(c) + ".platform.example.com";
    const std::string plural = "widgets" + std::to_string(c);
    emit(crd ? "crds/operator-" + std::to_string(c) + ".yaml" : "cluster/crd-widgets.yaml", "crd",
         M({{"apiVersion", S("apiextensions.k8s.io/v1")},
            {"kind", S("CustomResourceDefinition")},
            {"metadata",
             M({{"annotations", M({{"controller-gen.kubebuilder.io/version", S("v0.14.0")}})},
                {"name", S(plural + "." + group)}})},
            {"spec",
             M({{"group", S(group)},
                {"names", M({{"kind", S("Widget" + std::to_string(c))},
                             {"listKind", S("Widget" + std::to_string(c) + "List")},
                             {"plural", S(plural)},
                             {"singular", S("widget" + std::to_string(c))}})},
                {"scope", S(c % 2 ? "Cluster" : "Namespaced")},
                {"versions", Q({M({{"name", S("v1alpha1")},
                                   {"served", R("true")},
                                   {"storage", R("true")},
                                   {"schema", M({{"openAPIV3Schema",
                                                  M({{"type", S("object")},
                                                     {"properties", schema(schema, crd ? 4 : 2,
                                                                           3)}})}})}})})}})}}),
         false);
  }
  files["cluster/istio-mesh.yaml"] =
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: istio\n  namespace: istio-system\n"
      "data:\n  mesh: |\n    rootNamespace: istio-system\n    outboundTrafficPolicy:\n"
      "      mode: REGISTRY_ONLY\n";
  ++g.objects;
  for (auto& [path, text] : files) g.files.emplace_back(path, std::move(text));
  return g;
}

const char* const kBenchStyles[] = {"block", "flow", "helm", "crd", "kustomize"};

// Two teams of ten namespaces: about 220 objects a style.
const Generated& Mesh(const std::string& style) {
  static std::map<std::string, Generated> made;
  auto it = made.find(style);
  if (it == made.end()) it = made.emplace(style, GenerateMesh(style, 2, 10)).first;
  return it->second;
}

// One style a test, so that each stays short under the sanitizers too.
class BenchStyle : public ::testing::TestWithParam<const char*> {};

TEST_P(BenchStyle, ThroughEveryPath) {
  const std::string style = GetParam();
  const Generated& g = Mesh(style);
  EXPECT_GT(g.objects, 200);
  PathCounts n;
  for (const auto& [path, text] : g.files) CheckAllPaths(text, n);
  std::cout << "[ style    ] " << style << " (" << g.objects << " objects): " << n.Summary()
            << "\n";
  EXPECT_EQ(n.yaml_cpp_refused, 0) << n.Summary();
  // Every document is read by a path other than yaml-cpp.
  EXPECT_EQ(n.fast + n.empty, n.documents) << n.Summary();
}

TEST_P(BenchStyle, LintsAsFullParse) {
  const std::string style = GetParam();
  const Generated& g = Mesh(style);
  if (style == "helm") {
    // Rendered output on stdin: `# Source:` comments name the templates.
    std::string stream;
    for (const auto& [path, text] : g.files)
      if (path.starts_with("rendered/")) stream += text;
    ExpectSameModel({{"<stdin>", stream}}, style);
    TempDir dir(style + "-stdin");
    const std::string json = ExpectSameCli({"lint", "-", "--format", "json"}, dir.path, stream);
    EXPECT_NE(json.find("platform/templates/serviceentry.yaml"), std::string::npos);
  }
  ExpectSameModel(g.files, style);
  TempDir dir(style);
  for (const auto& [path, text] : g.files) dir.Write(path, text);
  const std::string json = ExpectSameCli({"lint", ".", "--format", "json"}, dir.path);
  // The mesh has findings to compare: ServiceEntries exported to all.
  EXPECT_NE(json.find("serviceentry-exported-to-all"), std::string::npos);
  ExpectSameCli({"egress", "."}, dir.path);
}

INSTANTIATE_TEST_SUITE_P(StyleEquivalence, BenchStyle, ::testing::ValuesIn(kBenchStyles),
                         [](const ::testing::TestParamInfo<const char*>& info) {
                           return std::string(info.param);
                         });

}  // namespace
}  // namespace meshlint
