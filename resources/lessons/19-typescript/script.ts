// TypeScript: the types vanish, the event loop stays
interface Job {
  name: string;
  delay: number;
}

async function run(job: Job): Promise<string> {
  await null; // one microtask turn, exactly as in JavaScript
  return `${job.name} done`;
}

const jobs: Job[] = [{ name: 'a', delay: 0 }, { name: 'b', delay: 0 }];
// Node does not check types: this line is wrong for TypeScript, and runs all the same.
const count: number = 'two' as unknown as number;

console.log('sync start', count);
setTimeout(() => console.log('timeout'), 0);
process.nextTick(() => console.log('nextTick'));
for (const job of jobs)
  run(job).then((text: string) => console.log(text));
console.log('sync end');
