// The main module, nextTick, promises, timers and immediates
// Loopscope lesson — run it, then predict the order before you read the output.
// Synchronous code, then the nextTick queue, then promise microtasks,
// then the timers phase and the check phase.
const fs = require('fs');
console.log('sync start');
setImmediate(() => console.log('immediate'));
process.nextTick(() => console.log('nextTick'));
Promise.resolve().then(() => console.log('promise'));
queueMicrotask(() => console.log('queueMicrotask'));
console.log('sync end');
