const fs = require('fs'), zlib = require('zlib'), crypto = require('crypto'), net = require('net');
const { Worker } = require('worker_threads');
const packed = zlib.gzipSync('loopscope'.repeat(10));
console.log('zlib', zlib.gunzipSync(packed).toString().length);
console.log('crypto', crypto.createHash('sha256').update('x').digest('hex').slice(0, 8));
fs.readFile(__filename, (err, buf) => console.log('fs', !err && buf.length > 0));
const w = new Worker("require('worker_threads').parentPort.postMessage(6 * 7); console.log('hello from a worker')", { eval: true });
w.on('message', (m) => console.log('worker said', m));
const server = net.createServer((s) => s.end('pong')).listen(0, '127.0.0.1', () => {
  net.connect(server.address().port, '127.0.0.1').on('data', (d) => { console.log('net', d.toString()); server.close(); });
});
