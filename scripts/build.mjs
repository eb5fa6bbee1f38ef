// The server as production runs it: compiled JavaScript in dist/ (one bundle per command, the
// packages left to node_modules), so no TypeScript loader sits in the running process (issue 18:
// memory, start time); and the embedded database's template, created and migrated, which a first
// `npm start` copies instead of running initdb and the migrations. Runs after `npm ci` (prepare)
// and before `npm start`, `npm run worker`…; writes nothing when dist/ is newer than every source,
// so that a deployed app started by its systemd unit (read-only file system, docs/deploy/systemd) starts.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist');
const ENTRIES = {
  main: 'server/main.ts',
  worker: 'scripts/worker.ts',
  seed: 'scripts/seed.ts',
  purge: 'scripts/purge.ts',
  admin: 'scripts/admin.ts',
  'pglite-template': 'scripts/pglite-template.ts',
};
/** Read by server/db/client.ts. */
const TEMPLATE = path.join(outdir, 'pglite-template');

const under = (dir) => readdirSync(path.join(root, dir), { recursive: true }).map((f) => path.join(dir, String(f)));

function newestOf(files) {
  return Math.max(...files.map((f) => statSync(path.join(root, f)).mtimeMs));
}

function oldestOutput() {
  const outputs = Object.keys(ENTRIES).map((name) => path.join(outdir, `${name}.js`));
  return outputs.every((f) => existsSync(f)) ? Math.min(...outputs.map((f) => statSync(f).mtimeMs)) : 0;
}

const force = process.argv.includes('--force');
if (force || oldestOutput() < newestOf([...under('server'), ...Object.values(ENTRIES), 'package-lock.json', 'scripts/build.mjs'])) {
  await build({
    entryPoints: ENTRIES,
    outdir,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
  });
}

if (force || !existsSync(TEMPLATE) || statSync(TEMPLATE).mtimeMs < newestOf([...under('migrations'), 'package-lock.json', path.join('dist', 'pglite-template.js')])) {
  rmSync(`${TEMPLATE}.tmp`, { recursive: true, force: true });
  const made = spawnSync(process.execPath, [path.join(outdir, 'pglite-template.js'), `${TEMPLATE}.tmp`], { stdio: 'inherit' });
  if (made.status !== 0) process.exit(made.status ?? 1);
  rmSync(TEMPLATE, { recursive: true, force: true });
  renameSync(`${TEMPLATE}.tmp`, TEMPLATE);
}
