// The one iCalendar builder: feeds (server/calendar/routes.ts) and mail invites (invite.ts)
// both go through createCalendar + addEventToCalendar, so a VEVENT looks the same wherever a
// person gets it (same UID, SEQUENCE, times, text).
//
// ical-generator 11.1.2 is pinned on purpose (issue 6): 10.x folds lines with a new TextEncoder
// per character (~40× slower); npm on Node 20 would silently pick 10.x because 11 declares
// Node ≥ 22. Times are passed as Luxon DateTimes in the event's zone with TZID + VTIMEZONE: a
// plain Date with a zone label would be written in the server's local time.
import { and, eq, sql, type SQL } from 'drizzle-orm';
import ical, { ICalCalendarMethod, ICalEventStatus, type ICalAttendeeData, type ICalCalendar, type ICalEvent, type ICalOrganizer } from 'ical-generator';
import type { Config } from '../config.ts';
import { queryRows, type Database } from '../db/client.ts';
import { event, organisation, territory, venue } from '../db/schema.ts';
import {
  ACCESS_FEATURE_INFO,
  AUDIENCE_LABELS,
  CATEGORY_LABELS,
  VENUE_FACT_LABELS,
  VENUE_FACTS,
  type AccessFeature,
  type Audience,
  type EventCategory,
  type EventState,
  type VenueFact,
} from '../domain/vocabulary.ts';
import { isUsableZone, vtimezone, ZoneInstants } from './vtimezone.ts';

/** Everything a VEVENT says about an event: a plain object, independent of the tables. */
export interface CalendarEvent {
  id: number;
  title: string;
  summary: string;
  description: string;
  startsAt: Date;
  endsAt: Date;
  /** IANA zone of the event's territory (Europe/Paris, Indian/Reunion…). */
  timeZone: string;
  venue: {
    name: string;
    address: string;
    postcode: string;
    commune: string;
    latitude: number | null;
    longitude: number | null;
    accessDirections?: string | null;
    /** The venue's own access facts (stepFreeEntrance…). */
    facts?: VenueFact[];
  } | null;
  onlineUrl: string | null;
  /** Labels (category, audience), in French. */
  categories: string[];
  organiser: { name: string; email: string | null };
  accessibilityOffered: AccessFeature[];
  state: EventState;
  sequence: number;
  updatedAt: Date;
  /** The public page of the event (absolute URL). */
  url: string;
  /** Its UID (eventUid): stable for its whole life, whatever changes. */
  uid: string;
  contentNote?: string | null;
  cancellationReason?: string | null;
}

export type CalendarMethod = 'PUBLISH' | 'REQUEST' | 'CANCEL';

export interface CalendarOptions {
  /** Shown by clients as the calendar's name (X-WR-CALNAME). */
  name?: string;
  /** iTIP method: REQUEST / CANCEL for mail invites; none for downloads and feeds. */
  method?: CalendarMethod;
  /** Suggested refresh interval for subscribed feeds, in seconds. */
  ttl?: number;
}

export interface EventOptions {
  /** Override the UID (mail invites use one per registration). Default: the event's. */
  uid?: string;
  /** Default: the event's sequence. */
  sequence?: number;
  /** Default: CANCELLED for a cancelled event, CONFIRMED otherwise. */
  status?: 'CONFIRMED' | 'TENTATIVE' | 'CANCELLED';
  attendee?: ICalAttendeeData;
  /** Required: calendar clients (and iTIP) expect one on every event; see organizerOf. */
  organizer: ICalOrganizer;
  /** DTSTAMP. Default: updatedAt, so an unchanged event gives byte-identical output. */
  stamp?: Date;
}

/** The address part of « Nom <adresse> ». */
function addressOf(mailbox: string): string {
  return /<([^>]+)>/.exec(mailbox)?.[1]?.trim() ?? mailbox.trim();
}

/** What writing calendar text needs from the configuration: links, and the fallback ORGANIZER. */
export type CalendarConfig = Pick<Config, 'publicUrl' | 'mailFrom'>;

/** The ORGANIZER of an event: its organisation, at its contact address or else the platform's (MAIL_FROM). */
export function organizerOf(data: CalendarEvent, mailFrom: string): ICalOrganizer {
  return { name: data.organiser.name, email: data.organiser.email ?? addressOf(mailFrom) };
}

/** The host UIDs end with, per public URL (parsing a URL for each of 2,000 entries showed in profiles). */
function uidHost(publicUrl: string): string {
  let host = hosts.get(publicUrl);
  if (host === undefined) hosts.set(publicUrl, (host = new URL(publicUrl).hostname));
  return host;
}
const hosts = new Map<string, string>();

/** The UID of an event: stable for its whole life, whatever changes. */
function eventUid(eventId: number, publicUrl: string): string {
  return `event-${eventId}@${uidHost(publicUrl)}`;
}

/**
 * The UID of one person's entry for an event: mail invites, the personal feed and the manage
 * page's download all use it, so a cancellation invite removes the very entry they created.
 */
export function registrationUid(registrationId: number, publicUrl: string): string {
  return `registration-${registrationId}@${uidHost(publicUrl)}`;
}

/**
 * What a calendar made by createCalendar carries besides its events: its options (the envelope:
 * VERSION, PRODID, METHOD, NAME…), the instants already placed in each zone (shared by its
 * events), and the years each event's times fall in, in its zone (for the VTIMEZONEs).
 */
interface CalendarState {
  options: CalendarOptions;
  instants: Map<string, ZoneInstants>;
  years: WeakMap<ICalEvent, readonly [number, number]>;
}
const calendarState = new WeakMap<ICalCalendar, CalendarState>();

/** The calendar object without events: its text is the envelope. */
function envelopeOf(options: CalendarOptions): ICalCalendar {
  // No zone on the calendar: ical-generator would then write DTSTAMP / LAST-MODIFIED as local
  // times without TZID. Each event carries its own TZID; assembleCalendar adds the VTIMEZONEs.
  return ical({
    prodId: { company: 'Rassembler', product: 'Agenda SISM', language: 'FR' },
    name: options.name ? calendarName(options.name) : null,
    method: options.method ? ICalCalendarMethod[options.method] : null,
    ttl: options.ttl ?? null,
  });
}

/** A calendar to add events to (addEventToCalendar), written out by serializeCalendar. */
export function createCalendar(options: CalendarOptions = {}): ICalCalendar {
  const calendar = envelopeOf(options);
  calendarState.set(calendar, { options, instants: new Map(), years: new WeakMap() });
  return calendar;
}

function stateOf(calendar: ICalCalendar): CalendarState {
  const state = calendarState.get(calendar);
  if (!state) throw new Error('calendar not made by createCalendar');
  return state;
}

/**
 * One VEVENT as text (folded, CRLF-terminated), with what the calendar around it needs: the zone
 * its times are written in and the years they fall in there (null: written in UTC). Feeds keep
 * them between generations (entries.ts).
 */
export interface CalendarEntry {
  body: string;
  timeZone: string | null;
  years: readonly [number, number] | null;
}

/** The events of a calendar, as entries, in the order they were added. */
export function calendarEntries(calendar: ICalCalendar): CalendarEntry[] {
  const state = stateOf(calendar);
  return calendar.events().map((ev) => ({ body: foldLines(ev.toString()), timeZone: ev.timezone(), years: state.years.get(ev) ?? null }));
}

export function serializeCalendar(calendar: ICalCalendar): string {
  return assembleCalendar(stateOf(calendar).options, calendarEntries(calendar));
}

/**
 * A calendar's text from its entries: the envelope written by ical-generator, one VTIMEZONE per
 * zone used (covering the years of all entries), the entries. ical-generator's own calendar
 * serialisation is not used: its line folding (a character-by-character string concatenation over
 * the whole text) took three quarters of a 2,000-event feed's generation time. Every line ends
 * with CRLF, the last one too.
 */
export function assembleCalendar(options: CalendarOptions, entries: readonly CalendarEntry[]): string {
  const envelope = envelopeOf(options).toString();
  const parts = [envelope.slice(0, envelope.lastIndexOf('END:VCALENDAR'))];
  const zones = new Set<string>();
  let from = Infinity;
  let to = -Infinity;
  for (const entry of entries) {
    if (entry.timeZone) zones.add(entry.timeZone);
    if (entry.years) {
      from = Math.min(from, entry.years[0]);
      to = Math.max(to, entry.years[1]);
    }
  }
  if (!Number.isFinite(from)) from = to = new Date().getUTCFullYear();
  for (const zone of zones) {
    const component = vtimezone(zone, from, to);
    if (component) parts.push(component, '\r\n');
  }
  for (const entry of entries) parts.push(entry.body);
  parts.push('END:VCALENDAR\r\n');
  return parts.join('');
}

/**
 * RFC 5545 §3.1: content lines longer than 75 octets are split with CRLF + space, never inside a
 * UTF-8 character. `text` is CRLF-terminated lines. One pass over the characters, copying the
 * text between folds as slices: splitting every VEVENT into lines and joining them again cost
 * more than ical-generator's own serialisation of the event.
 */
export function foldLines(text: string): string {
  let folded = '';
  let copied = 0; // text[0, copied) is in `folded` already
  let bytes = 0;
  let limit = 75; // the first line; continuation lines spend one octet on the leading space
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x0d && text.charCodeAt(i + 1) === 0x0a) {
      bytes = 0;
      limit = 75;
      i++;
      continue;
    }
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code >= 0xd800 && code <= 0xdbff ? 4 : 3;
    if (bytes + size > limit) {
      folded += `${text.slice(copied, i)}\r\n `;
      copied = i;
      bytes = 0;
      limit = 74;
    }
    bytes += size;
    if (size === 4) i++; // the low surrogate travels with its pair
  }
  return copied === 0 ? text : folded + text.slice(copied);
}

/** « LSF, Accès fauteuil » */
export function accessibilityLabels(features: readonly AccessFeature[]): string[] {
  return features.map((f) => ACCESS_FEATURE_INFO[f]?.label ?? f);
}

export function calendarSummary(data: Pick<CalendarEvent, 'title' | 'state'>): string {
  return data.state === 'cancelled' ? `ANNULÉ – ${data.title}` : data.title;
}

/** Plain-text DESCRIPTION: what, access, where, and the link back. */
export function calendarDescription(data: CalendarEvent): string {
  const parts: string[] = [];
  if (data.state === 'cancelled') {
    parts.push(`Cet événement est annulé.${data.cancellationReason ? ` Motif : ${data.cancellationReason}` : ''}`);
  }
  parts.push(data.summary);
  if (data.description && data.description !== data.summary) parts.push(data.description);
  if (data.contentNote) parts.push(`Avertissement sur le contenu : ${data.contentNote}`);
  parts.push(
    data.accessibilityOffered.length > 0
      ? `Accessibilité proposée : ${accessibilityLabels(data.accessibilityOffered).join(', ')}.`
      : 'Accessibilité : aucun aménagement annoncé. Vous pouvez en demander un en vous inscrivant.',
  );
  if (data.venue?.facts && data.venue.facts.length > 0) parts.push(`Le lieu : ${data.venue.facts.map((f) => VENUE_FACT_LABELS[f]).join(', ')}.`);
  if (data.venue?.accessDirections) parts.push(`Accès : ${data.venue.accessDirections}`);
  if (data.onlineUrl) parts.push(`En ligne : ${data.onlineUrl}`);
  parts.push(`Organisé par ${data.organiser.name}.`);
  parts.push(`Informations et inscription : ${data.url}`);
  return parts.join('\n\n');
}

/** ical-generator writes NAME / X-WR-CALNAME unescaped: one line, TEXT escapes applied here. */
function calendarName(text: string): string {
  return text.replace(/\s+/g, ' ').trim().replace(/[\\;,]/g, (c) => `\\${c}`);
}

export function addEventToCalendar(calendar: ICalCalendar, data: CalendarEvent, options: EventOptions): ICalEvent {
  const state = stateOf(calendar);
  // An unknown zone would make Luxon dates invalid (ical-generator throws): fall back to UTC
  // instants, which are still correct.
  const zone = isUsableZone(data.timeZone) ? data.timeZone : null;
  let instants = zone ? state.instants.get(zone) : undefined;
  if (zone && !instants) {
    instants = new ZoneInstants(zone);
    state.instants.set(zone, instants);
  }
  let start = instants?.at(data.startsAt);
  let end = instants?.at(data.endsAt);
  // A local time the autumn change repeats (02:30 on 25 October 2026 in Paris) means, per RFC 5545,
  // its first occurrence: such an event is written in UTC rather than risk an hour's error.
  if (start?.repeated || end?.repeated) start = end = undefined;

  const venueAddress = data.venue ? `${data.venue.address}, ${data.venue.postcode} ${data.venue.commune}` : null;
  const geo =
    data.venue && data.venue.latitude !== null && data.venue.longitude !== null ? { lat: data.venue.latitude, lon: data.venue.longitude } : undefined;
  const status = options.status ?? (data.state === 'cancelled' ? 'CANCELLED' : 'CONFIRMED');

  // One property per value: a TEXT list would need escaped commas, which some parsers keep.
  const x: Array<[string, string]> = [
    ...data.accessibilityOffered.map((feature): [string, string] => ['X-RASSEMBLER-ACCESSIBILITY', feature]),
    ...(data.venue?.facts ?? []).map((fact): [string, string] => ['X-RASSEMBLER-VENUE-ACCESS', fact]),
  ];
  if (data.onlineUrl) x.push(['X-RASSEMBLER-ONLINE-URL', data.onlineUrl]);

  const created = calendar.createEvent({
    id: options.uid ?? data.uid,
    sequence: options.sequence ?? data.sequence,
    stamp: options.stamp ?? data.updatedAt,
    lastModified: data.updatedAt,
    start: start?.time ?? data.startsAt,
    end: end?.time ?? data.endsAt,
    timezone: start ? zone : null,
    summary: calendarSummary(data),
    description: calendarDescription(data),
    location: data.venue
      ? { title: data.venue.name, address: venueAddress ?? undefined, geo }
      : data.onlineUrl
        ? { title: `En ligne : ${data.onlineUrl}` }
        : null,
    url: data.url,
    categories: data.categories.map((name) => ({ name })),
    organizer: options.organizer,
    attendees: options.attendee ? [options.attendee] : [],
    status: ICalEventStatus[status],
    x,
  });
  if (start && end) state.years.set(created, [start.year, end.year]);
  return created;
}

// ——— Loading events from the database ———

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
            name: row.venueName!,
            address: row.venueAddress!,
            postcode: row.venuePostcode!,
            commune: row.venueCommune!,
            latitude: row.venueLatitude,
            longitude: row.venueLongitude,
            accessDirections: row.venueAccessDirections,
            facts: VENUE_FACTS.filter((fact) => row[fact] === true),
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
