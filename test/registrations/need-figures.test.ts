// @databases: pglite, postgres
// The access-need counts of the figures and the bilan: by category and status, declared late or
// not, answered in time or not; the same before and after the retention purge (the purge keeps
// them in access_need_tally). Fixtures counted by hand below.
import t from 'tap';
import { accessNeed, accessNeedTally } from '../../server/db/schema.ts';
import type { Database } from '../../server/db/client.ts';
import { needCounts, type NeedCount } from '../../server/registrations/need-figures.ts';
import { purgeExpired } from '../../server/registrations/purge.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { makeEvent, makeOrganisation, makeRegistration, makeTerritory, makeWorld } from '../helpers/factory.ts';

const at = (iso: string) => new Date(iso);

/** One need stored as the product stores it, with its dates. */
async function need(db: Database, registrationId: number, category: NeedCount['category'], declared: string, answer?: { status: 'planned' | 'not_possible'; at: string }) {
  await db.insert(accessNeed).values({
    registrationId,
    category,
    createdAt: at(declared),
    status: answer?.status ?? 'requested',
    answeredAt: answer ? at(answer.at) : null,
  });
}

async function fixtures(db: Database) {
  // Event A: 6 October 2026 12:00 UTC, access-request deadline 22 September 12:00 UTC.
  const w = await makeWorld(db);
  const ids = { editionId: w.edition.id, territoryId: w.territory.id, organisationId: w.organisation.id };
  // Event B: same territory, no deadline (its start, 10 October 12:00 UTC, is the limit).
  const b = await makeEvent(db, ids, { accessRequestDeadline: null, startsAt: at('2026-10-10T12:00:00Z'), endsAt: at('2026-10-10T14:00:00Z') });
  // A cancelled event and a draft: their needs are not figures of the edition.
  const cancelled = await makeEvent(db, ids, { state: 'cancelled' });
  // Another territory's event.
  const other = await makeTerritory(db);
  const otherOrg = await makeOrganisation(db, other.id);
  const elsewhere = await makeEvent(db, { editionId: w.edition.id, territoryId: other.id, organisationId: otherOrg.id });

  const r1 = (await makeRegistration(db, w.event.id)).registration;
  const r2 = (await makeRegistration(db, w.event.id, { state: 'waitlisted', waitlistPosition: 1 })).registration;
  const r3 = (await makeRegistration(db, b.id)).registration;
  const r4 = (await makeRegistration(db, cancelled.id)).registration;
  const r5 = (await makeRegistration(db, elsewhere.id)).registration;

  // Event A (deadline 22 Sept. 12:00):
  await need(db, r1.id, 'lsf', '2026-09-10T10:00:00Z', { status: 'planned', at: '2026-09-20T09:00:00Z' }); // in time, answered in time
  await need(db, r1.id, 'caa', '2026-09-10T10:00:00Z', { status: 'not_possible', at: '2026-09-25T09:00:00Z' }); // in time, answered late
  await need(db, r1.id, 'wheelchair', '2026-09-10T10:00:00Z'); // in time, unanswered
  await need(db, r2.id, 'lsf', '2026-09-23T10:00:00Z', { status: 'planned', at: '2026-09-24T09:00:00Z' }); // declared late (waitlisted: still counted)
  await need(db, r2.id, 'caa', '2026-09-22T12:00:00Z', { status: 'planned', at: '2026-09-22T12:00:00Z' }); // at the deadline: in time, answered in time
  // Event B (limit: its start, 10 Oct. 12:00):
  await need(db, r3.id, 'lsf', '2026-10-09T10:00:00Z', { status: 'not_possible', at: '2026-10-10T11:00:00Z' }); // in time, answered in time
  await need(db, r3.id, 'falc', '2026-10-10T12:30:00Z'); // after the start: late, unanswered
  // Not counted in the territory: a cancelled event; counted nationally: another territory.
  await need(db, r4.id, 'lsf', '2026-09-10T10:00:00Z', { status: 'planned', at: '2026-09-11T10:00:00Z' });
  await need(db, r5.id, 'quiet_space', '2026-09-10T10:00:00Z', { status: 'planned', at: '2026-09-11T10:00:00Z' });
  return { w, other };
}

const byCategory = (rows: NeedCount[]) =>
  Object.fromEntries(rows.sort((a, b) => a.category.localeCompare(b.category)).map(({ territoryId: _, category, ...counts }) => [category, counts]));

// Hand count for the first territory (event A + event B):
//   lsf: A/r1 planned in time, A/r2 planned declared late, B/r3 not possible in time → planned 2, not possible 1, late 1, in time 2
//   caa: A/r1 not possible answered late, A/r2 planned at the deadline → planned 1, not possible 1, late 0, in time 1
//   wheelchair: unanswered · falc: unanswered, declared late
const expected = {
  caa: { unanswered: 0, planned: 1, notPossible: 1, declaredLate: 0, answeredByDeadline: 1 },
  falc: { unanswered: 1, planned: 0, notPossible: 0, declaredLate: 1, answeredByDeadline: 0 },
  lsf: { unanswered: 0, planned: 2, notPossible: 1, declaredLate: 1, answeredByDeadline: 2 },
  wheelchair: { unanswered: 1, planned: 0, notPossible: 0, declaredLate: 0, answeredByDeadline: 0 },
};

t.test('needs per category: status, declared late, answered in time; scope of the territory and the nation', async (t) => {
  const { db } = await createTestDatabase(t.teardown.bind(t));
  const { w, other } = await fixtures(db);
  t.same(byCategory(await needCounts(db, { editionId: w.edition.id, territoryId: w.territory.id })), expected);
  const national = await needCounts(db, { editionId: w.edition.id, territoryId: null });
  t.same(byCategory(national.filter((r) => r.territoryId === w.territory.id)), expected, 'the same rows nationally, per territory');
  t.same(byCategory(national.filter((r) => r.territoryId === other.id)), {
    quiet_space: { unanswered: 0, planned: 1, notPossible: 0, declaredLate: 0, answeredByDeadline: 1 },
  });
  t.same(await needCounts(db, { editionId: w.edition.id + 1, territoryId: null }), [], 'another edition: nothing');
});

t.test('the purge keeps exactly these counts, per event and category, without any person', async (t) => {
  const { db } = await createTestDatabase(t.teardown.bind(t));
  const { w } = await fixtures(db);
  // Every event has ended 30 days after 10 November.
  const purged = await purgeExpired(db, { needsRetentionDays: 30, identityRetentionDays: 90, dataDir: t.testdir() }, at('2026-11-15T00:00:00Z'));
  t.equal(purged.needsDeleted, 9, 'every stored need is gone');
  t.same(await db.select().from(accessNeed), []);
  t.same(byCategory(await needCounts(db, { editionId: w.edition.id, territoryId: w.territory.id })), expected, 'the same figures from the tally alone');
  const tally = await db.select().from(accessNeedTally);
  t.ok(
    tally.every((row) => Object.keys(row).every((k) => ['eventId', 'category', 'requested', 'planned', 'notPossible', 'declaredLate', 'answeredByDeadline'].includes(k))),
    'the tally holds counts per event and category only',
  );
  t.equal(
    tally.reduce((sum, r) => sum + r.declaredLate, 0),
    2,
    'late declarations kept (lsf on A, falc on B)',
  );

  // Half purged: a new need on a fresh event of the same territory adds to the tally's counts.
  const later = await makeEvent(db, { editionId: w.edition.id, territoryId: w.territory.id, organisationId: w.organisation.id }, { startsAt: at('2026-12-20T12:00:00Z'), endsAt: at('2026-12-20T14:00:00Z'), accessRequestDeadline: at('2026-12-10T12:00:00Z') });
  const r = (await makeRegistration(db, later.id)).registration;
  await need(db, r.id, 'lsf', '2026-12-01T10:00:00Z', { status: 'planned', at: '2026-12-02T10:00:00Z' });
  const mixed = byCategory(await needCounts(db, { editionId: w.edition.id, territoryId: w.territory.id }));
  t.same(mixed.lsf, { unanswered: 0, planned: 3, notPossible: 1, declaredLate: 1, answeredByDeadline: 3 }, 'stored needs and kept counts added together');
});
