// Blocking the loop: measure the lag a busy callback causes
// Loopscope lesson: a 10 ms interval measures how late the loop is; one callback blocks it for 300 ms.
const { monitorEventLoopDelay } = require('perf_hooks');

const histogram = monitorEventLoopDelay({ resolution: 10 });
histogram.enable();

const PERIOD = 10;
let expected = Date.now() + PERIOD;
let worstLag = 0;
let ticks = 0;
const ticker = setInterval(() => {
  const now = Date.now();
  worstLag = Math.max(worstLag, now - expected);  // how late this tick ran
  expected = now + PERIOD;
  ticks++;
}, PERIOD);

setTimeout(() => {
  console.log('timer: blocking the loop for 300 ms');
  const until = Date.now() + 300;
  while (Date.now() < until) {}  // no other callback can run now, not even the interval
  console.log('timer: done blocking');
}, 50);

setTimeout(() => {
  clearInterval(ticker);
  histogram.disable();
  console.log(`interval ticks ran: ${ticks > 0 ? 'yes' : 'no'}`);
  console.log(`worst interval lag: ${worstLag >= 250 ? 'at least 250 ms' : 'under 250 ms'}`);
  const maxMs = histogram.max / 1e6;  // the histogram counts nanoseconds
  console.log(`monitorEventLoopDelay max: ${maxMs >= 250 ? 'at least 250 ms' : 'under 250 ms'}`);
}, 500);
