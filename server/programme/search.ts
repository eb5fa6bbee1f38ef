// The programme: its facets (communes, event count) and one page of it for a set of filters.
// No HTTP here.
import { and, asc, desc, eq, isNotNull, sql, type SQL } from 'drizzle-orm';
import { pgArray, type Database } from '../db/client.ts';
import { event, organisation, territory, venue } from '../db/schema.ts';
import { ALL_ON_ONE_PAGE_MAX, PAGE_SIZE, type NearFilter, type PlacePoint, type ProgrammeFilters, type TerritoryOption } from './filters.ts';
import { ACCESS_FEATURES, PUBLIC_STATES, type AccessFeature, type PublicState } from '../domain/vocabulary.ts';

export interface ProgrammeFacets {
  /** Communes where the edition's public events take place, in French alphabetical order. */
  communes: string[];
  /** Territories with public events in the edition, by name: the territory filter's choices. */
  territories: TerritoryOption[];
  /** Public events of the edition (published and cancelled). */
  eventCount: number;
  /** Where the venues with coordinates are, per commune and postcode: the reference points of « près de ». */
  places: PlacePoint[];
}

const collator = new Intl.Collator('fr', { sensitivity: 'base' });

/** The public states as literals: the partial programme index is chosen only if its predicate shows. */
const PUBLIC = sql.raw(PUBLIC_STATES.map((state) => `'${state}'`).join(', '));

export async function loadProgrammeFacets(db: Database, editionId: number): Promise<ProgrammeFacets> {
  // Counted per venue and territory from the programme index alone, then named: the join
  // touches a few hundred groups, not every event.
  const counts = db
    .select({ venueId: event.venueId, territoryId: event.territoryId, n: sql<number>`count(*)`.as('n') })
    .from(event)
    .where(and(eq(event.editionId, editionId), sql`${event.state} in (${PUBLIC})`))
    .groupBy(event.venueId, event.territoryId)
    .as('counts');
  const rows = await db
    .select({ commune: venue.commune, slug: territory.slug, name: territory.name, events: sql<number>`sum(${counts.n})::int`.mapWith(Number) })
    .from(counts)
    .innerJoin(territory, eq(territory.id, counts.territoryId))
    .leftJoin(venue, eq(venue.id, counts.venueId))
    .groupBy(venue.commune, territory.slug, territory.name);
  const communes = new Set(rows.flatMap((r) => (r.commune ? [r.commune] : [])));
  const territories = new Map(rows.map((r) => [r.slug, { slug: r.slug, name: r.name }]));
  // Every venue counts (not only this edition's): the more known places, the better the centre.
  const places = await db
    .select({
      commune: venue.commune,
      postcode: venue.postcode,
      latitude: sql<number>`avg(${venue.latitude})`.mapWith(Number),
      longitude: sql<number>`avg(${venue.longitude})`.mapWith(Number),
      venues: sql<number>`count(*)::int`.mapWith(Number),
    })
    .from(venue)
    .where(and(isNotNull(venue.latitude), isNotNull(venue.longitude)))
    .groupBy(venue.commune, venue.postcode);
  return {
    communes: [...communes].sort(collator.compare),
    territories: [...territories.values()].sort((a, b) => collator.compare(a.name, b.name)),
    eventCount: rows.reduce((sum, r) => sum + r.events, 0),
    places,
  };
}

/** Great-circle distance in km from the venue to a point (haversine; null for a venue without coordinates). */
function venueDistanceKm(point: Pick<NearFilter, 'latitude' | 'longitude'>): SQL {
  const lat = sql`${point.latitude}::double precision`;
  const lon = sql`${point.longitude}::double precision`;
  return sql`12742 * asin(least(1, sqrt(power(sin(radians(${venue.latitude} - ${lat}) / 2), 2) + cos(radians(${lat})) * cos(radians(${venue.latitude})) * power(sin(radians(${venue.longitude} - ${lon}) / 2), 2))))`;
}

/** One event of the programme list: its own columns, with its seats, place and territory. */
export type ProgrammeRow = Pick<
  typeof event.$inferSelect,
  'id' | 'title' | 'translations' | 'category' | 'audience' | 'startsAt' | 'endsAt' | 'capacity' | 'accessibilityOffered' | 'onlineUrl'
> & {
  state: PublicState;
  /** Confirmed seats. */
  taken: number;
  venueName: string | null;
  venueAddress: string | null;
  venueLatitude: number | null;
  venueLongitude: number | null;
  venuePostcode: string | null;
  commune: string | null;
  /** Printed with each event: whom a person without internet calls. */
  organiserName: string;
  organiserPhone: string | null;
  timeZone: string;
  territoryName: string;
};

/** The bits of access_mask (migration programme_flat_cost) for these features. */
export function accessMask(features: readonly AccessFeature[]): number {
  return features.reduce((mask, f) => mask | (1 << ACCESS_FEATURES.indexOf(f)), 0);
}

/** What a programme is cut to besides its filters: one territory's events (its printed booklet). */
export interface ProgrammeScope {
  territoryId?: number;
}

/**
 * The WHERE of the programme for these filters (also used by the programme calendar feed). Every
 * condition reads a column of the event row held by event_programme_order_idx (the commune through
 * the venue ids that have it), so a count or a page reads that index alone. A feed keeps cancelled
 * events under « places left » (`keepCancelled`): calendars that had them must see them cancelled.
 */
export function programmeConditions(editionId: number, filters: ProgrammeFilters, options: { keepCancelled?: boolean } & ProgrammeScope = {}): SQL {
  const conditions: SQL[] = [eq(event.editionId, editionId), sql`${event.state} in (${PUBLIC})`];
  if (options.territoryId !== undefined) conditions.push(eq(event.territoryId, options.territoryId));
  if (filters.territory) conditions.push(sql`${event.territoryId} in (select ${territory.id} from ${territory} where ${territory.slug} = ${filters.territory.slug})`);
  if (filters.day) {
    // In each event's own wall-clock time (both territories share one programme): an event is on
    // that day when it overlaps it, so an exhibition over several days is found.
    conditions.push(sql`${event.startsLocal} < (${filters.day}::date + 1)::timestamp`, sql`${event.endsLocal} > ${filters.day}::date::timestamp`);
  }
  if (filters.commune) conditions.push(sql`${event.venueId} in (select ${venue.id} from ${venue} where ${venue.commune} = ${filters.commune})`);
  if (filters.category) conditions.push(eq(event.category, filters.category));
  if (filters.audience) conditions.push(eq(event.audience, filters.audience));
  if (filters.access.length > 0) {
    const mask = accessMask(filters.access);
    conditions.push(sql`(${event.accessMask} & ${mask}) = ${mask}`);
  }
  if (filters.placesLeft) {
    const left = sql`(${event.state} = 'published' and ${event.hasPlaces})`;
    conditions.push(options.keepCancelled ? sql`(${event.state} = 'cancelled' or ${left})` : left);
  }
  if (filters.q) conditions.push(sql`${event.searchVector} @@ websearch_to_tsquery('french_unaccent', ${filters.q})`);
  if (filters.near) conditions.push(sql`${event.venueId} in (select ${venue.id} from ${venue} where ${venueDistanceKm(filters.near)} <= ${filters.near.radiusKm})`);
  return and(...conditions)!;
}

/** Which rows of the programme a page shows. */
export interface PageWindow {
  limit: number;
  offset: number;
}

export function pageWindow(filters: ProgrammeFilters): PageWindow {
  return filters.all ? { limit: ALL_ON_ONE_PAGE_MAX, offset: 0 } : { limit: PAGE_SIZE, offset: (filters.page - 1) * PAGE_SIZE };
}

/**
 * The programme's order: local wall-clock time (so that each territory's events sort by the time
 * people read on the page), then id — the programme index's order. Shared by every list of the
 * programme (pages, open data), so they list events alike.
 */
export const programmeOrder: SQL[] = [asc(event.startsLocal), asc(event.id)];

/**
 * One page of the programme, in local wall-clock order (so that each territory's events sort by
 * the time people read on the page), with the number of matching events (`total`, when the caller
 * already knows it: the public pages keep it per filters, whatever the page). The page's ids come
 * from the programme index alone — read from its far end for the second half, so no page costs
 * more than half the match — and only those events are then read whole.
 */
export async function searchProgramme(
  db: Database,
  editionId: number,
  filters: ProgrammeFilters,
  options: { window?: PageWindow; total?: number; scope?: ProgrammeScope } = {},
): Promise<{ rows: ProgrammeRow[]; total: number }> {
  const { limit, offset } = options.window ?? pageWindow(filters);
  const total = options.total ?? (await countProgramme(db, editionId, filters, options.scope));
  if (offset >= total) return { rows: [], total };
  const where = programmeConditions(editionId, filters, options.scope);
  const fromEnd = offset > total / 2;
  const ids = (
    await db
      .select({ id: event.id })
      .from(event)
      .where(where)
      .orderBy(...(fromEnd ? [desc(event.startsLocal), desc(event.id)] : programmeOrder))
      .limit(fromEnd ? Math.min(limit, total - offset) : limit)
      .offset(fromEnd ? Math.max(0, total - offset - limit) : offset)
  ).map((r) => r.id);
  if (fromEnd) ids.reverse();
  const rows = ids.length === 0 ? [] : await loadProgrammeRows(db, ids);
  return { rows, total };
}

/** The events with these ids, whole, in the ids' order. */
async function loadProgrammeRows(db: Database, ids: number[]): Promise<ProgrammeRow[]> {
  const rows = await db
    .select({
      id: event.id,
      title: event.title,
      translations: event.translations,
      category: event.category,
      audience: event.audience,
      state: event.state,
      startsAt: event.startsAt,
      endsAt: event.endsAt,
      capacity: event.capacity,
      taken: event.seatsTaken,
      accessibilityOffered: event.accessibilityOffered,
      onlineUrl: event.onlineUrl,
      venueName: venue.name,
      venueAddress: venue.address,
      venueLatitude: venue.latitude,
      venueLongitude: venue.longitude,
      venuePostcode: venue.postcode,
      commune: venue.commune,
      organiserName: organisation.name,
      organiserPhone: organisation.contactPhone,
      timeZone: territory.timeZone,
      territoryName: territory.name,
    })
    .from(event)
    .innerJoin(territory, eq(territory.id, event.territoryId))
    .innerJoin(organisation, eq(organisation.id, event.organisationId))
    .leftJoin(venue, eq(venue.id, event.venueId))
    .where(sql`${event.id} = any(${pgArray(ids)}::int[])`);
  const byId = new Map(rows.map((row) => [row.id, { ...row, state: row.state as PublicState }]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

export async function countProgramme(db: Database, editionId: number, filters: ProgrammeFilters, scope: ProgrammeScope = {}): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int`.mapWith(Number) })
    .from(event)
    .where(programmeConditions(editionId, filters, scope));
  return row?.n ?? 0;
}
