#include <gtest/gtest.h>

#include "test_util.h"

TEST(Smoke, Loads) {
  auto m = meshlint::testing::LoadFiles(
      {{"a.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n"}});
  EXPECT_EQ(m.namespaces.size(), 1u);
}
