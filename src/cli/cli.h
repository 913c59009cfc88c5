// The command line. The only code that touches Boost.Program_options.
#pragma once

#include <iosfwd>

namespace meshlint {

// Exit statuses, the same for every output format.
enum ExitStatus { kExitClean = 0, kExitFindings = 1, kExitUsage = 2 };

int RunCli(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace meshlint
