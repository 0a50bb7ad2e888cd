'use strict';
// small-run — the kind of short script a Loopscope user runs again and again: a little of
// everything the event loop does (sync code, a nextTick, promises, a timer, an immediate, a
// file read), a few hundred KB of garbage, and a couple of lines of output.
const fs = require('fs');

const items = Array.from({ length: 20_000 }, (_, i) => ({ i, s: `v${i}` }));
let sum = items.reduce((a, it) => a + it.i, 0);
process.nextTick(() => { sum += 1; });
(async () => {
  for (let i = 0; i < 100; i++) sum += await Promise.resolve(i);
})();
setTimeout(() => {
  setImmediate(() => {
    fs.readFile(__filename, (err, data) => {
      if (err) throw err;
      console.log(`small-run sum=${sum} bytes=${data.length}`);
    });
  });
}, 1);
