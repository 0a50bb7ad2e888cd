// Timer ordering and the 1 ms minimum
// Loopscope lesson — run it, then predict the order before you read the output.
// Timers with equal delays fire in insertion order; 0 ms is treated as 1 ms.
setTimeout(() => console.log('t1 (1ms)'), 1);
setTimeout(() => console.log('t2 (0ms)'), 0);
setTimeout(() => console.log('t3 (1ms)'), 1);
const start = Date.now();
while (Date.now() - start < 20) {}  // busy 20 ms: t1, t2 and t3 are all overdue when the loop starts
setTimeout(() => console.log('t4 (0ms, added later)'), 0);
setTimeout(() => console.log('t6 (10ms, scheduled before t5)'), 10);
setTimeout(() => console.log('t5 (5ms)'), 5);
