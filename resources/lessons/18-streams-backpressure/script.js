// Streams and backpressure: write() returns false, 'drain' says when to go on
// Loopscope lesson: a fast producer and a slow consumer; the stream's buffer limit keeps them in step.
const { Readable, Writable } = require('stream');

// A slow consumer: each chunk takes a 5 ms timer to "process". It buffers at most 3 chunks.
function slowSink(name) {
  return new Writable({
    objectMode: true,
    highWaterMark: 3,
    write(chunk, _encoding, callback) {
      console.log(`  ${name} consumes ${chunk}`);
      setTimeout(callback, 5);
    },
  });
}

// Part 1: by hand. Write until write() returns false, then wait for 'drain'.
function part1(next) {
  console.log('part 1: write() and drain');
  const sink = slowSink('sink');
  let i = 0;
  function writeMore() {
    while (i < 6) {
      i++;
      const ok = sink.write(`chunk ${i}`);
      console.log(`write(chunk ${i}) returned ${ok}`);
      if (!ok) {
        console.log('  buffer full: stop and wait for drain');
        sink.once('drain', () => { console.log('drain: buffer emptied, go on'); writeMore(); });
        return;
      }
    }
    sink.end(next);
  }
  writeMore();
}

// Part 2: pipe() does the same for you: it pauses the readable while the writable is full.
function part2() {
  console.log('part 2: pipe() handles backpressure');
  let n = 0;
  const source = new Readable({
    objectMode: true,
    highWaterMark: 2,
    read() {
      n++;
      if (n > 6) { this.push(null); return; }  // null: the end of the stream
      console.log(`source produces item ${n}`);
      this.push(`item ${n}`);
    },
  });
  source.pipe(slowSink('pipe sink')).on('finish', () => console.log('finish: all items consumed'));
}

part1(part2);
