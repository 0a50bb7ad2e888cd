// Network I/O does not use the thread pool
// Loopscope lesson: with the only pool worker busy hashing, a TCP echo on 127.0.0.1 still works at once.
const crypto = require('crypto');
const net = require('net');
// The pool has one worker here: lesson.json asks for "threadPoolSize": 1 (the Thread pool selector).

const events = [];
function done(what) {
  events.push(what);
  if (events.length === 2) events.forEach((e, i) => console.log(`${i + 1}. ${e}`));
}

// Occupy the pool's only worker for a few hundred milliseconds.
crypto.pbkdf2('secret', 'salt', 600000, 64, 'sha512', () => done('hash finished (thread pool)'));

// An echo server and client on 127.0.0.1: an IP address, so no DNS lookup (which would use the pool).
const server = net.createServer((socket) => socket.pipe(socket));
server.listen(0, '127.0.0.1', () => {
  const client = net.connect(server.address().port, '127.0.0.1', () => client.write('ping'));
  client.on('data', (data) => {
    done(`echo received "${data}" (sockets, watched by the poll phase)`);
    client.end();
    server.close();
  });
});
