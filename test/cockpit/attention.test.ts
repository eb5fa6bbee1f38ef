// @databases: pglite, postgres
// « À traiter » read from the fixture counted by hand (fixture.ts): figures per event, the lists,
// their order, and what stays out (ended events, cancelled registrations, other territories).
import t from 'tap';
import { organisationAttention, territoryAttention } from '../../server/cockpit/attention.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { cockpitFixture, NOW } from './fixture.ts';

t.test("a territory's attention, counted by hand", async (t) => {
  const { db } = await createTestDatabase(t.teardown.bind(t));
  const f = await cockpitFixture(db);
  const a = await territoryAttention(db, { ...f.territory }, NOW);

  t.same(
    a.proposals.map((p) => [p.title, p.waitingDays]),
    [['Marche douce', 3]],
    'the proposal waiting, with its age in days (the one sent back is with its organisation)',
  );
  t.same(
    a.unansweredNeeds.map((l) => [l.title, l.requested, l.daysToDeadline]),
    [
      ['Jardin partagé', 2, -5],
      ['Ciné-débat', 1, 7],
    ],
    'needs without an answer, overdue first; the cancelled registration and the ended event are not counted',
  );
  t.same(a.notPossible.map((l) => [l.title, l.notPossible]), [['Ciné-débat', 1]], 'the need answered « pas possible » (a waiting person counts)');
  t.same(a.calls.map((l) => [l.title, l.openCalls]), [['Jardin partagé', 1]], 'the call not made');
  t.same(a.waitingLists.map((l) => [l.title, l.confirmedSeats, l.capacity, l.waitingGroups, l.waitingSeats]), [['Ciné-débat', 4, 4, 1, 3]], 'the full event and its waiting group of 3');
  t.same(a.withoutAccessibility.map((l) => l.title), ['Jardin partagé'], 'the event with no accessibility offered');
  t.same(a.edited, [], 'no event edited since publication');
  t.same(a.totals, { requested: 3, notPossible: 1, openCalls: 1 }, 'the totals the counts show');
  t.notOk(JSON.stringify(a).includes('Cayenne'), "nothing of the other territory");
});

t.test("an organisation's attention: each upcoming event's figures", async (t) => {
  const { db } = await createTestDatabase(t.teardown.bind(t));
  const f = await cockpitFixture(db);
  const a = await organisationAttention(db, { id: f.organisation.id, name: f.organisation.name, timeZone: 'Europe/Paris' }, NOW);
  t.same(
    a.events.map((l) => ({ title: l.title, confirmed: l.confirmedSeats, capacity: l.capacity, waiting: l.waitingSeats, needs: [l.requested, l.planned, l.notPossible], days: l.daysToDeadline })),
    [
      { title: 'Ciné-débat', confirmed: 4, capacity: 4, waiting: 3, needs: [1, 1, 1], days: 7 },
      { title: 'Jardin partagé', confirmed: 1, capacity: null, waiting: 0, needs: [2, 0, 0], days: -5 },
    ],
    'both upcoming published events (the ended one and the proposals are not listed)',
  );
  t.same(a.changesRequested.map((p) => p.title), ['Concert'], 'the proposal to change');
  t.same(a.unansweredNeeds.map((l) => l.title), ['Jardin partagé', 'Ciné-débat'], 'by deadline');
});
