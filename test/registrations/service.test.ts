// @databases: pglite, postgres
// The capacity and waitlist rules, through the service (no HTTP), on a real database.
import t from 'tap';
import { eq, inArray } from 'drizzle-orm';
import { accessNeed, event, registration, registrationToken } from '../../server/db/schema.ts';
import { hashToken } from '../../server/lib/tokens.ts';
import { seatsSummary } from '../../server/registrations/capacity.ts';
import { cancelRegistration, changeNeeds, changeSeats, eraseRegistration, findByToken } from '../../server/registrations/manage.ts';
import { messagesOf, writeToRegistrants } from '../../server/registrations/messages.ts';
import { register } from '../../server/registrations/register.ts';
import { registrationWindow } from '../../server/registrations/registration-event.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { makeUser, makeWorld } from '../helpers/factory.ts';
import { mails, needsOf, occupancy, person, registrationsOf } from './helpers.ts';

const now = new Date('2026-09-15T08:00:00Z');

t.test('confirmed while the whole group fits in the free seats, otherwise waitlisted at the end; a group is never split', async (t) => {
  const { db } = await createTestDatabase(t.teardown.bind(t));
  const { event: ev } = await makeWorld(db, { capacity: 5 });

  const a = await register(db, now, ev.id, person({ seats: 3 }));
  t.match(a, { ok: true, state: 'confirmed', waitlistPosition: null, seats: 3 });
  const b = await register(db, now, ev.id, person({ seats: 3 }));
  t.match(b, { ok: true, state: 'waitlisted', waitlistPosition: 1 }, '3 seats asked, 2 left: the whole group waits');
  const c = await register(db, now, ev.id, person({ seats: 1 }));
  t.match(c, { ok: true, state: 'confirmed', waitlistPosition: null }, 'a single person fits in the seats the waiting group cannot use');
  t.same(await seatsSummary(db, ev), { confirmedSeats: 4, waitlisted: 1, lastPosition: 1, capacity: 5, remaining: 1 }, '1 place left, although a group waits');
  const d = await register(db, now, ev.id, person({ seats: 2 }));
  t.match(d, { ok: true, state: 'waitlisted', waitlistPosition: 2 }, 'does not fit in the last seat: at the end of the waitlist');

  const o = await occupancy(db, ev.id);
  t.equal(o.confirmedSeats, 4);
  t.same(o.positions, [1, 2]);

  const rows = await registrationsOf(db, ev.id);
  const tokens = await db.select().from(registrationToken).where(eq(registrationToken.registrationId, rows[0]!.id));
  t.same(
    tokens.map((row) => [row.kind, row.tokenHash]),
    [['manage', hashToken((a as { token: string }).token)]],
    'one random manage token (32 bytes), stored only as its SHA-256',
  );
  t.match((a as { token: string }).token, /^[A-Za-z0-9_-]{43}$/);
  const kinds = (await mails(db)).map((m) => m.kind);
  t.same(kinds, ['registration_confirmed', 'registration_waitlisted', 'registration_confirmed', 'registration_waitlisted'], 'one mail per registration, queued with it');
});

t.test('free entry (no capacity): always confirmed, any number of seats', async (t) => {
  const { db } = await createTestDatabase(t.teardown.bind(t));
  const { event: ev } = await makeWorld(db, { capacity: null });
  for (let i = 0; i < 5; i++) t.match(await register(db, now, ev.id, person({ seats: 10 })), { ok: true, state: 'confirmed' });
  t.equal((await occupancy(db, ev.id)).confirmedSeats, 50);
  t.equal((await seatsSummary(db, ev)).remaining, null);
});

t.test('the window, the state and the event are checked under the lock', async (t) => {
  const { db } = await createTestDatabase(t.teardown.bind(t));
  const w = await makeWorld(db, { registrationOpensAt: new Date('2026-09-20T00:00:00Z'), registrationClosesAt: new Date('2026-10-01T00:00:00Z') });
  t.match(await register(db, now, w.event.id, person()), { ok: false, reason: 'not_yet_open' });
  t.match(await register(db, new Date('2026-10-01T00:00:00Z'), w.event.id, person()), { ok: false, reason: 'closed' }, 'closing time is exclusive');
  t.match(await register(db, new Date('2026-09-25T00:00:00Z'), w.event.id, person()), { ok: true });
  t.match(await register(db, now, w.event.id, person(), { createdByUserId: undefined }), { ok: false, reason: 'not_yet_open' });
  t.match(await register(db, now, 999_999, person()), { ok: false, reason: 'event_not_found' });

  await db.update(event).set({ state: 'cancelled' }).where(eq(event.id, w.event.id));
  t.match(await register(db, new Date('2026-09-25T00:00:00Z'), w.event.id, person()), { ok: false, reason: 'cancelled' });
  await db.update(event).set({ state: 'submitted' }).where(eq(event.id, w.event.id));
  t.match(await register(db, new Date('2026-09-25T00:00:00Z'), w.event.id, person()), { ok: false, reason: 'not_published' });

  // Without an explicit closing time, registration closes when the event starts.
  const ev = { state: 'published' as const, registrationOpensAt: null, registrationClosesAt: null, startsAt: new Date('2026-10-06T12:00:00Z') };
  t.equal(registrationWindow(ev, new Date('2026-10-06T11:59:59Z')), 'open');
  t.equal(registrationWindow(ev, new Date('2026-10-06T12:00:00Z')), 'closed');
});

t.test('an organiser may register someone outside the window, not on a cancelled event', async (t) => {
  const { db } = await createTestDatabase(t.teardown.bind(t));
  const w = await makeWorld(db, { registrationOpensAt: new Date('2026-09-20T00:00:00Z') });
  const organiser = await makeUser(db);
  const r = await register(db, now, w.event.id, person(), { createdByUserId: organiser.id });
  t.match(r, { ok: true, state: 'confirmed' });
  t.equal((await registrationsOf(db, w.event.id))[0]!.createdByUserId, organiser.id);
  await db.update(event).set({ state: 'cancelled' }).where(eq(event.id, w.event.id));
  t.match(await register(db, now, w.event.id, person(), { createdByUserId: organiser.id }), { ok: false, reason: 'cancelled' });
});

t.test('the same email or phone twice is refused while the first registration is active', async (t) => {
  const { db } = await createTestDatabase(t.teardown.bind(t));
  const { event: ev } = await makeWorld(db);
  const first = await register(db, now, ev.id, person({ email: 'Awa@Example.org' }));
  t.ok(first.ok);
  t.match(await register(db, now, ev.id, person({ email: 'awa@example.org' })), { ok: false, reason: 'duplicate_email' });
  t.equal((await registrationsOf(db, ev.id)).length, 1, 'no duplicate stored');
  if (!first.ok) return;
  await cancelRegistration(db, now, first.registrationId);
  t.match(await register(db, now, ev.id, person({ email: 'awa@example.org' })), { ok: true }, 'after cancelling, one may register again');
  // The same phone (E.164, as the form stores it) is the same person too (issue 15, item 6).
  const byPhone = await register(db, now, ev.id, person({ email: null, phone: '+33612345678' }));
  t.ok(byPhone.ok);
  t.match(await register(db, now, ev.id, person({ email: null, phone: '+33612345678' })), { ok: false, reason: 'duplicate_phone' });
  t.match(await register(db, now, ev.id, person({ email: 'autre@example.org', phone: '+33612345678' })), { ok: false, reason: 'duplicate_phone' }, 'whatever the address');
  if (byPhone.ok) await cancelRegistration(db, now, byPhone.registrationId);
  t.ok((await register(db, now, ev.id, person({ email: null, phone: '+33612345678' }))).ok, 'after cancelling, the phone may register again');
});

t.test('needs: never stored without consent; offered ones are planned from the start', async (t) => {
  const { db } = await createTestDatabase(t.teardown.bind(t));
  const { event: ev } = await makeWorld(db); // offers lsf and wheelchair
  const refused = await register(db, now, ev.id, person({ needs: [{ category: 'caa', detail: null }], needsConsent: false }));
  t.match(refused, { ok: false, reason: 'needs_without_consent' });
  t.equal((await registrationsOf(db, ev.id)).length, 0);

  const ok = await register(db, now, ev.id, person({ needs: [{ category: 'lsf', detail: null }, { category: 'caa', detail: 'pictogrammes' }], needsConsent: true }));
  t.ok(ok.ok);
  if (!ok.ok) return;
  const [row] = await registrationsOf(db, ev.id);
  t.same(row!.needsConsentAt, now);
  const needs = await needsOf(db, ok.registrationId);
  t.same(
    needs.map((n) => [n.category, n.status, n.detail]),
    [
      ['lsf', 'planned', null],
      ['caa', 'requested', 'pictogrammes'],
    ],
  );
  // Consent without needs stores no consent.
  const none = await register(db, now, ev.id, person({ needsConsent: true }));
  if (!none.ok) throw new Error('setup: registration refused');
  t.equal((await db.select().from(registration).where(eq(registration.id, none.registrationId)))[0]!.needsConsentAt, null);
});

t.test('cancelling promotes, in position order, every waiting registration that fits; the others keep their position and are told', async (t) => {
  const { db } = await createTestDatabase(t.teardown.bind(t));
  const { event: ev } = await makeWorld(db, { capacity: 4 });
  const a = await register(db, now, ev.id, person({ seats: 2 }));
  const b = await register(db, now, ev.id, person({ seats: 2 }));
  const big = await register(db, now, ev.id, person({ seats: 4 })); // 1
  const small1 = await register(db, now, ev.id, person({ seats: 1 })); // 2
  const pair = await register(db, now, ev.id, person({ seats: 2 })); // 3
  const small2 = await register(db, now, ev.id, person({ seats: 1 })); // 4
  if (!a.ok || !b.ok || !big.ok || !small1.ok || !pair.ok || !small2.ok) throw new Error('setup');

  // 2 seats freed: the group of 4 does not fit, the single behind it does, then the pair does not
  // (1 left), the last single does.
  const first = await cancelRegistration(db, now, a.registrationId);
  t.same(first, { ok: true, promoted: [small1.registrationId, small2.registrationId] });
  let o = await occupancy(db, ev.id);
  t.equal(o.confirmedSeats, 4, 'no seat left empty');
  t.same(
    o.rows.filter((r) => r.state === 'waitlisted').map((r) => [r.id, r.waitlistPosition]),
    [
      [big.registrationId, 1],
      [pair.registrationId, 2],
    ],
    'the groups passed over keep their order, renumbered 1..n',
  );
  t.same((await mails(db, 'waitlist_promoted')).map((m) => m.payload.registrationId), [small1.registrationId, small2.registrationId], 'each promoted person gets one mail');
  t.same(await mails(db, 'waitlist_passed_over'), [], 'no seat left free: nobody to tell');

  // 2 more freed: the group of 4 still does not fit; the pair does.
  t.same(await cancelRegistration(db, now, b.registrationId), { ok: true, promoted: [pair.registrationId] });
  // 1 freed: the group of 4 waits and is told that 1 seat is free.
  t.same(await cancelRegistration(db, now, small1.registrationId), { ok: true, promoted: [] });
  o = await occupancy(db, ev.id);
  t.equal(o.confirmedSeats, 3);
  t.match(o.rows.find((r) => r.id === big.registrationId), { state: 'waitlisted', waitlistPosition: 1 });
  t.same((await mails(db, 'waitlist_passed_over')).map((m) => [m.payload, m.dedupeKey]), [
    [{ registrationId: big.registrationId, freeSeats: 1 }, `waitlist_passed_over:${big.registrationId}:1`],
  ]);
  t.equal((await mails(db, 'registration_cancelled')).length, 3);

  t.same(await cancelRegistration(db, now, a.registrationId), { ok: false, reason: 'already_cancelled' });
  t.same(await cancelRegistration(db, now, 999_999), { ok: false, reason: 'not_found' });
});

t.test('cancelling a waitlisted registration closes the gap in the positions', async (t) => {
  const { db } = await createTestDatabase(t.teardown.bind(t));
  const { event: ev } = await makeWorld(db, { capacity: 1 });
  await register(db, now, ev.id, person());
  const ids: number[] = [];
  for (let i = 0; i < 4; i++) {
    const r = await register(db, now, ev.id, person());
    if (r.ok) ids.push(r.registrationId);
  }
  await cancelRegistration(db, now, ids[1]!);
  const o = await occupancy(db, ev.id);
  t.same(o.positions, [1, 2, 3]);
  t.same(
    o.rows.filter((r) => r.state === 'waitlisted').map((r) => [r.id, r.waitlistPosition]),
    [
      [ids[0], 1],
      [ids[2], 2],
      [ids[3], 3],
    ],
  );
});

t.test('changing seats: fewer frees seats for the waitlist; more only if they fit in the free seats', async (t) => {
  const { db } = await createTestDatabase(t.teardown.bind(t));
  const { event: ev } = await makeWorld(db, { capacity: 6 });
  const a = await register(db, now, ev.id, person({ seats: 3 }));
  const b = await register(db, now, ev.id, person({ seats: 1 }));
  if (!a.ok || !b.ok) throw new Error('setup');

  t.same(await changeSeats(db, now, b.registrationId, 3), { ok: true, state: 'confirmed', waitlistPosition: null, promoted: false }, '2 free seats: 1 → 3 fits');
  t.same(await changeSeats(db, now, b.registrationId, 4), { ok: false, reason: 'no_room', available: 0 });
  const c = await register(db, now, ev.id, person({ seats: 2 }));
  t.match(c, { state: 'waitlisted', waitlistPosition: 1 });
  t.same(await changeSeats(db, now, a.registrationId, 1), { ok: true, state: 'confirmed', waitlistPosition: null, promoted: false }, 'reducing 3 → 1 frees 2 seats…');
  if (!c.ok) return;
  t.match((await occupancy(db, ev.id)).rows.find((r) => r.id === c.registrationId), { state: 'confirmed' }, '…which go to the waiting group');
  const d = await register(db, now, ev.id, person({ seats: 1 }));
  t.match(d, { state: 'waitlisted', waitlistPosition: 1 });
  if (!d.ok) return;
  t.same(await changeSeats(db, now, d.registrationId, 3), { ok: true, state: 'waitlisted', waitlistPosition: 1, promoted: false }, 'a waitlisted person keeps their position');
  t.same(await changeSeats(db, now, b.registrationId, 2), { ok: true, state: 'confirmed', waitlistPosition: null, promoted: false }, '1 seat freed: the group of 3 still waits');
  t.same(await changeSeats(db, now, b.registrationId, 3), { ok: true, state: 'confirmed', waitlistPosition: null, promoted: false }, 'the free seat may be taken back, although a group waits: it does not fit in it');
  t.equal((await occupancy(db, ev.id)).confirmedSeats, 6);

  await cancelRegistration(db, now, d.registrationId);
  t.same(await changeSeats(db, now, d.registrationId, 1), { ok: false, reason: 'cancelled' });
  // After the window closes, one may only reduce.
  const later = new Date('2026-10-06T12:00:00Z');
  t.same(await changeSeats(db, later, a.registrationId, 2), { ok: false, reason: 'closed' });
  t.match(await changeSeats(db, later, b.registrationId, 2), { ok: true });
});

t.test('changing needs keeps answered needs that did not change, and asks consent again', async (t) => {
  const { db } = await createTestDatabase(t.teardown.bind(t));
  const { event: ev } = await makeWorld(db);
  const r = await register(db, now, ev.id, person({ needs: [{ category: 'caa', detail: 'pictos' }, { category: 'falc', detail: null }], needsConsent: true }));
  if (!r.ok) throw new Error('setup');
  const [caa, falc] = await needsOf(db, r.registrationId);
  await db.update(accessNeed).set({ status: 'planned', response: 'Classeur prêt' }).where(inArray(accessNeed.id, [caa!.id, falc!.id]));

  const later = new Date('2026-09-16T08:00:00Z');
  t.same(await changeNeeds(db, later, r.registrationId, [{ category: 'caa', detail: 'pictos' }, { category: 'falc', detail: 'gros caractères' }, { category: 'quiet_space', detail: null }], false), {
    ok: false,
    reason: 'needs_without_consent',
  });
  t.same(await changeNeeds(db, later, r.registrationId, [{ category: 'caa', detail: 'pictos' }, { category: 'falc', detail: 'gros caractères' }, { category: 'quiet_space', detail: null }], true), { ok: true });
  const after = await needsOf(db, r.registrationId);
  t.same(
    after.map((n) => [n.category, n.status, n.response]),
    [
      ['caa', 'planned', 'Classeur prêt'],
      ['falc', 'requested', null],
      ['quiet_space', 'requested', null],
    ],
    'unchanged kept with its answer; reworded and new go back to requested',
  );
  t.same((await registrationsOf(db, ev.id))[0]!.needsConsentAt, later, 'consent given again');

  t.same(await changeNeeds(db, later, r.registrationId, [], false), { ok: true });
  t.equal((await needsOf(db, r.registrationId)).length, 0);
  t.equal((await registrationsOf(db, ev.id))[0]!.needsConsentAt, null, 'no needs: consent withdrawn');
});

t.test('cancelling deletes the needs and the consent; erasing deletes the registration and promotes', async (t) => {
  const { db } = await createTestDatabase(t.teardown.bind(t));
  const { event: ev } = await makeWorld(db, { capacity: 1 });
  const a = await register(db, now, ev.id, person({ needs: [{ category: 'caa', detail: null }], needsConsent: true }));
  const b = await register(db, now, ev.id, person({ needs: [{ category: 'falc', detail: null }], needsConsent: true }));
  if (!a.ok || !b.ok) throw new Error('setup');
  await cancelRegistration(db, now, a.registrationId);
  t.equal((await needsOf(db, a.registrationId)).length, 0);
  const rows = await registrationsOf(db, ev.id);
  t.match(rows[0], { state: 'cancelled', needsConsentAt: null, cancelledAt: now, waitlistPosition: null });
  t.match(rows[1], { state: 'confirmed' }, 'promoted');

  const c = await register(db, now, ev.id, person());
  if (!c.ok) throw new Error('setup');
  const files = { dataDir: t.testdir() };
  t.match(await eraseRegistration(db, files, now, b.registrationId), { ok: true, promoted: [c.registrationId] });
  t.equal(await findByToken(db, b.token), null, 'the manage link no longer works');
  t.equal((await needsOf(db, b.registrationId)).length, 0);
  t.same(await eraseRegistration(db, files, now, b.registrationId), { ok: false, promoted: [] });
});

t.test('findByToken: only well-formed tokens whose hash is stored', async (t) => {
  const { db } = await createTestDatabase(t.teardown.bind(t));
  const { event: ev } = await makeWorld(db);
  const r = await register(db, now, ev.id, person());
  if (!r.ok) throw new Error('setup');
  t.equal((await findByToken(db, r.token))?.id, r.registrationId);
  t.equal(await findByToken(db, r.token.slice(0, -1) + (r.token.endsWith('A') ? 'B' : 'A')), null, 'one character changed');
  t.equal(await findByToken(db, r.token.slice(0, 20)), null, 'truncated');
  t.equal(await findByToken(db, `${r.token}x`), null, 'too long');
  t.equal(await findByToken(db, "' or 1=1 --"), null);
});

t.test('a message to the registrants: kept once, one notice per confirmed or waiting person, none twice; nobody to write to is no message', async (t) => {
  const { db } = await createTestDatabase(t.teardown.bind(t));
  const { event: ev } = await makeWorld(db, { capacity: 1 });
  const author = await makeUser(db);
  const confirmed = await register(db, now, ev.id, person({ email: 'a@example.org' }));
  const waiting = await register(db, now, ev.id, person({ email: 'b@example.org' }));
  const gone = await register(db, now, ev.id, person({ email: 'c@example.org' }));
  if (!confirmed.ok || !waiting.ok || !gone.ok) throw new Error('setup');
  await db.update(registration).set({ state: 'cancelled', waitlistPosition: null }).where(eq(registration.id, gone.registrationId));
  const before = (await mails(db)).length;

  const message = await writeToRegistrants(db, now, { eventId: ev.id, authorUserId: author.id, message: { subject: 'Objet', body: 'Texte' } });
  t.match(message, { eventId: ev.id, authorUserId: author.id, subject: 'Objet', body: 'Texte', emails: 2, texts: 0, calls: 0 });
  const queued = (await mails(db)).slice(before);
  t.same(
    queued.map((m) => [m.kind, m.payload]),
    [
      ['organiser_message', { messageId: message!.id, registrationId: confirmed.registrationId }],
      ['organiser_message', { messageId: message!.id, registrationId: waiting.registrationId }],
    ],
  );
  t.same((await messagesOf(db, ev.id)).map((m) => [m.message.id, m.authorEmail]), [[message!.id, author.email]]);

  await db.update(registration).set({ state: 'cancelled', waitlistPosition: null }).where(eq(registration.eventId, ev.id));
  t.equal(await writeToRegistrants(db, now, { eventId: ev.id, authorUserId: author.id, message: { subject: 'Objet', body: 'Texte' } }), null);
  t.equal((await messagesOf(db, ev.id)).length, 1, 'nothing kept when there is nobody to write to');
});
