'use strict';
// check_cpuprofile.js FILE [HOT_FUNCTION] — checks a .cpuprofile against the format's rules, as
// Chrome DevTools and speedscope read it (an implementation independent of Loopscope's reader),
// and optionally that HOT_FUNCTION has the most self samples. Exits 1 with a reason otherwise.
const fs = require('fs');
const [file, hot] = process.argv.slice(2);
function fail(why) { console.error(`${file}: ${why}`); process.exit(1); }
const p = JSON.parse(fs.readFileSync(file, 'utf8'));
if (!Array.isArray(p.nodes) || p.nodes.length === 0) fail('nodes is not a non-empty array');
const byId = new Map();
for (const n of p.nodes) {
  if (!Number.isInteger(n.id) || n.id <= 0) fail(`bad node id ${n.id}`);
  if (byId.has(n.id)) fail(`duplicate node id ${n.id}`);
  byId.set(n.id, n);
  const f = n.callFrame;
  if (typeof f !== 'object') fail(`node ${n.id} has no callFrame`);
  if (typeof f.functionName !== 'string' || typeof f.url !== 'string' || typeof f.scriptId !== 'string')
    fail(`node ${n.id}: functionName, url and scriptId must be strings`);
  if (!Number.isInteger(f.lineNumber) || !Number.isInteger(f.columnNumber)) fail(`node ${n.id}: bad line/column`);
  if (!Number.isInteger(n.hitCount) || n.hitCount < 0) fail(`node ${n.id}: bad hitCount`);
  if (n.children !== undefined && !Array.isArray(n.children)) fail(`node ${n.id}: children is not an array`);
}
if (p.nodes[0].callFrame.functionName !== '(root)') fail('the first node is not (root)');
const parent = new Map();
for (const n of p.nodes)
  for (const c of n.children || []) {
    if (!byId.has(c)) fail(`node ${n.id} has unknown child ${c}`);
    if (parent.has(c)) fail(`node ${c} has two parents`);
    parent.set(c, n.id);
  }
if (parent.size !== p.nodes.length - 1) fail('not every node but the root has a parent');
if (!Number.isInteger(p.startTime) || !Number.isInteger(p.endTime) || p.endTime < p.startTime) fail('bad start/end time');
if (!Array.isArray(p.samples) || !Array.isArray(p.timeDeltas) || p.samples.length !== p.timeDeltas.length)
  fail('samples and timeDeltas must be arrays of the same length');
let t = p.startTime;
const self = new Map();
p.samples.forEach((s, i) => {
  if (!byId.has(s)) fail(`sample ${i} names unknown node ${s}`);
  t += p.timeDeltas[i];
  self.set(s, (self.get(s) || 0) + 1);
});
if (t > p.endTime) fail('the samples run past endTime');
for (const n of p.nodes)
  if ((self.get(n.id) || 0) !== n.hitCount) fail(`node ${n.id}: hitCount ${n.hitCount} but ${self.get(n.id) || 0} samples`);
if (hot) {
  const perFunction = new Map();
  for (const [id, count] of self) {
    const name = byId.get(id).callFrame.functionName;
    if (!name.startsWith('(')) perFunction.set(name, (perFunction.get(name) || 0) + count);
  }
  const top = [...perFunction].sort((a, b) => b[1] - a[1])[0];
  if (!top || top[0] !== hot) fail(`the hottest function is ${top && top[0]}, not ${hot}`);
}
console.log(`${file}: valid, ${p.nodes.length} nodes, ${p.samples.length} samples`);
