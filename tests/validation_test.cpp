// src/semantics/validation.h: what Istio's admission refuses is set aside
// (no rule and no egress answer sees it), what it warns about is kept, and
// the checks follow the modelled Istio version. Cases from Istio's
// pkg/config/validation/validation_test.go, named in each test.
#include <gtest/gtest.h>

#include "semantics/validation.h"
#include "test_util.h"

namespace meshlint::testing {
namespace {

using V = std::vector<std::string>;

std::string At(const Location& loc) {
  return std::to_string(loc.line) + ":" + std::to_string(loc.column);
}

// "line:col level check: message" for each validation message.
V Messages(const MeshModel& model) {
  V out;
  for (const ValidationMessage& m : model.validation)
    out.push_back(At(m.loc) +
                  (m.level == ValidationMessage::Level::kError ? " error " : " warning ") +
                  std::string(m.check) + ": " + m.message);
  return out;
}

V Names(const std::vector<ServiceEntry>& v) {
  V out;
  for (const auto& se : v) out.push_back(se.meta.ref.name);
  return out;
}

constexpr const char* kEntries = R"(apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: first, namespace: shop}
spec:
  hosts: [api.first.com]
  resolution: DNS
  ports: [{number: 443, name: https, protocol: TLS}]
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: star, namespace: shop}
spec:
  hosts: ["*"]
  exportTo: ["*"]
  resolution: NONE
  ports: [{number: 443, name: https, protocol: TLS}]
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: last, namespace: shop}
spec:
  hosts: [api.last.com]
  resolution: DNS
  ports: [{number: 443, name: https, protocol: TLS}]
)";

// TestValidateServiceEntries "full wildcard host".
TEST(Validation, RejectedObjectIsSetAsideInOrder) {
  MeshModel model = LoadFiles({{"se.yaml", kEntries}});
  EXPECT_EQ(Names(model.service_entries), (V{"first", "last"}));
  EXPECT_EQ(Names(model.rejected.service_entries), (V{"star"}));
  EXPECT_TRUE(model.rejected.service_entries[0].meta.rejected);
  EXPECT_FALSE(model.service_entries[0].meta.rejected);
  EXPECT_EQ(Messages(model), (V{"13:11 error ValidateServiceEntry: invalid host *"}));
  // Finalizing again (another version) starts from the inputs as loaded.
  model.Finalize();
  EXPECT_EQ(Names(model.service_entries), (V{"first", "last"}));
  EXPECT_EQ(Names(model.rejected.service_entries), (V{"star"}));
  EXPECT_EQ(model.validation.size(), 1u);
}

// A rejected object is invisible to the other rules: the ServiceEntry
// exported to every namespace with host "*" gives only Istio's refusal.
TEST(Validation, OtherRulesDoNotSeeRejectedObjects) {
  const LintResult r = LintTexts({{"se.yaml", kEntries}});
  const std::string text = TextReport(r);
  EXPECT_NE(text.find("se.yaml:13:11: error [istio-validation-rejected]"), std::string::npos)
      << text;
  EXPECT_EQ(text.find("ServiceEntry 'star'"), std::string::npos) << text;
}

constexpr const char* kExclusion = R"(apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: default, namespace: shop}
spec:
  egress:
  - hosts: ["*/*", "~kube-system/*"]
)";

// TestValidateSidecar "import all except a namespace": valid from Istio
// 1.31, where `~` marks an exclusion; before, "~kube-system" is no
// namespace name (and a host beside "*/*", which Istio warns about).
TEST(Validation, SidecarExclusionsFollowTheIstioVersion) {
  MeshModel model = LoadFiles({{"sc.yaml", kExclusion}});
  model.istio_version = IstioVersion{1, 30};
  model.Finalize();
  EXPECT_EQ(Messages(model),
            (V{"6:5 warning ValidateSidecar: `*/*` host select all resources, no other hosts can "
               "be added",
               "6:20 error ValidateNamespaceSlashWildcardHostname: invalid namespace value "
               "\"~kube-system\" in sidecar"}));
  EXPECT_TRUE(model.sidecars.empty());
  model.istio_version = IstioVersion{1, 31};
  model.Finalize();
  EXPECT_EQ(Messages(model), V{});
  ASSERT_EQ(model.sidecars.size(), 1u);
  EXPECT_TRUE(model.rejected.sidecars.empty());
}

// TestValidateServiceEntries "discovery type DNS, non-FQDN host": the
// message Istio gives changed in 1.28.
TEST(Validation, DnsWildcardMessageFollowsTheIstioVersion) {
  const std::string se = R"(apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: wild, namespace: shop}
spec:
  hosts: ["*.google.com"]
  resolution: DNS
  ports: [{number: 80, name: http, protocol: HTTP}]
)";
  MeshModel model = LoadFiles({{"se.yaml", se}});
  model.istio_version = IstioVersion{1, 27};
  model.Finalize();
  EXPECT_EQ(Messages(model),
            (V{"5:11 error ValidateServiceEntry: hosts must be FQDN if no endpoints "
               "are provided for resolution mode DNS"}));
  model.istio_version = IstioVersion{1, 30};
  model.Finalize();
  EXPECT_EQ(
      Messages(model),
      (V{"5:11 error ValidateServiceEntry: hosts must be FQDN or contain only prefix wildcards if "
         "no endpoints are provided for resolution mode DNS, domain name \"*.google.com\" "
         "invalid (label \"*\" invalid)"}));
}

// Istio's name checks, from agent/validation_test.go TestValidateWildcardDomain,
// TestValidateFQDN and TestValidationIPSubnet. As ValidateWildcardDomain, a
// bad label after the first names the rest of the domain only.
TEST(Validation, NameChecks) {
  EXPECT_EQ(istio::CheckWildcardDomain("*.bar.com"), "");
  EXPECT_EQ(istio::CheckWildcardDomain("*bar.com"), "");
  EXPECT_EQ(istio::CheckWildcardDomain("foo.*.com"),
            "domain name \"*.com\" invalid (label \"*\" invalid)");
  EXPECT_EQ(istio::CheckWildcardDomain("bar.com.123"),
            "domain name \"com.123\" invalid (top level domain \"123\" cannot be all-numeric)");
  EXPECT_EQ(istio::CheckWildcardDomain(""), "empty domain name not allowed");
  EXPECT_EQ(istio::CheckFqdn("istio.io."), "");
  EXPECT_EQ(istio::CheckFqdn("*.istio.io"),
            "domain name \"*.istio.io\" invalid (label \"*\" invalid)");
  EXPECT_EQ(istio::CheckIpSubnet("10.0.0.0/8"), "");
  EXPECT_EQ(istio::CheckIpSubnet("2001:db8::/32"), "");
  EXPECT_EQ(istio::CheckIpSubnet("10.0.0.0/33"), "10.0.0.0/33 is not a valid CIDR block");
  EXPECT_EQ(istio::CheckIpSubnet("10.0.0"), "10.0.0 is not a valid IP");
  EXPECT_EQ(istio::CheckPartialWildcard("*foo.com"), "partial wildcard \"*foo.com\" not allowed");
  EXPECT_EQ(istio::CheckPort(0), "port number 0 must be in the range 1..65535");
}

// --istio-version and istioVersion: a release outside the modelled range is
// a usage error; the config's value holds unless the flag is given.
TEST(IstioVersionSetting, OutOfRangeIsAUsageError) {
  TempDir dir;
  dir.Write("sc.yaml", kExclusion);
  CommandResult r = RunInProcess({"lint", ".", "--istio-version", "1.22"}, dir.str());
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err,
            "meshlint: --istio-version '1.22' is not a release meshlint models (Istio 1.24 to "
            "1.31)\n(run 'meshlint --help')\n");
  r = RunInProcess({"egress", ".", "--istio-version", "one"}, dir.str());
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err,
            "meshlint: --istio-version 'one' is not a version (MAJOR.MINOR, e.g. 1.30)\n(run "
            "'meshlint --help')\n");
  dir.Write(".meshlint.yaml", "istioVersion: \"1.32\"\n");
  r = RunInProcess({"lint", "."}, dir.str());
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err,
            "meshlint: .meshlint.yaml:1:15: istioVersion '1.32' is not a release meshlint models "
            "(Istio 1.24 to 1.31)\n");
}

TEST(IstioVersionSetting, ConfigValueAndFlag) {
  TempDir dir;
  dir.Write("sc.yaml", kExclusion);
  dir.Write(".meshlint.yaml", "istioVersion: \"1.31\"\n");
  const std::vector<std::string> lint = {"lint",
                                         ".",
                                         "--format",
                                         "text",
                                         "-q",
                                         "--disable",
                                         "mesh-outbound-allow-any",
                                         "--disable",
                                         "sidecar-egress-wildcard"};
  CommandResult r = RunInProcess(lint, dir.str());
  EXPECT_EQ(r.out, "") << r.err;
  std::vector<std::string> older = lint;
  older.insert(older.end(), {"--istio-version", "1.30.4"});
  r = RunInProcess(older, dir.str());
  EXPECT_EQ(r.out,
            "sc.yaml:6:5: warning [istio-validation-warning] Istio 1.30 warns about Sidecar "
            "shop/default: `*/*` host select all resources, no other hosts can be added "
            "(ValidateSidecar). kubectl prints the warning and applies the object.\n"
            "sc.yaml:6:20: error [istio-validation-rejected] Istio 1.30 rejects Sidecar "
            "shop/default: invalid namespace value \"~kube-system\" in sidecar "
            "(ValidateNamespaceSlashWildcardHostname). kubectl apply fails and istiod never sees "
            "the object, so none of it takes effect; meshlint leaves it out of the mesh.\n");
  EXPECT_EQ(r.status, 1);
}

}  // namespace
}  // namespace meshlint::testing
