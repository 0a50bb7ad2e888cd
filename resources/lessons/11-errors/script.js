// uncaughtException and unhandledRejection
// Loopscope lesson — run it, then predict the order before you read the output.
// An uncaught error in a callback goes to 'uncaughtException' and the loop continues.
process.on('uncaughtException', (err) => console.log('caught:', err.message));
process.on('unhandledRejection', (reason) => console.log('unhandled rejection:', reason.message));
setTimeout(() => { throw new Error('boom in timer'); }, 1);
setTimeout(() => console.log('after boom'), 5);
Promise.reject(new Error('nobody handles me'));
process.on('exit', (code) => console.log('exit', code));
