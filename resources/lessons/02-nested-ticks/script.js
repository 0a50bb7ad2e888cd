// nextTick callbacks queued while the nextTick queue drains
// Loopscope lesson — run it, then predict the order before you read the output.
// nextTick callbacks queued while the nextTick queue drains run before any promise.
Promise.resolve().then(() => console.log('promise 1'));
process.nextTick(() => {
  console.log('tick 1');
  process.nextTick(() => console.log('tick 1.1'));
});
process.nextTick(() => console.log('tick 2'));
Promise.resolve().then(() => {
  console.log('promise 2');
  process.nextTick(() => console.log('tick from promise 2'));
  Promise.resolve().then(() => console.log('promise 2.1'));
});
