// The thread pool: six pbkdf2 hashes with 4, 2 and 8 workers
// Loopscope lesson: crypto.pbkdf2 runs on libuv's thread pool. The pool size is read once per
// process from UV_THREADPOOL_SIZE, so the lesson forks itself once per pool size.
const crypto = require('crypto');
const fs = require('fs');
const { fork } = require('child_process');

const HASHES = 6;

// Linux only: the CPU time each libuv worker thread used, in clock ticks, from /proc.
function workerCpuTicks() {
  const ticks = [];
  for (const tid of fs.readdirSync('/proc/self/task')) {
    const dir = `/proc/self/task/${tid}`;
    if (fs.readFileSync(`${dir}/comm`, 'utf8').trim() !== 'libuv-worker') continue;
    const fields = fs.readFileSync(`${dir}/stat`, 'utf8').split(') ')[1].split(' ');
    ticks.push(Number(fields[11]) + Number(fields[12]));  // utime + stime
  }
  return ticks;
}

if (process.argv[2] === 'child') {
  const size = process.env.UV_THREADPOOL_SIZE;
  const start = Date.now();
  const finished = [];
  for (let i = 1; i <= HASHES; i++) {
    crypto.pbkdf2('secret', 'salt', 200000, 64, 'sha512', () => {
      finished.push(Date.now() - start);
      if (finished.length < HASHES) return;
      console.log(`UV_THREADPOOL_SIZE=${size}`);
      console.log(`  hashes finished after (ms): ${finished.join(', ')}`);
      if (fs.existsSync('/proc/self/task')) {
        const ticks = workerCpuTicks();
        // A worker that ran a hash used a hash's worth of CPU; an idle one used (almost) none.
        const busy = ticks.filter((t) => t >= Math.max(...ticks) / 3).length;
        console.log(`  worker threads: ${ticks.length}, busy: ${busy}, idle: ${ticks.length - busy}`);
      }
    });
  }
  return;
}

// Run the children one after another so they do not compete for the CPU.
function runWith(sizes) {
  if (sizes.length === 0) return;
  const child = fork(__filename, ['child'], {
    env: { ...process.env, UV_THREADPOOL_SIZE: String(sizes[0]) },
  });
  child.on('exit', () => runWith(sizes.slice(1)));
}
console.log(`${HASHES} pbkdf2 hashes, submitted all at once, three times:`);
runWith([4, 2, 8]);
