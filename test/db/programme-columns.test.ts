// @databases: pglite, postgres
// Issue 18: what the programme filters and sorts on is kept in the event row by the database
// itself (migration programme_flat_cost): confirmed seats after every kind of registration write,
// wall-clock times in the territory's zone (also when the zone changes), the access bits in the
// vocabulary's order. And a page read from the far end of the index is the page read from the start.
import t from 'tap';
import { eq, sql } from 'drizzle-orm';
import { event, registration, territory } from '../../server/db/schema.ts';
import { ACCESS_FEATURES } from '../../server/domain/vocabulary.ts';
import { NO_FILTERS, PAGE_SIZE } from '../../server/programme/filters.ts';
import { accessMask, searchProgramme } from '../../server/programme/search.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { makeEvent, makeRegistration, makeWorld } from '../helpers/factory.ts';

const { db } = await createTestDatabase(t.teardown.bind(t));
const w = await makeWorld(db, { capacity: 6 });
const refs = { editionId: w.edition.id, territoryId: w.territory.id, organisationId: w.organisation.id, venueId: w.venue.id };

const columns = async (id: number) => {
  const [row] = await db
    .select({ seatsTaken: event.seatsTaken, hasPlaces: event.hasPlaces, startsLocal: event.startsLocal, endsLocal: event.endsLocal, accessMask: event.accessMask })
    .from(event)
    .where(eq(event.id, id));
  return row!;
};
const confirmedSum = async (id: number) =>
  Number((await db.select({ n: sql<number>`coalesce(sum(${registration.seats}), 0)` }).from(registration).where(sql`${registration.eventId} = ${id} and ${registration.state} = 'confirmed'`))[0]!.n);

t.test('confirmed seats follow every registration write', async (t) => {
  const ev = w.event.id;
  t.equal((await columns(ev)).seatsTaken, 0, 'a new event has none');
  const a = await makeRegistration(db, ev, { seats: 2 });
  const b = await makeRegistration(db, ev, { seats: 3, state: 'waitlisted', waitlistPosition: 1 });
  t.same([(await columns(ev)).seatsTaken, (await columns(ev)).hasPlaces], [2, true], 'a confirmed group of 2 counts, a waiting one does not');
  await db.update(registration).set({ state: 'confirmed', waitlistPosition: null }).where(eq(registration.id, b.registration.id));
  t.equal((await columns(ev)).seatsTaken, 5, 'promoted from the waiting list');
  await db.update(registration).set({ seats: 4 }).where(eq(registration.id, b.registration.id));
  t.same([(await columns(ev)).seatsTaken, (await columns(ev)).hasPlaces], [6, false], 'a group grows: the event is full');
  await db.update(registration).set({ name: 'Autre nom' }).where(eq(registration.id, a.registration.id));
  t.equal((await columns(ev)).seatsTaken, 6, 'a change that is not about seats changes nothing');
  await db.update(registration).set({ state: 'cancelled' }).where(eq(registration.id, a.registration.id));
  t.same([(await columns(ev)).seatsTaken, (await columns(ev)).hasPlaces], [4, true], 'a cancellation frees its seats');
  await db.delete(registration).where(eq(registration.id, b.registration.id));
  t.equal((await columns(ev)).seatsTaken, 0, 'a deleted registration (retention purge) frees its seats');
  const other = await makeEvent(db, refs, { capacity: null });
  const c = await makeRegistration(db, ev, { seats: 2 });
  await db.update(registration).set({ eventId: other.id }).where(eq(registration.id, c.registration.id));
  t.same([(await columns(ev)).seatsTaken, (await columns(other.id)).seatsTaken], [0, 2], 'moved to another event');
  t.equal((await columns(other.id)).hasPlaces, true, 'free entry always has places');
  t.equal((await columns(ev)).seatsTaken, await confirmedSum(ev), 'equal to the sum of the rows');
});

t.test('several registrations at once on PostgreSQL and PGlite alike keep the sum exact', async (t) => {
  const ev = await makeEvent(db, refs, { capacity: 100 });
  await Promise.all(Array.from({ length: 12 }, (_, i) => makeRegistration(db, ev.id, { seats: 1 + (i % 3), state: i % 4 === 0 ? 'waitlisted' : 'confirmed', waitlistPosition: i % 4 === 0 ? i : null })));
  t.equal((await columns(ev.id)).seatsTaken, await confirmedSum(ev.id));
  t.ok((await columns(ev.id)).seatsTaken > 0);
});

t.test("wall-clock times are the territory's, and follow a change of its zone", async (t) => {
  const ev = await makeEvent(db, refs, { startsAt: new Date('2026-10-06T12:00:00Z'), endsAt: new Date('2026-10-06T14:30:00Z') });
  t.same([(await columns(ev.id)).startsLocal, (await columns(ev.id)).endsLocal], ['2026-10-06 14:00:00', '2026-10-06 16:30:00'], 'Paris in summer time');
  await db.update(event).set({ startsAt: new Date('2026-10-07T08:00:00Z'), endsAt: new Date('2026-10-07T09:30:00Z') }).where(eq(event.id, ev.id));
  t.equal((await columns(ev.id)).startsLocal, '2026-10-07 10:00:00', 'moved');
  await db.update(territory).set({ timeZone: 'America/Cayenne' }).where(eq(territory.id, w.territory.id));
  t.same([(await columns(ev.id)).startsLocal, (await columns(ev.id)).endsLocal], ['2026-10-07 05:00:00', '2026-10-07 06:30:00'], 'the same instants read in Cayenne');
  await db.update(territory).set({ timeZone: 'Europe/Paris' }).where(eq(territory.id, w.territory.id));
});

t.test('the access bits follow the vocabulary order', async (t) => {
  for (const [i, feature] of ACCESS_FEATURES.entries()) {
    const ev = await makeEvent(db, refs, { accessibilityOffered: [feature] });
    t.equal((await columns(ev.id)).accessMask, 1 << i, feature);
    t.equal(accessMask([feature]), 1 << i);
  }
  const ev = await makeEvent(db, refs, { accessibilityOffered: ['wheelchair', 'lsf'] });
  t.equal((await columns(ev.id)).accessMask, accessMask(['lsf', 'wheelchair']), 'several');
});

t.test('pages read from the far end are the pages read from the start', async (t) => {
  const { db } = await createTestDatabase(t.teardown.bind(t));
  const world = await makeWorld(db);
  const ids = [world.event.id];
  // Same times for some, so the order also rests on the id.
  for (let i = 0; i < 3 * PAGE_SIZE + 7; i++) {
    const day = 5 + (i % 9);
    const start = new Date(Date.UTC(2026, 9, day, 8 + (i % 3)));
    const ev = await makeEvent(
      db,
      { editionId: world.edition.id, territoryId: world.territory.id, organisationId: world.organisation.id, venueId: world.venue.id },
      { startsAt: start, endsAt: new Date(start.getTime() + 3_600_000) },
    );
    ids.push(ev.id);
  }
  const all = (await searchProgramme(db, world.edition.id, { ...NO_FILTERS, all: true })).rows.map((r) => r.id);
  t.equal(all.length, ids.length);
  const pages: number[] = [];
  for (let page = 1; page <= 4; page++) {
    const { rows, total } = await searchProgramme(db, world.edition.id, { ...NO_FILTERS, page });
    t.equal(total, ids.length);
    pages.push(...rows.map((r) => r.id));
  }
  t.same(pages, all, 'pages 3 and 4 (read backwards) continue pages 1 and 2 exactly');
  t.same((await searchProgramme(db, world.edition.id, { ...NO_FILTERS, page: 5 })).rows, [], 'past the end: nothing');
});
