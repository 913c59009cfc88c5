// The cheap document scanner: what it reads, and every case where it must
// decline and leave the document to yaml-cpp.
#include "loader/scan.h"

#include <gtest/gtest.h>

#include "loader/object_reader.h"
#include "loader/yaml_events.h"

namespace meshlint {
namespace {

TEST(ScanDocument, ReadsIdentityAndPositions) {
  const auto h = ScanDocument(
      "---\n"
      "apiVersion: apps/v1\n"
      "kind: Deployment  # a comment\n"
      "metadata:\n"
      "  name: 'web''s'\n"
      "  namespace: \"shop\"\n"
      "  labels:\n"
      "    app: web\n"
      "  annotations:\n"
      "    a.example.com/x: \"1\"\n"
      "spec:\n"
      "  template:\n"
      "    metadata:\n"
      "      name: inner\n"
      "  containers:\n"
      "  - name: web\n"
      "    args:\n"
      "    - --port=8080\n"
      "    script: |\n"
      "      echo: {not: yaml}\n"
      "\n"
      "      # still the script\n"
      "ports:\n"
      "- 80\n");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->api_version.value, "apps/v1");
  EXPECT_EQ(h->api_version.line, 1u);
  EXPECT_EQ(h->api_version.column, 12u);
  EXPECT_EQ(h->kind.value, "Deployment");
  EXPECT_EQ(h->kind.line, 2u);
  EXPECT_TRUE(h->has_metadata);
  EXPECT_EQ(h->name.value, "web's");
  EXPECT_EQ(h->name.line, 4u);
  EXPECT_EQ(h->name.column, 8u);
  EXPECT_EQ(h->ns.value, "shop");
  EXPECT_EQ(h->ns.column, 13u);
  EXPECT_TRUE(h->has_annotations);
  EXPECT_FALSE(h->generate_name.found);
}

TEST(ScanDocument, NullValues) {
  const auto h =
      ScanDocument("apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n  namespace: ~\n");
  ASSERT_TRUE(h);
  EXPECT_TRUE(h->ns.found);
  EXPECT_TRUE(h->ns.null);
  const auto empty =
      ScanDocument("apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n  namespace:\n");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->ns.null);
  const auto quoted = ScanDocument("apiVersion: v1\nkind: Service\nmetadata:\n  name: \"null\"\n");
  ASSERT_TRUE(quoted);
  EXPECT_FALSE(quoted->name.null);
  EXPECT_EQ(quoted->name.value, "null");
}

// A key written `null` or `~` is a null node to yaml-cpp: the parser reads
// such a document (found by scan_differential_fuzzer).
TEST(ScanDocument, NullKeysAreDeclined) {
  EXPECT_FALSE(ScanDocument("apiVersion: v1\nkind: Namespace\nmetadata:\n  null: batch\n"));
  EXPECT_FALSE(ScanDocument("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n~: b\n"));
  EXPECT_TRUE(ScanDocument("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\nnulls: b\n"));
}

TEST(ScanDocument, NoKubernetesIdentity) {
  const auto h = ScanDocument("replicaCount: 2\nimage:\n  tag: latest\n");
  ASSERT_TRUE(h);
  EXPECT_FALSE(h->api_version.found);
  EXPECT_FALSE(h->kind.found);
}

TEST(ScanDocument, OneLineFlowListsAndEmptyMappings) {
  LiteTree tree;
  const auto h = ScanDocument(
      "kind: A\nmetadata:\n  name: a\n  annotations: {}\nargs: [\"--x\", 'y', z w , ~]\nres: {}\n",
      &tree);
  ASSERT_TRUE(h);
  const LiteNode root(&tree, 0);
  ASSERT_TRUE(root.IsMap());
  ASSERT_EQ(root.size(), 4u);
  auto it = root.begin();
  ++it;
  ++it;
  EXPECT_EQ(it->first.Scalar(), "args");
  const LiteNode args = it->second;
  ASSERT_TRUE(args.IsSequence());
  ASSERT_EQ(args.size(), 4u);
  EXPECT_EQ(args[0].Scalar(), "--x");
  EXPECT_EQ(args[0].Mark().column, 7);
  EXPECT_EQ(args[1].Scalar(), "y");
  EXPECT_EQ(args[2].Scalar(), "z w");
  EXPECT_TRUE(args[3].IsNull());
  ++it;
  EXPECT_TRUE(it->second.IsMap());
  EXPECT_EQ(it->second.size(), 0u);
}

TEST(ScanDocument, OneLineFlowMappings) {
  LiteTree tree;
  ASSERT_TRUE(ScanDocument("kind: A\nx: {a: 1, b/c: \"d, e\" , n: ~}\ny:\n- {p: q}\n", &tree));
  const LiteNode root(&tree, 0);
  ASSERT_EQ(root.size(), 3u);
  auto it = root.begin();
  ++it;
  const LiteNode x = it->second;
  ASSERT_TRUE(x.IsMap());
  EXPECT_EQ(x.Mark().line, 1);
  EXPECT_EQ(x.Mark().column, 3);
  ASSERT_EQ(x.size(), 3u);
  auto kv = x.begin();
  EXPECT_EQ(kv->first.Scalar(), "a");
  EXPECT_EQ(kv->first.Mark().column, 4);
  EXPECT_EQ(kv->second.Scalar(), "1");
  EXPECT_EQ(kv->second.Mark().column, 7);
  ++kv;
  EXPECT_EQ(kv->first.Scalar(), "b/c");
  EXPECT_EQ(kv->second.Scalar(), "d, e");
  ++kv;
  EXPECT_TRUE(kv->second.IsNull());
  ++it;
  const LiteNode y = it->second;
  ASSERT_TRUE(y.IsSequence());
  ASSERT_TRUE(y[0].IsMap());
  EXPECT_EQ(y[0].begin()->second.Scalar(), "q");
}

TEST(ScanDocument, LeavesOutWhatThePlanPrunes) {
  const std::string text =
      "kind: CustomResourceDefinition\n"
      "spec:\n"
      "  group: example.com\n"
      "  versions:\n"
      "  - name: v1\n"
      "    schema:\n"
      "      description: >-\n"
      "        text \"\\q\"\n"
      "      mixed: \"\\b\"\n"
      "  scope: Cluster\n";
  LiteTree tree;
  // Without a plan the whole tree is built, the escape decoded.
  ASSERT_TRUE(ScanDocument(text, &tree));
  EXPECT_EQ(tree.nodes.back().scalar, "Cluster");
  EXPECT_EQ(tree.nodes[tree.nodes.size() - 3].scalar, "\b");
  const PrunePlan* plan = PrunePlanFor("CustomResourceDefinition");
  ASSERT_NE(plan, nullptr);
  ASSERT_TRUE(ScanDocument(text, &tree, plan));
  const LiteNode root(&tree, 0);
  auto it = root.begin();
  ++it;
  const LiteNode spec = it->second;
  ASSERT_EQ(spec.size(), 3u);
  auto kv = spec.begin();
  EXPECT_EQ(kv->second.Scalar(), "example.com");
  ++kv;
  EXPECT_EQ(kv->first.Scalar(), "versions");
  EXPECT_TRUE(kv->second.IsSequence());
  EXPECT_EQ(kv->second.Mark().line, 4);
  EXPECT_THROW(kv->second.size(), NeedsFullTree);
  ++kv;
  EXPECT_EQ(kv->second.Scalar(), "Cluster");
  // What is left out is still checked: a bad line there declines.
  EXPECT_FALSE(ScanDocument(text + "  x: {a\n", &tree, plan));
  EXPECT_FALSE(ScanDocument("kind: A\nspec:\n  versions:\n  - a: b\n   c: d\n", &tree, plan));
}

TEST(ScanDocument, HeaderTreeHoldsOnlyWhatTheScannerTracks) {
  const auto h = ScanDocument(
      "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels:\n    a: b\n"
      "  annotations:\n    team: x\nspec:\n  replicas: 2\n");
  ASSERT_TRUE(h);
  LiteTree tree;
  BuildHeaderTree(*h, tree);
  const LiteNode root = LiteNode::Root(tree);
  ASSERT_TRUE(root.IsMap());
  EXPECT_TRUE(root.IsPartial());
  EXPECT_TRUE(root.Holds("apiVersion") && root.Holds("kind") && root.Holds("metadata"));
  EXPECT_FALSE(root.Holds("spec"));  // written, but not tracked: a reader must not see "absent"
  ASSERT_EQ(root.size(), 3u);
  auto it = root.begin();
  EXPECT_EQ(it->second.Scalar(), "apps/v1");
  EXPECT_EQ(it->second.Mark().line, 0);
  EXPECT_EQ(it->second.Mark().column, 12);
  ++it;
  ++it;
  const LiteNode md = it->second;
  EXPECT_TRUE(md.IsPartial());
  EXPECT_TRUE(md.Holds("name") && md.Holds("namespace") && md.Holds("annotations"));
  EXPECT_FALSE(md.Holds("labels"));
  ASSERT_EQ(md.size(), 2u);  // name and annotations; no namespace is written
  auto m = md.begin();
  EXPECT_EQ(m->second.Scalar(), "web");
  ++m;
  EXPECT_EQ(m->first.Scalar(), "annotations");
  // Only the annotations meshlint keeps are known (there are none, or the
  // scanner would have declined); any other would need the whole tree.
  EXPECT_TRUE(m->second.HoldsPrefix("ignore.meshlint.io/"));
  EXPECT_FALSE(m->second.HoldsPrefix("team"));
  EXPECT_EQ(m->second.size(), 0u);
  // A complete tree holds everything.
  ASSERT_TRUE(ScanDocument("kind: A\nspec: {}\n", &tree));
  EXPECT_FALSE(LiteNode::Root(tree).IsPartial());
  EXPECT_TRUE(LiteNode::Root(tree).Holds("spec"));
}

TEST(ScanDocument, IndentlessListsAndNestedEntries) {
  EXPECT_TRUE(ScanDocument("a:\n- x: 1\n  y: 2\n-   z: 3\n    w: 4\nb: 1\n"));
  EXPECT_TRUE(ScanDocument("a:\n  - 1\n  -\n    k: v\nb:\n"));
}

// Flow collections nested, over lines, with quoted keys (scan_flow_test.cpp
// compares their trees with yaml-cpp's).
TEST(ScanDocument, NestedAndMultiLineFlow) {
  for (const char* text : {"kind: A\nlist: [a, [b]]\n", "kind: A\nlist: [a,\n  b]\n",
                           "kind: A\nx: {a: 1, b: [c]}\n", "kind: A\nx: {a: 1,\n  b: 2}\n",
                           "kind: A\nx: {\"a\": 1}\n", "kind: A\nlist: [a, ]\nx: {a: 1, }\n"})
    EXPECT_TRUE(ScanDocument(text)) << text;
}

// Each of these must be left to the parser: either the YAML is outside the
// subset the scanner verifies, or it is broken, or the loader reports
// something about it.
TEST(ScanDocument, DeclinesWhatItCannotProve) {
  const char* cases[] = {
      "kind: A\nmetadata: {name: x}\n",  // flow mapping
      "kind: A\nlist: [a: b]\n",         // flow pair
      "kind: A\nlist: [a] b\n",          // text after the list
      "kind: A\nx: {a}\n",               // key without a value
      "kind: A\nmetadata:\n  annotations: {a: b, ignore.meshlint.io/r: x}\n",
      "kind: [A]\n",                                 // a read field as a list
      "kind: A\nx: &anchor 1\ny: *anchor\n",         // anchor, alias
      "kind: !!str A\n",                             // tag
      "\"kind\n  x\": A\n",                          // quoted key over two lines
      "\"\": A\n",                                   // empty quoted key
      "? kind\n: A\n",                               // complex key
      "kind: A\nx: one\n  two\n",                    // multi-line plain scalar
      "kind: A\nx: \"one\ntwo\"\n",                  // quoted scalar's line not indented
      "kind: A\nx:\n\t- 1\n",                        // tab
      "kind: A\r\nx: 1\r\n",                         // CR
      "kind: A\nx: caf\xC3\xA9\n",                   // non-ASCII
      "%YAML 1.2\n---\nkind: A\n",                   // directive
      "kind: A\nkind: B\n",                          // duplicate key the loader reads
      "kind: A\nmetadata:\n  name: a\n  name: b\n",  // duplicate metadata.name
      "kind: A\nmetadata:\n- name: a\n",             // metadata not a mapping
      "kind: A\nmetadata:\n",                        // metadata empty
      "kind: A\nmetadata: x\n",                      // metadata a scalar
      "kind: A\nmetadata:\n  name: |\n    a\n",      // name a block scalar
      "kind: A\nmetadata:\n  name:\n    x: 1\n",     // name a mapping
      "kind: A\nmetadata:\n  name: a\n  annotations:\n    ignore.meshlint.io/r: x\n",
      "kind: A\nmetadata:\n  name: \"a\\'\"\n",      // an escape yaml-cpp has, YAML has not
      "kind: A\nmetadata:\n  name: \"a\n    b\"\n",  // multi-line read field
      "kind: A\nx: \"bad \\q escape\"\n",            // invalid escape
      "kind: A\nx: a: b\n",                          // `: ` inside a plain scalar
      "kind: A\nx: 'open\n",                         // unterminated quote
      "kind: A\nx: \"a\" b\n",                       // text after a quoted scalar
      "kind: A\n  y: 1\n",                           // bad indentation
      "kind: A\nx:\n    a: 1\n  b: 2\n",             // dedent to no level
      "kind: A\nx: |2\n   text\n",                   // explicit block indentation
      "kind: A\nx: |\n    a\n  b\n",                 // block scalar then a stray line
      "kind: A\nx: |\n     \n  a\n",                 // spaces before block content
      "- a\n- b\n",                                  // a list, not a mapping
      "  kind: A\n",                                 // indented root
      "just a scalar\n",
      "# only a comment\n",
      "---\n",
      "--- !tag\nkind: A\n",
      "kind: A\nx: @at\n",
      "kind: A\nx: `tick\n",
      "kind: A\nx:y: 1\n",
      "kind: A\n<<: {a: 1}\n",
      "kind: A\nx: {b} a\n",
  };
  for (const char* text : cases) EXPECT_FALSE(ScanDocument(text)) << text;
}

// What FindExcessiveNesting objects to goes to the parser path, which checks.
TEST(ScanDocument, DeclinesDeepIndentationAndManyBrackets) {
  const std::string block = "kind: A\ndata: |\n";
  EXPECT_TRUE(ScanDocument(block + std::string(1000, ' ') + "x\n"));
  EXPECT_FALSE(ScanDocument(block + std::string(1001, ' ') + "x\n"));
  EXPECT_TRUE(ScanDocument(block + "  " + std::string(500, '[') + "\n"));
  // Past 500 brackets the scanner asks FindExcessiveNesting itself.
  EXPECT_TRUE(ScanDocument(block + "  " + std::string(1000, '{') + "\n"));
  EXPECT_FALSE(ScanDocument(block + "  " + std::string(1001, '{') + "\n"));
  EXPECT_TRUE(ScanDocument(block + std::string(700, ' ') + "[" + std::string(600, ']') + "\n" +
                           std::string(700, ' ') + std::string(600, '{') + "\n"));
}

}  // namespace
}  // namespace meshlint
