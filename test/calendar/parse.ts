// Reads a feed the way a calendar client does, with ical.js: times are converted to UTC through
// the VTIMEZONE components *of the file itself* (ical.js knows no zone but UTC on its own).
import ICAL from 'ical.js';

export interface ParsedEvent {
  uid: string;
  summary: string;
  description: string;
  location: string;
  start: Date;
  end: Date;
  /** TZID the file wrote DTSTART with (null: UTC). */
  tzid: string | null;
  sequence: number;
  status: string | null;
  categories: string[];
  geo: [number, number] | null;
  url: string | null;
  organizer: string | null;
  lastModified: Date | null;
  /** X-RASSEMBLER-ACCESSIBILITY values. */
  accessibility: string[];
}

export interface ParsedFeed {
  name: string | null;
  method: string | null;
  timezones: string[];
  events: ParsedEvent[];
}

export function parseFeed(text: string): ParsedFeed {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const timezones = calendar.getAllSubcomponents('vtimezone');
  for (const vtimezone of timezones) {
    const tzid = String(vtimezone.getFirstPropertyValue('tzid'));
    if (ICAL.TimezoneService.has(tzid)) ICAL.TimezoneService.remove(tzid);
    ICAL.TimezoneService.register(vtimezone);
  }
  const events = calendar.getAllSubcomponents('vevent').map((vevent): ParsedEvent => {
    const start = vevent.getFirstPropertyValue('dtstart') as ICAL.Time;
    const end = vevent.getFirstPropertyValue('dtend') as ICAL.Time;
    const tzid = vevent.getFirstProperty('dtstart')?.getParameter('tzid');
    const geo = vevent.getFirstPropertyValue('geo') as unknown as [number, number] | null;
    const lastModified = vevent.getFirstPropertyValue('last-modified') as ICAL.Time | null;
    return {
      uid: String(vevent.getFirstPropertyValue('uid')),
      summary: String(vevent.getFirstPropertyValue('summary') ?? ''),
      description: String(vevent.getFirstPropertyValue('description') ?? ''),
      location: String(vevent.getFirstPropertyValue('location') ?? ''),
      start: start.toJSDate(),
      end: end.toJSDate(),
      tzid: typeof tzid === 'string' ? tzid : null,
      sequence: Number(vevent.getFirstPropertyValue('sequence') ?? 0),
      status: (vevent.getFirstPropertyValue('status') as string | null) ?? null,
      categories: vevent.getAllProperties('categories').flatMap((p) => p.getValues().map(String)),
      geo: geo ? [Number(geo[0]), Number(geo[1])] : null,
      url: (vevent.getFirstPropertyValue('url') as string | null) ?? null,
      organizer: (vevent.getFirstPropertyValue('organizer') as string | null) ?? null,
      lastModified: lastModified ? lastModified.toJSDate() : null,
      accessibility: vevent.getAllProperties('x-rassembler-accessibility').map((p) => String(p.getFirstValue())),
    };
  });
  return {
    name: (calendar.getFirstPropertyValue('x-wr-calname') as string | null) ?? null,
    method: (calendar.getFirstPropertyValue('method') as string | null) ?? null,
    timezones: timezones.map((tz) => String(tz.getFirstPropertyValue('tzid'))),
    events,
  };
}

/** Raw content lines (CRLF-separated), as they travel. */
export function rawLines(text: string): string[] {
  return text.split('\r\n').filter((line, i, all) => !(line === '' && i === all.length - 1));
}
