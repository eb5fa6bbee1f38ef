// `npm test`: the whole suite on PGlite, then on PostgreSQL when TEST_DATABASE_URL is set, then
// the browser suite (test/browser/*.browser.ts) when Chromium is there. Prints one closing line
// « N passed, N failed, N skipped » over every run.
//   REQUIRE_POSTGRES=1  fail if the PostgreSQL run cannot happen
//   REQUIRE_BROWSER=1   fail if the browser run cannot happen (checked by the browser tests)
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const extraArgs = process.argv.slice(2);
const totals = { pass: 0, fail: 0, skip: 0 };
let failedRuns = 0;

function run(label, env, args) {
  return new Promise((resolve) => {
    console.log(`\n=== ${label} ===`);
    const child = spawn('npx', ['tap', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let tail = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      tail = (tail + chunk.toString()).slice(-4000);
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
      console.log(`=== ${label}: ${counts.pass ?? 0} passed, ${counts.fail ?? 0} failed, exit ${code} ===`);
      resolve();
    });
  });
}

await run('PGlite (embedded)', { TEST_DB: 'pglite' }, extraArgs);

if (process.env.TEST_DATABASE_URL) {
  await run('PostgreSQL', { TEST_DB: 'postgres' }, extraArgs);
} else if (process.env.REQUIRE_POSTGRES === '1') {
  console.error('REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set: the PostgreSQL run cannot happen.');
  failedRuns++;
  totals.fail++;
} else {
  console.log('\n(PostgreSQL run skipped: set TEST_DATABASE_URL=postgres://… to run the suite on PostgreSQL too.)');
}

const browserFiles = existsSync('test/browser') ? readdirSync('test/browser').filter((f) => f.endsWith('.browser.ts')) : [];
if (extraArgs.length === 0 && browserFiles.length > 0) {
  await run('Browser (Chromium)', { TEST_DB: 'pglite' }, browserFiles.map((f) => `test/browser/${f}`));
}

console.log(`\n${totals.pass} passed, ${totals.fail} failed, ${totals.skip} skipped`);
process.exit(failedRuns > 0 ? 1 : 0);
