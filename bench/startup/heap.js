// Prints the V8 heap limit and the initial young-generation size.
const v8 = require('v8');
const s = v8.getHeapStatistics();
const ns = v8.getHeapSpaceStatistics().find((x) => x.space_name === 'new_space');
console.log('heap_size_limit MB', (s.heap_size_limit / 2 ** 20).toFixed(0), 'new_space KB', ns.space_size / 1024);
