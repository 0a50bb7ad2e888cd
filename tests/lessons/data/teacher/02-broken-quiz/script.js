// A broken quiz
console.log("one");
setImmediate(() => console.log("three"));
process.nextTick(() => console.log("two"));
