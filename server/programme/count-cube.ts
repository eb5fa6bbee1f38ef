// How many events match a set of filters, without reading the events: the edition's public
// events counted once per combination of what the filters read (territory, commune, category,
// audience, access bits, places, first and last local day), then summed in memory for any filters
// but the text search and « près de » (issue 18: a filter combination nobody asked before costs
// no scan of the edition). Exact: each condition is the one programmeConditions writes in SQL.
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { event, territory, venue } from '../db/schema.ts';
import { PUBLIC_STATES } from '../domain/vocabulary.ts';
import type { ProgrammeFilters } from './filters.ts';
import { accessMask } from './search.ts';

export interface CountCell {
  territorySlug: string;
  commune: string | null;
  category: string;
  audience: string;
  accessMask: number;
  /** Published with places left or free entry (the « places » filter). */
  open: boolean;
  /** Local days the event overlaps, yyyy-mm-dd. */
  firstDay: string;
  lastDay: string;
  events: number;
}

const PUBLIC = sql.raw(PUBLIC_STATES.map((state) => `'${state}'`).join(', '));

export async function loadCountCube(db: Database, editionId: number): Promise<CountCell[]> {
  const cells = db
    .select({
      territoryId: event.territoryId,
      venueId: event.venueId,
      category: event.category,
      audience: event.audience,
      accessMask: sql<number>`${event.accessMask}`.as('access_mask'),
      open: sql<boolean>`(${event.state} = 'published' and ${event.hasPlaces})`.as('open'),
      firstDay: sql<string>`(${event.startsLocal})::date::text`.as('first_day'),
      // An event ending at midnight does not overlap the day that starts then.
      lastDay: sql<string>`(${event.endsLocal} - interval '1 microsecond')::date::text`.as('last_day'),
      events: sql<number>`count(*)`.as('events'),
    })
    .from(event)
    .where(and(eq(event.editionId, editionId), sql`${event.state} in (${PUBLIC})`))
    .groupBy(sql`1, 2, 3, 4, 5, 6, 7, 8`)
    .as('cells');
  const rows = await db
    .select({
      territorySlug: territory.slug,
      commune: venue.commune,
      category: cells.category,
      audience: cells.audience,
      accessMask: cells.accessMask,
      open: cells.open,
      firstDay: cells.firstDay,
      lastDay: cells.lastDay,
      events: cells.events,
    })
    .from(cells)
    .innerJoin(territory, eq(territory.id, cells.territoryId))
    .leftJoin(venue, eq(venue.id, cells.venueId));
  return rows.map((r) => ({ ...r, accessMask: Number(r.accessMask), events: Number(r.events), open: Boolean(r.open) }));
}

/** Whether the cube can count these filters (not the text search, not a distance). */
export function countableFromCube(filters: ProgrammeFilters): boolean {
  return filters.q === null && filters.near === null;
}

export function countFromCube(cube: readonly CountCell[], filters: ProgrammeFilters): number {
  const mask = accessMask(filters.access);
  let total = 0;
  for (const c of cube) {
    if (filters.territory && c.territorySlug !== filters.territory.slug) continue;
    if (filters.day && (c.firstDay > filters.day || c.lastDay < filters.day)) continue;
    if (filters.commune && c.commune !== filters.commune) continue;
    if (filters.category && c.category !== filters.category) continue;
    if (filters.audience && c.audience !== filters.audience) continue;
    if ((c.accessMask & mask) !== mask) continue;
    if (filters.placesLeft && !c.open) continue;
    total += c.events;
  }
  return total;
}
