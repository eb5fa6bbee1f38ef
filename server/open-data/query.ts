// The events of an export: the programme's condition (server/programme, same filters) and its
// order, every matching event up to OPEN_DATA_MAX, with what the exports show beyond the list
// (texts, venue facts, organiser). An organisation's or a territory's export narrows it. No HTTP.
import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { event, organisation, territory, venue } from '../db/schema.ts';
import { venueFactsOf } from '../domain/venue.ts';
import type { PublicState, VenueFact } from '../domain/vocabulary.ts';
import { programmeConditions, programmeOrder, publicEventColumns, type ProgrammeFilters } from '../programme/index.ts';

/**
 * At most this many events in one file. A national edition is a few thousand events; past this a
 * re-user narrows by territory, commune or day. `total` still says how many match.
 */
export const OPEN_DATA_MAX = 10_000;

export type OpenDataRow = Pick<
  typeof event.$inferSelect,
  | 'id'
  | 'title'
  | 'summary'
  | 'description'
  | 'easyReadSummary'
  | 'category'
  | 'audience'
  | 'startsAt'
  | 'endsAt'
  | 'onlineUrl'
  | 'capacity'
  | 'accessibilityOffered'
  | 'contentNote'
  | 'cancellationReason'
  | 'updatedAt'
  | 'translations'
> & {
  state: PublicState;
  taken: number;
  venue: { name: string; address: string; postcode: string | null; commune: string; latitude: number | null; longitude: number | null; accessDirections: string | null; facts: VenueFact[] } | null;
  organisation: { id: number; name: string; phone: string | null };
  territory: { slug: string; name: string; timeZone: string };
};

async function countOpenDataEvents(db: Database, where: SQL): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int`.mapWith(Number) })
    .from(event)
    .innerJoin(territory, eq(territory.id, event.territoryId))
    .innerJoin(organisation, eq(organisation.id, event.organisationId))
    .leftJoin(venue, eq(venue.id, event.venueId))
    .where(where);
  return row?.n ?? 0;
}

export async function loadOpenDataEvents(db: Database, editionId: number, filters: ProgrammeFilters, narrow?: SQL, limit = OPEN_DATA_MAX): Promise<{ rows: OpenDataRow[]; total: number }> {
  const where = narrow ? and(programmeConditions(editionId, filters), narrow)! : programmeConditions(editionId, filters);
  const rows = await db
    .select({
      ...publicEventColumns,
      // The organiser's own title and summary in other languages (exports put them beside the French).
      translations: event.translations,
      venueId: venue.id,
      venueName: venue.name,
      venueAddress: venue.address,
      venuePostcode: venue.postcode,
      venueCommune: venue.commune,
      latitude: venue.latitude,
      longitude: venue.longitude,
      accessDirections: venue.accessDirections,
      stepFreeEntrance: venue.stepFreeEntrance,
      accessibleToilets: venue.accessibleToilets,
      reservedParking: venue.reservedParking,
      inductionLoop: venue.inductionLoop,
      quietRoom: venue.quietRoom,
      organisationId: organisation.id,
      organisationName: organisation.name,
      organisationPhone: organisation.contactPhone,
      territorySlug: territory.slug,
      territoryName: territory.name,
      timeZone: territory.timeZone,
    })
    .from(event)
    .innerJoin(territory, eq(territory.id, event.territoryId))
    .innerJoin(organisation, eq(organisation.id, event.organisationId))
    .leftJoin(venue, eq(venue.id, event.venueId))
    .where(where)
    .orderBy(...programmeOrder)
    .limit(limit);
  // Counted apart only when the file is full: a window count would hold every wide row once more.
  const total = rows.length < limit ? rows.length : await countOpenDataEvents(db, where);
  return {
    total,
    rows: rows.map((r) => ({
      id: r.id,
      title: r.title,
      summary: r.summary,
      description: r.description,
      easyReadSummary: r.easyReadSummary,
      category: r.category,
      audience: r.audience,
      state: r.state as PublicState,
      startsAt: r.startsAt,
      endsAt: r.endsAt,
      onlineUrl: r.onlineUrl,
      capacity: r.capacity,
      taken: r.taken,
      accessibilityOffered: r.accessibilityOffered,
      contentNote: r.contentNote,
      cancellationReason: r.cancellationReason,
      updatedAt: r.updatedAt,
      translations: r.translations,
      venue:
        r.venueId === null
          ? null
          : {
              name: r.venueName ?? '',
              address: r.venueAddress ?? '',
              postcode: r.venuePostcode,
              commune: r.venueCommune ?? '',
              latitude: r.latitude,
              longitude: r.longitude,
              accessDirections: r.accessDirections,
              facts: venueFactsOf({ stepFreeEntrance: r.stepFreeEntrance, accessibleToilets: r.accessibleToilets, reservedParking: r.reservedParking, inductionLoop: r.inductionLoop, quietRoom: r.quietRoom }),
            },
      organisation: { id: r.organisationId, name: r.organisationName, phone: r.organisationPhone },
      territory: { slug: r.territorySlug, name: r.territoryName, timeZone: r.timeZone },
    })),
  };
}
