// @databases: pglite, postgres
// The probes the proxy and the supervisor use: what each says, on both databases.
import t from 'tap';
import { sql } from 'drizzle-orm';
import { buildTestApp } from '../helpers/app.ts';
import { createPglite, openPglite, openPostgres } from '../../server/db/client.ts';

t.test('/healthz: the process answers; /readyz: the database answers with every migration', async (t) => {
  const { agent, db } = await buildTestApp(t);
  const a = agent();
  const health = await a.get('/healthz');
  t.equal(health.statusCode, 200);
  t.equal(health.body, 'ok\n');
  t.equal(health.headers['cache-control'], 'no-store');
  t.notOk(health.headers['set-cookie'], 'no session, no CSRF cookie');
  const ready = await a.get('/readyz');
  t.equal(ready.statusCode, 200);
  t.equal(ready.body, 'prêt\n');

  // As if this code were newer than the database: its newest migration is not applied.
  await db.execute(sql`delete from drizzle.__drizzle_migrations where created_at = (select max(created_at) from drizzle.__drizzle_migrations)`);
  const behind = await a.get('/readyz');
  t.equal(behind.statusCode, 503);
  t.equal(behind.body, 'pas prêt : des migrations de la base ne sont pas appliquées\n');
  t.equal((await a.get('/healthz')).statusCode, 200, 'the process itself is fine');
});

t.test('/readyz says 503 when the database cannot be reached; /healthz still 200', async (t) => {
  const kind = process.env.TEST_DB === 'postgres' ? 'postgres' : 'pglite';
  // A port nobody listens on, or an embedded database already closed.
  const database = kind === 'postgres' ? openPostgres('postgres://postgres@127.0.0.1:1/absente', 1) : openPglite(await createPglite());
  if (kind === 'pglite') await database.close();
  t.teardown(() => (kind === 'postgres' ? database.close() : undefined));
  const { agent } = await buildTestApp(t, { database });
  const a = agent();
  const ready = await a.get('/readyz');
  t.equal(ready.statusCode, 503);
  t.equal(ready.body, 'pas prêt : la base de données est injoignable\n');
  t.equal((await a.get('/healthz')).statusCode, 200);
});
