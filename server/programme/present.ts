// What the public pages show, in words: times in each territory's zone, places badges, the
// registration status of an event. Plain values for the templates, which stay free of rules.
import {
  ACCESS_FEATURE_INFO,
  AUDIENCE_LABELS,
  CATEGORY_LABELS,
  EVENT_STATE_LABELS,
  ORGANISATION_KIND_LABELS,
  VENUE_FACT_LABELS,
  type AccessFeature,
  type PublicState,
} from '../domain/vocabulary.ts';
import { dayKey, formatCalendarDay, formatDateTime, formatRange, formatTime, zoneNote } from '../lib/time.ts';
import { registrationWindow } from '../registrations/index.ts';
import { SOURCE_LANGUAGE, formatNumber, t } from '../i18n/index.ts';
import { eventText } from '../domain/event-text.ts';
import type { PublicEvent } from './public-event.ts';
import { placesLeft } from './rules.ts';
import type { ProgrammeRow } from './search.ts';

export interface Badge {
  kind: 'cancelled' | 'full' | 'left' | 'free';
  text: string;
}

export function placesBadge(e: { state: PublicState; capacity: number | null; taken: number }): Badge {
  if (e.state === 'cancelled') return { kind: 'cancelled', text: EVENT_STATE_LABELS.cancelled };
  const left = placesLeft(e);
  if (left === null) return { kind: 'free', text: t('programme:badge.free') };
  if (left === 0) return { kind: 'full', text: t('programme:badge.full') };
  return { kind: 'left', text: t('programme:badge.left', { count: left, n: formatNumber(left) }) };
}

export interface AccessTag {
  feature: AccessFeature;
  label: string;
}

export function accessTags(features: readonly AccessFeature[]): AccessTag[] {
  return features.map((feature) => ({ feature, label: ACCESS_FEATURE_INFO[feature].label }));
}

/** « 14 h 00 – 16 h 00 », or both days when an event spans several. */
function timeRange(start: Date, end: Date, zone: string): string {
  if (dayKey(start, zone) === dayKey(end, zone)) return `${formatTime(start, zone)} – ${formatTime(end, zone)}`;
  return formatRange(start, end, zone);
}

export interface ProgrammeItem {
  id: number;
  href: string;
  /** In the page's language when the organiser wrote one, else in French (`titleLanguage`). */
  title: string;
  titleLanguage: string;
  startIso: string;
  time: string;
  zoneNote: string | null;
  category: string;
  place: string | null;
  venueName: string | null;
  /** The street address, for the printed programme. */
  address: string | null;
  commune: string | null;
  organiser: { name: string; phone: string | null };
  online: boolean;
  access: AccessTag[];
  badge: Badge;
  cancelled: boolean;
  /** Where the venue is (for the map), when it has coordinates. */
  point: { latitude: number; longitude: number } | null;
}

export interface DayGroup {
  day: string;
  heading: string;
  items: ProgrammeItem[];
}

/**
 * Rows grouped under their local day (each territory's own zone). With a day filter every
 * row belongs to that day, including an exhibition that opened the day before.
 */
export function groupByDay(rows: readonly ProgrammeRow[], filterDay: string | null): DayGroup[] {
  const groups: DayGroup[] = [];
  for (const row of rows) {
    const day = filterDay ?? dayKey(row.startsAt, row.timeZone);
    let group = groups[groups.length - 1];
    if (!group || group.day !== day) {
      group = groups.find((g) => g.day === day);
      if (!group) {
        group = { day, heading: capitalise(formatCalendarDay(day)), items: [] };
        groups.push(group);
      }
    }
    const text = eventText({ title: row.title, summary: '', translations: row.translations });
    group.items.push({
      id: row.id,
      href: `/evenements/${row.id}`,
      title: text.title,
      titleLanguage: text.titleLanguage,
      startIso: row.startsAt.toISOString(),
      time: timeRange(row.startsAt, row.endsAt, row.timeZone),
      zoneNote: zoneNote(row.timeZone),
      category: CATEGORY_LABELS[row.category],
      place: row.venueName ? `${row.venueName}, ${row.commune}` : null,
      venueName: row.venueName,
      address: row.venueAddress ? `${row.venueAddress}, ${row.venuePostcode} ${row.commune}` : null,
      commune: row.commune,
      organiser: { name: row.organiserName, phone: row.organiserPhone },
      online: row.onlineUrl !== null,
      access: accessTags(row.accessibilityOffered),
      badge: placesBadge(row),
      cancelled: row.state === 'cancelled',
      point: row.venueLatitude !== null && row.venueLongitude !== null ? { latitude: row.venueLatitude, longitude: row.venueLongitude } : null,
    });
  }
  return groups;
}

export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** « 42 événements », « 1 événement », « Aucun événement ». */
export function countEvents(n: number): string {
  if (n === 0) return t('programme:count.none');
  return t('programme:count.events', { count: n, n: formatNumber(n) });
}

export type RegistrationStatus =
  | { kind: 'cancelled' }
  | { kind: 'past' }
  | { kind: 'not_yet'; opensAt: string; free: boolean }
  | { kind: 'closed'; closedAt: string; free: boolean }
  | { kind: 'free'; closesAt: string | null }
  | { kind: 'open'; closesAt: string | null; left: number }
  | { kind: 'waitlist'; closesAt: string | null };

/**
 * Whether one can register now, by the registration feature's own window rule (it closes at
 * the closing time, or when the event starts). Free entry needs no registration, yet one may
 * register to ask for an arrangement; a full event takes people on its waiting list.
 */
export function registrationStatus(e: PublicEvent, now: Date): RegistrationStatus {
  const zone = e.territory.timeZone;
  const free = e.capacity === null;
  if (e.state === 'cancelled') return { kind: 'cancelled' };
  if (e.startsAt <= now) return { kind: 'past' };
  const window = registrationWindow(e, now);
  if (window === 'not_yet_open' && e.registrationOpensAt) return { kind: 'not_yet', opensAt: formatDateTime(e.registrationOpensAt, zone), free };
  if (window !== 'open') return { kind: 'closed', closedAt: formatDateTime(e.registrationClosesAt ?? e.startsAt, zone), free };
  const closesAt = e.registrationClosesAt ? formatDateTime(e.registrationClosesAt, zone) : null;
  const left = placesLeft(e);
  if (left === null) return { kind: 'free', closesAt };
  return left > 0 ? { kind: 'open', closesAt, left } : { kind: 'waitlist', closesAt };
}

/** The instants at which what the event page says changes without any write (window, deadline…). */
export function eventPageBoundaries(e: PublicEvent): Date[] {
  return [e.registrationOpensAt, e.registrationClosesAt, e.accessRequestDeadline, e.startsAt, e.endsAt].filter((d): d is Date => d !== null);
}

/** A web address safe to put in href: http(s) only (never javascript: and the like). */
export function httpUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.toString() : null;
  } catch {
    return null;
  }
}

/** Text with blank-line-separated paragraphs, for templates to wrap in <p>. */
export function paragraphs(text: string | null | undefined): string[] {
  return (text ?? '')
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

export interface EventPageView {
  id: number;
  /** The title and summary in the page's language when the organiser wrote them, else in French. */
  title: string;
  titleLanguage: string;
  summaryLanguage: string;
  /** The language of what has no translation (description, easy read, notes): the organiser's. */
  sourceLanguage: string;
  cancelled: boolean;
  cancellationReason: string | null;
  when: string;
  zoneNote: string | null;
  past: boolean;
  category: string;
  audience: string;
  summary: string[];
  description: string[];
  easyRead: string[];
  contentNote: string | null;
  venue: PublicEvent['venue'];
  venueFacts: string[];
  onlineUrl: string | null;
  access: AccessTag[];
  organisation: PublicEvent['organisation'] & { kindLabel: string };
  badge: Badge;
  capacity: number | null;
  registration: RegistrationStatus;
  registerHref: string;
  deadline: { text: string; passed: boolean } | null;
  territoryName: string;
  editionYear: number;
}

export function presentEvent(e: PublicEvent, now: Date): EventPageView {
  const zone = e.territory.timeZone;
  const text = eventText(e);
  return {
    id: e.id,
    title: text.title,
    titleLanguage: text.titleLanguage,
    summaryLanguage: text.summaryLanguage,
    sourceLanguage: SOURCE_LANGUAGE,
    cancelled: e.state === 'cancelled',
    cancellationReason: e.cancellationReason,
    when: capitalise(formatRange(e.startsAt, e.endsAt, zone)),
    zoneNote: zoneNote(zone),
    past: e.endsAt <= now,
    category: CATEGORY_LABELS[e.category],
    audience: AUDIENCE_LABELS[e.audience],
    summary: paragraphs(text.summary),
    description: paragraphs(e.description),
    easyRead: paragraphs(e.easyReadSummary),
    contentNote: e.contentNote,
    venue: e.venue,
    venueFacts: (e.venue?.facts ?? []).map((f) => VENUE_FACT_LABELS[f]),
    onlineUrl: httpUrl(e.onlineUrl),
    access: accessTags(e.accessibilityOffered),
    organisation: { ...e.organisation, website: httpUrl(e.organisation.website), kindLabel: ORGANISATION_KIND_LABELS[e.organisation.kind] },
    badge: placesBadge(e),
    capacity: e.capacity,
    registration: registrationStatus(e, now),
    registerHref: `/evenements/${e.id}/inscription`,
    deadline: e.accessRequestDeadline
      ? { text: formatDateTime(e.accessRequestDeadline, zone), passed: e.accessRequestDeadline <= now }
      : null,
    territoryName: e.territory.name,
    editionYear: e.edition.year,
  };
}
