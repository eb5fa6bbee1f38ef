// A PostgreSQL cluster of its own for tests that stop and restart the server: made with initdb in
// a temporary directory, on a free port, removed by the teardown. The cluster on 5432 (and the
// developer's data) is never touched. PostgreSQL refuses to run as root: as root, its tools run as
// the `postgres` user (Debian's package creates it; CI runs as root).
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { freePort } from './free-port.ts';
import os from 'node:os';
import path from 'node:path';

export interface ThrowawayPostgres {
  url: string;
  /** `pg_ctl restart -m fast`: resolves once the server accepts connections again (asynchronous,
   *  so the test's own load keeps running meanwhile). */
  restart(): Promise<void>;
  /** `pg_ctl stop -m fast` and `pg_ctl start`: an outage of the length the test chooses. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server (if running) and removes its directory. */
  destroy(): void;
}

/** Where initdb and pg_ctl are: Debian's newest /usr/lib/postgresql/<version>/bin, else PATH. */
function binDir(): string | undefined {
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((v) => existsSync(path.join(debian, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return path.join(debian, versions[0], 'bin');
  }
  try {
    return path.dirname(execFileSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).trim()) || undefined;
  } catch {
    return undefined;
  }
}

function postgresUser(): { uid: number; gid: number } | undefined {
  try {
    return { uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })) };
  } catch {
    return undefined;
  }
}

/** Why a throwaway cluster cannot be made here, or undefined when it can. */
export function throwawayPostgresUnavailable(): string | undefined {
  const bin = binDir();
  if (!bin || !existsSync(path.join(bin, 'pg_ctl'))) return 'initdb/pg_ctl not found (install PostgreSQL, e.g. apt-get install postgresql)';
  if (process.getuid?.() === 0 && !postgresUser()) return 'running as root without a postgres user to run initdb/pg_ctl as';
  return undefined;
}

/**
 * Runs `stop` (synchronous) if the test process ends before its teardown did: on exit, or on the
 * SIGTERM tap sends a file past its timeout (the signal is raised again afterwards). A cluster or
 * an app process left behind would hold a port and a temporary directory. Returns the remover.
 */
export function stopWhenProcessEnds(stop: () => void): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    stop();
    process.kill(process.pid, signal);
  };
  process.once('exit', stop);
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  return () => {
    process.off('exit', stop);
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  };
}


export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const bin = binDir()!;
  const asRoot = process.getuid?.() === 0;
  const argv = (tool: string, args: string[]): [string, string[]] => {
    const command = path.join(bin, tool);
    return asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  };
  const run = (tool: string, args: string[]) => execFileSync(...argv(tool, args), { stdio: 'pipe', timeout: 60_000 });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rassembler-pg-'));
  if (asRoot) {
    const { uid, gid } = postgresUser()!;
    chownSync(dir, uid, gid);
  }
  const data = path.join(dir, 'data');
  const log = path.join(dir, 'server.log');
  const port = await freePort();
  let started = false;
  const destroy = () => {
    forget();
    try {
      if (started) run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // not running: nothing to do but remove the files
    }
    started = false;
    rmSync(dir, { recursive: true, force: true });
  };
  const forget = stopWhenProcessEnds(destroy);
  // Unix socket in our directory (not /var/run/postgresql), TCP on loopback only. No fsync: the
  // restarts here are clean (-m fast writes a checkpoint), so durability on power loss is not
  // what is tested, and the disk is shared with the other tests.
  const serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
  try {
    run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
    started = true; // from here, stop it whatever happens (pg_ctl may time out with the server up)
    run('pg_ctl', ['-D', data, '-l', log, '-o', serverOptions, '-w', '-t', '30', 'start']);
  } catch (error) {
    destroy();
    throw error;
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    // pg_ctl restart keeps the options the server was started with (postmaster.opts).
    restart: async () => {
      await promisify(execFile)(...argv('pg_ctl', ['-D', data, '-l', log, '-m', 'fast', '-w', '-t', '30', 'restart']), { timeout: 60_000 });
    },
    stop: async () => {
      await promisify(execFile)(...argv('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '30', 'stop']), { timeout: 60_000 });
    },
    start: async () => {
      await promisify(execFile)(...argv('pg_ctl', ['-D', data, '-l', log, '-o', serverOptions, '-w', '-t', '30', 'start']), { timeout: 60_000 });
    },
    destroy,
  };
}
