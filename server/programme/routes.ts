// The public programme (GET filters, htmx fragment of the results) and the public event page.
// Thin: the pages come from pages.ts through the public cache; here only HTTP concerns.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { FeatureOptions } from '../plugins/feature.ts';
import { encodedBody, isNotModified } from '../lib/shared-body.ts';
import { notFound } from '../plugins/errors.ts';
import { t } from '../i18n/index.ts';
import { contentSecurityPolicy } from '../plugins/security.ts';
import { publicCacheFor } from './cache.ts';
import { MAP_PATH, type RawQuery } from './filters.ts';
import { mapPage } from './map-page.ts';
import { eventPage, programmePage, sharedResponse, type Render, type RenderedPage } from './pages.ts';

/**
 * A full page as an anonymous visitor gets it holds nothing personal (no token, no nonce), but a
 * signed-in person gets the same URL with their menu: no shared cache may keep it. The browser
 * revalidates, and an unchanged page costs a 304.
 */
export const PAGE_CACHE_CONTROL = 'private, no-cache';
/** The htmx fragment is the same for everyone. */
export const FRAGMENT_CACHE_CONTROL = 'no-cache';
/** Served from the cache while the database cannot be reached: good for a short while only. */
export const STALE_CACHE_CONTROL = 'private, max-age=30';

export const renderWith =
  (reply: FastifyReply): Render =>
  (template, data) =>
    reply.renderTemplate(template, data);

function addVary(current: unknown, name: string): string {
  const list = String(current ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
  return (list.some((v) => v.toLowerCase() === name.toLowerCase()) ? list : [...list, name]).join(', ');
}

/**
 * Sends a cached page. What everyone gets alike (the htmx fragment; the full page of an anonymous
 * visitor; a `standalone` page, a whole document without the site's layout) is made, compressed
 * and validated once per cached page; a signed-in person's full page carries their menu and a
 * CSRF token, so it is laid out for them.
 */
export async function sendPage(
  request: FastifyRequest,
  reply: FastifyReply,
  page: RenderedPage,
  freshness: 'fresh' | 'stale',
  statusMessage?: string,
  options: { standalone?: boolean } = {},
) {
  const fragment = request.isHtmxFragment && !options.standalone;
  reply.header('Cache-Control', freshness === 'stale' ? STALE_CACHE_CONTROL : fragment ? FRAGMENT_CACHE_CONTROL : PAGE_CACHE_CONTROL);
  const data = { html: page.html };
  if (!fragment && request.user && !options.standalone) return reply.page('programme/_html', data, { title: page.title, alternates: page.alternates });
  const layOut = options.standalone ? async () => page.html : () => reply.sharedPage('programme/_html', data, { title: page.title, statusMessage, alternates: page.alternates });
  const shared = await sharedResponse(page, fragment ? 'fragment' : 'full', layOut);
  reply.header('ETag', shared.etag).header('Vary', addVary(reply.getHeader('Vary'), 'Accept-Encoding'));
  if (isNotModified(request.headers, shared.etag)) return reply.code(304).send();
  const { encoding, body } = await encodedBody(shared, request.headers['accept-encoding']);
  if (encoding !== 'identity') reply.header('Content-Encoding', encoding);
  return reply.type('text/html; charset=utf-8').send(body);
}

const programmeRoutes: FastifyPluginAsync<FeatureOptions> = async (app, { db, config, clock }) => {
  const deps = { db, config, cache: publicCacheFor(db) };

  app.get('/programme', async (request, reply) => {
    const freshness = await deps.cache.sync();
    const fragment = request.isHtmxFragment;
    const { page, canonicalUrl } = await programmePage(deps, { query: request.query as RawQuery, now: clock.now(), fragment, render: renderWith(reply) });
    // The form pushes its raw query (empty fields included): push the canonical one instead.
    if (fragment) reply.header('HX-Push-Url', canonicalUrl);
    return sendPage(request, reply, page, freshness, fragment ? page.statusMessage : undefined);
  });

  // The map page alone may show images from the tile server.
  const mapCsp = { contentSecurityPolicy: contentSecurityPolicy(config, { mapTiles: true }) };
  app.get(MAP_PATH, { helmet: mapCsp }, async (request, reply) => {
    const freshness = await deps.cache.sync();
    const page = await mapPage(deps, { query: request.query as RawQuery, now: clock.now(), render: renderWith(reply) });
    return sendPage(request, reply, page, freshness);
  });

  app.get<{ Params: { id: string } }>('/evenements/:id', async (request, reply) => {
    const notPublic = () => notFound(t('programme:event.notFound'));
    if (!/^[1-9]\d{0,9}$/.test(request.params.id)) throw notPublic();
    const freshness = await deps.cache.sync();
    const page = await eventPage(deps, { id: Number(request.params.id), now: clock.now(), render: renderWith(reply) });
    if (!page) throw notPublic();
    return sendPage(request, reply, page, freshness);
  });
};

export default programmeRoutes;
