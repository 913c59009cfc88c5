// ParseEmbeddedYaml (src/loader/embedded_yaml.h): the YAML a manifest holds
// in a string (a mesh ConfigMap's `mesh`, the injector's `config` and
// `values`) must come out as yaml-cpp alone reads it — the same tree, the
// same guard finding, the same syntax error — whichever reader took it.
#include <gtest/gtest.h>

#include <filesystem>

#include "loader/document.h"
#include "loader/embedded_yaml.h"
#include "loader/scan.h"
#include "loader/text.h"
#include "loader/yaml_tree.h"
#include "test_util.h"
#include "tests/tree_dump.h"

namespace meshlint {
namespace {

namespace fs = std::filesystem;

// The outcome as text: the guard's finding, yaml-cpp's error, or the tree.
std::string Outcome(std::string_view text, bool full_parse) {
  LiteTree tree;
  const EmbeddedParse p = ParseEmbeddedYaml(text, tree, full_parse);
  if (p.too_deep)
    return "too deep " + std::to_string(p.too_deep->line) + ":" +
           std::to_string(p.too_deep->column) + " " + p.too_deep->message;
  if (p.error)
    return "error " + std::to_string(p.error->line) + ":" + std::to_string(p.error->column) + " " +
           p.error->message + " depth " + std::to_string(p.error->depth);
  return testing::DumpTree(tree);
}

void ExpectAsYamlCpp(std::string_view text) {
  EXPECT_EQ(Outcome(text, false), Outcome(text, true)) << "text:\n" << text;
}

const char* const kTexts[] = {
    // a mesh config, as `mesh: |` holds it
    "defaultConfig:\n  discoveryAddress: istiod.istio-system.svc:15012\n"
    "outboundTrafficPolicy:\n  mode: REGISTRY_ONLY\nrootNamespace: istio-system\n",
    // the injector's config: selectors and templates of Go template text
    "policy: enabled\nalwaysInjectSelector:\n  []\nneverInjectSelector:\n- matchExpressions:\n"
    "  - {key: openshift.io/build.name, operator: Exists}\ntemplates:\n  sidecar: |\n"
    "    {{- $containers := list }}\n    spec:\n      containers: [{{ .Values.x }}]\n",
    // the injector's values: JSON over several lines
    "{\n  \"global\": {\"istioNamespace\": \"istio-system\",\n    \"proxy\": {\"image\": \"proxyv2\"}},\n"
    "  \"sidecarInjectorWebhook\": {\"enableNamespacesByDefault\": false}\n}\n",
    "{\"global\":{\"proxy\":{\"holdApplicationUntilProxyStarts\":true}}}",
    // a second document, a document end: yaml-cpp's first document decides
    "outboundTrafficPolicy:\n  mode: ALLOW_ANY\n---\noutboundTrafficPolicy:\n  mode: REGISTRY_ONLY\n",
    "a: 1\n...\n",
    "...\na: 1\n",
    "a: 1\n---\nb: [\n",
    "--- \na: 1\n",
    // not a mapping, empty, comments only
    "REGISTRY_ONLY\n",
    "",
    "# nothing\n",
    "- a\n- b\n",
    // syntax errors: yaml-cpp's words and marks
    "a: [1, 2\nb: 3\n",
    "a: b: c\n",
    "a:\n  b: 1\n c: 2\n",
    "a: \"unterminated\n",
    "key: &x 1\nother: *y\n",
    // what the scanner leaves to the others: tabs, CR, anchors, tags, non-ASCII
    "a:\t1\n",
    "a: 1\r\nb: 2\r\n",
    "base: &b {mode: ALLOW_ANY}\noutboundTrafficPolicy: *b\n",
    "a: !!str 1\nb: !custom x\n",
    "name: caf\xc3\xa9\n",
    "\xef\xbb\xbf"
    "a: 1\n",
    "a: \"\\u00e9\\x41\\U0001F510\"\n",
    // a missing value at an end no line break closes (a `|-` scalar's text)
    "policy: enabled\ninjectedAnnotations:",
    "  a:\n ",
    "a:\n  - b:\n#c",
    // block scalars inside
    "templates:\n  a: |-\n    x\n\n  b: >+\n    y\n\n",
};

TEST(EmbeddedYaml, EveryReaderAgreesWithYamlCpp) {
  for (const char* text : kTexts) ExpectAsYamlCpp(text);
}

TEST(EmbeddedYaml, GuardFindingsAsAFullParse) {
  ExpectAsYamlCpp(std::string(1200, '[') + std::string(1200, ']') + "\n");
  ExpectAsYamlCpp("a:\n" + std::string(2100, ' ') + "b: 1\n");
  std::string deep;
  for (int i = 0; i < 600; ++i) deep += std::string(static_cast<std::size_t>(i), ' ') + "- \n";
  ExpectAsYamlCpp(deep);
  // The guard's finding, not a parse.
  EXPECT_TRUE(Outcome(std::string(1200, '{') + "\n", false).starts_with("too deep 1:1001 "));
}

// A text that may hold a second document goes to yaml-cpp even when the
// scanner could read its first: which document is first is yaml-cpp's call.
TEST(EmbeddedYaml, SecondDocumentsAreYamlCppsCall) {
  LiteTree tree;
  const std::string two = "a: 1\n---\nb: 2\n";
  ASSERT_TRUE(ParseEmbeddedYaml(two, tree, false).ok());
  EXPECT_EQ(testing::DumpTree(tree), "nodes 3\nmap 0:0\n scalar 0:0 'a'\n scalar 0:3 '1'\n");
}

// Every string of data in the ConfigMaps of the fixtures and the corpus,
// and each of them with one line cut short: all readers agree.
TEST(EmbeddedYaml, ConfigMapDataOfFixturesAndCorpus) {
  std::size_t texts = 0;
  auto visit = [&](const fs::path& root) {
    testing::ForEachManifestDocument(root, [&](const fs::path&, const DocumentChunk& chunk) {
      LiteTree doc;
      if (FindExcessiveNesting(chunk.text) || ParseYaml(chunk.text, doc)) return;
      const LiteNode root = LiteNode::Root(doc);
      if (!root.IsMap()) return;
      for (auto it = root.begin(); it != root.end(); ++it) {
        if (!it->first.IsScalar() || it->first.Scalar() != "data" || !it->second.IsMap()) continue;
        for (auto d = it->second.begin(); d != it->second.end(); ++d) {
          if (!d->second.IsScalar()) continue;
          const std::string& text = d->second.Scalar();
          ++texts;
          ExpectAsYamlCpp(text);
          const std::size_t cut = text.find('\n', text.size() / 2);
          if (cut != std::string::npos) ExpectAsYamlCpp(text.substr(0, cut - cut / 7));
        }
      }
    });
  };
  const fs::path fixtures = fs::path(testing::SourceDir()) / "fixtures";
  const fs::path corpus = fs::path(testing::SourceDir()) / ".." / "shared" / "corpus";
  if (fs::is_directory(fixtures)) visit(fixtures);
  const std::size_t in_fixtures = texts;
  EXPECT_GT(in_fixtures, 20u);
  if (!fs::is_directory(corpus)) GTEST_SKIP() << "no shared corpus next to the checkout";
  visit(corpus);
  EXPECT_GT(texts, in_fixtures + 50);
}

}  // namespace
}  // namespace meshlint
