#include <iostream>

#include "cli/cli.h"
#include "cli/file_output.h"

// stdout and stderr through FdStreambuf, so that a failed write says why
// ("No space left on device") and makes the exit status 2.
int main(int argc, char** argv) {
  meshlint::FdStreambuf out_buf(1), err_buf(2);
  std::ostream out(&out_buf), err(&err_buf);
  err.setf(std::ios::unitbuf);  // as std::cerr: each message as it is told
  return meshlint::RunCli(argc, argv, out, err);
}
