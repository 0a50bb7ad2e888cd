// Which timers are due depends on loop time: a 150 ms busy callback makes the 100 ms timer due
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
setTimeout(() => console.log('timeout 100'), 100);
setImmediate(() => {
  const start = Date.now();
  while (Date.now() - start < 150) {}
  setImmediate(() => console.log('after busy'));
});
