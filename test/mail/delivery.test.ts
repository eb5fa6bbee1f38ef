// Delivery guarantees of the outbox and its worker: written with the change or not at all;
// nothing lost while SMTP is down (retried with back-off, delivered when it comes back); a crash
// mid-batch costs at most one duplicate; failed mails shown to administrators and sent again.
import t from 'tap';
import { eq } from 'drizzle-orm';
import { buildTestApp, visibleText } from '../helpers/app.ts';
import { makeWorld } from '../helpers/factory.ts';
import { outbox, registration } from '../../server/db/schema.ts';
import { enqueueMail } from '../../server/mail/outbox.ts';
import { backoffMs, claimDue, LEASE_MS, MAX_ATTEMPTS } from '../../server/mail/worker.ts';
import { register, eraseRegistration } from '../../server/registrations/service.ts';
import { person } from '../registrations/helpers.ts';
import { outboxRow, outboxRows, startInbox, workerFor } from './helpers.ts';

const signIn = (to: string, n = 0) => ({ kind: 'sign_in_link' as const, to, payload: { url: `http://localhost:3000/connexion/lien?jeton=${'x'.repeat(43)}${n}` }, sendAfter: new Date('2026-09-15T08:00:00Z') });

t.test('the outbox row belongs to the transaction of the change: rolled back, nothing is queued', async (t) => {
  const { db, config, clock } = await buildTestApp(t);
  const world = await makeWorld(db);
  await t.rejects(
    db.transaction(async (tx) => {
      const result = await register(tx, clock.now(), world.event.id, person({ email: 'rollback@example.org' }));
      t.ok(result.ok, 'registered and queued inside the transaction');
      t.equal((await tx.select().from(outbox)).length, 1, 'the row is there inside the transaction');
      throw new Error('something later in the same change fails');
    }),
  );
  t.same(await db.select().from(outbox), [], 'no mail queued');
  t.same(await db.select().from(registration), [], 'no registration either');

  const committed = await register(db, clock.now(), world.event.id, person({ email: 'commit@example.org' }));
  t.ok(committed.ok);
  const rows = await outboxRows(db);
  t.same(rows.map((r) => [r.kind, r.recipient, r.status]), [['registration_confirmed', 'commit@example.org', 'pending']]);
});

t.test('the same dedupe key twice queues one mail', async (t) => {
  const { db } = await buildTestApp(t);
  const mail = { ...signIn('a@example.org'), dedupeKey: 'reminder:7:42' };
  t.equal(await enqueueMail(db, mail), 1);
  t.equal(await enqueueMail(db, mail), 0);
  t.equal((await outboxRows(db)).length, 1);
});

t.test('SMTP down: nothing is lost, attempts back off (1, 2, 4 min), everything is delivered once it is back', async (t) => {
  const { db, config, clock } = await buildTestApp(t);
  const inbox = await startInbox(t);
  const worker = workerFor(t, { db, config, clock }, inbox);
  await enqueueMail(db, signIn('a@example.org', 1), signIn('b@example.org', 2), signIn('c@example.org', 3));
  await inbox.down();

  t.same(await worker.run(), { claimed: 3, sent: 0, skipped: 0, retried: 3, failed: 0 });
  let rows = await outboxRows(db);
  t.same(rows.map((r) => [r.status, r.attempts]), [['pending', 1], ['pending', 1], ['pending', 1]]);
  t.same(rows[0]!.sendAfter, new Date(clock.now().getTime() + 60_000), 'next attempt in 1 minute');
  t.match(rows[0]!.lastError, /ECONNREFUSED|connect/i, 'the error is kept');

  t.equal((await worker.run()).claimed, 0, 'not retried before its time');
  clock.advance(60_000);
  t.same(await worker.run(), { claimed: 3, sent: 0, skipped: 0, retried: 3, failed: 0 });
  rows = await outboxRows(db);
  t.same(rows[0]!.sendAfter, new Date(clock.now().getTime() + 2 * 60_000), 'then in 2 minutes');
  t.equal(backoffMs(3), 4 * 60_000, 'then 4');
  t.equal(backoffMs(30), 6 * 3_600_000, 'at most 6 hours');

  await inbox.up();
  clock.advance(2 * 60_000);
  t.same(await worker.run(), { claimed: 3, sent: 3, skipped: 0, retried: 0, failed: 0 });
  t.same(inbox.mails.map((m) => m.envelopeTo[0]).sort(), ['a@example.org', 'b@example.org', 'c@example.org'], 'each delivered once');
  rows = await outboxRows(db);
  t.same(rows.map((r) => [r.status, r.attempts, r.lastError]), [['sent', 3, null], ['sent', 3, null], ['sent', 3, null]]);
});

t.test('after the last attempt a mail is failed, listed for administrators, and « Renvoyer » sends it again', async (t) => {
  const { db, config, clock, agent } = await buildTestApp(t);
  const inbox = await startInbox(t);
  const worker = workerFor(t, { db, config, clock }, inbox);
  await enqueueMail(db, signIn('perdu@example.org'));
  await inbox.down();
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const counts = await worker.run();
    t.equal(counts.claimed, 1, `attempt ${attempt}`);
    clock.advance(backoffMs(attempt));
  }
  const [row] = await outboxRows(db);
  t.equal(row!.status, 'failed');
  t.equal(row!.attempts, MAX_ATTEMPTS);
  t.equal((await worker.run()).claimed, 0, 'a failed mail is not retried on its own');

  const visitor = agent();
  await visitor.signInAs('quelquun@example.org');
  t.equal((await visitor.get('/admin/courriels')).statusCode, 403, 'not for everyone');

  const admin = agent();
  await admin.signInAs('admin@example.org', { isAdmin: true });
  const page = await admin.get('/admin/courriels');
  t.equal(page.statusCode, 200);
  const text = visibleText(page.body);
  t.match(text, /En échec : 1/);
  t.match(text, new RegExp(`${row!.id} Lien de connexion perdu@example\\.org ${MAX_ATTEMPTS} [^R]*(ECONNREFUSED|connect)[^R]* Renvoyer`));

  await inbox.up();
  const resent = await admin.post(`/admin/courriels/${row!.id}/renvoyer`);
  t.equal(resent.statusCode, 303);
  t.equal(resent.headers.location, '/admin/courriels');
  const after = await admin.get('/admin/courriels');
  t.match(visibleText(after.body), new RegExp(`Le courriel n° ${row!.id} est remis dans la file`));
  t.match(visibleText(after.body), /Aucun courriel en échec\./);
  t.same(await worker.run(), { claimed: 1, sent: 1, skipped: 0, retried: 0, failed: 0 });
  t.equal(inbox.to('perdu@example.org').length, 1);
  t.equal((await outboxRow(db, row!.id)).status, 'sent');

  const again = await admin.post(`/admin/courriels/${row!.id}/renvoyer`);
  t.equal(again.statusCode, 303);
  t.match(visibleText((await admin.get('/admin/courriels')).body), /n'est pas en échec : rien à renvoyer/);
});

t.test('a recipient refused for good (550) fails at once, without retrying for hours', async (t) => {
  const { db, config, clock } = await buildTestApp(t);
  const inbox = await startInbox(t, { refuse: (address) => address === 'inconnu@example.org' });
  const worker = workerFor(t, { db, config, clock }, inbox);
  await enqueueMail(db, signIn('inconnu@example.org', 1), signIn('connu@example.org', 2));
  t.same(await worker.run(), { claimed: 2, sent: 1, skipped: 0, retried: 0, failed: 1 });
  const rows = await outboxRows(db);
  t.equal(rows.find((r) => r.recipient === 'inconnu@example.org')!.status, 'failed');
  t.match(rows.find((r) => r.recipient === 'inconnu@example.org')!.lastError, /550/);
  t.equal(inbox.mails.length, 1);
});

t.test('a worker that dies mid-batch: every mail delivered, at most one twice (same Message-ID)', async (t) => {
  const { db, config, clock } = await buildTestApp(t);
  const inbox = await startInbox(t);
  const worker = workerFor(t, { db, config, clock }, inbox);
  await enqueueMail(db, ...Array.from({ length: 10 }, (_, i) => signIn(`p${i}@example.org`, i)));
  const ids = (await outboxRows(db)).map((r) => r.id);

  // Crash right after the 4th mail left and before it was marked sent.
  await t.rejects(
    worker.run({
      concurrency: 1,
      afterSend: (id) => {
        if (id === ids[3]) throw new Error('killed');
      },
    }),
    /killed/,
  );
  t.equal(inbox.mails.length, 4, 'four mails left before the crash');
  const rows = await outboxRows(db);
  t.same(rows.map((r) => r.status), ['sent', 'sent', 'sent', 'pending', 'pending', 'pending', 'pending', 'pending', 'pending', 'pending']);

  t.equal((await worker.run()).claimed, 0, 'the claimed rows wait for their lease to end');
  clock.advance(LEASE_MS);
  t.same(await worker.run(), { claimed: 7, sent: 7, skipped: 0, retried: 0, failed: 0 });

  const perRow = new Map<string, number>();
  for (const mail of inbox.mails) perRow.set(mail.parsed.messageId!, (perRow.get(mail.parsed.messageId!) ?? 0) + 1);
  t.same([...perRow.keys()].sort(), ids.map((id) => `<outbox-${id}@localhost>`).sort(), 'every mail delivered');
  t.same([...perRow.entries()].filter(([, n]) => n > 1), [[`<outbox-${ids[3]}@localhost>`, 2]], 'only the one in flight twice, with the same Message-ID');
  t.same((await outboxRows(db)).map((r) => r.status), Array(10).fill('sent'));
});

t.test('a worker that dies right after claiming: nothing sent, nothing lost', async (t) => {
  const { db, config, clock } = await buildTestApp(t);
  const inbox = await startInbox(t);
  const worker = workerFor(t, { db, config, clock }, inbox);
  await enqueueMail(db, ...Array.from({ length: 5 }, (_, i) => signIn(`q${i}@example.org`, i)));
  const claimed = await claimDue(db, clock.now(), 100); // … and the process is gone
  t.equal(claimed.length, 5);
  t.equal((await worker.run()).claimed, 0);
  clock.advance(LEASE_MS);
  t.same(await worker.run(), { claimed: 5, sent: 5, skipped: 0, retried: 0, failed: 0 });
  t.equal(inbox.mails.length, 5, 'each exactly once');
});

t.test('a mail about a registration gone in the meantime is not sent, and not retried forever', async (t) => {
  const { db, config, clock } = await buildTestApp(t);
  const inbox = await startInbox(t);
  const worker = workerFor(t, { db, config, clock }, inbox);
  const world = await makeWorld(db);
  // Erased by the person: the queued mail goes with it.
  const erased = await register(db, clock.now(), world.event.id, person({ email: 'efface@example.org' }));
  await eraseRegistration(db, config, clock.now(), erased.ok ? erased.registrationId : 0);
  t.equal((await outboxRows(db)).length, 0, 'erasure deletes the queued mail');
  // Gone another way (its event deleted by cascade): the worker skips the mail.
  const result = await register(db, clock.now(), world.event.id, person({ email: 'disparue@example.org' }));
  await db.delete(registration).where(eq(registration.id, result.ok ? result.registrationId : 0));
  t.same(await worker.run(), { claimed: 1, sent: 0, skipped: 1, retried: 0, failed: 0 });
  const [row] = await outboxRows(db);
  t.equal(row!.status, 'sent');
  t.equal(row!.lastError, 'non envoyé : inscription effacée');
  t.equal(row!.messageId, null);
  t.equal(inbox.mails.length, 0);
  t.equal((await db.select().from(registration).where(eq(registration.id, result.ok ? result.registrationId : 0))).length, 0);
});
