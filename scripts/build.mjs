// The server as production runs it: compiled JavaScript in dist/ (one bundle per command, the
// packages left to node_modules), so no TypeScript loader sits in the running process (issue 18:
// memory, start time). Runs after `npm ci` (prepare) and before `npm start`, `npm run worker`…;
// writes nothing when dist/ is newer than every source, so that a deployed app started by its
// systemd unit (read-only file system, docs/deploy/systemd) starts.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist');
const ENTRIES = { main: 'server/main.ts', worker: 'scripts/worker.ts', seed: 'scripts/seed.ts', purge: 'scripts/purge.ts', admin: 'scripts/admin.ts' };

function newestSource() {
  const files = [...readdirSync(path.join(root, 'server'), { recursive: true }).map((f) => path.join('server', String(f))), ...Object.values(ENTRIES), 'package-lock.json', 'scripts/build.mjs'];
  return Math.max(...files.map((f) => statSync(path.join(root, f)).mtimeMs));
}

function oldestOutput() {
  const outputs = Object.keys(ENTRIES).map((name) => path.join(outdir, `${name}.js`));
  return outputs.every((f) => existsSync(f)) ? Math.min(...outputs.map((f) => statSync(f).mtimeMs)) : 0;
}

if (process.argv.includes('--force') || oldestOutput() < newestSource()) {
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
