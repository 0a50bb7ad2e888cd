// async/await: each await is one microtask turn
// Loopscope lesson — run it, then predict the order before you read the output.
// await resumes as a microtask; each await costs one microtask turn.
async function a() {
  console.log('a start');
  await null;
  console.log('a after await');
  await b();
  console.log('a after b');
}
async function b() {
  console.log('b');
}
a();
Promise.resolve().then(() => console.log('then 1')).then(() => console.log('then 2')).then(() => console.log('then 3'));
console.log('sync');
