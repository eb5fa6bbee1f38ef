// One public event's page: what the organiser wrote, with its place, organisation and seats.
// No HTTP here.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { edition, event, organisation, territory, venue } from '../db/schema.ts';
import { publicVenue, type PublicVenue } from '../domain/venue.ts';
import type { EventFields } from '../events/index.ts';
import { PUBLIC_STATES, type PublicState } from '../domain/vocabulary.ts';
import type { EventTranslations } from '../domain/event-text.ts';

/** What the organiser wrote (EventFields), with what the public page adds to it. */
export interface PublicEvent extends EventFields, Pick<typeof event.$inferSelect, 'id' | 'cancellationReason' | 'sequence' | 'updatedAt'> {
  state: PublicState;
  /** Confirmed seats. */
  taken: number;
  territory: Pick<typeof territory.$inferSelect, 'id' | 'name' | 'slug' | 'timeZone'>;
  edition: Pick<typeof edition.$inferSelect, 'id' | 'year' | 'theme' | 'firstDay' | 'lastDay'>;
  organisation: Pick<typeof organisation.$inferSelect, 'id' | 'name' | 'kind' | 'contactEmail' | 'contactPhone' | 'website'>;
  venue: PublicVenue | null;
  /** The organiser's title and summary in other languages (absent from the organiser's preview). */
  translations?: EventTranslations;
}

/** An event's own columns as the public reads them (its page, the open-data exports). */
export const publicEventColumns = {
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
  taken: event.seatsTaken,
  accessibilityOffered: event.accessibilityOffered,
  contentNote: event.contentNote,
  cancellationReason: event.cancellationReason,
  updatedAt: event.updatedAt,
};

function publicEventQuery(db: Database) {
  return db
    .select({
      ...publicEventColumns,
      translations: event.translations,
      registrationOpensAt: event.registrationOpensAt,
      registrationClosesAt: event.registrationClosesAt,
      accessRequestDeadline: event.accessRequestDeadline,
      sequence: event.sequence,
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
