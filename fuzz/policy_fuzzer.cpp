// Fuzzes the egress policy parser (`--policy FILE`: RE2 namespace patterns and
// host patterns), then every rule (egress-not-allowed compiles and applies
// the policy) and report writer. Fixed manifests give the policy namespaces
// and hosts to judge.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_common.h"
#include "loader/loader.h"

namespace {

constexpr std::string_view kManifests = R"(apiVersion: v1
kind: Namespace
metadata:
  name: payments
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: stripe
  namespace: payments
spec:
  hosts: ["api.stripe.com", "*.debian.org"]
---
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata:
  name: mesh
  namespace: istio-system
spec:
  meshConfig:
    outboundTrafficPolicy: {mode: REGISTRY_ONLY}
)";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  meshlint::MeshModel model;
  meshlint::LoadText(kManifests, "mesh.yaml", {}, model);
  meshlint::LoadEgressPolicyText(text, 1, "policy.yaml", {}, model);
  meshlint::fuzz::LintAndReport(model, meshlint::fuzz::SampleOf(data, size));
  return 0;
}
