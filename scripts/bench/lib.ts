// What every benchmark section shares: `measure()` runs autocannon against a loopback URL for a
// bounded time, in a child process (so the load generator does not share the app's event
// loop), and reports req/s, latency percentiles and the app process's peak RSS.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '../../server/config.ts';
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { createPglite, openPglite, openPostgres, type DatabaseHandle } from '../../server/db/client.ts';

const require = createRequire(import.meta.url);
const AUTOCANNON = require.resolve('autocannon/autocannon.js');

/** What a browser sends: pages are measured compressed, as a deployment serves them. */
export const BROWSER_HEADERS = { 'accept-encoding': 'gzip, deflate, br', accept: 'text/html' };

export interface MeasureOptions {
  /** Concurrent connections (default 50). */
  connections?: number;
  /** Seconds measured (default 10). */
  duration?: number;
  /** Seconds of warm-up before, not counted (default 2). */
  warmup?: number;
  headers?: Record<string, string>;
  /** The one status every response must have (e.g. 304 for a revalidation); default: any 2xx. */
  expectedStatus?: number;
  /** Resident memory to sample, MiB, when the app is another process (default: this one's). */
  rssOf?: () => number;
}

export interface Measurement {
  name: string;
  url: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  /** Peak resident memory of this (the app's) process during the run, MiB. */
  rssMiB: number;
  /** Average response body size, bytes (as sent: compressed when the client accepts it). */
  bytesPerResponse: number;
  /** Responses not as expected: non-2xx, or other than `expectedStatus` when given. */
  non2xx: number;
  errors: number;
}

/** Options from the command line (`--duration 5 --connections 20`), for every measure. */
export const defaults: Required<Omit<MeasureOptions, 'headers' | 'expectedStatus' | 'rssOf'>> = { connections: 50, duration: 10, warmup: 2 };

function run(url: string, seconds: number, connections: number, headers: Record<string, string>): Promise<Record<string, any>> {
  const args = [AUTOCANNON, '--json', '--connections', String(connections), '--duration', String(seconds)];
  for (const [name, value] of Object.entries(headers)) args.push('--headers', `${name}=${value}`);
  args.push(url);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    // Bounded: never let a stuck run hold the machine.
    const timer = setTimeout(() => child.kill('SIGKILL'), (seconds + 30) * 1000);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`autocannon a échoué (code ${code}) : ${err.trim()}`));
      try {
        resolve(JSON.parse(out));
      } catch {
        reject(new Error(`autocannon : sortie illisible : ${out.slice(0, 200)}`));
      }
    });
  });
}

export async function measure(name: string, url: string, options: MeasureOptions = {}): Promise<Measurement> {
  const host = new URL(url).hostname;
  if (host !== '127.0.0.1' && host !== '[::1]') throw new Error(`Mesure refusée : ${url} n'est pas sur la boucle locale (127.0.0.1).`);
  const connections = options.connections ?? defaults.connections;
  const duration = options.duration ?? defaults.duration;
  const warmup = options.warmup ?? defaults.warmup;
  const headers = options.headers ?? BROWSER_HEADERS;

  if (warmup > 0) await run(url, warmup, connections, headers);
  const rss = options.rssOf ?? (() => process.memoryUsage().rss / 1024 / 1024);
  let peak = rss();
  const sampler = setInterval(() => (peak = Math.max(peak, rss())), 250);
  try {
    const result = await run(url, duration, connections, headers);
    return {
      name,
      url,
      requestsPerSecond: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      rssMiB: peak,
      bytesPerResponse: result.requests.total > 0 ? result.throughput.total / result.requests.total : 0,
      non2xx:
        options.expectedStatus === undefined
          ? (result.non2xx ?? 0)
          : Object.entries((result.statusCodeStats ?? {}) as Record<string, { count: number }>).reduce(
              (sum, [code, stats]) => sum + (Number(code) === options.expectedStatus ? 0 : stats.count),
              0,
            ),
      errors: (result.errors ?? 0) + (result.timeouts ?? 0),
    };
  } finally {
    clearInterval(sampler);
  }
}

/** What a section gets: the running app (on loopback) and its database, seeded. */
export interface BenchContext {
  app: FastifyInstance;
  config: Config;
  database: DatabaseHandle;
  /** http://127.0.0.1:<port> */
  baseUrl: string;
}

/** A section measures some pages and returns one row per page. */
export type Section = (ctx: BenchContext) => Promise<Measurement[]>;

/** The table printed at the end: each page's throughput as a share of the bare route's. */
export function formatTable(rows: Measurement[], ceiling: Measurement): string {
  const header = ['mesure', 'req/s', 'p50 ms', 'p99 ms', 'RSS Mio', 'octets/rép.', '% plafond', 'non-2xx'];
  const lines = rows.map((r) => [
    r.name,
    Math.round(r.requestsPerSecond).toLocaleString('fr-FR'),
    String(r.p50),
    String(r.p99),
    r.rssMiB.toFixed(0),
    Math.round(r.bytesPerResponse).toLocaleString('fr-FR'),
    r === ceiling ? '100 %' : `${((100 * r.requestsPerSecond) / ceiling.requestsPerSecond).toFixed(1)} %`,
    String(r.non2xx + r.errors),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const row = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  return [row(header), `|${widths.map((w, i) => (i === 0 ? ':' : '-') + '-'.repeat(w) + (i === 0 ? '-' : ':')).join('|')}|`, ...lines.map(row)].join('\n');
}

/**
 * A fresh database for a benchmark: PGlite in memory by default; with BENCH_DATABASE_URL, a new
 * database `name` on that server (dropped first if a run left it, and by `drop()`).
 */
export async function openBenchDatabase(name: string): Promise<{ database: DatabaseHandle; url?: string; drop(): Promise<void> }> {
  const adminUrl = process.env.BENCH_DATABASE_URL;
  if (!adminUrl) {
    const database = openPglite(await createPglite());
    return { database, drop: async () => {} };
  }
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.unsafe(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = openPostgres(url.toString());
  return {
    database,
    url: url.toString(),
    drop: async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}

/** The app's config for a benchmark: quiet, no demo, no mail worker, on the bench database. */
export function benchConfig(dataDir: string, databaseUrl: string | undefined): Config {
  return loadConfig({
    LOG_LEVEL: 'warn',
    MAIL_WORKER: 'false',
    DEMO_DATA: 'false',
    DATA_DIR: dataDir,
    SESSION_SECRET: randomBytes(32).toString('base64url'),
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  });
}
