// Which timers are due depends on loop time: a 400 ms busy callback makes the 300 ms timer due
// in the next iteration (running time is loop time); the 1000 ms timer must come after the
// whole immediate chain, however long anyone looks at a paused run (paused time is not).
setTimeout(() => console.log('timeout 1000'), 1000);
let n = 0;
function chain() {
  console.log('immediate ' + ++n);
  if (n < 5)
    setImmediate(chain);
}
setImmediate(chain);
setTimeout(() => console.log('timeout 300'), 300);
setImmediate(() => {
  const start = Date.now();
  while (Date.now() - start < 400) {}
  setImmediate(() => console.log('after busy'));
});
