// fs.readFile is several steps, each one a trip to the thread pool
// Loopscope lesson: async_hooks shows each request readFile makes; a pool of one busy worker delays them all.
const async_hooks = require('async_hooks');
const crypto = require('crypto');
const fs = require('fs');
// The pool has one worker here: lesson.json asks for "threadPoolSize": 1 (the Thread pool selector).

// Part 1: which requests does one readFile make? Record the async resources it creates; each
// FSREQCALLBACK is one request to the thread pool, and its oncomplete is the internal function that
// continues readFile when that request is done.
const requests = [];
const hook = async_hooks.createHook({
  init(id, type, triggerId, resource) { if (type === 'FSREQCALLBACK') requests.push(resource); },
});
hook.enable();
fs.readFile(__filename, (err, data) => {
  hook.disable();
  console.log(`readFile made ${requests.length} thread-pool requests, one after another:`);
  requests.forEach((req, i) => console.log(`  ${i + 1}. done, continue in ${req.oncomplete.name}`));
  console.log(`and returned ${data.length === fs.statSync(__filename).size ? 'the whole file' : 'a part'}`);
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
