// fs.readFile is several steps, each one a trip to the thread pool
// Loopscope lesson: async_hooks shows each request readFile makes; a pool of one busy worker delays them all.
const async_hooks = require('async_hooks');
const crypto = require('crypto');
const fs = require('fs');
const { fork } = require('child_process');

if (process.argv[2] !== 'child') {
  // The pool size is read once per process, so run the lesson in a child with a pool of one.
  fork(__filename, ['child'], { env: { ...process.env, UV_THREADPOOL_SIZE: '1' } });
  return;
}

// Part 1: which requests does one readFile make? Log the async resources it creates.
const requests = [];
const hook = async_hooks.createHook({
  init(id, type) { if (type.startsWith('FSREQ')) requests.push(type); },
});
hook.enable();
fs.readFile(__filename, (err, data) => {
  hook.disable();
  console.log(`readFile made ${requests.length} thread-pool requests: ${requests.join(', ')}`);
  console.log('(for this small file: open, fstat, read, close; each starts when the previous one is done)');
  part2();
});

// Part 2: with one worker busy hashing, readFile has to wait its turn in the pool's queue.
function part2() {
  const events = [];
  crypto.pbkdf2('secret', 'salt', 300000, 64, 'sha512', () => events.push('hash'));
  fs.readFile(__filename, () => events.push('readFile'));
  setTimeout(() => events.push('timer (main thread is free)'), 0);
  const check = setInterval(() => {
    if (events.length < 3) return;
    clearInterval(check);
    events.forEach((e, i) => console.log(`${i + 1}. ${e}`));
  }, 5);
}
