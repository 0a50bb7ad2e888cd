const greet = require('greeter');
console.log(greet('node_modules'));
console.log(require.main === module, require('path').basename(__filename));
console.log(JSON.stringify(process.argv.slice(2)));
