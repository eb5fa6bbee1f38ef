// An organisation's venues. A venue is where its events happen, so moving a venue (a new address)
// moves the published events held there: their registrants are told, like any change of place.
import { and, asc, eq, gt, isNull, or } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { event, venue } from '../db/schema.ts';
import { VENUE_FACTS, type VenueFact } from '../domain/vocabulary.ts';
import { announcePublishedChange } from './history.ts';
import { venueLabel } from './rules.ts';

export type VenueRow = typeof venue.$inferSelect;

export interface VenueFields {
  name: string;
  address: string;
  postcode: string;
  commune: string;
  facts: VenueFact[];
  accessDirections: string | null;
  /** WGS 84 degrees, both or neither. */
  latitude: number | null;
  longitude: number | null;
}

/** The venue table's columns for these fields (the facts become one boolean column each). */
export function venueColumns(fields: VenueFields) {
  return {
    name: fields.name,
    address: fields.address,
    postcode: fields.postcode,
    commune: fields.commune,
    accessDirections: fields.accessDirections,
    latitude: fields.latitude,
    longitude: fields.longitude,
    ...Object.fromEntries(VENUE_FACTS.map((fact) => [fact, fields.facts.includes(fact)])),
  } as Pick<typeof venue.$inferInsert, 'name' | 'address' | 'postcode' | 'commune' | 'accessDirections' | 'latitude' | 'longitude' | VenueFact>;
}

export function venueFacts(v: VenueRow): VenueFact[] {
  return VENUE_FACTS.filter((fact) => v[fact]);
}

/** Creates a venue owned by an organisation (in the caller's transaction when given one). */
export async function createVenue(db: Database, organisationId: number, territoryId: number, fields: VenueFields): Promise<VenueRow> {
  const [row] = await db
    .insert(venue)
    .values({ organisationId, territoryId, ...venueColumns(fields) })
    .returning();
  return row!;
}

/** The venues an organisation may hold events in: its own, and the territory's shared ones. */
export async function usableVenues(db: Database, organisationId: number, territoryId: number): Promise<VenueRow[]> {
  return db
    .select()
    .from(venue)
    .where(or(eq(venue.organisationId, organisationId), and(isNull(venue.organisationId), eq(venue.territoryId, territoryId))))
    .orderBy(asc(venue.name), asc(venue.id));
}

export async function organisationVenues(db: Database, organisationId: number): Promise<VenueRow[]> {
  return db.select().from(venue).where(eq(venue.organisationId, organisationId)).orderBy(asc(venue.name), asc(venue.id));
}

export async function getVenue(db: Database, venueId: number): Promise<VenueRow | undefined> {
  const [row] = await db.select().from(venue).where(eq(venue.id, venueId));
  return row;
}

/**
 * Updates a venue. Every event held there gets `updated_at = now` (pages and feeds show the
 * venue); when the place itself changes (name, address, postcode, commune), each upcoming
 * published event there is announced as changed, with a new sequence.
 */
export async function updateVenue(db: Database, venueId: number, fields: VenueFields, actorUserId: number, now: Date): Promise<{ announced: number }> {
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(venue).where(eq(venue.id, venueId)).for('update');
    if (!before) throw new Error(`venue ${venueId} not found`);
    const [after] = await tx.update(venue).set(venueColumns(fields)).where(eq(venue.id, venueId)).returning();
    const oldLabel = venueLabel(before);
    const newLabel = venueLabel(after);
    await tx.update(event).set({ updatedAt: now }).where(eq(event.venueId, venueId));
    if (oldLabel === newLabel) return { announced: 0 };
    const upcoming = await tx
      .select()
      .from(event)
      .where(and(eq(event.venueId, venueId), eq(event.state, 'published'), gt(event.endsAt, now)))
      .orderBy(asc(event.id))
      .for('update');
    for (const ev of upcoming) {
      await announcePublishedChange(tx, ev, [{ field: 'venue', before: oldLabel, after: newLabel }], actorUserId, now);
    }
    return { announced: upcoming.length };
  });
}
