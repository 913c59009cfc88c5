#!/usr/bin/env python3
"""Runs a command and prints its wall time (s), peak RSS (KB) and exit status.

    bench/timed.py ERRFILE CMD [ARG...]

stdout is discarded, stderr goes to ERRFILE. The wall time is measured around
the child with a microsecond clock (GNU time's own is in 10 ms steps). The
peak RSS comes from GNU time (/usr/bin/time), whose small process is what the
child forks from; a child forked from Python would count Python's pages too.
Used by ci/bench.
"""
import os
import subprocess
import sys
import tempfile
import time


def main():
    err_path, cmd = sys.argv[1], sys.argv[2:]
    fd, rss_path = tempfile.mkstemp(prefix="meshlint-bench-")
    os.close(fd)
    try:
        with open(err_path, "wb") as err:
            start = time.perf_counter()
            status = subprocess.run(["/usr/bin/time", "-f", "%M %x", "-o", rss_path] + cmd,
                                    stdout=subprocess.DEVNULL, stderr=err).returncode
            elapsed = time.perf_counter() - start
        with open(rss_path) as f:
            # "Command exited with non-zero status N" comes first when N != 0.
            peak_kb, child_status = f.read().split("\n")[-2].split()
    finally:
        os.unlink(rss_path)
    print(f"{elapsed:.4f} {peak_kb} {child_status if status == int(child_status) else status}")


if __name__ == "__main__":
    main()
