// cli/held.h: what a command keeps to its end is freed as usual in a process
// that goes on (every test here), and left in place only once main has said
// the process ends with the command.
#include "cli/held.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace meshlint::testing {
namespace {

struct CountsItsEnd {
  explicit CountsItsEnd(int* ends) : ends(ends) {}
  ~CountsItsEnd() { ++*ends; }
  int* ends;
};

TEST(HeldValue, FreedAsUsualWhenTheProcessGoesOn) {
  ASSERT_FALSE(ProcessEndsAfterCommand());
  int ends = 0;
  { const Held<CountsItsEnd> held = MakeHeld<CountsItsEnd>(&ends); }
  EXPECT_EQ(ends, 1);
}

TEST(HeldValue, LeftInPlaceOnceTheProcessEndsWithTheCommand) {
  // In a child process: the promise cannot be taken back.
  EXPECT_EXIT(
      {
        EndProcessAfterCommand();
        int ends = 0;
        { const Held<CountsItsEnd> held = MakeHeld<CountsItsEnd>(&ends); }
        std::_Exit(ends == 0 ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace meshlint::testing
