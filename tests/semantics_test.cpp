// src/semantics/istio.h: each answer pinned against the cases in fixtures/
// (loaded in-process), with the exact namespaces, entry indices and the
// file:line:col of what decided it.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <stdexcept>

#include "egress/egress.h"
#include "engine/runner.h"
#include "loader/loader.h"
#include "semantics/istio.h"
#include "test_util.h"

namespace meshlint::testing {
namespace {

namespace fs = std::filesystem;
using V = std::vector<std::string>;

// The manifests of fixtures/<dir> (sorted by path, as the loader walks a
// directory), and the file its args.txt names with --mesh-config.
MeshModel LoadFixture(const std::string& dir) {
  const fs::path root = fs::path(SourceDir()) / "fixtures" / dir;
  std::vector<std::string> names;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    const std::string ext = e.path().extension().string();
    if (e.is_regular_file() && (ext == ".yaml" || ext == ".yml" || ext == ".json"))
      names.push_back(fs::relative(e.path(), root).generic_string());
  }
  std::sort(names.begin(), names.end());
  std::string mesh_config;
  if (fs::exists(root / "args.txt")) {
    std::istringstream args(ReadFileText((root / "args.txt").string()));
    for (std::string line, prev; std::getline(args, line); prev = line)
      if (prev == "--mesh-config") mesh_config = line;
  }
  std::vector<std::pair<std::string, std::string>> files;
  for (const std::string& n : names) files.push_back({n, ReadFileText((root / n).string())});
  if (mesh_config.empty()) return LoadFiles(files);
  MeshModel m;
  for (const auto& [name, text] : files) LoadText(text, name, {}, m);
  LoadMeshConfigText(ReadFileText((root / mesh_config).string()), mesh_config, {}, m);
  m.Finalize();
  return m;
}

std::string At(const MeshModel& m, const Location& loc) {
  if (!loc.valid()) return "-";
  return m.files.display(loc.file) + ":" + std::to_string(loc.line) + ":" +
         std::to_string(loc.column);
}

const ServiceEntry& SeNamed(const MeshModel& m, const std::string& name) {
  for (const ServiceEntry& se : m.service_entries)
    if (se.meta.ref.name == name) return se;
  // Istio rejects some of the fixtures' entries: what they would mean still is.
  for (const ServiceEntry& se : m.rejected.service_entries)
    if (se.meta.ref.name == name) return se;
  throw std::runtime_error("no ServiceEntry " + name);
}

const Sidecar& SidecarNamed(const MeshModel& m, const std::string& ns, const std::string& name) {
  for (const Sidecar& sc : m.sidecars)
    if (sc.meta.ref.ns == ns && sc.meta.ref.name == name) return sc;
  throw std::runtime_error("no Sidecar " + ns + "/" + name);
}

// "namespaces[a,b] exportTo se.yaml:9:3", "all istio-default -".
std::string Describe(const MeshModel& m, const istio::Export& e) {
  std::string out;
  switch (e.scope) {
    case istio::ExportScope::kAll: out = "all"; break;
    case istio::ExportScope::kNone: out = "none"; break;
    case istio::ExportScope::kNamespaces: {
      out = "namespaces[";
      for (std::size_t i = 0; i < e.namespaces.size(); ++i)
        out += (i ? "," : "") + std::string(e.namespaces[i]);
      out += "]";
      break;
    }
  }
  switch (e.origin) {
    case istio::ExportOrigin::kExportTo: out += " exportTo "; break;
    case istio::ExportOrigin::kMeshDefault:
      out += " mesh-default(" + m.mesh_sources[*e.mesh_source].description + ") ";
      break;
    case istio::ExportOrigin::kIstioDefault: out += " istio-default "; break;
    case istio::ExportOrigin::kVisibility: out += " visibility "; break;
  }
  return out + At(m, e.loc);
}

std::string Describe(const MeshModel& m, const istio::OutboundDecision& d) {
  std::string out(OutboundModeName(d.mode));
  switch (d.origin) {
    case istio::ModeOrigin::kSidecar:
      out += " sidecar(" + d.sidecar->meta.ref.FullyQualifiedName() +
             (d.mode_written ? ")" : ", no mode)");
      break;
    case istio::ModeOrigin::kMesh: out += " mesh"; break;
    case istio::ModeOrigin::kIstioDefault: out += " istio-default"; break;
  }
  if (d.mesh_source) out += "(" + m.mesh_sources[*d.mesh_source].description + ")";
  return out + " " + At(m, d.loc);
}

std::string Describe(const MeshModel& m, const istio::MeshMembership& mm) {
  static const char* kState[] = {"injected", "not-injected", "ambient", "unknown"};
  static const char* kReason[] = {"system",
                                  "no-manifest",
                                  "injection-disabled",
                                  "injection-other",
                                  "injection-enabled",
                                  "rev-label",
                                  "enabled-by-default",
                                  "ambient-label",
                                  "no-injection-label"};
  return std::string(kState[static_cast<int>(mm.state)]) + " " +
         kReason[static_cast<int>(mm.reason)] + " " + At(m, mm.loc) +
         (istio::InSidecarMesh(mm) ? " in-mesh" : " outside");
}

std::string Describe(const istio::Import& i) {
  switch (i.kind) {
    case istio::ImportKind::kNone: return "none";
    case istio::ImportKind::kAll: return "all";
    case istio::ImportKind::kEntry: return "entry " + std::to_string(i.entry);
  }
  return "?";
}

std::string Applied(const istio::AppliedSidecar& a) {
  switch (a.origin) {
    case istio::SidecarOrigin::kNone: return "none";
    case istio::SidecarOrigin::kOwnDefault:
      return "own " + a.sidecar->meta.ref.FullyQualifiedName();
    case istio::SidecarOrigin::kRootDefault:
      return "root " + a.sidecar->meta.ref.FullyQualifiedName();
    case istio::SidecarOrigin::kSelector:
      return "selector " + a.sidecar->meta.ref.FullyQualifiedName();
  }
  return "?";
}

// ---- exportTo ----

TEST(SemanticsExportTo, EffectiveExportAndWhatDecidedIt) {
  struct Case {
    const char* fixture;
    const char* se;
    const char* want;
  };
  const Case cases[] = {
      // No exportTo and no mesh default: Istio's "*".
      {"serviceentry-exported-to-all/fires-no-export-to", "debian-org", "all istio-default -"},
      {"serviceentry-exported-to-all/fires-empty-export-to", "stripe", "all istio-default -"},
      // "*" anywhere in the list, even beside other values.
      {"serviceentry-exported-to-all/fires-wildcard", "github", "all exportTo se.yaml:8:3"},
      {"serviceentry-exported-to-all/fires-wildcard", "pypi", "all exportTo se.yaml:25:3"},
      {"serviceentry-exportto-invalid/fires-star-not-alone", "stripe", "all exportTo se.yaml:9:3"},
      {"serviceentry-exported-to-all/fires-json", "httpbin", "all exportTo se.json:7:5"},
      // "." is the ServiceEntry's own namespace; a name excludes its own.
      {"serviceentry-exported-to-all/ok-export-dot", "debian-org",
       "namespaces[default] exportTo se.yaml:6:3"},
      {"serviceentry-exported-to-all/ok-export-named", "stripe",
       "namespaces[payments,billing] exportTo se.yaml:9:3"},
      // Each namespace once: "." and the own name, and a repeated name.
      {"serviceentry-exportto-invalid/fires-duplicate", "stripe",
       "namespaces[payments,checkout] exportTo se.yaml:9:3"},
      // "~" alone: nowhere.
      {"serviceentry-exported-to-all/ok-export-none", "parked", "none exportTo se.yaml:9:3"},
      {"serviceentry-exportto-invalid/ok-tilde", "stripe", "none exportTo se.yaml:9:3"},
      // Missing or empty: the mesh default, at its defaultServiceExportTo key.
      {"serviceentry-exported-to-all/fires-mesh-default-star", "debian-org",
       "all mesh-default(IstioOperator istio-system/control-plane) mesh.yaml:8:5"},
      {"serviceentry-exported-to-all/fires-mesh-default-empty", "debian-org",
       "all mesh-default(IstioOperator istio-system/control-plane) mesh.yaml:9:5"},
      {"serviceentry-exported-to-all/ok-mesh-default-dot-configmap", "debian-org",
       "namespaces[default] mesh-default(ConfigMap istio-system/istio) istio.yaml:8:5"},
      {"serviceentry-exported-to-all/ok-mesh-default-dot-configmap", "empty-export",
       "namespaces[default] mesh-default(ConfigMap istio-system/istio) istio.yaml:8:5"},
      {"serviceentry-exported-to-all/ok-mesh-default-dot-cli-helm-values", "debian-org",
       "namespaces[default] mesh-default(--mesh-config (Helm values meshConfig)) values.yaml:5:3"},
      {"serviceentry-exported-to-all/ok-mesh-default-dot-cli-meshconfig", "empty-export",
       "namespaces[default] mesh-default(--mesh-config (MeshConfig)) mesh.yaml:2:1"},
      {"scenarios/seed-step-6-sidecar-allows-debian", "debian-org",
       "namespaces[default] exportTo debian-org.yaml:6:3"},
  };
  for (const Case& c : cases) {
    auto m = LoadFixture(c.fixture);
    EXPECT_EQ(Describe(m, istio::EffectiveExport(m, SeNamed(m, c.se))), c.want) << c.fixture;
  }
}

TEST(SemanticsExportTo, QuickAnswersAgreeWithTheListInEveryFixture) {
  std::size_t checked = 0;
  for (const auto& g : fs::directory_iterator(fs::path(SourceDir()) / "fixtures"))
    for (const auto& c : fs::directory_iterator(g.path())) {
      const std::string dir = g.path().filename().string() + "/" + c.path().filename().string();
      auto m = LoadFixture(dir);
      for (const ServiceEntry& se : m.service_entries) {
        const istio::Export e = istio::EffectiveExport(m, se);
        EXPECT_EQ(istio::IsExportedToAll(m, se), e.scope == istio::ExportScope::kAll) << dir;
        std::vector<std::string> names = {"newguy", "~", "."};
        for (const NamespaceInfo& info : m.namespace_index()) names.push_back(info.name);
        for (const std::string& ns : names) {
          EXPECT_EQ(istio::IsExportedTo(m, se, ns), e.Includes(ns)) << dir << " " << ns;
          ++checked;
        }
      }
    }
  EXPECT_GT(checked, 100u);
}

// Registry::ServiceEntryService builds one ServiceEntry's entry alone (the
// serviceentry-tcp-wildcard-port rule uses it instead of a whole registry):
// it must be exactly the entry the registry holds, and absent exactly when
// the registry leaves the ServiceEntry out.
TEST(SemanticsRegistry, OneServiceEntryAloneIsTheRegistrysEntry) {
  std::size_t present = 0;
  for (const auto& g : fs::directory_iterator(fs::path(SourceDir()) / "fixtures"))
    for (const auto& c : fs::directory_iterator(g.path())) {
      const std::string dir = g.path().filename().string() + "/" + c.path().filename().string();
      const MeshModel m = LoadFixture(dir);
      const istio::Registry reg(m, "");
      for (std::uint32_t i = 0; i < m.service_entries.size(); ++i) {
        const auto alone =
            istio::Registry::ServiceEntryService(m, m.SettingsForRevision(""), "", i);
        const auto at = reg.OfServiceEntry(i);
        ASSERT_EQ(alone.has_value(), at.has_value()) << dir << " #" << i;
        if (!alone) continue;
        ++present;
        const istio::RegistryService& want = reg.service(*at);
        EXPECT_EQ(alone->index, i) << dir;
        EXPECT_EQ(alone->meta, want.meta) << dir;
        EXPECT_EQ(alone->hosts, want.hosts) << dir;
        ASSERT_EQ(alone->ports.size(), want.ports.size()) << dir;
        for (std::size_t p = 0; p < want.ports.size(); ++p) {
          EXPECT_EQ(alone->ports[p].number, want.ports[p].number) << dir;
          EXPECT_EQ(alone->ports[p].protocol, want.ports[p].protocol) << dir;
          EXPECT_EQ(alone->ports[p].name, want.ports[p].name) << dir;
        }
        EXPECT_EQ(alone->resolution, want.resolution) << dir;
        EXPECT_EQ(alone->has_addresses, want.has_addresses) << dir;
        EXPECT_EQ(alone->cidr_addresses_only, want.cidr_addresses_only) << dir;
        EXPECT_EQ(alone->service_entry, want.service_entry) << dir;
        EXPECT_EQ(alone->cidr_ranges().data(), want.cidr_ranges().data()) << dir;
        EXPECT_EQ(alone->cidr_ranges().size(), want.cidr_ranges().size()) << dir;
        EXPECT_EQ(alone->whole_space_range, want.whole_space_range) << dir;
        EXPECT_EQ(alone->has_endpoints, want.has_endpoints) << dir;
        EXPECT_EQ(alone->has_selector, want.has_selector) << dir;
        EXPECT_EQ(alone->autoallocate_disabled, want.autoallocate_disabled) << dir;
        EXPECT_EQ(alone->visibility.scope, want.visibility.scope) << dir;
        EXPECT_EQ(alone->visibility.namespaces, want.visibility.namespaces) << dir;
        EXPECT_EQ(alone->created(), want.created()) << dir;
      }
    }
  EXPECT_GT(present, 20u);
  // For another revision: in neither the registry nor alone.
  const MeshModel m = LoadFiles({{"se.yaml", R"(apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: canary-only, namespace: shop, labels: {istio.io/rev: canary}}
spec: {hosts: [api.example.com], ports: [{number: 5432, name: pg, protocol: TCP}]}
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: default-rev, namespace: shop}
spec: {hosts: [db.example.com], ports: [{number: 5432, name: pg, protocol: TCP}]}
)"}});
  ASSERT_EQ(m.service_entries.size(), 2u);
  const istio::Registry reg(m, "");
  EXPECT_FALSE(reg.OfServiceEntry(0));
  EXPECT_FALSE(istio::Registry::ServiceEntryService(m, m.SettingsForRevision(""), "", 0));
  ASSERT_TRUE(reg.OfServiceEntry(1));
  const auto alone = istio::Registry::ServiceEntryService(m, m.SettingsForRevision(""), "", 1);
  ASSERT_TRUE(alone);
  EXPECT_EQ(V(alone->hosts.begin(), alone->hosts.end()), V{"db.example.com"});
  EXPECT_EQ(alone->resolution, istio::Resolution::kNone);
}

// ---- Sidecar egress hosts ----

TEST(SemanticsEgressHosts, SplitSelectAndImport) {
  auto m = LoadFixture("sidecar-egress-wildcard/fires");
  const Sidecar& sc = SidecarNamed(m, "newguy", "default");
  ASSERT_EQ(sc.egress_hosts.size(), 2u);
  const auto dot = istio::SplitEgressHost(sc.egress_hosts[0].value);
  const auto star = istio::SplitEgressHost(sc.egress_hosts[1].value);
  ASSERT_TRUE(dot && star);
  EXPECT_EQ(std::string(dot->ns) + "|" + std::string(dot->dns), ".|*");
  EXPECT_EQ(std::string(star->ns) + "|" + std::string(star->dns), "*|*");
  // "." is where the Sidecar is applied, "*" any namespace, "~" none.
  EXPECT_TRUE(istio::SelectsNamespace(*dot, "newguy", "newguy"));
  EXPECT_FALSE(istio::SelectsNamespace(*dot, "newguy", "default"));
  EXPECT_TRUE(istio::SelectsNamespace(*star, "newguy", "default"));
  EXPECT_FALSE(istio::SelectsNamespace(*istio::SplitEgressHost("~/*"), "newguy", "newguy"));
  EXPECT_FALSE(istio::SplitEgressHost("/a.com"));
  EXPECT_FALSE(istio::SplitEgressHost("ns/"));
  // The first entry that selects decides: "./*" for its own namespace.
  EXPECT_EQ(Describe(istio::SidecarImport(&sc, "newguy", "newguy", "a.com")), "entry 0");
  EXPECT_EQ(Describe(istio::SidecarImport(&sc, "newguy", "default", "a.com")), "entry 1");
  EXPECT_EQ(Describe(istio::SidecarImport(nullptr, "newguy", "default", "a.com")), "all");
}

TEST(SemanticsEgressHosts, SidecarImportOfTheWriteUpsLastStep) {
  auto m = LoadFixture("scenarios/seed-step-6-sidecar-allows-debian");
  const Sidecar& sc = SidecarNamed(m, "newguy", "default");
  EXPECT_EQ(Describe(istio::SidecarImport(&sc, "newguy", "default", "security.debian.org")),
            "entry 2");
  EXPECT_EQ(Describe(istio::SidecarImport(&sc, "newguy", "default", "deb.debian.org")), "entry 3");
  EXPECT_EQ(Describe(istio::SidecarImport(&sc, "newguy", "default", "ftp.debian.org")), "none");
  EXPECT_EQ(Describe(istio::SidecarImport(&sc, "newguy", "istio-system", "x.example.com")),
            "entry 1");
  EXPECT_EQ(At(m, sc.egress_hosts[3].loc), "sidecar-newguy.yaml:13:7");
  // Imported, but not exported to newguy: ["."] keeps it in default.
  EXPECT_FALSE(istio::IsExportedTo(m, SeNamed(m, "debian-org"), "newguy"));
}

TEST(SemanticsEgressHosts, ImportWhereTheSidecarApplies) {
  struct Case {
    const char* fixture;
    const char* sidecar_ns;
    std::size_t entry;
    const char* se;
    bool selects, exported;
  };
  const Case cases[] = {
      // default/deb.debian.org, but the ServiceEntry is exportTo ["."].
      {"sidecar-egress-unresolved-host/fires-not-exported", "newguy", 2, "debian-org", true, false},
      {"sidecar-egress-unresolved-host/ok-exported", "newguy", 1, "debian-org", true, true},
      // default/api.stripe.com, but the ServiceEntry lives in payments.
      {"sidecar-egress-unresolved-host/fires-wrong-namespace", "checkout", 1, "stripe", false,
       true},
      // The root default's "default/..." entry, exported to default, which it governs.
      {"sidecar-egress-unresolved-host/ok-root-default", "istio-system", 2, "debian-org", true,
       true},
  };
  for (const Case& c : cases) {
    auto m = LoadFixture(c.fixture);
    const Sidecar& sc = SidecarNamed(m, c.sidecar_ns, "default");
    const auto entry = istio::SplitEgressHost(sc.egress_hosts.at(c.entry).value);
    ASSERT_TRUE(entry) << c.fixture;
    const istio::GovernedImport got = istio::ImportWhereApplied(m, sc, *entry, SeNamed(m, c.se));
    EXPECT_EQ(got.selects, c.selects) << c.fixture;
    EXPECT_EQ(got.exported, c.exported) << c.fixture;
  }
}

TEST(SemanticsEgressHosts, KubernetesServiceHosts) {
  auto m = LoadFixture("sidecar-egress-unresolved-host/ok-kubernetes-service");
  const istio::ServiceIndex services(m);
  EXPECT_TRUE(services.Contains("default", "reviews"));
  const Sidecar& sc = SidecarNamed(m, "frontend", "default");
  const auto entry = istio::SplitEgressHost(sc.egress_hosts.at(1).value);
  ASSERT_TRUE(entry);
  const auto host = istio::ParseClusterHost(entry->dns);
  ASSERT_TRUE(host);
  EXPECT_EQ(std::string(host->name) + "|" + std::string(host->ns), "reviews|default");
  EXPECT_TRUE(istio::ServiceProvides(services, *entry));
  // The namespace part must be able to select the Service's namespace.
  EXPECT_FALSE(istio::ServiceProvides(services, {"frontend", entry->dns}));
  EXPECT_FALSE(istio::ServiceProvides(services, {"*", "ratings.default.svc.cluster.local"}));
  EXPECT_FALSE(istio::ParseClusterHost("reviews.svc.cluster.local"));
  EXPECT_FALSE(istio::ParseClusterHost("api.example.com"));
}

// ---- Which Sidecar applies ----

TEST(SemanticsSidecar, ApplicableSidecarOfEachNamespace) {
  struct Case {
    const char* fixture;
    const char* ns;
    const char* want;
  };
  const Case cases[] = {
      {"namespace-without-sidecar/ok-own-default-sidecar", "newguy", "own newguy/Sidecar/default"},
      {"namespace-without-sidecar/ok-root-default-sidecar", "newguy",
       "root istio-system/Sidecar/default"},
      {"namespace-without-sidecar/ok-root-default-sidecar", "istio-system",
       "own istio-system/Sidecar/default"},
      // A namespace no input names gets the root default too.
      {"namespace-without-sidecar/ok-root-default-sidecar", "never-seen",
       "root istio-system/Sidecar/default"},
      {"namespace-without-sidecar/ok-custom-root-default-sidecar", "newguy",
       "root istio-config/Sidecar/default"},
      // istio-system is not the root here: its default is its own only.
      {"namespace-without-sidecar/fires-custom-root-namespace", "newguy", "none"},
      // A root-namespace Sidecar with a selector is no default.
      {"namespace-without-sidecar/fires-root-sidecar-with-selector", "newguy", "none"},
      {"namespace-without-sidecar/fires-only-workload-sidecars", "newguy", "none"},
      {"namespace-without-sidecar/fires-sidecar-elsewhere", "newguy", "none"},
      {"namespace-without-sidecar/fires-sidecar-elsewhere", "locked", "own locked/Sidecar/default"},
      // Two defaults and no creationTimestamp: Istio's tie-break is the
      // name (pilot/pkg/model/config.go sortConfigByCreationTime).
      {"multiple-default-sidecars/fires", "newguy", "own newguy/Sidecar/allow-debian"},
  };
  for (const Case& c : cases) {
    auto m = LoadFixture(c.fixture);
    EXPECT_EQ(Applied(istio::ApplicableSidecar(m, c.ns)), c.want) << c.fixture << " " << c.ns;
  }
  auto m = LoadFixture("multiple-default-sidecars/fires");
  V defaults;
  for (const Sidecar* sc : istio::DefaultSidecars(m, "newguy"))
    defaults.push_back(sc->meta.ref.name + "@" + At(m, sc->meta.anchor()));
  // In the order Istio picks them: oldest, then by name.
  EXPECT_EQ(defaults, (V{"allow-debian@sidecars.yaml:13:9", "default@sidecars.yaml:4:9"}));
}

TEST(SemanticsSidecar, WhereASidecarIsApplied) {
  auto m = LoadFixture("namespace-without-sidecar/ok-root-default-sidecar");
  const Sidecar& root = SidecarNamed(m, "istio-system", "default");
  EXPECT_TRUE(istio::IsRootDefault(m, root));
  for (const char* ns : {"istio-system", "newguy", "shop", "never-seen"})
    EXPECT_TRUE(istio::SidecarGoverns(m, root, ns)) << ns;
  auto e = LoadFixture("namespace-without-sidecar/fires-sidecar-elsewhere");
  const Sidecar& locked = SidecarNamed(e, "locked", "default");
  EXPECT_FALSE(istio::IsRootDefault(e, locked));
  EXPECT_TRUE(istio::SidecarGoverns(e, locked, "locked"));
  EXPECT_FALSE(istio::SidecarGoverns(e, locked, "newguy"));
  // The root default does not apply where a namespace has its own.
  auto own = LoadFixture("namespace-without-sidecar/ok-custom-root-default-sidecar");
  const Sidecar& custom = SidecarNamed(own, "istio-config", "default");
  EXPECT_TRUE(istio::IsRootDefault(own, custom));
  EXPECT_TRUE(istio::SidecarGoverns(own, custom, "newguy"));
  auto gw = LoadFixture("namespace-without-sidecar/fires-root-sidecar-with-selector");
  EXPECT_FALSE(istio::IsRootDefault(gw, SidecarNamed(gw, "istio-system", "gateways")));
}

// ---- Outbound traffic policy ----

TEST(SemanticsOutbound, MeshModeAndItsAnchor) {
  struct Case {
    const char* fixture;
    const char* want;
  };
  const Case cases[] = {
      {"mesh-outbound-allow-any/fires-allow-any-configmap",
       "ALLOW_ANY mesh(ConfigMap istio-system/istio) istio.yaml:16:13"},
      {"mesh-outbound-allow-any/ok-registry-only-operator",
       "REGISTRY_ONLY mesh(IstioOperator istio-system/control-plane) mesh.yaml:11:13"},
      {"mesh-outbound-allow-any/fires-dynamic-dns",
       "ALLOW_ANY_DYNAMIC_DNS mesh(IstioOperator istio-system/control-plane) mesh.yaml:8:35"},
      // --mesh-config wins over the manifests.
      {"mesh-outbound-allow-any/ok-cli-overrides-manifests",
       "REGISTRY_ONLY mesh(--mesh-config (MeshConfig)) mesh.yaml:2:9"},
      {"mesh-outbound-allow-any/fires-no-mesh-config", "ALLOW_ANY istio-default -"},
      // Unset: the source whose setting would decide, at its
      // outboundTrafficPolicy key, else at its mesh config.
      {"mesh-outbound-allow-any/fires-policy-null",
       "ALLOW_ANY istio-default(IstioOperator istio-system/control-plane) mesh.yaml:9:3"},
      // outboundTrafficPolicy: {} is REGISTRY_ONLY (ApplyMeshConfig), at its key.
      {"mesh-outbound-allow-any/ok-policy-without-mode",
       "REGISTRY_ONLY mesh(IstioOperator istio-system/control-plane) mesh.yaml:11:5"},
      {"mesh-outbound-allow-any/fires-unset-operator",
       "ALLOW_ANY istio-default(IstioOperator istio-system/demo) mesh.yaml:8:3"},
      {"mesh-outbound-allow-any/fires-cli-operator",
       "ALLOW_ANY istio-default(--mesh-config IstioOperator istio-system/control-plane) "
       "install/operator.yaml:7:3"},
      // The ConfigMap (what istiod reads) over the IstioOperator before it.
      {"mesh-config-conflict/fires-default-export-to",
       "ALLOW_ANY istio-default(ConfigMap istio-system/istio) mesh.yaml:16:3"},
      {"mesh-config-conflict/fires-root-namespace",
       "ALLOW_ANY istio-default(--mesh-config (Helm values meshConfig)) values.yaml:1:1"},
  };
  for (const Case& c : cases) {
    auto m = LoadFixture(c.fixture);
    EXPECT_EQ(Describe(m, istio::MeshOutbound(m)), c.want) << c.fixture;
    // Without a Sidecar, the mesh's answer.
    EXPECT_EQ(Describe(m, istio::EffectiveOutbound(m, nullptr)), c.want) << c.fixture;
  }
}

TEST(SemanticsOutbound, SidecarModeAndItsAnchor) {
  struct Case {
    const char* fixture;
    const char* ns;
    const char* name;
    const char* want;
  };
  const Case cases[] = {
      {"sidecar-outbound-allow-any/fires-workload", "payments", "legacy-client",
       "ALLOW_ANY sidecar(payments/Sidecar/legacy-client) sidecar.yaml:11:11"},
      // outboundTrafficPolicy: {} is REGISTRY_ONLY, at its key.
      {"sidecar-outbound-allow-any/ok-empty-policy", "newguy", "default",
       "REGISTRY_ONLY sidecar(newguy/Sidecar/default, no mode) sidecar.yaml:8:3"},
      // No outboundTrafficPolicy: the mesh's.
      {"scenarios/seed-step-6-sidecar-allows-debian", "newguy", "default",
       "REGISTRY_ONLY mesh(IstioOperator istio-system/installed-state) istio-operator.yaml:11:13"},
  };
  for (const Case& c : cases) {
    auto m = LoadFixture(c.fixture);
    EXPECT_EQ(Describe(m, istio::EffectiveOutbound(m, &SidecarNamed(m, c.ns, c.name))), c.want)
        << c.fixture;
  }
}

TEST(SemanticsOutbound, LintAndEgressPointAtTheSameSourceWhenTheModeIsUnset) {
  for (const char* fixture : {"mesh-outbound-allow-any/fires-cli-operator",
                              "mesh-outbound-allow-any/fires-unset-operator",
                              "mesh-config-conflict/fires-default-export-to",
                              "mesh-config-conflict/fires-root-namespace"}) {
    auto m = LoadFixture(fixture);
    std::string lint = "-";
    for (const Finding& f : RunRules(m, {}))
      if (f.rule_id == "mesh-outbound-allow-any") lint = At(m, f.diag.loc);
    ASSERT_NE(lint, "-") << fixture;
    const egress::EgressAnalysis a(m);
    const egress::Explanation ex = a.Explain("newguy", "deb.debian.org");
    auto mode = std::find_if(ex.chain.begin(), ex.chain.end(), [](const egress::Step& s) {
      return s.kind == egress::StepKind::kModeMeshUnset;
    });
    ASSERT_NE(mode, ex.chain.end()) << fixture;
    EXPECT_EQ(At(m, mode->loc), lint) << fixture;
    EXPECT_EQ(At(m, istio::MeshOutbound(m).loc), lint) << fixture;
  }
}

TEST(SemanticsOutbound, TheProjectConfigsRootNamespaceIsNeverTheAnchor) {
  // What the CLI adds for `rootNamespace:` in .meshlint.yaml: first, and
  // holding nothing but the root namespace.
  auto with_project_root = [](MeshModel m) {
    MeshConfigSource source;
    source.origin = MeshConfigSource::Origin::kProjectConfig;
    source.description = ".meshlint.yaml rootNamespace";
    source.root_namespace = Located<std::string>{"istio-system", {}};
    m.mesh_sources.insert(m.mesh_sources.begin(), std::move(source));
    m.Finalize();
    return m;
  };
  auto none = with_project_root(LoadFixture("mesh-outbound-allow-any/fires-no-mesh-config"));
  EXPECT_EQ(Describe(none, istio::MeshOutbound(none)), "ALLOW_ANY istio-default -");
  auto unset = with_project_root(LoadFixture("mesh-outbound-allow-any/fires-unset-operator"));
  EXPECT_EQ(Describe(unset, istio::MeshOutbound(unset)),
            "ALLOW_ANY istio-default(IstioOperator istio-system/demo) mesh.yaml:8:3");
}

// ---- Mesh membership ----

// As Istio's injection webhooks read the labels (mutatingwebhook.yaml and
// pkg/kube/inject injectRequired); each answer points at the deciding label's
// value, else the Namespace manifest.
TEST(SemanticsMembership, TheInjectorsReadingOfTheLabels) {
  struct Case {
    const char* fixture;
    const char* ns;
    const char* want;
  };
  const Case cases[] = {
      {"namespace-without-sidecar/fires-injected", "newguy",
       "injected injection-enabled ns.yaml:6:22 in-mesh"},
      {"namespace-without-sidecar/fires-rev-label", "canary",
       "injected rev-label ns.yaml:7:19 in-mesh"},
      // An injection label wins over the ambient one.
      {"namespace-without-sidecar/fires-rev-label", "migrating",
       "injected injection-enabled ns.yaml:14:22 in-mesh"},
      {"namespace-without-sidecar/ok-injection-disabled", "legacy",
       "not-injected injection-disabled ns.yaml:6:22 outside"},
      {"namespace-without-sidecar/ok-ambient", "ambient-apps",
       "ambient ambient-label ns.yaml:7:30 outside"},
      // No label that injects: no webhook sends the namespace's pods to the
      // injector (only pods labelled sidecar.istio.io/inject=true).
      {"namespace-without-sidecar/fires-unlabelled", "shop",
       "not-injected no-injection-label ns.yaml:6:9 outside"},
      // No Namespace manifest: assumed in the mesh, as the configuration intends.
      {"namespace-without-sidecar/fires-known-from-objects", "shop",
       "unknown no-manifest app.yaml:14:9 in-mesh"},
      // The injector's IgnoredNamespaces.
      {"namespace-without-sidecar/ok-system-namespaces", "kube-node-lease",
       "not-injected system - outside"},
      // istio-system is not among them: its labels decide, like any other's
      // (the lint rules leave system namespaces alone on their own).
      {"namespace-without-sidecar/ok-system-namespaces", "istio-system",
       "not-injected no-injection-label system.yaml:9:9 outside"},
      {"namespace-without-sidecar/ok-custom-root-default-sidecar", "istio-config",
       "not-injected no-injection-label istio.yaml:15:9 outside"},
  };
  for (const Case& c : cases) {
    auto m = LoadFixture(c.fixture);
    const NamespaceInfo* info = m.FindNamespace(c.ns);
    ASSERT_NE(info, nullptr) << c.fixture << " " << c.ns;
    EXPECT_EQ(Describe(m, istio::NamespaceMembership(m, *info)), c.want) << c.fixture;
  }
}

// Whether the inputs say a namespace's pods get a sidecar: what decides
// between a warning and a note for the rules about proxied pods.
TEST(SemanticsMembership, SidecarPodsAreKnownOnlyFromWhatTheInputsSay) {
  using P = istio::SidecarPods;
  struct Case {
    const char* fixture;
    const char* ns;
    P want;
  };
  const Case cases[] = {
      {"namespace-without-sidecar/fires-injected", "newguy", P::kSome},
      {"namespace-without-sidecar/fires-known-beside-unknown", "orders", P::kSome},
      // A manifest without injection label and no workload: pods may opt in.
      {"namespace-without-sidecar/fires-known-beside-unknown", "billing", P::kAssumed},
      // No manifest, and a workload without injection label: still unknown.
      {"namespace-without-sidecar/fires-unknown-note", "flux-system", P::kAssumed},
      {"namespace-without-sidecar/fires-known-beside-unknown", "reports", P::kAssumed},
      // The pod label sidecar.istio.io/inject=true is known, manifest or not.
      {"namespace-without-sidecar/fires-unknown-pod-opts-in", "shop", P::kSome},
      {"namespace-without-sidecar/fires-unlabelled-pod-opts-in", "shop", P::kSome},
      {"namespace-without-sidecar/ok-injection-disabled", "legacy", P::kNone},
      {"namespace-without-sidecar/ok-ambient", "ambient-apps", P::kNone},
      {"namespace-without-sidecar/ok-no-workload-injected", "batch", P::kNone},
  };
  for (const Case& c : cases) {
    auto m = LoadFixture(c.fixture);
    const NamespaceInfo* info = m.FindNamespace(c.ns);
    ASSERT_NE(info, nullptr) << c.fixture << " " << c.ns;
    EXPECT_EQ(istio::NamespaceSidecarPods(m, *info), c.want) << c.fixture << " " << c.ns;
  }
}

}  // namespace
}  // namespace meshlint::testing
