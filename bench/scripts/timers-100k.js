'use strict';
// timers-100k — N timers (default 100 000), all created up front with delays of 0–9 ms, so
// libuv's timer heap, node's per-duration timer lists and the timer callbacks are the work.
// Timers with i % 5 === 0 cancel timer i + 10 (same delay, created later, so always still
// pending) unless they were cancelled themselves: 10 000 never fire. Timers with i % 5 === 2
// re-arm once with refresh(): 20 000 fire twice. So 110 000 callbacks run in all. Prints how many
// fired and a checksum that does not depend on the firing order across delays (which varies
// with load, under node too).
//   node timers-100k.js [timers]
const total = Number(process.argv[2] ?? 100_000);

let fired = 0;
let checksum = 0;
const timers = new Array(total);
const refreshed = new Uint8Array(total);

for (let i = 0; i < total; i++) {
  timers[i] = setTimeout(() => {
    fired++;
    checksum = (checksum + i * (i % 7 + 1)) % 1_000_000_007;
    if (i % 5 === 0 && i + 10 < total)
      clearTimeout(timers[i + 10]);
    if (i % 5 === 2 && !refreshed[i]) {
      refreshed[i] = 1;
      timers[i].refresh();
    }
  }, i % 10);
}

process.on('exit', () => {
  console.log(`timers-100k timers=${total} fired=${fired} checksum=${checksum}`);
});
