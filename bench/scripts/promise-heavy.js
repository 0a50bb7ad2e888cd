'use strict';
// promise-heavy — exactly N awaits (default 1 000 000), spread over 100 concurrent async workers
// so that the microtask queue is always full. Every await waits for a fresh promise that settles
// only in a later microtask (queueMicrotask) and passes through a .then() reaction, so each await
// costs promise creation, resolution, a reaction job and the async function's resumption — not
// just an already-settled value. Prints the number of awaits and a checksum of the values.
//   node promise-heavy.js [awaits]
const total = Number(process.argv[2] ?? 1_000_000);
const workers = 100;

const step = (x) => (x * 31 + 7) % 1_000_003;
const later = (x) => new Promise((resolve) => queueMicrotask(() => resolve(x))).then(step);

let awaits = 0;
async function worker(seed, count) {
  let x = seed;
  for (let i = 0; i < count; i++) {
    x = await later(x);
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
