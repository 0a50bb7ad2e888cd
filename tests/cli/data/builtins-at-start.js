// The built-in modules a script finds loaded when it starts: exactly node's. Loopscope's prelude
// loads what it needs on first use ('stream' for stdio, 'os' for a signal), so a script that
// looks at process.moduleLoadList, or pays for compiling modules, sees no difference.
const atStart = process.moduleLoadList.slice();
console.log(atStart.join('\n'));
