function onTimer() { console.log('timer'); }
setTimeout(onTimer, 1);
setImmediate(function onImmediate() { console.log('immediate'); });
const tick = () => console.log('tick');
process.nextTick(tick);
setTimeout(() => console.log('anonymous'), 2);
