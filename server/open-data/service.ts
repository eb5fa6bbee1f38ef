// An export as bytes, through the public cache (server/programme/cache.ts): generated once per
// scope, format, filters and public-data version, then served with its ETag to everyone alike.
// No HTTP here.
import { createHash } from 'node:crypto';
import { eq, type SQL } from 'drizzle-orm';
import { event, organisation, territory } from '../db/schema.ts';
import { localPath, t } from '../i18n/index.ts';
import type { SharedBody } from '../lib/shared-body.ts';
import { currentEdition, editionFacets, filtersQueryString, parseFeedFilters, programmeHref, type OpenDataFormat, type PublicPagesDeps, type RawQuery } from '../programme/index.ts';
import { exportCsv, exportJson, exportRss, type ExportInput } from './documents.ts';
import { loadOpenDataEvents, OPEN_DATA_MAX } from './query.ts';

/** Bump when a file changes shape, so that clients holding an old ETag get the new one. */
const FORMAT_VERSION = 'v1';

export type ExportScope = { kind: 'programme' } | { kind: 'organisation'; id: number } | { kind: 'territory'; slug: string };

export type ExportResult = { ok: true; file: SharedBody } | { ok: false; status: 400 | 404; message: string };

interface Narrowing {
  key: string;
  name: string;
  where: SQL;
}

/** The organisation or territory an export is narrowed to (cached like the pages), or null when it does not exist. */
async function narrowing(deps: PublicPagesDeps, scope: ExportScope, now: Date): Promise<Narrowing | null | undefined> {
  if (scope.kind === 'programme') return undefined;
  const key = scope.kind === 'organisation' ? `organisation:${scope.id}` : `territory:${scope.slug}`;
  return deps.cache.get(`open-data-scope|${key}`, now.getTime(), async () => {
    if (scope.kind === 'organisation') {
      const [found] = await deps.db.select({ id: organisation.id, name: organisation.name }).from(organisation).where(eq(organisation.id, scope.id));
      // An unknown id is not kept: a crawler trying ids must not push real entries out.
      return found ? { value: { key, name: found.name, where: eq(event.organisationId, found.id) } } : { value: null, validUntil: 0 };
    }
    const [found] = await deps.db.select({ id: territory.id, name: territory.name }).from(territory).where(eq(territory.slug, scope.slug));
    return found ? { value: { key, name: found.name, where: eq(event.territoryId, found.id) } } : { value: null, validUntil: 0 };
  });
}

const GENERATORS: Record<OpenDataFormat, (input: ExportInput, config: PublicPagesDeps['config']) => string> = {
  json: exportJson,
  csv: exportCsv,
  rss: exportRss,
};

/**
 * The file of `format` for this scope and the programme's query string: the programme page's
 * filters, strictly (a filter the page would drop is a 400 here, see parseFeedFilters).
 */
export async function exportFile(deps: PublicPagesDeps, request: { scope: ExportScope; format: OpenDataFormat; query: RawQuery; now: Date; selfPath: (queryString: string) => string }): Promise<ExportResult> {
  const { now, format } = request;
  const edition = await currentEdition(deps, now);
  // Communes and territories are checked against the edition's: only worth a lookup when one is asked for.
  const facets = edition && (request.query.commune !== undefined || request.query.territoire !== undefined) ? await editionFacets(deps, edition.id, now) : null;
  const parsed = parseFeedFilters(request.query, edition ? { firstDay: edition.firstDay, lastDay: edition.lastDay, communes: facets?.communes ?? [], territories: facets?.territories ?? [] } : null);
  if (!parsed.ok) return { ok: false, status: 400, message: parsed.message };
  const narrow = await narrowing(deps, request.scope, now);
  if (narrow === null) return { ok: false, status: 404, message: request.scope.kind === 'organisation' ? t('openData:errors.unknownOrganisation') : t('openData:errors.unknownTerritory') };
  const filters = parsed.filters;
  const canonical = filtersQueryString(filters, { page: false });
  const key = ['open-data', FORMAT_VERSION, format, narrow?.key ?? 'programme', edition?.id ?? 0, canonical].join('|');
  const file = await deps.cache.get(key, now.getTime(), async () => {
    const { rows, total } = edition ? await loadOpenDataEvents(deps.db, edition.id, filters, narrow?.where) : { rows: [], total: 0 };
    const programme = edition ? t('openData:title.edition', { year: edition.year }) : t('openData:title.programme');
    const title = narrow ? t('openData:title.narrowed', { title: programme, name: narrow.name }) : programme;
    const text = GENERATORS[format](
      { rows, total, limit: OPEN_DATA_MAX, title, sourceUrl: `${deps.config.publicUrl}${localPath(programmeHref(filters))}`, selfUrl: `${deps.config.publicUrl}${localPath(request.selfPath(canonical))}` },
      deps.config,
    );
    const body = Buffer.from(text, 'utf8');
    const etag = `"${createHash('sha1').update(body).digest('base64url').slice(0, 22)}"`;
    // A free-text search is rarely asked twice and its keys are endless: not kept, so that a
    // crawler trying words cannot fill the memory with files (the others are bounded by the
    // vocabulary, and the wide ones are few).
    return { value: { body, etag, encoded: {} } satisfies SharedBody, ...(filters.q ? { validUntil: 0 } : {}) };
  });
  return { ok: true, file };
}
