console.log('out 1');
console.error('err 1');
process.stdout.write('out 2\n');
process.stderr.write('err 2\n');
setTimeout(() => { console.log('out 3'); console.error('err 3'); }, 1);
