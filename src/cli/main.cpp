#include <iostream>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "cli/cli.h"
#include "cli/file_output.h"
#include "cli/held.h"

int main(int argc, char** argv) {
#if defined(__GLIBC__)
  // Blocks of 128 KiB and more get their own mapping, given back to the
  // system when freed. glibc starts there but raises the bound each time
  // such a block is freed (up to 32 MiB): once the model's vectors have
  // grown, the file texts, the per-file results and the rules' finding
  // lists would come from the heap instead, and their pages stay resident
  // after they are freed. Fixed, lint's peak on 100k objects is about 12 MB
  // lower (docs/performance.md, "Memory").
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
  // The process ends when RunCli returns: the model is left to the system
  // to reclaim instead of being freed piece by piece (cli/held.h).
  meshlint::EndProcessAfterCommand();
  // stdout and stderr through FdStreambuf, so that a failed write says why
  // ("No space left on device") and makes the exit status 2.
  meshlint::FdStreambuf out_buf(1), err_buf(2);
  std::ostream out(&out_buf), err(&err_buf);
  err.setf(std::ios::unitbuf);  // as std::cerr: each message as it is told
  return meshlint::RunCli(argc, argv, out, err);
}
