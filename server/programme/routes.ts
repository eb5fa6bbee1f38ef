// The public programme (GET filters, htmx fragment of the results) and the public event page.
// Thin: the pages come from pages.ts through the public cache; here only HTTP concerns.
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { FeatureOptions } from '../app.ts';
import { acceptsGzip, deflatePart, gzipAround } from '../lib/gzip-join.ts';
import { notFound } from '../plugins/errors.ts';
import { publicCacheFor } from './cache.ts';
import type { RawQuery } from './filters.ts';
import { eventPage, programmePage, type Render, type RenderedPage } from './pages.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** A cached page inside this response: gzipped once, joined per response (see onSend below). */
    sharedPage: RenderedPage | null;
  }
}

/**
 * Full pages embed a per-visitor CSRF token and a per-response CSP nonce (in the layout): no
 * shared cache may keep them, and the browser revalidates. The speed comes from the server's
 * cache. The htmx fragment holds neither, so it gets an ETag and can be answered with 304.
 */
export const PAGE_CACHE_CONTROL = 'private, no-cache';
export const FRAGMENT_CACHE_CONTROL = 'no-cache';

const renderWith =
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

const programmeRoutes: FastifyPluginAsync<FeatureOptions> = async (app, { db, config, clock }) => {
  const deps = { db, config, cache: publicCacheFor(db) };

  // The cached page is most of each response; only the layout around it (token, nonce, menu)
  // differs. Compressing the whole page per request would cost more than the rest of the request,
  // so the cached part is deflated once and the response gzipped around it. Runs before
  // @fastify/compress (a route-level hook), which leaves an encoded body alone.
  app.decorateRequest('sharedPage', null);
  app.addHook('onSend', async (request, reply, payload) => {
    const page = request.sharedPage;
    if (!page || typeof payload !== 'string' || reply.statusCode !== 200 || !acceptsGzip(request.headers['accept-encoding'])) return payload;
    const at = payload.indexOf(page.html);
    if (at < 0) return payload;
    page.deflated ??= deflatePart(page.html);
    reply.header('Content-Encoding', 'gzip').header('Vary', addVary(reply.getHeader('Vary'), 'Accept-Encoding'));
    return gzipAround(payload.slice(0, at), page.deflated, payload.slice(at + page.html.length));
  });

  app.get('/programme', async (request, reply) => {
    await deps.cache.sync();
    const fragment = request.isHtmxFragment;
    const { page, canonicalUrl } = await programmePage(deps, { query: request.query as RawQuery, now: clock.now(), fragment, render: renderWith(reply) });
    if (fragment) {
      // The form pushes its raw query (empty fields included): push the canonical one instead.
      reply.header('Cache-Control', FRAGMENT_CACHE_CONTROL).header('ETag', page.etag).header('HX-Push-Url', canonicalUrl);
      if (request.headers['if-none-match'] === page.etag) return reply.code(304).send();
    } else {
      reply.header('Cache-Control', PAGE_CACHE_CONTROL);
    }
    request.sharedPage = page;
    return reply.page('programme/_html', { html: page.html }, { title: page.title, statusMessage: fragment ? page.statusMessage : undefined, withoutForms: true });
  });

  app.get<{ Params: { id: string } }>('/evenements/:id', async (request, reply) => {
    const notPublic = () => notFound("Cet événement n'existe pas ou n'est pas public.");
    if (!/^[1-9]\d{0,9}$/.test(request.params.id)) throw notPublic();
    await deps.cache.sync();
    const page = await eventPage(deps, { id: Number(request.params.id), now: clock.now(), render: renderWith(reply) });
    if (!page) throw notPublic();
    reply.header('Cache-Control', PAGE_CACHE_CONTROL);
    request.sharedPage = page;
    return reply.page('programme/_html', { html: page.html }, { title: page.title, withoutForms: true });
  });
};

export default programmeRoutes;
