// @databases: pglite, postgres
// Retention: needs and consents go NEEDS_RETENTION_DAYS after the event (their counts kept in
// access_need_tally), identities IDENTITY_RETENTION_DAYS after the edition; the schedule also
// deletes expired sessions. Clock controlled.
import t from 'tap';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { asc, eq } from 'drizzle-orm';
import { accessNeed, accessNeedTally, outbox, registration, registrationToken, session } from '../../server/db/schema.ts';
import { fixedClock } from '../../server/lib/clock.ts';
import { answerNeed } from '../../server/registrations/organiser.ts';
import { purgeExpired, startPurgeSchedule } from '../../server/registrations/purge.ts';
import { cancelRegistration, findByToken } from '../../server/registrations/manage.ts';
import { register } from '../../server/registrations/register.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { makeEvent, makeUser, makeWorld } from '../helpers/factory.ts';
import { mails, needsOf, person, registrationsOf } from './helpers.ts';

const config = { needsRetentionDays: 30, identityRetentionDays: 90, dataDir: t.testdir() };
const registeredAt = new Date('2026-09-15T08:00:00Z');

async function setup(t: { teardown(fn: () => Promise<void>): unknown }) {
  const { db } = await createTestDatabase(t.teardown.bind(t));
  // The factory event: 6 October 2026, 12:00–14:00 UTC; offers LSF and wheelchair access.
  const w = await makeWorld(db, { capacity: 2 });
  const organiser = await makeUser(db);
  const a = await register(db, registeredAt, w.event.id, person({ needs: [{ category: 'lsf', detail: null }, { category: 'caa', detail: 'pictogrammes' }], needsConsent: true }));
  const b = await register(db, registeredAt, w.event.id, person({ needs: [{ category: 'caa', detail: null }, { category: 'lsf', detail: 'au premier rang' }], needsConsent: true }));
  const c = await register(db, registeredAt, w.event.id, person({ needs: [{ category: 'falc', detail: null }], needsConsent: true })); // waitlisted
  const d = await register(db, registeredAt, w.event.id, person({ needs: [{ category: 'quiet_space', detail: null }], needsConsent: true }));
  if (!a.ok || !b.ok || !c.ok || !d.ok) throw new Error('setup');
  const [bCaa] = await needsOf(db, b.registrationId);
  await answerNeed(db, registeredAt, { eventId: w.event.id, needId: bCaa!.id, userId: organiser.id, answer: { status: 'not_possible', response: 'Pas de classeur CAA' } });
  await cancelRegistration(db, registeredAt, d.registrationId); // its needs go at once, never counted
  // A later event of the same edition, untouched by the first purge.
  const later = await makeEvent(db, { editionId: w.edition.id, territoryId: w.territory.id, organisationId: w.organisation.id }, { startsAt: new Date('2026-10-17T12:00:00Z'), endsAt: new Date('2026-10-17T14:00:00Z') });
  const e = await register(db, registeredAt, later.id, person({ needs: [{ category: 'wheelchair', detail: null }], needsConsent: true }));
  if (!e.ok) throw new Error('setup');
  return { db, w, later, a, b, c, d, e };
}

t.test('needs and consents are deleted 30 days after the event, their counts kept; idempotent', async (t) => {
  const { db, w, later, a, e } = await setup(t);

  const before = await purgeExpired(db, config, new Date('2026-11-05T13:59:59Z')); // ended 2026-10-06 14:00 UTC, + 30 days − 1 s
  t.same(before, { needsDeleted: 0, consentsCleared: 0, identitiesPurged: 0, mailsDeleted: 0 }, 'one second too early: nothing');

  // 30 days after the end (14:00 UTC).
  const first = await purgeExpired(db, config, new Date('2026-11-05T14:00:00Z'));
  t.same(first, { needsDeleted: 5, consentsCleared: 3, identitiesPurged: 0, mailsDeleted: 0 });
  const tally = await db.select().from(accessNeedTally).where(eq(accessNeedTally.eventId, w.event.id)).orderBy(asc(accessNeedTally.category));
  t.same(
    tally.map((r) => [r.category, r.requested, r.planned, r.notPossible]),
    [
      ['caa', 1, 0, 1],
      ['falc', 1, 0, 0],
      ['lsf', 0, 2, 0],
    ],
    'per category and status; the cancelled registration is not counted',
  );
  const rows = await registrationsOf(db, w.event.id);
  t.ok(rows.every((r) => r.needsConsentAt === null), 'consents gone');
  t.equal((await needsOf(db, a.registrationId)).length, 0, 'details gone');
  t.ok(rows.every((r) => r.name !== null && r.email !== null), 'identities still there');
  t.equal((await needsOf(db, e.registrationId)).length, 1, 'the later event keeps its needs');
  t.ok((await registrationsOf(db, later.id))[0]!.needsConsentAt);

  const again = await purgeExpired(db, config, new Date('2026-11-05T14:00:00Z'));
  t.same(again, { needsDeleted: 0, consentsCleared: 0, identitiesPurged: 0, mailsDeleted: 0 }, 'second run: nothing to do');
  const tallyAgain = await db.select().from(accessNeedTally).where(eq(accessNeedTally.eventId, w.event.id)).orderBy(asc(accessNeedTally.category));
  t.same(tallyAgain, tally, 'counts unchanged by a second run');

  // The later event's turn: its counts are added, the first event's untouched.
  const second = await purgeExpired(db, config, new Date('2026-11-16T14:00:00Z'));
  t.same(second, { needsDeleted: 1, consentsCleared: 1, identitiesPurged: 0, mailsDeleted: 0 });
  t.same(
    (await db.select().from(accessNeedTally).where(eq(accessNeedTally.eventId, later.id))).map((r) => [r.category, r.requested, r.planned, r.notPossible]),
    [['wheelchair', 0, 1, 0]],
  );
  t.equal((await db.select().from(accessNeed)).length, 0, 'no need detail left anywhere');
});

t.test('identities are nulled 90 days after the edition, and manage links stop working; idempotent', async (t) => {
  const { db, w, a } = await setup(t);
  // Edition's last day: 2026-10-18 → ends at midnight Paris = 2026-10-18T22:00Z; + 90 days of 24 h.
  t.same(await purgeExpired(db, config, new Date('2027-01-16T21:59:59Z')), { needsDeleted: 6, consentsCleared: 4, identitiesPurged: 0, mailsDeleted: 0 });
  t.ok(await findByToken(db, a.token), 'the manage link still works the second before');
  const result = await purgeExpired(db, config, new Date('2027-01-16T22:00:00Z'));
  t.equal(result.identitiesPurged, 5, 'both events of the edition, cancelled registrations included');
  t.ok(result.mailsDeleted > 0, `${result.mailsDeleted} queued mails deleted with the identities`);
  t.same(await mails(db), [], 'no mail about them is left in the outbox');
  t.same(await db.select().from(registrationToken), [], 'their tokens are gone');
  const rows = await db.select().from(registration);
  for (const r of rows) {
    t.same([r.name, r.email, r.phone, r.contactName, r.contactEmail, r.contactPhone], [null, null, null, null, null, null]);
    t.same(r.identityPurgedAt, new Date('2027-01-16T22:00:00Z'));
  }
  t.ok(rows.filter((r) => r.eventId === w.event.id).every((r) => r.seats >= 1 && r.state), 'the rows stay, for counts of seats and states');
  t.equal(await findByToken(db, a.token), null, 'manage link dead');
  t.same(await purgeExpired(db, config, new Date('2027-02-01T00:00:00Z')), { needsDeleted: 0, consentsCleared: 0, identitiesPurged: 0, mailsDeleted: 0 }, 'idempotent');
});

t.test('an event held after the edition keeps identities until 90 days after its own end', async (t) => {
  const { db } = await createTestDatabase(t.teardown.bind(t));
  const w = await makeWorld(db, { startsAt: new Date('2026-12-01T12:00:00Z'), endsAt: new Date('2026-12-01T14:00:00Z'), outsideEditionApproved: true });
  const r = await register(db, registeredAt, w.event.id, person());
  if (!r.ok) throw new Error('setup');
  t.equal((await purgeExpired(db, config, new Date('2027-02-01T00:00:00Z'))).identitiesPurged, 0);
  t.equal((await purgeExpired(db, config, new Date('2027-03-01T14:00:00Z'))).identitiesPurged, 1);
});

t.test('the schedule runs the purge in the app and stops cleanly', async (t) => {
  const { db } = await setup(t);
  const clock = fixedClock('2026-11-05T14:00:00Z');
  const user = await makeUser(db);
  await db.insert(session).values([
    { sid: 'expired', userId: user.id, data: {}, expiresAt: new Date('2026-11-05T13:00:00Z') },
    { sid: 'live', userId: user.id, data: {}, expiresAt: new Date('2026-11-05T15:00:00Z') },
  ]);
  let logged: unknown;
  const ran = new Promise<void>((resolve) => {
    const log = {
      info: (obj: unknown) => {
        logged = obj;
        resolve();
      },
      error: (obj: unknown) => {
        logged = obj;
        resolve();
      },
    };
    const stop = startPurgeSchedule(db, config, clock, log as never, { firstRunMs: 0 });
    t.teardown(stop);
  });
  await ran; // resolved by the purge's own log line, not by waiting for time to pass
  t.same(logged, { purge: { needsDeleted: 5, consentsCleared: 3, identitiesPurged: 0, mailsDeleted: 0, sessionsDeleted: 1, signInLinksDeleted: 0, rateLimitCountsDeleted: 0 } });
  t.same(await db.select({ sid: session.sid }).from(session), [{ sid: 'live' }], 'the expired session went with the schedule, the live one stays');
  t.equal((await db.select().from(accessNeed)).length, 1, 'only the later event keeps its need');
});

t.test('sent mails leave the outbox (and the local mailbox) NEEDS_RETENTION_DAYS after they were sent', async (t) => {
  const { db } = await createTestDatabase(t.teardown.bind(t));
  const sentAt = new Date('2026-09-20T10:00:00Z');
  const rows = await db
    .insert(outbox)
    .values([
      { kind: 'sign_in_link', recipient: 'old@example.org', status: 'sent', sentAt },
      { kind: 'sign_in_link', recipient: 'recent@example.org', status: 'sent', sentAt: new Date('2026-09-25T10:00:00Z') },
      { kind: 'sign_in_link', recipient: 'failed@example.org', status: 'failed', sendAfter: sentAt },
    ])
    .returning({ id: outbox.id });
  const [old, recent] = rows.map((r) => `outbox-${r.id}.eml`) as [string, string];
  const dataDir = t.testdir({ mail: { [old]: 'x', [recent]: 'x' } });
  const early = await purgeExpired(db, { ...config, dataDir }, new Date('2026-10-20T09:59:59Z'));
  t.equal(early.mailsDeleted, 0, 'one second before 30 days: kept');
  const result = await purgeExpired(db, { ...config, dataDir }, new Date('2026-10-20T10:00:00Z'));
  t.equal(result.mailsDeleted, 1);
  t.same((await db.select().from(outbox).orderBy(asc(outbox.id))).map((r) => r.recipient), ['recent@example.org', 'failed@example.org'], 'not the recent one, not a failed one (an administrator retries it)');
  t.notOk(existsSync(path.join(dataDir, 'mail', old)), 'its .eml file is deleted');
  t.ok(existsSync(path.join(dataDir, 'mail', recent)));
});
