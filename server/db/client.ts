// One database handle for the whole app: PGlite (embedded, under DATA_DIR) by default,
// postgres.js when DATABASE_URL is set. Same schema, same migrations, same SQL.
import { cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import postgres from 'postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema.ts';
import { projectPath } from '../lib/project-path.ts';

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction is a Database too: services accept either. */
export type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

export interface DatabaseHandle {
  db: Database;
  kind: 'pglite' | 'postgres';
  /** The PostgreSQL URL, when kind is postgres. */
  url?: string;
  close(): Promise<void>;
}

/**
 * Every PGlite the project opens (app, tests, benchmarks), in memory or in `dataDir`: with the
 * extensions the migrations need (unaccent, for accent-insensitive search).
 */
export function createPglite(options: { dataDir?: string; loadDataDir?: Blob } = {}): Promise<PGlite> {
  // PostgreSQL's default 128 MB of shared buffers live in the WebAssembly memory, which never
  // shrinks: a territory's programme fits in 32 MB (issue 18: idle process 360 → 260 MiB).
  return PGlite.create({ ...options, extensions: { unaccent }, startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=32MB'] });
}

// Statements sent to each embedded database that may have written (see localWriteCount).
const writesByClient = new WeakMap<PGlite, { count: number }>();
const writesByDb = new WeakMap<Database, { count: number }>();
const READ = /^\s*select\b/i;

export function openPglite(client: PGlite): DatabaseHandle {
  let writes = writesByClient.get(client);
  if (!writes) writesByClient.set(client, (writes = { count: 0 }));
  const counted = writes;
  const db = drizzlePglite(client, {
    schema,
    // Every statement the app sends goes through here, in transactions too.
    logger: { logQuery: (query) => void (READ.test(query) ? undefined : counted.count++) },
  }) as unknown as Database;
  writesByDb.set(db, counted);
  return { db, kind: 'pglite', close: () => client.close() };
}

/**
 * For an embedded database, the number of statements sent so far that may have written (all but
 * SELECTs): PGlite runs inside this process, which alone writes to it, so an unchanged number
 * means unchanged data, known without asking the database. Undefined for PostgreSQL, which other
 * processes write to.
 */
export function localWriteCount(db: Database): (() => number) | undefined {
  const writes = writesByDb.get(db);
  return writes && (() => writes.count);
}

/**
 * How long the pool waits before its next connection attempt after `retries` failed ones in a row.
 * postgres.js grows it as 3^retries / 100 s up to 20 s, and meanwhile fails every query at once:
 * a restart long enough for six failed attempts (a few seconds under load) left the app refusing
 * pages for up to 7 s after the server was back (docs/decisions/0012). Attempts against a server
 * that is down are refused at once and cost nothing, so the wait stops growing at 1 s.
 */
export function reconnectDelaySeconds(retries: number): number {
  return Math.min(0.05 * 2 ** retries, 1) * (0.5 + Math.random() / 2);
}

export function openPostgres(url: string, max = 10): DatabaseHandle {
  // A server that does not answer is given 2 s (postgres.js waits 30 s by default): during an
  // outage a request fails fast with a 503 instead of holding its connection.
  // JIT compilation pays off for long analytic queries, not for these: a programme query the
  // planner guesses costly would spend ~100 ms compiling before a few ms of work.
  const client = postgres(url, { max, connect_timeout: 2, backoff: reconnectDelaySeconds, onnotice: () => {}, connection: { application_name: 'rassembler', jit: 'off' } });
  return {
    db: drizzlePostgres(client, { schema }) as unknown as Database,
    kind: 'postgres',
    url,
    close: () => client.end({ timeout: 5 }),
  };
}

/** The embedded database created and migrated at build time (scripts/build.mjs), when built. */
const PGLITE_TEMPLATE = projectPath('dist', 'pglite-template');

export async function openDatabase(options: { databaseUrl: string | undefined; dataDir: string }): Promise<DatabaseHandle> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl);
  const dir = path.join(options.dataDir, 'pgdata');
  mkdirSync(dir, { recursive: true });
  // A new data directory is a copy of the template's files (~0.3 s) rather than made by initdb and
  // every migration (~5 s), nor unpacked by PGlite from a tarball (~1.5 s: gunzip, then each file
  // written through the WebAssembly file system); the migrations that follow at start find it current.
  if (readdirSync(dir).length === 0 && existsSync(PGLITE_TEMPLATE)) cpSync(PGLITE_TEMPLATE, dir, { recursive: true });
  return openPglite(await createPglite({ dataDir: dir }));
}

/**
 * A PostgreSQL array literal (`{"a","b"}`) for one parameter cast to an array type
 * (`${pgArray(ids)}::int[]`): one parameter whatever the number of values, where a list of
 * parameters has a limit, and the same text for the server's prepared statement every time.
 */
export function pgArray(values: ReadonlyArray<string | number>): string {
  return `{${values.map((v) => `"${String(v).replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}

/** Rows of a raw query: the two drivers shape `execute` results differently. */
export async function queryRows<T>(db: Database, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows?: T[] } | T[];
  return Array.isArray(result) ? result : (result.rows ?? []);
}

// SQLSTATE classes and codes of a server that is going away or refusing sessions: 08 (connection
// exception), 57P01–57P03 (shut down, crash, cannot connect now), 53300 (too many connections).
const UNAVAILABLE_STATES = /^(08...|57P0[123]|53300)$/;
// Node's and postgres.js's own codes for a connection that could not be made or was lost.
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'CONNECT_TIMEOUT', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED']);

/** Whether an error (or its cause, drizzle wraps them) says the database cannot be reached now,
 *  as opposed to a query it refused: the first is worth a 503 and a retry, the second is a bug. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    const code = typeof e.code === 'string' ? e.code : '';
    if (UNAVAILABLE_CODES.has(code) || UNAVAILABLE_STATES.test(code)) return true;
    if (e.message === 'PGlite is closed') return true;
  }
  return false;
}
