// Events as CalendarEvents, read from the database with their territory, organisation and venue.
import { and, eq, sql, type SQL } from 'drizzle-orm';
import { queryRows, type Database } from '../db/client.ts';
import { event, organisation, territory, venue } from '../db/schema.ts';
import { venueFactsOf } from '../domain/venue.ts';
import { AUDIENCE_LABELS, CATEGORY_LABELS, type Audience, type EventCategory, type VenueFact } from '../domain/vocabulary.ts';
import { eventUid, type CalendarEvent } from './calendar-event.ts';

export interface LoadOptions {
  publicUrl: string;
  /** Extra condition (drizzle SQL over the event/venue/organisation/territory tables). */
  where?: SQL;
  /** Sort: by start (default). */
  limit?: number;
}

/** The columns a CalendarEvent needs, in one query with its joins. */
const columns = {
  id: event.id,
  title: event.title,
  summary: event.summary,
  description: event.description,
  category: event.category,
  audience: event.audience,
  startsAt: event.startsAt,
  endsAt: event.endsAt,
  onlineUrl: event.onlineUrl,
  accessibilityOffered: event.accessibilityOffered,
  contentNote: event.contentNote,
  state: event.state,
  sequence: event.sequence,
  cancellationReason: event.cancellationReason,
  updatedAt: event.updatedAt,
  translations: event.translations,
  timeZone: territory.timeZone,
  organisationName: organisation.name,
  organisationEmail: organisation.contactEmail,
  venueId: venue.id,
  venueName: venue.name,
  venueAddress: venue.address,
  venuePostcode: venue.postcode,
  venueCommune: venue.commune,
  venueLatitude: venue.latitude,
  venueLongitude: venue.longitude,
  venueAccessDirections: venue.accessDirections,
  stepFreeEntrance: venue.stepFreeEntrance,
  accessibleToilets: venue.accessibleToilets,
  reservedParking: venue.reservedParking,
  inductionLoop: venue.inductionLoop,
  quietRoom: venue.quietRoom,
};
type ColumnData<K extends keyof typeof columns> = (typeof columns)[K]['_']['data'];
/** The venue's columns: null for an event without a venue (left join), whatever the table says. */
type VenueColumn = Extract<keyof typeof columns, `venue${string}` | VenueFact>;
/** A row of `columns`, as a select would type it. */
export type CalendarEventRow = {
  [K in keyof typeof columns]: K extends VenueColumn ? ColumnData<K> | null : (typeof columns)[K]['_']['notNull'] extends true ? ColumnData<K> : ColumnData<K> | null;
};

export function toCalendarEvent(row: CalendarEventRow, publicUrl: string): CalendarEvent {
  return {
    id: row.id,
    title: row.title,
    summary: row.summary,
    description: row.description,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    timeZone: row.timeZone,
    venue:
      row.venueId !== null
        ? {
            id: row.venueId,
            name: row.venueName!,
            address: row.venueAddress!,
            postcode: row.venuePostcode!,
            commune: row.venueCommune!,
            latitude: row.venueLatitude,
            longitude: row.venueLongitude,
            accessDirections: row.venueAccessDirections,
            facts: venueFactsOf(row),
          }
        : null,
    onlineUrl: row.onlineUrl,
    categories: [CATEGORY_LABELS[row.category as EventCategory] ?? row.category, AUDIENCE_LABELS[row.audience as Audience] ?? row.audience],
    organiser: { name: row.organisationName, email: row.organisationEmail },
    accessibilityOffered: row.accessibilityOffered,
    state: row.state,
    sequence: row.sequence,
    updatedAt: row.updatedAt,
    url: `${publicUrl}/evenements/${row.id}`,
    path: `/evenements/${row.id}`,
    translations: row.translations,
    uid: eventUid(row.id, publicUrl),
    contentNote: row.contentNote,
    cancellationReason: row.cancellationReason,
  };
}

const columnEntries = Object.entries(columns) as Array<[keyof CalendarEventRow, (typeof columns)[keyof CalendarEventRow]]>;

/**
 * An event row as one JSON array (as text), rather than 31 columns: PGlite decodes every field of
 * a result separately (a buffer copy and a text decoding each), which made loading a 2,000-event
 * feed cost more than building it; JSON.parse is one native call per row, on either driver.
 * Select it from `eventTables`.
 */
export const eventRow: SQL = sql`json_build_array(${sql.join(Object.values(columns), sql`, `)})::text`;

/** What eventRow reads: an event with its territory, organisation and venue. */
export const eventTables: SQL = sql`${event}
  join ${territory} on ${territory.id} = ${event.territoryId}
  join ${organisation} on ${organisation.id} = ${event.organisationId}
  left join ${venue} on ${venue.id} = ${event.venueId}`;

/** An eventRow's text as a CalendarEvent: values mapped by their drizzle column, as a select would. */
export function calendarEventFromRow(text: string, publicUrl: string): CalendarEvent {
  const values = JSON.parse(text) as unknown[];
  const mapped: Record<string, unknown> = {};
  columnEntries.forEach(([name, column], i) => {
    const value = values[i] ?? null;
    mapped[name] = value === null ? null : column.mapFromDriverValue(value as never);
  });
  return toCalendarEvent(mapped as CalendarEventRow, publicUrl);
}

/** Events as CalendarEvents, ordered by start. `where` is any condition over the joined tables. */
export async function loadCalendarEvents(db: Database, options: LoadOptions): Promise<CalendarEvent[]> {
  const rows = await queryRows<{ row: string }>(
    db,
    sql`select ${eventRow} as row from ${eventTables}
        where ${options.where ?? sql`true`}
        order by ${event.startsAt}, ${event.id}
        ${options.limit !== undefined ? sql`limit ${options.limit}` : sql``}`,
  );
  return rows.map(({ row }) => calendarEventFromRow(row, options.publicUrl));
}

/** One event (any state: a mail about a cancellation needs the cancelled event), or null. */
export async function loadCalendarEvent(db: Database, publicUrl: string, eventId: number, where?: SQL): Promise<CalendarEvent | null> {
  const [found] = await loadCalendarEvents(db, { publicUrl, where: and(eq(event.id, eventId), where), limit: 1 });
  return found ?? null;
}
