const { Worker } = require('worker_threads');
new Worker("throw new Error('worker boom')", { eval: true });
