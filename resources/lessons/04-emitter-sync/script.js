// EventEmitter listeners are synchronous
// Loopscope lesson — run it, then predict the order before you read the output.
// EventEmitter listeners run synchronously, in registration order.
const { EventEmitter } = require('events');
const e = new EventEmitter();
e.on('x', () => console.log('listener 1'));
e.prependListener('x', () => console.log('listener 0'));
e.once('x', () => console.log('once'));
console.log('before emit');
e.emit('x');
e.emit('x');
console.log('after emit');
