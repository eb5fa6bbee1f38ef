// @databases: pglite, postgres
// The event state machine and editing rules, on a real database (PGlite or PostgreSQL).
import { rmSync } from 'node:fs';
import t, { type Test } from 'tap';
import { asc, eq } from 'drizzle-orm';
import type { Database } from '../../server/db/client.ts';
import { edition, event, eventHistory, outbox, registration, venue } from '../../server/db/schema.ts';
import { EVENT_STATES, type EventState } from '../../server/domain/vocabulary.ts';
import { TRANSITIONS, type Transition } from '../../server/events/rules.ts';
import { createEvent, updateEvent, type VenueChoice } from '../../server/events/editing.ts';
import { cancel, publish, refuse, requestChanges, submit } from '../../server/events/moderation.ts';
import { EventRuleError } from '../../server/events/rule-error.ts';
import type { EventFields } from '../../server/events/rules.ts';
import { updateVenue } from '../../server/events/venues.ts';
import { renderMail } from '../../server/mail-kinds.ts';
import { testConfig } from '../helpers/app.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { makeEvent, makeMember, makeOrganisation, makeRegistration, makeUser, makeVenue, makeWorld } from '../helpers/factory.ts';

const now = new Date('2026-09-15T08:00:00Z');
const later = new Date('2026-09-16T09:30:00Z');

async function setup(t: Test, eventValues: Parameters<typeof makeWorld>[1] = { state: 'draft', publishedAt: null }) {
  const database = await createTestDatabase(t.teardown.bind(t));
  const db = database.db;
  const world = await makeWorld(db, eventValues);
  const member = await makeUser(db, { email: 'Membre@Asso.example' });
  await makeMember(db, member.id, world.organisation.id);
  const coordinator = await makeUser(db, { email: 'coordination@clsm.example' });
  return { db, ...world, member, coordinator };
}

async function historyOf(db: Database, eventId: number) {
  return db.select().from(eventHistory).where(eq(eventHistory.eventId, eventId)).orderBy(asc(eventHistory.id));
}
async function mails(db: Database) {
  return db.select().from(outbox).orderBy(asc(outbox.id));
}
async function reload(db: Database, eventId: number) {
  const [row] = await db.select().from(event).where(eq(event.id, eventId));
  return row!;
}

/** Runs `work` and returns the EventRuleError it throws (fails the test otherwise). */
async function refusal(t: Test, work: Promise<unknown>): Promise<EventRuleError> {
  try {
    await work;
  } catch (error) {
    if (error instanceof EventRuleError) return error;
    throw error;
  }
  t.fail('expected the service to refuse');
  return new EventRuleError('invalid_transition', 'not refused');
}

function fields(values: Partial<EventFields> = {}): EventFields {
  return {
    title: 'Ciné-débat « Vice-versa »',
    summary: 'Une projection suivie d’un échange.',
    description: 'Projection au cinéma municipal.',
    easyReadSummary: null,
    category: 'cine_debat',
    audience: 'tout_public',
    startsAt: new Date('2026-10-08T16:00:00Z'),
    endsAt: new Date('2026-10-08T18:00:00Z'),
    onlineUrl: null,
    capacity: 40,
    registrationOpensAt: null,
    registrationClosesAt: null,
    accessRequestDeadline: null,
    accessibilityOffered: [],
    contentNote: null,
    ...values,
  };
}

t.test('a proposal goes draft → submitted → changes requested → submitted → published → cancelled', async (t) => {
  const { db, event: ev, member, coordinator, organisation } = await setup(t);
  const confirmed = await makeRegistration(db, ev.id, { email: 'alice@example.org' });
  await makeRegistration(db, ev.id, { email: 'bob@example.org', state: 'waitlisted', waitlistPosition: 1 });
  await makeRegistration(db, ev.id, { email: 'gone@example.org', state: 'cancelled' });

  const submitted = await submit(db, ev.id, { actorUserId: member.id, now });
  t.equal(submitted.state, 'submitted');
  t.same(await mails(db), [], 'proposing queues no mail to the organisation that proposed');

  const asked = await requestChanges(db, ev.id, { actorUserId: coordinator.id, message: 'Précisez l’accès PMR.', now });
  t.equal(asked.state, 'changes_requested');
  await submit(db, ev.id, { actorUserId: member.id, now: later });
  const published = await publish(db, ev.id, { actorUserId: coordinator.id, now: later });
  t.equal(published.state, 'published');
  t.same(published.publishedAt, later);
  t.equal(published.sequence, 0, 'publishing does not bump the sequence');

  const cancelled = await cancel(db, ev.id, { actorUserId: coordinator.id, reason: 'Salle inondée.', now: later });
  t.equal(cancelled.state, 'cancelled');
  t.equal(cancelled.cancellationReason, 'Salle inondée.');
  t.equal(cancelled.sequence, 1, 'cancelling bumps the sequence');
  t.same(cancelled.updatedAt, later);

  const history = await historyOf(db, ev.id);
  t.same(
    history.map((h) => [h.fromState, h.toState, h.actorUserId, h.message, h.sequence]),
    [
      ['draft', 'submitted', member.id, null, 0],
      ['submitted', 'changes_requested', coordinator.id, 'Précisez l’accès PMR.', 0],
      ['changes_requested', 'submitted', member.id, null, 0],
      ['submitted', 'published', coordinator.id, null, 0],
      ['published', 'cancelled', coordinator.id, 'Salle inondée.', 1],
    ],
  );
  t.match(history[0]!.changes, { snapshot: { title: ev.title, startsAt: ev.startsAt.toISOString() } }, 'each submission keeps a snapshot');
  t.match(history[1]!.changes, { snapshot: { title: ev.title } }, 'each review keeps a snapshot');

  const queued = await mails(db);
  const decisions = queued.filter((m) => m.kind === 'moderation_decision');
  t.same(
    decisions.map((m) => [m.recipient, m.payload]),
    [
      [organisation.contactEmail, { eventId: ev.id, decision: 'changes_requested', message: 'Précisez l’accès PMR.' }],
      ['Membre@Asso.example', { eventId: ev.id, decision: 'changes_requested', message: 'Précisez l’accès PMR.' }],
      [organisation.contactEmail, { eventId: ev.id, decision: 'published', message: null }],
      ['Membre@Asso.example', { eventId: ev.id, decision: 'published', message: null }],
      [organisation.contactEmail, { eventId: ev.id, decision: 'cancelled', message: 'Salle inondée.' }],
      ['Membre@Asso.example', { eventId: ev.id, decision: 'cancelled', message: 'Salle inondée.' }],
    ],
    'each decision goes to the contact address and every member',
  );
  const notices = queued.filter((m) => m.kind === 'event_cancelled');
  t.same(notices.map((m) => m.recipient).sort(), ['alice@example.org', 'bob@example.org'], 'registrants still registered are told, not those who cancelled');
  t.match(notices.find((m) => m.recipient === 'alice@example.org')!.payload, { eventId: ev.id, registrationId: confirmed.registration.id, sequence: 1, reason: 'Salle inondée.' });
  t.ok(queued.every((m) => m.sendAfter.getTime() === m.createdAt.getTime() || m.sendAfter <= later), 'mails are due at once');
});

t.test('a submitted proposal can be refused; a refused event is closed', async (t) => {
  const { db, event: ev, member, coordinator } = await setup(t, { state: 'submitted', publishedAt: null });
  const refused = await refuse(db, ev.id, { actorUserId: coordinator.id, message: 'Hors du thème de la SISM.', now });
  t.equal(refused.state, 'refused');
  t.match(await mails(db), [{ kind: 'moderation_decision', payload: { decision: 'refused', message: 'Hors du thème de la SISM.' } }]);

  const noEdit = await refusal(t, updateEvent(db, ev.id, { fields: fields(), venue: { kind: 'none' }, actorUserId: member.id, now }));
  t.equal(noEdit.code, 'invalid_fields', 'no place at all is refused first');
  const closed = await refusal(t, updateEvent(db, ev.id, { fields: fields({ onlineUrl: 'https://visio.example.org/a' }), venue: { kind: 'none' }, actorUserId: member.id, now }));
  t.equal(closed.code, 'not_editable');
  t.equal(closed.message, 'Cet événement est « Refusé » : il ne peut plus être modifié.');
  const resubmit = await refusal(t, submit(db, ev.id, { actorUserId: member.id, now }));
  t.equal(resubmit.code, 'invalid_transition');
  t.equal(resubmit.message, "Impossible de proposer à la coordination un événement à l'état « Refusé ».");
  t.equal((await reload(db, ev.id)).title, ev.title, 'nothing changed');
});

t.test('every transition from every state: allowed ones move, the others are refused and change nothing', async (t) => {
  const database = await createTestDatabase(t.teardown.bind(t));
  const db = database.db;
  const world = await makeWorld(db, { state: 'draft', publishedAt: null });
  const actor = await makeUser(db);
  const refs = { editionId: world.edition.id, territoryId: world.territory.id, organisationId: world.organisation.id, venueId: world.venue.id };
  const run: Record<Transition, (id: number) => Promise<unknown>> = {
    submit: (id) => submit(db, id, { actorUserId: actor.id, now }),
    requestChanges: (id) => requestChanges(db, id, { actorUserId: actor.id, message: 'À revoir', now }),
    publish: (id) => publish(db, id, { actorUserId: actor.id, now }),
    refuse: (id) => refuse(db, id, { actorUserId: actor.id, message: 'Non', now }),
    cancel: (id) => cancel(db, id, { actorUserId: actor.id, reason: 'Annulé', now }),
  };
  for (const state of EVENT_STATES) {
    for (const transition of Object.keys(TRANSITIONS) as Transition[]) {
      const ev = await makeEvent(db, refs, { state: state as EventState });
      const allowed = (TRANSITIONS[transition].from as readonly EventState[]).includes(state);
      if (allowed) {
        await run[transition](ev.id);
        t.equal((await reload(db, ev.id)).state, TRANSITIONS[transition].to, `${transition} from ${state}`);
        t.equal((await historyOf(db, ev.id)).length, 1, `${transition} from ${state} is in history`);
      } else {
        const error = await refusal(t, run[transition](ev.id));
        t.equal(error.code, 'invalid_transition', `${transition} from ${state} is refused`);
        t.equal((await reload(db, ev.id)).state, state);
        t.equal((await historyOf(db, ev.id)).length, 0);
      }
    }
  }
  const decisions = (await mails(db)).filter((m) => m.kind === 'moderation_decision');
  t.same(
    decisions.map((m) => m.payload.decision).sort(),
    ['cancelled', 'changes_requested', 'published', 'refused'],
    'one mail per decision that happened (the organisation has only its contact address here); none for refused moves',
  );
});

t.test('messages are required to ask for changes, refuse or cancel', async (t) => {
  const { db, event: ev, coordinator } = await setup(t, { state: 'submitted', publishedAt: null });
  const changes = await refusal(t, requestChanges(db, ev.id, { actorUserId: coordinator.id, message: '   ', now }));
  t.same([changes.code, changes.field], ['message_required', 'message']);
  t.equal(changes.message, "Écrivez à l'organisateur·rice ce qu'il faut modifier.");
  const refused = await refusal(t, refuse(db, ev.id, { actorUserId: coordinator.id, message: '', now }));
  t.equal(refused.message, "Écrivez à l'organisateur·rice pourquoi la proposition est refusée.");
  await db.update(event).set({ state: 'published' }).where(eq(event.id, ev.id));
  const cancelled = await refusal(t, cancel(db, ev.id, { actorUserId: coordinator.id, reason: '', now }));
  t.same([cancelled.code, cancelled.field], ['message_required', 'reason']);
  t.equal((await reload(db, ev.id)).state, 'published');
  t.same(await historyOf(db, ev.id), []);
  t.same(await mails(db), []);
});

t.test('publishing outside the edition needs the coordinator’s agreement, which stays', async (t) => {
  const { db, event: ev, coordinator, member } = await setup(t, {
    state: 'submitted',
    publishedAt: null,
    startsAt: new Date('2026-10-24T12:00:00Z'),
    endsAt: new Date('2026-10-24T14:00:00Z'),
  });
  const outside = await refusal(t, publish(db, ev.id, { actorUserId: coordinator.id, now }));
  t.same([outside.code, outside.field], ['outside_edition', 'outsideEditionApproved']);
  t.match(outside.message, /en dehors de l'édition 2026 : cochez « J'accepte des dates hors édition »/);
  t.equal((await reload(db, ev.id)).state, 'submitted');

  const published = await publish(db, ev.id, { actorUserId: coordinator.id, now, outsideEditionApproved: true });
  t.equal(published.state, 'published');
  t.equal(published.outsideEditionApproved, true);
  // Once agreed, the organiser may move it again outside the edition.
  const moved = await updateEvent(db, ev.id, {
    fields: fields({ startsAt: new Date('2026-10-25T12:00:00Z'), endsAt: new Date('2026-10-25T14:00:00Z') }),
    venue: { kind: 'existing', venueId: ev.venueId! },
    actorUserId: member.id,
    now,
  });
  t.equal(moved.announced, true);
});

t.test('more seats on a published event go at once to every waiting registration that fits, in order, each person told', async (t) => {
  const { db, event: ev, member } = await setup(t, { state: 'published', capacity: 1 });
  const { registration: confirmed } = await makeRegistration(db, ev.id);
  const { registration: pair } = await makeRegistration(db, ev.id, { state: 'waitlisted', waitlistPosition: 1, seats: 2 });
  const { registration: single } = await makeRegistration(db, ev.id, { state: 'waitlisted', waitlistPosition: 2 });
  const { registration: trio } = await makeRegistration(db, ev.id, { state: 'waitlisted', waitlistPosition: 3, seats: 3 });
  const edit = (capacity: number | null) =>
    updateEvent(db, ev.id, { fields: fields({ startsAt: ev.startsAt, endsAt: ev.endsAt, capacity }), venue: { kind: 'existing', venueId: ev.venueId! }, actorUserId: member.id, now });
  const states = async () =>
    (await db.select().from(registration).where(eq(registration.eventId, ev.id)).orderBy(asc(registration.id))).map((r) => [r.id, r.state, r.waitlistPosition]);
  const sent = async (kind: string) => (await mails(db)).filter((m) => m.kind === kind).map((m) => m.payload);

  await edit(2);
  t.same(
    await states(),
    [[confirmed.id, 'confirmed', null], [pair.id, 'waitlisted', 1], [single.id, 'confirmed', null], [trio.id, 'waitlisted', 2]],
    'one new seat: the pair first in line does not fit, the single behind it does; the pair keeps its place',
  );
  t.same(await sent('waitlist_promoted'), [{ registrationId: single.id }]);
  t.same(await sent('waitlist_passed_over'), [], 'no seat left free');
  await edit(4);
  t.same(await states(), [[confirmed.id, 'confirmed', null], [pair.id, 'confirmed', null], [single.id, 'confirmed', null], [trio.id, 'waitlisted', 1]], 'two new seats: the pair is confirmed, the trio moves up');
  await edit(5);
  t.same((await states()).map(([, state]) => state), ['confirmed', 'confirmed', 'confirmed', 'waitlisted'], 'one more seat: the trio still does not fit…');
  t.same(await sent('waitlist_passed_over'), [{ registrationId: trio.id, freeSeats: 1 }], '…and is told that 1 seat is free');
  t.same(await sent('waitlist_promoted'), [{ registrationId: single.id }, { registrationId: pair.id }]);
  await edit(null);
  t.same((await states()).map(([, state]) => state), ['confirmed', 'confirmed', 'confirmed', 'confirmed'], 'free entry: everyone waiting is confirmed');
});

t.test('a published event stays inside the edition unless the coordination agreed', async (t) => {
  const { db, event: ev, member } = await setup(t, { state: 'published' });
  const error = await refusal(
    t,
    updateEvent(db, ev.id, {
      fields: fields({ startsAt: new Date('2026-11-02T12:00:00Z'), endsAt: new Date('2026-11-02T14:00:00Z') }),
      venue: { kind: 'existing', venueId: ev.venueId! },
      actorUserId: member.id,
      now,
    }),
  );
  t.same([error.code, error.field], ['outside_edition', 'date']);
  t.same((await reload(db, ev.id)).startsAt, ev.startsAt);
});

t.test('a first proposal needs the edition open; an answer to changes requested does not', async (t) => {
  const { db, event: ev, member, edition: ed, territory, organisation } = await setup(t);
  await db.update(edition).set({ proposalsOpen: false }).where(eq(edition.id, ed.id));
  const closed = await refusal(t, submit(db, ev.id, { actorUserId: member.id, now }));
  t.same([closed.code, closed.message], ['proposals_closed', "Les propositions sont closes pour l'édition 2026. Contactez la coordination de votre territoire."]);
  const answering = await makeEvent(db, { editionId: ed.id, territoryId: territory.id, organisationId: organisation.id }, { state: 'changes_requested' });
  t.equal((await submit(db, answering.id, { actorUserId: member.id, now })).state, 'submitted');
  const none = await refusal(t, createEvent(db, { organisationId: organisation.id, territoryId: territory.id, fields: fields(), venue: { kind: 'existing', venueId: ev.venueId! }, actorUserId: member.id, now }));
  t.equal(none.code, 'no_open_edition');
});

t.test('editing a published event: time, place and link changes are announced; a typo is only kept in history', async (t) => {
  const { db, event: ev, member, territory, organisation } = await setup(t, { state: 'published' });
  await makeRegistration(db, ev.id, { email: 'alice@example.org' });
  await makeRegistration(db, ev.id, { email: null, contactEmail: 'educatrice@foyer.example', onBehalf: true });
  await makeRegistration(db, ev.id, { email: 'gone@example.org', state: 'cancelled' });
  const other = await makeVenue(db, territory.id, organisation.id, { name: 'Parc Mistral', address: 'Avenue Rochambeau', postcode: '38100', commune: 'Grenoble' });
  const [before] = await db.select().from(venue).where(eq(venue.id, ev.venueId!));

  const base = {
    title: ev.title,
    summary: ev.summary,
    description: ev.description,
    startsAt: ev.startsAt,
    endsAt: ev.endsAt,
    capacity: ev.capacity,
    registrationOpensAt: ev.registrationOpensAt,
    accessRequestDeadline: ev.accessRequestDeadline,
    accessibilityOffered: ev.accessibilityOffered,
    category: ev.category,
  };
  const typo = await updateEvent(db, ev.id, { fields: fields({ ...base, description: 'Description corrigée.' }), venue: { kind: 'existing', venueId: ev.venueId! }, actorUserId: member.id, now });
  t.equal(typo.announced, false);
  let row = await reload(db, ev.id);
  t.equal(row.sequence, 0, 'a typo does not bump the sequence');
  t.same(row.updatedAt, now, 'but updated_at moves (the public cache depends on it)');
  t.equal(row.description, 'Description corrigée.');
  t.match(await historyOf(db, ev.id), [
    { fromState: 'published', toState: 'published', actorUserId: member.id, sequence: 0, changes: { description: [ev.description, 'Description corrigée.'] } },
  ], 'the typo is in the history, with the text as it was');
  t.same(await mails(db), []);

  const moved = await updateEvent(db, ev.id, {
    fields: fields({ ...base, description: 'Description corrigée.', startsAt: new Date('2026-10-07T12:00:00Z'), endsAt: new Date('2026-10-07T14:00:00Z') }),
    venue: { kind: 'existing', venueId: other.id },
    actorUserId: member.id,
    now: later,
  });
  t.equal(moved.announced, true);
  row = await reload(db, ev.id);
  t.equal(row.sequence, 1, 'one save, one bump');
  t.same(row.updatedAt, later);
  const history = (await historyOf(db, ev.id)).slice(1);
  t.equal(history.length, 1);
  const expectedChanges = {
    startsAt: ['2026-10-06T12:00:00.000Z', '2026-10-07T12:00:00.000Z'],
    endsAt: ['2026-10-06T14:00:00.000Z', '2026-10-07T14:00:00.000Z'],
    venue: [`${before!.name}, ${before!.address}, 38000 Grenoble`, 'Parc Mistral, Avenue Rochambeau, 38100 Grenoble'],
  };
  t.match(history[0], { fromState: 'published', toState: 'published', actorUserId: member.id, sequence: 1, changes: expectedChanges });
  const notices = await mails(db);
  t.same(notices.map((m) => [m.kind, m.recipient]).sort(), [
    ['event_changed', 'alice@example.org'],
    ['event_changed', 'educatrice@foyer.example'],
  ]);
  t.same(notices[0]!.payload.changes, expectedChanges);
  t.equal(notices[0]!.payload.sequence, 1);

  await updateEvent(db, ev.id, {
    fields: fields({ ...base, description: 'Description corrigée.', startsAt: new Date('2026-10-07T12:00:00Z'), endsAt: new Date('2026-10-07T14:00:00Z'), onlineUrl: 'https://visio.example.org/sism' }),
    venue: { kind: 'existing', venueId: other.id },
    actorUserId: member.id,
    now: later,
  });
  row = await reload(db, ev.id);
  t.equal(row.sequence, 2, 'adding an online link matters too');
  t.same((await historyOf(db, ev.id))[2]!.changes, { onlineUrl: [null, 'https://visio.example.org/sism'] });
  t.equal((await mails(db)).length, 4);
});

t.test('editing a published event: a new title, text or capacity is kept in history, not announced', async (t) => {
  const { db, event: ev, member } = await setup(t, { state: 'published', accessibilityOffered: ['lsf', 'quiet_space'] });
  await makeRegistration(db, ev.id, { email: 'alice@example.org' });
  const base = fields({ ...ev, accessibilityOffered: ['lsf', 'quiet_space'] });
  const place: VenueChoice = { kind: 'existing', venueId: ev.venueId! };

  const same = await updateEvent(db, ev.id, { fields: base, venue: place, actorUserId: member.id, now });
  t.equal(same.announced, false);
  t.same(await historyOf(db, ev.id), [], 'saving without any change writes no history');

  const edited = await updateEvent(db, ev.id, {
    fields: { ...base, title: 'Ciné-débat « Vice-versa 2 »', capacity: 60, contentNote: 'Évoque le deuil.', accessibilityOffered: ['lsf', 'quiet_space', 'wheelchair'] },
    venue: place,
    actorUserId: member.id,
    now: later,
  });
  t.equal(edited.announced, false, 'adding a feature takes nothing away from anyone');
  const row = await reload(db, ev.id);
  t.equal(row.sequence, 0);
  t.equal(row.title, 'Ciné-débat « Vice-versa 2 »');
  const [h] = await historyOf(db, ev.id);
  t.match(h, { fromState: 'published', toState: 'published', actorUserId: member.id, sequence: 0, message: null, createdAt: later });
  t.same(Object.keys(h!.changes!).sort(), ['accessibilityOffered', 'capacity', 'contentNote', 'title']);
  t.same(h!.changes!.title, [ev.title, 'Ciné-débat « Vice-versa 2 »']);
  t.same(h!.changes!.accessibilityOffered, [['lsf', 'quiet_space'], ['lsf', 'quiet_space', 'wheelchair']]);
  t.same(await mails(db), [], 'nobody is mailed');
});

t.test('editing a published event: withdrawing an accessibility feature is announced like a new time', async (t) => {
  const { db, event: ev, member } = await setup(t, { state: 'published', accessibilityOffered: ['lsf', 'quiet_space'] });
  const reg = await makeRegistration(db, ev.id, { email: 'alice@example.org' });
  const base = fields({ ...ev, accessRequestDeadline: null, accessibilityOffered: ['lsf', 'quiet_space'] });
  const result = await updateEvent(db, ev.id, {
    fields: { ...base, title: 'Nouveau titre', accessibilityOffered: ['quiet_space'] },
    venue: { kind: 'existing', venueId: ev.venueId! },
    actorUserId: member.id,
    now: later,
  });
  t.equal(result.announced, true);
  t.equal(result.event.sequence, 1);
  t.equal((await reload(db, ev.id)).sequence, 1, 'calendars get the new version');
  const [h] = await historyOf(db, ev.id);
  t.match(h, { fromState: 'published', toState: 'published', sequence: 1 });
  t.same(Object.keys(h!.changes!).sort(), ['accessRequestDeadline', 'accessibilityOffered', 'title'], 'the history holds every change, the default deadline too');
  const notices = await mails(db);
  t.equal(notices.length, 1);
  t.match(notices[0], { kind: 'event_changed', recipient: 'alice@example.org', dedupeKey: `event_changed:${reg.registration.id}:1` });
  t.same(notices[0]!.payload.changes, { accessibilityOffered: [['lsf', 'quiet_space'], ['quiet_space']] }, 'registrants hear what matters to them');
  const config = testConfig();
  t.teardown(() => rmSync(config.dataDir, { recursive: true, force: true }));
  const mail = await renderMail(db, config, { id: notices[0]!.id, kind: 'event_changed', recipient: 'alice@example.org', payload: notices[0]!.payload }, later);
  t.ok('text' in mail, 'the notice renders');
  if ('text' in mail) {
    t.match(mail.text, /- Accessibilité proposée : /);
    t.match(mail.text, /Un aménagement d'accessibilité annoncé n'est plus proposé\. Si vous comptiez dessus, écrivez à l'organisation/);
  }
});

t.test('editing a draft or a proposal never bumps the sequence nor notifies', async (t) => {
  const { db, event: ev, member } = await setup(t, { state: 'changes_requested', publishedAt: null });
  const result = await updateEvent(db, ev.id, { fields: fields({ startsAt: new Date('2026-10-09T12:00:00Z'), endsAt: new Date('2026-10-09T14:00:00Z'), onlineUrl: 'https://visio.example.org/x' }), venue: { kind: 'none' }, actorUserId: member.id, now });
  t.equal(result.announced, false);
  const row = await reload(db, ev.id);
  t.equal(row.sequence, 0);
  t.equal(row.venueId, null);
  t.same(row.updatedAt, now);
  t.same(await mails(db), []);
});

t.test('venues: another organisation’s venue is refused, a new one is created inline', async (t) => {
  const { db, event: ev, member, territory, organisation } = await setup(t);
  const otherOrg = await makeOrganisation(db, territory.id);
  const foreign = await makeVenue(db, territory.id, otherOrg.id);
  const error = await refusal(t, updateEvent(db, ev.id, { fields: fields(), venue: { kind: 'existing', venueId: foreign.id }, actorUserId: member.id, now }));
  t.same([error.code, error.field], ['venue_not_allowed', 'venueId']);
  const shared = await makeVenue(db, territory.id, null, { name: 'Maison des associations' });
  await updateEvent(db, ev.id, { fields: fields(), venue: { kind: 'existing', venueId: shared.id }, actorUserId: member.id, now });
  t.equal((await reload(db, ev.id)).venueId, shared.id, "the territory's shared venues may be used");

  await updateEvent(db, ev.id, {
    fields: fields(),
    venue: { kind: 'new', fields: { name: 'Jardin des Poètes', address: '3 rue Lesdiguières', postcode: '38000', commune: 'Grenoble', facts: ['stepFreeEntrance', 'quietRoom'], accessDirections: null, latitude: null, longitude: null } },
    actorUserId: member.id,
    now,
  });
  const row = await reload(db, ev.id);
  const [created] = await db.select().from(venue).where(eq(venue.id, row.venueId!));
  t.match(created, { name: 'Jardin des Poètes', organisationId: organisation.id, territoryId: territory.id, stepFreeEntrance: true, quietRoom: true, accessibleToilets: false });
});

t.test('the access-request deadline defaults to 14 days before with LSF or captioning, else 7', async (t) => {
  const { db, event: ev, member, territory, organisation } = await setup(t);
  const input = { organisationId: organisation.id, territoryId: territory.id, venue: { kind: 'existing', venueId: ev.venueId! } as VenueChoice, actorUserId: member.id, now };
  const withLsf = await createEvent(db, { ...input, fields: fields({ accessibilityOffered: ['lsf'] }) });
  t.same(withLsf.accessRequestDeadline, new Date('2026-09-24T21:59:00Z'), 'Thursday 8 October → end of Thursday 24 September, Paris time');
  t.equal(withLsf.state, 'draft');
  const plain = await createEvent(db, { ...input, fields: fields({ accessibilityOffered: ['wheelchair'] }) });
  t.same(plain.accessRequestDeadline, new Date('2026-10-01T21:59:00Z'));
  const chosen = await createEvent(db, { ...input, fields: fields({ accessRequestDeadline: new Date('2026-09-20T21:59:00Z') }) });
  t.same(chosen.accessRequestDeadline, new Date('2026-09-20T21:59:00Z'));
  const [created] = await historyOf(db, withLsf.id);
  t.match(created, { fromState: null, toState: 'draft', actorUserId: member.id });

  const late = await refusal(t, createEvent(db, { ...input, fields: fields({ accessRequestDeadline: new Date('2026-10-08T17:00:00Z') }) }));
  t.same([late.code, late.field], ['invalid_fields', 'accessDeadline']);
  const backwards = await refusal(t, createEvent(db, { ...input, fields: fields({ endsAt: new Date('2026-10-08T15:00:00Z') }) }));
  t.same([backwards.field, backwards.message], ['endTime', "La fin de l'événement doit être après son début."]);
  const zero = await refusal(t, createEvent(db, { ...input, fields: fields({ capacity: 0 }) }));
  t.equal(zero.field, 'capacity');
});

t.test('moving a venue announces its upcoming published events; its access facts only touch them', async (t) => {
  const { db, event: ev, member, edition: ed, territory, organisation } = await setup(t, { state: 'published' });
  const refs = { editionId: ed.id, territoryId: territory.id, organisationId: organisation.id, venueId: ev.venueId };
  const draft = await makeEvent(db, refs, { state: 'draft' });
  const past = await makeEvent(db, refs, { startsAt: new Date('2026-09-01T12:00:00Z'), endsAt: new Date('2026-09-01T14:00:00Z') });
  await makeRegistration(db, ev.id, { email: 'alice@example.org' });
  await makeRegistration(db, past.id, { email: 'old@example.org' });
  const [v] = await db.select().from(venue).where(eq(venue.id, ev.venueId!));
  const same = { name: v!.name, address: v!.address, postcode: v!.postcode, commune: v!.commune, accessDirections: v!.accessDirections, latitude: v!.latitude, longitude: v!.longitude };

  const facts = await updateVenue(db, v!.id, { ...same, facts: ['stepFreeEntrance', 'accessibleToilets'] }, member.id, now);
  t.equal(facts.announced, 0);
  t.same((await reload(db, ev.id)).updatedAt, now, 'pages showing the venue are refreshed');
  t.same((await reload(db, draft.id)).updatedAt, now);
  t.equal((await reload(db, ev.id)).sequence, 0);
  t.same(await mails(db), []);

  const moved = await updateVenue(db, v!.id, { ...same, address: '12 avenue Jean-Jaurès', facts: ['stepFreeEntrance'] }, member.id, later);
  t.equal(moved.announced, 1, 'only the upcoming published event');
  t.equal((await reload(db, ev.id)).sequence, 1);
  t.equal((await reload(db, draft.id)).sequence, 0);
  t.equal((await reload(db, past.id)).sequence, 0);
  t.match(await mails(db), [{ kind: 'event_changed', recipient: 'alice@example.org', payload: { sequence: 1, changes: { venue: [`${v!.name}, ${v!.address}, 38000 Grenoble`, `${v!.name}, 12 avenue Jean-Jaurès, 38000 Grenoble`] } } }]);
  t.match(await historyOf(db, ev.id), [{ fromState: 'published', toState: 'published', sequence: 1, actorUserId: member.id }]);
});

t.test('a review decision is refused when the proposal changed since the coordinator read it', async (t) => {
  const { db, event: ev, member, coordinator } = await setup(t, { state: 'submitted', publishedAt: null, updatedAt: now });
  const seen = (await reload(db, ev.id)).updatedAt;
  await updateEvent(db, ev.id, { fields: fields({ title: 'Titre changé pendant la relecture' }), venue: { kind: 'existing', venueId: ev.venueId! }, actorUserId: member.id, now: later });

  for (const decide of [
    () => publish(db, ev.id, { actorUserId: coordinator.id, now: later, seenVersion: seen }),
    () => requestChanges(db, ev.id, { actorUserId: coordinator.id, now: later, seenVersion: seen, message: 'Précisez.' }),
    () => refuse(db, ev.id, { actorUserId: coordinator.id, now: later, seenVersion: seen, message: 'Non.' }),
    () => publish(db, ev.id, { actorUserId: coordinator.id, now: later, seenVersion: new Date('not a date') }),
  ]) {
    const error = await refusal(t, decide());
    t.equal(error.code, 'changed_since_seen');
    t.equal(error.message, "L'organisation a modifié cet événement pendant votre relecture : relisez la version actuelle ci-dessous avant de décider.");
  }
  t.equal((await reload(db, ev.id)).state, 'submitted', 'nothing was decided');
  t.same(await historyOf(db, ev.id), []);
  t.same(await mails(db), []);

  const published = await publish(db, ev.id, { actorUserId: coordinator.id, now: later, seenVersion: (await reload(db, ev.id)).updatedAt });
  t.match(published, { state: 'published', title: 'Titre changé pendant la relecture' }, 'the version read can be published');
});
