// Prints one line: start-up plus what setting up stdout costs.
console.log('x');
