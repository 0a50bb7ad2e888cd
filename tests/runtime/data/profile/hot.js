'use strict';
// A CPU-bound script with one obviously hot function, run after a timer so that its samples
// fall inside one Timeout callback of the trace.
function hotLoop(ms) {
  const end = Date.now() + ms;
  let x = 0;
  while (Date.now() < end)
    for (let i = 0; i < 1000; i++) x = (x * 31 + i) % 1000003;
  return x;
}

function coldStart() {
  return [1, 2, 3].map(String).join(',');
}

coldStart();
setTimeout(function onTimer() {
  console.log('hot', hotLoop(Number(process.argv[2] || 300)) >= 0);
}, 5);
