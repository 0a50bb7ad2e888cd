// The thread pool: six pbkdf2 hashes on a pool of four workers
// Loopscope lesson: crypto.pbkdf2 runs on libuv's thread pool. The pool size comes from lesson.json
// (4); try 2 and 8 with the Thread pool selector in the toolbar, then run again.
const crypto = require('crypto');
const fs = require('fs');

const HASHES = 6;

// Linux only: the CPU time (in clock ticks) each libuv worker thread has used so far, by thread id.
function workerCpuTicks() {
  const ticks = new Map();
  if (!fs.existsSync('/proc/self/task')) return ticks;
  for (const tid of fs.readdirSync('/proc/self/task')) {
    const dir = `/proc/self/task/${tid}`;
    if (fs.readFileSync(`${dir}/comm`, 'utf8').trim() !== 'libuv-worker') continue;
    const fields = fs.readFileSync(`${dir}/stat`, 'utf8').split(') ')[1].split(' ');
    ticks.set(tid, Number(fields[11]) + Number(fields[12]));  // utime + stime
  }
  return ticks;
}

const before = workerCpuTicks();
const start = Date.now();
const finished = [];
console.log(`${HASHES} pbkdf2 hashes, submitted all at once:`);
for (let i = 1; i <= HASHES; i++) {
  crypto.pbkdf2('secret', 'salt', 250000, 64, 'sha512', () => {
    finished.push(Date.now() - start);
    if (finished.length === HASHES) report();
  });
}

function report() {
  console.log(`  hashes finished after (ms): ${finished.join(', ')}`);
  const after = workerCpuTicks();
  if (after.size === 0) return;  // not Linux: the Thread-pool pane shows the workers
  // Each hash costs the same CPU time, wherever and whenever it runs: a worker's share of the
  // CPU time the pool used says how many hashes it ran.
  const used = [...after].map(([tid, ticks]) => ticks - (before.get(tid) || 0));
  const total = used.reduce((sum, t) => sum + t, 0);
  const perWorker = used.map((t) => Math.round((t * HASHES) / total)).sort((a, b) => b - a);
  console.log(`  thread pool: ${after.size} workers`);
  console.log(`  hashes per worker (from their CPU time): ${perWorker.join(', ')}`);
}
