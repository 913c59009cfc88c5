// The libyaml event builder against yaml-cpp, tree for tree: whenever it
// accepts a document, its tree must be yaml-cpp's (nodes, values, nulls,
// aliases, byte-accurate marks); whenever yaml-cpp refuses one, it must
// decline. Over hand-written cases in every style, every document of the
// fixtures and the shared corpus, and their mutations.
#include <gtest/gtest.h>

#include <filesystem>

#include "loader/text.h"
#include "loader/yaml_events.h"
#include "loader/yaml_tree.h"
#include "test_util.h"
#include "tests/tree_dump.h"

namespace meshlint {
namespace {

namespace fs = std::filesystem;
using testing::DumpTree;

enum class Verdict { kSame, kDeclined, kDiffers };

// Compares the two builders on one text; `why` says how they differ.
Verdict Compare(std::string_view text, std::string* why = nullptr) {
  LiteTree expected, actual;
  const auto error = ParseYaml(text, expected);
  const bool built = ParseYamlEvents(text, actual);
  if (!built) return Verdict::kDeclined;
  if (error) {
    if (why) *why = "yaml-cpp refuses (" + error->message + ") but events accepted";
    return Verdict::kDiffers;
  }
  const std::string a = DumpTree(actual), e = DumpTree(expected);
  if (a == e) return Verdict::kSame;
  if (why) *why = "events:\n" + a + "yaml-cpp:\n" + e;
  return Verdict::kDiffers;
}

void ExpectSame(const std::string& text) {
  std::string why;
  EXPECT_EQ(Compare(text, &why), Verdict::kSame) << "document:\n" << text << "\n" << why;
}

void ExpectDeclined(const std::string& text) {
  EXPECT_EQ(Compare(text), Verdict::kDeclined) << "document:\n" << text;
}

// Every style the scanner declines, and a few it accepts.
const char* const kStyles[] = {
    // flow maps and lists, nested, multi-line, with trailing commas
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop,\n"
    "  labels: {app: web, tier: \"front\"}}\nspec:\n  selector: {matchLabels: {app: web}}\n"
    "  ports: [80, 443, {name: x, port: 8080},]\n  empty: {}\n  none: []\n",
    "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"c\"},\n"
    " \"data\": {\"a\": \"1\", \"b\": null, \"c\": true}}\n",
    "k: [a,\n  b, [c, d],\n  {e: f}\n  ]\nm: {x: a:b, y: http://h/p, z: w}\n",
    "- [a, b]\n- {a: b}\n- [a: b, c]\n- {a: , b: }\n",
    // anchors and aliases, redefined anchors, merge keys, alias cycles
    "base: &b {app: web}\nlabels: *b\nother: &b [1]\nagain: *b\nmerge:\n  <<: *b\n  x: 1\n",
    "a: &x\n  b: &y c\n  d: *y\ne: *x\nf: &z\ng: *z\n",
    "a: &s [1, *s]\n",
    "&r\nk: *r\n",
    // block scalars: literal, folded, chomping, indentation indicators
    "a: |\n  line 1\n   line 2\n\n  line 3\nb: >\n  folded\n  text\n\n  more\nc: |-\n  x\nd: |+\n  y\n\n"
    "e: >2\n   indented\nf: |\n\ng: end\n",
    "metadata:\n  name: x\n  annotations:\n    a: |\n      {\"k\": \"v\"}\n    b: >-\n      t\n",
    "k: |\n  # not a comment\n  x\n# a comment\nl: 1\n",
    // tags
    "a: !!str 1\nb: !!int \"2\"\nc: !custom {x: 1}\nd: !!null null\ne: ! ~\nf: !!str\ng: !t\n",
    "%YAML 1.1\n---\na: 1\n",
    // comments everywhere
    "# head\n--- # after the marker\n# before\na: 1 # trailing\n# between\nb: # on a key\n  - x # item\n"
    "  # inside\n  - y\nc: {x: 1, # in flow\n  y: 2}\n# tail\n",
    // nulls in every position
    "a:\nb: ~\nc: null\nd: Null\ne: NULL\nf: ''\ng: \"\"\nh: nil\nj: [~, a]\n",
    "- \n- ~\n-\n- - \n  -\n",
    "a:\n  b:\n  c:\n",
    // quoted scalars: escapes, folding, multi-line
    "a: \"x\\ty\\u00e9\\n\\\"q\\\"\"\nb: 'it''s'\nc: \"multi\n  line\n\n  text\"\nd: 'one\n  two'\n"
    "e: plain\n  continued\n  lines\n",
    "a: \"\\x41\\U0001F600\\/\\ \\L\\P\\0\\e\\\n  x\"\n",
    // CRLF, tabs, multi-byte UTF-8, BOM
    "apiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: c\r\ndata:\r\n  a: |\r\n    x\r\n"
    "  b: {k: v}\r\n",
    "a:\t1\nb: [x,\ty]\nc: \"t\tab\"\nd: x\ty\n",
    "bé: x\nnaïve: {ключ: значение, k: v}\n日本: [語, x]\n",
    "name: é\nlabels: {app: ü, x: y}\nlist: [ä, ö, ü]\nk: 'ü' # ö\n",
    "\xEF\xBB\xBF"
    "a: é\nb: 1\n",
    "\xEF\xBB\xBF"
    "a: {é: 1}\n",
    // documents: markers, empty, end marker, scalar and list roots
    "---\n",
    "--- \n...\n",
    "",
    "# only a comment\n",
    "--- plain root\n",
    "--- |\n  block root\n",
    "- a\n- b\n",
    "a: 1\n...\n",
    "--- !!map\na: 1\n",
    // duplicate keys kept twice
    "metadata:\n  name: a\n  name: b\nmetadata: {name: c}\n",
    // the spire quickstart shape: a flow list closed at its key's indentation
    "spec:\n  args: [\n    \"a\",\n    \"b\"\n  ]\n",
    // long lines, long keys (1024 is libyaml's and yaml-cpp's limit)
    "a: {b: c}\nk: [x]\n",
};

TEST(YamlEvents, SameTreeAsYamlCppInEveryStyle) {
  for (const char* text : kStyles) ExpectSame(text);
}

TEST(YamlEvents, ColumnsAreBytesOnUtf8Lines) {
  LiteTree tree;
  ASSERT_TRUE(ParseYamlEvents("bé: x\n", tree));
  ASSERT_EQ(tree.used, 3u);
  EXPECT_EQ(tree.nodes[2].scalar, "x");
  EXPECT_EQ(tree.nodes[2].column, 5);  // libyaml counts 4 characters
  ASSERT_TRUE(
      ParseYamlEvents("\xEF\xBB\xBF"
                      "é: y\n",
                      tree));
  EXPECT_EQ(tree.nodes[2].column, 4);  // from after the byte order mark
  ASSERT_TRUE(ParseYamlEvents("a: 1\r\nbé: [x, ü, z]\r\n", tree));
  ASSERT_EQ(tree.nodes[4].kids.size(), 3u);
  EXPECT_EQ(tree.nodes[tree.nodes[4].kids[2]].line, 1);
  EXPECT_EQ(tree.nodes[tree.nodes[4].kids[2]].column, 13);
}

TEST(YamlEvents, DeclinesWhatYamlCppRefusesOrCountsOtherwise) {
  ExpectDeclined("a: *undefined\n");
  ExpectDeclined("a: [1, *nope]\n");
  ExpectDeclined("a: b\n c: d\n");
  ExpectDeclined("a: {b: c\n");
  ExpectDeclined("a: [b, c\n");
  ExpectDeclined("\ta: b\n");
  ExpectDeclined("a: \"unterminated\n");
  ExpectDeclined("a: b\rc: d\n");  // a lone CR: a break to libyaml only
  ExpectDeclined(
      "a: b\xC2\x85"
      "c: d\n");  // NEL
  ExpectDeclined(
      "a: b\xE2\x80\xA8"
      "c\n");                     // LS
  ExpectDeclined("a: !x!y 1\n");  // undefined tag handle
  ExpectDeclined("%TAG !e! tag:example.com,2000:\n---\na: !e!x 1\n");
  ExpectDeclined("a: &x &y 1\n");
  ExpectDeclined("\"a\":b\n");           // yaml-cpp reads two documents here
  ExpectDeclined("apiVersion\n: v1\n");  // libyaml: a document, then an error
  ExpectDeclined(": v\n");
  ExpectDeclined("&a text that\nruns on\n");  // yaml-cpp reads the first line only
  ExpectDeclined("k:\n  o:\n    -@ x\n");     // yaml-cpp refuses
  ExpectDeclined(std::string(1100, 'k') + ": v\n");
  // A folded scalar keeping trailing empty lines: yaml-cpp 0.7 keeps one
  // break fewer (found by scan_differential_fuzzer on its block-scalar seed).
  ExpectDeclined("keep: >+\n  y\n\nnext: 1\n");
  ExpectDeclined("keep: >+\n  y\n\n\n");
  ExpectDeclined("a: \"\\N\"\n");  // yaml-cpp: one Latin-1 byte, not UTF-8
  ExpectDeclined("a: \"\\_\"\n");
  // A key with no `:` is marked at the key by yaml-cpp, past it by libyaml.
  ExpectDeclined("? a\nb: 1\n");
  ExpectDeclined("? complex\n: value\n? [k, l]\n: v\n");
  ExpectDeclined("{a, b: c}\n");
  // A byte order mark past the start: libyaml skips it, yaml-cpp reads it
  // (found by scan_differential_fuzzer).
  ExpectDeclined(
      "kind: Namespace\nmetadata:\n\xEF\xBB\xBF"
      "ame: x\n");
  ExpectDeclined(
      "a: b\n\xEF\xBB\xBF"
      "c: d\n");
  // A block scalar's indicator at its sequence's column, a line below the
  // dash: yaml-cpp reads a null entry (found in review).
  ExpectDeclined("  - #c\n  >\n");
  ExpectDeclined("- #c\n>\n x\n");
  // A block scalar running to a last line of spaces with no line break
  // after it: yaml-cpp joins that line as one with text (`>`: a space).
  ExpectDeclined("a: >\n  one\n  ");
  ExpectDeclined("a: |\n  one\n\n     ");
  ExpectDeclined("a:\n  b: >-\n    one\n\n      more\n ");
  ExpectSame("a: >\n  one\n  \n");  // with the line break, read alike
  ExpectSame("a: >\n  one\nb: 1 ");
}

// A flow mapping's key written with no `:` (`{a, b}`): yaml-cpp takes it only
// when the `,` or `}` after it is on the key's first line and at most 1024
// bytes on; else it refuses the mapping ("end of map flow not found") where
// libyaml reads a null value. Found by fuzzing with a key ending in a `-` at
// a line start (`{v1\n-}`), which looked like a list entry's empty value.
TEST(YamlEvents, FlowKeyWithNoColonEndsOnItsLine) {
  ExpectDeclined("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: s22, namespace:s n1\n-}\n");
  for (const char* text : {"{v1\n-}\n",        "{v1\n-x}\n",   "a: {b: c, d\n-}\n",  "{v1\nx}\n",
                           "{a: b, c\nd}\n",   "{\"a\nb\"}\n", "{'a\nb'}\n",         "{a\n}\n",
                           "{a b\n}\n",        "{\"a\"\n}\n",  "{a\n, b: c}\n",      "{a #c\n}\n",
                           "{a\n#c\n}\n",      "{[a\n]}\n",    "{[a]\n}\n",          "{{a: b}\n}\n",
                           "a: {b: {c\nd}}\n", "[{a\nb}]\n",   "- {a: 1, b\n  -}\n", "{&x a\n}\n",
                           "{!!str a\n}\n",    "{a -\n}\n"})
    ExpectDeclined(text);
  // Past yaml-cpp's simple key limit, on one line.
  ExpectDeclined("{" + std::string(1100, 'k') + "}\n");
  ExpectDeclined("{a: b, " + std::string(1100, 'k') + "}\n");
  // The same keys on one line, and values that run over lines (a `:`
  // follows each key), read alike.
  for (const char* text :
       {"{a -}\n", "{a: b, c -}\n", "k: {a: b, c -, d: e}\n", "{a: v1\n-}\n", "{a: v1\n-x}\n",
        "{a: b,\n-x: c}\n", "{a: b\n- c}\n", "{a:\n-}\n", "[v1\n-]\n", "[a,\n-x]\n", "{a: \n}\n",
        "{a: b # c\n}\n", "{a: [b\n  ]}\n", "{a: {b: c}\n}\n"})
    ExpectSame(text);
  // Each path's verdict decides what the lint reports: the same as with
  // --full-parse.
  const std::string doc =
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: s22, namespace:s n1\n-}\n";
  const auto fast = testing::RunInProcess({"lint", "-", "-j1"}, ".", doc);
  const auto full = testing::RunInProcess({"lint", "-", "-j1", "--full-parse"}, ".", doc);
  EXPECT_EQ(fast.status, full.status);
  EXPECT_EQ(fast.out, full.out);
  EXPECT_NE(fast.out.find("error [invalid-manifest] YAML syntax error: end of map flow not found"),
            std::string::npos)
      << fast.out;
}

// A missing value at the very end of a text with no final line break (the
// content of a `|-` scalar: the injector's config ends so): yaml-cpp marks
// column 0 of the last line.
TEST(YamlEvents, MissingValueAtAnEndWithoutLineBreak) {
  for (const char* text :
       {"a: 1\nb:", "b:", "a: 1\nb:  ", "a:\n  x: 1\n  b:", "a:\n  - b:", "- ", "a:\n- ",
        "a:\r\nb:", "x: 1\n\n\nb:", "a:\n  - b: 1\n    c:", "a: 1\nb:  # c",
        "\xEF\xBB\xBF"
        "b:",
        "  a:", "x:\n  - y:\n    - z:"})
    ExpectSame(text);
  // Past a blank or comment line, yaml-cpp's mark depends on what the end
  // closes ("  a:\n " is 1:1): declined (found in review).
  for (const char* text :
       {"  a:\n ", "    - null:\n  #c:", "    - 's':\n#c", "a:\n  b:\n ", "b:\n   ", "b:\n# c"})
    ExpectDeclined(text);
  LiteTree tree;
  ASSERT_TRUE(ParseYamlEvents("a: 1\n\nb:", tree));
  EXPECT_EQ(testing::DumpTree(tree),
            "nodes 5\nmap 0:0\n scalar 0:0 'a'\n scalar 0:3 '1'\n scalar 2:0 'b'\n null 2:0\n");
}

TEST(YamlEvents, NestingPastTheGuardIsDeclined) {
  // yaml-cpp's guard stops at 500 nested nodes; the builder declines past
  // kMaxEventDepth, so that yaml-cpp's finding stands for both paths.
  for (std::size_t depth : {10u, 200u, 399u, 400u, 401u, 499u, 500u, 501u, 900u}) {
    const std::string flow = "a: " + std::string(depth, '[') + std::string(depth, ']') + "\n";
    std::string block;
    for (std::size_t i = 0; i < depth; ++i) block += std::string(i, ' ') + "k:\n";
    for (const std::string* text : std::initializer_list<const std::string*>{&flow, &block}) {
      const Verdict v = Compare(*text);
      // Open collections: the root mapping and `depth` lists, or `depth`
      // mappings (the last value is null).
      const std::size_t open = text == &flow ? depth + 1 : depth;
      EXPECT_EQ(v, open <= kMaxEventDepth ? Verdict::kSame : Verdict::kDeclined) << depth;
    }
  }
}

// Keys the documents above use, so that collections everywhere are left out.
const PrunePlan kPruneMuch{{},
                           {"spec", "labels", "data", "metadata", "annotations", "selector", "k",
                            "m", "a", "b", "c", "base", "other", "merge", "list", "j"}};

// Whether the tree built with a plan is the whole tree but for the
// collections it marks as left out (same type and mark, no children).
bool SameButPruned(const LiteTree& whole, std::uint32_t w, const LiteTree& pruned, std::uint32_t p,
                   std::vector<bool>& seen, std::size_t& left_out) {
  const LiteTree::Rec& a = whole.nodes[w];
  const LiteTree::Rec& b = pruned.nodes[p];
  if (a.type != b.type || a.line != b.line || a.column != b.column || a.scalar != b.scalar)
    return false;
  if (seen[p]) return true;
  seen[p] = true;
  if (b.partial == LiteTree::Partial::kPruned) {
    ++left_out;
    return b.kids.empty() &&
           (a.type == LiteTree::Type::kMap || a.type == LiteTree::Type::kSequence);
  }
  if (a.kids.size() != b.kids.size()) return false;
  for (std::size_t i = 0; i < a.kids.size(); ++i)
    if (!SameButPruned(whole, a.kids[i], pruned, b.kids[i], seen, left_out)) return false;
  return true;
}

// With a plan, the builder declines exactly what it declines without one,
// and builds the same tree less what it leaves out; `left_out` counts those.
void ExpectPrunedAgrees(const std::string& text, std::size_t& left_out) {
  LiteTree whole, pruned;
  const EventParse full = ParseYamlEvents(text, whole, nullptr);
  const EventParse part = ParseYamlEvents(text, pruned, &kPruneMuch);
  ASSERT_NE(full, EventParse::kNeedsWhole) << text;
  if (full == EventParse::kDeclined) {
    EXPECT_EQ(part, EventParse::kDeclined) << "document:\n" << text;
    return;
  }
  ASSERT_NE(part, EventParse::kDeclined) << "document:\n" << text;
  if (part == EventParse::kNeedsWhole || whole.used == 0) return;
  std::vector<bool> seen(pruned.used, false);
  EXPECT_TRUE(SameButPruned(whole, 0, pruned, 0, seen, left_out)) << "document:\n"
                                                                  << text << "\nwhole:\n"
                                                                  << DumpTree(whole) << "pruned:\n"
                                                                  << DumpTree(pruned);
}

TEST(YamlEvents, PrunedTreeDeclinesAlikeInEveryStyle) {
  const std::string inserts[] = {":",   " ",  "- ", "#",  "\"", "{",  "[",    "]", "}",    ",",
                                 "&a ", "*a", "!",  "\t", "\n", "? ", "\r\n", "é", "---\n"};
  std::size_t variants = 0, left_out = 0;
  for (const char* seed : kStyles) {
    const std::string text = seed;
    ExpectPrunedAgrees(text, left_out);
    for (std::size_t pos = 0; pos <= text.size(); ++pos) {
      for (const std::string& ins : inserts) {
        if ((pos + ins.size()) % 4 != 0) continue;
        ++variants;
        ExpectPrunedAgrees(text.substr(0, pos) + ins + text.substr(pos), left_out);
      }
    }
  }
  EXPECT_GT(variants, 3000u);
  EXPECT_GT(left_out, 1000u);  // the plan did leave collections out
}

TEST(YamlEvents, PrunedCollectionsAnswerNothing) {
  LiteTree tree;
  const PrunePlan plan{{"metadata"}, {"containers"}};
  ASSERT_EQ(ParseYamlEvents("kind: Deployment\nmetadata: {name: a}\ndata: {x: [1, 2]}\n"
                            "spec:\n  template:\n    spec:\n      containers: [{name: c}]\n"
                            "      hostNetwork: true\n",
                            tree, &plan),
            EventParse::kBuilt);
  const LiteNode root = LiteNode::Root(tree);
  ASSERT_EQ(root.size(), 4u);
  auto value = [](const LiteNode& map, std::string_view key) {
    for (auto it = map.begin(); it != map.end(); ++it)
      if (it->first.Scalar() == key) return it->second;
    return LiteNode();
  };
  EXPECT_FALSE(value(root, "metadata").IsPartial());
  EXPECT_EQ(value(value(root, "metadata"), "name").Scalar(), "a");
  const LiteNode data = value(root, "data");  // not kept at the root
  EXPECT_TRUE(data.IsMap());
  EXPECT_TRUE(data.IsPartial());
  EXPECT_FALSE(data.Holds("x"));
  EXPECT_EQ(data.Mark().line, 2);
  EXPECT_EQ(data.Mark().column, 6);
  EXPECT_THROW(data.size(), NeedsFullTree);
  EXPECT_THROW(data.begin(), NeedsFullTree);
  // spec is not a root key the plan keeps either: a plan with no root list.
  const PrunePlan anywhere{{}, {"containers"}};
  ASSERT_EQ(ParseYamlEvents("spec:\n  template:\n    spec:\n      containers: [{name: c}]\n"
                            "      hostNetwork: true\n",
                            tree, &anywhere),
            EventParse::kBuilt);
  const LiteNode pod = value(value(value(LiteNode::Root(tree), "spec"), "template"), "spec");
  EXPECT_EQ(value(pod, "hostNetwork").Scalar(), "true");
  const LiteNode containers = value(pod, "containers");
  EXPECT_TRUE(containers.IsSequence());
  EXPECT_THROW(containers[0], NeedsFullTree);
}

TEST(YamlEvents, AliasOfALeftOutNodeNeedsTheWholeTree) {
  LiteTree tree;
  const PrunePlan plan{{}, {"spec"}};
  // Named from a kept place: only the whole tree has it.
  EXPECT_EQ(ParseYamlEvents("spec: {a: &x [1, 2]}\nkept: *x\n", tree, &plan),
            EventParse::kNeedsWhole);
  // Named from inside what is left out, or the left-out node itself: fine.
  EXPECT_EQ(ParseYamlEvents("spec: {a: &x [1, 2], b: *x}\nkept: 1\n", tree, &plan),
            EventParse::kBuilt);
  EXPECT_EQ(ParseYamlEvents("spec: &s {a: 1}\nkept: *s\n", tree, &plan), EventParse::kBuilt);
  // An undefined alias inside what is left out is still declined.
  EXPECT_EQ(ParseYamlEvents("spec: {a: *nope}\n", tree, &plan), EventParse::kDeclined);
  EXPECT_EQ(ParseYamlEvents("spec: {a: !<tag:x> 1}\n", tree, &plan), EventParse::kDeclined);
}

// Every document of these files, cut as the loader cuts them.
void CompareDocuments(const fs::path& root, std::size_t& same, std::size_t& declined) {
  testing::ForEachManifestDocument(root, [&](const fs::path& file, const DocumentChunk& chunk) {
    if (FindExcessiveNesting(chunk.text)) return;
    std::string why;
    const Verdict v = Compare(chunk.text, &why);
    ASSERT_NE(v, Verdict::kDiffers) << file << ":" << chunk.first_line << "\n" << why;
    ++(v == Verdict::kSame ? same : declined);
  });
}

TEST(YamlEvents, FixturesAndCorpusDocuments) {
  std::size_t same = 0, declined = 0;
  const fs::path fixtures = fs::path(testing::SourceDir()) / "fixtures";
  const fs::path corpus = fs::path(testing::SourceDir()) / ".." / "shared" / "corpus";
  if (fs::is_directory(fixtures)) CompareDocuments(fixtures, same, declined);
  if (fs::is_directory(corpus)) CompareDocuments(corpus, same, declined);
  if (same + declined == 0) GTEST_SKIP() << "neither fixtures/ nor the shared corpus is present";
  // Declined are the invalid documents only: a handful in the fixtures.
  EXPECT_GT(same, 20 * declined) << same << " same, " << declined << " declined";
}

// Single-character edits everywhere in every style: most break the document
// or change its meaning; the builder must then agree or decline.
TEST(YamlEvents, MutatedStyles) {
  const std::string inserts[] = {":",  " ",  "- ", "#",    "\"", "'",    "|",  ">",
                                 "{",  "[",  "]",  "}",    ",",  "&a ",  "*a", "!",
                                 "\t", "\n", "? ", "\r\n", "é",  "---\n"};
  std::size_t variants = 0, same = 0;
  for (const char* seed : kStyles) {
    const std::string text = seed;
    for (std::size_t pos = 0; pos <= text.size(); ++pos) {
      std::vector<std::string> mutated;
      for (const std::string& ins : inserts)
        if ((pos + ins.size()) % 3 == 0)
          mutated.push_back(text.substr(0, pos) + ins + text.substr(pos));
      if (pos < text.size()) mutated.push_back(text.substr(0, pos) + text.substr(pos + 1));
      for (const std::string& m : mutated) {
        ++variants;
        std::string why;
        const Verdict v = Compare(m, &why);
        ASSERT_NE(v, Verdict::kDiffers) << "document:\n" << m << "\n" << why;
        same += v == Verdict::kSame;
      }
    }
  }
  EXPECT_GT(variants, 5000u);
  EXPECT_GT(same, variants / 3);
}

}  // namespace
}  // namespace meshlint
