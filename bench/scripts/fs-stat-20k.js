'use strict';
// fs-stat-20k — N asynchronous fs.stat calls (default 20 000), 64 in flight at a time, over the
// files of node's own library folder and this folder: the thread pool and the I/O completion
// path are the work (each stat is a pool task and a FSREQCALLBACK in the poll phase). Prints how
// many completed and a checksum of the sizes, which does not depend on the completion order.
//   node fs-stat-20k.js [stats]
const fs = require('fs');
const path = require('path');
const total = Number(process.argv[2] ?? 20_000);
const inFlight = 64;

const files = fs.readdirSync(__dirname).map((f) => path.join(__dirname, f)).sort();
let started = 0, done = 0, checksum = 0;

function next() {
  if (started >= total)
    return;
  const i = started++;
  fs.stat(files[i % files.length], (err, st) => {
    if (err)
      throw err;
    done++;
    checksum = (checksum + st.size * ((i % 13) + 1)) % 1_000_000_007;
    next();
  });
}
for (let k = 0; k < inFlight; k++)
  next();

process.on('exit', () => console.log(`fs-stat stats=${total} done=${done} checksum=${checksum}`));
