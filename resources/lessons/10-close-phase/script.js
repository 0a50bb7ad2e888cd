// The close-callbacks phase
// Loopscope lesson — run it, then predict the order before you read the output.
// A destroyed socket's 'close' event runs in the close-callbacks phase,
// after the check phase of the same iteration.
const net = require('net');
const server = net.createServer((conn) => conn.on('error', () => {}));
server.listen(0, '127.0.0.1', () => {
  const client = net.connect(server.address().port, '127.0.0.1', () => {
    console.log('connected');
    client.on('close', () => {
      console.log('socket close');
      server.close(() => console.log('server closed'));
    });
    client.destroy();
    setImmediate(() => console.log('immediate'));
    process.nextTick(() => console.log('tick'));
  });
});
