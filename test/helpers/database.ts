// One migrated database per test file, cloned once from a template made once per set of
// migrations (a PGlite data-dir dump, or a PostgreSQL template database, TEST_DB=postgres), and
// emptied again whenever a test asks for a database: every test starts from an empty database,
// identities restarted, as if freshly cloned, without paying a database boot per test.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import tap from 'tap';
import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { createPglite, openPglite, openPostgres, queryRows, type DatabaseHandle } from '../../server/db/client.ts';
import { migrationsFolder, runMigrations } from '../../server/db/migrate.ts';

export type TestDbKind = 'pglite' | 'postgres';

export function testDbKind(): TestDbKind {
  return process.env.TEST_DB === 'postgres' ? 'postgres' : 'pglite';
}

/** postgres://… of a database we may create databases from (maintenance db). */
export function testDatabaseUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DB=postgres needs TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres)');
  return url;
}

function migrationsHash(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const name of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, name.name);
      if (name.isDirectory()) walk(full);
      else hash.update(name.name).update(readFileSync(full));
    }
  };
  walk(migrationsFolder);
  return hash.digest('hex').slice(0, 12);
}

const cacheDir = path.resolve('.tap', 'db-templates');

async function pgliteTemplate(): Promise<Blob> {
  const file = path.join(cacheDir, `pglite-${migrationsHash()}.tar.gz`);
  if (!existsSync(file)) {
    const client = await createPglite();
    const handle = openPglite(client);
    await runMigrations(handle);
    const dump = await client.dumpDataDir('gzip');
    await client.close();
    mkdirSync(cacheDir, { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, Buffer.from(await dump.arrayBuffer()));
    renameSync(temp, file); // atomic: parallel test files never read half a template
  }
  return new Blob([readFileSync(file)]);
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function postgresTemplate(admin: postgres.Sql): Promise<string> {
  const name = `rassembler_tpl_${migrationsHash()}`;
  await admin`select pg_advisory_lock(7311002)`;
  try {
    const [exists] = await admin`select 1 from pg_database where datname = ${name}`;
    if (!exists) {
      const building = `${name}_build_${process.pid}`;
      await admin.unsafe(`create database "${building}"`);
      const handle = openPostgres(withDatabase(testDatabaseUrl(), building), 2);
      await runMigrations(handle);
      await handle.close();
      await admin.unsafe(`alter database "${building}" rename to "${name}"`);
    }
  } finally {
    await admin`select pg_advisory_unlock(7311002)`;
  }
  return name;
}

/** This file's database, made on the first request and dropped when the file's tests are over. */
interface FileDatabase {
  url?: string;
  /** A handle of its own for one test (a new Database object, so no per-handle cache survives a test). */
  open(teardown: (fn: () => Promise<void>) => void): DatabaseHandle;
  /** Whether a test has had it since it was last emptied. */
  used: boolean;
  /** Its schema objects as the template made them (schemaObjects). */
  schema?: string;
}

let fileDatabase: Promise<FileDatabase> | undefined;

async function openFileDatabase(): Promise<FileDatabase> {
  if (testDbKind() === 'pglite') {
    const client: PGlite = await createPglite({ loadDataDir: await pgliteTemplate() });
    tap.teardown(() => client.close());
    // PGlite is one connection: each test gets its own drizzle object over it, never closed alone.
    return { used: false, open: () => ({ ...openPglite(client), close: async () => {} }) };
  }
  const admin = postgres(testDatabaseUrl(), { max: 1, onnotice: () => {} });
  const template = await postgresTemplate(admin);
  const name = `rassembler_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.unsafe(`create database "${name}" template "${template}"`);
      break;
    } catch (error) {
      // Two files cloning the template at the same instant: PostgreSQL refuses one; retry.
      if (attempt >= 20 || !/being accessed by other users/.test(String(error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 + attempt * 50));
    }
  }
  const url = withDatabase(testDatabaseUrl(), name);
  tap.teardown(async () => {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end({ timeout: 5 });
  });
  // Each test gets its own pool, as with a database of its own: no session state crosses tests.
  return {
    url,
    used: false,
    open: (teardown) => {
      const handle = openPostgres(url, 20);
      teardown(() => handle.close());
      return handle;
    },
  };
}

// What empties a database made from the template: one statement, built once per file from the
// catalog. DELETE, children before parents, then the sequences restarted: TRUNCATE gives the
// same state but costs a new file per table (0.6 s a test on PostgreSQL here, against 0.03 s).
// drizzle's own bookkeeping lives in the `drizzle` schema and stays.
let emptying: string | undefined;

async function emptyingStatement(handle: DatabaseHandle): Promise<string> {
  const tables = await queryRows<{ name: string }>(handle.db, sql`select tablename as name from pg_tables where schemaname = 'public'`);
  const references = await queryRows<{ child: string; parent: string }>(
    handle.db,
    sql`select conrelid::regclass::text as child, confrelid::regclass::text as parent from pg_constraint where contype = 'f' and connamespace = 'public'::regnamespace`,
  );
  const sequences = await queryRows<{ name: string }>(handle.db, sql`select sequencename as name from pg_sequences where schemaname = 'public'`);
  let left = tables.map((t) => t.name);
  const order: string[] = [];
  while (left.length > 0) {
    // A table goes once no other table left still points at it.
    const free = left.filter((table) => !references.some((r) => r.parent === table && r.child !== table && left.includes(r.child)));
    if (free.length === 0) throw new Error(`foreign keys in a cycle between ${left.join(', ')}: cannot empty the test database table by table`);
    order.push(...free.sort());
    left = left.filter((table) => !free.includes(table));
  }
  const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
  const statements = [...order.map((table) => `delete from ${quote(table)};`), ...sequences.map((s) => `alter sequence ${quote(s.name)} restart;`)];
  // One DO block: a single statement, which both drivers' extended protocol accepts.
  return `do $$ begin ${statements.join(' ')} end $$`;
}

/** Back to the state of a fresh clone: no rows, sequences restarted (tests compare ids). */
async function empty(handle: DatabaseHandle): Promise<void> {
  emptying ??= await emptyingStatement(handle);
  await handle.db.execute(sql.raw(emptying));
}

/**
 * What a test may change besides rows, counted: a trigger or function a test creates and leaves
 * would act in every later test of the process (several files share it, docs/decisions/0020), far
 * from its cause. Checked whenever the database is handed out again.
 */
async function schemaObjects(handle: DatabaseHandle): Promise<string> {
  const [row] = await queryRows<{ objects: string }>(
    handle.db,
    sql`select concat_ws(' ', (select count(*) from pg_trigger where not tgisinternal) || ' triggers',
                              (select count(*) from pg_proc where pronamespace = 'public'::regnamespace) || ' functions',
                              (select count(*) from pg_class where relnamespace = 'public'::regnamespace) || ' relations') as objects`,
  );
  return row!.objects;
}

export interface TestDatabase extends DatabaseHandle {
  /** The PostgreSQL URL of this file's own database (postgres only). */
  url?: string;
}

/**
 * An empty migrated database for the calling test: the file's database, emptied if an earlier
 * call had it. A handle asked for earlier sees the same (emptied) database. The test's
 * `teardown` releases what the handle holds (its pool on PostgreSQL); the database itself is
 * dropped or closed once, when the file's tests are over.
 */
export async function createTestDatabase(teardown: (fn: () => Promise<void>) => void): Promise<TestDatabase> {
  fileDatabase ??= openFileDatabase();
  const file = await fileDatabase;
  const handle = file.open(teardown);
  file.schema ??= await schemaObjects(handle);
  if (file.used) {
    const now = await schemaObjects(handle);
    if (now !== file.schema) throw new Error(`an earlier test changed the database's schema (${file.schema} → ${now}) and did not undo it in its teardown`);
    await empty(handle);
  }
  file.used = true;
  return { ...handle, url: file.url };
}
