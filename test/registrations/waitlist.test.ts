// @databases: pglite, postgres
// The waitlist fills every seat (docs/decisions/0010): whenever seats are freed, every waiting
// registration that fits is promoted in order; a group that does not fit keeps its position and
// is told once per number of free seats; a newcomer gets the free seats when they fit in them.
import { rmSync } from 'node:fs';
import t, { type Test } from 'tap';
import { seatsSummary } from '../../server/registrations/capacity.ts';
import { cancelRegistration, changeSeats, eraseRegistration } from '../../server/registrations/manage.ts';
import { register } from '../../server/registrations/register.ts';
import { testConfig } from '../helpers/app.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { makeRegistration, makeWorld } from '../helpers/factory.ts';
import { mails, occupancy, person } from './helpers.ts';

const now = new Date('2026-09-15T08:00:00Z');

/** The issue's event: 2 places left; A books them; B waits with 3 seats, C with 1. */
async function issueScenario(t: Test) {
  const { db } = await createTestDatabase(t.teardown.bind(t));
  const { event: ev } = await makeWorld(db, { capacity: 10 });
  await makeRegistration(db, ev.id, { seats: 8 });
  const a = await register(db, now, ev.id, person({ seats: 2 }));
  const b = await register(db, now, ev.id, person({ seats: 3 }));
  const c = await register(db, now, ev.id, person({ seats: 1 }));
  if (!a.ok || !b.ok || !c.ok) throw new Error('setup');
  return { db, ev, a, b, c };
}

t.test("the issue's scenario: A cancels, C (1 seat) is promoted, B (3 seats) keeps its place and is told, a newcomer gets the last seat", async (t) => {
  const { db, ev, a, b, c } = await issueScenario(t);
  t.match(a, { state: 'confirmed' });
  t.match(b, { state: 'waitlisted', waitlistPosition: 1 });
  t.match(c, { state: 'waitlisted', waitlistPosition: 2 });

  t.same(await cancelRegistration(db, now, a.registrationId), { ok: true, promoted: [c.registrationId] });
  const o = await occupancy(db, ev.id);
  t.match(o.rows.find((r) => r.id === c.registrationId), { state: 'confirmed', waitlistPosition: null });
  t.match(o.rows.find((r) => r.id === b.registrationId), { state: 'waitlisted', waitlistPosition: 1 }, 'B keeps its position');
  t.same(await seatsSummary(db, ev), { confirmedSeats: 9, waitlisted: 1, lastPosition: 1, capacity: 10, remaining: 1 }, 'the event shows 1 place left');
  t.same((await mails(db, 'waitlist_promoted')).map((m) => m.payload), [{ registrationId: c.registrationId }]);
  const told = await mails(db, 'waitlist_passed_over');
  t.same(
    told.map((m) => [m.recipient, m.payload]),
    [[o.rows.find((r) => r.id === b.registrationId)!.email, { registrationId: b.registrationId, freeSeats: 1 }]],
    'B is told that 1 seat is free and its group of 3 does not fit',
  );

  const d = await register(db, now, ev.id, person({ seats: 1 }));
  t.match(d, { ok: true, state: 'confirmed' }, 'a newcomer with 1 seat is confirmed');
  t.equal((await seatsSummary(db, ev)).remaining, 0, 'Complet now');
  t.equal((await mails(db, 'waitlist_passed_over')).length, 1, 'a newcomer taking a seat tells B nothing new');

  // The same seat freed again: B was already told about 1 free seat, not twice.
  if (!d.ok) return;
  t.same(await cancelRegistration(db, now, d.registrationId), { ok: true, promoted: [] });
  t.equal((await mails(db, 'waitlist_passed_over')).length, 1, 'once per number of free seats');
  // One more seat freed (2 free): a new fact, told once.
  const eight = (await occupancy(db, ev.id)).rows.find((r) => r.seats === 8)!;
  t.same(await changeSeats(db, now, eight.id, 7), { ok: true, state: 'confirmed', waitlistPosition: null, promoted: false });
  t.same((await mails(db, 'waitlist_passed_over')).map((m) => m.payload.freeSeats), [1, 2]);
});

t.test('a waiting group that lowers its seats so that it fits is promoted at once', async (t) => {
  const { db, ev, a, b } = await issueScenario(t);
  await cancelRegistration(db, now, a.registrationId); // C promoted, 1 seat free, B (3) waits
  t.same(await changeSeats(db, now, b.registrationId, 2), { ok: true, state: 'waitlisted', waitlistPosition: 1, promoted: false }, '2 seats still do not fit in 1');
  t.same(await changeSeats(db, now, b.registrationId, 1), { ok: true, state: 'confirmed', waitlistPosition: null, promoted: true });
  t.same((await occupancy(db, ev.id)).positions, []);
  t.equal((await occupancy(db, ev.id)).confirmedSeats, 10);
  t.same((await mails(db, 'waitlist_promoted')).map((m) => m.payload.registrationId).slice(-1), [b.registrationId], 'told like any promotion');
});

t.test('an erasure frees seats by the same rule', async (t) => {
  const { db, ev, a, b, c } = await issueScenario(t);
  const config = testConfig();
  t.teardown(() => rmSync(config.dataDir, { recursive: true, force: true }));
  const erased = await eraseRegistration(db, config, now, a.registrationId);
  t.same(erased.promoted, [c.registrationId]);
  t.match((await occupancy(db, ev.id)).rows.find((r) => r.id === b.registrationId), { state: 'waitlisted', waitlistPosition: 1 });
  t.same((await mails(db, 'waitlist_passed_over')).map((m) => m.payload), [{ registrationId: b.registrationId, freeSeats: 1 }]);
});

t.test('an event left with empty seats by the old strict-FIFO rule is repaired at the next registration, waiting people first', async (t) => {
  const { db } = await createTestDatabase(t.teardown.bind(t));
  const { event: ev } = await makeWorld(db, { capacity: 4 });
  await makeRegistration(db, ev.id, { seats: 2 });
  const { registration: b } = await makeRegistration(db, ev.id, { state: 'waitlisted', waitlistPosition: 1, seats: 3 });
  const { registration: c } = await makeRegistration(db, ev.id, { state: 'waitlisted', waitlistPosition: 2, seats: 1 });

  const newcomer = await register(db, now, ev.id, person({ seats: 2 }));
  t.match(newcomer, { ok: true, state: 'waitlisted', waitlistPosition: 2 }, 'C took a free seat first: 1 left, the newcomer (2) waits');
  const o = await occupancy(db, ev.id);
  t.match(o.rows.find((r) => r.id === c.id), { state: 'confirmed' });
  t.match(o.rows.find((r) => r.id === b.id), { state: 'waitlisted', waitlistPosition: 1 });
  t.same((await mails(db, 'waitlist_promoted')).map((m) => m.payload), [{ registrationId: c.id }]);
  t.same((await mails(db, 'waitlist_passed_over')).map((m) => m.payload), [{ registrationId: b.id, freeSeats: 1 }], 'B sees C promoted past it: told why');
});
