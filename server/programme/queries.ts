// Public read queries: the current edition, the programme with its filters, one event's page.
// Only published and cancelled events are public (a cancelled event stays visible, marked
// « Annulé », so that people who planned to come learn it). No HTTP here.
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { edition, event, organisation, registration, territory, venue } from '../db/schema.ts';
import { VENUE_FACTS, type AccessFeature, type Audience, type EventCategory, type OrganisationKind, type VenueFact } from '../domain/vocabulary.ts';
import type { EventFields } from '../events/rules.ts';
import { dayKey } from '../lib/time.ts';
import { ALL_ON_ONE_PAGE_MAX, PAGE_SIZE, type ProgrammeFilters } from './filters.ts';

export const PUBLIC_STATES = ['published', 'cancelled'] as const;
export type PublicState = (typeof PUBLIC_STATES)[number];

/** The SISM are national: "today", to choose the current edition, is judged in Paris. */
const NATIONAL_ZONE = 'Europe/Paris';

export interface EditionSummary {
  id: number;
  year: number;
  theme: string;
  firstDay: string;
  lastDay: string;
  /** At least one published (or cancelled) event. */
  hasEvents: boolean;
}

/**
 * The edition the public pages show: among editions with published events, the one running or
 * the nearest to come; when all are past, the latest. With no published event anywhere, the
 * nearest edition to come (its programme is being prepared), else the latest.
 */
export function chooseCurrentEdition(editions: readonly EditionSummary[], today: string): EditionSummary | null {
  const pick = (list: readonly EditionSummary[]) => {
    const coming = list.filter((e) => e.lastDay >= today).sort((a, b) => a.firstDay.localeCompare(b.firstDay));
    if (coming.length > 0) return coming[0]!;
    return [...list].sort((a, b) => b.year - a.year)[0] ?? null;
  };
  const withEvents = editions.filter((e) => e.hasEvents);
  return withEvents.length > 0 ? pick(withEvents) : pick(editions);
}

export async function findCurrentEdition(db: Database, now: Date): Promise<EditionSummary | null> {
  const rows = await db
    .select({
      id: edition.id,
      year: edition.year,
      theme: edition.theme,
      firstDay: edition.firstDay,
      lastDay: edition.lastDay,
      hasEvents: sql<boolean>`exists (select 1 from ${event} where ${event.editionId} = ${edition.id} and ${event.state} in ('published', 'cancelled'))`,
    })
    .from(edition);
  return chooseCurrentEdition(rows, dayKey(now, NATIONAL_ZONE));
}

export interface ProgrammeFacets {
  /** Communes where the edition's public events take place, in French alphabetical order. */
  communes: string[];
  /** Public events of the edition (published and cancelled). */
  eventCount: number;
}

const collator = new Intl.Collator('fr', { sensitivity: 'base' });

export async function loadProgrammeFacets(db: Database, editionId: number): Promise<ProgrammeFacets> {
  const rows = await db
    .select({ commune: venue.commune, events: sql<number>`count(*)::int`.mapWith(Number) })
    .from(event)
    .leftJoin(venue, eq(venue.id, event.venueId))
    .where(and(eq(event.editionId, editionId), inArray(event.state, PUBLIC_STATES)))
    .groupBy(venue.commune);
  return {
    communes: rows.flatMap((r) => (r.commune ? [r.commune] : [])).sort(collator.compare),
    eventCount: rows.reduce((sum, r) => sum + r.events, 0),
  };
}

/** Confirmed seats of the event in the outer query (companions count toward capacity). */
const confirmedSeats = sql<number>`(select coalesce(sum(${registration.seats}), 0)::int from ${registration} where ${registration.eventId} = ${event.id} and ${registration.state} = 'confirmed')`;
/** Someone waits: freed seats go to the waiting list first, so a newcomer gets no place. */
const someoneWaits = sql<boolean>`exists (select 1 from ${registration} where ${registration.eventId} = ${event.id} and ${registration.state} = 'waitlisted')`;

/**
 * Seats a newcomer can get now, by the registration rules (registrations/capacity.ts
 * seatsSummary): capacity minus confirmed seats, none while anyone waits; null for free entry.
 */
export function placesLeft(e: { capacity: number | null; taken: number; waiting: boolean }): number | null {
  if (e.capacity === null) return null;
  return e.waiting ? 0 : Math.max(0, e.capacity - e.taken);
}

export interface ProgrammeRow {
  id: number;
  title: string;
  category: EventCategory;
  audience: Audience;
  state: PublicState;
  startsAt: Date;
  endsAt: Date;
  /** null: free entry. */
  capacity: number | null;
  /** Confirmed seats. */
  taken: number;
  /** Someone is on the waiting list. */
  waiting: boolean;
  accessibilityOffered: AccessFeature[];
  onlineUrl: string | null;
  venueName: string | null;
  commune: string | null;
  timeZone: string;
  territoryName: string;
}

/**
 * The WHERE of the programme for these filters (also used by the programme calendar feed). It
 * refers to territory (time zone) and venue (commune): join both. A feed keeps cancelled events
 * under « places left » (`keepCancelled`): calendars that had them must see them cancelled.
 */
export function programmeConditions(editionId: number, filters: ProgrammeFilters, options: { keepCancelled?: boolean } = {}): SQL {
  const conditions: SQL[] = [eq(event.editionId, editionId), inArray(event.state, PUBLIC_STATES)];
  if (filters.day) {
    // The day's bounds in each event's own zone (both territories share one programme): an
    // event is on that day when it overlaps it, so an exhibition over several days is found.
    conditions.push(
      sql`${event.startsAt} < ((${filters.day}::date + 1)::timestamp at time zone ${territory.timeZone})`,
      sql`${event.endsAt} > (${filters.day}::date::timestamp at time zone ${territory.timeZone})`,
    );
  }
  if (filters.commune) conditions.push(eq(venue.commune, filters.commune));
  if (filters.category) conditions.push(eq(event.category, filters.category));
  if (filters.audience) conditions.push(eq(event.audience, filters.audience));
  if (filters.access.length > 0) {
    conditions.push(sql`${event.accessibilityOffered} @> array[${sql.join(filters.access.map((f) => sql`${f}`), sql`, `)}]::text[]`);
  }
  if (filters.placesLeft) {
    const left = sql`${event.state} = 'published' and (${event.capacity} is null or (${event.capacity} > ${confirmedSeats} and not ${someoneWaits}))`;
    conditions.push(options.keepCancelled ? sql`(${event.state} = 'cancelled' or (${left}))` : left);
  }
  if (filters.q) conditions.push(sql`${event.searchVector} @@ websearch_to_tsquery('french_unaccent', ${filters.q})`);
  return and(...conditions)!;
}

/**
 * One page of the programme, in local wall-clock order (so that each territory's events sort
 * by the time people read on the page), with the number of matching events.
 */
export async function searchProgramme(
  db: Database,
  editionId: number,
  filters: ProgrammeFilters,
  page: { limit: number; offset: number } = filters.all
    ? { limit: ALL_ON_ONE_PAGE_MAX, offset: 0 }
    : { limit: PAGE_SIZE, offset: (filters.page - 1) * PAGE_SIZE },
): Promise<{ rows: ProgrammeRow[]; total: number }> {
  const where = programmeConditions(editionId, filters);
  const rows = await db
    .select({
      id: event.id,
      title: event.title,
      category: event.category,
      audience: event.audience,
      state: event.state,
      startsAt: event.startsAt,
      endsAt: event.endsAt,
      capacity: event.capacity,
      taken: confirmedSeats.mapWith(Number),
      waiting: someoneWaits,
      accessibilityOffered: event.accessibilityOffered,
      onlineUrl: event.onlineUrl,
      venueName: venue.name,
      commune: venue.commune,
      timeZone: territory.timeZone,
      territoryName: territory.name,
      total: sql<number>`count(*) over ()`.mapWith(Number),
    })
    .from(event)
    .innerJoin(territory, eq(territory.id, event.territoryId))
    .leftJoin(venue, eq(venue.id, event.venueId))
    .where(where)
    .orderBy(sql`${event.startsAt} at time zone ${territory.timeZone}`, event.id)
    .limit(page.limit)
    .offset(page.offset);
  let total = rows[0]?.total ?? 0;
  if (rows.length === 0 && page.offset > 0) total = await countProgramme(db, editionId, filters);
  return { rows: rows.map(({ total: _total, ...row }) => ({ ...row, state: row.state as PublicState })), total };
}

export async function countProgramme(db: Database, editionId: number, filters: ProgrammeFilters): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int`.mapWith(Number) })
    .from(event)
    .innerJoin(territory, eq(territory.id, event.territoryId))
    .leftJoin(venue, eq(venue.id, event.venueId))
    .where(programmeConditions(editionId, filters));
  return row?.n ?? 0;
}

/** The venue as the public page shows it: its access facts as a list. */
export interface PublicVenue {
  id: number;
  name: string;
  address: string;
  postcode: string;
  commune: string;
  latitude: number | null;
  longitude: number | null;
  accessDirections: string | null;
  facts: VenueFact[];
}

/** A venue row (or the columns read of it) as the public page shows it. */
export function publicVenue(v: Omit<PublicVenue, 'facts'> & Record<VenueFact, boolean>): PublicVenue {
  return {
    id: v.id,
    name: v.name,
    address: v.address,
    postcode: v.postcode,
    commune: v.commune,
    latitude: v.latitude,
    longitude: v.longitude,
    accessDirections: v.accessDirections,
    facts: VENUE_FACTS.filter((f) => v[f]),
  };
}

/** What the organiser wrote (EventFields), with what the public page adds to it. */
export interface PublicEvent extends EventFields {
  id: number;
  state: PublicState;
  /** Confirmed seats. */
  taken: number;
  /** Someone is on the waiting list. */
  waiting: boolean;
  cancellationReason: string | null;
  sequence: number;
  updatedAt: Date;
  territory: { id: number; name: string; slug: string; timeZone: string };
  edition: { id: number; year: number; theme: string; firstDay: string; lastDay: string };
  organisation: { id: number; name: string; kind: OrganisationKind; contactEmail: string | null; contactPhone: string | null; website: string | null };
  venue: PublicVenue | null;
}

function publicEventQuery(db: Database) {
  return db
    .select({
      id: event.id,
      title: event.title,
      summary: event.summary,
      description: event.description,
      easyReadSummary: event.easyReadSummary,
      category: event.category,
      audience: event.audience,
      state: event.state,
      startsAt: event.startsAt,
      endsAt: event.endsAt,
      onlineUrl: event.onlineUrl,
      capacity: event.capacity,
      taken: confirmedSeats.mapWith(Number),
      waiting: someoneWaits,
      registrationOpensAt: event.registrationOpensAt,
      registrationClosesAt: event.registrationClosesAt,
      accessRequestDeadline: event.accessRequestDeadline,
      accessibilityOffered: event.accessibilityOffered,
      contentNote: event.contentNote,
      cancellationReason: event.cancellationReason,
      sequence: event.sequence,
      updatedAt: event.updatedAt,
      territory: { id: territory.id, name: territory.name, slug: territory.slug, timeZone: territory.timeZone },
      edition: { id: edition.id, year: edition.year, theme: edition.theme, firstDay: edition.firstDay, lastDay: edition.lastDay },
      organisation: {
        id: organisation.id,
        name: organisation.name,
        kind: organisation.kind,
        contactEmail: organisation.contactEmail,
        contactPhone: organisation.contactPhone,
        website: organisation.website,
      },
      venue: {
        id: venue.id,
        name: venue.name,
        address: venue.address,
        postcode: venue.postcode,
        commune: venue.commune,
        latitude: venue.latitude,
        longitude: venue.longitude,
        accessDirections: venue.accessDirections,
        stepFreeEntrance: venue.stepFreeEntrance,
        accessibleToilets: venue.accessibleToilets,
        reservedParking: venue.reservedParking,
        inductionLoop: venue.inductionLoop,
        quietRoom: venue.quietRoom,
      },
    })
    .from(event)
    .innerJoin(territory, eq(territory.id, event.territoryId))
    .innerJoin(edition, eq(edition.id, event.editionId))
    .innerJoin(organisation, eq(organisation.id, event.organisationId))
    .leftJoin(venue, eq(venue.id, event.venueId))
    .where(and(eq(event.id, sql.placeholder('id')), inArray(event.state, PUBLIC_STATES)))
    .prepare('public_event');
}

// Prepared once per database handle: the event page is the second most requested page.
const preparedEvent = new WeakMap<Database, ReturnType<typeof publicEventQuery>>();

/** A published or cancelled event, with what its public page shows; null for any other. */
export async function getPublicEvent(db: Database, id: number): Promise<PublicEvent | null> {
  if (!Number.isSafeInteger(id) || id < 1 || id > 2_147_483_647) return null;
  let query = preparedEvent.get(db);
  if (!query) {
    query = publicEventQuery(db);
    preparedEvent.set(db, query);
  }
  const [row] = await query.execute({ id });
  if (!row) return null;
  const { venue: v, ...rest } = row;
  return { ...rest, state: rest.state as PublicState, venue: v ? publicVenue(v) : null };
}

function snapshotQuery(db: Database) {
  return db
    .select({ snapshot: sql<string>`pg_current_snapshot()::text` })
    .from(sql`(select 1) as one`)
    .prepare('public_snapshot');
}
const preparedSnapshot = new WeakMap<Database, ReturnType<typeof snapshotQuery>>();

/**
 * The current snapshot (xmin:xmax:in-progress ids) of the PostgreSQL cluster. It changes
 * whenever any write transaction commits, in any process and any database of the cluster: the
 * cheap first check of the public page cache (see cache.ts and docs/decisions/0002).
 */
export async function databaseSnapshot(db: Database): Promise<string> {
  let query = preparedSnapshot.get(db);
  if (!query) {
    query = snapshotQuery(db);
    preparedSnapshot.set(db, query);
  }
  const [row] = await query.execute();
  return row?.snapshot ?? '';
}

/** Row count and sum of row versions (xmin): any insert, update or delete changes one of them. */
const tableVersion = (table: typeof event | typeof registration | typeof venue | typeof organisation | typeof territory | typeof edition) =>
  sql`(select count(*) || '.' || coalesce(sum(xmin::text::bigint), 0) from ${table})`;

function fingerprintQuery(db: Database) {
  return db
    .select({
      // pg_current_snapshot() is the statement's own snapshot: the one the fingerprint is read in.
      snapshot: sql<string>`pg_current_snapshot()::text`,
      fingerprint: sql<string>`${tableVersion(event)} || '/' || ${tableVersion(registration)} || '/' || ${tableVersion(venue)} || '/' || ${tableVersion(organisation)} || '/' || ${tableVersion(territory)} || '/' || ${tableVersion(edition)}`,
    })
    .from(sql`(select 1) as one`)
    .prepare('public_fingerprint');
}
const preparedFingerprint = new WeakMap<Database, ReturnType<typeof fingerprintQuery>>();

/**
 * What the public pages are made of, in one string that changes whenever an event, a venue, an
 * organisation, a territory, an edition or a registration is inserted, updated or deleted —
 * whoever writes it, even a feature that forgets `updated_at`. Costs a scan of those tables:
 * run only when the snapshot moved.
 */
export async function publicDataFingerprint(db: Database): Promise<{ snapshot: string; fingerprint: string }> {
  let query = preparedFingerprint.get(db);
  if (!query) {
    query = fingerprintQuery(db);
    preparedFingerprint.set(db, query);
  }
  const [row] = await query.execute();
  return { snapshot: row?.snapshot ?? '', fingerprint: row?.fingerprint ?? '' };
}
