// ci/demo explains its findings in words. This pins the findings it explains,
// so a change to examples/demo-mesh or to the rules cannot leave the
// explanation wrong without a failing test.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "test_util.h"

namespace meshlint {
namespace {

TEST(CiDemo, FindingsAreTheOnesCiDemoExplains) {
  auto r = testing::RunMeshlint({"lint", "examples/demo-mesh", "--quiet"}, testing::SourceDir());
  EXPECT_EQ(r.status, 1) << r.err;
  // "path:line:col: severity [rule]" of each line, without the message.
  std::vector<std::string> got;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    auto end = line.find("] ");
    got.push_back(end == std::string::npos ? line : line.substr(0, end + 1));
  }
  const std::vector<std::string> expected = {
      "examples/demo-mesh/debian.yaml:7:3: warning [serviceentry-exported-to-all]",
      "examples/demo-mesh/mesh.yaml:10:3: error [mesh-outbound-allow-any]",
      "examples/demo-mesh/namespaces.yaml:11:9: warning [namespace-without-sidecar]",
      "examples/demo-mesh/namespaces.yaml:26:9: warning [namespace-without-sidecar]",
  };
  EXPECT_EQ(got, expected) << "the demo's findings changed: update the explanation in ci/demo "
                              "and then this list\n"
                           << r.out;
  EXPECT_NE(r.out.find("Namespace 'default'"), std::string::npos);
  EXPECT_NE(r.out.find("Namespace 'newguy'"), std::string::npos);
}

}  // namespace
}  // namespace meshlint
