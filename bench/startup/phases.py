#!/usr/bin/env python3
# phases.py — wall time of a runtime's start-up and teardown, split where the main module starts.
# Runs each command in turn, N rounds, with bench/startup/mark.js as its script (it writes the
# monotonic time at which the main module starts), and prints medians of
#   start: fork → main module runs     end: main module → the process has been reaped
# plus the whole, and user+system CPU.
#   scripts/buildroot python3 bench/startup/phases.py N "label:command args" ...
# Each command gets mark.js and its output file appended, e.g. "node:/usr/bin/node" or
# "loopscope:build/app/loopscope run".
import os, statistics, sys, tempfile

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
from compare import timed  # noqa: E402

mark = os.path.join(here, 'mark.js')
n = int(sys.argv[1])
specs = [s.split(':', 1) for s in sys.argv[2:]]
res = {label: ([], [], [], []) for label, _ in specs}
with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, 'mark')
    for _ in range(n):
        for label, cmd in specs:
            t0, t1, cpu = timed(cmd.split() + [mark, out])
            with open(out) as f:
                tm = int(f.read())
            os.unlink(out)
            start, end, whole, cpus = res[label]
            start.append((tm - t0) / 1e6)
            end.append((t1 - tm) / 1e6)
            whole.append((t1 - t0) / 1e6)
            cpus.append(cpu)
print(f'{"median of " + str(n) + ", ms":28s} {"start":>8s} {"end":>8s} {"whole":>8s} {"cpu":>8s}')
for label, _ in specs:
    start, end, whole, cpu = res[label]
    print(f'{label:28s} {statistics.median(start):8.1f} {statistics.median(end):8.1f} '
          f'{statistics.median(whole):8.1f} {statistics.median(cpu):8.1f}')
