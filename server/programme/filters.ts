// The programme's filters, as they travel in the URL of a GET form: parsed from the query string
// (unknown or malformed values are dropped with a notice in the page's language, never an error), and written
// back in one canonical order — the same string keys the page cache, builds the pagination and
// "remove this filter" links, and is handed to the calendar feed.
import {
  ACCESS_FEATURES,
  ACCESS_FEATURE_INFO,
  AUDIENCE_LABELS,
  CATEGORY_LABELS,
  isAccessFeature,
  isAudience,
  isEventCategory,
  type AccessFeature,
  type Audience,
  type EventCategory,
} from '../domain/vocabulary.ts';
import { formatCalendarDay } from '../lib/time.ts';
import { t } from '../i18n/index.ts';

export const PAGE_SIZE = 30;
/** « Tout sur une page » (to print): a territory's programme fits; a national one is cut here. */
export const ALL_ON_ONE_PAGE_MAX = 1_000;
export const MAX_SEARCH_LENGTH = 200;
/** « Près de chez moi »: the radius when none is given, and the largest one taken (km). */
export const DEFAULT_RADIUS_KM = 10;
export const MAX_RADIUS_KM = 100;
/** Beyond this a page number is a typo or a crawler, not a person. */
const MAX_PAGE = 10_000;

/** A territory as the programme names it: its slug travels in the URL, its name is shown. */
export interface TerritoryOption {
  slug: string;
  name: string;
}

export interface ProgrammeFilters {
  /** One territory of an instance that hosts several (a national or regional programme). */
  territory: TerritoryOption | null;
  /** A day of the edition, yyyy-mm-dd, in each territory's own zone. */
  day: string | null;
  commune: string | null;
  category: EventCategory | null;
  audience: Audience | null;
  /** Every one of these must be offered (AND). Sorted in vocabulary order. */
  access: AccessFeature[];
  /** Only events one can still join: places left or free entry, not cancelled. */
  placesLeft: boolean;
  /** Free text, for PostgreSQL French full-text search. */
  q: string | null;
  /** « Près de chez moi »: events whose venue lies within the radius of a commune or postcode. */
  near: NearFilter | null;
  page: number;
  /** Every matching event on one page (the printable programme), instead of pages. */
  all: boolean;
}

export interface NearFilter {
  /** What the person typed, as written back in the URL: a commune in its known spelling, or a postcode. */
  place: string;
  latitude: number;
  longitude: number;
  radiusKm: number;
}

/** Where the venues of a commune and postcode are, on average (see loadProgrammeFacets). */
export interface PlacePoint {
  commune: string;
  postcode: string;
  latitude: number;
  longitude: number;
  /** How many venues with coordinates the average is made of (to weigh several postcodes). */
  venues: number;
}

/** What the values are checked against: the edition's days, the communes of its events and the known places. */
export interface FilterScope {
  firstDay: string;
  lastDay: string;
  communes: readonly string[];
  /** The territories that have events in the edition. */
  territories: readonly TerritoryOption[];
  /** Needed only to read « près de » (the filter is dropped with a notice without them). */
  places?: readonly PlacePoint[];
}

export type RawQuery = Record<string, string | string[] | undefined>;

export const NO_FILTERS: ProgrammeFilters = {
  territory: null,
  day: null,
  commune: null,
  category: null,
  audience: null,
  access: [],
  placesLeft: false,
  q: null,
  near: null,
  page: 1,
  all: false,
};

const YES = new Set(['1', 'oui', 'on', 'true']);
const NO = new Set(['0', 'non', 'off', 'false']);

/** Lower case without accents, for forgiving comparisons (« echirolles » → Échirolles). */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .trim();
}

/** Values of one parameter; a comma-separated list counts as several. Empty strings are absent. */
function values(query: RawQuery, name: string, splitCommas = false): string[] {
  const raw = query[name];
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  const parts = splitCommas ? list.flatMap((v) => v.split(',')) : list;
  return parts.map((v) => v.trim()).filter((v) => v !== '');
}

/** Shown in a notice: a value as received, shortened so a long URL cannot flood the page. */
function quoted(value: string): string {
  const short = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  return t('programme:notices.quoted', { value: short });
}

/**
 * One thing of the query that could not be used: the whole sentence the page shows, the same
 * without « : ce filtre est ignoré » for a feed (which refuses it instead), and whether it is
 * about paging (meaningless on the map).
 */
interface FilterNotice {
  text: string;
  refusal: string;
  paging: boolean;
}

/** A notice whose filter is dropped: why, then what is done instead (« ce filtre est ignoré » by default). */
function dropped(reason: string, consequence = t('programme:notices.filterIgnored')): FilterNotice {
  return { text: t('programme:notices.sentence', { reason, consequence }), refusal: t('programme:notices.refusal', { reason }), paging: false };
}

/** A notice that stands as it is (the filter is used another way). */
function whole(text: string, paging = false): FilterNotice {
  return { text, refusal: text, paging };
}

/**
 * The reference point of « près de »: the average position of the known venues of that postcode
 * (five digits) or commune (accents and case ignored), or null when none has coordinates.
 */
export function referencePoint(places: readonly PlacePoint[], typed: string): Omit<NearFilter, 'radiusKm'> | null {
  const postcode = typed.replace(/\s+/g, '');
  const matching = /^\d{5}$/.test(postcode) ? places.filter((p) => p.postcode === postcode) : places.filter((p) => fold(p.commune) === fold(typed));
  const venues = matching.reduce((n, p) => n + p.venues, 0);
  if (venues === 0) return null;
  const mean = (value: (p: PlacePoint) => number) => matching.reduce((sum, p) => sum + value(p) * p.venues, 0) / venues;
  return { place: /^\d{5}$/.test(postcode) ? postcode : matching[0]!.commune, latitude: mean((p) => p.latitude), longitude: mean((p) => p.longitude) };
}

function isCalendarDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/**
 * Reads the programme filters from a query string. Never throws: what cannot be used is left
 * out and explained in `notices` (one sentence each, in the language of the moment).
 */
export function parseProgrammeFilters(query: RawQuery | undefined, scope: FilterScope | null): { filters: ProgrammeFilters; notices: string[] } {
  const { filters, notices } = readFilters(query, scope);
  return { filters, notices: notices.map((n) => n.text) };
}

/** parseProgrammeFilters, with apart the notices about paging (meaningless on the map, which shows everything). */
export function parseProgrammeFiltersWithPaging(query: RawQuery | undefined, scope: FilterScope | null): { filters: ProgrammeFilters; notices: string[]; pagingNotices: string[] } {
  const { filters, notices } = readFilters(query, scope);
  return { filters, notices: notices.map((n) => n.text), pagingNotices: notices.filter((n) => n.paging).map((n) => n.text) };
}

function readFilters(query: RawQuery | undefined, scope: FilterScope | null): { filters: ProgrammeFilters; notices: FilterNotice[] } {
  const q = query ?? {};
  const notices: FilterNotice[] = [];
  const filters: ProgrammeFilters = { ...NO_FILTERS, access: [] };

  /** `what`: the filter's name, a key of programme:filterNames. */
  const single = (name: string, what: string, paging = false): string | null => {
    const list = values(q, name);
    if (list.length > 1) notices.push(whole(t('programme:notices.onlyOne', { what: t(`programme:filterNames.${what}`), value: quoted(list[0]!) }), paging));
    return list[0] ?? null;
  };

  const territory = single('territoire', 'territory');
  if (territory !== null) {
    const match = scope?.territories.find((t) => t.slug === fold(territory));
    if (match) filters.territory = match;
    else notices.push(dropped(t('programme:notices.territoryUnknown', { value: quoted(territory) })));
  }

  const day = single('day', 'day');
  if (day !== null) {
    if (!isCalendarDay(day)) {
      notices.push(dropped(t('programme:notices.dayInvalid', { value: quoted(day) })));
    } else if (!scope) {
      notices.push(dropped(t('programme:notices.noEdition'), t('programme:notices.dayFilterIgnored')));
    } else if (day < scope.firstDay || day > scope.lastDay) {
      notices.push(
        dropped(
          t('programme:notices.dayOutside', { day: formatCalendarDay(day), dates: t('common:time.editionDates', { first: formatCalendarDay(scope.firstDay), last: formatCalendarDay(scope.lastDay) }) }),
          t('programme:notices.dayFilterIgnored'),
        ),
      );
    } else {
      filters.day = day;
    }
  }

  const commune = single('commune', 'commune');
  if (commune !== null) {
    const match = scope?.communes.find((c) => fold(c) === fold(commune));
    if (match) filters.commune = match;
    else notices.push(dropped(t('programme:notices.communeUnknown', { value: quoted(commune) })));
  }

  const category = single('category', 'category');
  if (category !== null) {
    if (isEventCategory(category)) filters.category = category;
    else notices.push(dropped(t('programme:notices.categoryUnknown', { value: quoted(category) })));
  }

  const audience = single('audience', 'audience');
  if (audience !== null) {
    if (isAudience(audience)) filters.audience = audience;
    else notices.push(dropped(t('programme:notices.audienceUnknown', { value: quoted(audience) })));
  }

  const access = new Set<AccessFeature>();
  for (const value of values(q, 'access', true)) {
    if (isAccessFeature(value)) access.add(value);
    else notices.push(dropped(t('programme:notices.accessUnknown', { value: quoted(value) })));
  }
  filters.access = ACCESS_FEATURES.filter((f) => access.has(f));

  const places = single('places', 'places');
  if (places !== null) {
    const v = places.toLowerCase();
    if (YES.has(v)) filters.placesLeft = true;
    else if (!NO.has(v)) notices.push(dropped(t('programme:notices.placesNotUnderstood', { value: quoted(places) })));
  }

  const text = values(q, 'q').join(' ').replace(/\s+/g, ' ').trim();
  if (text !== '') {
    if (text.length > MAX_SEARCH_LENGTH) {
      notices.push(whole(t('programme:notices.searchTooLong', { max: MAX_SEARCH_LENGTH })));
      filters.q = text.slice(0, MAX_SEARCH_LENGTH).trim();
    } else {
      filters.q = text;
    }
  }

  const near = single('pres', 'near');
  if (near !== null) {
    const point = referencePoint(scope?.places ?? [], near);
    if (!point) {
      notices.push(dropped(t('programme:notices.nearUnknown', { value: quoted(near) }), t('programme:notices.nearFilterIgnored')));
    } else {
      let radiusKm = DEFAULT_RADIUS_KM;
      const radius = single('rayon', 'radius');
      if (radius !== null) {
        const n = /^\d{1,3}$/.test(radius) ? Number(radius) : NaN;
        if (n >= 1 && n <= MAX_RADIUS_KM) radiusKm = n;
        else notices.push(whole(t('programme:notices.radiusInvalid', { value: quoted(radius), max: MAX_RADIUS_KM, radius: DEFAULT_RADIUS_KM })));
      }
      filters.near = { ...point, radiusKm };
    }
  }

  const all = single('tout', 'all', true);
  if (all !== null) {
    const v = all.toLowerCase();
    if (YES.has(v)) filters.all = true;
    else if (!NO.has(v)) notices.push(whole(t('programme:notices.allNotUnderstood', { value: quoted(all) }), true));
  }

  const page = single('page', 'page', true);
  if (page !== null && filters.all) {
    notices.push(whole(t('programme:notices.pageWithAll'), true));
  } else if (page !== null) {
    const n = /^\d{1,6}$/.test(page) ? Number(page) : NaN;
    if (Number.isInteger(n) && n >= 1 && n <= MAX_PAGE) filters.page = n;
    else notices.push(whole(t('programme:notices.pageInvalid', { value: quoted(page) }), true));
  }

  return { filters, notices };
}

/** Parameter names the programme page understands (derived from its own writer, not repeated here). */
const PROGRAMME_PARAMETERS = new Set(
  [...filtersToSearchParams({ ...NO_FILTERS, territory: { slug: 't', name: 'T' }, day: 'd', commune: 'c', category: 'sport', audience: 'jeunes', access: ['lsf'], placesLeft: true, q: 'q', near: { place: 'p', latitude: 0, longitude: 0, radiusKm: 1 }, page: 2 }).keys(), 'tout'],
);

/**
 * The filters of a feed or an export (calendar, open data): the page's parser, but what the page
 * drops with a notice (« ce filtre est ignoré ») is refused here, since a file has nowhere to say
 * it; an unknown parameter too. Paging means nothing to a file that has every event: `page` and
 * `tout` are accepted and ignored, so a copied page URL still works.
 */
export function parseFeedFilters(query: RawQuery, scope: FilterScope | null): { ok: true; filters: ProgrammeFilters } | { ok: false; message: string } {
  const unknown = Object.keys(query).find((name) => !PROGRAMME_PARAMETERS.has(name));
  if (unknown !== undefined) return { ok: false, message: t('programme:notices.unknownParameter', { name: unknown.slice(0, 40) }) };
  const { page: _page, tout: _all, ...filterQuery } = query;
  const { filters, notices } = readFilters(filterQuery, scope);
  if (notices.length > 0) return { ok: false, message: notices.map((n) => n.refusal).join(' ') };
  return { ok: true, filters };
}

/** The filters as query parameters, always in the same order (page only when > 1; `page: false` leaves out paging altogether). */
export function filtersToSearchParams(filters: ProgrammeFilters, options: { page?: boolean } = {}): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.territory) params.set('territoire', filters.territory.slug);
  if (filters.day) params.set('day', filters.day);
  if (filters.commune) params.set('commune', filters.commune);
  if (filters.category) params.set('category', filters.category);
  if (filters.audience) params.set('audience', filters.audience);
  for (const feature of filters.access) params.append('access', feature);
  if (filters.placesLeft) params.set('places', '1');
  if (filters.q) params.set('q', filters.q);
  if (filters.near) {
    params.set('pres', filters.near.place);
    params.set('rayon', String(filters.near.radiusKm));
  }
  if (options.page !== false && filters.all) params.set('tout', '1');
  else if (options.page !== false && filters.page > 1) params.set('page', String(filters.page));
  return params;
}

/** The canonical query string of these filters ('' when none), without the leading « ? ». */
export function filtersQueryString(filters: ProgrammeFilters, options: { page?: boolean } = {}): string {
  return filtersToSearchParams(filters, options).toString();
}

/** The programme on a map (map-page.ts). */
export const MAP_PATH = '/programme/carte';

/** A link to the programme with these filters (or to another view of it: the embedded programme). */
export function programmeHref(filters: ProgrammeFilters, path = '/programme'): string {
  const query = filtersQueryString(filters);
  return query ? `${path}?${query}` : path;
}

/**
 * The printed programme (PDF, served by the booklet feature) with these filters, of every territory
 * or of one: A4, or the folded A5 booklet.
 */
export function programmePdfHref(filters: ProgrammeFilters, format: 'a4' | 'a5', territorySlug?: string): string {
  const params = filtersToSearchParams(filters, { page: false });
  params.set('format', format);
  const path = territorySlug ? `/territoires/${encodeURIComponent(territorySlug)}/programme.pdf` : '/programme.pdf';
  return `${path}?${params.toString()}`;
}

export function hasFilters(filters: ProgrammeFilters): boolean {
  return activeFilters(filters).length > 0;
}

export interface ActiveFilter {
  /** « Commune : Grenoble » */
  label: string;
  /** The programme without this one filter (first page). */
  removeHref: string;
}

/** Each filter in force, in words, with the link that removes it alone (on the page at `path`). */
export function activeFilters(filters: ProgrammeFilters, path = '/programme'): ActiveFilter[] {
  const base = { ...filters, page: 1 };
  const list: ActiveFilter[] = [];
  const href = (f: ProgrammeFilters) => programmeHref(f, path);
  if (filters.territory) list.push({ label: t('programme:active.territory', { name: filters.territory.name }), removeHref: href({ ...base, territory: null }) });
  if (filters.day) list.push({ label: t('programme:active.day', { day: formatCalendarDay(filters.day) }), removeHref: href({ ...base, day: null }) });
  if (filters.commune) list.push({ label: t('programme:active.commune', { name: filters.commune }), removeHref: href({ ...base, commune: null }) });
  if (filters.category) list.push({ label: t('programme:active.category', { label: CATEGORY_LABELS[filters.category] }), removeHref: href({ ...base, category: null }) });
  if (filters.audience) list.push({ label: t('programme:active.audience', { label: AUDIENCE_LABELS[filters.audience] }), removeHref: href({ ...base, audience: null }) });
  for (const feature of filters.access) {
    list.push({
      label: t('programme:active.access', { label: ACCESS_FEATURE_INFO[feature].label }),
      removeHref: href({ ...base, access: filters.access.filter((f) => f !== feature) }),
    });
  }
  if (filters.placesLeft) list.push({ label: t('programme:active.placesLeft'), removeHref: href({ ...base, placesLeft: false }) });
  if (filters.q) list.push({ label: t('programme:active.search', { q: filters.q }), removeHref: href({ ...base, q: null }) });
  if (filters.near) list.push({ label: t('programme:active.near', { place: filters.near.place, radius: filters.near.radiusKm }), removeHref: href({ ...base, near: null }) });
  return list;
}
