// The phases of one loop iteration
// Loopscope lesson: one callback per phase, scheduled from an I/O callback so the order is fixed.
const fs = require('fs');
const net = require('net');

fs.readFile(__filename, () => {
  console.log('poll:      the readFile callback (I/O)');

  setTimeout(() => console.log('timers:    setTimeout 0, next iteration'), 0);
  setImmediate(() => console.log('check:     setImmediate, same iteration'));

  const socket = net.connect({ port: 9, host: '127.0.0.1' });
  socket.on('error', () => {});
  socket.on('close', () => console.log('close:     the socket\'s close callback'));
  socket.destroy();

  process.nextTick(() => console.log('  nextTick queue: after the readFile callback returns'));
  Promise.resolve().then(() => console.log('  microtasks: right after the nextTick queue'));
});
console.log('main module: synchronous code runs first');
