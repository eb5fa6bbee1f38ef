// Eta views through @fastify/view, and `reply.page()`: one template serves both the full page
// and the htmx fragment. With `HX-Request` (and not a history restore) the layout is skipped.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fp from 'fastify-plugin';
import fastifyView from '@fastify/view';
import { Eta } from 'eta';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import * as vocabulary from '../domain/vocabulary.ts';
import * as time from '../lib/time.ts';
import { organisationFeedUrls } from '../calendar/links.ts';

export const viewsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../views');

export interface PageOptions {
  /** Page title, without the site name; prefixed « Erreur : » when `errors` is non-empty. */
  title: string;
  status?: number;
  /** Form errors: the layout prefixes the title and the template shows the summary. */
  errors?: FieldError[];
  /** A message for the persistent role="status" region (sent out of band to htmx). */
  statusMessage?: string;
  /** Pages with personal data: no htmx history snapshot, no caching. */
  personal?: boolean;
  /** Force the full layout even for an htmx request (e.g. boosted navigation). */
  fullPage?: boolean;
  /**
   * The page has no form that changes anything (the public programme, an event's page): an
   * anonymous visitor gets no CSRF token, hence no cookie at all for reading the programme. A
   * signed-in person still gets one, for the header's sign-out form.
   */
  withoutForms?: boolean;
}

export interface FieldError {
  /** The id of the field the error is about (the summary links to it). */
  field: string;
  message: string;
}

/** What every template receives as `it.ctx`. */
export interface ViewContext {
  csrfToken: string;
  nonce: string;
  user: FastifyRequest['user'];
  path: string;
  isHtmx: boolean;
  publicUrl: string;
}

declare module 'fastify' {
  interface FastifyReply {
    /** Renders `template` (path under views/, no extension) in the layout, or alone for htmx. */
    page(template: string, data: Record<string, unknown>, options: PageOptions): Promise<FastifyReply>;
    /** Renders a template to a string with the view context but no CSRF token: for HTML shared between visitors. */
    renderTemplate(template: string, data: Record<string, unknown>): Promise<string>;
  }
  interface FastifyRequest {
    /** An htmx request that swaps a fragment (not a history restore). */
    isHtmxFragment: boolean;
  }
}

export function isHtmxFragment(request: FastifyRequest): boolean {
  return request.headers['hx-request'] === 'true' && request.headers['hx-history-restore-request'] !== 'true';
}

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export default fp(
  async (app, opts: { config: Config }) => {
    const eta = new Eta({ views: viewsDir, cache: opts.config.viewCache, autoEscape: true, autoTrim: false });
    await app.register(fastifyView, { engine: { eta }, root: viewsDir, production: opts.config.viewCache });

    // Helpers every template may use: the vocabulary, the French date formats, and the feed
    // addresses a page links to (with `it.ctx`, which carries the public URL).
    const helpers = { vocabulary, time, escapeHtml, feeds: { organisationFeedUrls } };

    app.decorateRequest('isHtmxFragment', false);
    app.addHook('onRequest', async (request, reply) => {
      request.isHtmxFragment = isHtmxFragment(request);
      reply.header('Vary', 'HX-Request');
    });

    /** `withToken`: a CSRF token (and its cookie) only where the page can post a form. */
    function context(request: FastifyRequest, reply: FastifyReply, withToken: boolean): ViewContext {
      return {
        csrfToken: withToken && typeof reply.generateCsrf === 'function' ? reply.generateCsrf() : '',
        nonce: reply.cspNonce?.script ?? '',
        user: request.user,
        path: request.url,
        isHtmx: request.isHtmxFragment,
        publicUrl: opts.config.publicUrl,
      };
    }

    app.decorateReply('renderTemplate', async function (this: FastifyReply, template: string, data: Record<string, unknown>) {
      // Shared between visitors (cached public pages, the organiser's preview of one): no token.
      const ctx = context(this.request, this, false);
      return app.view(`${template}.eta`, { ...data, ctx, h: helpers }) as Promise<string>;
    });

    app.decorateReply('page', async function (this: FastifyReply, template: string, data: Record<string, unknown>, options: PageOptions) {
      const reply = this;
      const ctx = context(reply.request, reply, !(options.withoutForms && !reply.request.user));
      const errors = options.errors ?? [];
      const body = (await app.view(`${template}.eta`, { ...data, errors, ctx, h: helpers })) as string;
      if (options.personal) reply.header('Cache-Control', 'no-store');
      reply.status(options.status ?? (errors.length > 0 ? 422 : 200)).type('text/html; charset=utf-8');
      if (reply.request.isHtmxFragment && !options.fullPage) {
        const status = options.statusMessage
          ? // Only the text changes: the layout's live region stays in place, so screen readers announce it
            // (a region swapped in whole is often not).
            `<div id="status" hx-swap-oob="innerHTML">${escapeHtml(options.statusMessage)}</div>`
          : '';
        return reply.send(body + status);
      }
      const title = `${errors.length > 0 ? 'Erreur : ' : ''}${options.title} – Rassembler`;
      const html = await app.view('layouts/main.eta', {
        ctx,
        h: helpers,
        title,
        body,
        statusMessage: options.statusMessage ?? '',
        personal: options.personal ?? false,
      });
      return reply.send(html);
    });
  },
  { name: 'views' },
);
