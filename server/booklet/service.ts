// The printed programme of the current edition, for the programme page's filters and, if asked,
// one territory: its events through the programme's own parser and search, drawn by document.ts,
// kept in the public cache (emptied whenever the public data changes, like the programme pages)
// with its ETag. Refusals are HttpErrors with their French message; the route does the rest.
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import { edition as editionTable, territory } from '../db/schema.ts';
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

const back = { href: '/programme', label: 'Revenir au programme' };

function formatOf(query: RawQuery): BookletFormat {
  const raw = query.format;
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim().toLowerCase() || 'a4';
  if ((FORMATS as readonly string[]).includes(value)) return value as BookletFormat;
  throw new HttpError(400, `Le format « ${value.slice(0, 20)} » n'existe pas : le programme se télécharge en A4 (format=a4) ou en livret A5 (format=a5).`, back);
}

/** The closing notes: the accessibility statement and the privacy page, in short. */
function notes(config: Config): Array<{ heading: string; paragraphs: string[] }> {
  return [
    {
      heading: 'Accessibilité',
      paragraphs: [
        'Sous chaque événement figurent les aménagements proposés, chacun avec son pictogramme et son nom. Besoin d’un autre aménagement (interprète en langue des signes, espace calme, accompagnement…) ? Dites-le en vous inscrivant, ou appelez l’organisation : son téléphone est indiqué sous chaque événement. L’inscription par téléphone est toujours possible.',
        `Ce document est un PDF balisé (titres, ordre de lecture, langue) pour les lecteurs d’écran. Le site ${config.publicUrl} est partiellement conforme au référentiel général d’amélioration de l’accessibilité (RGAA 4.1) : sa déclaration d’accessibilité, avec les voies de recours, est sur ${config.publicUrl}/accessibilite.`,
      ],
    },
    {
      heading: 'Données personnelles',
      paragraphs: [
        'Quand vous vous inscrivez, nous gardons seulement ce qui sert à organiser l’événement : votre nom, vos coordonnées, le nombre de places et, avec votre accord explicite, les aménagements que vous demandez. Pas de publicité, pas de revente, pas de pistage.',
        `Vos besoins d’accessibilité sont des données de santé : seules l’organisation de l’événement et la coordination du territoire les voient, et ils sont effacés ${config.needsRetentionDays} jours après l’événement. Votre nom et vos coordonnées sont effacés ${config.identityRetentionDays} jours après la fin des Semaines.`,
        `Pour voir, corriger ou effacer vos données : le lien « Gérer mon inscription » de l’e-mail de confirmation, ou l’organisation de l’événement. Tout est expliqué sur ${config.publicUrl}/donnees-personnelles.`,
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
    if (!current) throw notFound('Aucune édition des Semaines n’est publiée : il n’y a pas encore de programme à télécharger.', back);
    return current;
  }
  const [found] = /^\d{4}$/.test(year)
    ? await pages.db
        .select({ id: editionTable.id, year: editionTable.year, theme: editionTable.theme, firstDay: editionTable.firstDay, lastDay: editionTable.lastDay })
        .from(editionTable)
        .where(eq(editionTable.year, Number(year)))
    : [];
  if (!found) throw notFound(`Il n’y a pas d’édition des Semaines en « ${year.slice(0, 20)} ».`, back);
  return found;
}

/**
 * The programme's PDF for this request, from the files' cache when the public data has not
 * changed since it was made. Throws a 400 (format, filters) or a 404 (no edition, unknown
 * territory) in French. The caller syncs both caches first (PublicCache.sync), as for every public page.
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
  if (notices.length > 0) throw new HttpError(400, `Ce programme ne peut pas être fait : ${notices.map((n) => n.replace(/ : [^:]*$/, '.')).join(' ')}`, back);

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
    const title = `Programme des SISM ${edition.year}${place ? ` : ${place.name}` : ''}`;
    const cover = [
      `Semaines d’information sur la santé mentale ${edition.year}`,
      capitalise(editionDates(edition)),
      ...(edition.theme.trim() ? [`Thème : « ${edition.theme.trim()} »`] : []),
      ...(territories.length > 0 ? [`${territories.length > 1 ? 'Territoires' : 'Territoire'} : ${territories.join(', ')}`] : []),
      ...(active.length > 0 ? [`Sélection : ${active.join(' ; ')}`] : []),
      total > rows.length
        ? `${countEvents(total)} : seuls les ${rows.length.toLocaleString('fr-FR')} premiers tiennent dans ce document. Choisissez un jour ou une commune pour le reste.`
        : `${countEvents(total)}.`,
      `Programme en ligne et inscriptions : ${config.publicUrl}/programme. Sans internet : appelez l’organisation indiquée sous chaque événement.`,
      `Document produit le ${formatCalendarDay(dayKey(now, 'Europe/Paris'))}.`,
    ];
    const body = await bookletPdf({ title, format, cover, days: groupByDay(rows, filters.day), notes: notes(config), publicUrl: config.publicUrl, createdAt: now });
    const fileName = `programme-sism-${edition.year}${place ? `-${place.slug}` : ''}${format === 'a5' ? '-livret-a5' : ''}.pdf`;
    return { value: { body, etag: `"${createHash('sha1').update(body).digest('base64url')}"`, fileName } };
  });
  if (!file) throw notFound('Ce territoire n’existe pas.', back);
  return file;
}
