// Named callbacks created in two files, for the inspector's search and flow arrows.
const helper = require('./searchhelper');
setTimeout(function loadUser() {
  console.log('user');
  process.nextTick(function afterUser() { console.log('after user'); });
}, 1);
setImmediate(function renderPage() { console.log('page'); });
helper.schedule();
