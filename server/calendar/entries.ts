// The public feeds' VEVENTs, each rendered once per version of what it shows and kept in the
// calendar_entry table. A feed is made of its events' entries, and an event's text only changes
// when the event (or its venue, organisation, territory) does; yet every change to any event made
// every feed containing it render all its events again: 250–450 ms of CPU for a 2,000-event
// programme, three quarters of it inside ical-generator (npm run bench). Now a feed renders only
// the events whose entry is missing or stale, and reads the others as text.
//
// Nothing invalidates an entry: its fingerprint is a hash, computed by the database in the very
// query that reads it, of the versions (xmin) of the rows it was rendered from — the event, its
// territory, organisation and venue: any write to one of them gives it a new version — and of the
// rendering key below. An entry whose fingerprint does not match is not used and gets replaced.
// (A hash of the rows' content would do too, but converting 2,000 rows to text on every read
// cost the database ~50 ms; versions cost nothing.)
//
// An entry is written in one language (the feed's): the rendering key is per language, so an
// entry rendered in French is not used by an English feed. The table keeps one entry per event,
// so feeds read in several languages replace each other's entries (correct, but rendered again).
import { createHash } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import type { ICalCalendar } from 'ical-generator';
import { queryRows, type Database } from '../db/client.ts';
import { currentLanguage } from '../i18n/index.ts';
import { calendarEntry, event, organisation, territory, venue } from '../db/schema.ts';
import { ACCESS_FEATURES, AUDIENCES, EVENT_CATEGORIES, VENUE_FACTS, type VenueFact } from '../domain/vocabulary.ts';
import { organizerOf, type CalendarConfig, type CalendarEvent } from './calendar-event.ts';
import { addEventToCalendar, calendarEntries, createCalendar, serializeCalendar, type CalendarEntry } from './ical.ts';
import { calendarEventFromRow, eventRow, eventTables, toCalendarEvent, type CalendarEventRow } from './load-events.ts';

/** An event as the public feeds show it (personal feeds and invites have their own UIDs). */
export function addPublicEvent(calendar: ICalCalendar, data: CalendarEvent, config: CalendarConfig): void {
  addEventToCalendar(calendar, data, { organizer: organizerOf(data, config.mailFrom) });
}

/**
 * Reference events rendered with the configuration: every category, audience, access feature and
 * venue fact, a cancelled event, an online one, one without a contact address, one at a local
 * time the autumn change repeats. Their text changes whenever a change to this code, to
 * ical-generator, to the vocabulary's labels or to the configuration changes how entries are
 * written, and its hash is part of every fingerprint: entries written before are then not used.
 */
function referenceRows(): CalendarEventRow[] {
  const at = (iso: string) => new Date(iso);
  const base: CalendarEventRow = {
    id: 1,
    title: 'Atelier « écrire ; dire, chanter »',
    summary: 'Un moment convivial.',
    description: 'Première ligne.\nDeuxième ligne, avec des virgules ; et des points-virgules.',
    category: EVENT_CATEGORIES[0],
    audience: AUDIENCES[0],
    startsAt: at('2026-10-05T07:00:00Z'),
    endsAt: at('2026-10-05T09:00:00Z'),
    onlineUrl: null,
    accessibilityOffered: [...ACCESS_FEATURES],
    contentNote: 'Évocation du deuil.',
    state: 'published',
    sequence: 0,
    cancellationReason: null,
    updatedAt: at('2026-09-01T00:00:00Z'),
    translations: { en: { title: 'Workshop: write, speak, sing', summary: 'A friendly get-together.' } },
    timeZone: 'Europe/Paris',
    organisationName: 'Association « Lien social »',
    organisationEmail: 'contact@example.org',
    venueId: 1,
    venueName: 'Salle des fêtes',
    venueAddress: '1 place de la Mairie',
    venuePostcode: '38000',
    venueCommune: 'Grenoble',
    venueLatitude: 45.19,
    venueLongitude: 5.72,
    venueAccessDirections: 'Rampe à gauche de l’accueil.',
    ...(Object.fromEntries(VENUE_FACTS.map((fact) => [fact, true])) as Record<VenueFact, boolean>),
  };
  const online = { venueId: null, venueName: null, venueAddress: null, venuePostcode: null, venueCommune: null, venueLatitude: null, venueLongitude: null, venueAccessDirections: null };
  const noFacts = Object.fromEntries(VENUE_FACTS.map((fact) => [fact, null])) as Record<VenueFact, null>;
  return [
    ...EVENT_CATEGORIES.map((category, i) => ({ ...base, id: i + 1, category, audience: AUDIENCES[i % AUDIENCES.length]! })),
    ...AUDIENCES.map((audience, i) => ({ ...base, id: 100 + i, audience })),
    { ...base, id: 200, ...online, ...noFacts, onlineUrl: 'https://visio.example.org/sism', accessibilityOffered: [], contentNote: null, organisationEmail: null, timeZone: 'Indian/Reunion' },
    { ...base, id: 201, state: 'cancelled', sequence: 2, cancellationReason: 'Intervenante malade.' },
    { ...base, id: 203, translations: {} },
    { ...base, id: 202, startsAt: at('2026-10-25T00:30:00Z'), endsAt: at('2026-10-25T01:30:00Z') },
  ];
}

const renderKeys = new Map<string, string>();

/** Per configuration and language: an entry is written in the language of the feed that rendered it. */
function renderKey(config: CalendarConfig): string {
  const known = `${config.publicUrl}\n${config.mailFrom}\n${currentLanguage().code}`;
  let key = renderKeys.get(known);
  if (key === undefined) {
    const calendar = createCalendar();
    for (const row of referenceRows()) addPublicEvent(calendar, toCalendarEvent(row, config.publicUrl), config);
    key = createHash('sha256').update(serializeCalendar(calendar)).digest('hex');
    renderKeys.set(known, key);
  }
  return key;
}

interface EntryRow {
  id: number;
  title: string;
  fingerprint: string;
  /** The entry, when one matches; else `row` (the event's row, to render). */
  body: string | null;
  row: string | null;
  time_zone: string | null;
  first_year: number | null;
  last_year: number | null;
}

/**
 * The entries of the events matching `where` (a condition over eventTables), ordered by start,
 * and the first event's title (a download's file name). Missing or stale entries are rendered and
 * stored.
 */
export async function feedEntries(db: Database, where: SQL, config: CalendarConfig): Promise<{ entries: CalendarEntry[]; firstTitle: string | null }> {
  const rows = await queryRows<EntryRow>(
    db,
    sql`select r.id, r.title, r.fingerprint, c.body, case when c.body is null then r.row end as row,
               c.time_zone, c.first_year, c.last_year
        from (select ${event.id} as id, ${event.title} as title, ${event.startsAt} as starts_at, ${eventRow} as row,
                     md5(concat_ws('/', ${event}.xmin, ${territory}.xmin, ${organisation}.xmin, coalesce(${venue}.xmin::text, '-'), ${renderKey(config)}::text)) as fingerprint
              from ${eventTables} where ${where}) r
        left join ${calendarEntry} c on c.event_id = r.id and c.language = ${currentLanguage().code} and c.fingerprint = r.fingerprint
        order by r.starts_at, r.id`,
  );
  const missing = rows.filter((r) => r.body === null);
  const rendered = new Map<number, CalendarEntry>();
  if (missing.length > 0) {
    const calendar = createCalendar();
    for (const r of missing) addPublicEvent(calendar, calendarEventFromRow(r.row!, config.publicUrl), config);
    calendarEntries(calendar).forEach((entry, i) => rendered.set(missing[i]!.id, entry));
    await storeEntries(db, missing.map((r) => ({ eventId: r.id, fingerprint: r.fingerprint, entry: rendered.get(r.id)! })));
  }
  return {
    entries: rows.map((r) => rendered.get(r.id) ?? { body: r.body!, timeZone: r.time_zone, years: r.first_year !== null && r.last_year !== null ? [r.first_year, r.last_year] : null }),
    firstTitle: rows[0]?.title ?? null,
  };
}

/**
 * One statement whatever the number of entries (one JSON parameter, no parameter limit). Two
 * processes storing the same event's entry at once: the last one wins, and both are right for
 * the fingerprint they carry.
 */
async function storeEntries(db: Database, list: Array<{ eventId: number; fingerprint: string; entry: CalendarEntry }>): Promise<void> {
  const language = currentLanguage().code;
  const records = list.map(({ eventId, fingerprint, entry }) => ({
    event_id: eventId,
    language,
    fingerprint,
    body: entry.body,
    time_zone: entry.timeZone,
    first_year: entry.years?.[0] ?? null,
    last_year: entry.years?.[1] ?? null,
  }));
  await db.execute(sql`
    insert into ${calendarEntry} (event_id, language, fingerprint, body, time_zone, first_year, last_year)
    select event_id, language, fingerprint, body, time_zone, first_year, last_year
    from json_populate_recordset(null::calendar_entry, ${JSON.stringify(records)}::json)
    on conflict (event_id, language) do update
      set fingerprint = excluded.fingerprint, body = excluded.body, time_zone = excluded.time_zone,
          first_year = excluded.first_year, last_year = excluded.last_year`);
}
