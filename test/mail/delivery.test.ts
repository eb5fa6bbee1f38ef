// @databases: pglite, postgres
// Delivery guarantees of the outbox and its worker: written with the change or not at all;
// nothing lost while SMTP is down (retried with back-off, delivered when it comes back); a crash
// mid-batch costs at most one duplicate; failed mails shown to administrators and sent again.
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import t, { type Test } from 'tap';
import { eq, sql } from 'drizzle-orm';
import { buildTestApp, visibleText } from '../helpers/app.ts';
import { makeRegistration, makeWorld } from '../helpers/factory.ts';
import { pgArray, queryRows } from '../../server/db/client.ts';
import { outbox, registration, registrationToken } from '../../server/db/schema.ts';
import { enqueueMail } from '../../server/mail/outbox.ts';
import { newRenderBatch } from '../../server/mail/batch.ts';
import { mailKinds, renderMail } from '../../server/mail-kinds.ts';
import { registrationMailBatch } from '../../server/registrations/mails-batch.ts';
import { randomToken } from '../../server/lib/tokens.ts';
import { registrationIdForToken, storeTokens } from '../../server/registrations/links.ts';
import { smtpTransport } from '../../server/mail/transport.ts';
import { backoffMs, claimDue, LEASE_MS, MAX_ATTEMPTS } from '../../server/mail/claims.ts';
import type { MailTransport } from '../../server/mail/transport.ts';
import { runWorkerOnce, SMTP_TIMEOUTS } from '../../server/mail/worker.ts';
import { eraseRegistration } from '../../server/registrations/manage.ts';
import { register } from '../../server/registrations/register.ts';
import { person } from '../registrations/helpers.ts';
import { findOrCreateUser } from '../../server/accounts/people.ts';
import { queueInvitation } from '../../server/accounts/sign-in.ts';
import { linksOf, outboxRow, outboxRows, startInbox, workerFor } from './helpers.ts';

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

t.test('after the last attempt a mail is failed, listed for administrators, and « Renvoyer » sends it again (not a sign-in link, erased)', async (t) => {
  const { db, config, clock, agent } = await buildTestApp(t);
  const inbox = await startInbox(t);
  const worker = workerFor(t, { db, config, clock }, inbox);
  const world = await makeWorld(db);
  await enqueueMail(db, signIn('perdu@example.org'));
  t.ok((await register(db, clock.now(), world.event.id, person({ email: 'inscrite@example.org' }))).ok);
  await inbox.down();
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const counts = await worker.run();
    t.equal(counts.claimed, 2, `attempt ${attempt}`);
    clock.advance(backoffMs(attempt));
  }
  const [link, confirmation] = await outboxRows(db);
  t.same([link!.status, confirmation!.status], ['failed', 'failed']);
  t.equal(link!.attempts, MAX_ATTEMPTS);
  t.same(link!.payload, {}, 'the sign-in link is not kept at rest');
  t.same(confirmation!.payload, { registrationId: (await db.select().from(registration))[0]!.id }, 'the rest of the payload is kept');
  t.equal((await worker.run()).claimed, 0, 'a failed mail is not retried on its own');

  const visitor = agent();
  await visitor.signInAs('quelquun@example.org');
  t.equal((await visitor.get('/admin/courriels')).statusCode, 403, 'not for everyone');

  const admin = agent();
  await admin.signInAs('admin@example.org', { isAdmin: true });
  const page = await admin.get('/admin/courriels');
  t.equal(page.statusCode, 200);
  const text = visibleText(page.body);
  t.match(text, /En échec : 2/);
  t.match(text, new RegExp(`${link!.id} Lien de connexion perdu@example\\.org ${MAX_ATTEMPTS} [^R]*(ECONNREFUSED|connect)[^R]* Renvoyer`));

  await inbox.up();
  const refused = await admin.post(`/admin/courriels/${link!.id}/renvoyer`);
  t.equal(refused.statusCode, 303);
  t.match(
    visibleText((await admin.get('/admin/courriels')).body),
    new RegExp(`Le courriel n° ${link!.id} ne peut pas être renvoyé : son lien de connexion a été effacé après l'échec, par sécurité\\. La personne peut demander un nouveau lien sur la page « Connexion »`),
  );
  t.equal((await outboxRow(db, link!.id)).status, 'failed', 'still failed, still listed');

  const resent = await admin.post(`/admin/courriels/${confirmation!.id}/renvoyer`);
  t.equal(resent.statusCode, 303);
  t.equal(resent.headers.location, '/admin/courriels');
  const after = await admin.get('/admin/courriels');
  t.match(visibleText(after.body), new RegExp(`Le courriel n° ${confirmation!.id} est remis dans la file`));
  t.match(visibleText(after.body), /En échec : 1/);
  t.same(await worker.run(), { claimed: 1, sent: 1, skipped: 0, retried: 0, failed: 0 });
  t.equal(inbox.to('inscrite@example.org').length, 1);
  t.equal(inbox.mails.length, 1, 'the sign-in mail did not leave');
  t.equal((await outboxRow(db, confirmation!.id)).status, 'sent');

  const again = await admin.post(`/admin/courriels/${confirmation!.id}/renvoyer`);
  t.equal(again.statusCode, 303);
  t.match(visibleText((await admin.get('/admin/courriels')).body), /n'est pas en échec : rien à renvoyer/);
});

t.test('once delivered, a sign-in or invitation mail no longer holds its link; other payloads are kept', async (t) => {
  const { db, config, clock } = await buildTestApp(t);
  const inbox = await startInbox(t);
  const worker = workerFor(t, { db, config, clock }, inbox);
  const world = await makeWorld(db);
  const admin = await findOrCreateUser(db, 'admin@example.org');
  await queueInvitation(db, { email: 'invitee@example.org', now: clock.now(), publicUrl: config.publicUrl, invitedByUserId: admin.user.id, organisationId: world.organisation.id });
  await enqueueMail(db, signIn('lien@example.org', 7));
  t.ok((await register(db, clock.now(), world.event.id, person({ email: 'inscrit@example.org' }))).ok);
  const before = await outboxRows(db);
  t.match(before.find((r) => r.kind === 'invitation')!.payload, { url: /jeton=/ }, 'queued with its link');

  t.same(await worker.run(), { claimed: 3, sent: 3, skipped: 0, retried: 0, failed: 0 });
  const invitationUrl = linksOf(inbox.to('invitee@example.org')[0]!).find((l) => l.includes('jeton='))!;
  t.ok(invitationUrl, 'the invitation mail carries the link');
  const rows = await outboxRows(db);
  const invitation = rows.find((r) => r.kind === 'invitation')!;
  t.same(Object.keys(invitation.payload).sort(), ['expiresAt', 'invitedByUserId', 'organisationId'], 'the invitation is stored without its link');
  t.same(rows.find((r) => r.kind === 'sign_in_link')!.payload, {});
  t.notOk(rows.some((r) => JSON.stringify(r.payload).includes('jeton')), 'no token anywhere in the outbox');
  t.match(rows.find((r) => r.kind === 'registration_confirmed')!.payload, { registrationId: Number });
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

t.test('eight mails in flight, marked sent in shared statements: each row with its own Message-ID; a refused one and one taken over are left alone', async (t) => {
  const { db, config, clock } = await buildTestApp(t);
  const inbox = await startInbox(t, { refuse: (address) => address === 'refuse@example.org', delayMs: 5 });
  const worker = workerFor(t, { db, config, clock }, inbox);
  await enqueueMail(db, ...Array.from({ length: 30 }, (_, i) => signIn(i === 7 ? 'refuse@example.org' : `g${i}@example.org`, i)));
  const ids = (await outboxRows(db)).map((r) => r.id);
  const takenOver = ids[12]!;

  const counts = await worker.run({
    concurrency: 8,
    // Another worker claims this row between its send and its marking (its lease ran out).
    afterSend: async (id) => {
      if (id === takenOver) await db.update(outbox).set({ attempts: 2 }).where(eq(outbox.id, id));
    },
  });
  t.same(counts, { claimed: 30, sent: 29, skipped: 0, retried: 0, failed: 1 });
  const rows = await outboxRows(db);
  const sent = rows.filter((r) => r.id !== takenOver && r.recipient !== 'refuse@example.org');
  t.equal(sent.length, 28);
  t.ok(
    sent.every((r) => r.status === 'sent' && r.messageId === `<outbox-${r.id}@localhost>` && r.sentAt?.getTime() === clock.now().getTime() && r.lastError === null),
    'every row marked sent with its own Message-ID',
  );
  t.ok(sent.every((r) => Object.keys(r.payload).length === 0), 'and without its link');
  t.match(rows.find((r) => r.recipient === 'refuse@example.org'), { status: 'failed', messageId: null, lastError: /550/ }, 'the refused one failed, alone');
  t.match(rows.find((r) => r.id === takenOver), { status: 'pending', attempts: 2, messageId: null }, 'the one taken over is left to the worker that holds it now');
  t.equal(inbox.mails.length, 29);
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
  if (!erased.ok) throw new Error('setup: registration refused');
  t.equal((await outboxRows(db)).length, 1, 'its confirmation is queued');
  await eraseRegistration(db, config, clock.now(), erased.registrationId);
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

t.test('a registration erased after its batch read it: its mail is not sent with a dead link, the others of the batch are', async (t) => {
  const { db, config, clock } = await buildTestApp(t);
  const world = await makeWorld(db);
  const [kept, erased] = await Promise.all(['garde@example.org', 'efface@example.org'].map((email) => makeRegistration(db, world.event.id, { email })));
  const rows = [kept!, erased!].map(({ registration: reg }, i) => ({ id: i + 1, kind: 'registration_confirmed' as const, recipient: reg.email!, payload: { registrationId: reg.id } }));
  const batch = newRenderBatch(db, config, rows.map((r) => r.payload));
  t.ok(await batch.shared(registrationMailBatch).registration(erased!.registration.id), 'read with the batch');
  await db.delete(registration).where(eq(registration.id, erased!.registration.id));

  const [keptMail, erasedMail] = await Promise.all(rows.map((row) => renderMail(db, config, row, clock.now(), batch)));
  t.same(erasedMail, { skip: 'inscription effacée' });
  const manage = /\/inscription\/([A-Za-z0-9_-]{43})/.exec((keptMail as { text: string }).text)?.[1];
  t.equal(await registrationIdForToken(db, manage ?? '', 'manage'), kept!.registration.id, 'the other mail of the group carries a working link');
});

t.test('tokens stored together: those of an erased registration are left out, the others stored', async (t) => {
  const { db, clock } = await buildTestApp(t);
  const world = await makeWorld(db);
  const { registration: reg } = await makeRegistration(db, world.event.id);
  const tokens = [randomToken(), randomToken(), randomToken()];
  const stored = await storeTokens(db, [
    { token: tokens[0]!, registrationId: reg.id, kind: 'manage', createdAt: clock.now() },
    { token: tokens[1]!, registrationId: reg.id + 1000, kind: 'manage', createdAt: clock.now() },
    { token: tokens[2]!, registrationId: reg.id, kind: 'feed', createdAt: clock.now() },
  ]);
  t.same(stored, [true, false, true]);
  t.equal(await registrationIdForToken(db, tokens[0]!, 'manage'), reg.id);
  t.equal(await registrationIdForToken(db, tokens[2]!, 'feed'), reg.id);
  t.equal(await registrationIdForToken(db, tokens[2]!, 'manage'), null, 'each with its own kind');
});

t.test('a batch stores the tokens of all its mails in one statement, each mail with working links of its own', async (t) => {
  const { db, config, clock } = await buildTestApp(t);
  const inbox = await startInbox(t, { delayMs: 5 });
  const worker = workerFor(t, { db, config, clock }, inbox);
  const world = await makeWorld(db);
  const regs = await Promise.all(Array.from({ length: 12 }, (_, i) => makeRegistration(db, world.event.id, { email: `lot${i}@example.org` })));
  const before = await queryRows<{ xmin: string }>(db, sql`select distinct xmin::text as xmin from ${registrationToken}`);
  await enqueueMail(db, ...regs.map(({ registration: reg }) => ({ kind: 'registration_confirmed' as const, to: reg.email!, payload: { registrationId: reg.id }, sendAfter: clock.now() })));

  t.same(await worker.run({ concurrency: 4 }), { claimed: 12, sent: 12, skipped: 0, retried: 0, failed: 0 });
  // Rows written by one statement share its transaction id (xmin).
  const written = await queryRows<{ xmin: string; count: number }>(
    db,
    sql`select xmin::text as xmin, count(*)::int as count from ${registrationToken} where xmin::text <> all(${pgArray(before.map((r) => r.xmin))}::text[]) group by xmin`,
  );
  t.same(written.map((r) => r.count), [24], 'a manage and a feed token per mail, in one statement');
  for (const { registration: reg } of regs) {
    const manage = /\/inscription\/([A-Za-z0-9_-]{43})/.exec(inbox.to(reg.email!)[0]!.parsed.text ?? '')?.[1];
    t.equal(await registrationIdForToken(db, manage ?? '', 'manage'), reg.id, `${reg.email} got a manage link to its own registration`);
  }
});

t.test('a mail that kills its worker every time is abandoned once its attempts are used up, not claimed again', async (t) => {
  const { db, config, clock } = await buildTestApp(t);
  const inbox = await startInbox(t);
  const worker = workerFor(t, { db, config, clock }, inbox);
  await enqueueMail(db, signIn('poison@example.org', 1));
  const id = (await outboxRows(db))[0]!.id;
  const crash = () => {
    throw new Error('killed');
  };
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    await t.rejects(worker.run({ afterSend: crash }), /killed/, `crash ${attempt}`);
    clock.advance(LEASE_MS);
  }
  let row = await outboxRow(db, id);
  t.same([row.status, row.attempts], ['pending', MAX_ATTEMPTS], 'the crashes never reached the catch');

  t.same(await worker.run({ afterSend: crash }), { claimed: 0, sent: 0, skipped: 0, retried: 0, failed: 1 }, 'abandoned instead of claimed');
  row = await outboxRow(db, id);
  t.equal(row.status, 'failed');
  t.equal(row.lastError, `abandonné après ${MAX_ATTEMPTS} tentatives (le processus s'est arrêté pendant l'envoi)`);
  t.same(row.payload, {}, 'its sign-in link erased as well');
  t.equal(inbox.mails.length, MAX_ATTEMPTS, 'one copy per attempt, then no more');
  clock.advance(LEASE_MS);
  t.same(await worker.run(), { claimed: 0, sent: 0, skipped: 0, retried: 0, failed: 0 }, 'counted once');
});

/** An SMTP server that accepts connections and never says a word. */
async function silentServer(t: Test): Promise<string> {
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });
  return `smtp://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

t.test('a silent SMTP server fails the attempt within the transport timeouts, which stay well inside the lease', async (t) => {
  t.ok(SMTP_TIMEOUTS.connectionMs + SMTP_TIMEOUTS.greetingMs + SMTP_TIMEOUTS.socketMs <= 60_000, 'a send gives up within a minute (its lease is renewed meanwhile)');
  const { db, config, clock } = await buildTestApp(t);
  const transport = smtpTransport(await silentServer(t), { timeouts: { connectionMs: 200, greetingMs: 200, socketMs: 200 } });
  t.teardown(() => transport.close());
  await enqueueMail(db, signIn('attente@example.org', 1));
  const started = Date.now();
  t.same(await runWorkerOnce({ db, config, clock, registry: mailKinds, transport }), { claimed: 1, sent: 0, skipped: 0, retried: 1, failed: 0 });
  t.ok(Date.now() - started < 5_000, 'the worker did not hang');
  const [row] = await outboxRows(db);
  t.match(row!.lastError, /greeting|timeout/i);
  t.same(row!.sendAfter, new Date(clock.now().getTime() + backoffMs(1)), 'tried again later, as any failure');
});

t.test('a batch out of time starts no further row and gives the others back, due at once', async (t) => {
  const { db, config, clock } = await buildTestApp(t);
  const transport = smtpTransport(await silentServer(t), { timeouts: { connectionMs: 300, greetingMs: 300, socketMs: 300 } });
  t.teardown(() => transport.close());
  await enqueueMail(db, ...Array.from({ length: 4 }, (_, i) => signIn(`lot${i}@example.org`, i)));
  // One lane and no time at all: the lane still starts its first row (a batch always moves on),
  // which waits 300 ms for a greeting; then the budget is spent.
  t.same(await runWorkerOnce({ db, config, clock, registry: mailKinds, transport }, { concurrency: 1, budgetMs: 0 }), { claimed: 1, sent: 0, skipped: 0, retried: 1, failed: 0 });
  const rows = await outboxRows(db);
  t.same(
    rows.map((r) => [r.attempts, r.sendAfter.getTime()]),
    [[1, clock.now().getTime() + backoffMs(1)], ...Array(3).fill([0, clock.now().getTime()])],
    'the three not started are as if never claimed',
  );
  t.equal((await claimDue(db, clock.now(), 10)).length, 3, 'and can be claimed right away');
});

t.test('a crash costs a sign-in link one lease (a minute), not five: claimed by a dead worker, due again after LEASE_MS', async (t) => {
  const { db, config, clock } = await buildTestApp(t);
  await enqueueMail(db, signIn('presse@example.org'));
  t.equal(LEASE_MS, 60_000);
  const [held] = await claimDue(db, clock.now(), 10); // this worker dies before sending
  t.ok(held, 'claimed');
  clock.advance(LEASE_MS - 1000);
  t.same(await claimDue(db, clock.now(), 10), [], 'still leased to the dead worker');
  clock.advance(1000);
  const inbox = await startInbox(t);
  t.same(await workerFor(t, { db, config, clock }, inbox).run(), { claimed: 1, sent: 1, skipped: 0, retried: 0, failed: 0 });
  t.equal(inbox.mails.length, 1, 'delivered a minute after the crash');
});

t.test('sign-in links are claimed before the other due mails', async (t) => {
  const { db, clock } = await buildTestApp(t);
  const earlier = new Date(clock.now().getTime() - 60_000);
  await enqueueMail(db, ...Array.from({ length: 3 }, (_, i) => ({ kind: 'organiser_needs_digest', to: `orga${i}@example.org`, payload: { eventId: i + 1 }, sendAfter: earlier })));
  await enqueueMail(db, signIn('presse@example.org'));
  const urgent = [...mailKinds.kinds].filter(([, kind]) => kind.urgent).map(([name]) => name);
  t.same(urgent, ['sign_in_link']);
  const [first, ...rest] = await claimDue(db, clock.now(), 2, urgent);
  t.equal(first!.kind, 'sign_in_link', 'the link first, though queued last');
  t.same(rest.map((r) => r.kind), ['organiser_needs_digest'], 'then the oldest of the others');
});

t.test('a send slower than the lease keeps its row: the lease is renewed, no second worker takes it', async (t) => {
  const { db, config, clock } = await buildTestApp(t);
  await enqueueMail(db, signIn('lent@example.org'));
  let release!: () => void;
  const sent: string[] = [];
  const slow: MailTransport = {
    kind: 'smtp',
    async send(mail) {
      await new Promise<void>((resolve) => (release = resolve));
      sent.push(mail.to);
    },
    close() {},
  };
  const running = runWorkerOnce({ db, config, clock, registry: mailKinds, transport: slow }, { renewEveryMs: 20 });
  while (!release) await new Promise((resolve) => setTimeout(resolve, 10));
  // Three leases go by while the SMTP server takes its time.
  for (let i = 0; i < 3; i++) {
    clock.advance(LEASE_MS);
    await new Promise((resolve) => setTimeout(resolve, 100));
    t.same(await claimDue(db, clock.now(), 10), [], `after ${i + 1} lease(s): still held by the worker sending it`);
  }
  release();
  t.same(await running, { claimed: 1, sent: 1, skipped: 0, retried: 0, failed: 0 });
  t.same(sent, ['lent@example.org'], 'sent once');
  const [row] = await outboxRows(db);
  t.equal(row!.status, 'sent');
});

t.test('a row whose recipient is not one plain address is never sent: failed at once, nothing reaches SMTP', async (t) => {
  const { db, config, clock } = await buildTestApp(t);
  // Written around the forms (an older version, by hand): the transport checks the same syntax.
  await enqueueMail(db, signIn('victim@evil.example,x@example.org'), signIn('Awa <awa@example.org>', 1));
  const inbox = await startInbox(t);
  t.same(await workerFor(t, { db, config, clock }, inbox).run(), { claimed: 2, sent: 0, skipped: 0, retried: 0, failed: 2 });
  t.equal(inbox.mails.length, 0, 'nothing delivered');
  for (const row of await outboxRows(db)) {
    t.equal(row.status, 'failed');
    t.match(row.lastError, /^adresse refusée : « .* » n'est pas une adresse e-mail seule/);
  }
});
