// Related locations name the other objects involved in a finding, so a
// reviewer sees in SARIF viewers (and the JSON) what grants the access.
#include <gtest/gtest.h>

#include "test_util.h"

namespace meshlint {
namespace {

std::string Se(const std::string& name, const std::string& ns, const std::string& export_to) {
  return "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: " + name +
         "\n  namespace: " + ns + "\nspec:\n  hosts: [" + name + ".example.com]\n" + export_to;
}

TEST(RelatedLocations, NamespaceWithoutSidecarNamesTheGrantingServiceEntries) {
  MeshModel model = testing::LoadFiles({
      {"ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n"},
      {"open.yaml", Se("open", "infra", "")},                             // to all (mesh default)
      {"named.yaml", Se("named", "infra", "  exportTo: [team]\n")},       // to team by name
      {"other.yaml", Se("other", "infra", "  exportTo: [elsewhere]\n")},  // not to team
  });
  const Finding* team = nullptr;
  std::vector<Finding> findings = RunRules(model, {});
  for (const Finding& f : findings)
    if (f.rule_id == "namespace-without-sidecar" && f.diag.object.name == "team") team = &f;
  ASSERT_NE(team, nullptr);
  std::vector<std::string> related;
  for (const RelatedLocation& r : team->diag.related)
    related.push_back(model.files.display(r.loc.file) + ":" + std::to_string(r.loc.line) + " " +
                      r.message);
  EXPECT_EQ(related,
            (std::vector<std::string>{
                "named.yaml:4 ServiceEntry 'named' adds its hosts to this namespace's registry",
                "open.yaml:4 ServiceEntry 'open' adds its hosts to this namespace's registry",
            }));
}

TEST(RelatedLocations, AtMostFiveGrants) {
  std::vector<std::pair<std::string, std::string>> files = {
      {"ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n"}};
  for (int i = 0; i < 8; ++i)
    files.push_back(
        {"se" + std::to_string(i) + ".yaml", Se("se" + std::to_string(i), "infra", "")});
  MeshModel model = testing::LoadFiles(files);
  int seen = 0;
  for (const Finding& f : RunRules(model, {})) {
    if (f.rule_id != "namespace-without-sidecar" || f.diag.object.name != "team") continue;
    ++seen;
    EXPECT_EQ(f.diag.related.size(), 5u);
    EXPECT_NE(f.diag.message.find("8 external hosts"), std::string::npos) << f.diag.message;
  }
  EXPECT_EQ(seen, 1);
}

}  // namespace
}  // namespace meshlint
