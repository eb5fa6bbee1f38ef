// The worker as it runs for real: the loop inside the app (polling, scheduling reminders, stopping
// cleanly), and several workers at once on PostgreSQL sharing the queue without sending twice.
import t from 'tap';
import { buildTestApp } from '../helpers/app.ts';
import { makeWorld, makeRegistration } from '../helpers/factory.ts';
import { testDbKind } from '../helpers/database.ts';
import { openPostgres } from '../../server/db/client.ts';
import { enqueueMail } from '../../server/mail/outbox.ts';
import { smtpTransport } from '../../server/mail/transport.ts';
import { runWorkerOnce, SMTP_TIMEOUTS, startMailWorker, type WorkerCounts } from '../../server/mail/worker.ts';
import { outboxRows, startInbox } from './helpers.ts';

t.test('the worker loop sends what is queued, queues reminders that are due, and stops cleanly', async (t) => {
  const { db, config, clock } = await buildTestApp(t, { now: '2026-09-29T08:00:00Z' }); // 10:00 Paris, 7 days before
  const inbox = await startInbox(t);
  const world = await makeWorld(db);
  await makeRegistration(db, world.event.id, { email: 'rappel@example.org', createdAt: new Date('2026-09-10T10:00:00Z') });
  await enqueueMail(db, { kind: 'sign_in_link', to: 'boucle@example.org', payload: { url: 'http://localhost:3000/connexion/lien?jeton=abc' }, sendAfter: clock.now() });

  const transport = smtpTransport(inbox.url, { timeouts: SMTP_TIMEOUTS });
  const stop = startMailWorker({ db, config, clock, transport }, { intervalMs: 5 });
  await inbox.waitFor(2);
  await stop();
  t.same(inbox.mails.map((m) => m.parsed.subject).sort(), [`Rappel : ${world.event.title}, dans 7 jours`, 'Votre lien de connexion à Rassembler']);
  t.same((await outboxRows(db)).map((r) => r.status), ['sent', 'sent']);
});

const onPglite = testDbKind() !== 'postgres';
const pgliteReason = 'PGlite is one connection in one process: workers cannot run side by side on it (run with TEST_DB=postgres)';

t.test('two workers at once on PostgreSQL never send the same mail twice', { skip: onPglite ? pgliteReason : false }, async (t) => {
  const { db, config, clock, database } = await buildTestApp(t);
  const inbox = await startInbox(t);
  const total = 400;
  await enqueueMail(
    db,
    ...Array.from({ length: total }, (_, i) => ({ kind: 'sign_in_link' as const, to: `w${i}@example.org`, payload: { url: `http://localhost:3000/connexion/lien?jeton=${i}` }, sendAfter: clock.now() })),
  );

  // Two workers as two processes would be: their own connection pools and SMTP connections.
  const runWorker = async () => {
    const handle = openPostgres(database.url!, 4);
    const transport = smtpTransport(inbox.url, { timeouts: SMTP_TIMEOUTS });
    const done: WorkerCounts = { claimed: 0, sent: 0, skipped: 0, retried: 0, failed: 0 };
    try {
      for (;;) {
        const counts = await runWorkerOnce({ db: handle.db, config, clock, transport }, { batchSize: 20, concurrency: 4 });
        if (counts.claimed === 0) return done;
        for (const key of Object.keys(done) as Array<keyof WorkerCounts>) done[key] += counts[key];
      }
    } finally {
      transport.close();
      await handle.close();
    }
  };
  const [a, b] = await Promise.all([runWorker(), runWorker()]);
  t.equal(a.sent + b.sent, total, `all sent (worker A ${a.sent}, worker B ${b.sent})`);
  t.ok(a.sent > 0 && b.sent > 0, 'both workers took part');
  t.equal(inbox.mails.length, total, 'as many mails received as queued');
  t.equal(new Set(inbox.mails.map((m) => m.parsed.messageId)).size, total, 'no Message-ID twice');
  t.same(new Set((await outboxRows(db)).map((r) => r.status)), new Set(['sent']));
});
