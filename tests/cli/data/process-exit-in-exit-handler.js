process.on('exit', (c) => { console.log('exit', c); process.exit(5); });
console.log('bye');
