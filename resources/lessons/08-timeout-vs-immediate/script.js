// setTimeout 0 vs setImmediate: a race decided by the loop's millisecond clock
// Loopscope lesson: the same two lines, raced 20 times. Count the orders.
const RUNS = 20;
const results = [];  // per race: [ms of work after scheduling, which callback ran first]

// Keeps the thread busy for `ms` milliseconds, like a main module that still has work to do.
function work(ms) {
  const until = process.hrtime.bigint() + BigInt(Math.round(ms * 1e6));
  while (process.hrtime.bigint() < until);
}

function race(n) {
  const workMs = n / 10;  // 0.0, 0.1, ... 1.9 ms
  const order = [];
  const ran = (name) => {
    order.push(name);
    if (order.length < 2) return;
    results.push([workMs, order[0]]);
    if (n + 1 < RUNS) setImmediate(() => race(n + 1));  // the next race, from the check phase
    else report();
  };
  setTimeout(() => ran('timeout'), 0);
  setImmediate(() => ran('immediate'));
  work(workMs);
}

function report() {
  const count = (under, first) =>
    results.filter(([ms, f]) => (ms < 1) === under && f === first).length;
  console.log(`less than 1 ms of work: timeout first ${count(true, 'timeout')}, immediate first ${count(true, 'immediate')}`);
  console.log(`1 ms of work or more:   timeout first ${count(false, 'timeout')}, immediate first ${count(false, 'immediate')}`);
}

// Every race starts in a setImmediate callback: after it, the loop goes round to the timers phase
// before it reaches the check phase again, just as a main module's loop starts with timers.
setImmediate(() => race(0));
