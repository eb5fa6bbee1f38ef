// One test process running many test files, one after the other (docs/decisions/0020): started by
// `npm test` (scripts/test.mjs) as a few tap files, each of which takes the next file of a shared
// queue until none is left. A file then costs its tests, not a process: Node, tap's loaders, the
// TypeScript loader, the app's modules and a PGlite boot (about 4 s of CPU) are paid once per process.
//
// Each file is imported inside a subtest named after it; the subtests it adds to tap's root are
// queued after that one, and the next file is taken once they have all ended. The files share the
// process's database (test/helpers/database.ts), which every test receives emptied.
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import t from 'tap';

const queue = process.env.TEST_QUEUE;
if (!queue) throw new Error('TEST_QUEUE is not set: scripts/test.mjs starts the queue');
const files = JSON.parse(readFileSync(path.join(queue, 'files.json'), 'utf8')) as string[];

/** The next file no process has taken yet: the first to create its claim directory takes it. */
function claimNext(): string | undefined {
  for (const [index, file] of files.entries()) {
    try {
      mkdirSync(path.join(queue!, 'claims', String(index)), { recursive: false });
      return file;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return undefined;
}

// The root's subtests not ended yet: the file's own, once its import is over.
const running = new Set<object>();
let allEnded: (() => void) | undefined;
t.on('subtestAdd', (test) => running.add(test));
t.on('subtestEnd', (test) => {
  running.delete(test);
  if (running.size === 0) allEnded?.();
});

for (let file = claimNext(); file; file = claimNext()) {
  const started = performance.now();
  const url = pathToFileURL(path.resolve(file)).href;
  await t.test(file, async () => {
    await import(url);
  });
  if (running.size > 0) await new Promise<void>((resolve) => (allEnded = resolve));
  // Read by scripts/test.mjs for its list of the slowest files.
  t.comment(`${file} took ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
