// Times are stored in UTC and shown in the territory's zone. Formatting goes through Intl
// formatters cached per zone (creating one costs far more than using it); parsing of what a
// person typed goes through Luxon, which knows about DST gaps and overlaps.
// Words and formats follow the language of the moment (server/i18n).
import { DateTime } from 'luxon';
import { currentLanguage, t } from '../i18n/index.ts';

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string, kind: 'day' | 'time' | 'key' | 'short'): Intl.DateTimeFormat {
  const locale = kind === 'key' ? 'en-CA' : currentLanguage().locale;
  const key = `${zone}|${kind}|${locale}`;
  let f = formatters.get(key);
  if (!f) {
    const options: Intl.DateTimeFormatOptions =
      kind === 'day'
        ? { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }
        : kind === 'short'
          ? { weekday: 'short', day: 'numeric', month: 'short' }
          : kind === 'time'
            ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
            : { year: 'numeric', month: '2-digit', day: '2-digit' };
    f = new Intl.DateTimeFormat(locale, { ...options, timeZone: zone });
    formatters.set(key, f);
  }
  return f;
}

/** « mardi 6 octobre 2026 » */
export function formatDay(date: Date, zone: string): string {
  return formatter(zone, 'day').format(date);
}

/** « mar. 6 oct. » */
export function formatShortDay(date: Date, zone: string): string {
  return formatter(zone, 'short').format(date);
}

/** « 14 h 00 » */
export function formatTime(date: Date, zone: string): string {
  const parts = formatter(zone, 'time').formatToParts(date);
  const hour = parts.find((p) => p.type === 'hour')?.value ?? '00';
  const minute = parts.find((p) => p.type === 'minute')?.value ?? '00';
  return t('common:time.hourMinute', { hour, minute });
}

/** « 2026-10-06 »: the local calendar day, for grouping and filters. */
export function dayKey(date: Date, zone: string): string {
  return formatter(zone, 'key').format(date);
}

/** « mardi 6 octobre 2026, 14 h 00 – 16 h 00 », or both days when the event spans several. */
export function formatRange(start: Date, end: Date, zone: string): string {
  if (dayKey(start, zone) === dayKey(end, zone)) {
    return t('common:time.sameDayRange', { day: formatDay(start, zone), start: formatTime(start, zone), end: formatTime(end, zone) });
  }
  return t('common:time.multiDayRange', { startDay: formatDay(start, zone), start: formatTime(start, zone), endDay: formatDay(end, zone), end: formatTime(end, zone) });
}

/** « mardi 6 octobre 2026 à 14 h 00 » */
export function formatDateTime(date: Date, zone: string): string {
  return t('common:time.dateAtTime', { day: formatDay(date, zone), time: formatTime(date, zone) });
}

// The overseas zones a territory may be in, by their name in the catalogue (common:time.zone.*).
const ZONE_LABELS: Record<string, string> = {
  'Indian/Reunion': 'reunion',
  'Indian/Mayotte': 'mayotte',
  'America/Martinique': 'martinique',
  'America/Guadeloupe': 'guadeloupe',
  'America/Cayenne': 'guyane',
  'America/Miquelon': 'miquelon',
  'Pacific/Noumea': 'noumea',
  'Pacific/Tahiti': 'tahiti',
};

/**
 * « heure de La Réunion » for a territory outside metropolitan time; null in Paris time. Pages and
 * mails both print it next to a time, so a person overseas never reads Paris time by mistake.
 */
export function zoneNote(zone: string): string | null {
  if (zone === 'Europe/Paris') return null;
  const name = ZONE_LABELS[zone];
  return name ? t(`common:time.zone.${name}`) : t('common:time.localZone', { zone });
}

/** A formatted time with its zone note: « mardi 6 octobre 2026 à 14 h 00 (heure de La Réunion) ». */
export function withZoneNote(text: string, zone: string): string {
  const note = zoneNote(zone);
  return note ? t('common:time.withZone', { text, zone: note }) : text;
}

/** How many local calendar days from `from` to `to` in the zone (0: the same day, 1: the next…). */
export function calendarDaysBetween(from: Date, to: Date, zone: string): number {
  // Through the cached Intl formatter: the cockpit asks it for thousands of events per page.
  const day = (d: Date) => Date.parse(`${dayKey(d, zone)}T00:00:00Z`);
  return Math.round((day(to) - day(from)) / 86_400_000);
}

/** A calendar day (yyyy-mm-dd) as a long French date, without any zone shift. */
export function formatCalendarDay(isoDay: string): string {
  return formatDay(new Date(`${isoDay}T12:00:00Z`), 'UTC');
}

/** The UTC instants bounding a local calendar day in a zone: [start, end). */
export function dayBounds(isoDay: string, zone: string): [Date, Date] | null {
  const start = DateTime.fromISO(isoDay, { zone });
  if (!start.isValid || !/^\d{4}-\d{2}-\d{2}$/.test(isoDay)) return null;
  return [start.toJSDate(), start.plus({ days: 1 }).toJSDate()];
}

export type LocalTimeResult =
  | { ok: true; date: Date }
  | { ok: false; reason: 'invalid' | 'nonexistent' | 'ambiguous'; candidates?: Date[] };

/**
 * A local date and time typed by a person (« 2026-10-25 », « 02:30 ») in a zone. A time skipped
 * by the spring DST change is `nonexistent`; one repeated by the autumn change is `ambiguous`
 * unless `offsetMinutes` says which of the two is meant.
 */
export function parseLocalDateTime(day: string, time: string, zone: string, offsetMinutes?: number): LocalTimeResult {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || !/^\d{1,2}:\d{2}$/.test(time)) return { ok: false, reason: 'invalid' };
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const wall = DateTime.fromObject({ year: y, month: m, day: d, hour: hh, minute: mm }, { zone: 'UTC' });
  if (!wall.isValid || !DateTime.local().setZone(zone).isValid) return { ok: false, reason: 'invalid' };
  // Every offset the zone uses around that moment; keep those that map back to the same wall time.
  const around = [-12, 0, 12].map((h) => DateTime.fromMillis(wall.toMillis() + h * 3_600_000, { zone }).offset);
  const candidates = [...new Set(around)]
    .map((offset) => wall.toMillis() - offset * 60_000)
    .filter((ms) => {
      const back = DateTime.fromMillis(ms, { zone });
      return back.hour === hh && back.minute === mm && back.day === d;
    })
    .sort((a, b) => a - b)
    .map((ms) => new Date(ms));
  if (candidates.length === 0) return { ok: false, reason: 'nonexistent' };
  if (candidates.length > 1) {
    if (offsetMinutes !== undefined) {
      const chosen = candidates.find((c) => DateTime.fromJSDate(c, { zone }).offset === offsetMinutes);
      if (chosen) return { ok: true, date: chosen };
    }
    return { ok: false, reason: 'ambiguous', candidates };
  }
  return { ok: true, date: candidates[0]! };
}

/** Local « yyyy-mm-dd » and « HH:MM » of an instant, to refill a form. */
export function toLocalParts(date: Date, zone: string): { day: string; time: string; offset: number } {
  const dt = DateTime.fromJSDate(date, { zone });
  return { day: dt.toFormat('yyyy-MM-dd'), time: dt.toFormat('HH:mm'), offset: dt.offset };
}

/** A zone's offset is asked for again and again (every event of a programme export): kept per quarter of an hour, when offsets change. */
const offsets = new Map<string, number>();
const QUARTER_HOUR = 15 * 60_000;

function zoneOffsetMinutes(date: Date, zone: string): number {
  const key = `${zone}|${Math.floor(date.getTime() / QUARTER_HOUR)}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    if (offsets.size >= 10_000) offsets.clear();
    offset = DateTime.fromJSDate(date, { zone }).offset;
    offsets.set(key, offset);
  }
  return offset;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** ISO 8601 to the second with the zone's offset: « 2026-10-06T14:00:00+02:00 ». */
export function isoInZone(date: Date, zone: string): string {
  const offset = zoneOffsetMinutes(date, zone);
  const local = new Date(date.getTime() + offset * 60_000).toISOString().slice(0, 19);
  const abs = Math.abs(offset);
  return `${local}${offset < 0 ? '-' : '+'}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}
