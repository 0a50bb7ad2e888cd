// child_process.fork runs process.execPath: under Loopscope that is loopscope itself.
const { fork } = require('child_process');
if (process.argv[2] === 'child') {
  process.send({ hello: 'from the child', args: process.argv.slice(3) });
  process.exit(0);
} else {
  const child = fork(__filename, ['child', 'x']);
  child.on('message', (m) => console.log('parent got', JSON.stringify(m)));
  child.on('exit', (code) => console.log('child exited with', code));
}
