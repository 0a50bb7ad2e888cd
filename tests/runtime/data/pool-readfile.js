// fs.readFile of a small file: open, fstat, read, close, each one request on the pool.
require('fs').readFile(__filename, (err, data) => console.log(err ? err.message : 'read'));
