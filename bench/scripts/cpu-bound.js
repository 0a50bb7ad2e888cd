'use strict';
// cpu-bound — pure synchronous JavaScript: no I/O, no timers, no promises, one line of output.
// A mix of what scripts spend CPU on: integer arithmetic in typed arrays (a prime sieve),
// string building and hashing, and allocating, sorting and reducing small objects.
//   node cpu-bound.js [scale]      scale 1 (the default) is the benchmark; 0.01 is a quick check
// With CPU_BOUND_TIMES=1 it also prints, on stderr, the wall time of its own work and the CPU
// time of its own thread over it (Linux: /proc/thread-self/schedstat, ns): what a profiler
// costs the script while it runs, apart from the process's start-up and shutdown.
const scale = Number(process.argv[2] ?? 1);
const timed = process.env.CPU_BOUND_TIMES === '1';
function threadCpuNs() {
  try {
    return Number(require('fs').readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]);
  } catch {
    return NaN;
  }
}
const wall0 = timed ? process.hrtime.bigint() : 0n;
const cpu0 = timed ? threadCpuNs() : 0;

function sieve(limit) {
  const composite = new Uint8Array(limit + 1);
  let sum = 0;
  for (let i = 2; i <= limit; i++) {
    if (composite[i]) continue;
    sum = (sum + i) % 1_000_000_007;
    for (let j = i * i; j <= limit; j += i) composite[j] = 1;
  }
  return sum;
}

function fnv1a(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

function strings(count) {
  let h = 0;
  for (let i = 0; i < count; i++)
    h = (h ^ fnv1a(`item-${i}:${(i * 2654435761) >>> 0}`)) >>> 0;
  return h;
}

function objects(count) {
  let total = 0;
  for (let round = 0; round < 10; round++) {
    const items = [];
    for (let i = 0; i < count / 10; i++)
      items.push({ id: i, key: (((i + round) * 2654435761) >>> 0) % 100_003, tag: `t${i % 97}` });
    items.sort((a, b) => a.key - b.key || a.id - b.id);
    total = items.reduce((acc, it, idx) => (acc + it.key * (idx % 13) + it.tag.length) % 1_000_000_007, total);
  }
  return total;
}

const a = sieve(Math.round(12_000_000 * scale));
const b = strings(Math.round(1_000_000 * scale));
const c = objects(Math.round(600_000 * scale));
console.log(`cpu-bound scale=${scale} primes=${a} strings=${b} objects=${c}`);
if (timed)
  console.error(`work-ns ${process.hrtime.bigint() - wall0} ${threadCpuNs() - cpu0}`);
