// `npm test`: each test file on the databases its header declares (docs/decisions/0007), and the
// browser suite (test/browser/*.browser.ts) when Chromium is there. Ends with the slowest files
// and one closing line « N passed, N failed, N skipped » over every run (CI reads it), after the
// list of the failed tests, so that a log cut to its end still says what failed.
//   REQUIRE_POSTGRES=1  fail if the PostgreSQL run cannot happen
//   REQUIRE_BROWSER=1   fail if the browser run cannot happen (checked by the browser tests)
//   TEST_PROCESS_PER_FILE=1  one process per test file, as tap runs them, instead of a few
//                       processes taking files from a queue (docs/decisions/0020)
// Arguments: test files to run (each still on its declared databases) and/or options for tap.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const DATABASES = ['pglite', 'postgres'];
const DEFAULT = DATABASES; // a file without a marker runs everywhere: nothing is lost by forgetting it

/** Files under `dir` whose name ends with `suffix`, as tap's `include` would list them. */
function findFiles(dir, suffix) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map((name) => path.join(dir, String(name)).split(path.sep).join('/'))
    .filter((file) => file.endsWith(suffix))
    .sort();
}

/**
 * The databases a test file declares in its header comment, on a line such as
 * `// @databases: pglite, postgres`; `none` for a file that opens no database (it runs once,
 * with the PGlite run, which always happens).
 */
function declaredDatabases(file) {
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.startsWith('//')) break;
    const marker = /^\/\/ @databases:(.*)$/.exec(line);
    if (!marker) continue;
    const names = marker[1].split(/[\s,]+/).filter(Boolean);
    if (names.length === 1 && names[0] === 'none') return ['none'];
    if (names.length === 0 || names.some((name) => !DATABASES.includes(name))) {
      throw new Error(`${file}: « ${line} » should name pglite and/or postgres, or none (docs/decisions/0007)`);
    }
    return names;
  }
  return DEFAULT;
}

const args = process.argv.slice(2);
const named = args.filter((arg) => /\.(test|browser)\.ts$/.test(arg));
const tapOptions = args.filter((arg) => !named.includes(arg));
const testFiles = named.length > 0 ? named.filter((f) => f.endsWith('.test.ts')) : findFiles('test', '.test.ts');
// The browser suite runs whole, or the browser files named; not when only other arguments are given.
const browserFiles = args.length === 0 ? findFiles('test/browser', '.browser.ts') : named.filter((f) => f.endsWith('.browser.ts'));

const declared = new Map(testFiles.map((file) => [file, declaredDatabases(file)]));
const filesFor = (database) => testFiles.filter((file) => declared.get(file).includes(database) || (database === 'pglite' && declared.get(file)[0] === 'none'));

const totals = { pass: 0, fail: 0, skip: 0 };
const timings = []; // [seconds, run, file]
const failures = []; // { label, path }: the innermost failed tests
let failedRuns = 0;

// The whole suite runs each database's files in a few processes that take them from a queue
// (test/helpers/file-queue.ts); files named on the command line run in a process each, as tap runs them.
const queued = named.length === 0 && process.env.TEST_PROCESS_PER_FILE !== '1';
// A process of the queue runs a third of a run's files or more: tap's 180 s per file cannot apply.
const QUEUE_PROCESS_TIMEOUT_S = 1200;

/**
 * tap's arguments for running `files` in `processes` processes (at most): the entry files of a
 * queue under .tap/queue/<name>, largest test files first, so that the last ones taken are short.
 */
function queueArguments(name, files, processes) {
  const dir = path.join('.tap', 'queue', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'claims'), { recursive: true });
  const bySize = [...files].sort((a, b) => statSync(b).size - statSync(a).size);
  writeFileSync(path.join(dir, 'files.json'), JSON.stringify(bySize));
  const entries = [];
  for (let i = 1; i <= Math.min(processes, files.length); i++) {
    const entry = path.join(dir, `process-${i}.test.mjs`);
    writeFileSync(entry, "import '../../../test/helpers/file-queue.ts';\n");
    entries.push(entry);
  }
  return { env: { TEST_QUEUE: dir }, args: [`--timeout=${QUEUE_PROCESS_TIMEOUT_S}`, ...entries] };
}

/** One tap run; with `buffered`, its output is held and printed whole when it ends (it runs beside another). */
function run(label, env, files, { buffered = false, jobs = 2, queue } = {}) {
  return new Promise((resolve) => {
    const out = [];
    const write = (text) => (buffered ? out.push(text) : process.stdout.write(text));
    write(`\n=== ${label} ===\n`);
    const fromQueue = queue && queued ? queueArguments(queue, files, jobs) : undefined;
    const args = ['tap', `--jobs=${jobs}`, ...tapOptions, ...(fromQueue?.args ?? files)];
    const child = spawn('npx', args, { env: { ...process.env, ...env, ...fromQueue?.env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let tail = '';
    let partial = '';
    const subtests = []; // the names of the subtests open at each depth of indentation
    let failedDepth = -1; // depth of the last « not ok »: one less after it is its parent's
    let queuedFile; // the file whose tests the queue runs now
    child.stdout.on('data', (chunk) => {
      write(chunk);
      tail = (tail + chunk.toString()).slice(-4000);
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop();
      for (const line of lines) {
        const done = /^(?:not )?ok \d+ - (\S+) # time=([\d.]+)ms/.exec(line);
        if (done && !fromQueue) timings.push([Number(done[2]) / 1000, label, done[1]]);
        const took = /^\s+# (\S+\.test\.ts) took ([\d.]+) s$/.exec(line);
        if (took) timings.push([Number(took[2]), label, took[1]]);
        const opened = /^( *)# Subtest: (.*)$/.exec(line);
        if (opened) subtests[opened[1].length / 4] = opened[2];
        // In a queue the tests of a file come after the subtest named after it (file-queue.ts).
        if (opened && fromQueue && /\.test\.ts$/.test(opened[2])) queuedFile = opened[2];
        const failed = /^( *)not ok \d+ - (.*?)(?: # time=[\d.]+ms)?$/.exec(line);
        if (failed) {
          const depth = failed[1].length / 4;
          // A subtest with a failed test inside is itself « not ok »: the inner failure says more.
          const names = [...subtests.slice(0, depth), failed[2]].filter((name) => !name.startsWith('.tap/queue/'));
          if (queuedFile && !names.includes(queuedFile)) names.unshift(queuedFile);
          if (depth >= failedDepth) failures.push({ label, path: names.join(' › ') });
          failedDepth = depth;
        }
      }
    });
    child.on('close', (code) => {
      const summary = /# \{ ([^}]*) \}\s*(?:#[^\n]*\s*)*$/.exec(tail);
      const counts = Object.fromEntries((summary?.[1] ?? '').split(',').map((p) => p.trim().split(/:\s*/)).filter((p) => p.length === 2).map(([k, v]) => [k, Number(v)]));
      totals.pass += counts.pass ?? 0;
      totals.fail += counts.fail ?? 0;
      totals.skip += (counts.skip ?? 0) + (counts.todo ?? 0);
      if (code !== 0) {
        failedRuns++;
        if (!counts.fail) totals.fail += 1; // a run that crashed counts as a failure
      }
      write(`=== ${label}: ${counts.pass ?? 0} passed, ${counts.fail ?? 0} failed, exit ${code} ===\n`);
      if (buffered) process.stdout.write(out.join(''));
      resolve();
    });
  });
}

const embedded = filesFor('pglite');
// Three files at a time on two cores: a file spends part of its time starting (loader, PGlite's
// template) and waiting (SMTP stand-ins, timers), which a third file fills.
if (embedded.length > 0) await run('PGlite (embedded)', { TEST_DB: 'pglite' }, embedded, { jobs: 3, queue: 'pglite' });

// The PostgreSQL run and the browser run go side by side: the first waits on the database server,
// the second on Chromium, and neither fills both cores alone (docs/decisions/0007: 10 → 6 min).
const concurrent = [];
const postgresFiles = filesFor('postgres');
if (postgresFiles.length === 0) {
  // nothing asked for PostgreSQL
} else if (process.env.TEST_DATABASE_URL) {
  concurrent.push(run('PostgreSQL', { TEST_DB: 'postgres' }, postgresFiles, { buffered: browserFiles.length > 0, queue: 'postgres' }));
} else {
  const notRun = postgresFiles.filter((file) => !embedded.includes(file));
  // A file that only PostgreSQL can run is not silently dropped: it counts as skipped.
  totals.skip += notRun.length;
  if (process.env.REQUIRE_POSTGRES === '1') {
    console.error('REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set: the PostgreSQL run cannot happen.');
    failedRuns++;
    totals.fail++;
  } else {
    console.log('\n(PostgreSQL run skipped: set TEST_DATABASE_URL=postgres://… to run the suite on PostgreSQL too.)');
    for (const file of notRun) console.log(`(NOT RUN, PostgreSQL only: ${file})`);
  }
}

if (browserFiles.length > 0) concurrent.push(run('Browser (Chromium)', { TEST_DB: 'pglite' }, browserFiles));
await Promise.all(concurrent);

if (timings.length > 0) {
  console.log('\nSlowest test files:');
  for (const [seconds, label, file] of timings.sort((a, b) => b[0] - a[0]).slice(0, 10)) {
    console.log(`${seconds.toFixed(1).padStart(7)} s  ${label.padEnd(20)} ${file}`);
  }
}

if (failures.length > 0) {
  console.log('\nFailed tests:');
  for (const { label, path: name } of failures) console.log(`  ${label}: ${name}`);
}

console.log(`\n${totals.pass} passed, ${totals.fail} failed, ${totals.skip} skipped`);
process.exit(failedRuns > 0 ? 1 : 0);
