// The demo programme: a national edition for the coming October, two territories (one overseas,
// in its own time zone), their structures, venues, a fortnight of events in every state the
// coordinator's queue shows, and registrations that fill some events exactly and overflow one
// into a waitlist. Deterministic per year (seeded PRNG), so screenshots, tests and benchmarks
// see the same programme. `extraEvents` adds many generated events for load tests.
import { DateTime } from 'luxon';
import { desc, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Database } from '../db/client.ts';
import * as schema from '../db/schema.ts';
import type { EventState } from '../domain/vocabulary.ts';
import { slugify } from '../lib/slug.ts';
import { venueColumns } from '../events/venues.ts';
import {
  DEMO_ADMIN,
  DEMO_EVENTS,
  DEMO_ORGANISATIONS,
  DEMO_TERRITORIES,
  DEMO_VENUES,
  EMAIL_DOMAINS,
  FIRST_NAMES,
  HELPER_STRUCTURES,
  LAST_NAMES,
  type DemoEvent,
  type TerritoryKey,
} from './data.ts';

export interface SeedOptions {
  /** The moment the demo is seeded: picks the edition year and dates registrations, history. */
  now: Date;
  theme: string;
  /** Extra generated published events, for benchmarks. */
  extraEvents?: number;
}

export interface SeedSummary {
  /** false when the database already had an edition: nothing was written. */
  created: boolean;
  editionYear: number;
  territories: number;
  events: number;
  registrations: number;
}

export interface DemoAccount {
  email: string;
  name: string;
  /** Role, in French, as shown to a visitor of the demo. */
  role: string;
  description: string;
}

/** Sign-in addresses of the demo, for the home page and README. */
export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { ...DEMO_ADMIN, role: 'Administrateur·rice', description: 'Crée les territoires et les éditions, nomme les coordinateur·rices.' },
  ...DEMO_TERRITORIES.map((t) => ({
    ...t.coordinator,
    role: 'Coordinateur·rice',
    description: `Coordonne le programme du ${t.name} : relit les propositions, publie, suit les besoins d'accessibilité.`,
  })),
  ...DEMO_ORGANISATIONS.map((o) => ({
    ...o.member,
    role: 'Organisateur·rice',
    description: `Propose et gère les événements de « ${o.name} ».`,
  })),
];

// Any advisory lock key of our own (migrations use 7_311_001): two processes seeding an empty
// database at once must not both insert an edition.
const SEED_LOCK = 7_311_010;
const BATCH_SIZE = 500;
/** The SISM are national; the end of the weeks is judged in metropolitan time. */
const NATIONAL_ZONE = 'Europe/Paris';
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * The SISM of the coming October: two weeks from the Monday of the ISO week containing
 * 10 October. Until the end of this year's last day (Paris time) that is this year's edition.
 */
export function demoEditionDates(now: Date): { year: number; firstDay: string; lastDay: string } {
  const forYear = (year: number) => {
    const tenth = DateTime.fromObject({ year, month: 10, day: 10 }, { zone: 'UTC' });
    const first = tenth.minus({ days: tenth.weekday - 1 });
    return { year, firstDay: first.toISODate()!, lastDay: first.plus({ days: 13 }).toISODate()! };
  };
  const current = forYear(DateTime.fromJSDate(now, { zone: NATIONAL_ZONE }).year);
  const end = DateTime.fromISO(current.lastDay, { zone: NATIONAL_ZONE }).plus({ days: 1 });
  return now.getTime() < end.toMillis() ? current : forYear(current.year + 1);
}

/** mulberry32: a tiny seeded PRNG, enough to choose demo data reproducibly. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Random {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

function required<K, V>(map: Map<K, V>, key: K, what: string): V {
  const value = map.get(key);
  if (value === undefined) throw new Error(`Données de démonstration incohérentes : ${what} « ${String(key)} » inconnu.`);
  return value;
}

async function insertInBatches<T extends PgTable>(db: Database, table: T, rows: T['$inferInsert'][]): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH_SIZE) {
    await db.insert(table).values(rows.slice(i, i + BATCH_SIZE));
  }
}

interface Timing {
  startsAt: Date;
  endsAt: Date;
  registrationOpensAt: Date;
  registrationClosesAt: Date;
  accessRequestDeadline: Date;
}

/**
 * Start and end at a local wall time in the territory's zone (stored UTC). Registration opens on
 * 1 September — or today, if the demo is seeded earlier, so registering works in the demo —
 * closes the day before; access needs must be declared 14 days ahead when an LSF interpreter
 * may have to be booked (LSF offered, or a conference), 7 days otherwise.
 */
function eventTiming(firstDay: string, day: number, start: string, minutes: number, zone: string, now: Date, needsInterpreter: boolean): Timing {
  const [hour, minute] = start.split(':').map(Number) as [number, number];
  const starts = DateTime.fromISO(firstDay, { zone }).plus({ days: day }).set({ hour, minute });
  const september = DateTime.fromObject({ year: starts.year, month: 9, day: 1, hour: 9 }, { zone });
  const today = DateTime.fromJSDate(now, { zone }).startOf('day');
  return {
    startsAt: starts.toJSDate(),
    endsAt: starts.plus({ minutes }).toJSDate(),
    registrationOpensAt: (september < today ? september : today).toJSDate(),
    registrationClosesAt: starts.minus({ days: 1 }).toJSDate(),
    accessRequestDeadline: starts.minus({ days: needsInterpreter ? 14 : 7 }).toJSDate(),
  };
}

function needsInterpreter(def: Pick<DemoEvent, 'access' | 'category'>): boolean {
  return def.access.includes('lsf') || def.category === 'conference';
}

interface SeededEvent {
  def: DemoEvent;
  id: number;
  organisationId: number;
  memberId: number;
  zone: string;
  timing: Timing;
  publishedAt: Date | null;
}

export async function seedDemo(db: Database, options: SeedOptions): Promise<SeedSummary> {
  const extraEvents = options.extraEvents ?? 0;
  if (!Number.isInteger(extraEvents) || extraEvents < 0) throw new RangeError(`extraEvents doit être un entier positif ou nul (reçu ${extraEvents}).`);
  const dates = demoEditionDates(options.now);

  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${SEED_LOCK})`);
    const [existing] = await tx.select({ year: schema.edition.year }).from(schema.edition).orderBy(desc(schema.edition.year)).limit(1);
    if (existing) return { created: false, editionYear: existing.year, territories: 0, events: 0, registrations: 0 };

    const now = options.now;
    const rng = new Random(dates.year);
    // Everything the demo "did" in the past is dated relative to now, never by the database clock.
    const past = (days: number) => new Date(now.getTime() - days * DAY_MS);

    // Territories, edition.
    const territoryRows = await tx
      .insert(schema.territory)
      .values(DEMO_TERRITORIES.map((t) => ({ slug: t.slug, name: t.name, timeZone: t.timeZone, communes: t.communes, createdAt: past(60) })))
      .returning({ id: schema.territory.id, slug: schema.territory.slug });
    const territoryIdsBySlug = new Map(territoryRows.map((r) => [r.slug, r.id]));
    const territoryIds = new Map(DEMO_TERRITORIES.map((t) => [t.key, required(territoryIdsBySlug, t.slug, 'territoire')]));
    const zones = new Map<TerritoryKey, string>(DEMO_TERRITORIES.map((t) => [t.key, t.timeZone]));

    const [editionRow] = await tx
      .insert(schema.edition)
      .values({ year: dates.year, theme: options.theme, firstDay: dates.firstDay, lastDay: dates.lastDay, proposalsOpen: true, createdAt: past(60) })
      .returning({ id: schema.edition.id });
    const editionId = editionRow!.id;

    // Organisations.
    const organisationRows = await tx
      .insert(schema.organisation)
      .values(
        DEMO_ORGANISATIONS.map((o) => ({
          territoryId: required(territoryIds, o.territory, 'territoire'),
          name: o.name,
          kind: o.kind,
          contactEmail: o.contactEmail,
          contactPhone: o.contactPhone,
          website: o.website,
          createdAt: past(55),
        })),
      )
      .returning({ id: schema.organisation.id, name: schema.organisation.name });
    const organisationIdsByName = new Map(organisationRows.map((r) => [r.name, r.id]));
    const organisationIds = new Map(DEMO_ORGANISATIONS.map((o) => [o.key, required(organisationIdsByName, o.name, 'structure')]));

    // Users and their roles.
    const people = [
      { ...DEMO_ADMIN, isAdmin: true },
      ...DEMO_TERRITORIES.map((t) => ({ ...t.coordinator, isAdmin: false })),
      ...DEMO_ORGANISATIONS.map((o) => ({ ...o.member, isAdmin: false })),
    ];
    const userRows = await tx
      .insert(schema.appUser)
      .values(people.map((p) => ({ email: p.email, name: p.name, isAdmin: p.isAdmin, createdAt: past(55) })))
      .returning({ id: schema.appUser.id, email: schema.appUser.email });
    const userIds = new Map(userRows.map((r) => [r.email, r.id]));
    const coordinatorIds = new Map(DEMO_TERRITORIES.map((t) => [t.key, required(userIds, t.coordinator.email, 'compte')]));
    const memberIds = new Map(DEMO_ORGANISATIONS.map((o) => [o.key, required(userIds, o.member.email, 'compte')]));
    await tx.insert(schema.membership).values([
      ...DEMO_TERRITORIES.map((t) => ({
        userId: required(coordinatorIds, t.key, 'coordinateur·rice'),
        role: 'coordinator' as const,
        territoryId: required(territoryIds, t.key, 'territoire'),
        createdAt: past(55),
      })),
      ...DEMO_ORGANISATIONS.map((o) => ({
        userId: required(memberIds, o.key, 'membre'),
        role: 'member' as const,
        organisationId: required(organisationIds, o.key, 'structure'),
        createdAt: past(55),
      })),
    ]);

    // Venues.
    const venueRows = await tx
      .insert(schema.venue)
      .values(
        DEMO_VENUES.map((v) => ({
          organisationId: v.organisation === null ? null : required(organisationIds, v.organisation, 'structure'),
          territoryId: required(territoryIds, v.territory, 'territoire'),
          ...venueColumns(v),
          latitude: v.latitude,
          longitude: v.longitude,
          createdAt: past(55),
        })),
      )
      .returning({ id: schema.venue.id, name: schema.venue.name });
    const venueIdsByName = new Map(venueRows.map((r) => [r.name, r.id]));
    const venueIds = new Map(DEMO_VENUES.map((v) => [v.key, required(venueIdsByName, v.name, 'lieu')]));

    // The hand-written events. Each one's story (created, submitted, reviewed, maybe cancelled)
    // is spread over the weeks before now, in insertion order.
    const stories = DEMO_EVENTS.map((def, index) => {
      const state: EventState = def.state ?? 'published';
      const createdAt = new Date(past(45).getTime() + index * 3 * HOUR_MS);
      const submittedAt = new Date(createdAt.getTime() + 2 * DAY_MS);
      const reviewedAt = new Date(createdAt.getTime() + 6 * DAY_MS);
      const cancelledAt = past(3);
      const wasPublished = state === 'published' || state === 'cancelled';
      const timing = eventTiming(dates.firstDay, def.day, def.start, def.minutes, required(zones, def.territory, 'territoire'), now, needsInterpreter(def));
      const updatedAt = state === 'draft' ? createdAt : state === 'submitted' ? submittedAt : state === 'cancelled' ? cancelledAt : reviewedAt;
      return { def, state, createdAt, submittedAt, reviewedAt, cancelledAt, updatedAt, timing, publishedAt: wasPublished ? reviewedAt : null };
    });
    const eventRows = await tx
      .insert(schema.event)
      .values(
        stories.map((s) => ({
          editionId,
          territoryId: required(territoryIds, s.def.territory, 'territoire'),
          organisationId: required(organisationIds, s.def.organisation, 'structure'),
          venueId: required(venueIds, s.def.venue, 'lieu'),
          title: s.def.title,
          summary: s.def.summary,
          description: s.def.description,
          easyReadSummary: s.def.easyRead ?? null,
          category: s.def.category,
          audience: s.def.audience,
          ...s.timing,
          onlineUrl: s.def.onlineUrl ?? null,
          capacity: s.def.capacity,
          accessibilityOffered: s.def.access,
          contentNote: s.def.contentNote ?? null,
          state: s.state,
          sequence: s.state === 'cancelled' ? 1 : 0,
          cancellationReason: s.state === 'cancelled' ? (s.def.message ?? null) : null,
          publishedAt: s.publishedAt,
          createdAt: s.createdAt,
          updatedAt: s.updatedAt,
        })),
      )
      .returning({ id: schema.event.id, title: schema.event.title });
    const eventIdsByTitle = new Map(eventRows.map((r) => [r.title, r.id]));
    if (eventIdsByTitle.size !== DEMO_EVENTS.length) throw new Error('Données de démonstration incohérentes : deux événements portent le même titre.');

    // History: organisers create and submit, the coordinator reviews, publishes, cancels.
    const history: (typeof schema.eventHistory.$inferInsert)[] = [];
    const seeded: SeededEvent[] = [];
    for (const s of stories) {
      const eventId = required(eventIdsByTitle, s.def.title, 'événement');
      const memberId = required(memberIds, s.def.organisation, 'membre');
      const coordinatorId = required(coordinatorIds, s.def.territory, 'coordinateur·rice');
      const step = (fromState: EventState | null, toState: EventState, actorUserId: number, createdAt: Date, message: string | null = null, sequence = 0) =>
        history.push({ eventId, actorUserId, fromState, toState, message, sequence, createdAt });
      step(null, 'draft', memberId, s.createdAt);
      if (s.state !== 'draft') step('draft', 'submitted', memberId, s.submittedAt);
      if (s.state === 'published' || s.state === 'cancelled') step('submitted', 'published', coordinatorId, s.reviewedAt);
      if (s.state === 'changes_requested' || s.state === 'refused') step('submitted', s.state, coordinatorId, s.reviewedAt, s.def.message ?? null);
      if (s.state === 'cancelled') step('published', 'cancelled', coordinatorId, s.cancelledAt, s.def.message ?? null, 1);
      if (s.state === 'published') {
        seeded.push({
          def: s.def,
          id: eventId,
          organisationId: required(organisationIds, s.def.organisation, 'structure'),
          memberId,
          zone: required(zones, s.def.territory, 'territoire'),
          timing: s.timing,
          publishedAt: s.publishedAt,
        });
      }
    }
    await insertInBatches(tx, schema.eventHistory, history);

    const registrations = await seedRegistrations(tx, seeded, { rng, now });
    await seedExtraEvents(tx, extraEvents, { rng, now, dates, editionId, territoryIds, organisationIds, venueIds, zones });

    return {
      created: true,
      editionYear: dates.year,
      territories: DEMO_TERRITORIES.length,
      events: DEMO_EVENTS.length + extraEvents,
      registrations,
    };
  });
}

interface RegistrationContext {
  rng: Random;
  now: Date;
}

type RegistrationRow = typeof schema.registration.$inferInsert;
type NeedRow = typeof schema.accessNeed.$inferInsert;

/**
 * Registrations on the published events that have a `fill`: confirmed seats reach exactly the
 * capacity for 'full' and 'waitlist' (which then gets waitlisted people, positions 1..n), a share
 * of it otherwise. Access needs go to each event's first registrants, with consent recorded.
 */
async function seedRegistrations(db: Database, events: SeededEvent[], ctx: RegistrationContext): Promise<number> {
  const { rng, now } = ctx;
  const rows: RegistrationRow[] = [];
  // Keyed by event and email: everyone with needs has an email (phone-only registrations have no
  // needs), unique within an event.
  const needsByEmail = new Map<string, { needs: NonNullable<DemoEvent['needs']>; answeredBy: number; createdAt: Date }>();

  for (const event of events) {
    const { def, timing } = event;
    if (def.fill === undefined || def.capacity === null) continue;
    const capacity = def.capacity;
    const target = def.fill === 'full' || def.fill === 'waitlist' ? capacity : Math.round(capacity * def.fill);
    const territory = def.territory;
    const emails = new Set<string>();
    const needs = def.needs ?? [];

    // Who registers, in order; seats sum to exactly `target`.
    type Person = { seats: number; state: 'confirmed' | 'waitlisted' | 'cancelled'; needs: typeof needs };
    const persons: Person[] = [];
    let remaining = target;
    while (remaining > 0) {
      const personNeeds = persons.length < needs.length ? [needs[persons.length]!] : [];
      const wanted = personNeeds.some((n) => n.category === 'companion') ? 2 : rng.chance(0.2) ? 2 : rng.chance(0.05) ? 3 : 1;
      const seats = Math.min(wanted, remaining);
      persons.push({ seats, state: 'confirmed', needs: personNeeds });
      remaining -= seats;
    }
    if (def.fill === 'waitlist') {
      const waiting = rng.int(3, 5);
      for (let i = 0; i < waiting; i++) persons.push({ seats: rng.chance(0.25) ? 2 : 1, state: 'waitlisted', needs: [] });
    } else if (rng.chance(0.4)) {
      // Someone who changed their mind: cancelled seats no longer count.
      persons.splice(rng.int(0, persons.length), 0, { seats: 1, state: 'cancelled', needs: [] });
    }

    // Registration dates, increasing with the order above (waitlist positions follow time).
    const from = Math.max(timing.registrationOpensAt.getTime(), event.publishedAt?.getTime() ?? 0);
    const until = Math.max(from, Math.min(now.getTime(), timing.registrationClosesAt.getTime()));
    const times = persons.map(() => from + Math.floor(rng.next() * (until - from))).sort((a, b) => a - b);
    const ended = timing.endsAt.getTime() <= now.getTime();

    let waitlistPosition = 0;
    persons.forEach((person, index) => {
      const createdAt = new Date(times[index]!);
      const first = rng.pick(FIRST_NAMES[territory]);
      const last = rng.pick(LAST_NAMES[territory]);
      const name = `${first} ${last}`;
      // Now and then an organiser takes a registration by phone: no email, a phone number.
      const byPhone = person.needs.length === 0 && person.state === 'confirmed' && rng.chance(0.08);
      let email: string | null = null;
      if (!byPhone) {
        const base = `${slugify(first)}.${slugify(last)}`;
        const domain = rng.pick(EMAIL_DOMAINS);
        email = `${base}@${domain}`;
        for (let n = 2; emails.has(email); n++) email = `${base}${n}@${domain}`;
        emails.add(email);
      }
      const phone = byPhone || rng.chance(0.3) ? mobileNumber(rng, territory) : null;
      const onBehalf = !byPhone && rng.chance(0.08);
      const helperFirst = rng.pick(FIRST_NAMES[territory]);
      const helperLast = rng.pick(LAST_NAMES[territory]);
      if (person.state === 'waitlisted') waitlistPosition += 1;
      rows.push({
        eventId: event.id,
        name,
        email,
        phone,
        seats: person.seats,
        onBehalf,
        contactName: onBehalf ? `${helperFirst} ${helperLast} (${rng.pick(HELPER_STRUCTURES[territory])})` : null,
        contactEmail: onBehalf ? `${slugify(helperFirst)}.${slugify(helperLast)}@accompagnement.example` : null,
        needsConsentAt: person.needs.length > 0 ? createdAt : null,
        state: person.state,
        waitlistPosition: person.state === 'waitlisted' ? waitlistPosition : null,
        checkedInAt: ended && person.state === 'confirmed' && rng.chance(0.85) ? new Date(timing.startsAt.getTime() - 10 * 60_000) : null,
        createdByUserId: byPhone ? event.memberId : null,
        createdAt,
        updatedAt: createdAt,
        cancelledAt: person.state === 'cancelled' ? new Date(Math.min(now.getTime(), createdAt.getTime() + 2 * DAY_MS)) : null,
      });
      if (person.needs.length > 0 && email) needsByEmail.set(`${event.id}|${email}`, { needs: person.needs, answeredBy: event.memberId, createdAt });
    });
  }

  const needRows: NeedRow[] = [];
  for (let i = 0; i < rows.length; i += BATCH_SIZE) {
    const inserted = await db
      .insert(schema.registration)
      .values(rows.slice(i, i + BATCH_SIZE))
      .returning({ id: schema.registration.id, eventId: schema.registration.eventId, email: schema.registration.email });
    // No manage tokens: each mail mints its own link when it is rendered (registrations/links.ts).
    for (const row of inserted) {
      const declared = row.email ? needsByEmail.get(`${row.eventId}|${row.email}`) : undefined;
      if (!declared) continue;
      for (const need of declared.needs) {
        const answered = need.status !== 'requested';
        needRows.push({
          registrationId: row.id,
          category: need.category,
          detail: need.detail ?? null,
          status: need.status,
          response: answered ? (need.response ?? null) : null,
          answeredAt: answered ? new Date(Math.min(now.getTime(), declared.createdAt.getTime() + 2 * DAY_MS)) : null,
          answeredByUserId: answered ? declared.answeredBy : null,
          createdAt: declared.createdAt,
        });
      }
    }
  }
  await insertInBatches(db, schema.accessNeed, needRows);
  return rows.length;
}

function mobileNumber(rng: Random, territory: TerritoryKey): string {
  const pairs = (n: number) => Array.from({ length: n }, () => String(rng.int(0, 99)).padStart(2, '0')).join(' ');
  // 06 12 34 56 78 in the Hexagone, 0692 12 34 56 at La Réunion.
  return territory === 'reunion' ? `0692 ${pairs(3)}` : `06 ${pairs(4)}`;
}

interface ExtraContext {
  rng: Random;
  now: Date;
  dates: { firstDay: string };
  editionId: number;
  territoryIds: Map<TerritoryKey, number>;
  organisationIds: Map<string, number>;
  venueIds: Map<string, number>;
  zones: Map<TerritoryKey, string>;
}

const EXTRA_SLOTS = ['09:30', '10:00', '14:00', '14:30', '16:00', '17:30', '18:30', '20:00'];

/** Many more published events for benchmarks, re-using the hand-written ones as templates. */
async function seedExtraEvents(db: Database, count: number, ctx: ExtraContext): Promise<void> {
  if (count === 0) return;
  const templates = DEMO_EVENTS.filter((e) => (e.state ?? 'published') === 'published' && e.minutes <= 8 * 60);
  const publishedAt = new Date(ctx.now.getTime() - 30 * DAY_MS);
  const createdAt = new Date(ctx.now.getTime() - 40 * DAY_MS);
  const rows: (typeof schema.event.$inferInsert)[] = [];
  for (let i = 0; i < count; i++) {
    const def = templates[i % templates.length]!;
    const round = Math.floor(i / templates.length) + 2;
    const day = (i + round) % 14;
    const timing = eventTiming(ctx.dates.firstDay, day, ctx.rng.pick(EXTRA_SLOTS), def.minutes, required(ctx.zones, def.territory, 'territoire'), ctx.now, needsInterpreter(def));
    rows.push({
      editionId: ctx.editionId,
      territoryId: required(ctx.territoryIds, def.territory, 'territoire'),
      organisationId: required(ctx.organisationIds, def.organisation, 'structure'),
      venueId: required(ctx.venueIds, def.venue, 'lieu'),
      title: `${def.title} (séance ${round})`,
      summary: def.summary,
      description: def.description,
      easyReadSummary: def.easyRead ?? null,
      category: def.category,
      audience: def.audience,
      ...timing,
      capacity: def.capacity,
      accessibilityOffered: def.access,
      contentNote: def.contentNote ?? null,
      state: 'published',
      publishedAt,
      createdAt,
      updatedAt: publishedAt,
    });
  }
  await insertInBatches(db, schema.event, rows);
}
