// Ends with an exit code while a worker thread, an unref'd timer and a pending promise are alive:
// main() tears Node and V8 down after this run (NodeProcess::shutdown).
const { Worker } = require('node:worker_threads');
const worker = new Worker('setInterval(() => {}, 1000)', { eval: true });
setInterval(() => {}, 1000).unref();
new Promise(() => {});
worker.on('online', () => {
    console.log('worker online');
    worker.unref();  // the loop may end now, with the worker still running
    process.exitCode = 3;
});
