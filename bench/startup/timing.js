// Prints node's start-up milestones (performance.nodeTiming, ms since the process's time origin)
// and when the main module started.
const { performance } = require('perf_hooks');
const atMain = performance.now();
setImmediate(() => {
  const t = performance.nodeTiming;
  console.log(['nodeStart', 'v8Start', 'environment', 'bootstrapComplete', 'loopStart']
    .map((k) => `${k}=${t[k].toFixed(1)}`).join(' '), `main=${atMain.toFixed(1)}`);
});
