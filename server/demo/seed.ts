// The demo programme: a national edition for the coming October, two territories (one overseas,
// in its own time zone), their structures, venues, a fortnight of events in every state the
// coordinator's queue shows, and registrations that fill some events exactly and overflow one
// into a waitlist. Deterministic per year (seeded PRNG), so screenshots, tests and benchmarks
// see the same programme. `extraEvents` adds many generated events for load tests.
import { desc, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import * as schema from '../db/schema.ts';
import type { EventState } from '../domain/vocabulary.ts';
import { venueColumns } from '../events/index.ts';
import { DEMO_ADMIN, DEMO_EVENTS, DEMO_ORGANISATIONS, DEMO_TERRITORIES, DEMO_VENUES, type TerritoryKey } from './data.ts';
import { DAY_MS, demoEditionDates, eventTiming, HOUR_MS, needsInterpreter } from './dates.ts';
import { seedExtraEvents } from './extra-events.ts';
import { insertInBatches, required } from './insert.ts';
import { Random } from './random.ts';
import { seedRegistrations, type SeededEvent } from './registrations.ts';

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
          translations: s.def.translations ?? {},
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
