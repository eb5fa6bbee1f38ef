// The public pages as cached HTML: each function reads through the public cache, and on a miss
// queries, shapes the view and renders it with the `render` it is given (no HTTP here). Cached
// HTML holds nothing personal — no CSRF token, no user: a signed-in person's layout adds those.
import { formatNumber, localPath, t } from '../i18n/index.ts';
import { createHash } from 'node:crypto';
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import { ACCESS_FEATURES, ACCESS_FEATURE_INFO, AUDIENCES, AUDIENCE_LABELS, CATEGORY_LABELS, EVENT_CATEGORIES } from '../domain/vocabulary.ts';
import { eventIcsPath, organisationFeedUrls, programmeFeedUrls, territoryFeedUrls } from '../calendar/index.ts';
import type { SharedBody } from '../lib/shared-body.ts';
import type { Alternate } from '../plugins/views.ts';
import { formatCalendarDay } from '../lib/time.ts';
import type { PublicCache } from './cache.ts';
import { findCurrentEdition, type EditionSummary } from './current-edition.ts';
import {
  DEFAULT_RADIUS_KM,
  MAP_PATH,
  PAGE_SIZE,
  activeFilters,
  filtersQueryString,
  parseProgrammeFiltersWithPaging,
  programmeHref,
  programmePdfHref,
  type ProgrammeFilters,
  type RawQuery,
} from './filters.ts';
import { EMBED_PATH, INTEGRATE_PATH } from './embed.ts';
import { programmeDataLinks } from './data-links.ts';
import { eventJsonLd, jsonForScript } from './jsonld.ts';
import { capitalise, countEvents, eventPageBoundaries, groupByDay, presentEvent } from './present.ts';
import { getPublicEvent } from './public-event.ts';
import { countableFromCube, countFromCube, loadCountCube } from './count-cube.ts';
import { countProgramme, loadProgrammeFacets, searchProgramme, type ProgrammeFacets } from './search.ts';

/** The radii offered by the form (any other one up to MAX_RADIUS_KM works in a URL). */
const RADII_KM = [2, 5, 10, 20, 50];

export type Render = (template: string, data: Record<string, unknown>) => Promise<string>;

export interface PublicPagesDeps {
  db: Database;
  config: Config;
  cache: PublicCache;
}

export interface RenderedPage {
  html: string;
  title: string;
  /** For the role="status" region, when the page is swapped in by htmx. */
  statusMessage: string;
  /** The page's content in other formats (open data, calendar), for `<link rel="alternate">`. */
  alternates?: Alternate[];
  /** The whole responses made of this page that are the same for everyone (see sharedResponse). */
  shared: Partial<Record<'full' | 'fragment', Promise<SharedBody>>>;
}

/**
 * The response everyone gets alike from this cached page (as an htmx fragment, or as a full page
 * for anonymous visitors): laid out once by `layOut`, kept with the page, so it goes when the
 * page goes. A failed layout is not kept.
 */
export function sharedResponse(page: RenderedPage, variant: 'full' | 'fragment', layOut: () => Promise<string>): Promise<SharedBody> {
  let made = page.shared[variant];
  if (!made) {
    made = layOut().then((text) => ({ body: Buffer.from(text), etag: etagOf(text), encoded: {} }));
    page.shared[variant] = made;
    made.catch(() => {
      if (page.shared[variant] === made) delete page.shared[variant];
    });
  }
  return made;
}

function etagOf(text: string): string {
  return `"${createHash('sha1').update(text).digest('base64url').slice(0, 22)}"`;
}

/** The edition the public pages show (see chooseCurrentEdition); cached per day and database state. */
export function currentEdition(deps: PublicPagesDeps, now: Date): Promise<EditionSummary | null> {
  const today = now.toISOString().slice(0, 13); // re-chosen at least every hour
  return deps.cache.get(`edition|${today}`, now.getTime(), async () => ({ value: await findCurrentEdition(deps.db, now) }));
}

export function editionFacets(deps: PublicPagesDeps, editionId: number, now: Date): Promise<ProgrammeFacets> {
  return deps.cache.get(`facets|${editionId}`, now.getTime(), async () => ({ value: await loadProgrammeFacets(deps.db, editionId) }));
}

/** Every day of an edition, yyyy-mm-dd. */
export function editionDays(e: Pick<EditionSummary, 'firstDay' | 'lastDay'>): string[] {
  const days: string[] = [];
  for (let d = new Date(`${e.firstDay}T12:00:00Z`); d.toISOString().slice(0, 10) <= e.lastDay; d = new Date(d.getTime() + 86_400_000)) {
    days.push(d.toISOString().slice(0, 10));
  }
  return days;
}

/** « du lundi 5 au dimanche 18 octobre 2026 » */
export function editionDates(e: Pick<EditionSummary, 'firstDay' | 'lastDay'>): string {
  return t('common:time.editionDates', { first: formatCalendarDay(e.firstDay), last: formatCalendarDay(e.lastDay) });
}


export interface ProgrammeRequest {
  query: RawQuery | undefined;
  now: Date;
  /** Only the results region (htmx), or the whole page body. */
  fragment: boolean;
  /** The embedded programme instead: a light document of its own, without the site's layout. */
  embed?: boolean;
  render: Render;
}

export interface ProgrammePage {
  /** The cached page itself (shared by every request with these filters). */
  page: RenderedPage;
  /** The programme's URL with the filters in canonical form (for HX-Push-Url). */
  canonicalUrl: string;
}

/** The edition's facets and the filters read against them (notices for what cannot be used, those about paging apart). */
export async function programmeFilters(deps: PublicPagesDeps, query: RawQuery | undefined, now: Date) {
  const edition = await currentEdition(deps, now);
  const facets = edition ? await editionFacets(deps, edition.id, now) : null;
  const scope = edition && facets ? { firstDay: edition.firstDay, lastDay: edition.lastDay, communes: facets.communes, territories: facets.territories, places: facets.places } : null;
  return { edition, facets, ...parseProgrammeFiltersWithPaging(query, scope) };
}

export async function programmePage(deps: PublicPagesDeps, request: ProgrammeRequest): Promise<ProgrammePage> {
  const { now } = request;
  const { edition, facets, filters, notices } = await programmeFilters(deps, request.query, now);
  const view = request.embed ? 'embed' : request.fragment ? 'results' : 'page';
  const key = ['programme', edition?.id ?? 0, view, filtersQueryString(filters), ...notices].join('|');
  const page = await deps.cache.get(key, now.getTime(), async () => ({
    value: await buildProgramme(deps, { edition, facets, filters, notices, view, render: request.render, now }),
  }));
  return { page, canonicalUrl: programmeHref(filters, request.embed ? EMBED_PATH : undefined) };
}

interface BuildProgramme {
  edition: EditionSummary | null;
  facets: ProgrammeFacets | null;
  filters: ProgrammeFilters;
  notices: string[];
  view: 'page' | 'results' | 'embed';
  render: Render;
  now: Date;
}

/**
 * How many events match these filters, whatever the page: from the edition's count cube (one scan
 * per change of the public data, then any filters at no database cost), or for a text search or a
 * distance, counted by the database and kept beside the pages, so that paging counts it once.
 */
async function programmeTotal(deps: PublicPagesDeps, editionId: number, filters: ProgrammeFilters, now: Date): Promise<number> {
  if (countableFromCube(filters)) {
    const cube = await deps.cache.get(`cube|${editionId}`, now.getTime(), async () => ({ value: await loadCountCube(deps.db, editionId) }));
    return countFromCube(cube, filters);
  }
  const key = `count|${editionId}|${filtersQueryString(filters, { page: false })}`;
  return deps.cache.get(key, now.getTime(), async () => ({ value: await countProgramme(deps.db, editionId, filters) }));
}

/** The filter form's choices (fields in views/programme/_filter-fields.eta), with these filters selected. */
export function filterForm(edition: EditionSummary | null, facets: ProgrammeFacets | null, filters: ProgrammeFilters) {
  return {
    q: filters.q ?? '',
    territories: (facets?.territories ?? []).map((t) => ({ value: t.slug, label: t.name, selected: t.slug === filters.territory?.slug })),
    days: edition
      ? editionDays(edition).map((day) => ({ value: day, label: capitalise(formatCalendarDay(day).replace(/ \d{4}$/, '')), selected: day === filters.day }))
      : [],
    communes: (facets?.communes ?? []).map((c) => ({ value: c, label: c, selected: c === filters.commune })),
    categories: EVENT_CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c], selected: c === filters.category })),
    audiences: AUDIENCES.map((a) => ({ value: a, label: AUDIENCE_LABELS[a], selected: a === filters.audience })),
    access: ACCESS_FEATURES.filter((f) => f !== 'other').map((f) => ({ value: f, label: ACCESS_FEATURE_INFO[f].label, checked: filters.access.includes(f) })),
    placesLeft: filters.placesLeft,
    near: filters.near?.place ?? '',
    radii: RADII_KM.map((km) => ({ value: km, label: `${km} km`, selected: km === (filters.near?.radiusKm ?? DEFAULT_RADIUS_KM) })),
  };
}

async function buildProgramme(deps: PublicPagesDeps, input: BuildProgramme): Promise<RenderedPage> {
  const { edition, facets, notices } = input;
  let filters = input.filters;
  const total = edition ? await programmeTotal(deps, edition.id, filters, input.now) : 0;
  let result = edition ? await searchProgramme(deps.db, edition.id, filters, { total }) : { rows: [], total: 0 };
  const pages = filters.all ? 1 : Math.max(1, Math.ceil(result.total / PAGE_SIZE));
  if (filters.all && result.total > result.rows.length) {
    notices.push(t('programme:notices.allTooMany', { n: formatNumber(result.rows.length) }));
  }
  if (edition && filters.page > pages) {
    notices.push(t('programme:notices.pageMissing', { count: pages, page: formatNumber(filters.page), pages: formatNumber(pages) }));
    filters = { ...filters, page: pages };
    if (result.total > 0) result = await searchProgramme(deps.db, edition.id, filters, { total });
  }

  const active = activeFilters(filters);
  const pageHref = (page: number) => programmeHref({ ...filters, page }, input.view === 'embed' ? EMBED_PATH : undefined);
  const feedQuery = filtersQueryString(filters, { page: false });
  const feed = programmeFeedUrls(deps.config, feedQuery);
  const openData = programmeDataLinks(deps.config, feedQuery);
  // The edition's territories come with its facets (cached): no scan of its events per page.
  const territories = facets?.territories ?? [];
  const territoryFeeds = input.view === 'embed' ? [] : territories.map((t) => ({ name: t.name, ...territoryFeedUrls(deps.config, t.slug) }));
  const countText = countEvents(result.total);
  const pageText = pages > 1 ? t('programme:status.page', { page: formatNumber(filters.page), pages: formatNumber(pages) }) : '';
  const statusMessage =
    result.total === 0
      ? t('programme:status.none')
      : active.length > 0
        ? t('programme:status.filtered', { count: result.total, countText, pageText })
        : t('programme:status.unfiltered', { countText, pageText });

  const results = {
    edition,
    total: result.total,
    countText,
    statusMessage,
    groups: groupByDay(result.rows, filters.day),
    notices,
    active,
    clearHref: '/programme',
    // Printed under each event and on the page: the site's address in the page's language.
    siteUrl: `${deps.config.publicUrl}${localPath('')}`,
    mapHref: programmeHref({ ...filters, page: 1, all: false }, MAP_PATH),
    pagination:
      pages > 1
        ? {
            page: filters.page,
            pages,
            first: filters.page > 2 ? pageHref(1) : null,
            previous: filters.page > 1 ? pageHref(filters.page - 1) : null,
            next: filters.page < pages ? pageHref(filters.page + 1) : null,
            last: filters.page < pages - 1 ? pageHref(pages) : null,
          }
        : null,
    feed,
    territoryFeeds,
    // The printed programme with these filters, and each territory's (several on one instance).
    pdf: { a4: programmePdfHref(filters, 'a4'), a5: programmePdfHref(filters, 'a5') },
    territoryPdfs: territories.length > 1 ? territories.map((t) => ({ name: t.name, a4: programmePdfHref(filters, 'a4', t.slug), a5: programmePdfHref(filters, 'a5', t.slug) })) : [],
    openData,
  };

  const title = edition
    ? `${t('programme:titles.programmeYear', { year: edition.year })}${filters.territory ? t('programme:titles.territory', { name: filters.territory.name }) : ''}${filters.all ? t('programme:titles.allOnOnePage') : filters.page > 1 ? t('programme:titles.page', { page: formatNumber(filters.page) }) : ''}`
    : t('programme:titles.programme');
  let html: string;
  if (input.view === 'results') {
    html = await input.render('programme/_results', { results });
  } else if (input.view === 'embed') {
    html = await input.render('programme/embed', {
      title,
      results,
      fullHref: `${deps.config.publicUrl}${localPath(programmeHref({ ...filters, page: 1 }))}`,
      site: new URL(deps.config.publicUrl).host,
    });
  } else {
    html = await input.render('programme/index', {
      edition,
      editionDates: edition ? editionDates(edition) : null,
      form: filterForm(edition, facets, filters),
      results,
      // The printable programme: every matching event on one page, and the way back to pages.
      allHref: pages > 1 ? programmeHref({ ...filters, page: 1, all: true }) : null,
      pagedHref: filters.all ? programmeHref({ ...filters, all: false }) : null,
      integrateHref: programmeHref({ ...filters, page: 1, all: false }, INTEGRATE_PATH),
    });
  }
  const alternates: Alternate[] = [
    ...openData.map((link) => ({ type: link.type, href: link.href, title: t('programme:alternates.openData', { format: link.label }) })),
    { type: 'text/calendar', href: feed.https, title: t('programme:alternates.calendar') },
  ];
  return { html, title, statusMessage, alternates, shared: {} };
}

/** What the public event template shows besides the event: the one shape for the public page and the organiser's preview. */
export function eventPageData(config: Pick<Config, 'publicUrl'>, event: unknown, links: { eventId: number; organisationId: number; jsonLd: string }) {
  return {
    event,
    jsonLd: links.jsonLd,
    icsHref: eventIcsPath(links.eventId),
    organisationFeed: organisationFeedUrls(config, links.organisationId),
    programmeHref: '/programme',
  };
}

export interface EventPageRequest {
  id: number;
  now: Date;
  render: Render;
}

/** The public page of one event, or null when it is not public (draft, refused…) or unknown. */
export async function eventPage(deps: PublicPagesDeps, request: EventPageRequest): Promise<RenderedPage | null> {
  const { now } = request;
  return deps.cache.get(`event|${request.id}`, now.getTime(), async () => {
    const e = await getPublicEvent(deps.db, request.id);
    // Not kept: a crawler trying ids must not push real pages out of the cache.
    if (!e) return { value: null, validUntil: 0 };
    const view = presentEvent(e, now);
    const jsonLd = jsonForScript(eventJsonLd(e, deps.config.publicUrl));
    const html = await request.render('programme/event', eventPageData(deps.config, view, { eventId: e.id, organisationId: e.organisation.id, jsonLd }));
    const title = e.state === 'cancelled' ? t('programme:titles.cancelledEvent', { title: view.title }) : view.title;
    // What the page says changes at the next boundary (registration opens or closes, the
    // access-request deadline passes, the event starts or ends) even if no row changes.
    const boundaries = eventPageBoundaries(e).map((d) => d.getTime());
    const after = boundaries.filter((t) => t > now.getTime());
    const before = boundaries.filter((t) => t <= now.getTime());
    return {
      value: { html, title, statusMessage: '', shared: {} },
      validUntil: after.length > 0 ? Math.min(...after) : undefined,
      validFrom: before.length > 0 ? Math.max(...before) : undefined,
    };
  });
}
