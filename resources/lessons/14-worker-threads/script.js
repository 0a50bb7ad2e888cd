// Offloading CPU work to worker_threads keeps the loop responsive
// Loopscope lesson: the same 300 ms of busy work, first on the main thread, then in a Worker.
const { Worker, isMainThread, parentPort, workerData } = require('worker_threads');

function busyWork(ms, alsoUntil = () => true) {
  const until = Date.now() + ms;
  let spins = 0;
  while (Date.now() < until || !alsoUntil()) spins++;
  return spins;
}

if (!isMainThread) {
  // Inside the worker: its own V8 isolate and its own event loop, on another thread. It reads the
  // main thread's tick count (shared memory) before and after its work: the ticks in between
  // happened while it computed. On a very busy machine it works on until it has seen one (at most
  // 10 s), so that a slow start of the main thread cannot hide them.
  const ticks = new Int32Array(workerData.ticks);
  const before = Atomics.load(ticks, 0);
  const giveUp = Date.now() + 10000;
  busyWork(workerData.ms, () => Atomics.load(ticks, 0) > before || Date.now() > giveUp);
  parentPort.postMessage({ text: 'worker: done', ticks: Atomics.load(ticks, 0) - before });
  return;
}

// A 10 ms interval counts its ticks in memory the worker can read too.
const ticks = new Int32Array(new SharedArrayBuffer(4));
const ticker = setInterval(() => Atomics.add(ticks, 0, 1), 10);
const report = (label, n) => console.log(`${label}: interval ticks during the work: ${n === 0 ? 'none' : 'some'}`);

// On the main thread: the ticks counted before and after the work, in the same callback.
setTimeout(() => {
  const before = Atomics.load(ticks, 0);
  busyWork(300);
  report('main thread', Atomics.load(ticks, 0) - before);

  // In a Worker: the same work on another thread, while the main loop stays free.
  const worker = new Worker(__filename, { workerData: { ms: 300, ticks: ticks.buffer } });
  worker.on('message', (m) => {
    console.log(m.text);
    report('worker thread', m.ticks);
  });
  worker.on('exit', () => clearInterval(ticker));
}, 0);
