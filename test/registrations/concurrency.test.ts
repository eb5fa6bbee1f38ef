// @databases: postgres
// Concurrency of the capacity rules, on PostgreSQL only: PGlite has one connection, so nothing
// there ever runs at the same time. Each test opens a second postgres.js pool (max 50) on this
// file's database, so that every registration runs its transaction on its own connection, and
// releases them all at once.
//
// Measured without the row lock (`.for('update')` removed from lockEvent in
// server/registrations/service.ts, now capacity.ts; 2026-11-22, PostgreSQL 15, 2 cores): in EVERY one of the 10
// iterations of « 50 at once for 3 seats left », all 50 registrations were confirmed — 57 seats
// taken for a capacity of 10, i.e. 47 overbooked — and none waitlisted (42 of 53 assertions
// failed). The race test crashed in its first iteration: a promotion and a concurrent waitlist
// renumbering wrote the same row and broke the registration_waitlist check (23514). With the lock
// restored, every iteration of both tests passes.
import t from 'tap';
import { and, eq, sql } from 'drizzle-orm';
import { openPostgres, queryRows } from '../../server/db/client.ts';
import { event, outbox, registration } from '../../server/db/schema.ts';
import { cancelRegistration, changeSeats } from '../../server/registrations/manage.ts';
import { register } from '../../server/registrations/register.ts';
import { createTestDatabase, testDbKind, type TestDatabase } from '../helpers/database.ts';
import { makeRegistration, makeWorld } from '../helpers/factory.ts';
import { occupancy, oneTo, person } from './helpers.ts';

const ITERATIONS = 10;
const now = new Date('2026-09-15T08:00:00Z');

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** The little of a tap test these helpers use. */
interface TestLike {
  teardown(fn: () => Promise<void>): unknown;
}

/** A pool of `size` connections, all opened before the test starts (so none is opened mid-race). */
async function openPool(t: TestLike, database: TestDatabase, size: number) {
  const pool = openPostgres(database.url!, size);
  t.teardown(() => pool.close());
  const ready = gate();
  let opened = 0;
  const hold = (): Promise<void> =>
    pool.db
      .transaction(async (tx) => {
        await tx.execute(sql`select 1`);
        if (++opened === size) ready.open();
        await ready.opened; // each transaction holds its connection until all are open
      })
      // Fifty connections asked at once on a loaded machine: one may pass the app's 2 s connect
      // timeout (seen in CI); it is asked again, the test needs them all open, not fast.
      .catch((error: { code?: string }) => (error.code === 'CONNECT_TIMEOUT' ? hold() : Promise.reject(error)));
  const holders = oneTo(size).map(hold);
  await Promise.all(holders);
  return pool.db;
}

// Skipped with its reason on PGlite.
const skip = testDbKind() === 'postgres' ? false : 'PGlite has a single connection: concurrency can only be tested on PostgreSQL (TEST_DB=postgres)';

t.test('50 registrations at once for 3 seats left: exactly 3 confirmed, 47 waitlisted 1..47, no error', { skip }, async (t) => {
  const database = await createTestDatabase(t.teardown.bind(t));
  const { db } = database;
  const pool = await openPool(t, database, 50);

  for (let iteration = 1; iteration <= ITERATIONS; iteration++) {
    const { event: ev } = await makeWorld(db, { capacity: 10 });
    await makeRegistration(db, ev.id, { seats: 7 }); // 3 seats left
    const start = gate();
    const runs = oneTo(50).map(async () => {
      await start.opened;
      return register(pool, now, ev.id, person());
    });
    start.open();
    const results = await Promise.all(runs); // a thrown error would fail the test here

    const confirmed = results.filter((r) => r.ok && r.state === 'confirmed');
    const waitlisted = results.filter((r) => r.ok && r.state === 'waitlisted');
    t.equal(confirmed.length, 3, `iteration ${iteration}: 3 confirmed`);
    t.equal(waitlisted.length, 47, `iteration ${iteration}: 47 waitlisted`);
    const o = await occupancy(db, ev.id);
    t.equal(o.confirmedSeats, 10, `iteration ${iteration}: confirmed seats equal capacity`);
    t.same(o.positions, oneTo(47), `iteration ${iteration}: positions 1..47 without gaps`);
    const queued = await db.select({ kind: outbox.kind }).from(outbox).where(sql`${outbox.payload}->>'registrationId' in (select id::text from registration where event_id = ${ev.id})`);
    t.equal(queued.length, 50, `iteration ${iteration}: one mail per registration`);
  }
});

t.test('cancellations racing with registrations: never above capacity, each freed seat given once', { skip }, async (t) => {
  const database = await createTestDatabase(t.teardown.bind(t));
  const { db } = database;
  const pool = await openPool(t, database, 40);

  for (let iteration = 1; iteration <= ITERATIONS; iteration++) {
    const { event: ev } = await makeWorld(db, { capacity: 5 });
    const confirmed: number[] = [];
    const waiting: number[] = [];
    for (let i = 0; i < 15; i++) {
      const r = await register(db, now, ev.id, person());
      if (!r.ok) throw new Error('setup');
      (r.state === 'confirmed' ? confirmed : waiting).push(r.registrationId);
    }
    t.equal(confirmed.length, 5);

    // Cancel 3 confirmed and 2 waitlisted (positions 6 and 7) while 20 newcomers register and a
    // reader keeps checking that confirmed seats never exceed capacity.
    const start = gate();
    let done = false;
    let maxSeen = 0;
    const reader = (async () => {
      await start.opened;
      while (!done) {
        const [row] = await queryRows<{ seats: number }>(pool, sql`select coalesce(sum(seats), 0)::int as seats from registration where event_id = ${ev.id} and state = 'confirmed'`);
        maxSeen = Math.max(maxSeen, Number(row!.seats));
      }
    })();
    const cancels = [...confirmed.slice(0, 3), waiting[5]!, waiting[6]!].map(async (id) => {
      await start.opened;
      return cancelRegistration(pool, now, id);
    });
    const newcomers = oneTo(20).map(async () => {
      await start.opened;
      return register(pool, now, ev.id, person());
    });
    start.open();
    const [cancelled, registered] = await Promise.all([Promise.all(cancels), Promise.all(newcomers)]);
    done = true;
    await reader;

    t.ok(cancelled.every((c) => c.ok), `iteration ${iteration}: every cancellation succeeded`);
    t.ok(registered.every((r) => r.ok && r.state === 'waitlisted'), `iteration ${iteration}: newcomers wait behind the existing waitlist`);
    t.ok(maxSeen <= 5, `iteration ${iteration}: confirmed seats never seen above capacity (max ${maxSeen})`);
    const o = await occupancy(db, ev.id);
    t.equal(o.confirmedSeats, 5, `iteration ${iteration}: the 3 freed seats were all given`);
    const promoted = o.rows.filter((r) => r.state === 'confirmed' && waiting.includes(r.id)).map((r) => r.id);
    t.same(promoted.sort((a, b) => a - b), waiting.slice(0, 3), `iteration ${iteration}: given to the first 3 waiting, once each`);
    const promotedMails = await db
      .select({ payload: outbox.payload })
      .from(outbox)
      .where(and(eq(outbox.kind, 'waitlist_promoted'), sql`${outbox.payload}->>'registrationId' in (select id::text from registration where event_id = ${ev.id})`));
    t.same(promotedMails.map((m) => m.payload.registrationId).sort(), waiting.slice(0, 3).sort(), `iteration ${iteration}: one promotion mail each`);
    t.same(o.positions, oneTo(10 - 2 - 3 + 20), `iteration ${iteration}: positions 1..n without gaps`);
    const [ev2] = await db.select({ capacity: event.capacity }).from(event).where(eq(event.id, ev.id));
    t.equal(ev2!.capacity, 5);
    const stillWaiting = await db.select({ id: registration.id }).from(registration).where(and(eq(registration.eventId, ev.id), eq(registration.state, 'waitlisted')));
    t.equal(stillWaiting.length, 25);
  }
});

/** A small seeded generator (mulberry32): each iteration's groups can be replayed from its seed. */
function seeded(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), a | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  return { int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)), shuffle: <T>(list: T[]) => list.map((v) => [next(), v] as const).sort((x, y) => x[0] - y[0]).map(([, v]) => v) };
}

t.test('groups of 1–4 seats, cancellations and fewer seats racing: never above capacity, never a seat empty while a waiting group fits, each promotion told once', { skip }, async (t) => {
  const database = await createTestDatabase(t.teardown.bind(t));
  const { db } = database;
  const pool = await openPool(t, database, 40);
  const capacity = 12;

  for (let iteration = 1; iteration <= ITERATIONS; iteration++) {
    const rng = seeded(iteration);
    const { event: ev } = await makeWorld(db, { capacity });
    const before = new Map<number, { state: 'confirmed' | 'waitlisted'; seats: number }>();
    for (let i = 0; i < 10; i++) {
      const r = await register(db, now, ev.id, person({ seats: rng.int(1, 4) }));
      if (!r.ok) throw new Error('setup');
      before.set(r.registrationId, { state: r.state, seats: r.seats });
    }
    // 4 of them cancel and 3 others drop a seat, while 24 newcomers of 1–4 seats register and a
    // reader checks every committed state.
    const [cancelled, fewer] = ((ids) => [ids.slice(0, 4), ids.slice(4).filter((id) => before.get(id)!.seats > 1).slice(0, 3)])(rng.shuffle([...before.keys()]));
    const newcomerSeats = oneTo(24).map(() => rng.int(1, 4));

    const start = gate();
    let done = false;
    const broken: string[] = [];
    const reader = (async () => {
      await start.opened;
      while (!done) {
        // One statement: one snapshot, i.e. one committed state.
        const [row] = await queryRows<{ taken: number; smallest: number | null }>(
          pool,
          sql`select coalesce(sum(seats) filter (where state = 'confirmed'), 0)::int as taken, min(seats) filter (where state = 'waitlisted') as smallest
              from registration where event_id = ${ev.id}`,
        );
        const taken = Number(row!.taken);
        const smallest = row!.smallest === null ? null : Number(row!.smallest);
        if (taken > capacity) broken.push(`${taken} seats confirmed`);
        if (smallest !== null && smallest <= capacity - taken) broken.push(`${capacity - taken} seats free while a group of ${smallest} waits`);
      }
    })();
    const changes = [
      ...cancelled.map(async (id) => {
        await start.opened;
        return cancelRegistration(pool, now, id);
      }),
      ...fewer.map(async (id) => {
        await start.opened;
        return changeSeats(pool, now, id, before.get(id)!.seats - 1);
      }),
    ];
    const newcomers = newcomerSeats.map(async (seats) => {
      await start.opened;
      return register(pool, now, ev.id, person({ seats }));
    });
    start.open();
    const [changed, registered] = await Promise.all([Promise.all(changes), Promise.all(newcomers)]);
    done = true;
    await reader;

    t.ok(changed.every((c) => c.ok), `iteration ${iteration}: every cancellation and change succeeded`);
    t.ok(registered.every((r) => r.ok), `iteration ${iteration}: every newcomer registered`);
    t.same(broken.slice(0, 3), [], `iteration ${iteration}: every committed state had confirmed seats ≤ capacity and no waiting group fitting in the free seats`);
    for (const r of registered) if (r.ok) before.set(r.registrationId, { state: r.state, seats: r.seats });

    const o = await occupancy(db, ev.id);
    const free = capacity - o.confirmedSeats;
    t.ok(free >= 0, `iteration ${iteration}: confirmed seats ${o.confirmedSeats} ≤ ${capacity}`);
    const fitting = o.rows.filter((r) => r.state === 'waitlisted' && r.seats <= free);
    t.same(fitting.map((r) => [r.id, r.seats]), [], `iteration ${iteration}: no waiting registration fits in the ${free} free seats`);
    t.same(o.positions, oneTo(o.positions.length), `iteration ${iteration}: positions 1..n without gaps`);

    const promotedMails = await db
      .select({ payload: outbox.payload })
      .from(outbox)
      .where(and(eq(outbox.kind, 'waitlist_promoted'), sql`${outbox.payload}->>'registrationId' in (select id::text from registration where event_id = ${ev.id})`));
    const told = new Map<number, number>();
    for (const m of promotedMails) told.set(Number(m.payload.registrationId), (told.get(Number(m.payload.registrationId)) ?? 0) + 1);
    // Promoted: waiting when it registered, confirmed now. A cancelled one may have been promoted before it left.
    const promoted = o.rows.filter((r) => r.state === 'confirmed' && before.get(r.id)!.state === 'waitlisted').map((r) => r.id);
    t.same(promoted.map((id) => told.get(id) ?? 0), promoted.map(() => 1), `iteration ${iteration}: each of the ${promoted.length} promoted registrations told exactly once`);
    const others = o.rows.filter((r) => r.state !== 'cancelled' && !promoted.includes(r.id)).map((r) => r.id);
    t.same(others.filter((id) => told.has(id)), [], `iteration ${iteration}: nobody else told of a promotion`);
    t.ok(o.rows.filter((r) => r.state === 'cancelled').every((r) => (told.get(r.id) ?? 0) <= 1), `iteration ${iteration}: at most once for those who left`);
  }
});

t.test('the same phone submitted 10 times at once: one registration, nine refused as duplicates', { skip }, async (t) => {
  const database = await createTestDatabase(t.teardown.bind(t));
  const { db } = database;
  const pool = await openPool(t, database, 10);
  for (let iteration = 1; iteration <= ITERATIONS; iteration++) {
    const { event: ev } = await makeWorld(db);
    const start = gate();
    const runs = oneTo(10).map(async () => {
      await start.opened;
      return register(pool, now, ev.id, person({ email: null, phone: '+33612345678', smsConsent: true }));
    });
    start.open();
    const results = await Promise.all(runs);
    t.equal(results.filter((r) => r.ok).length, 1, `iteration ${iteration}: one registration`);
    t.equal(results.filter((r) => !r.ok && r.reason === 'duplicate_phone').length, 9, `iteration ${iteration}: nine duplicates`);
    const texts = await db.select({ id: outbox.id }).from(outbox).where(and(eq(outbox.channel, 'sms'), sql`${outbox.payload}->>'registrationId' in (select id::text from registration where event_id = ${ev.id})`));
    t.equal(texts.length, 1, `iteration ${iteration}: one text`);
  }
});
