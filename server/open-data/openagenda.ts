// One event in OpenAgenda's v2 structure (schema.ts), from an export row.
import type { Config } from '../config.ts';
import { ACCESS_FEATURE_INFO, AUDIENCE_LABELS, CATEGORY_LABELS, openAgendaAccessibility, VENUE_FACT_LABELS, type Audience } from '../domain/vocabulary.ts';
import { SOURCE_LANGUAGE, currentLanguage, inLanguage, localPath } from '../i18n/index.ts';
import { slugify } from '../lib/slug.ts';
import { isoInZone } from '../lib/time.ts';
import { httpUrl, placesLeft } from '../programme/index.ts';
import type { OpenDataRow } from './query.ts';
import { ATTENDANCE_MODE, OPENAGENDA_STATUS, type OpenDataEvent } from './schema.ts';

/** OpenAgenda's `age`: only audiences with an age range (the words of AUDIENCE_LABELS) have one. */
const AUDIENCE_AGE: Partial<Record<Audience, { min: number | null; max: number | null }>> = {
  jeunes: { min: 12, max: 25 },
  adultes: { min: 18, max: null },
};

/** OpenAgenda's short description holds 200 characters. */
const SHORT_DESCRIPTION_MAX = 200;

function short(text: string): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  return clean.length <= SHORT_DESCRIPTION_MAX ? clean : `${clean.slice(0, SHORT_DESCRIPTION_MAX - 1).trimEnd()}…`;
}

/** The event's public page, in the current language. */
export function eventUrl(config: Pick<Config, 'publicUrl'>, eventId: number, rest = ''): string {
  return `${config.publicUrl}${localPath(`/evenements/${eventId}${rest}`)}`;
}

type Multilingual = { fr: string } & Record<string, string>;

/**
 * A text keyed by language, as OpenAgenda writes them: the organiser's French, and beside it each
 * translation they wrote (event.translations) that has this text.
 */
function multilingual(french: string, translations: OpenDataRow['translations'], pick: (t: { title: string; summary: string }) => string | undefined): Multilingual {
  const text: Multilingual = { fr: french };
  for (const [code, translated] of Object.entries(translations ?? {})) {
    const value = code === SOURCE_LANGUAGE ? undefined : pick(translated)?.trim();
    if (value) text[code] = value;
  }
  return text;
}

/** The category's and audience's words in French and, when the file is in another language, in it too. */
function keywords(row: OpenDataRow): { fr: string[] } & Record<string, string[]> {
  const words = () => [CATEGORY_LABELS[row.category], AUDIENCE_LABELS[row.audience]];
  const { code } = currentLanguage();
  const french = code === SOURCE_LANGUAGE ? words() : inLanguage(SOURCE_LANGUAGE, words);
  return code === SOURCE_LANGUAGE ? { fr: french } : { fr: french, [code]: words() };
}

export function openDataStatus(row: Pick<OpenDataRow, 'state' | 'capacity' | 'taken'>): number {
  if (row.state === 'cancelled') return OPENAGENDA_STATUS.cancelled;
  return placesLeft(row) === 0 ? OPENAGENDA_STATUS.full : OPENAGENDA_STATUS.scheduled;
}

export function toOpenAgendaEvent(row: OpenDataRow, config: Pick<Config, 'publicUrl'>): OpenDataEvent {
  const zone = row.territory.timeZone;
  const url = eventUrl(config, row.id);
  const online = httpUrl(row.onlineUrl);
  const v = row.venue;
  const registration: OpenDataEvent['registration'] =
    row.state === 'cancelled' ? [] : [{ type: 'link', value: eventUrl(config, row.id, '/inscription') }, ...(row.organisation.phone ? [{ type: 'phone' as const, value: row.organisation.phone }] : [])];
  return {
    uid: row.id,
    slug: `${slugify(row.title) || 'evenement'}-${row.id}`,
    title: multilingual(row.title, row.translations, (t) => t.title),
    description: multilingual(short(row.summary), row.translations, (t) => (t.summary?.trim() ? short(t.summary) : undefined)),
    // The organiser translates the title and the summary only: the summary stands for the long text.
    longDescription: multilingual(row.description.trim() || row.summary, row.translations, (t) => t.summary),
    keywords: keywords(row),
    timings: [{ begin: isoInZone(row.startsAt, zone), end: isoInZone(row.endsAt, zone) }],
    timezone: zone,
    location: v
      ? {
          name: v.name,
          address: v.address,
          city: v.commune,
          postalCode: v.postcode,
          latitude: v.latitude,
          longitude: v.longitude,
          timezone: zone,
          access: v.accessDirections ? { fr: v.accessDirections } : null,
        }
      : null,
    accessibility: openAgendaAccessibility(row.accessibilityOffered, v?.facts ?? []),
    status: openDataStatus(row) as OpenDataEvent['status'],
    attendanceMode: v && online ? ATTENDANCE_MODE.mixed : online ? ATTENDANCE_MODE.online : ATTENDANCE_MODE.offline,
    onlineAccessLink: online,
    registration,
    age: AUDIENCE_AGE[row.audience] ?? null,
    updatedAt: isoInZone(row.updatedAt, zone),
    additionalFields: {
      url,
      category: row.category,
      audience: row.audience,
      accessibilityFeatures: row.accessibilityOffered,
      accessibilityLabels: row.accessibilityOffered.map((f) => ACCESS_FEATURE_INFO[f].label),
      venueAccessibility: (v?.facts ?? []).map((f) => VENUE_FACT_LABELS[f]),
      easyReadSummary: row.easyReadSummary,
      contentNote: row.contentNote,
      capacity: row.capacity,
      placesLeft: placesLeft(row),
      cancellationReason: row.state === 'cancelled' ? row.cancellationReason : null,
      organiser: row.organisation,
      territory: { slug: row.territory.slug, name: row.territory.name },
    },
  };
}
