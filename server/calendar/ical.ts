// The one iCalendar builder: feeds (server/calendar/routes.ts) and mail invites (invite.ts)
// both go through createCalendar + addEventToCalendar, so a VEVENT looks the same wherever a
// person gets it (same UID, SEQUENCE, times, text).
//
// ical-generator 11.1.2 is pinned on purpose (issue 6): 10.x folds lines with a new TextEncoder
// per character (~40× slower); npm on Node 20 would silently pick 10.x because 11 declares
// Node ≥ 22. Times are passed as Luxon DateTimes in the event's zone with TZID + VTIMEZONE: a
// plain Date with a zone label would be written in the server's local time.
import ical, { ICalCalendarMethod, ICalEventStatus, type ICalAttendeeData, type ICalCalendar, type ICalEvent, type ICalOrganizer } from 'ical-generator';
import { currentLanguage, t } from '../i18n/index.ts';
import { eventPageUrl, type CalendarEvent } from './calendar-event.ts';
import { calendarDescription, calendarSummary } from './description.ts';
import { foldLines } from './fold.ts';
import { isUsableZone, vtimezone, ZoneInstants } from './vtimezone.ts';

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
  /** The person's entry while they are on the waiting list: its SUMMARY says so. */
  waitlisted?: boolean;
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
    prodId: { company: 'Rassembler', product: 'Agenda SISM', language: currentLanguage().code.toUpperCase() },
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
    summary: calendarSummary(data, { waitlisted: options.waitlisted }),
    description: calendarDescription(data),
    location: data.venue
      ? { title: data.venue.name, address: venueAddress ?? undefined, geo }
      : data.onlineUrl
        ? { title: t('calendar:location.online', { url: data.onlineUrl }) }
        : null,
    url: eventPageUrl(data),
    categories: data.categories.map((name) => ({ name })),
    organizer: options.organizer,
    attendees: options.attendee ? [options.attendee] : [],
    status: ICalEventStatus[status],
    x,
  });
  if (start && end) state.years.set(created, [start.year, end.year]);
  return created;
}
