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

#include "test_util.h"

namespace meshlint {
namespace {

namespace fs = std::filesystem;

std::string L(const Location& l) {
  return std::to_string(l.file) + ":" + std::to_string(l.line) + ":" + std::to_string(l.column) +
         "-" + std::to_string(l.end_line) + ":" + std::to_string(l.end_column);
}

void DumpMeta(std::ostream& o, const ObjectMeta& m) {
  o << m.api_version << '|' << m.ref.FullyQualifiedName() << '|' << m.ns_defaulted << '|'
    << L(m.loc) << '|' << L(m.name_loc) << '|' << L(m.ns_loc);
  for (const auto& [k, v] : m.meshlint_annotations) o << '|' << k << '=' << v.value << '@' << L(v.loc);
}

void DumpList(std::ostream& o, const std::vector<Located<std::string>>& values) {
  o << '[';
  for (const auto& v : values) o << v.value << '@' << L(v.loc) << ',';
  o << ']';
}

template <typename T>
std::string V(const Located<T>& v) {
  std::ostringstream o;
  o << v.value << '@' << L(v.loc);
  return o.str();
}

void DumpLabels(std::ostream& o, const Labels& labels) {
  o << '{';
  for (const Label& l : labels.items) o << l.key << '=' << l.value << '@' << L(l.loc) << ',';
  o << '}';
}

void DumpSelector(std::ostream& o, const Selector& s) {
  o << "sel" << s.set << L(s.loc) << L(s.labels_key);
  DumpLabels(o, s.labels);
}

void DumpConfig(std::ostream& o, const ConfigMeta& c) {
  o << "|cfg";
  DumpLabels(o, c.istio_labels);
  o << V(c.creation_timestamp);
}

void DumpPort(std::ostream& o, const PortSpec& p) {
  o << "port" << L(p.loc) << V(p.number) << V(p.protocol) << V(p.name) << V(p.target_port) << ';';
}

// One line per object; an overload per kind of Objects (a kind without one
// does not compile).
void DumpItem(std::ostream& o, const NamespaceObject& ns) {
  o << "ns ";
  DumpMeta(o, ns.meta);
  for (const auto& [k, v] : ns.labels) o << '|' << k << '=' << v;
  for (const auto& [k, loc] : ns.label_locs) o << '|' << k << '@' << L(loc);
}

void DumpItem(std::ostream& o, const Workload& w) {
  o << "workload ";
  DumpMeta(o, w.meta);
  o << '|' << L(w.pod.loc) << w.pod.unknown << L(w.pod.labels_key);
  DumpLabels(o, w.pod.labels);
  for (const auto& [a, v] : w.pod.annotations) o << PodAnnotationName(a) << '=' << V(v) << ',';
  o << w.pod.host_network << L(w.pod.host_network_loc) << '|'
    << (w.pod.dns_capture ? V(*w.pod.dns_capture) : "-");
}

void DumpItem(std::ostream& o, const KubeService& s) {
  o << "svc ";
  DumpMeta(o, s.meta);
  o << '|' << V(s.type) << V(s.cluster_ip) << V(s.external_name) << '|'
    << (s.export_to ? V(*s.export_to) : "-") << '|';
  DumpSelector(o, s.selector);
  for (const auto& p : s.ports)
    o << "port" << L(p.loc) << V(p.name) << V(p.protocol) << V(p.app_protocol) << V(p.port)
      << V(p.target_port) << ';';
}

void DumpItem(std::ostream& o, const VirtualService& vs) {
  o << "vs ";
  DumpMeta(o, vs.meta);
  DumpConfig(o, vs.config);
  DumpList(o, vs.hosts);
  o << L(vs.hosts_key) << vs.gateways_set << L(vs.gateways_key);
  DumpList(o, vs.gateways);
  o << vs.export_to_set << L(vs.export_to_key);
  DumpList(o, vs.export_to);
  o << L(vs.http_key) << L(vs.tcp_key) << L(vs.tls_key);
  for (const Route& r : vs.routes) {
    o << "|route" << static_cast<int>(r.kind) << L(r.loc) << r.delegate;
    for (const RouteMatch& m : r.matches) {
      o << "match" << L(m.loc) << V(m.port) << V(m.source_namespace);
      DumpList(o, m.gateways);
      DumpList(o, m.sni_hosts);
    }
    for (const RouteDestination& d : r.destinations)
      o << "dest" << L(d.loc) << V(d.host) << V(d.port) << d.mirror;
  }
}

void DumpItem(std::ostream& o, const Gateway& gw) {
  o << "gw ";
  DumpMeta(o, gw.meta);
  DumpConfig(o, gw.config);
  DumpSelector(o, gw.selector);
  o << L(gw.servers_key);
  for (const GatewayServer& s : gw.servers) {
    o << "|server" << L(s.loc);
    DumpPort(o, s.port);
    DumpList(o, s.hosts);
    o << L(s.hosts_key) << s.tls_set << L(s.tls_loc) << V(s.tls_mode) << s.https_redirect;
  }
}

void DumpItem(std::ostream& o, const AuthorizationPolicy& ap) {
  o << "authz ";
  DumpMeta(o, ap.meta);
  DumpConfig(o, ap.config);
  DumpSelector(o, ap.selector);
  for (const auto& t : ap.target_refs)
    o << "|ref" << L(t.loc) << V(t.group) << V(t.kind) << V(t.name) << V(t.ns);
  o << '|' << V(ap.action) << ap.rules_set << L(ap.rules_key);
  for (const AuthzRule& r : ap.rules) {
    o << "|rule" << L(r.loc) << r.has_when;
    for (const AuthzSource& f : r.from) {
      o << "from" << L(f.loc);
      for (const auto* l : {&f.namespaces, &f.not_namespaces, &f.principals, &f.not_principals})
        DumpList(o, *l);
    }
    for (const AuthzOperation& t : r.to) {
      o << "to" << L(t.loc);
      for (const auto* l : {&t.hosts, &t.not_hosts, &t.ports, &t.not_ports}) DumpList(o, *l);
    }
  }
}

void DumpItem(std::ostream& o, const ServiceEntry& se) {
  o << "se ";
  DumpMeta(o, se.meta);
  DumpList(o, se.hosts);
  o << L(se.hosts_key) << '|' << se.export_to_set;
  DumpList(o, se.export_to);
  o << L(se.export_to_key) << '|' << se.location.value << '@' << L(se.location.loc) << '|'
    << se.has_workload_selector;
  DumpConfig(o, se.config);
  DumpSelector(o, se.workload_selector);
  DumpList(o, se.addresses);
  o << L(se.addresses_key) << L(se.ports_key);
  for (const PortSpec& p : se.ports) DumpPort(o, p);
  o << V(se.resolution) << se.endpoints_set << L(se.endpoints_key);
  DumpList(o, se.endpoint_addresses);
}

void DumpItem(std::ostream& o, const Sidecar& sc) {
  o << "sc ";
  DumpMeta(o, sc.meta);
  o << '|' << sc.has_selector << L(sc.selector_loc) << '|' << sc.egress_set << L(sc.egress_key);
  DumpList(o, sc.egress_hosts);
  o << sc.outbound_set << L(sc.outbound_key) << OutboundModeName(sc.outbound_mode)
    << L(sc.outbound_mode_loc);
  DumpConfig(o, sc.config);
  DumpSelector(o, sc.selector);
  for (const SidecarEgressListener& l : sc.egress) {
    o << "|listener" << L(l.loc) << l.port_set;
    DumpPort(o, l.port);
    o << V(l.bind) << V(l.capture_mode) << l.first_host << '+' << l.host_count << L(l.hosts_key);
  }
  o << '|' << sc.egress_proxy_set << L(sc.egress_proxy_loc) << V(sc.egress_proxy_host)
    << sc.egress_proxy_port_set << sc.ingress_set << sc.inbound_connection_pool_set;
}

void DumpItem(std::ostream& o, const ObjectMeta& other) {
  o << "obj ";
  DumpMeta(o, other);
}

void DumpItem(std::ostream& o, const MeshConfigSource& s) {
  o << "mesh " << static_cast<int>(s.origin) << '|' << s.description << '|'
    << s.object.FullyQualifiedName() << '|' << L(s.loc) << '|'
    << (s.root_namespace ? s.root_namespace->value + "@" + L(s.root_namespace->loc) : "-") << '|';
  if (s.default_service_export_to) DumpList(o, *s.default_service_export_to);
  o << L(s.default_service_export_to_key) << '|' << L(s.outbound_key) << '|'
    << (s.outbound_mode ? std::string(OutboundModeName(s.outbound_mode->value)) + "@" +
                              L(s.outbound_mode->loc)
                        : "-");
}

void DumpItem(std::ostream& o, const Problem& p) {
  o << "problem " << L(p.loc) << '|' << p.message << '|' << p.object.FullyQualifiedName() << '|'
    << p.field;
}

// Everything the loader produced and every finding, one line each.
std::string Dump(const MeshModel& m) {
  std::ostringstream o;
  for (std::size_t i = 0; i < m.files.size(); ++i) o << "file " << m.files.display(i) << '\n';
  ForEachCollection(static_cast<const Objects&>(m), [&](const auto& items) {
    for (const auto& item : items) {
      DumpItem(o, item);
      o << '\n';
    }
  });
  o << "stats " << m.stats.files << ' ' << m.stats.documents << ' ' << m.stats.objects << ' '
    << m.stats.skipped_non_kubernetes << ' ' << m.stats.empty_documents << '\n';
  for (const Finding& f : RunRules(m, {}))
    o << "finding " << f.rule_id << '|' << L(f.diag.loc) << '|' << f.diag.message << '\n';
  return o.str();
}

// The first line where two dumps differ, for a readable failure.
std::string FirstDifference(const std::string& a, const std::string& b) {
  std::istringstream sa(a), sb(b);
  std::string la, lb;
  for (int n = 1;; ++n) {
    bool ea = !std::getline(sa, la), eb = !std::getline(sb, lb);
    if (ea && eb) return "(none)";
    if (ea || eb || la != lb)
      return "line " + std::to_string(n) + ":\n  scan: " + (ea ? "<end>" : la) +
             "\n  full: " + (eb ? "<end>" : lb);
  }
}

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
    GTEST_SKIP() << "shared corpus not found at " << corpus << " (it is not part of the repository)";
  ExpectScanMatchesFullParse(corpus);
  for (const fs::path& dir : ManifestDirs(corpus / "istio" / "samples")) ExpectScanMatchesFullParse(dir);
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
};

// Deterministic edits at many places of each seed: most make the document
// invalid or move it out of the scanner's subset, some keep it valid with a
// different meaning. Either way both paths must agree.
TEST(ScanEquivalence, MutatedDocuments) {
  const std::string inserts[] = {":", " ", "  ", "-", "- ", "#", " #", "\"", "'", "|", ">",
                                 "{", "[", "&a ", "*a", "!", "\t", "\n", "? ", "~", "\\", ": x",
                                 "\n  ", "\n- ", "null", "---\n", "%"};
  std::size_t variants = 0;
  for (const char* seed : kSeeds) {
    const std::string text = seed;
    ASSERT_EQ(LoadOne(text, false), LoadOne(text, true)) << text;
    for (std::size_t pos = 0; pos <= text.size(); ++pos) {
      std::vector<std::string> mutated;
      for (const std::string& ins : inserts)
        if ((pos + ins.size()) % 2 == 0) mutated.push_back(text.substr(0, pos) + ins + text.substr(pos));
      if (pos < text.size()) mutated.push_back(text.substr(0, pos) + text.substr(pos + 1));
      for (const std::string& m : mutated) {
        ++variants;
        const std::string scan = LoadOne(m, false);
        const std::string full = LoadOne(m, true);
        ASSERT_EQ(scan, full) << "document:\n" << m << "\n" << FirstDifference(scan, full);
      }
    }
  }
  EXPECT_GT(variants, 30000u);
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

TEST(ParallelLoading, SameModelForAnyJobCount) {
  std::vector<fs::path> dirs;
  const fs::path fixtures = fs::path(testing::SourceDir()) / "fixtures";
  if (fs::is_directory(fixtures)) dirs.push_back(fixtures);
  if (fs::is_directory(CorpusDir())) dirs.push_back(CorpusDir());
  if (dirs.empty()) GTEST_SKIP() << "neither fixtures/ nor the shared corpus is present";
  for (const fs::path& dir : dirs) {
    const std::string one = LoadDir(dir, false, 1);
    EXPECT_EQ(one, LoadDir(dir, false, 4)) << dir;
    EXPECT_EQ(one, LoadDir(dir, false, 3)) << dir;
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
    for (const auto& flags : std::vector<std::vector<std::string>>{{"-j4"}, {"--full-parse"},
                                                                   {"--full-parse", "-j3"}}) {
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
  const auto one = testing::RunInProcess({"lint", "-", "-j1", "--format", "json"}, dir.string(), rendered);
  ASSERT_LT(one.status, 2) << one.err;
  EXPECT_NE(one.out.find("chart/templates/t39.yaml"), std::string::npos);
  for (const char* jobs : {"-j2", "-j4"}) {
    const auto other = testing::RunInProcess({"lint", "-", jobs, "--format", "json"}, dir.string(), rendered);
    EXPECT_EQ(other.out, one.out) << jobs;
  }
}

// A file above the size where documents are loaded in batches across threads.
TEST(ParallelLoading, BigFileBatchesMergeInOrder) {
  const fs::path dir = fs::temp_directory_path() / ("meshlint-bigfile-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  {
    std::ofstream out(dir / "bundle.yaml");
    for (int i = 0; out.tellp() < (3 << 20); ++i) {
      out << "---\napiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: se" << i
          << "\n  namespace: ns" << i % 97 << "\nspec:\n  hosts:\n  - h" << i << ".example.com\n";
      out << "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s" << i << "\n  namespace: ns"
          << i % 89 << "\n";
      if (i % 1000 == 7) out << "---\nkind: Broken\n  bad: indentation\n";
    }
  }
  const std::string one = LoadDir(dir, false, 1);
  EXPECT_EQ(one, LoadDir(dir, false, 4));
  EXPECT_EQ(one, LoadDir(dir, true, 2));
  EXPECT_NE(one.find("problem "), std::string::npos);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace meshlint
