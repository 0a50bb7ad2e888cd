// A timeout refreshed in its own run and then cleared before it runs again: the refresh arms it
// once more, the clearTimeout() disarms it. Armed timers: 1 (made), 0 (its run), 1 (refreshed),
// 0 once cleared (the destroy), with keepLoop on top.
const timer = setTimeout(function refreshThenClear() {
  console.log('ran');
  timer.refresh();
  setImmediate(function clear() {
    clearTimeout(timer);
    console.log('cleared');
    // node hands destroys to the hooks from a later check phase: keep the loop for one more.
    setTimeout(function keepLoop() {}, 20);
  });
}, 5);
