// Fuzzes the --mesh-config path of the loader (bare MeshConfig, IstioOperator,
// ConfigMap istio, Helm values), then every rule and report writer. A fixed
// manifest beside it gives the mesh-config rules something to judge.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_common.h"
#include "loader/loader.h"

namespace {

constexpr std::string_view kManifests = R"(apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: api
  namespace: shop
spec:
  hosts: ["api.example.com"]
)";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  meshlint::MeshModel model;
  meshlint::LoadText(kManifests, "mesh.yaml", {}, model);
  meshlint::LoadMeshConfigText(text, "mesh-config.yaml", {}, model);
  meshlint::fuzz::LintAndReport(model, meshlint::fuzz::SampleOf(data, size));
  return 0;
}
