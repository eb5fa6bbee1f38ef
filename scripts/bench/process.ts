// Benchmark section « process »: the app as production runs it (`npm start`: dist/main.js, built
// by scripts/build.mjs), in a process of its own, under the programme's load; its resident memory
// is read from /proc while autocannon runs, and printed in the RSS column. On PostgreSQL it serves
// the benchmark's database (5,000 events more); on PGlite it has its own data directory with the
// demo programme (an embedded database belongs to one process).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../../test/helpers/free-port.ts';
import { measure, type BenchContext, type Measurement } from './lib.ts';

/** Resident memory of a process, MiB (Linux). */
function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
  return line ? Number(line[1]) / 1024 : 0;
}

export async function processSection(ctx: BenchContext): Promise<Measurement[]> {
  const built = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error('La compilation (scripts/build.mjs) a échoué.');
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rassembler-bench-process-'));
  const env = {
    PATH: process.env.PATH,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    MAIL_WORKER: 'false',
    DATA_DIR: dataDir,
    SESSION_SECRET: ctx.config.sessionSecret,
    ...(ctx.database.url ? { DATABASE_URL: ctx.database.url, DEMO_DATA: 'false' } : { DEMO_DATA: 'true' }),
  };
  const base = `http://127.0.0.1:${port}`;
  const start = async () => {
    const child = spawn(process.execPath, ['--enable-source-maps', 'dist/main.js'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    for (let i = 0; ; i++) {
      if (child.exitCode !== null) throw new Error(`dist/main.js s'est arrêté (code ${child.exitCode}).`);
      if (await fetch(`${base}/readyz`).then((r) => r.ok, () => false)) return child;
      if (i > 600) throw new Error('dist/main.js ne répond pas après 60 s.');
      await sleep(100);
    }
  };
  const stop = async (child: ReturnType<typeof spawn>) => {
    child.kill('SIGTERM');
    if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
  };
  // PGlite's first start creates its data directory (initdb), which its WebAssembly memory keeps:
  // the process is measured as it runs from then on, after a restart.
  if (!ctx.database.url) await stop(await start());
  const child = await start();
  try {
    await sleep(5_000); // settled: what starting allocated and dropped is collected
    const rss = () => rssMiB(child.pid!);
    const idle = rss();
    const rows = [
      await measure(`processus npm start, programme (repos ${idle.toFixed(0)} Mio)`, `${base}/programme`, { rssOf: rss }),
      await measure('processus npm start, programme filtré', `${base}/programme?access=wheelchair&places=1`, { rssOf: rss }),
    ];
    return rows;
  } finally {
    await stop(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}
