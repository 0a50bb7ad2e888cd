// Prints how many built-in modules were loaded before the main module ran, and how long
// require('stream') takes at this point (0 if something loaded it already).
const loaded = process.moduleLoadList.slice();
const { performance } = require('perf_hooks');
const t = performance.now();
require('stream');
const streamMs = performance.now() - t;
console.log(JSON.stringify({ count: loaded.length, streamMs, list: loaded }));
