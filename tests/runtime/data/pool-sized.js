// Twelve pbkdf2 jobs submitted at once: more than the largest pool tested (8), so every worker
// of the pool is busy together. Prints each job's hash in job order, which does not depend on
// the pool size, so the output is node's whatever UV_THREADPOOL_SIZE is.
const crypto = require('crypto');
const JOBS = 12;
const hashes = [];
let done = 0;
for (let i = 0; i < JOBS; i++)
  crypto.pbkdf2('secret', `salt ${i}`, 200000, 16, 'sha512', (err, key) => {
    hashes[i] = key.toString('hex');
    if (++done === JOBS)
      hashes.forEach((h, j) => console.log(`job ${j}: ${h}`));
  });
console.log(`submitted ${JOBS} jobs`);
