// @databases: pglite, postgres
// The database itself keeps the rules that must never break, whoever writes (DESIGN.md, Data):
// migrations re-run as a no-op, and constraints refuse what the services would never write.
import t from 'tap';
import { eq, sql } from 'drizzle-orm';
import { queryRows } from '../../server/db/client.ts';
import { runMigrations } from '../../server/db/migrate.ts';
import { event, registration } from '../../server/db/schema.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { makeRegistration, makeWorld } from '../helpers/factory.ts';

const database = await createTestDatabase(t.teardown.bind(t));
const { db } = database;
const w = await makeWorld(db, { capacity: 10 });

/** The PostgreSQL error code of a refused write (23514 check, 23505 unique, 23503 foreign key). */
async function refusal(write: Promise<unknown>): Promise<string | undefined> {
  try {
    await write;
    return undefined;
  } catch (error) {
    let e: unknown = error;
    while (e && typeof e === 'object') {
      if ('code' in e && typeof e.code === 'string' && /^\d{5}$/.test(e.code)) return e.code;
      e = 'cause' in e ? e.cause : undefined;
    }
    throw error;
  }
}

t.test('migrations applied twice change nothing', async (t) => {
  const count = async () => (await queryRows<{ n: number }>(db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`))[0]!.n;
  const before = await count();
  t.ok(before >= 4, `${before} migrations recorded`);
  await runMigrations(database);
  t.equal(await count(), before, 'nothing applied again');
  const [row] = await queryRows<{ id: number }>(db, sql`select id from event where id = ${w.event.id}`);
  t.equal(row?.id, w.event.id, 'data untouched');
});

t.test('constraints: enums, capacity, dates, one live registration per email and event, foreign keys', async (t) => {
  t.equal(await refusal(db.update(event).set({ capacity: -1 }).where(eq(event.id, w.event.id))), '23514', 'capacity ≥ 0');
  t.equal(await refusal(db.execute(sql`update event set state = 'perdu' where id = ${w.event.id}`)), '23514', 'event state from the list');
  t.equal(await refusal(db.execute(sql`update event set category = 'karaoke' where id = ${w.event.id}`)), '23514', 'category from the list');
  t.equal(await refusal(db.update(event).set({ endsAt: new Date(w.event.startsAt.getTime() - 60_000) }).where(eq(event.id, w.event.id))), '23514', 'ends after it starts');

  const { registration: first } = await makeRegistration(db, w.event.id, { email: 'Deux@Example.org' });
  t.equal(await refusal(makeRegistration(db, w.event.id, { email: 'deux@example.org' })), '23505', 'same email (any case) twice for one event');
  await db.update(registration).set({ state: 'cancelled', waitlistPosition: null }).where(eq(registration.id, first.id));
  t.equal(await refusal(makeRegistration(db, w.event.id, { email: 'deux@example.org' })), undefined, 'allowed again once the first is cancelled');
  t.equal(await refusal(db.execute(sql`update registration set seats = 0 where id = ${first.id}`)), '23514', 'at least one seat');

  t.equal(await refusal(makeRegistration(db, 999_999, { email: 'x@example.org' })), '23503', 'a registration needs a real event');
});

t.test('accent-insensitive French search is in the schema (unaccent text-search configuration)', async (t) => {
  const matches = async (text: string, query: string) =>
    (await queryRows<{ m: boolean }>(db, sql`select to_tsvector('french_unaccent', ${text}) @@ websearch_to_tsquery('french_unaccent', ${query}) as m`))[0]!.m;
  t.equal(await matches('Ciné-débat à Échirolles', 'cinema echirolles'), false, 'a word that is not there is not found');
  t.equal(await matches('Le cinéma à Échirolles', 'cinema echirolles'), true, 'accents left out');
  t.equal(await matches('Le cinema a Echirolles', 'CINÉMA Échirolles'), true, 'accents added');
});
