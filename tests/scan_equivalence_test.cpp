// The scanner is an optimisation only: loading with it (the default) and with
// --full-parse must give the same model and the same findings, byte for byte,
// on the fixtures, the shared corpus, and thousands of mutated documents. And
// the model must not depend on the number of loading threads.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

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
using testing::Dump;
using testing::FirstDifference;

std::string LoadDir(const fs::path& dir, bool full_parse, unsigned jobs) {
  LoadOptions options;
  options.full_parse = full_parse;
  options.jobs = jobs;
  options.base_dir = dir.string();
  MeshModel model;
  auto errors = LoadInputs({dir.string()}, options, model);
  EXPECT_TRUE(errors.empty()) << dir;
  return Dump(model);
}

std::string LoadOne(const std::string& text, bool full_parse) {
  LoadOptions options;
  options.full_parse = full_parse;
  return Dump(testing::LoadFiles({{"doc.yaml", text}}, options));
}

// Every directory holding manifests directly, so each fixture case loads on
// its own as the golden tests run it.
std::vector<fs::path> ManifestDirs(const fs::path& root) {
  std::vector<fs::path> out;
  if (!fs::is_directory(root)) return out;
  out.push_back(root);
  for (const auto& e : fs::recursive_directory_iterator(root))
    if (e.is_directory()) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

void ExpectScanMatchesFullParse(const fs::path& dir) {
  const std::string scan = LoadDir(dir, false, 0);
  const std::string full = LoadDir(dir, true, 0);
  EXPECT_EQ(scan, full) << dir << ": " << FirstDifference(scan, full);
}

fs::path CorpusDir() { return fs::path(testing::SourceDir()) / ".." / "shared" / "corpus"; }

TEST(ScanEquivalence, Fixtures) {
  const fs::path fixtures = fs::path(testing::SourceDir()) / "fixtures";
  if (!fs::is_directory(fixtures)) GTEST_SKIP() << "no fixtures/ directory yet";
  for (const fs::path& dir : ManifestDirs(fixtures)) ExpectScanMatchesFullParse(dir);
}

TEST(ScanEquivalence, SharedCorpus) {
  const fs::path corpus = CorpusDir();
  if (!fs::is_directory(corpus))
    GTEST_SKIP() << "shared corpus not found at " << corpus
                 << " (it is not part of the repository)";
  ExpectScanMatchesFullParse(corpus);
  for (const fs::path& dir : ManifestDirs(corpus / "istio" / "samples"))
    ExpectScanMatchesFullParse(dir);
}

// Documents like those of a platform repository, and awkward ones.
const char* const kSeeds[] = {
    "apiVersion: apps/v1\n"
    "kind: Deployment\n"
    "metadata:\n"
    "  name: web\n"
    "  namespace: shop\n"
    "  labels:\n"
    "    app: web\n"
    "  annotations:\n"
    "    deployment.kubernetes.io/revision: \"3\"\n"
    "spec:\n"
    "  replicas: 2\n"
    "  template:\n"
    "    spec:\n"
    "      containers:\n"
    "      - name: web\n"
    "        image: registry.example.com/shop/web:1.2.3\n"
    "        args:\n"
    "        - --port=8080\n"
    "        env:\n"
    "        - name: JAVA_OPTS\n"
    "          value: -Xmx512m\n",

    "---\n"
    "apiVersion: v1\n"
    "kind: ConfigMap\n"
    "metadata:\n"
    "  name: app-config\n"
    "data:\n"
    "  application.properties: |\n"
    "    a.b=c\n"
    "    # not a comment\n"
    "\n"
    "    d: e\n"
    "  log-level: info\n"
    "  flags: 'a,b'\n",

    "apiVersion: v1\n"
    "kind: ConfigMap\n"
    "metadata:\n"
    "  name: istio\n"
    "  namespace: istio-system\n"
    "data:\n"
    "  mesh: |\n"
    "    outboundTrafficPolicy:\n"
    "      mode: REGISTRY_ONLY\n",

    "apiVersion: networking.istio.io/v1\n"
    "kind: ServiceEntry\n"
    "metadata:\n"
    "  name: ext\n"
    "  namespace: shop\n"
    "spec:\n"
    "  hosts:\n"
    "  - api.example.com\n"
    "  exportTo:\n"
    "  - \".\"\n"
    "  location: MESH_EXTERNAL\n",

    "apiVersion: networking.istio.io/v1\n"
    "kind: Sidecar\n"
    "metadata:\n"
    "  name: default\n"
    "  namespace: shop\n"
    "spec:\n"
    "  egress:\n"
    "  - hosts:\n"
    "    - \"./*\"\n",

    "apiVersion: v1\n"
    "kind: Namespace\n"
    "metadata:\n"
    "  name: shop\n"
    "  labels:\n"
    "    istio-injection: enabled\n",

    "apiVersion: rbac.authorization.k8s.io/v1\n"
    "kind: ClusterRole\n"
    "metadata:\n"
    "  name: reader\n"
    "  namespace: ignored\n"
    "rules:\n"
    "- apiGroups:\n"
    "  - \"\"\n"
    "  resources: [pods]\n",

    "apiVersion: v1\n"
    "kind: Service\n"
    "metadata:\n"
    "  name: 'svc'\n"
    "  namespace:\n"
    "  annotations:\n"
    "    ignore.meshlint.io/serviceentry-exported-to-all: reviewed\n"
    "spec:\n"
    "  ports:\n"
    "  - port: 80  # http\n",

    "replicaCount: 3\n"
    "image:\n"
    "  repository: nginx\n"
    "meshConfig:\n"
    "  outboundTrafficPolicy:\n"
    "    mode: ALLOW_ANY\n",

    "apiVersion: v1\n"
    "kind: List\n"
    "items:\n"
    "- apiVersion: v1\n"
    "  kind: Service\n"
    "  metadata:\n"
    "    name: a\n",

    "apiVersion: networking.istio.io/v1beta1\n"
    "kind: ServiceEntry\n"
    "metadata: \n"
    "  name: \"flow\"\n"
    "  annotations: {}\n"
    "spec:\n"
    "  hosts: [\"*.example.org\", plain.example.com]\n"
    "  exportTo: ['.', other]\n"
    "  ports:\n"
    "  - {}\n"
    "  resolution: ~\n",

    "apiVersion: apps/v1\n"
    "kind: Deployment\n"
    "metadata:\n"
    "  name: flow\n"
    "spec:\n"
    "  template:\n"
    "    spec:\n"
    "      containers:\n"
    "      - args: [\"--a=1\", -b, c d]\n"
    "        resources: {}\n"
    "        command: []\n",

    "apiVersion: apps/v1\n"
    "kind: Deployment\n"
    "metadata: {name: web, namespace: shop}\n"
    "spec:\n"
    "  template:\n"
    "    metadata:\n"
    "      labels: {app: web, sidecar.istio.io/inject: \"false\"}\n"
    "      annotations:\n"
    "        traffic.sidecar.istio.io/excludeOutboundPorts: \"5432\"\n"
    "        proxy.istio.io/config: '{proxyMetadata: {ISTIO_META_DNS_CAPTURE: \"true\"}}'\n"
    "    spec:\n"
    "      hostNetwork: true\n",

    "apiVersion: batch/v1\n"
    "kind: CronJob\n"
    "metadata: {name: nightly}\n"
    "spec:\n"
    "  jobTemplate:\n"
    "    spec:\n"
    "      template:\n"
    "        metadata:\n"
    "          labels:\n"
    "            app: nightly\n",

    "apiVersion: networking.istio.io/v1\n"
    "kind: ServiceEntry\n"
    "metadata:\n"
    "  name: db\n"
    "  labels: {istio.io/rev: canary, team: x}\n"
    "  creationTimestamp: \"2024-05-01T10:00:00Z\"\n"
    "spec:\n"
    "  hosts: [db.example.com]\n"
    "  addresses: [10.0.0.1/32]\n"
    "  ports:\n"
    "  - {number: 5432, name: tcp, protocol: TCP, targetPort: 15432}\n"
    "  resolution: STATIC\n"
    "  endpoints:\n"
    "  - address: 10.0.0.1\n"
    "  workloadSelector:\n"
    "    labels: {}\n",

    "apiVersion: networking.istio.io/v1\n"
    "kind: Sidecar\n"
    "metadata: {name: s}\n"
    "spec:\n"
    "  workloadSelector: {labels: {app: web}}\n"
    "  egress:\n"
    "  - port: {number: 443, protocol: TLS, name: tls}\n"
    "    bind: 127.0.0.1\n"
    "    hosts: [\"*/api.example.com\"]\n"
    "  - hosts: [\"./*\"]\n"
    "  outboundTrafficPolicy:\n"
    "    mode: ALLOW_ANY\n"
    "    egressProxy: {host: proxy.example.com, port: {number: 3128}}\n",

    "apiVersion: networking.istio.io/v1\n"
    "kind: VirtualService\n"
    "metadata: {name: vs, namespace: app}\n"
    "spec:\n"
    "  hosts: [edition.cnn.com]\n"
    "  gateways: [mesh, istio-system/egress]\n"
    "  exportTo: [\".\"]\n"
    "  http:\n"
    "  - match:\n"
    "    - gateways: [mesh]\n"
    "      port: 80\n"
    "    route:\n"
    "    - destination: {host: gw.istio-system.svc.cluster.local, port: {number: 80}}\n"
    "    mirror: {host: m.example.com}\n"
    "  tls:\n"
    "  - match: [{sniHosts: [a.example.com], sourceNamespace: app}]\n"
    "    route: [{destination: {host: a.example.com}}]\n",

    "apiVersion: networking.istio.io/v1\n"
    "kind: Gateway\n"
    "metadata: {name: egress, namespace: istio-system}\n"
    "spec:\n"
    "  selector: {istio: egressgateway}\n"
    "  servers:\n"
    "  - port: {number: 443, name: tls, protocol: TLS}\n"
    "    hosts: [\"*/edition.cnn.com\"]\n"
    "    tls: {mode: PASSTHROUGH}\n",

    "apiVersion: security.istio.io/v1\n"
    "kind: AuthorizationPolicy\n"
    "metadata: {name: allow, namespace: istio-system}\n"
    "spec:\n"
    "  selector:\n"
    "    matchLabels: {istio: egressgateway}\n"
    "  action: ALLOW\n"
    "  rules:\n"
    "  - from:\n"
    "    - source: {namespaces: [team-a]}\n"
    "    to:\n"
    "    - operation: {hosts: [edition.cnn.com], ports: [\"443\"]}\n",

    "apiVersion: v1\n"
    "kind: Service\n"
    "metadata:\n"
    "  name: ledger\n"
    "  annotations: {networking.istio.io/exportTo: \"., frontend\"}\n"
    "spec:\n"
    "  type: ExternalName\n"
    "  externalName: ledger.example.com\n"
    "  selector: {app: ledger}\n"
    "  ports:\n"
    "  - {name: http, port: 80, appProtocol: http, targetPort: web}\n",

    "apiVersion: kustomize.config.k8s.io/v1beta1\n"
    "kind: Kustomization\n"
    "resources:\n"
    "- a.yaml\n",

    // Styles the scanner declines, read by libyaml's events: anchors and
    // aliases, block scalars in metadata, multi-line flow, tags, comments
    // everywhere, CRLF, multi-byte UTF-8.
    "apiVersion: networking.istio.io/v1 # trailing\n"
    "kind: ServiceEntry\n"
    "metadata: &m\n"
    "  name: ext # a comment\n"
    "  namespace: shop\n"
    "  annotations:\n"
    "    note: |\n"
    "      {\"k\": \"v\"}\n"
    "spec:\n"
    "  hosts: &h [api.example.com,\n"
    "    \"b.example.com\"]\n"
    "  exportTo: !!seq [\"*\"]\n"
    "  location: MESH_EXTERNAL\n"
    "  ports: [{number: 443, name: https, protocol: TLS}]\n"
    "  resolution: DNS\n",

    // Read by libyaml's events with collections left out (a workload's
    // containers, a ConfigMap's data, a CRD's schemas), and those whose
    // reader looks into them after all (the mesh ConfigMap, an alias).
    "apiVersion: apps/v1\n"
    "kind: Deployment\n"
    "metadata: {name: web, namespace: shop, labels: {app: web}}\n"
    "spec:\n"
    "  selector: {matchLabels: {app: web}}\n"
    "  template:\n"
    "    metadata:\n"
    "      labels: {app: web}\n"
    "      annotations: {sidecar.istio.io/inject: \"true\"}\n"
    "    spec:\n"
    "      hostNetwork: true\n"
    "      containers:\n"
    "      - {name: web, image: \"r/web:1\", ports: [{containerPort: 80}]}\n"
    "      volumes: [{name: v, emptyDir: {}}]\n"
    "      tolerations: &t [{key: k}]\n",

    "apiVersion: v1\n"
    "data: {a: \"1\", b: [x]}\n"
    "kind: ConfigMap\n"
    "metadata:\n"
    "  annotations: {ignore.meshlint.io/x: y, note: \"a\n      text\"}\n"
    "  name: app\n"
    "  managedFields: [{manager: kubectl}]\n",

    "apiVersion: v1\n"
    "kind: ConfigMap\n"
    "metadata: {name: istio, namespace: istio-system}\n"
    "data:\n"
    "  mesh: \"outboundTrafficPolicy: {mode: REGISTRY_ONLY}\"\n",

    "apiVersion: apiextensions.k8s.io/v1\n"
    "kind: CustomResourceDefinition\n"
    "metadata: {name: widgets.example.com}\n"
    "spec:\n"
    "  group: example.com\n"
    "  names: {kind: Widget, plural: widgets}\n"
    "  scope: Cluster\n"
    "  versions: [{name: v1, schema: {openAPIV3Schema: {type: object}}}]\n",

    "apiVersion: batch/v1\n"
    "kind: CronJob\n"
    "metadata: {name: nightly}\n"
    "spec:\n"
    "  jobTemplate:\n"
    "    spec:\n"
    "      template:\n"
    "        metadata: &pm {labels: {app: nightly}}\n"
    "        spec: {containers: &c [{name: n}], initContainers: *c}\n"
    "  other: *c\n",

    // Read by the scanner: one-line flow mappings, and block scalars inside
    // what the tree leaves out (a container's command, a CRD's schema).
    "apiVersion: apps/v1\n"
    "kind: Deployment\n"
    "metadata:\n"
    "  name: web\n"
    "  labels: {app: web, tier: \"1\"}\n"
    "  annotations: {sidecar.istio.io/inject: \"true\"}\n"
    "spec:\n"
    "  selector:\n"
    "    matchLabels: {app: web}\n"
    "  template:\n"
    "    metadata:\n"
    "      labels: {app: web, version: v1}\n"
    "    spec:\n"
    "      containers:\n"
    "      - name: web\n"
    "        env:\n"
    "        - {name: A, value: \"x y\"}\n"
    "        command:\n"
    "        - |\n"
    "          echo hi\n"
    "      hostNetwork: true\n",

    "apiVersion: apiextensions.k8s.io/v1\n"
    "kind: CustomResourceDefinition\n"
    "metadata:\n"
    "  name: widgets.example.com\n"
    "spec:\n"
    "  group: example.com\n"
    "  names: {kind: Widget, plural: widgets}\n"
    "  scope: Namespaced\n"
    "  versions:\n"
    "  - name: v1\n"
    "    schema:\n"
    "      openAPIV3Schema:\n"
    "        description: >-\n"
    "          A widget.\n"
    "        type: object\n",

    "apiVersion: networking.istio.io/v1\r\n"
    "kind: Sidecar\r\n"
    "metadata: {name: default, namespace: \"bé\"}\r\n"
    "spec:\r\n"
    "  egress:\r\n"
    "  - hosts: [\"./*\", \"istio-system/*\"] # ü\r\n",
    "\"apiVersion\": security.istio.io/v1\n"
    "kind: RequestAuthentication\n"
    "metadata:\n"
    "  'name': jwt\n"
    "  \"namespace\": \"fo\\x6F\"\n"
    "  annotations:\n"
    "    \"note\": \"\\U0001F510 \\u00e9\"\n"
    "spec:\n"
    "  rules:\n"
    "  - when:\n"
    "    - key: request.auth.claims[iss]\n"
    "      values: [\"x\"]\n"
    "  selector:\n"
    "    {}\n"
    "  \"@type\": type.googleapis.com/x\n",
};

// Deterministic edits at many places of each seed: most make the document
// invalid or move it out of the scanner's subset, some keep it valid with a
// different meaning. Either way both paths must agree.
TEST(ScanEquivalence, MutatedDocuments) {
  const std::string inserts[] = {":",  " ", "  ", "-",   "- ",   "#",    " #",   "\"",    "'",
                                 "|",  ">", "{",  "[",   "&a ",  "*a",   "!",    "\t",    "\n",
                                 "? ", "~", "\\", ": x", "\n  ", "\n- ", "null", "---\n", "%"};
  // Under the sanitizers (whose job here is memory errors, not coverage)
  // every third position: the full set took 100 s there.
  constexpr std::size_t kStride = MESHLINT_SANITIZED ? 3 : 1;
  std::size_t variants = 0;
  for (const char* seed : kSeeds) {
    const std::string text = seed;
    ASSERT_EQ(LoadOne(text, false), LoadOne(text, true)) << text;
    for (std::size_t pos = 0; pos <= text.size(); pos += kStride) {
      std::vector<std::string> mutated;
      for (const std::string& ins : inserts)
        if ((pos + ins.size()) % 2 == 0)
          mutated.push_back(text.substr(0, pos) + ins + text.substr(pos));
      if (pos < text.size()) mutated.push_back(text.substr(0, pos) + text.substr(pos + 1));
      for (const std::string& m : mutated) {
        ++variants;
        const std::string scan = LoadOne(m, false);
        const std::string full = LoadOne(m, true);
        ASSERT_EQ(scan, full) << "document:\n" << m << "\n" << FirstDifference(scan, full);
      }
    }
  }
  EXPECT_GT(variants, 30000u / kStride);
}

// The scanner's own tree against yaml-cpp's, document by document as the
// loader cuts them: when the scanner accepts a document, yaml-cpp must parse
// it into the very same tree (values, lines, columns). Returns how many
// documents the scanner accepted.
int ExpectScannedTreesMatchYamlCpp(const std::string& text) {
  int accepted = 0;
  for (const DocumentChunk& chunk : SplitDocuments(text, false)) {
    LiteTree scanned, parsed;
    if (!ScanDocument(chunk.text, &scanned)) continue;
    ++accepted;
    const std::optional<YamlError> error = ParseYaml(chunk.text, parsed);
    EXPECT_FALSE(error) << "yaml-cpp refuses what the scanner accepted:\n"
                        << chunk.text << "\n"
                        << error->message;
    if (error) continue;
    const std::string a = testing::DumpTree(scanned);
    const std::string b = testing::DumpTree(parsed);
    EXPECT_EQ(a, b) << "document:\n" << chunk.text << "\n" << FirstDifference(a, b);
  }
  return accepted;
}

std::string ConfigMapWith(const std::string& data) {
  return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: n\ndata:\n" + data;
}

// Block and multi-line quoted scalars the scanner reads (with a tree too),
// and their edges; `true`: the scanner must accept it.
const std::pair<const char*, bool> kScalarCases[] = {
    {"  a: |\n    line 1\n      more\n\n    line 3\n  b: x\n", true},
    {"  a: |-\n    x\n\n\n  b: x\n", true},
    {"  a: |+\n    x\n\n\n  b: x\n", true},
    {"  a: |+\n    x\n\n\n", true},  // kept breaks at the end of the document
    {"  a: >\n    folded\n    text\n\n    para\n      more indented\n    back\n", true},
    {"  a: >-\n    x\n\n      y\n\n    z\n", true},
    {"  a: >+\n    x\n\n\n", true},  // yaml-cpp keeps one break fewer than the spec
    {"  a: >\n\n    after an empty line\n", true},
    {"  a: |\n    # not a comment\n    ---\n    ...\n  # a comment\n  b: |  # header comment\n    x\n",
     true},
    {"  a: |\n  b: >-\n  c: \"\"\n", true},   // empty block scalars
    {"  a: |\n    x\n     \n    y\n", true},  // a more indented line of spaces
    {"  a: |\n    x\n  \n    y\n", true},     // a less indented line of spaces
    {"  list:\n  - |\n    x\n  - >\n    y\n    z\n  - k: |-\n      v\n", true},
    {"  a: |", true},  // no line break after the header
    {"  a: |\n    no final break", true},
    {"  a: |2\n    explicit indentation\n", false},
    {"  a: |\n      \n    spaces before the first line\n", false},
    {"  a: |\n    x\n\ty\n", false},  // a tab
    {"  a: |\r\n    x\r\n", false},   // CR
    {"  a: \"one\n    two\n\n    three \\\n    four\\n\\t\\\\ \\/ \\\" end\"\n  b: x\n", true},
    {"  a: 'it''s\n    two   \n\n\n    lines'\n", true},
    {"  a: \"x  \n    \"\n", true},   // trailing spaces dropped at a line break
    {"  a: \"x\\\n    y\"\n", true},  // an escaped line break joins without a space
    {"  a: \"x \\\n    \\ y\"  # after\n", true},
    {"  a: \"ends with an escaped quote\\\"\n    \\\"\"\n", true},
    {"  a: \"x\n\n\n    \"\n", true},  // trailing breaks clipped to one
    {"  a: \"\\n\\n\"\n  b: \"a\\n\\n\\n \"\n", true},
    {"  a:\n  - \"x\n    y\"\n  - 'p\n\n    q'\n", true},
    {"  a: \"x\n  y\"\n", false},       // continuation not indented past the mapping
    {"  a: \"x\n---\n  y\"\n", false},  // a document marker inside
    {"  a: \"x\n    y\" z\n", false},   // text after the closing quote
    {"  a: \"x\n    y\n", false},       // never closed
    {"  a: \"\\uD800\"\n", false},      // a surrogate: yaml-cpp refuses it
    {"  a: \"\\u12\"\n", false},        // too few digits
    {"  a: \"\\U00110000\"\n", false},
    {"  a: [\"x\n    y\"]\n", false},  // a quoted scalar over lines in flow
    // Every escape yaml-cpp 0.7 knows, decoded as it decodes them: \x, \u
    // and \U as UTF-8 (\x80 is two bytes), \N and \_ as single bytes.
    {"  a: \"\\0\\a\\b\\t\\n\\v\\f\\r\\e\\ \\\"\\/\\\\\\N\\_\\L\\P\"\n", true},
    {"  a: \"\\x41\\x7f\\x80\\xFF\\x00 \\u00e9\\u07FF\\u0800\\uFFFF\\U0001F510\\U0010ffff\"\n",
     true},
    {"  title: \"\\U0001F510 Security \\u2014 dashboard\"\n  b: \"x\\u0041\n    \\U00000042\"\n",
     true},
    {"  a: \"\\t\n    x\\x20\n\n    \"\n", true},  // escapes before line breaks keep them
    {"  a: [\"\\u00e9\", \"\\x41\"]\n  b: {k: \"\\U0001F510\"}\n", true},
    {"  a: \"\\uDFFF\"\n", false},
    {"  a: \"\\U0000D800\"\n", false},
    {"  a: \"\\UFFFFFFFF\"\n", false},
    {"  a: \"\\xG0\"\n", false},  // not hex
    {"  a: \"\\x4\"\n", false},
    {"  a: \"\\'\"\n", false},  // yaml-cpp's, not YAML's
    {"  a: \"\\q\"\n", false},
};

TEST(ScanEquivalence, BlockAndQuotedScalars) {
  for (const auto& [data, accept] : kScalarCases) {
    const std::string text = ConfigMapWith(data);
    LiteTree tree;
    EXPECT_EQ(ScanDocument(text, &tree).has_value(), accept) << text;
    EXPECT_EQ(ScanDocument(text).has_value(), accept) << text;
    ExpectScannedTreesMatchYamlCpp(text);
    const std::string scan = LoadOne(text, false);
    const std::string full = LoadOne(text, true);
    EXPECT_EQ(scan, full) << text << FirstDifference(scan, full);
    // The injector ConfigMap is read in full: its block scalars are decoded.
    std::string injector = text;
    injector.replace(injector.find("name: c"), 7, "name: istio-sidecar-injector");
    EXPECT_EQ(LoadOne(injector, false), LoadOne(injector, true)) << injector;
  }
  // The rarer escapes, decoded with a tree too (the tree is yaml-cpp's).
  const std::string rare =
      ConfigMapWith("  a: \"\\b\\0\\e \\N \\x41\\u00e9\\U0001F510\\uFFFF\\U0010FFFF\"\n");
  LiteTree tree;
  EXPECT_TRUE(ScanDocument(rare));
  ASSERT_TRUE(ScanDocument(rare, &tree));
  EXPECT_EQ(tree.nodes.back().scalar,
            std::string("\b\0\x1B \x85 A\xC3\xA9\xF0\x9F\x94\x90\xEF\xBF\xBF\xF4\x8F\xBF\xBF", 20));
  EXPECT_EQ(LoadOne(rare, false), LoadOne(rare, true));
}

// Block scalars whose content is followed by blank lines and then a last
// line of spaces only, with or without a line break ending the text: every
// header (`|`, `>`; clip, `-`, `+`), blank and last line widths, as a root
// key's value and a nested one. The scanner's tree must be yaml-cpp's (found
// by fuzzing: the trailing break was lost before a last line of spaces with
// no break after it).
TEST(ScanEquivalence, BlockScalarsEndingInLinesOfSpaces) {
  // The fuzzer's document, exactly.
  const std::string found =
      "apiVersion: v1\nkiwd: ConfigMap\nmetada:\n  folded: >\n    one   two\n\n"
      "      morere inapiVersiondented:\n ";
  LiteTree tree;
  ASSERT_TRUE(ScanDocument(found, &tree));
  EXPECT_EQ(tree.nodes.back().scalar, "one   two\n\n  morere inapiVersiondented:\n");
  EXPECT_EQ(ExpectScannedTreesMatchYamlCpp(found), 1);
  int accepted = 0, documents = 0;
  for (const std::string key : {"folded", "  folded"})
    for (const char* header : {"|", "|-", "|+", ">", ">-", ">+"})
      for (const char* body : {"one   two\n", "one\ntwo\n", "one\n  more\n", "one\n\n  more\n"})
        for (int blanks = 0; blanks <= 3; ++blanks)
          for (int blank_width : {0, 1, 3, 6})
            for (int last = 0; last <= 7; ++last)
              for (bool final_break : {false, true}) {
                if (blanks == 0 && blank_width > 0) continue;
                const std::string indent(key.starts_with(' ') ? 4 : 2, ' ');
                std::string text = "apiVersion: v1\nkind: ConfigMap\n";
                if (key.starts_with(' ')) text += "metadata:\n";
                text += key + ": " + header + "\n";
                for (std::string_view rest = body; !rest.empty();) {
                  const std::size_t nl = rest.find('\n');
                  const std::string_view line = rest.substr(0, nl);
                  if (!line.empty()) text += indent;
                  text.append(line).append("\n");
                  rest.remove_prefix(nl + 1);
                }
                for (int b = 0; b < blanks; ++b) text += std::string(blank_width, ' ') + "\n";
                text += std::string(last, ' ');
                if (final_break) text += "\n";
                ++documents;
                accepted += ExpectScannedTreesMatchYamlCpp(text);
                // And so must libyaml's events, when that path accepts it.
                LiteTree events, parsed;
                if (ParseYamlEvents(text, events) && !ParseYaml(text, parsed)) {
                  EXPECT_EQ(testing::DumpTree(events), testing::DumpTree(parsed)) << text;
                }
                const std::string scan = LoadOne(text, false);
                const std::string full = LoadOne(text, true);
                EXPECT_EQ(scan, full) << text << FirstDifference(scan, full);
                // With CRLF line breaks the scanner declines.
                std::string crlf;
                for (char c : text) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
                EXPECT_FALSE(ScanDocument(crlf)) << crlf;
                EXPECT_EQ(LoadOne(crlf, false), LoadOne(crlf, true)) << crlf;
              }
  // Most are read by the scanner, not merely declined.
  EXPECT_GT(accepted, documents / 2) << accepted << " of " << documents;
}

// Keys quoted on one line, brackets inside plain scalars, one-line flow
// collections on a line of their own: `true` when the scanner must accept it.
const std::pair<const char*, bool> kStructureCases[] = {
    {"  a:\n    \"@type\": type.googleapis.com/x\n    'b c': d\n    \"e\\u0041\": 1\n", true},
    {"  \"null\": x\n  '~': y\n  'it''s': z\n  \"k\":\n    v: 1\n", true},
    {"  schema:\n    $ref: \"#/definitions/A\"\n    a$b: {$c: $d}\n", true},
    {"  a:\n  - \"k\": v\n    'l': w\n  - 'm':\n    - x\n", true},
    {"  a:\n  - key: request.auth.claims[iss]\n    x: a{b}c ]\n  b: x[y] # c\n", true},
    {"  a:\n    {}\n  b:\n    []  # empty\n  c:\n  -\n    [a, \"b\"]\n  -\n      {k: v}\n", true},
    {"  a:\n    {x: 1, y: [2]}\n", true},  // nested flow
    {"  a:\n  {}\n", false},               // not indented past its key
    {"  a:\n    {} x\n", false},
    {"  a:\n    {}\n    b: 1\n", false},
    {"  a:\n    [x]: y\n", false},  // a complex key
    {"  \"\": x\n", false},         // an empty key
    {"  \"a\":x\n", false},
    {"  \"a\" : x\n", false},
    {"  \"a\n  b\": x\n", false},  // over two lines
    {"  {a: 1}: x\n", false},
    {"  a: [x]y\n", false},
};

TEST(ScanEquivalence, QuotedKeysAndFlowValues) {
  for (const auto& [data, accept] : kStructureCases) {
    const std::string text = ConfigMapWith(data);
    LiteTree tree;
    EXPECT_EQ(ScanDocument(text, &tree).has_value(), accept) << text;
    EXPECT_EQ(ScanDocument(text).has_value(), accept) << text;
    EXPECT_EQ(ExpectScannedTreesMatchYamlCpp(text), accept ? 1 : 0) << text;
    const std::string scan = LoadOne(text, false);
    const std::string full = LoadOne(text, true);
    EXPECT_EQ(scan, full) << text << FirstDifference(scan, full);
  }
  // Quoted keys the loader reads: the same identity, read from the scan.
  const std::string text = kSeeds[std::size(kSeeds) - 1];
  LiteTree tree;
  const auto header = ScanDocument(text, &tree);
  ASSERT_TRUE(header) << text;
  EXPECT_EQ(header->api_version.value, "security.istio.io/v1");
  EXPECT_EQ(header->name.value, "jwt");
  EXPECT_EQ(header->ns.value, "foo");
  EXPECT_EQ(header->ns.column, 15u);
  EXPECT_EQ(ExpectScannedTreesMatchYamlCpp(text), 1);
}

// A key without a value at the very end of a text that no line break ends
// (the injector's config is a `|-` scalar and ends so): yaml-cpp marks the
// null at column 0 of the last line, and so does the scanner's tree.
TEST(ScanEquivalence, MissingValueAtAnEndWithoutLineBreak) {
  for (const char* text :
       {"a: 1\nb:", "b:", "a: 1\nb:  ", "a:\n  x: 1\n  b:", "a:\n  - b:", "a:\n- ", "x: 1\n\n\nb:",
        "a:\n  - b: 1\n    c:", "a: 1\nb:  # c", "a:\n  []\nb:", "x:\n  - y:\n    - z:"})
    EXPECT_EQ(ExpectScannedTreesMatchYamlCpp(text), 1) << text;
  // Past a blank or comment line, yaml-cpp's mark depends on what the end
  // closes ("a:\n  b:\n " is 2:1): declined (found in review).
  for (const char* text :
       {"a:\n  b:\n ", "a:\n  - b:\n#c", "a:\n  b: 1\n  c:\n ", "b:\n   ", "a:\n# c", "  a:\n "}) {
    LiteTree tree;
    EXPECT_FALSE(ScanDocument(text, &tree)) << text;
  }
  // A null key in a flow mapping, as in a block one.
  for (const char* text : {"k: {null: 1}\n", "k: {Null: 1}\n", "k:\n  {~: 1}\n"}) {
    LiteTree tree;
    EXPECT_FALSE(ScanDocument(text, &tree)) << text;
  }
  LiteTree tree;
  ASSERT_TRUE(ScanDocument("a: 1\n\nb:", &tree));
  EXPECT_EQ(testing::DumpTree(tree),
            "nodes 5\nmap 0:0\n scalar 0:0 'a'\n scalar 0:3 '1'\n scalar 2:0 'b'\n null 2:0\n");
}

// The mesh and injector ConfigMaps, with the YAML inside written in block
// and quoted scalars: the same model from either path, problems included.
TEST(ScanEquivalence, EmbeddedYamlScannedAsParsed) {
  const std::string injector =
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: istio-sidecar-injector\n"
      "  namespace: istio-system\ndata:\n"
      "  config: |-\n    policy: enabled\n    neverInjectSelector:\n    - matchExpressions:\n"
      "      - {key: app, operator: In, values: [db]}\n    template: |\n      {{- x }}\n"
      "      containers:\n    injectedAnnotations:\n      a: \"multi\n        line\"\n"
      "  values: |\n    {\n      \"global\": {\"istioNamespace\": \"istio-system\"}\n    }\n";
  const std::string mesh =
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: istio\n  namespace: istio-system\n"
      "data:\n  mesh: |-\n    outboundTrafficPolicy:\n      mode: REGISTRY_ONLY\n"
      "    defaultConfig:\n      proxyMetadata: {A: \"b\"}\n      note: >\n        folded\n"
      "        text\n";
  for (const std::string& text :
       {injector, mesh, mesh + "    bad: [\n", mesh + "    dup: 1\n    dup: 2\n"}) {
    const std::string scan = LoadOne(text, false);
    EXPECT_EQ(scan, LoadOne(text, true)) << text << FirstDifference(scan, LoadOne(text, true));
  }
}

// Every combination of a few line shapes inside block and quoted scalars:
// whatever the scanner accepts, yaml-cpp must read the same way.
TEST(ScanEquivalence, GeneratedScalarsMatchYamlCpp) {
  const char* const block_lines[] = {"    x",   "      y", "",     "     ",   "  ",
                                     "    # c", "    ---", "   z", "    a: b"};
  const char* const headers[] = {"|", "|-", "|+", ">", ">-", ">+", "|  # c"};
  const char* const quoted_lines[] = {"    b",    "",        "   ",       "    c  ", "    \\",
                                      "    d\\",  "    e\"", "    f\" #", "  g",     "    \\\"",
                                      "    '' h", "    i'",  "    j\\n"};
  const char* const after[] = {"", "  next: 1\n", "# end\n"};
  int accepted = 0;
  int documents = 0;
  auto check = [&](const std::string& data) {
    ++documents;
    accepted += ExpectScannedTreesMatchYamlCpp(ConfigMapWith(data));
  };
  const std::size_t nb = std::size(block_lines);
  for (const char* header : headers)
    for (std::size_t i = 0; i < nb * nb * nb; ++i)
      for (const char* tail : after) {
        std::string data = std::string("  k: ") + header + "\n";
        for (std::size_t n = i, k = 0; k < 3; ++k, n /= nb)
          data += std::string(block_lines[n % nb]) + "\n";
        check(data + tail);
      }
  const std::size_t nq = std::size(quoted_lines);
  for (const char* open : {"\"a", "\"a  ", "\"a\\", "'a", "'a''"})
    for (std::size_t i = 0; i < nq * nq; ++i)
      for (const char* tail : after) {
        std::string data = std::string("  k: ") + open + "\n";
        for (std::size_t n = i, k = 0; k < 2; ++k, n /= nq)
          data += std::string(quoted_lines[n % nq]) + "\n";
        check(data + tail);
      }
  EXPECT_GT(accepted, documents / 5) << accepted << " of " << documents;
}

// The quoted scalar's reader skips ordinary bytes eight at a time from where
// its line's text starts: an escape, a closing quote or trailing spaces at
// every offset around those steps, on the opening line and on a
// continuation line, must read as yaml-cpp reads them.
TEST(ScanEquivalence, QuotedScalarsAtEveryOffset) {
  const char* const double_tails[] = {
      "\\\"x\"",       "\"",    "\\\\\"",      "\\x41\"",       "\\u00e9b\"",
      "\\U0001F510\"", "   \"", "  \n    b\"", "\\\n    b\"",   "\\  \n    b\"",
      "\\ \"",         "'\"",   "\\\"\\\"\"",  "\\n  \n    \"", "\\t\n\n    \""};
  const char* const single_tails[] = {"''x'",       "'",   "\\'",  "  \n    b'",
                                      "\\\n    b'", "\"'", "'''''"};
  int documents = 0;
  int accepted = 0;
  for (std::size_t pad = 0; pad < 20; ++pad) {
    const std::string run(pad, 'a');
    auto check = [&](char quote, const char* tail) {
      const std::string q(1, quote);
      for (const std::string& data :
           {"  k: " + q + run + tail + "\n", "  k: " + q + "x\n    " + run + tail + "\n",
            "  k: " + q + run + tail + "\n  next: " + q + run + tail + "\n"}) {
        ++documents;
        accepted += ExpectScannedTreesMatchYamlCpp(ConfigMapWith(data));
      }
    };
    for (const char* tail : double_tails) check('"', tail);
    for (const char* tail : single_tails) check('\'', tail);
  }
  // Every case above is one the scanner reads.
  EXPECT_EQ(accepted, documents);
  // And the values, exactly: a closing quote right past eight bytes, escapes
  // on both sides of that step.
  const std::string text = ConfigMapWith(
      "  a: \"abcdefgh\"\n  b: \"abcdefg\\\"hij\\\\\"\n  c: \"abcdefg   \n    h\"\n"
      "  d: 'abcdefg''hijklmnop'''\n");
  LiteTree tree;
  ASSERT_TRUE(ScanDocument(text, &tree));
  std::vector<std::string> values;
  for (std::size_t i = 0; i < tree.used; ++i)
    if (tree.nodes[i].type == LiteTree::Type::kScalar && tree.nodes[i].line >= 6)
      values.push_back(tree.nodes[i].scalar);
  EXPECT_EQ(values, (std::vector<std::string>{"a", "abcdefgh", "b", "abcdefg\"hij\\", "c",
                                              "abcdefg h", "d", "abcdefg'hijklmnop'"}));
}

TEST(ScanEquivalence, ExcessiveNestingStillReported) {
  const std::string head = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  x: |\n";
  for (const std::string& text :
       {head + "    " + std::string(1200, '[') + "\n", head + std::string(2100, ' ') + "x\n"}) {
    const std::string scan = LoadOne(text, false);
    EXPECT_EQ(scan, LoadOne(text, true));
    EXPECT_NE(scan.find("problem "), std::string::npos) << scan;
  }
}

TEST(ScanEquivalence, DeepBlockNestingAgrees) {
  // yaml-cpp stops at 500 nested nodes; one space of indentation per level
  // stays within the scanner's 1000 columns up to 1000 levels. Either path
  // must give the same answer at every depth around and past that limit.
  auto nested = [](int depth, bool lists) {
    std::string text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata:\n";
    for (int i = 0; i < depth; ++i)
      text += std::string(static_cast<std::size_t>(2 + i), ' ') +
              (lists ? std::string("-") : "k" + std::to_string(i) + ":") + "\n";
    return text + std::string(static_cast<std::size_t>(2 + depth), ' ') + "v: 1\n";
  };
  for (int depth : {100, 396, 397, 398, 399, 400, 401, 495, 496, 497, 498, 499, 500, 501, 600, 997})
    for (bool lists : {false, true}) {
      const std::string text = nested(depth, lists);
      const std::string scan = LoadOne(text, false);
      EXPECT_EQ(scan, LoadOne(text, true))
          << "depth " << depth << ": " << FirstDifference(scan, LoadOne(text, true));
      EXPECT_EQ(scan.find("problem ") != std::string::npos, depth >= 497)
          << "depth " << depth << "\n"
          << scan.substr(0, 2000);
    }
}

TEST(ParallelLoading, SameModelForAnyJobCount) {
  std::vector<fs::path> dirs;
  const fs::path fixtures = fs::path(testing::SourceDir()) / "fixtures";
  if (fs::is_directory(fixtures)) dirs.push_back(fixtures);
  if (fs::is_directory(CorpusDir())) dirs.push_back(CorpusDir());
  if (dirs.empty()) GTEST_SKIP() << "neither fixtures/ nor the shared corpus is present";
  for (const fs::path& dir : dirs) {
    const std::string one = LoadDir(dir, false, 1);
    for (unsigned jobs : {2u, 3u, 8u})
      EXPECT_EQ(one, LoadDir(dir, false, jobs)) << dir << " -j" << jobs;
  }
}

// The flags as users give them: same report with --full-parse and any -j.
TEST(ParallelLoading, CliOutputIndependentOfFlags) {
  const fs::path fixtures = fs::path(testing::SourceDir()) / "fixtures";
  const fs::path dir = fs::is_directory(CorpusDir()) ? CorpusDir() : fixtures;
  if (!fs::is_directory(dir)) GTEST_SKIP() << "neither fixtures/ nor the shared corpus is present";
  for (const std::string command : {"lint", "egress"}) {
    const auto base = testing::RunInProcess({command, ".", "-j1"}, dir.string());
    ASSERT_LT(base.status, 2) << base.err;
    ASSERT_FALSE(base.out.empty());
    for (const auto& flags : std::vector<std::vector<std::string>>{
             {"-j2"}, {"-j8"}, {"--full-parse"}, {"--full-parse", "-j3"}}) {
      std::vector<std::string> args = {command, "."};
      args.insert(args.end(), flags.begin(), flags.end());
      const auto other = testing::RunInProcess(args, dir.string());
      EXPECT_EQ(other.status, base.status) << command << " " << flags.back();
      EXPECT_EQ(other.out, base.out) << command << " " << flags.back();
    }
  }
}

// Rendered Helm output on stdin, big enough to load in batches: its
// `# Source:` templates become files in document order, whatever -j.
TEST(ParallelLoading, BigRenderedStreamIsDeterministic) {
  std::string rendered;
  for (int i = 0; rendered.size() < (3u << 20); ++i) {
    rendered += "---\n# Source: chart/templates/t" + std::to_string(i % 40) + ".yaml\n";
    if (i % 2)
      rendered += "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: se" +
                  std::to_string(i) + "\n  namespace: ns" + std::to_string(i % 7) +
                  "\nspec:\n  hosts:\n  - h" + std::to_string(i) + ".example.com\n";
    else
      rendered += "apiVersion: v1\nkind: Service\nmetadata:\n  name: s" + std::to_string(i) +
                  "\n  namespace: ns" + std::to_string(i % 11) + "\n";
  }
  const fs::path dir = fs::temp_directory_path();
  const auto one =
      testing::RunInProcess({"lint", "-", "-j1", "--format", "json"}, dir.string(), rendered);
  ASSERT_LT(one.status, 2) << one.err;
  EXPECT_NE(one.out.find("chart/templates/t39.yaml"), std::string::npos);
  for (const char* jobs : {"-j2", "-j4"}) {
    const auto other =
        testing::RunInProcess({"lint", "-", jobs, "--format", "json"}, dir.string(), rendered);
    EXPECT_EQ(other.out, one.out) << jobs;
  }
}

// A file above the size where documents are loaded in batches across threads.
TEST(ParallelLoading, BigFileBatchesMergeInOrder) {
  const fs::path dir =
      fs::temp_directory_path() / ("meshlint-bigfile-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  {
    std::ofstream out(dir / "bundle.yaml");
    // 1.5 MiB: over the loader's 1 MiB big-file threshold, so it is cut
    // into six 256 KiB batches loaded on different threads.
    for (int i = 0; out.tellp() < (3 << 19); ++i) {
      out << "---\napiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: se"
          << i << "\n  namespace: ns" << i % 97 << "\nspec:\n  hosts:\n  - h" << i
          << ".example.com\n";
      out << "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s" << i << "\n  namespace: ns"
          << i % 89 << "\n";
      // Flow style, anchors: read by libyaml's events on every thread.
      out << "---\napiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata: {name: sc" << i
          << ", namespace: &n ns" << i % 83 << "}\nspec:\n  egress: [{hosts: [\"./*\"]}]\n"
          << "  labels: {ns: *n}\n";
      if (i % 1000 == 7) out << "---\nkind: Broken\n  bad: indentation\n";
    }
  }
  const std::string one = LoadDir(dir, false, 1);
  for (unsigned jobs : {2u, 8u}) EXPECT_EQ(one, LoadDir(dir, false, jobs)) << "-j" << jobs;
  EXPECT_EQ(one, LoadDir(dir, true, 2));
  EXPECT_NE(one.find("problem "), std::string::npos);
  // And the report, as users run it.
  const auto base =
      testing::RunInProcess({"lint", "bundle.yaml", "-j1", "--format", "json"}, dir.string());
  ASSERT_LT(base.status, 2) << base.err;
  for (const char* jobs : {"-j2", "-j8"}) {
    const auto other =
        testing::RunInProcess({"lint", "bundle.yaml", jobs, "--format", "json"}, dir.string());
    EXPECT_EQ(other.status, base.status) << jobs;
    EXPECT_EQ(other.out, base.out) << jobs;
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace meshlint
