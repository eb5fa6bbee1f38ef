// @databases: postgres
// PostgreSQL stopped for a while (docs/decisions/0013): pages and feeds already served are still
// served, marked good for a short while only; anything else gets a French 503 at once (not after
// a long wait); the probes say so; once PostgreSQL is back the app serves again by itself.
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { buildTestApp, visibleText } from '../helpers/app.ts';
import { makeWorld } from '../helpers/factory.ts';
import { openPostgres } from '../../server/db/client.ts';
import { runMigrations } from '../../server/db/migrate.ts';
import { startThrowawayPostgres, throwawayPostgresUnavailable } from '../helpers/throwaway-postgres.ts';

const unavailable = throwawayPostgresUnavailable();
if (unavailable && process.env.REQUIRE_POSTGRES === '1') t.fail(`REQUIRE_POSTGRES=1 but the outage test cannot run: ${unavailable}`);

/** The response and how long it took (real time: the point is not waiting). */
async function timed<T>(request: () => Promise<T>): Promise<{ res: T; ms: number }> {
  const started = performance.now();
  const res = await request();
  return { res, ms: Math.round(performance.now() - started) };
}

t.test('an outage: cached pages still served (short Cache-Control), the rest a French 503 at once, recovery alone', { timeout: 120_000, skip: unavailable ? `needs a throwaway PostgreSQL cluster: ${unavailable}` : false }, async (t) => {
  const cluster = await startThrowawayPostgres();
  t.teardown(() => cluster.destroy());
  const database = openPostgres(cluster.url, 4);
  t.teardown(() => database.close());
  await runMigrations(database);
  const { agent, db } = await buildTestApp(t, { database });
  const { event: ev, organisation } = await makeWorld(db, { title: 'Ciné-débat au Méliès' });
  const a = agent();
  const warm = await a.get('/programme');
  t.match(visibleText(warm.body), 'Ciné-débat au Méliès');
  t.equal(warm.headers['cache-control'], 'private, no-cache');
  t.equal((await a.get(`/evenements/${ev.id}`)).statusCode, 200);
  const feed = await a.get('/programme/agenda.ics');
  t.equal(feed.statusCode, 200);
  t.equal(feed.headers['cache-control'], 'public, no-cache');

  await cluster.stop();

  const cached = await timed(() => a.get('/programme'));
  t.equal(cached.res.statusCode, 200, 'the cached programme is served');
  t.match(visibleText(cached.res.body), 'Ciné-débat au Méliès');
  t.equal(cached.res.headers['cache-control'], 'private, max-age=30', 'stale: good for 30 s only');
  t.ok(cached.ms < 2000, `at once (${cached.ms} ms)`);
  t.equal((await a.get(`/evenements/${ev.id}`)).statusCode, 200, 'and the cached event page');
  const staleFeed = await a.get('/programme/agenda.ics');
  t.equal(staleFeed.statusCode, 200, 'the programme feed served before is served again');
  t.equal(staleFeed.body, feed.body, 'as it was');
  t.equal(staleFeed.headers['cache-control'], 'private, max-age=30', 'stale: good for 30 s only');
  t.equal((await a.get(`/organisations/${organisation.id}/agenda.ics`)).statusCode, 503, 'a feed never served: 503');

  const other = await timed(() => a.get('/programme?q=jardin'));
  t.equal(other.res.statusCode, 503, 'a page not in the cache: 503');
  t.ok(other.ms < 2500, `within about 2 s (${other.ms} ms)`);
  t.equal(other.res.headers['retry-after'], '30');
  t.match(visibleText(other.res.body), 'Service momentanément indisponible');
  t.match(visibleText(other.res.body), "Rien de ce que vous aviez déjà enregistré n'est perdu.");
  t.equal((await a.get('/readyz')).statusCode, 503, 'not ready');
  t.equal((await a.get('/healthz')).statusCode, 200, 'but alive: no restart needed');

  await cluster.start();
  let back: number | undefined;
  for (let waited = 0; waited <= 5000; waited += 100) {
    if ((await a.get('/programme?q=jardin')).statusCode === 200) {
      back = waited;
      break;
    }
    await sleep(100);
  }
  t.ok(back !== undefined, `serving again by itself within 5 s of PostgreSQL (${back ?? 'more than 5000'} ms)`);
  const fresh = await a.get('/programme');
  t.equal(fresh.headers['cache-control'], 'private, no-cache', 'fresh again');
  t.equal((await a.get('/readyz')).statusCode, 200);
});
