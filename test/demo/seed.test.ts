// @databases: pglite, postgres
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import t, { type Test } from 'tap';
import { asc, eq, sql } from 'drizzle-orm';
import { queryRows, type Database } from '../../server/db/client.ts';
import * as schema from '../../server/db/schema.ts';
import { EVENT_CATEGORIES } from '../../server/domain/vocabulary.ts';
import { dayKey } from '../../server/lib/time.ts';
import { renderMail } from '../../server/mail-kinds.ts';
import { findByToken } from '../../server/registrations/manage.ts';
import { testConfig } from '../helpers/app.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { DEMO_EVENTS } from '../../server/demo/data.ts';
import { demoEditionDates } from '../../server/demo/dates.ts';
import { DEMO_ACCOUNTS, seedDemo } from '../../server/demo/seed.ts';

const THEME = 'Pour notre santé mentale, réparons le lien social';
const NOW = new Date('2025-09-15T08:00:00Z');

async function freshDatabase(t: Test): Promise<Database> {
  return (await createTestDatabase((fn) => t.teardown(fn))).db;
}

/** Events with their territory's zone, in insertion order. */
async function eventsWithZone(db: Database) {
  return db
    .select({
      id: schema.event.id,
      title: schema.event.title,
      category: schema.event.category,
      state: schema.event.state,
      startsAt: schema.event.startsAt,
      endsAt: schema.event.endsAt,
      capacity: schema.event.capacity,
      accessibilityOffered: schema.event.accessibilityOffered,
      registrationOpensAt: schema.event.registrationOpensAt,
      registrationClosesAt: schema.event.registrationClosesAt,
      accessRequestDeadline: schema.event.accessRequestDeadline,
      publishedAt: schema.event.publishedAt,
      sequence: schema.event.sequence,
      cancellationReason: schema.event.cancellationReason,
      zone: schema.territory.timeZone,
    })
    .from(schema.event)
    .innerJoin(schema.territory, eq(schema.territory.id, schema.event.territoryId))
    .orderBy(asc(schema.event.id));
}

t.test('demoEditionDates: two weeks from the Monday of the week of 10 October, the coming one', async (t) => {
  t.same(demoEditionDates(new Date('2025-03-01T12:00:00Z')), { year: 2025, firstDay: '2025-10-06', lastDay: '2025-10-19' });
  t.same(demoEditionDates(new Date('2026-01-02T12:00:00Z')), { year: 2026, firstDay: '2026-10-05', lastDay: '2026-10-18' });
  t.same(demoEditionDates(new Date('2027-07-14T12:00:00Z')), { year: 2027, firstDay: '2027-10-04', lastDay: '2027-10-17' });
  // During the weeks, still this year's; after the last day (Paris time), next year's.
  t.equal(demoEditionDates(new Date('2025-10-19T21:59:00Z')).year, 2025, 'last evening of the SISM 2025');
  t.same(demoEditionDates(new Date('2025-10-19T22:00:00Z')), { year: 2026, firstDay: '2026-10-05', lastDay: '2026-10-18' });
  t.equal(demoEditionDates(new Date('2025-11-20T12:00:00Z')).year, 2026);
  t.equal(demoEditionDates(new Date('2025-12-31T23:30:00Z')).year, 2026, 'already 1 January in Paris');
});

t.test('seedDemo builds a complete, coherent programme once', async (t) => {
  const db = await freshDatabase(t);
  const summary = await seedDemo(db, { now: NOW, theme: THEME });
  t.match(summary, { created: true, editionYear: 2025, territories: 2 });
  t.ok(summary.events >= 40, `${summary.events} events`);
  t.ok(summary.registrations > 100, `${summary.registrations} registrations`);

  const [edition] = await db.select().from(schema.edition);
  t.match(edition, { year: 2025, theme: THEME, firstDay: '2025-10-06', lastDay: '2025-10-19', proposalsOpen: true });

  const territories = await db.select().from(schema.territory).orderBy(asc(schema.territory.id));
  t.same(
    territories.map((x) => [x.name, x.timeZone]),
    [
      ['CLSM Grenoble-Alpes', 'Europe/Paris'],
      ['CLSM Saint-Denis de La Réunion', 'Indian/Reunion'],
    ],
  );
  t.ok(territories[1]!.communes.includes('La Possession'));

  const events = await eventsWithZone(db);
  t.equal(events.length, summary.events);
  for (const category of EVENT_CATEGORIES) {
    const published = events.filter((e) => e.category === category && e.state === 'published').length;
    t.ok(published >= 2, `${category}: ${published} published events`);
  }
  t.same(
    Object.fromEntries(['submitted', 'changes_requested', 'draft', 'refused', 'cancelled'].map((s) => [s, events.filter((e) => e.state === s).length])),
    { submitted: 2, changes_requested: 1, draft: 1, refused: 1, cancelled: 1 },
  );
  const territoryIdsWithEvents = await queryRows<{ n: number }>(db, sql`select count(distinct territory_id)::int as n from event`);
  t.equal(territoryIdsWithEvents[0]!.n, 2, 'events in both territories');

  for (const e of events) {
    const day = dayKey(e.startsAt, e.zone);
    t.ok(day >= '2025-10-06' && day <= '2025-10-19', `${e.title} starts on ${day} in ${e.zone}`);
    t.ok(e.endsAt > e.startsAt);
    t.ok(e.registrationOpensAt! <= NOW, `registration open for ${e.title}`);
    t.equal(e.registrationClosesAt!.getTime(), e.startsAt.getTime() - 86_400_000, 'closes the day before');
    const daysAhead = (e.startsAt.getTime() - e.accessRequestDeadline!.getTime()) / 86_400_000;
    if (e.accessibilityOffered.includes('lsf')) t.equal(daysAhead, 14, `LSF deadline for ${e.title}`);
    else t.ok(daysAhead === 7 || (daysAhead === 14 && e.category === 'conference'), `deadline for ${e.title}`);
    t.equal(e.publishedAt !== null, e.state === 'published' || e.state === 'cancelled', `publishedAt of ${e.title}`);
  }
  // Local hours are plausible wall-clock hours in each zone (stored UTC).
  const opening = events.find((e) => e.title.startsWith("Soirée d'ouverture"))!;
  t.equal(opening.startsAt.toISOString(), '2025-10-06T16:00:00.000Z', '18:00 in Paris (CEST)');
  const moringue = events.find((e) => e.title.startsWith('Moringue'))!;
  t.equal(moringue.startsAt.toISOString(), '2025-10-08T13:00:00.000Z', '17:00 at La Réunion (UTC+4)');

  const cancelled = events.find((e) => e.state === 'cancelled')!;
  t.equal(cancelled.sequence, 1);
  t.match(cancelled.cancellationReason, /annulée/);
  t.ok(events.some((e) => e.capacity === null && e.state === 'published'), 'some free-entry events');
  t.ok(events.some((e) => e.accessibilityOffered.length === 0), 'some events offer no accommodation');
  const contentNotes = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from event where category = 'cine_debat' and content_note is not null`);
  t.ok(contentNotes[0]!.n >= 2, 'ciné-débats with a content note');
  const easyRead = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from event where easy_read_summary is not null`);
  t.ok(easyRead[0]!.n >= 5, 'events with an easy-to-read summary');

  // History: every event was created as a draft; reviews are by the territory's coordinator.
  const history = await queryRows<{ title: string; from_state: string | null; to_state: string; message: string | null; role: string | null; sequence: number }>(
    db,
    sql`select e.title, h.from_state, h.to_state, h.message, h.sequence,
          (select m.role from membership m where m.user_id = h.actor_user_id
             and (m.territory_id = e.territory_id or m.organisation_id = e.organisation_id)) as role
        from event_history h join event e on e.id = h.event_id order by h.id`,
  );
  for (const e of events) {
    const steps = history.filter((h) => h.title === e.title);
    t.equal(steps[0]?.to_state, 'draft', `${e.title} starts as a draft`);
    t.equal(steps.at(-1)?.to_state, e.state, `${e.title}: history ends in its state`);
  }
  for (const h of history) {
    const reviewer = ['published', 'changes_requested', 'refused', 'cancelled'].includes(h.to_state);
    t.equal(h.role, reviewer ? 'coordinator' : 'member', `${h.to_state} on ${h.title} by the right person`);
  }
  const changes = history.find((h) => h.to_state === 'changes_requested')!;
  t.match(changes.message, /préciser/);
  t.equal(history.find((h) => h.to_state === 'cancelled')!.sequence, 1);

  // Capacity: a few events exactly full, one with a waitlist 1..n, none overbooked.
  const fill = await queryRows<{ id: number; capacity: number; confirmed: number; positions: number[] | null }>(
    db,
    sql`select e.id, e.capacity,
          coalesce(sum(r.seats) filter (where r.state = 'confirmed'), 0)::int as confirmed,
          array_agg(r.waitlist_position order by r.waitlist_position) filter (where r.state = 'waitlisted') as positions
        from event e join registration r on r.event_id = e.id where e.state = 'published' group by e.id`,
  );
  const full = fill.filter((f) => f.confirmed === f.capacity);
  t.ok(full.length >= 3 && full.length <= 4, `${full.length} events exactly full`);
  t.ok(fill.every((f) => f.confirmed <= f.capacity), 'no event is overbooked');
  const waitlisted = fill.filter((f) => f.positions !== null);
  t.equal(waitlisted.length, 1, 'one event has a waitlist');
  const positions = waitlisted[0]!.positions!;
  t.ok(positions.length >= 3);
  t.same(positions, positions.map((_, i) => i + 1), 'waitlist positions 1..n without gaps');
  t.equal(waitlisted[0]!.confirmed, waitlisted[0]!.capacity, 'the waitlisted event is full');
  t.ok(fill.some((f) => f.confirmed > 0 && f.confirmed < f.capacity), 'others partly filled');
  const onlyPublished = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from registration r join event e on e.id = r.event_id where e.state <> 'published'`);
  t.equal(onlyPublished[0]!.n, 0, 'registrations only on published events');

  const registrations = await db.select().from(schema.registration);
  t.ok(registrations.every((r) => r.email === null || r.email.endsWith('.example')), 'only .example addresses');
  t.ok(registrations.every((r) => r.email !== null || r.phone !== null), 'everyone can be reached');
  t.same(await db.select().from(schema.registrationToken), [], 'no token seeded: each mail mints its own links');
  t.ok(registrations.every((r) => r.createdAt <= NOW), 'registrations dated in the past');

  const needs = await queryRows<{ status: string; response: string | null; consent: Date | null; answered_by: number | null }>(
    db,
    sql`select n.status, n.response, r.needs_consent_at as consent, n.answered_by_user_id as answered_by
        from access_need n join registration r on r.id = n.registration_id`,
  );
  t.ok(needs.length >= 5, `${needs.length} access needs`);
  t.ok(needs.every((n) => n.consent !== null), 'consent recorded for every need');
  t.ok(needs.some((n) => n.status === 'requested'), 'some needs still to answer');
  t.ok(needs.some((n) => n.status === 'planned' && /Interprète LSF réservé/.test(n.response ?? '')), 'an LSF interpreter booked');
  t.ok(needs.filter((n) => n.status !== 'requested').every((n) => n.response && n.answered_by), 'answers have a message and an author');

  // Demo accounts exist, with the roles the home page announces.
  const users = await db.select().from(schema.appUser);
  t.ok(users.every((u) => u.email.endsWith('.example')));
  t.same(new Set(users.map((u) => u.email)), new Set(DEMO_ACCOUNTS.map((a) => a.email)), 'DEMO_ACCOUNTS lists every account');
  t.ok(users.find((u) => u.email === 'admin@rassembler.example')?.isAdmin);
  const memberships = await db.select().from(schema.membership);
  t.equal(memberships.filter((m) => m.role === 'coordinator' && m.territoryId !== null).length, 2);
  const organisations = await db.select().from(schema.organisation);
  t.ok(organisations.length >= 10);
  t.equal(memberships.filter((m) => m.role === 'member').length, organisations.length, 'one organiser per structure');
  t.ok(new Set(organisations.map((o) => o.kind)).size >= 6, 'varied kinds of structures');
  const venues = await db.select().from(schema.venue);
  t.ok(venues.some((v) => v.stepFreeEntrance) && venues.some((v) => !v.stepFreeEntrance), 'varied venue access');
  t.ok(venues.some((v) => v.inductionLoop) && venues.some((v) => v.quietRoom));

  const again = await seedDemo(db, { now: NOW, theme: THEME, extraEvents: 10 });
  t.same(again, { created: false, editionYear: 2025, territories: 0, events: 0, registrations: 0 }, 'second call does nothing and says so');
  const [{ n: eventCount }] = (await queryRows<{ n: number }>(db, sql`select count(*)::int as n from event`)) as [{ n: number }];
  t.equal(eventCount, events.length, 'no event added by the second call');
});

t.test('seedDemo is deterministic for a given now', async (t) => {
  const first = await freshDatabase(t);
  const second = await freshDatabase(t);
  const now = new Date('2026-08-01T10:00:00Z');
  await seedDemo(first, { now, theme: THEME });
  await seedDemo(second, { now, theme: THEME });
  const shape = async (db: Database) => ({
    events: (await eventsWithZone(db)).map((e) => [e.title, e.startsAt.toISOString(), e.state]),
    registrations: (
      await db
        .select({ name: schema.registration.name, email: schema.registration.email, seats: schema.registration.seats, state: schema.registration.state })
        .from(schema.registration)
        .orderBy(asc(schema.registration.id))
    ).map((r) => [r.name, r.email, r.seats, r.state]),
  });
  const a = await shape(first);
  t.same(a, await shape(second));
  t.equal(dayKey((await eventsWithZone(first))[0]!.startsAt, 'Europe/Paris'), '2026-10-05', '2026 edition');
});

t.test("seeded during the weeks: past events have check-ins; a demo registration's mail carries a working manage link", async (t) => {
  const db = await freshDatabase(t);
  const now = new Date('2025-10-12T10:00:00Z');
  await seedDemo(db, { now, theme: THEME });
  const registrations = await db
    .select({
      id: schema.registration.id,
      email: schema.registration.email,
      state: schema.registration.state,
      eventState: schema.event.state,
      createdAt: schema.registration.createdAt,
      checkedInAt: schema.registration.checkedInAt,
      endsAt: schema.event.endsAt,
    })
    .from(schema.registration)
    .innerJoin(schema.event, eq(schema.event.id, schema.registration.eventId))
    .orderBy(asc(schema.registration.id));
  const someone = registrations.find((r) => r.email && !r.email.includes('accompagnement') && r.state === 'confirmed' && r.eventState === 'published')!;
  const config = testConfig();
  t.teardown(() => rmSync(config.dataDir, { recursive: true, force: true }));
  const mail = await renderMail(db, config, { id: 1, kind: 'registration_confirmed', recipient: someone.email!, payload: { registrationId: someone.id } }, now);
  const token = 'text' in mail ? /\/inscription\/([A-Za-z0-9_-]{43})\b/.exec(mail.text)?.[1] : undefined;
  t.ok(token, 'the mail carries a manage link');
  t.equal((await findByToken(db, token!))?.id, someone.id, 'which opens that registration');
  t.ok(registrations.every((r) => r.createdAt <= now), 'no registration from the future');
  t.ok(registrations.some((r) => r.checkedInAt !== null), 'people checked in at past events');
  t.ok(registrations.every((r) => r.checkedInAt === null || r.endsAt <= now), 'no check-in at events still to come');
});

t.test('extraEvents adds generated published events across territories and days', async (t) => {
  const db = await freshDatabase(t);
  await t.rejects(seedDemo(db, { now: NOW, theme: THEME, extraEvents: -1 }), RangeError, 'a negative count is refused');
  const base = DEMO_EVENTS.length;
  const summary = await seedDemo(db, { now: NOW, theme: THEME, extraEvents: 500 });
  t.equal(summary.events, base + 500);
  const events = await eventsWithZone(db);
  t.equal(events.length, base + 500);
  const extra = events.slice(base);
  t.ok(extra.every((e) => e.state === 'published' && e.publishedAt !== null));
  t.equal(new Set(extra.map((e) => e.zone)).size, 2, 'both territories');
  const days = new Set(extra.map((e) => dayKey(e.startsAt, e.zone)));
  t.equal(days.size, 14, 'every day of the edition');
  t.ok([...days].every((d) => d >= '2025-10-06' && d <= '2025-10-19'));
});

t.test('npm run seed rejects a bad --events value in French', async (t) => {
  const result = spawnSync(process.execPath, ['--import=tsx', 'scripts/seed.ts', '--events', 'beaucoup'], { encoding: 'utf8' });
  t.equal(result.status, 2);
  t.match(result.stderr, /--events attend un nombre entier/);
  t.match(result.stderr, /reçu « beaucoup »/);
});
