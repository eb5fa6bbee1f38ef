// Benchmark section « process »: the app as production runs it (the node command of `npm start`,
// read from package.json, on dist/ built by scripts/build.mjs), in a process of its own, under the
// programme's load; its resident memory is read from /proc while autocannon runs, and printed in
// the RSS column. On PostgreSQL it serves the benchmark's database (5,000 events more); on PGlite
// it has its own data directory with the demo programme (an embedded database belongs to one
// process), and the time from a first `npm start` on that new directory to the first programme
// page is printed too (a newcomer's first start).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../../test/helpers/free-port.ts';
import { npmScriptArguments } from '../../test/helpers/npm-script.ts';
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
    HOME: process.env.HOME,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    MAIL_WORKER: 'false',
    DATA_DIR: dataDir,
    SESSION_SECRET: ctx.config.sessionSecret,
    ...(ctx.database.url ? { DATABASE_URL: ctx.database.url, DEMO_DATA: 'false' } : { DEMO_DATA: 'true' }),
  };
  const base = `http://127.0.0.1:${port}`;
  /**
   * Starts the app and waits for `page` to answer 2xx (polled every 50 ms): `npm start` itself
   * (its build check included) for a first start, else the node command it runs, whose memory is
   * then the app's.
   */
  const start = async (page: string, viaNpm = false) => {
    const [program, args] = viaNpm ? ['npm', ['start']] : [process.execPath, npmScriptArguments('start')];
    const child = spawn(program, args, { env, stdio: ['ignore', 'ignore', 'inherit'], detached: true });
    for (let i = 0; ; i++) {
      if (child.exitCode !== null) throw new Error(`npm start s'est arrêté (code ${child.exitCode}).`);
      if (await fetch(`${base}${page}`).then((r) => r.ok, () => false)) return child;
      if (i > 1200) throw new Error('npm start ne répond pas après 60 s.');
      await sleep(50);
    }
  };
  const stop = async (child: ReturnType<typeof spawn>) => {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-child.pid!, 'SIGTERM'); // its group: npm and the node it started
    if (child.exitCode === null) await exited;
  };
  // PGlite's first start creates its data directory, which its WebAssembly memory keeps: the
  // process is measured as it runs from then on, after a restart.
  if (!ctx.database.url) {
    const begun = performance.now();
    const first = await start('/programme', true);
    console.log(`Premier démarrage (npm start, dossier de données neuf) : programme servi après ${((performance.now() - begun) / 1000).toFixed(1)} s.`);
    await stop(first);
  }
  const child = await start('/readyz');
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
