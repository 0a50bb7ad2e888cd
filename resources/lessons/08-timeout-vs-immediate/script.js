// setTimeout 0 vs setImmediate in the main module: run it 20 times
// Loopscope lesson: the same two lines, run in 20 fresh processes. Count the orders.
const { fork } = require('child_process');

if (process.argv[2] === 'child') {
  // The race itself, exactly as a student would write it in a main module.
  const order = [];
  const report = (name) => {
    order.push(name);
    if (order.length === 2) process.send(order[0], () => process.disconnect());
  };
  setTimeout(() => report('timeout'), 0);
  setImmediate(() => report('immediate'));
  return;
}

const RUNS = 20;
const AT_ONCE = 4; // a few processes at a time, to keep the lesson quick
let started = 0;
let finished = 0;
let timeoutFirst = 0;
let immediateFirst = 0;

function startOne() {
  const run = ++started;
  const child = fork(__filename, ['child']);
  let first;
  child.on('message', (m) => { first = m; });
  child.on('exit', (code) => {
    if (code !== 0 || !first) throw new Error(`run ${run} failed (exit code ${code})`);
    if (first === 'timeout') timeoutFirst++; else immediateFirst++;
    if (++finished === RUNS) report();
    else if (started < RUNS) startOne();
  });
}

function report() {
  console.log(`timeout first:   ${timeoutFirst} of ${RUNS} runs`);
  console.log(`immediate first: ${immediateFirst} of ${RUNS} runs`);
  console.log(`runs counted:    ${timeoutFirst + immediateFirst}`);
}

for (let i = 0; i < AT_ONCE; i++) startOne();
