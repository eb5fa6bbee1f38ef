// Who may read what, decided by the registrations services themselves: the needs are never read
// without an audit row, and the public sees only published or cancelled events.
import t from 'tap';
import { asc } from 'drizzle-orm';
import { auditLog } from '../../server/db/schema.ts';
import { EVENT_STATES } from '../../server/domain/vocabulary.ts';
import { readRegistrations } from '../../server/registrations/organiser.ts';
import { register } from '../../server/registrations/register.ts';
import { getRegistrationEvent, isPublic, publicRegistrationEvent } from '../../server/registrations/registration-event.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { makeEvent, makeUser, makeWorld } from '../helpers/factory.ts';
import { person } from './helpers.ts';

const now = new Date('2026-09-10T08:00:00Z');

t.test('reading the needs writes the audit row itself: who, which event, why — never the needs', async (t) => {
  const { db } = await createTestDatabase(t.teardown.bind(t));
  const w = await makeWorld(db);
  const reader = await makeUser(db, { email: 'orga@example.org' });
  await register(db, now, w.event.id, person({ needs: [{ category: 'lsf', detail: 'premier rang' }], needsConsent: true }));
  const ev = (await getRegistrationEvent(db, w.event.id))!;

  const lists = await readRegistrations(db, ev, { userId: reader.id, action: 'needs.export' }, now);
  t.same(lists.confirmed[0]?.needs.map((n) => n.category), ['lsf'], 'the needs are returned');
  const rows = await db.select().from(auditLog).orderBy(asc(auditLog.id));
  t.same(
    rows.map((r) => [r.actorUserId, r.action, r.eventId, r.registrationId, r.createdAt.toISOString()]),
    [[reader.id, 'needs.export', w.event.id, null, now.toISOString()]],
  );
  t.notOk(JSON.stringify(rows).includes('premier rang'), 'no need in the journal');
});

t.test('only published or cancelled events are open to the public', async (t) => {
  const { db } = await createTestDatabase(t.teardown.bind(t));
  const w = await makeWorld(db);
  for (const state of EVENT_STATES) {
    const ev = await makeEvent(db, { editionId: w.edition.id, territoryId: w.territory.id, organisationId: w.organisation.id, venueId: w.venue.id }, { state });
    const expected = state === 'published' || state === 'cancelled';
    t.equal(isPublic(state), expected, state);
    t.equal((await publicRegistrationEvent(db, ev.id))?.id ?? null, expected ? ev.id : null, `${state}: the public read`);
    t.equal((await getRegistrationEvent(db, ev.id))?.id, ev.id, `${state}: the organiser's read`);
  }
  t.equal(await publicRegistrationEvent(db, 999_999), null, 'unknown: the same answer');
});
