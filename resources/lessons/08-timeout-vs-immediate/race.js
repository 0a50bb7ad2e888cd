// The race on its own: setTimeout 0 and setImmediate in the main module
console.log('main module starts');
setTimeout(() => console.log('timeout'), 0);
setImmediate(() => console.log('immediate'));
process.nextTick(() => console.log('nextTick'));
console.log('main module ends');
