// Open data over HTTP: the programme's files (JSON, CSV, RSS) with the programme page's filters,
// the same per organisation and per territory, their JSON Schema and the page for re-users. Thin:
// files come from service.ts through the public cache; here only HTTP concerns (validators,
// CORS, caching, licence).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FeatureOptions } from '../plugins/feature.ts';
import { ACCESS_FEATURE_INFO, ACCESS_FEATURES, AUDIENCE_LABELS, AUDIENCES, CATEGORY_LABELS, EVENT_CATEGORIES, OPENAGENDA_ACCESSIBILITY, OPENAGENDA_ACCESSIBILITY_CODES, VENUE_FACT_LABELS } from '../domain/vocabulary.ts';
import { encodedBody, isNotModified } from '../lib/shared-body.ts';
import { notFound } from '../plugins/errors.ts';
import { currentLanguage, localPath, t } from '../i18n/index.ts';
import { csvHeader } from './documents.ts';
import {
  LICENCE,
  OPEN_DATA_FORMATS,
  OPEN_DATA_MEDIA_TYPES,
  OPEN_DATA_PAGE_PATH,
  OPEN_DATA_SCHEMA_PATH,
  organisationDataPath,
  programmeDataPath,
  territoryDataPath,
  publicCacheFor,
  STALE_CACHE_CONTROL,
  type OpenDataFormat,
  type RawQuery,
} from '../programme/index.ts';
import { OPEN_DATA_MAX } from './query.ts';
import { openDataJsonSchema } from './schema.ts';
import { exportFile, type ExportScope } from './service.ts';

/**
 * Re-users' servers and pages poll these files: a shared cache may keep one a minute (a change
 * shows within a minute), then revalidates, and an unchanged file costs a 304.
 */
export const OPEN_DATA_CACHE_CONTROL = 'public, max-age=60';

const CONTENT_TYPES: Record<OpenDataFormat, string> = {
  json: `${OPEN_DATA_MEDIA_TYPES.json}; charset=utf-8`,
  csv: `${OPEN_DATA_MEDIA_TYPES.csv}; charset=utf-8; header=present`,
  rss: `${OPEN_DATA_MEDIA_TYPES.rss}; charset=utf-8`,
};

function idParam(raw: string): number | null {
  return /^[1-9]\d{0,8}$/.test(raw) ? Number(raw) : null;
}

export default async function openDataRoutes(app: FastifyInstance, { db, config, clock }: FeatureOptions) {
  const deps = { db, config, cache: publicCacheFor(db) };
  const licenceLink = `<${LICENCE.url}>; rel="license"`;
  /** The JSON Schema's address in the current language (its descriptions are written in it). */
  const schemaUrl = () => `${config.publicUrl}${localPath(OPEN_DATA_SCHEMA_PATH)}`;

  /** Read from any origin (a commune's site fetching the programme): GET only, nothing personal here. */
  function openToAll(reply: FastifyReply) {
    reply
      .header('Access-Control-Allow-Origin', '*')
      .header('Access-Control-Expose-Headers', 'ETag, Link, Content-Disposition')
      .header('Cross-Origin-Resource-Policy', 'cross-origin');
  }

  async function serve(request: FastifyRequest, reply: FastifyReply, scope: ExportScope, format: OpenDataFormat, selfPath: (queryString: string) => string) {
    openToAll(reply);
    const freshness = await deps.cache.sync();
    const result = await exportFile(deps, { scope, format, query: request.query as RawQuery, now: clock.now(), selfPath });
    if (!result.ok) {
      if (result.status === 404) throw notFound(result.message);
      return reply
        .status(400)
        .type('text/plain; charset=utf-8')
        .send(`${t('openData:errors.badFilter', { message: result.message, url: `${config.publicUrl}${localPath(OPEN_DATA_PAGE_PATH)}` })}\n`);
    }
    const { file } = result;
    reply
      .header('ETag', file.etag)
      .header('Cache-Control', freshness === 'stale' ? STALE_CACHE_CONTROL : OPEN_DATA_CACHE_CONTROL)
      .header('Vary', 'Accept-Encoding')
      .header('Link', format === 'json' ? `${licenceLink}, <${schemaUrl()}>; rel="describedby"` : licenceLink);
    if (isNotModified(request.headers, file.etag)) return reply.status(304).send();
    const { encoding, body } = await encodedBody(file, request.headers['accept-encoding']);
    if (encoding !== 'identity') reply.header('Content-Encoding', encoding);
    if (format === 'csv') reply.header('Content-Disposition', 'attachment; filename="programme-sism.csv"');
    return reply.type(CONTENT_TYPES[format]).send(body);
  }

  // Compression is done once per file version (lib/shared-body.ts), not by @fastify/compress per request.
  const routeOptions = { compress: false } as const;

  for (const format of OPEN_DATA_FORMATS) {
    app.get(programmeDataPath(format), routeOptions, (request, reply) => serve(request, reply, { kind: 'programme' }, format, (q) => programmeDataPath(format, q)));

    app.get<{ Params: { id: string } }>(`/organisations/:id/programme.${format}`, routeOptions, async (request, reply) => {
      const id = idParam(request.params.id);
      if (id === null) {
        openToAll(reply);
        throw notFound(t('openData:errors.unknownOrganisation'));
      }
      return serve(request, reply, { kind: 'organisation', id }, format, (q) => organisationDataPath(id, format, q));
    });

    app.get<{ Params: { slug: string } }>(`/territoires/:slug/programme.${format}`, routeOptions, (request, reply) =>
      serve(request, reply, { kind: 'territory', slug: request.params.slug }, format, (q) => territoryDataPath(request.params.slug, format, q)),
    );
  }

  // One document per language, written once.
  const schemaBodies = new Map<string, string>();
  app.get(OPEN_DATA_SCHEMA_PATH, async (_request, reply) => {
    openToAll(reply);
    const { code } = currentLanguage();
    let schemaBody = schemaBodies.get(code);
    if (schemaBody === undefined) schemaBodies.set(code, (schemaBody = JSON.stringify(openDataJsonSchema(schemaUrl()), null, 2)));
    return reply.header('Cache-Control', 'public, max-age=3600').header('Link', licenceLink).type('application/schema+json; charset=utf-8').send(schemaBody);
  });

  app.get(OPEN_DATA_PAGE_PATH, async (_request, reply) =>
    reply.page(
      'open-data/page',
      {
        licence: LICENCE,
        maxEvents: OPEN_DATA_MAX,
        cacheControl: OPEN_DATA_CACHE_CONTROL,
        schemaUrl: schemaUrl(),
        urls: OPEN_DATA_FORMATS.map((format) => ({
          format,
          type: OPEN_DATA_MEDIA_TYPES[format],
          programme: `${config.publicUrl}${localPath(programmeDataPath(format))}`,
          example: `${config.publicUrl}${localPath(programmeDataPath(format, 'commune=Grenoble&access=lsf'))}`,
          organisation: `${config.publicUrl}${localPath(organisationDataPath(12, format))}`,
          territory: `${config.publicUrl}${localPath(territoryDataPath('grenoble', format))}`,
        })),
        categories: EVENT_CATEGORIES.map((value) => ({ value, label: CATEGORY_LABELS[value] })),
        audiences: AUDIENCES.map((value) => ({ value, label: AUDIENCE_LABELS[value] })),
        features: ACCESS_FEATURES.map((value) => ({ value, label: ACCESS_FEATURE_INFO[value].label, family: ACCESS_FEATURE_INFO[value].family })),
        accessibility: OPENAGENDA_ACCESSIBILITY_CODES.map((code) => ({
          code,
          label: OPENAGENDA_ACCESSIBILITY[code].label,
          features: ACCESS_FEATURES.filter((f) => ACCESS_FEATURE_INFO[f].family === OPENAGENDA_ACCESSIBILITY[code].family).map((f) => ACCESS_FEATURE_INFO[f].label),
          venueFacts: OPENAGENDA_ACCESSIBILITY[code].venueFacts.map((f) => VENUE_FACT_LABELS[f]),
        })),
        csvColumns: csvHeader(),
        otherFeature: ACCESS_FEATURE_INFO.other.label,
      },
      { title: t('openData:page.title') },
    ),
  );
}
