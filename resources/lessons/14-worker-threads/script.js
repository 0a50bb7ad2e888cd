// Offloading CPU work to worker_threads keeps the loop responsive
// Loopscope lesson: the same 300 ms of busy work, first on the main thread, then in a Worker.
const { Worker, isMainThread, parentPort, workerData } = require('worker_threads');

function busyWork(ms) {
  const until = Date.now() + ms;
  let spins = 0;
  while (Date.now() < until) spins++;
  return spins;
}

if (!isMainThread) {
  // Inside the worker: its own V8 isolate and its own event loop, on another thread.
  busyWork(workerData.ms);
  parentPort.postMessage('worker: done');
  return;
}

// Counts how many times a 10 ms interval gets to run while `job` is busy.
function measure(label, job) {
  return new Promise((resolve) => {
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    job(() => {
      clearInterval(ticker);
      console.log(`${label}: interval ticks during the work: ${ticks === 0 ? 'none' : 'some'}`);
      resolve();
    });
  });
}

(async () => {
  await measure('main thread', (done) => {
    setTimeout(() => { busyWork(300); done(); }, 0);
  });
  await measure('worker thread', (done) => {
    const worker = new Worker(__filename, { workerData: { ms: 300 } });
    worker.on('message', (m) => console.log(m));
    worker.on('exit', done);
  });
})();
