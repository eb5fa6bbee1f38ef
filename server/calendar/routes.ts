// Calendar feeds over HTTP: one event's .ics, the programme with the programme page's filters,
// an organisation's and a territory's events, a person's registrations. Thin: scopes and text
// come from queries.ts / service.ts.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FeatureOptions } from '../plugins/feature.ts';
import { STALE_CACHE_CONTROL, type RawQuery } from '../programme/index.ts';
import { isDatabaseUnavailable } from '../db/client.ts';
import { BoundedMap } from '../lib/bounded-map.ts';
import { notFound } from '../plugins/errors.ts';
import { currentLanguage, localPath, t } from '../i18n/index.ts';
import { registrationIdForToken } from '../registrations/index.ts';
import { eventIcsFileName } from './links.ts';
import { eventScope, organisationScope, personalScope, programmeScope, territoryScope, type FeedScope } from './queries.ts';
import { encodedBody, isNotModified } from '../lib/shared-body.ts';
import { FeedCache, feedEtag, generateFeed, ResolvedFeeds } from './service.ts';

/** A database integer id from a path segment, or null (a bigger number would make PostgreSQL fail). */
function idParam(raw: string): number | null {
  return /^[1-9]\d{0,8}$/.test(raw) ? Number(raw) : null;
}

/** A programme filter the feed cannot apply: a 400, never remembered. */
class BadFilter extends Error {}

type Scope = FeedScope & { address?: string };
type ServedFeed = { etag: string; lastModified: Date; feed: Awaited<ReturnType<FeedCache['get']>> };

export default async function calendarRoutes(app: FastifyInstance, { config, db, clock }: FeatureOptions) {
  const feeds = new FeedCache();
  const resolved = new ResolvedFeeds<Scope>();

  // The last version of each public feed served, by address: what an outage still serves (stale,
  // with a short Cache-Control), like the public pages (docs/decisions/0013). Personal feeds are
  // not kept: they are never served without checking their token.
  const lastServed = new BoundedMap<string, ServedFeed>(200);

  async function serve(
    request: FastifyRequest,
    reply: FastifyReply,
    build: (now: Date) => Promise<Scope | null>,
    options: { personal?: boolean; download?: (title: string | null) => string; notFound: string },
  ) {
    let served: ServedFeed;
    // A public feed is written in the request's language; a personal one in its registration's,
    // whatever the address (calendar services poll it as it was first given).
    const address = options.personal ? request.url : `${currentLanguage().code}|${request.url}`;
    try {
      const found = await resolved.resolve(db, address, clock.now(), () => build(clock.now()));
      // A single event's file exists only while the event is public.
      if (!found || (options.download && found.version.count === 0)) throw notFound(options.notFound);
      const { scope, version } = found;
      reply.header('Content-Language', scope.language);
      const etag = feedEtag(scope, version);
      if (isNotModified(request.headers, etag, version.lastModified)) return sendFeed(request, reply, { etag, lastModified: version.lastModified, feed: null }, options, false);
      served = { etag, lastModified: version.lastModified, feed: await feeds.get(scope, version, () => generateFeed(db, scope, config)) };
    } catch (error) {
      const last = options.personal ? undefined : lastServed.get(address);
      if (last && isDatabaseUnavailable(error)) return sendFeed(request, reply, last, options, true);
      throw error;
    }
    if (!options.personal) lastServed.set(address, served);
    return sendFeed(request, reply, served, options, false);
  }

  async function sendFeed(request: FastifyRequest, reply: FastifyReply, served: ServedFeed | (Omit<ServedFeed, 'feed'> & { feed: null }), options: { personal?: boolean; download?: (title: string | null) => string }, stale: boolean) {
    reply
      .header('ETag', served.etag)
      .header('Last-Modified', served.lastModified.toUTCString())
      // Clients must ask again each time (a change shows at once), but a 304 costs almost nothing.
      .header('Cache-Control', stale ? STALE_CACHE_CONTROL : options.personal ? 'private, no-cache' : 'public, no-cache')
      .header('Vary', 'Accept-Encoding');
    if (options.personal) reply.header('X-Robots-Tag', 'noindex');
    if (!served.feed || isNotModified(request.headers, served.etag, served.lastModified)) return reply.status(304).send();
    const { encoding, body } = await encodedBody(served.feed, request.headers['accept-encoding']);
    if (encoding !== 'identity') reply.header('Content-Encoding', encoding);
    if (options.download) reply.header('Content-Disposition', options.download(served.feed.firstTitle));
    return reply.type('text/calendar; charset=utf-8').send(body);
  }

  // Compression is done once per feed version (lib/shared-body.ts), not by @fastify/compress per request.
  const routeOptions = { compress: false } as const;

  app.get<{ Params: { id: string } }>('/evenements/:id/agenda.ics', routeOptions, async (request, reply) => {
    const id = idParam(request.params.id);
    const unknown = t('calendar:errors.unknownEvent');
    if (id === null) throw notFound(unknown);
    return serve(request, reply, async () => eventScope(id), {
      download: (title) => `attachment; filename="${eventIcsFileName(id, title ?? '')}"`,
      notFound: unknown,
    });
  });

  app.get('/programme/agenda.ics', routeOptions, async (request, reply) => {
    try {
      return await serve(
        request,
        reply,
        async (now) => {
          const result = await programmeScope(db, request.query as RawQuery, now);
          if (!result.ok) throw new BadFilter(result.message);
          return result.scope;
        },
        { notFound: t('calendar:errors.unknownProgramme') },
      );
    } catch (error) {
      if (!(error instanceof BadFilter)) throw error;
      return reply
        .status(400)
        .type('text/plain; charset=utf-8')
        .send(`${t('calendar:errors.badFilter', { message: error.message, url: `${config.publicUrl}${localPath('/programme')}` })}\n`);
    }
  });

  app.get<{ Params: { id: string } }>('/organisations/:id/agenda.ics', routeOptions, async (request, reply) => {
    const id = idParam(request.params.id);
    return serve(request, reply, async (now) => (id === null ? null : organisationScope(db, id, now)), { notFound: t('calendar:errors.unknownOrganisation') });
  });

  app.get<{ Params: { slug: string } }>('/territoires/:slug/agenda.ics', routeOptions, async (request, reply) => {
    return serve(request, reply, (now) => territoryScope(db, request.params.slug, now), { notFound: t('calendar:errors.unknownTerritory') });
  });

  app.get<{ Params: { file: string } }>('/agenda/personnel/:file', routeOptions, async (request, reply) => {
    const token = /^(.+)\.ics$/.exec(request.params.file)?.[1];
    return serve(request, reply, async (now) => {
      const registrationId = token ? await registrationIdForToken(db, token, 'feed') : null;
      return registrationId === null ? null : personalScope(db, registrationId, now);
    }, {
      personal: true,
      notFound: t('calendar:errors.unknownPersonalFeed'),
    });
  });
}
