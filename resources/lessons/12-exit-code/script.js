// beforeExit, exit and process.exitCode
// Loopscope lesson — run it, then predict the order before you read the output.
// process.exitCode and beforeExit: the loop can be revived from beforeExit once.
let revived = false;
process.on('beforeExit', (code) => {
  console.log('beforeExit', code);
  if (!revived) { revived = true; setTimeout(() => console.log('revived timer'), 1); }
});
process.on('exit', (code) => console.log('exit', code));
process.exitCode = 7;
