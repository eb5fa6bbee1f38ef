// @databases: postgres
// Several app processes on one PostgreSQL share the rate limits' counts: two apps on one database
// stand for two processes behind a load balancer (each has its own memory, nothing else).
import t from 'tap';
import { buildTestApp } from '../helpers/app.ts';
import { rateLimitHit } from '../../server/db/schema.ts';
import { forgetEndedRateLimits } from '../../server/plugins/rate-limit-store.ts';

t.test('the per-address limit of sign-in requests holds across two app processes', async (t) => {
  const first = await buildTestApp(t);
  const second = await buildTestApp(t, { database: first.database });
  const [a, b] = [first.agent(), second.agent()];
  const answers: number[] = [];
  // Alternating between the two processes, as a load balancer would.
  for (let i = 0; i < 10; i++) answers.push((await (i % 2 ? b : a).post('/connexion', { email: `personne${i}@example.org` })).statusCode);
  t.same(answers, Array(10).fill(303), 'ten requests in the minute, five on each process');
  const refused = await b.post('/connexion', { email: 'encore@example.org' });
  t.equal(refused.statusCode, 429, 'the eleventh is refused, though this process saw five');
  t.equal((await a.post('/connexion', { email: 'encore@example.org' })).statusCode, 429, 'on the other one too');
  // Another limited route counts on its own.
  t.not((await a.post('/connexion/lien', { jeton: 'x'.repeat(43) })).statusCode, 429, 'the link page is not affected');
  const rows = await first.db.select().from(rateLimitHit);
  t.same(rows.map((r) => [r.key, r.count]).sort(), [['POST /connexion 127.0.0.1', 12], ['POST /connexion/lien 127.0.0.1', 1]]);

  // Addresses are personal data: the hourly purge deletes the counts once their window has ended.
  t.equal(await forgetEndedRateLimits(first.db), 0, 'windows still running: kept');
  await first.db.update(rateLimitHit).set({ windowEndsAt: new Date(Date.now() - 1000) });
  t.equal(await forgetEndedRateLimits(first.db), 2);
  t.same(await first.db.select().from(rateLimitHit), []);
});
