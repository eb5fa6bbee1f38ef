// A venue as the public sees it, on event pages, in calendar feeds, invites and mails: where it
// is, how to get in, and its access facts as a list. Derived from the venue table, so a column
// is declared once.
import type { venue } from '../db/schema.ts';
import { VENUE_FACTS, type VenueFact } from './vocabulary.ts';

type VenueRow = typeof venue.$inferSelect;

export type PublicVenue = Pick<VenueRow, 'id' | 'name' | 'address' | 'postcode' | 'commune' | 'latitude' | 'longitude' | 'accessDirections'> & {
  facts: VenueFact[];
};

/** The facts a venue has, in vocabulary order; null (a venue missing from a left join) has none. */
export function venueFactsOf(columns: Record<VenueFact, boolean | null>): VenueFact[] {
  return VENUE_FACTS.filter((fact) => columns[fact] === true);
}

/** A venue row (or the columns read of it) as the public sees it. */
export function publicVenue(v: Omit<PublicVenue, 'facts'> & Pick<VenueRow, VenueFact>): PublicVenue {
  return {
    id: v.id,
    name: v.name,
    address: v.address,
    postcode: v.postcode,
    commune: v.commune,
    latitude: v.latitude,
    longitude: v.longitude,
    accessDirections: v.accessDirections,
    facts: venueFactsOf(v),
  };
}
