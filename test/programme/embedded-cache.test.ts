// @databases: pglite
// Issue 18: on the embedded database, a cached public page asks the database nothing — PGlite runs
// one query at a time on the app's own thread, and this process alone writes to it, so it counts
// its own writing statements instead of reading the cluster's snapshot. Checked by holding PGlite
// in a transaction: the cached page still comes (before: it waited for the database). And every
// write the app sends, in a transaction or not, is seen by the next request.
import t from 'tap';
import { eq, sql } from 'drizzle-orm';
import { event } from '../../server/db/schema.ts';
import { buildTestApp } from '../helpers/app.ts';
import { makeWorld } from '../helpers/factory.ts';

const { app, db } = await buildTestApp(t);
const w = await makeWorld(db, { title: 'Atelier d’écriture' });

t.test('a cached page is served while the database is held by a transaction', async (t) => {
  const first = await app.inject({ url: '/programme' });
  t.match(first.body, 'Atelier d’écriture');
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let holding!: () => void;
  const held = new Promise<void>((resolve) => (holding = resolve));
  const transaction = db.transaction(async (tx) => {
    await tx.execute(sql`select 1`);
    holding();
    await gate;
  });
  await held;
  const blocked = Symbol('blocked');
  const outcome = await Promise.race([app.inject({ url: '/programme' }), new Promise<typeof blocked>((resolve) => setTimeout(() => resolve(blocked), 3_000))]);
  release();
  await transaction;
  t.not(outcome, blocked, 'answered without waiting for the database');
  if (outcome !== blocked) t.equal(outcome.body, first.body, 'the same page');
});

t.test('writes are seen at once, in a transaction or not', async (t) => {
  await app.inject({ url: '/programme' });
  await db.update(event).set({ title: 'Atelier de poésie' }).where(eq(event.id, w.event.id));
  t.match((await app.inject({ url: '/programme' })).body, 'Atelier de poésie', 'a plain update');
  await db.transaction(async (tx) => {
    await tx.update(event).set({ title: 'Atelier de collage' }).where(eq(event.id, w.event.id));
  });
  t.match((await app.inject({ url: '/programme' })).body, 'Atelier de collage', 'an update in a transaction');
  await db.execute(sql`update event set title = 'Atelier de chant' where id = ${w.event.id}`);
  t.match((await app.inject({ url: '/programme' })).body, 'Atelier de chant', 'raw SQL');
});
