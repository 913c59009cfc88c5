#!/usr/bin/env python3
"""Runs a command and prints its wall time (s), peak RSS (KB), exit status and
the size of its standard output (bytes).

    bench/timed.py [--timeout SECONDS] ERRFILE CMD [ARG...]

stdout is counted and dropped, stderr goes to ERRFILE. The wall time is
measured around the child with a microsecond clock (GNU time's own is in 10 ms
steps). The peak RSS comes from GNU time (/usr/bin/time), whose small process
is what the child forks from; a child forked from Python would count Python's
pages too. A run that outlives --timeout is killed with its process group and
reported with status 124 and the timeout as its time. Used by ci/bench.
"""
import os
import selectors
import signal
import subprocess
import sys
import tempfile
import time


def main():
    args = sys.argv[1:]
    timeout = None
    if args[:1] == ["--timeout"]:
        timeout, args = float(args[1]), args[2:]
    err_path, cmd = args[0], args[1:]
    fd, rss_path = tempfile.mkstemp(prefix="meshlint-bench-")
    os.close(fd)
    out_bytes, timed_out = 0, False
    try:
        with open(err_path, "wb") as err:
            start = time.perf_counter()
            child = subprocess.Popen(["/usr/bin/time", "-f", "%M %x", "-o", rss_path] + cmd,
                                     stdout=subprocess.PIPE, stderr=err, start_new_session=True)
            sel = selectors.DefaultSelector()
            sel.register(child.stdout, selectors.EVENT_READ)
            while True:
                left = None if timeout is None else timeout - (time.perf_counter() - start)
                if left is not None and left <= 0:
                    timed_out = True
                    os.killpg(child.pid, signal.SIGKILL)
                    break
                if not sel.select(left):
                    continue
                chunk = os.read(child.stdout.fileno(), 1 << 20)
                if not chunk:
                    break
                out_bytes += len(chunk)
            status = child.wait()
            elapsed = time.perf_counter() - start
        if timed_out:
            print(f"{timeout:.4f} 0 124 {out_bytes}")
            return
        with open(rss_path) as f:
            # "Command exited with non-zero status N" comes first when N != 0.
            peak_kb, child_status = f.read().split("\n")[-2].split()
    finally:
        os.unlink(rss_path)
    print(f"{elapsed:.4f} {peak_kb} {child_status if status == int(child_status) else status} {out_bytes}")


if __name__ == "__main__":
    main()
