// Inside an I/O callback: setImmediate before setTimeout 0
// Loopscope lesson — run it, then predict the order before you read the output.
// Inside an I/O callback, setImmediate always runs before a 0 ms timer:
// the check phase follows the poll phase in the same loop iteration.
const fs = require('fs');
fs.readFile(__filename, () => {
  setTimeout(() => console.log('timeout'), 0);
  setImmediate(() => console.log('immediate'));
  process.nextTick(() => console.log('nextTick'));
});
