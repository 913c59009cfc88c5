// The scanner's flow collections (scan.cpp): nested in each other, over
// several lines, as a block value, a list entry and the whole document. What
// it accepts must be yaml-cpp's very tree (types, values, marks) and load
// the same model as the full parse; what it is unsure of it declines.
#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "loader/object_reader.h"
#include "loader/scan.h"
#include "loader/yaml_events.h"
#include "loader/yaml_tree.h"
#include "test_util.h"
#include "tests/model_dump.h"
#include "tests/tree_dump.h"

namespace meshlint {
namespace {

using testing::DumpTree;
using testing::FirstDifference;

std::string LoadOne(const std::string& text, bool full_parse) {
  LoadOptions options;
  options.full_parse = full_parse;
  return testing::Dump(testing::LoadFiles({{"doc.yaml", text}}, options));
}

// Accepted with a tree and without one, into yaml-cpp's tree.
void ExpectScannedAsYamlCpp(const std::string& text, bool header_too = true) {
  LiteTree scanned, parsed;
  ASSERT_TRUE(ScanDocument(text, &scanned)) << text;
  EXPECT_EQ(ScanDocument(text).has_value(), header_too) << text;
  ASSERT_FALSE(ParseYaml(text, parsed)) << text;
  const std::string a = DumpTree(scanned);
  const std::string b = DumpTree(parsed);
  EXPECT_EQ(a, b) << "document:\n" << text << "\n" << FirstDifference(a, b);
}

std::string ConfigMapWith(const std::string& data) {
  return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: n\ndata:\n" + data;
}

// Values of a ConfigMap's `data` the scanner must accept.
const char* const kAccepted[] = {
    "  a: {x: 1, y: [2, 3], z: {p: q}}\n",
    "  a: [[], {}, [[a]], {k: []}, {k: {}}]\n",
    "  a: [{key: istio, operator: In, values: [pilot]}, {key: x, operator: Exists}]\n",
    "  a: {\"k\": \"v\", 'l': 'it''s', \"e\\u0041\": [\"\\t\"]}\n",
    "  a: {\"k\":1,\"l\":\"v\",\"m\":{\"n\":[true,null]},\"o\":[],\"p\":{}}\n",
    "  a: [~, null, Null, NULL, \"null\", '~', x y, -1, a-b]\n",
    "  a: {n: ~, m: null, q: \"\"}\n",
    "  a: {'k':1, \"l\":[x], \"m\":-1}\n",  // JSON's colon right after a quoted key
    "  a:\n  - {key: istio, operator: In, values: [pilot]}\n  - [a, [b, {c: d}]]\n",
    "  a:\n    {x: [1, {y: z}]}\n  b:\n    [[1], [2]]\n",
    "  a: [\n    x,\n    \"y\",\n    {k: v}\n    ]\n  b: 1\n",
    "  a: {\n    \"k\": [1, 2],\n\n    \"l\": {\n      \"m\": n\n    }\n    }\n  b: 2\n",
    "  a:\n  - [\n    x, y\n    ]\n  - z\n",
    "  a: [x\n    , y]\n",
    "  a: [x, y,]\n  b: {x: 1, }\n  c: [[a,],]\n",  // yaml-cpp drops a trailing comma
    "  a: [\n    x\n  ]\n  b: {\n    k: v\n  }\n",
    "  a:\n  - [\n    x\n  ]\n  - {\n    k: [\n      v\n  ]}\n",
    "  a: {k: [1, 2]}  # a comment after\n  b: [\n    1]   # after\n",
};

TEST(ScanFlow, NestedAndMultiLineCollections) {
  for (const char* data : kAccepted) {
    const std::string text = ConfigMapWith(data);
    ExpectScannedAsYamlCpp(text);
    const std::string scan = LoadOne(text, false);
    const std::string full = LoadOne(text, true);
    EXPECT_EQ(scan, full) << text << FirstDifference(scan, full);
  }
}

// Shapes the scanner leaves to the parsers, in a ConfigMap's `data`.
const char* const kDeclined[] = {
    "  a: {x}\n",  // a key without a value
    "  a: {x: 1, y}\n",
    "  a: {x: 1, y\n    -}\n",  // one over lines (yaml-cpp refuses it)
    "  a: {y\n    -}\n",        // (libyaml reads a null value)
    "  a: {x: 1, \"y\n    z\"}\n",
    "  a: {x: 1, y\n    }\n",
    "  a: {x: 1, y # c\n    }\n",
    "  a: {? x: 1}\n",          // a complex key
    "  a: {x: &r 1, y: *r}\n",  // an anchor, an alias
    "  a: [!t x]\n",            // a tag
    "  a: [x, , y]\n",          // an empty entry
    "  a: [,]\n",
    "  a: {,}\n",
    "  a: [x,,]\n",
    "  a: {x: }\n",  // an empty value
    "  a: {x: , y: 1}\n",
    "  a: {x:1}\n",        // one plain scalar `x:1`
    "  a: {\"x\" : 1}\n",  // a space before the colon
    "  a: [x: 1]\n",       // a single-pair mapping in a list
    "  a: [\"x\": 1]\n",
    "  a: {\"\": 1}\n",    // an empty key
    "  a: {{x: 1}: y}\n",  // a flow key
    "  a: {[x]: y}\n",
    "  a: [x, # a comment\n    y]\n",
    "  a: [x,\n    # a comment\n    y]\n",
    "  a: [x\n    y]\n",      // a plain scalar over two lines
    "  a: [\"x\n    y\"]\n",  // a quoted one
    "  a: {x:\n    1}\n",     // a value on the line after its key
    "  a: {\"x\":\n    1}\n",
    "  a: [x,\n  y]\n",  // not indented past the mapping holding it
    "  a: [x\n ]\n",
    "  a: [\n    [x,\n  y]]\n",
    "  a:\n  - [x\n ]\n",
    "  a: [x] y\n",  // more after the collection
    "  a: [x]]\n",
    "  a: [x}\n",
    "  a: {x: 1]\n",
    "  a: [x, {y: z]\n",
    "  a: [x, y\n",  // never closed
    "  a: [x,\n",
    "  a: [x,\n---\n    y]\n",  // a document marker inside
    "  a: {null: 1}\n",         // a null key
    "  a: {~: 1}\n",
    "  a: [x,\n\ty]\n",  // a tab
};

TEST(ScanFlow, DeclinesWhatItIsUnsureOf) {
  for (const char* data : kDeclined) {
    const std::string text = ConfigMapWith(data);
    LiteTree tree;
    EXPECT_FALSE(ScanDocument(text, &tree)) << text;
    EXPECT_FALSE(ScanDocument(text)) << text;
    const std::string scan = LoadOne(text, false);
    const std::string full = LoadOne(text, true);
    EXPECT_EQ(scan, full) << text << FirstDifference(scan, full);
  }
}

// The fields the loader tracks keep their block-only rules: metadata is a
// block mapping, name and namespace one-line scalars, annotations strings.
TEST(ScanFlow, TrackedFieldsTakeNoCollection) {
  const std::string head = "apiVersion: v1\nkind: ConfigMap\n";
  for (const std::string& text :
       {head + "metadata: {name: a}\n", head + "metadata:\n  name: [a]\n",
        head + "metadata:\n  name: a\n  namespace: {x: y}\n",
        head + "metadata:\n  name: a\n  annotations: {a: [b]}\n",
        head + "metadata:\n  name: a\n  annotations: {a: {b: c}}\n",
        head + "metadata:\n  name: a\n  annotations: {\"ignore.meshlint.io/x\": y}\n",
        std::string("{kind: ConfigMap}\n"), std::string("{\"apiVersion\": \"v1\"}\n"),
        std::string("{a: {metadata: 1}, metadata: {}}\n")}) {
    LiteTree tree;
    EXPECT_FALSE(ScanDocument(text, &tree)) << text;
    EXPECT_EQ(LoadOne(text, false), LoadOne(text, true)) << text;
  }
  // Quoted annotation keys in flow, as JSON writes them.
  const std::string text = head +
                           "metadata:\n  name: a\n  annotations: {\"sidecar.istio.io/inject\": "
                           "\"false\", 'b': c}\ndata: {x: [1]}\n";
  const auto header = ScanDocument(text);
  ASSERT_TRUE(header) << text;
  EXPECT_TRUE(header->has_annotations);
  ExpectScannedAsYamlCpp(text);
  EXPECT_EQ(LoadOne(text, false), LoadOne(text, true));
  // On the line after the key, as Helm charts write them.
  for (const char* annotations : {"{}", "{a: b}"}) {
    const std::string below =
        head + "metadata:\n  name: a\n  annotations:\n    " + annotations + "\n  labels:\n    {}\n";
    const auto scanned = ScanDocument(below);
    ASSERT_TRUE(scanned) << below;
    EXPECT_EQ(scanned->has_annotations, annotations[1] == 'a') << below;
    ExpectScannedAsYamlCpp(below);
    EXPECT_EQ(LoadOne(below, false), LoadOne(below, true)) << below;
  }
  EXPECT_FALSE(ScanDocument(head + "metadata:\n  name: a\n  annotations:\n    [a]\n"));
  EXPECT_FALSE(ScanDocument(head + "metadata:\n  {name: a}\n"));
}

// A document that is one flow collection: the embedded texts of the
// injector's ConfigMap (`{}`, one-line JSON), JSON over several lines.
TEST(ScanFlow, WholeDocuments) {
  for (const char* text : {"{}", "{}\n", "    {}\n", "{\"holdApplicationUntilProxyStarts\": true}",
                           "{ \"holdApplicationUntilProxyStarts\": true }\n",
                           "{\"certmanager\":{\"enabled\":false,\"hub\":\"quay.io/jetstack\","
                           "\"tag\":\"v1.6\",\"ports\":[80,443],\"x\":null}}",
                           "{\n  \"a\": {\n    \"b\": [1, 2]\n  },\n  \"c\": \"d\"\n}\n",
                           "# a comment\n{a: 1}  # after\n\n# more\n"})
    ExpectScannedAsYamlCpp(text);
  // A list is read with a tree only (a header is a mapping's).
  ExpectScannedAsYamlCpp("[a, {b: c}, []]\n", false);
  for (const char* text : {"{a: 1}\nb: 2\n", "{a: 1}\n{b: 2}\n", "[a]\n- b\n", "{a: 1} b\n",
                           "{\n---\n}\n", "{a: 1\n...\n}\n"}) {
    LiteTree tree;
    EXPECT_FALSE(ScanDocument(text, &tree)) << text;
  }
}

// The injector's values (one line of JSON in a block scalar) and its config
// are read by the scanner: the same model as the full parse.
TEST(ScanFlow, InjectorValuesScannedAsParsed) {
  const std::string text =
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: istio-sidecar-injector\n"
      "  namespace: istio-system\ndata:\n"
      "  values: |-\n    {\"global\":{\"istioNamespace\":\"istio-system\",\"proxy\":"
      "{\"holdApplicationUntilProxyStarts\":true,\"image\":\"proxyv2\"},\"x\":[]}}\n"
      "  config: |-\n    policy: enabled\n    neverInjectSelector:\n"
      "    - matchExpressions:\n      - {key: app, operator: In, values: [db, \"x\"]}\n";
  ExpectScannedAsYamlCpp(text);
  EXPECT_EQ(LoadOne(text, false), LoadOne(text, true));
}

// A collection the plan leaves out is one node (checked, not built), in
// flow style as in block style.
TEST(ScanFlow, PrunedCollections) {
  const std::string text =
      "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n  namespace: n\nspec:\n"
      "  template:\n    metadata: {labels: {app: d}}\n    spec:\n"
      "      containers: [{name: a, image: b, args: [\"--x\", y]}]\n"
      "      tolerations:\n        [{key: k, operator: Exists}]\n"
      "      affinity: {\n        nodeAffinity: {}\n        }\n";
  LiteTree whole, pruned;
  ASSERT_TRUE(ScanDocument(text, &whole)) << text;
  const PrunePlan* plan = PrunePlanFor("Deployment");
  ASSERT_NE(plan, nullptr);
  ASSERT_TRUE(ScanDocument(text, &pruned, plan)) << text;
  int left_out = 0;
  for (std::size_t n = 0; n < pruned.used; ++n) {
    if (pruned.nodes[n].partial != LiteTree::Partial::kPruned) continue;
    ++left_out;
    EXPECT_TRUE(pruned.nodes[n].kids.empty());
  }
  EXPECT_EQ(left_out, 3);
  EXPECT_LT(pruned.used, whole.used);
  ExpectScannedAsYamlCpp(text);
  EXPECT_EQ(LoadOne(text, false), LoadOne(text, true));
  // A pruned collection is checked all the same.
  std::string bad = text;
  bad.replace(bad.find("Exists}]"), 8, "Exists}");
  LiteTree tree;
  EXPECT_FALSE(ScanDocument(bad, &tree, plan));
}

// A collection over several lines after a dash, below a key, in a list
// entry's mapping, at the root mapping; its closing bracket at the block
// parent's indentation (as `args: [` ... `]` is written).
TEST(ScanFlow, OverLinesInEveryBlockPlace) {
  for (const char* text :
       {"a:\n- [\n  x\n]\n", "a: {\n b: 1\n}\nc: 2\n", "a:\n-\n  [a,\n  b]\n",
        "k:\n- a: [\n    x\n  ]\n  b: 1\n", "a:\n  [\n    x, y,\n  ]\nb: [\n\n ]\n", "a: [\n  x]"})
    ExpectScannedAsYamlCpp(text);
  for (const char* text : {"a: [\nx]\n", "a: {\n b: 1\n c}\n", "k:\n- a: [\n    x\n  y]\n"}) {
    LiteTree tree;
    EXPECT_FALSE(ScanDocument(text, &tree)) << text;
  }
}

// Nested deeper than the scanner counts (kMaxDepth, 400): the parsers decide.
TEST(ScanFlow, DeepNesting) {
  auto nested = [](int depth) {
    return ConfigMapWith("  a: " + std::string(depth, '[') + "x" + std::string(depth, ']') + "\n");
  };
  ExpectScannedAsYamlCpp(nested(100));
  LiteTree tree;
  EXPECT_FALSE(ScanDocument(nested(450), &tree));
  EXPECT_EQ(LoadOne(nested(450), false), LoadOne(nested(450), true));
}

}  // namespace
}  // namespace meshlint
