// Ends with an exit code while a worker thread, an unref'd timer and a pending promise are alive:
// main() tears Node and V8 down after this run (NodeProcess::shutdown).
const { Worker } = require('node:worker_threads');
const worker = new Worker('setInterval(() => {}, 1000)', { eval: true });
worker.unref();
setInterval(() => {}, 1000).unref();
new Promise(() => {});
worker.on('online', () => {
    console.log('worker online');
    process.exitCode = 3;
});
