// Blocking the loop: a busy callback delays every timer
// Loopscope lesson — a timer asks for 10 ms, but the loop can only run it when the current
// callback returns. A 200 ms busy loop makes it late by about that much.
const start = Date.now();
setTimeout(() => {
  const late = Date.now() - start - 10;
  console.log(`the 10 ms timer ran ${late >= 150 ? 'late, by more than 150 ms' : 'on time'}`);
}, 10);
setImmediate(() => {
  console.log('immediate: blocking the loop for 200 ms');
  const until = Date.now() + 200;
  while (Date.now() < until) {}
  console.log('immediate: done blocking');
});
