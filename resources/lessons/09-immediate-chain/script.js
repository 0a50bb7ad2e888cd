// Immediates scheduled from immediates wait one iteration
// Loopscope lesson — run it, then predict the order before you read the output.
// An immediate scheduled from an immediate waits for the next loop iteration;
// the nextTick queue drains between two immediates of the same check phase.
setImmediate(() => {
  console.log('immediate 1');
  setImmediate(() => console.log('immediate 3 (next iteration)'));
  process.nextTick(() => console.log('tick after immediate 1'));
  Promise.resolve().then(() => console.log('promise after immediate 1'));
});
setImmediate(() => console.log('immediate 2'));
