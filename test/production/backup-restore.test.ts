// @databases: postgres
// The backup of docs/deploy/systemd/rassembler-backup.service, run as shipped, and the restore
// README « Production » gives: every row comes back, and the app starts on the restored database
// (its readiness probe checks that the migrations are all there) and shows the same programme.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { seedDemo } from '../../server/demo/index.ts';
import { openPostgres, queryRows, type Database } from '../../server/db/client.ts';
import { createTestDatabase, testDatabaseUrl } from '../helpers/database.ts';
import { freePort } from '../helpers/free-port.ts';
import { buildTestApp, TEST_SECRET } from '../helpers/app.ts';
import { answers200, load, startApp, waitFor } from './helpers.ts';

const UNIT = 'docs/deploy/systemd/rassembler-backup.service';

/** The unit's ExecStart command, as systemd hands it to /bin/sh (`%%` is a literal `%`). */
function backupCommand(backupDir: string): string {
  const line = readFileSync(UNIT, 'utf8').split('\n').find((l) => l.startsWith('ExecStart='))!;
  const command = /^ExecStart=\/bin\/sh -c '(.*)'$/.exec(line)![1]!;
  return command.replaceAll('%%', '%').replaceAll('/var/backups/rassembler', backupDir);
}

async function rowCounts(db: Database): Promise<Record<string, number>> {
  const tables = await queryRows<{ name: string }>(db, sql`select tablename as name from pg_tables where schemaname = 'public' order by tablename`);
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from ${sql.identifier(name)}`);
    counts[name] = row!.n;
  }
  return counts;
}

t.test('a nightly dump restores into a database the app starts on', { timeout: 120_000 }, async (t) => {
  const source = await createTestDatabase(t.teardown);
  await seedDemo(source.db, { now: new Date(), theme: 'Sauvegarde' });
  const before = await rowCounts(source.db);
  const original = await buildTestApp(t, { database: source, now: new Date() });

  const backupDir = mkdtempSync(path.join(os.tmpdir(), 'rassembler-backup-'));
  t.teardown(() => rmSync(backupDir, { recursive: true, force: true }));
  execFileSync('/bin/sh', ['-c', backupCommand(backupDir)], { env: { ...process.env, DATABASE_URL: source.url! } });
  const dumps = readdirSync(backupDir);
  t.match(dumps, [/^rassembler-\d{8}-\d{4}\.dump$/], 'one dump, named by date and time');

  // The restore of README « Production »: a new empty database, then pg_restore.
  const admin = postgres(testDatabaseUrl(), { max: 1, onnotice: () => {} });
  const restoredName = `rassembler_restored_${process.pid}`;
  await admin.unsafe(`drop database if exists ${restoredName}`);
  await admin.unsafe(`create database ${restoredName}`);
  t.teardown(async () => {
    await admin.unsafe(`drop database if exists ${restoredName} with (force)`);
    await admin.end();
  });
  const restoredUrl = Object.assign(new URL(testDatabaseUrl()), { pathname: `/${restoredName}` }).toString();
  execFileSync('pg_restore', ['--no-owner', '--exit-on-error', `--dbname=${restoredUrl}`, path.join(backupDir, dumps[0]!)]);

  const restored = openPostgres(restoredUrl, 1);
  t.teardown(() => restored.close());
  t.same(await rowCounts(restored.db), before, 'every table has the same number of rows');

  const port = await freePort();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rassembler-restored-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const app = startApp({ DATABASE_URL: restoredUrl, PORT: String(port), HOST: '127.0.0.1', SESSION_SECRET: TEST_SECRET, DEMO_DATA: 'false', MAIL_WORKER: 'false', LOG_LEVEL: 'warn', DATA_DIR: dataDir });
  t.teardown(() => app.stop());
  const base = `http://127.0.0.1:${port}`;
  if (!t.ok(await waitFor(() => answers200(`${base}/readyz`), 60_000, () => app.exit !== undefined), 'the app is ready on the restored database (migrations current)')) return void t.comment(app.output());
  const heading = (html: string) => /<h2 id="resultats-titre"[^>]*>([^<]*)/.exec(html)?.[1];
  const shown = heading((await load(`${base}/programme`)).body);
  t.comment(`programme on the restored database: ${shown}`);
  t.match(shown, /^\d+ événements au programme$/, 'the programme lists events');
  t.equal(shown, heading((await original.app.inject('/programme')).body), 'the same as on the original database');
  // The compiled app (dist/main.js) reads files beside its code: the booklet draws the site's own
  // pictograms from static/img/access.svg (a path relative to the module broke once bundled).
  const pdf = await fetch(`${base}/programme.pdf?format=a5`, { signal: AbortSignal.timeout(30_000) });
  t.equal(pdf.status, 200, 'the booklet is made by the compiled app');
  t.match(pdf.headers.get('content-type'), /^application\/pdf/);
});
