process.on('exit', (c) => console.log('exit event with', c));
Promise.reject(new TypeError('nobody catches this'));
