// @databases: postgres
// The pool after an outage (docs/decisions/0012): while PostgreSQL is down, every query fails at
// once and the pool keeps trying to connect; once the server is back, the next attempt comes
// within about a second, not after postgres.js's own wait (up to 20 s after a few failed attempts).
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { sql } from 'drizzle-orm';
import { openPostgres, reconnectDelaySeconds } from '../../server/db/client.ts';
import { startThrowawayPostgres, throwawayPostgresUnavailable } from '../helpers/throwaway-postgres.ts';

const unavailable = throwawayPostgresUnavailable();
if (unavailable && process.env.REQUIRE_POSTGRES === '1') t.fail(`REQUIRE_POSTGRES=1 but the reconnect test cannot run: ${unavailable}`);

t.test('the wait between connection attempts grows, then stays at 1 s at most', async (t) => {
  const longest = (retries: number) => Math.max(...Array.from({ length: 200 }, () => reconnectDelaySeconds(retries)));
  t.ok(longest(1) < 0.2, `after one failed attempt: ${longest(1).toFixed(3)} s at most`);
  t.ok(longest(4) > longest(1), 'longer after several');
  for (const retries of [6, 10, 50]) t.ok(longest(retries) <= 1, `after ${retries} failed attempts: ${longest(retries).toFixed(3)} s at most`);
});

t.test('a 5 s outage with queries coming in: serving again within 2.5 s of the server being back', { timeout: 60_000, skip: unavailable ? `needs a throwaway PostgreSQL cluster: ${unavailable}` : false }, async (t) => {
  const cluster = await startThrowawayPostgres();
  t.teardown(() => cluster.destroy());
  const database = openPostgres(cluster.url, 4);
  t.teardown(() => database.close());
  const ping = () => database.db.execute(sql`select 1`);
  await ping();

  await cluster.stop();
  let failed = 0;
  for (const until = Date.now() + 5000; Date.now() < until; await sleep(50)) await ping().catch(() => failed++);
  t.ok(failed > 20, `queries fail while the server is down (${failed})`);

  await cluster.start();
  const back = Date.now();
  let servedAfter: number | undefined;
  while (Date.now() - back < 25_000) {
    if (await ping().then(() => true, () => false)) {
      servedAfter = Date.now() - back;
      break;
    }
    await sleep(20);
  }
  t.ok(servedAfter !== undefined && servedAfter <= 2500, `the first query that succeeds comes ${servedAfter ?? 'more than 25000'} ms after the server is back`);
});
