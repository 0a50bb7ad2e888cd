#!/usr/bin/env python3
# compare.py — ad-hoc alternating timing of several commands (used for docs/benchmarks.md's
# start-up investigation). Runs each command in turn, N rounds, stdio to /dev/null, and prints
# the median wall-clock (fork..wait4, monotonic ns) and user+system CPU time of each.
#   scripts/buildroot python3 bench/startup/compare.py N "label:command args" ...
import os, statistics, sys, time


def timed(argv):
    """Runs argv with stdio on /dev/null; returns (fork time, reap time) in monotonic ns and the
    child's user+system CPU in ms. Exits if it fails."""
    t0 = time.monotonic_ns()
    pid = os.fork()
    if pid == 0:
        fd = os.open('/dev/null', os.O_RDWR)
        for i in (0, 1, 2):
            os.dup2(fd, i)
        try:
            os.execv(argv[0], argv)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    t1 = time.monotonic_ns()
    if status != 0:
        sys.exit(f'{" ".join(argv)}: failed with status {status}')
    return t0, t1, (usage.ru_utime + usage.ru_stime) * 1e3


def main():
    n = int(sys.argv[1])
    specs = [s.split(':', 1) for s in sys.argv[2:]]
    res = {label: ([], []) for label, _ in specs}
    for _ in range(n):
        for label, cmd in specs:
            t0, t1, cpu = timed(cmd.split())
            res[label][0].append((t1 - t0) / 1e6)
            res[label][1].append(cpu)
    for label, _ in specs:
        wall, cpu = res[label]
        print(f'{label:28s} wall median {statistics.median(wall):7.1f} ms   cpu median {statistics.median(cpu):7.1f} ms')


if __name__ == '__main__':
    main()
