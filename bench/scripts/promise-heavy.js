'use strict';
// promise-heavy — exactly N awaits (default 1 000 000), spread over 100 concurrent async
// workers so the microtask queue stays busy and promises are really created, resolved and
// awaited (not only already-settled values). Prints a checksum of the awaited values.
//   node promise-heavy.js [awaits]
const total = Number(process.argv[2] ?? 1_000_000);
const workers = 100;

// An async function: every call allocates a promise that settles a microtask later.
async function next(x) {
  return (x * 31 + 7) % 1_000_003;
}

let awaits = 0;
async function worker(seed, count) {
  let x = seed;
  for (let i = 0; i < count; i++) {
    x = await next(x);
    awaits++;
  }
  return x;
}

(async () => {
  const per = Math.floor(total / workers);
  const counts = Array.from({ length: workers }, (_, w) => per + (w < total - per * workers ? 1 : 0));
  const results = await Promise.all(counts.map((count, w) => worker(w + 1, count)));
  const checksum = results.reduce((a, b) => (a * 33 + b) % 1_000_000_007, 0);
  console.log(`promise-heavy awaits=${awaits} checksum=${checksum}`);
})();
