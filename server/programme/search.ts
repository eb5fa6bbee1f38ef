// The programme: its facets (communes, event count) and one page of it for a set of filters.
// No HTTP here.
import { and, eq, inArray, isNotNull, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { event, organisation, territory, venue } from '../db/schema.ts';
import { ALL_ON_ONE_PAGE_MAX, PAGE_SIZE, type NearFilter, type PlacePoint, type ProgrammeFilters } from './filters.ts';
import { PUBLIC_STATES, type PublicState } from '../domain/vocabulary.ts';
import { confirmedSeats } from './rules.ts';

export interface ProgrammeFacets {
  /** Communes where the edition's public events take place, in French alphabetical order. */
  communes: string[];
  /** Public events of the edition (published and cancelled). */
  eventCount: number;
  /** Where the venues with coordinates are, per commune and postcode: the reference points of « près de ». */
  places: PlacePoint[];
}

const collator = new Intl.Collator('fr', { sensitivity: 'base' });

export async function loadProgrammeFacets(db: Database, editionId: number): Promise<ProgrammeFacets> {
  const rows = await db
    .select({ commune: venue.commune, events: sql<number>`count(*)::int`.mapWith(Number) })
    .from(event)
    .leftJoin(venue, eq(venue.id, event.venueId))
    .where(and(eq(event.editionId, editionId), inArray(event.state, PUBLIC_STATES)))
    .groupBy(venue.commune);
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
    communes: rows.flatMap((r) => (r.commune ? [r.commune] : [])).sort(collator.compare),
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
  'id' | 'title' | 'category' | 'audience' | 'startsAt' | 'endsAt' | 'capacity' | 'accessibilityOffered' | 'onlineUrl'
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
    const left = sql`${event.state} = 'published' and (${event.capacity} is null or ${event.capacity} > ${confirmedSeats})`;
    conditions.push(options.keepCancelled ? sql`(${event.state} = 'cancelled' or (${left}))` : left);
  }
  if (filters.q) conditions.push(sql`${event.searchVector} @@ websearch_to_tsquery('french_unaccent', ${filters.q})`);
  if (filters.near) conditions.push(sql`${venueDistanceKm(filters.near)} <= ${filters.near.radiusKm}`);
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
      total: sql<number>`count(*) over ()`.mapWith(Number),
    })
    .from(event)
    .innerJoin(territory, eq(territory.id, event.territoryId))
    .innerJoin(organisation, eq(organisation.id, event.organisationId))
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
