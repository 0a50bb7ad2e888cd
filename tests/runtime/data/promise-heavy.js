// Promise-heavy: many awaits and short chains. Prints its own duration on stderr.
async function f(i) { await null; return i; }
(async () => {
  const t0 = process.hrtime.bigint();
  let s = 0;
  for (let i = 0; i < 20000; i++) s += await f(i);
  for (let i = 0; i < 200; i++) await Promise.all(Array.from({ length: 50 }, (_, j) => Promise.resolve(j).then((x) => x + 1)));
  console.log(s);
  console.error(Number(process.hrtime.bigint() - t0) / 1e6);
})();
