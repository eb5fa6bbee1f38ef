// @databases: pglite, postgres
// Every figure of an edition against the fixtures counted by hand (test/reports/fixtures.ts):
// events per local day, category, audience and commune (the whole list, zero included), partners,
// registrations, access needs; one territory and the national total.
import t from 'tap';
import { allTerritories } from '../../server/reports/queries.ts';
import { editionReport } from '../../server/reports/figures.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { reportFixtures } from './fixtures.ts';

const nonZero = <T extends { events: number }>(rows: T[], key: keyof T) => Object.fromEntries(rows.filter((r) => r.events > 0).map((r) => [r[key], r.events]));

t.test('the figures of one territory, counted by hand', async (t) => {
  const { db } = await createTestDatabase(t.teardown.bind(t));
  const f = await reportFixtures(db);
  const report = await editionReport(db, f.edition, [f.cayenne], false);
  const { events, coverage, registrations, needs, organisations, partnersByKind } = report.total;

  t.same(
    { published: events.published, cancelled: events.cancelled, freeEntry: events.freeEntry, capacity: events.capacity, withAccessibility: events.withAccessibility },
    { published: 5, cancelled: 1, freeEntry: 1, capacity: 123, withAccessibility: 4 },
  );
  t.equal(events.byDay.length, 15, 'the 14 days of the edition and the day outside it');
  t.same(nonZero(events.byDay, 'day'), { '2026-10-05': 1, '2026-10-06': 2, '2026-10-10': 1, '2026-10-20': 1 }, 'days in Cayenne time');
  t.same(events.byDay.filter((d) => !d.inEdition).map((d) => d.day), ['2026-10-20']);
  t.same(nonZero(events.byCategory, 'category'), { sport: 1, cine_debat: 2, conference: 1, balade: 1 });
  t.equal(events.byCategory.length, 10, 'every category, zero included');
  t.same(nonZero(events.byAudience, 'audience'), { tout_public: 2, jeunes: 1, familles: 1, adultes: 1 });

  t.same(coverage.communes, [
    { commune: 'Cayenne', events: 2, listed: true },
    { commune: 'Kourou', events: 1, listed: true },
    { commune: 'Matoury', events: 0, listed: true },
    { commune: 'Rémire-Montjoly', events: 0, listed: true },
    { commune: '97300 Cayenne', events: 1, listed: false },
  ], 'every listed commune in the list order, « cayenne » counted as Cayenne, an unlisted one apart');
  t.same({ online: coverage.online, listed: coverage.listed, covered: coverage.covered }, { online: 1, listed: 4, covered: 2 });

  t.same(organisations.map((o) => [o.name, o.kind, o.events, o.isNew]), [
    ['GEM Soleil', 'gem', 3, true],
    ['Association Lien', 'association', 2, false],
  ]);
  t.same(partnersByKind.filter((k) => k.organisations > 0), [
    { kind: 'association', organisations: 1, newThisYear: 0 },
    { kind: 'gem', organisations: 1, newThisYear: 1 },
  ]);

  t.same(registrations, {
    confirmed: 5,
    seats: 12,
    checkedIn: 2,
    eventsWithCheckIn: 1,
    confirmedAtCheckedEvents: 3,
    waitlisted: 2,
    waitlistedSeats: 3,
    eventsWithWaitlist: 1,
    cancelled: 2,
    onBehalf: 1,
  });

  t.same(
    Object.fromEntries(needs.filter((n) => n.declared > 0).map(({ category, ...n }) => [category, n])),
    {
      lsf: { declared: 3, planned: 2, notPossible: 1, unanswered: 0, declaredLate: 0, answeredByDeadline: 2 },
      caa: { declared: 1, planned: 1, notPossible: 0, unanswered: 0, declaredLate: 1, answeredByDeadline: 0 },
      wheelchair: { declared: 1, planned: 0, notPossible: 0, unanswered: 1, declaredLate: 0, answeredByDeadline: 0 },
      quiet_space: { declared: 1, planned: 0, notPossible: 0, unanswered: 1, declaredLate: 1, answeredByDeadline: 0 },
    },
  );
  t.equal(needs.length, 10, 'every category of the vocabulary');
});

t.test('the national figures: each territory, and their sum', async (t) => {
  const { db } = await createTestDatabase(t.teardown.bind(t));
  const f = await reportFixtures(db);
  const report = await editionReport(db, f.edition, await allTerritories(db), true);
  t.same(report.territories.map((x) => [x.territory.name, x.events.published, x.registrations.confirmed, x.coverage.covered, x.coverage.listed]), [
    ['CLSM de Cayenne', 5, 5, 2, 4],
    ['CLSM de Grenoble', 1, 1, 1, 2],
  ]);
  const total = report.total;
  t.same([total.events.published, total.events.cancelled, total.events.capacity], [6, 1, 153]);
  t.equal(total.events.byDay.find((d) => d.day === '2026-10-06')!.events, 3, 'Cayenne 2 + Grenoble 1 on 6 October');
  t.same([total.registrations.confirmed, total.registrations.seats], [6, 14]);
  t.same([total.coverage.listed, total.coverage.covered, total.coverage.online], [6, 3, 1]);
  t.same(total.coverage.communes, [], 'communes are listed per territory');
  const lsf = total.needs.find((n) => n.category === 'lsf')!;
  t.same([lsf.declared, lsf.planned, lsf.answeredByDeadline], [4, 3, 3]);
  t.same(total.partnersByKind.filter((k) => k.organisations > 0).map((k) => [k.kind, k.organisations, k.newThisYear]), [
    ['association', 1, 0],
    ['gem', 1, 1],
    ['service_municipal', 1, 1],
  ]);
});

t.test('an edition without any event: zeros, every day and commune still there', async (t) => {
  const { db } = await createTestDatabase(t.teardown.bind(t));
  const f = await reportFixtures(db);
  const report = await editionReport(db, f.earlier, [f.grenoble], false);
  t.equal(report.total.events.published, 0);
  t.equal(report.total.events.byDay.length, 14);
  t.same(report.total.coverage.communes.map((c) => [c.commune, c.events]), [['Grenoble', 0], ['Échirolles', 0]]);
  t.equal(report.total.registrations.confirmed, 0);
});
