'use strict';
// naive-recorder — the baseline a tracer has to beat (issue 4's benchmarks): what anyone would
// write first with async_hooks. Preloaded with `node --require naive-recorder.js app.js`, it
// pushes one object per init/before/after/destroy into an array and keeps them all in memory,
// as a recorder that writes them out at exit would. It prints nothing (the output must stay the
// app's); with NAIVE_RECORDER_REPORT=1 it writes the event count to stderr at exit.
const { createHook } = require('async_hooks');
const { performance } = require('perf_hooks');

const events = [];
createHook({
  init(asyncId, type, triggerAsyncId) {
    events.push({ kind: 'init', time: performance.now(), asyncId, type, triggerAsyncId });
  },
  before(asyncId) {
    events.push({ kind: 'before', time: performance.now(), asyncId });
  },
  after(asyncId) {
    events.push({ kind: 'after', time: performance.now(), asyncId });
  },
  destroy(asyncId) {
    events.push({ kind: 'destroy', time: performance.now(), asyncId });
  },
}).enable();

if (process.env.NAIVE_RECORDER_REPORT === '1')
  process.on('exit', () => process._rawDebug(`naive-recorder events=${events.length}`));
