// A run long enough to be followed while it grows: timers, ticks, promises and immediates
// spread over about half a second.
let left = 60;
const timer = setInterval(() => {
  process.nextTick(() => {});
  Promise.resolve().then(() => {}).then(() => {});
  setImmediate(() => {});
  const until = Date.now() + 2;
  while (Date.now() < until) {}
  if (--left === 0)
    clearInterval(timer);
}, 5);
