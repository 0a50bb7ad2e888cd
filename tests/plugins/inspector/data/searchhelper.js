exports.schedule = function schedule() {
  setTimeout(function flushCache() { console.log('cache'); }, 2);
};
