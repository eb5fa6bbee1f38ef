// What the event pages offer and show, decided by the events services (not by the routes): the
// actions each state allows, the review's changes, and the edition the coordination looks at.
import t, { type Test } from 'tap';
import { eq } from 'drizzle-orm';
import { event } from '../../server/db/schema.ts';
import { EVENT_STATES } from '../../server/domain/vocabulary.ts';
import { requestChanges, submit } from '../../server/events/moderation.ts';
import { coordinationOverview } from '../../server/events/overview.ts';
import { eventContext } from '../../server/events/queries.ts';
import { organiserViewOf, reviewOf } from '../../server/events/review.ts';
import { chosenEdition, coordinationActions, organiserActions } from '../../server/events/rules.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { makeEdition, makeUser, makeWorld } from '../helpers/factory.ts';

const now = new Date('2026-09-15T08:00:00Z');

async function setup(t: Test, state: (typeof EVENT_STATES)[number]) {
  const { db } = await createTestDatabase(t.teardown.bind(t));
  const world = await makeWorld(db, { state, publishedAt: state === 'published' ? now : null });
  const actor = await makeUser(db, { email: 'coordination@clsm.example' });
  const context = async () => (await eventContext(db, world.event.id))!;
  return { db, ...world, actor, context };
}

t.test('only a proposal under review can be reviewed; only a published event cancelled', async (t) => {
  for (const state of EVENT_STATES) {
    t.same(coordinationActions(state), { review: state === 'submitted', cancel: state === 'published' }, state);
    t.same(
      organiserActions(state),
      { edit: state !== 'refused' && state !== 'cancelled', submit: state === 'draft' || state === 'changes_requested', cancel: state === 'published' },
      state,
    );
  }
});

t.test('the review of a proposal shows what changed since the coordination asked for changes', async (t) => {
  const w = await setup(t, 'submitted');
  const first = await reviewOf(w.db, await w.context());
  t.same(first.can, { review: true, cancel: false });
  t.equal(first.changes, null, 'a first proposal: nothing to compare with');
  t.equal(first.editedSincePublication, null);

  await requestChanges(w.db, w.event.id, { actorUserId: w.actor.id, now, message: 'Précisez le lieu.' });
  const waiting = await reviewOf(w.db, await w.context());
  t.same(waiting.can, { review: false, cancel: false }, 'back with the organisation: no decision to take');
  t.equal(waiting.changes, null, 'not under review: no changes shown');

  await w.db.update(event).set({ title: 'Un nouveau titre' }).where(eq(event.id, w.event.id));
  await submit(w.db, w.event.id, { actorUserId: w.actor.id, now });
  const again = await reviewOf(w.db, await w.context());
  t.same(again.changes?.map((c) => c.field), ['title']);
});

t.test('a published event: cancel only, and what was edited since publication', async (t) => {
  const w = await setup(t, 'published');
  const review = await reviewOf(w.db, await w.context());
  t.same(review.can, { review: false, cancel: true });
  t.equal(review.changes, null);
  t.equal(review.editedSincePublication, null, 'nothing edited yet');
  const organiser = await organiserViewOf(w.db, await w.context());
  t.same(organiser.can, { edit: true, submit: false, cancel: true });
});

t.test('the coordination sees the edition it asked for, else the current or next one, else the latest', async (t) => {
  const w = await setup(t, 'published');
  const older = await makeEdition(w.db, { year: 2025, firstDay: '2025-10-06', lastDay: '2025-10-19' });
  const newer = await makeEdition(w.db, { year: 2027, firstDay: '2027-10-04', lastDay: '2027-10-17' });
  t.equal(chosenEdition([], 2026, '2026-09-15'), undefined);
  t.equal((await coordinationOverview(w.db, w.territory, 2025, now)).edition?.id, older.id);
  t.equal((await coordinationOverview(w.db, w.territory, 2027, now)).edition?.id, newer.id);
  const current = (day: string) => coordinationOverview(w.db, w.territory, Number(undefined), new Date(`${day}T10:00:00Z`));
  t.equal((await current('2026-09-15')).edition?.id, w.edition.id, 'before the weeks: the next to come, not the newer empty one');
  t.equal((await current('2026-10-18')).edition?.id, w.edition.id, 'its last day is still its own');
  t.equal((await current('2026-11-02')).edition?.id, newer.id, 'after the weeks: the next to come');
  t.equal((await current('2028-01-10')).edition?.id, newer.id, 'all past: the latest');
  t.equal((await coordinationOverview(w.db, w.territory, 1999, now)).edition?.id, w.edition.id, 'an unknown year: the current or next one');
  const overview = (await coordinationOverview(w.db, w.territory, 2026, now)).overview!;
  t.equal(overview.published, 1);
});
