// The printed programme over HTTP: /programme.pdf with the programme page's filters, and one
// territory's at /territoires/:slug/programme.pdf; « format=a5 » for the folded booklet. Thin: the
// file comes from service.ts through the public cache. Everyone gets the same file: a shared cache
// may keep it, but asks again each time (a change shows at once) and an unchanged file costs a 304.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FeatureOptions } from '../plugins/feature.ts';
import { isNotModified } from '../lib/shared-body.ts';
import { STALE_CACHE_CONTROL, publicCacheFor, separatePublicCache, type RawQuery } from '../programme/index.ts';
import { bookletFile } from './service.ts';

/** Files kept (about 0.5 MB for 500 events): every territory's in both formats, and some filtered ones. */
const MAX_FILES = 40;

export default async function bookletRoutes(app: FastifyInstance, { config, db, clock }: FeatureOptions) {
  const deps = { db, config, cache: publicCacheFor(db), files: separatePublicCache(db, MAX_FILES) };

  async function send(request: FastifyRequest, reply: FastifyReply, territorySlug: string | null) {
    const freshness = (await Promise.all([deps.cache.sync(), deps.files.sync()])).includes('stale') ? 'stale' : 'fresh';
    const file = await bookletFile(deps, { query: request.query as RawQuery, territorySlug, now: clock.now() });
    reply
      .header('ETag', file.etag)
      .header('Cache-Control', freshness === 'stale' ? STALE_CACHE_CONTROL : 'public, no-cache')
      .header('Content-Disposition', `inline; filename="${file.fileName}"`);
    if (isNotModified(request.headers, file.etag)) return reply.code(304).send();
    return reply.type('application/pdf').send(file.body);
  }

  // A PDF is compressed already (its streams): gzip would cost time for a few per cent.
  const routeOptions = { compress: false } as const;
  app.get('/programme.pdf', routeOptions, (request, reply) => send(request, reply, null));
  app.get<{ Params: { slug: string } }>('/territoires/:slug/programme.pdf', routeOptions, (request, reply) => send(request, reply, request.params.slug));
}
