// No explanation
console.log("one");
setImmediate(() => console.log("three"));
process.nextTick(() => console.log("two"));
