// The thread pool: six pbkdf2 hashes on four workers
// Loopscope lesson — crypto.pbkdf2 runs on libuv's thread pool, which has 4 workers by default
// (UV_THREADPOOL_SIZE). Four hashes start together; the last two wait for a free worker, so they
// finish about one hash-time later than the first four.
const crypto = require('crypto');
const start = Date.now();
for (let i = 1; i <= 6; i++) {
  crypto.pbkdf2('secret', 'salt', 100000, 64, 'sha512', () => {
    console.log(`hash ${i} done after ~${Math.round((Date.now() - start) / 10) * 10} ms`);
  });
}
console.log('six hashes submitted; the main thread is free');
