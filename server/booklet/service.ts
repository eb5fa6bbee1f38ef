// The printed programme of the current edition, for the programme page's filters and, if asked,
// one territory: its events through the programme's own parser and search, drawn by document.ts,
// kept in the public cache (emptied whenever the public data changes, like the programme pages)
// with its ETag, per language (the cache keys by it). Refusals are HttpErrors with their message in
// the request's language; the route does the rest.
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import { edition as editionTable, territory } from '../db/schema.ts';
import { formatNumber, localPath, t } from '../i18n/index.ts';
import { HttpError, notFound } from '../plugins/errors.ts';
import { formatCalendarDay, dayKey } from '../lib/time.ts';
import {
  ALL_ON_ONE_PAGE_MAX,
  activeFilters,
  capitalise,
  countEvents,
  currentEdition,
  editionDates,
  editionFacets,
  filtersQueryString,
  groupByDay,
  parseProgrammeFilters,
  searchProgramme,
  type PublicCache,
  type RawQuery,
} from '../programme/index.ts';
import { bookletPdf, type BookletFormat } from './document.ts';

export interface BookletFile {
  body: Buffer;
  etag: string;
  fileName: string;
}

export interface BookletRequest {
  query: RawQuery;
  /** One territory's programme (its slug), or every territory's. */
  territorySlug: string | null;
  now: Date;
}

const FORMATS: readonly BookletFormat[] = ['a4', 'a5'];
/** The page's paging means nothing to a file that holds every event: dropped, so a page's address copied with them still works. */
const PAGE_PARAMETERS = ['page', 'tout'];

/** The way back an error page offers, in the current language. */
const back = () => ({ href: '/programme', label: t('booklet:errors.back') });

function formatOf(query: RawQuery): BookletFormat {
  const raw = query.format;
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim().toLowerCase() || 'a4';
  if ((FORMATS as readonly string[]).includes(value)) return value as BookletFormat;
  throw new HttpError(400, t('booklet:errors.unknownFormat', { format: value.slice(0, 20) }), back());
}

/** The closing notes: the accessibility statement and the privacy page, in short. */
function notes(config: Config): Array<{ heading: string; paragraphs: string[] }> {
  const site = config.publicUrl;
  return [
    {
      heading: t('booklet:notes.accessibility.heading'),
      paragraphs: [t('booklet:notes.accessibility.arrangements'), t('booklet:notes.accessibility.document', { site, statement: `${site}${localPath('/accessibilite')}` })],
    },
    {
      heading: t('booklet:notes.privacy.heading'),
      paragraphs: [
        t('booklet:notes.privacy.kept'),
        t('booklet:notes.privacy.needs', { needsDays: config.needsRetentionDays, identityDays: config.identityRetentionDays }),
        t('booklet:notes.privacy.rights', { page: `${site}${localPath('/donnees-personnelles')}` }),
      ],
    },
  ];
}

export interface BookletDeps {
  db: Database;
  config: Config;
  /** The public pages' cache (current edition, facets). */
  cache: PublicCache;
  /** The files' own (see separatePublicCache). */
  files: PublicCache;
}

/** The edition asked for (« annee=2025 », a past one to archive), or the one the programme shows. */
async function editionOf(pages: Parameters<typeof currentEdition>[0], query: RawQuery, now: Date) {
  const raw = query.annee;
  const year = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  if (!year) {
    const current = await currentEdition(pages, now);
    if (!current) throw notFound(t('booklet:errors.noEdition'), back());
    return current;
  }
  const [found] = /^\d{4}$/.test(year)
    ? await pages.db
        .select({ id: editionTable.id, year: editionTable.year, theme: editionTable.theme, firstDay: editionTable.firstDay, lastDay: editionTable.lastDay })
        .from(editionTable)
        .where(eq(editionTable.year, Number(year)))
    : [];
  if (!found) throw notFound(t('booklet:errors.unknownYear', { year: year.slice(0, 20) }), back());
  return found;
}

/**
 * The programme's PDF for this request, from the files' cache when the public data has not
 * changed since it was made. Throws a 400 (format, filters) or a 404 (no edition, unknown
 * territory) in the request's language. The caller syncs both caches first (PublicCache.sync), as for every public page.
 */
export async function bookletFile(deps: BookletDeps, request: BookletRequest): Promise<BookletFile> {
  const { db, config, files } = deps;
  const { now } = request;
  const pages = { db, config, cache: deps.cache };
  const format = formatOf(request.query);
  const edition = await editionOf(pages, request.query, now);
  const facets = await editionFacets(pages, edition.id, now);
  const { format: _format, annee: _year, ...rest } = request.query;
  const filterQuery = Object.fromEntries(Object.entries(rest).filter(([name]) => !PAGE_PARAMETERS.includes(name)));
  const { filters, notices } = parseProgrammeFilters(filterQuery, { firstDay: edition.firstDay, lastDay: edition.lastDay, communes: facets.communes, territories: facets.territories });
  // The page goes on without a filter it cannot use and says so; a file to print refuses instead.
  if (notices.length > 0) throw new HttpError(400, t('booklet:errors.badFilters', { notices: notices.map((n) => n.replace(/ ?: [^:]*$/, '.')).join(' ') }), back());

  const key = ['booklet', edition.id, request.territorySlug ?? '', format, filtersQueryString(filters, { page: false })].join('|');
  const file = await files.get<BookletFile | null>(key, now.getTime(), async () => {
    const [place] = request.territorySlug
      ? await db.select({ id: territory.id, name: territory.name, slug: territory.slug }).from(territory).where(eq(territory.slug, request.territorySlug))
      : [null];
    // Not kept: a crawler trying names must not push real files out of the cache.
    if (place === undefined) return { value: null, validUntil: 0 };
    const { rows, total } = await searchProgramme(db, edition.id, filters, { window: { limit: ALL_ON_ONE_PAGE_MAX, offset: 0 }, scope: place ? { territoryId: place.id } : {} });
    const territories = place ? [place.name] : [...new Set(rows.map((r) => r.territoryName))].sort((a, b) => a.localeCompare(b, 'fr'));
    const active = activeFilters(filters).map((f) => f.label);
    const title = place ? t('booklet:titleOfTerritory', { year: edition.year, territory: place.name }) : t('booklet:title', { year: edition.year });
    const cover = [
      t('booklet:cover.edition', { year: edition.year }),
      capitalise(editionDates(edition)),
      ...(edition.theme.trim() ? [t('booklet:cover.theme', { theme: edition.theme.trim() })] : []),
      ...(territories.length > 0 ? [t('booklet:cover.territories', { count: territories.length, list: territories.join(', ') })] : []),
      ...(active.length > 0 ? [t('booklet:cover.selection', { list: active.join(' ; ') })] : []),
      total > rows.length
        ? t('booklet:cover.countFirst', { events: countEvents(total), n: formatNumber(rows.length) })
        : t('booklet:cover.count', { events: countEvents(total) }),
      t('booklet:cover.online', { url: `${config.publicUrl}${localPath('/programme')}` }),
      t('booklet:cover.produced', { date: formatCalendarDay(dayKey(now, 'Europe/Paris')) }),
    ];
    const body = await bookletPdf({ title, format, cover, days: groupByDay(rows, filters.day), notes: notes(config), publicUrl: config.publicUrl, createdAt: now });
    const fileName = `programme-sism-${edition.year}${place ? `-${place.slug}` : ''}${format === 'a5' ? '-livret-a5' : ''}.pdf`;
    return { value: { body, etag: `"${createHash('sha1').update(body).digest('base64url')}"`, fileName } };
  });
  if (!file) throw notFound(t('booklet:errors.unknownTerritory'), back());
  return file;
}
