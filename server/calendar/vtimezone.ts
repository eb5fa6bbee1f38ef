// Time zones for the calendar files, from the IANA database the runtime ships (no extra package):
//  - `vtimezone()`: the VTIMEZONE component ical-generator's `timezone.generator` asks for. Each
//    real offset change in the years covered becomes one STANDARD/DAYLIGHT observance with its
//    exact local start, so a client that knows nothing about « Europe/Paris » still converts
//    DTSTART;TZID=… right — including the night of the October change, close to the SISM.
//  - `ZoneInstants`: Luxon DateTimes in the event's zone, one per distinct instant, whose offsets
//    come from the same transition table. Profiling a 2,000-event feed showed Luxon's own IANA
//    zone spending most of the time in Intl.DateTimeFormat#formatToParts (one call per
//    DateTime); the table answers with a binary search and is computed once per zone and year.
import type { ICalLuxonDateTimeStub } from 'ical-generator';
import { DateTime, IANAZone, Zone } from 'luxon';

const HOUR = 3_600_000;

interface Transition {
  /** Instant of the change (ms). */
  at: number;
  /** Offsets in minutes east of UTC, before and after. */
  from: number;
  to: number;
}

interface YearTable {
  /** Offset at 1 January 00:00 local. */
  initial: number;
  start: number;
  end: number;
  transitions: Transition[];
}

const validZones = new Map<string, boolean>();

/** A zone name Luxon and ical-generator can use (cached: the check builds an Intl formatter). */
export function isUsableZone(zone: string): boolean {
  let valid = validZones.get(zone);
  if (valid === undefined) {
    valid = zone !== 'UTC' && IANAZone.isValidZone(zone);
    validZones.set(zone, valid);
  }
  return valid;
}

const tables = new Map<string, YearTable>();

function ianaOffset(ms: number, zone: string): number {
  return IANAZone.create(zone).offset(ms);
}

/** The instant (to the minute) at which the offset changes, between lo (old) and hi (new). */
function findChange(lo: number, hi: number, zone: string): number {
  const before = ianaOffset(lo, zone);
  while (hi - lo > 60_000) {
    const mid = lo + Math.floor((hi - lo) / 2 / 60_000) * 60_000;
    if (ianaOffset(mid, zone) === before) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** Every offset change of `zone` in `year` (local 1 January to local 1 January next). */
function yearTable(zone: string, year: number): YearTable {
  const key = `${zone}|${year}`;
  let table = tables.get(key);
  if (table) return table;
  const startDt = DateTime.fromObject({ year, month: 1, day: 1 }, { zone: IANAZone.create(zone) });
  const start = startDt.toMillis();
  const end = DateTime.fromObject({ year: year + 1, month: 1, day: 1 }, { zone: IANAZone.create(zone) }).toMillis();
  const transitions: Transition[] = [];
  // Offsets change at most a few times a year, never twice within 12 hours: scan in 12 h steps.
  let previous = startDt.offset;
  for (let ms = start; ms < end; ms += 12 * HOUR) {
    const next = Math.min(ms + 12 * HOUR, end);
    const offset = ianaOffset(next, zone);
    if (offset !== previous) {
      transitions.push({ at: findChange(ms, next, zone), from: previous, to: offset });
      previous = offset;
    }
  }
  table = { initial: startDt.offset, start, end, transitions };
  tables.set(key, table);
  return table;
}

/** Offset (minutes) of `zone` at instant `ms`, from the table. */
function tableOffset(zone: string, ms: number): number {
  let year = new Date(ms).getUTCFullYear();
  let table = yearTable(zone, year);
  // Around New Year the UTC year and the local year differ.
  if (ms < table.start) table = yearTable(zone, --year);
  else if (ms >= table.end) table = yearTable(zone, ++year);
  let offset = table.initial;
  for (const t of table.transitions) {
    if (ms < t.at) break;
    offset = t.to;
  }
  return offset;
}

/**
 * An IANA zone for Luxon whose offsets come from the table. It is equal to Luxon's own zone of
 * the same name, so `setZone('Europe/Paris')` (which ical-generator calls) keeps the DateTime.
 */
class TableZone extends Zone {
  constructor(private readonly zoneName: string) {
    super();
  }
  override get type() {
    return 'iana';
  }
  override get name() {
    return this.zoneName;
  }
  override get isUniversal() {
    return false;
  }
  override get isValid() {
    return true;
  }
  override offsetName(ts: number, options: { format?: 'short' | 'long'; locale?: string }) {
    return IANAZone.create(this.zoneName).offsetName(ts, options);
  }
  override formatOffset(ts: number, format: 'narrow' | 'short' | 'techie') {
    return IANAZone.create(this.zoneName).formatOffset(ts, format);
  }
  override offset(ts: number) {
    return tableOffset(this.zoneName, ts);
  }
  override equals(other: Zone) {
    return other.type === 'iana' && other.name === this.zoneName;
  }
}

const zones = new Map<string, TableZone>();

/** `ms` as a Luxon DateTime in `zone` (a usable IANA zone). */
function zonedDateTime(ms: number, zone: string): DateTime {
  let z = zones.get(zone);
  if (!z) zones.set(zone, (z = new TableZone(zone)));
  return DateTime.fromMillis(ms, { zone: z });
}

/**
 * True when the wall-clock time of `ms` happens twice in `zone` (the hour the clocks go back):
 * the instants [change − shift, change + shift) around a backward change.
 */
function isRepeatedLocalTime(ms: number, zone: string): boolean {
  // The year around `ms` in local time, and its neighbour only within a day of New Year: each
  // year's table costs hundreds of offset lookups, a tenth of a second in a new process.
  const year = new Date(ms).getUTCFullYear();
  const years = [year];
  if (ms - Date.UTC(year, 0, 1) < 24 * HOUR) years.push(year - 1);
  if (Date.UTC(year + 1, 0, 1) - ms < 24 * HOUR) years.push(year + 1);
  for (const y of years) {
    for (const t of yearTable(zone, y).transitions) {
      const shift = (t.from - t.to) * 60_000;
      if (shift > 0 && ms >= t.at - shift && ms < t.at + shift) return true;
    }
  }
  return false;
}

/**
 * A DateTime as ical-generator takes it (its ICalLuxonDateTimeStub), each pattern formatted once:
 * ical-generator writes DTSTART and DTEND with two Luxon toFormat calls each, and every call
 * builds a Locale and a Formatter and parses the pattern again (a fifth of the serialisation of
 * a 2,000-event feed in profiles). Shared by the events starting or ending at the same instant.
 */
class FormattedDateTime implements ICalLuxonDateTimeStub {
  private readonly formatted = new Map<string, string>();

  constructor(private readonly dateTime: DateTime) {}

  get isValid(): boolean {
    return this.dateTime.isValid;
  }
  get zone(): Zone {
    return this.dateTime.zone;
  }
  setZone(zone?: string): ICalLuxonDateTimeStub {
    // ical-generator asks for the event's own zone: already there.
    return zone === this.dateTime.zoneName ? this : this.dateTime.setZone(zone);
  }
  toFormat(pattern: string): string {
    let text = this.formatted.get(pattern);
    if (text === undefined) this.formatted.set(pattern, (text = this.dateTime.toFormat(pattern)));
    return text;
  }
  toJSDate(): Date {
    return this.dateTime.toJSDate();
  }
  toJSON(): string | null {
    return this.dateTime.toJSON();
  }
}

/** An instant in a zone: its time there for ical-generator, its local year, and whether that wall-clock time is repeated. */
export interface ZonedInstant {
  time: ICalLuxonDateTimeStub;
  year: number;
  repeated: boolean;
}

/**
 * The instants of one zone (a usable IANA zone), each placed once: a programme has many events
 * starting at the same hour, and each DateTime costs a Luxon Locale and an offset lookup.
 */
export class ZoneInstants {
  private readonly placed = new Map<number, ZonedInstant>();

  constructor(private readonly zone: string) {}

  at(date: Date): ZonedInstant {
    const ms = date.getTime();
    let instant = this.placed.get(ms);
    if (!instant) {
      const dateTime = zonedDateTime(ms, this.zone);
      instant = { time: new FormattedDateTime(dateTime), year: dateTime.year, repeated: isRepeatedLocalTime(ms, this.zone) };
      this.placed.set(ms, instant);
    }
    return instant;
  }
}

/** ±hhmm as VTIMEZONE writes offsets. */
function offsetText(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
}

function observance(zone: string, at: number, from: number, to: number): string[] {
  const dt = DateTime.fromMillis(at, { zone: IANAZone.create(zone) });
  const kind = dt.isInDST ? 'DAYLIGHT' : 'STANDARD';
  // DTSTART of an observance is local time as it was *before* the change (TZOFFSETFROM).
  const localBefore = DateTime.fromMillis(at + from * 60_000, { zone: 'UTC' });
  const name = dt.setLocale('en-GB').offsetNameShort ?? offsetText(to);
  return [
    `BEGIN:${kind}`,
    `TZOFFSETFROM:${offsetText(from)}`,
    `TZOFFSETTO:${offsetText(to)}`,
    `TZNAME:${name}`,
    `DTSTART:${localBefore.toFormat("yyyyLLdd'T'HHmmss")}`,
    `END:${kind}`,
  ];
}

const components = new Map<string, string | null>();

/**
 * The VTIMEZONE of `zone` covering 1 January of `fromYear` to 31 December of `toYear`: the
 * observance in force on 1 January, then every transition in the range. Null for an unknown zone.
 */
export function vtimezone(zone: string, fromYear: number, toYear: number): string | null {
  const key = `${zone}|${fromYear}|${toYear}`;
  const cached = components.get(key);
  if (cached !== undefined) return cached;
  let text: string | null = null;
  if (isUsableZone(zone)) {
    const first = yearTable(zone, fromYear);
    const lines = ['BEGIN:VTIMEZONE', `TZID:${zone}`, `X-LIC-LOCATION:${zone}`, ...observance(zone, first.start, first.initial, first.initial)];
    for (let year = fromYear; year <= toYear; year++) {
      for (const t of yearTable(zone, year).transitions) lines.push(...observance(zone, t.at, t.from, t.to));
    }
    lines.push('END:VTIMEZONE');
    text = lines.join('\r\n');
  }
  components.set(key, text);
  return text;
}
