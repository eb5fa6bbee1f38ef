// Eta views through @fastify/view, and `reply.page()`: one template serves both the full page
// and the htmx fragment. With `HX-Request` (and not a history restore) the layout is skipped.
import path from 'node:path';
import fp from 'fastify-plugin';
import fastifyView from '@fastify/view';
import { Eta } from 'eta';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import * as vocabulary from '../domain/vocabulary.ts';
import * as time from '../lib/time.ts';
import { projectPath } from '../lib/project-path.ts';
import { currentLanguage, formatNumber, languages, pathIn, t, tHtml, type LanguageInfo } from '../i18n/index.ts';
import { addVary, localiseLinks } from './language.ts';

export const viewsDir = projectPath('views');

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
  /** `<link rel="alternate">` in the head: the same content in other formats (feeds, open data). */
  alternates?: Alternate[];
}

export interface Alternate {
  type: string;
  href: string;
  title: string;
}

export interface FieldError {
  /** The id of the field the error is about (the summary links to it). */
  field: string;
  message: string;
}

/** What every template receives as `it.ctx`. */
export interface ViewContext {
  csrfToken: string;
  user: FastifyRequest['user'];
  path: string;
  isHtmx: boolean;
  publicUrl: string;
  /** The page's language (`lang`, `dir`), and the same page in each language (switch, hreflang). */
  language: LanguageInfo;
  translations: PageTranslation[];
}

export interface PageTranslation {
  language: LanguageInfo;
  /** The switch's link: remembers the choice, then opens this page in that language. */
  switchHref: string;
  /** The page's own address in that language, for hreflang. */
  url: string;
}

/** This path in every language, for the switch and `<link rel="alternate" hreflang>`. */
function translationsOf(path: string, publicUrl: string): PageTranslation[] {
  return languages().map((language) => ({
    language,
    switchHref: `/langue/${language.code}?retour=${encodeURIComponent(path)}`,
    url: `${publicUrl}${pathIn(language.code, path)}`,
  }));
}

declare module 'fastify' {
  interface FastifyReply {
    /** Renders `template` (path under views/, no extension) in the layout, or alone for htmx. */
    page(template: string, data: Record<string, unknown>, options: PageOptions): Promise<FastifyReply>;
    /**
     * The whole response body of a page as an anonymous visitor gets it (no token, no user), to be
     * shared between visitors: the caller caches it under a key that covers `template` and `data`.
     */
    sharedPage(template: string, data: Record<string, unknown>, options: Pick<PageOptions, 'title' | 'statusMessage' | 'alternates'>): Promise<string>;
    /** Renders a template alone, as `sharedPage` does: for HTML shared between visitors. */
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

    // Helpers every template may use: the vocabulary, dates and numbers in the page's language.
    // `it.t` / `it.tHtml` write the page's words from the catalogues.
    const helpers = { vocabulary, time, escapeHtml, formatNumber };
    const words = { t, tHtml };

    app.decorateRequest('isHtmxFragment', false);
    app.addHook('onRequest', async (request, reply) => {
      request.isHtmxFragment = isHtmxFragment(request);
      addVary(reply, 'HX-Request');
    });

    /** The context of a page made for this request: the person, and a CSRF token for its forms. */
    function personalContext(request: FastifyRequest, reply: FastifyReply): ViewContext {
      return { ...sharedContext(request), csrfToken: typeof reply.generateCsrf === 'function' ? reply.generateCsrf() : '', user: request.user };
    }
    /** The context of HTML shared between visitors: nobody's, no token. The layout reads the path's section only. */
    function sharedContext(request: FastifyRequest): ViewContext {
      return {
        csrfToken: '',
        user: null,
        path: request.url,
        isHtmx: request.isHtmxFragment,
        publicUrl: opts.config.publicUrl,
        language: currentLanguage(),
        translations: translationsOf(request.url, opts.config.publicUrl),
      };
    }

    /** One page: the template alone for an htmx swap (with the status message out of band), else in the layout. */
    async function compose(ctx: ViewContext, template: string, data: Record<string, unknown>, options: PageOptions): Promise<string> {
      const errors = options.errors ?? [];
      const body = (await app.view(`${template}.eta`, { ...data, errors, ctx, h: helpers, ...words })) as string;
      if (ctx.isHtmx && !options.fullPage) {
        // Only the text changes: the layout's live region stays in place, so screen readers announce it
        // (a region swapped in whole is often not).
        return localiseLinks(options.statusMessage ? `${body}<div id="status" hx-swap-oob="innerHTML">${escapeHtml(options.statusMessage)}</div>` : body, ctx.language.code);
      }
      const html = (await app.view('layouts/main.eta', {
        ctx,
        h: helpers,
        ...words,
        title: errors.length > 0 ? t('common:layout.titleWithErrors', { title: options.title }) : t('common:layout.title', { title: options.title }),
        body,
        statusMessage: options.statusMessage ?? '',
        personal: options.personal ?? false,
        alternates: options.alternates ?? [],
      })) as string;
      return localiseLinks(html, ctx.language.code);
    }

    app.decorateReply('renderTemplate', async function (this: FastifyReply, template: string, data: Record<string, unknown>) {
      const ctx = sharedContext(this.request);
      return localiseLinks((await app.view(`${template}.eta`, { ...data, ctx, h: helpers, ...words })) as string, ctx.language.code);
    });

    app.decorateReply('sharedPage', function (this: FastifyReply, template: string, data: Record<string, unknown>, options: Pick<PageOptions, 'title' | 'statusMessage' | 'alternates'>) {
      return compose(sharedContext(this.request), template, data, options);
    });

    app.decorateReply('page', async function (this: FastifyReply, template: string, data: Record<string, unknown>, options: PageOptions) {
      const reply = this;
      const html = await compose(personalContext(reply.request, reply), template, data, options);
      if (options.personal) reply.header('Cache-Control', 'no-store');
      reply.status(options.status ?? ((options.errors ?? []).length > 0 ? 422 : 200)).type('text/html; charset=utf-8');
      return reply.send(html);
    });
  },
  { name: 'views' },
);
