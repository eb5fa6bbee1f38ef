// @databases: pglite, postgres
// The worker as it runs for real: the loop inside the app (polling, scheduling reminders, stopping
// cleanly), and several workers at once on PostgreSQL sharing the queue without sending twice.
import t from 'tap';
import { eq } from 'drizzle-orm';
import { buildTestApp } from '../helpers/app.ts';
import { makeWorld, makeRegistration } from '../helpers/factory.ts';
import { testDbKind } from '../helpers/database.ts';
import { openPostgres } from '../../server/db/client.ts';
import { enqueueMail } from '../../server/mail/outbox.ts';
import { smtpTransport } from '../../server/mail/transport.ts';
import { runWorkerOnce, SMTP_TIMEOUTS, startMailWorker, type WorkerCounts } from '../../server/mail/worker.ts';
import { mailKinds } from '../../server/mail-kinds.ts';
import { outbox } from '../../server/db/schema.ts';
import { outboxRows, spawnWorker, startInbox, until } from './helpers.ts';

t.test('the worker loop sends what is queued, queues reminders that are due, and stops cleanly', async (t) => {
  const { db, config, clock } = await buildTestApp(t, { now: '2026-09-29T08:00:00Z' }); // 10:00 Paris, 7 days before
  const inbox = await startInbox(t);
  const world = await makeWorld(db);
  await makeRegistration(db, world.event.id, { email: 'rappel@example.org', createdAt: new Date('2026-09-10T10:00:00Z') });
  await enqueueMail(db, { kind: 'sign_in_link', to: 'boucle@example.org', payload: { url: 'http://localhost:3000/connexion/lien?jeton=abc' }, sendAfter: clock.now() });

  const transport = smtpTransport(inbox.url, { timeouts: SMTP_TIMEOUTS });
  const stop = startMailWorker({ db, config, clock, registry: mailKinds, transport }, { intervalMs: 5 });
  await inbox.waitFor(2);
  await stop();
  t.same(inbox.mails.map((m) => m.parsed.subject).sort(), [`Rappel : ${world.event.title}, dans 7 jours`, 'Votre lien de connexion à Rassembler']);
  t.same((await outboxRows(db)).map((r) => r.status), ['sent', 'sent']);
});

// Workers side by side need several connections to one database: PostgreSQL only (PGlite is one
// connection in one process); on PGlite these tests are reported as skipped, with the reason.
const skip = testDbKind() === 'postgres' ? false : 'PGlite has a single connection: workers side by side can only be tested on PostgreSQL (TEST_DB=postgres)';
t.test('two workers at once on PostgreSQL never send the same mail twice', { skip }, async (t) => {
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
        const counts = await runWorkerOnce({ db: handle.db, config, clock, registry: mailKinds, transport }, { batchSize: 20, concurrency: 4 });
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

t.test('a worker process killed (SIGKILL) mid-batch: another one delivers every mail, none more than twice', { skip, timeout: 180_000 }, async (t) => {
  const { db, database } = await buildTestApp(t);
  const inbox = await startInbox(t, { delayMs: 40 });
  const total = 60;
  // The worker processes run on the real clock: the mails are due now.
  const due = new Date(Date.now() - 1000);
  await enqueueMail(db, ...Array.from({ length: total }, (_, i) => ({ kind: 'sign_in_link' as const, to: `k${i}@example.org`, payload: { url: `http://localhost:3000/connexion/lien?jeton=${i}` }, sendAfter: due })));
  const ids = (await outboxRows(db)).map((r) => r.id);
  const statuses = async () => (await outboxRows(db)).map((r) => r.status);

  const first = spawnWorker(t, database.url!, inbox);
  await inbox.waitFor(10);
  // Kill it once some mails are marked sent while others are still in flight (bounded wait: the
  // worker marks each mail right after the SMTP server accepts it).
  for (let i = 0; i < 100 && !(await statuses()).includes('sent'); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  first.child.kill('SIGKILL');
  t.equal(await first.exited, 'SIGKILL');
  const atKill = await statuses();
  const sentAtKill = atKill.filter((s) => s === 'sent').length;
  t.ok(sentAtKill > 0 && sentAtKill < total, `killed mid-batch (${sentAtKill} of ${total} marked sent, ${inbox.mails.length} received)`);

  // Its lease would keep the rows it held for 5 minutes: end it now, as time would.
  await db.update(outbox).set({ sendAfter: new Date() }).where(eq(outbox.status, 'pending'));
  const second = spawnWorker(t, database.url!, inbox);
  await until('every mail marked sent', async () => (await statuses()).every((s) => s === 'sent'));
  second.child.kill('SIGTERM');
  t.equal(await second.exited, 0, 'the second worker stops cleanly');

  const perMessageId = new Map<string, number>();
  for (const mail of inbox.mails) perMessageId.set(mail.parsed.messageId!, (perMessageId.get(mail.parsed.messageId!) ?? 0) + 1);
  t.same([...perMessageId.keys()].sort(), ids.map((id) => `<outbox-${id}@localhost>`).sort(), 'every mail delivered');
  const twice = [...perMessageId.entries()].filter(([, n]) => n > 1);
  t.ok(twice.every(([, n]) => n === 2), `no mail more than twice (${twice.length} sent twice: those in flight at the kill)`);
  const pendingAtKill = new Set(ids.filter((_, i) => atKill[i] !== 'sent').map((id) => `<outbox-${id}@localhost>`));
  t.ok(twice.every(([messageId]) => pendingAtKill.has(messageId)), 'only mails not yet marked sent at the kill went twice');
});
