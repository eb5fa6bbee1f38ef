// The language of each request (docs/decisions/0019-languages.md). French, the source, has no URL
// prefix; another language is its code before the path (« /en/programme »), removed before
// routing (rewriteUrl), so every route serves every language. The request then runs in that
// language: `t`, dates and the vocabulary follow it. Links and redirects keep the prefix on the
// way out. A page visited without a prefix goes to the language the person chose before (a
// cookie set by the switch) or, the first time, to the best one their browser asks for.
import type { IncomingMessage } from 'node:http';
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import { SOURCE_LANGUAGE, findLanguage, inLanguage, languages, pathIn, sourceLanguage, type LanguageInfo } from '../i18n/index.ts';

export const LANGUAGE_COOKIE = 'langue';
const SWITCH_PATH = '/langue/';

declare module 'fastify' {
  interface FastifyRequest {
    /** The language the request is answered in. */
    language: LanguageInfo;
  }
}

const prefixed = new WeakMap<IncomingMessage, string>();
const PREFIX = /^\/([a-z]{2,3}(?:-[A-Za-z0-9]+)?)(?=\/|\?|$)/;

/** Fastify's rewriteUrl: « /en/programme?jour=… » is routed as « /programme?jour=… », in English. */
export function stripLanguagePrefix(raw: IncomingMessage): string {
  const url = raw.url ?? '/';
  const match = PREFIX.exec(url);
  if (!match || match[1] === SOURCE_LANGUAGE || !findLanguage(match[1]!)) return url;
  prefixed.set(raw, match[1]!);
  const rest = url.slice(match[0].length);
  return rest.startsWith('/') ? rest : `/${rest}`;
}

/** A path of this site that a language prefix applies to (not the static files, not the switch). */
function isLocalisable(path: string): boolean {
  return path.startsWith('/') && !path.startsWith('//') && !path.startsWith('/static/') && !path.startsWith(SWITCH_PATH) && !PREFIX_OF_ANY(path);
}
function PREFIX_OF_ANY(path: string): boolean {
  const match = PREFIX.exec(path);
  return match !== null && match[1] !== SOURCE_LANGUAGE && findLanguage(match[1]!) !== undefined;
}

/** The HTML of a page in `code`: links, form actions and htmx requests to this site keep the prefix. */
export function localiseLinks(html: string, code: string): string {
  if (code === SOURCE_LANGUAGE) return html;
  return html.replace(/(\s(?:href|action|formaction|hx-get|hx-post|hx-push-url)=")(\/[^"]*)"/g, (whole, attribute: string, path: string) =>
    isLocalisable(path) ? `${attribute}${pathIn(code, path)}"` : whole,
  );
}

/** The best language of the `Accept-Language` header among those the site has, if any. */
export function acceptedLanguage(header: string | undefined): LanguageInfo | undefined {
  if (!header) return undefined;
  const ranges = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((range) => range.tag !== '' && range.tag !== '*' && range.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const range of ranges) {
    const found = languages().find((l) => l.code.toLowerCase() === range.tag) ?? languages().find((l) => l.code.toLowerCase() === range.tag.split('-')[0]);
    if (found) return found;
  }
  return undefined;
}

/** A browser opening a page (not a feed, a file, a form post or an htmx swap): it may be sent to its language. */
function isPageVisit(request: FastifyRequest): boolean {
  return (
    (request.method === 'GET' || request.method === 'HEAD') &&
    request.headers['hx-request'] !== 'true' &&
    (request.headers.accept ?? '').includes('text/html') &&
    !request.url.startsWith('/static/') &&
    !request.url.startsWith(SWITCH_PATH)
  );
}

/** Adds `names` to the response's Vary header, keeping what is there. */
export function addVary(reply: FastifyReply, ...names: string[]): void {
  const current = String(reply.getHeader('Vary') ?? '');
  const all = new Set([...current.split(',').map((v) => v.trim()).filter(Boolean), ...names]);
  reply.header('Vary', [...all].join(', '));
}

/** The local path `retour` points to, without its language prefix; « / » for anything else (no open redirect). */
function returnPath(raw: unknown): string {
  if (typeof raw !== 'string' || !raw.startsWith('/') || raw.startsWith('//') || raw.includes('\\')) return '/';
  const match = PREFIX.exec(raw);
  if (match && findLanguage(match[1]!)) {
    const rest = raw.slice(match[0].length);
    return rest.startsWith('/') ? rest : `/${rest}`;
  }
  return raw;
}

export default fp(
  async (app, opts: { config: Config }) => {
    app.decorateRequest('language', null as unknown as LanguageInfo);

    app.addHook('onRequest', (request, reply, done) => {
      const code = prefixed.get(request.raw);
      request.language = (code && findLanguage(code)) || sourceLanguage();
      reply.header('Content-Language', request.language.code);
      if (!code && isPageVisit(request)) {
        // The same address answers differently by these: shared caches must keep them apart.
        addVary(reply, 'Accept-Language', 'Cookie');
        const chosen = findLanguage(String(request.cookies?.[LANGUAGE_COOKIE] ?? ''));
        const wanted = chosen ?? acceptedLanguage(request.headers['accept-language']);
        if (wanted && wanted.code !== SOURCE_LANGUAGE) {
          reply.redirect(pathIn(wanted.code, request.url), 302);
          return;
        }
      }
      inLanguage(request.language.code, done);
    });
    // Again before the handler: a request with a body reaches it from the body parser's events.
    app.addHook('preHandler', (request, _reply, done) => inLanguage(request.language.code, done));

    app.addHook('onSend', async (request, reply, payload) => {
      const { code } = request.language;
      if (code === SOURCE_LANGUAGE || request.url.startsWith(SWITCH_PATH)) return payload;
      for (const name of ['Location', 'HX-Redirect', 'HX-Push-Url']) {
        const value = reply.getHeader(name);
        if (typeof value === 'string' && isLocalisable(value)) reply.header(name, pathIn(code, value));
      }
      return payload;
    });

    // The language switch: a plain link on every page, remembered for the next visits.
    app.get<{ Params: { code: string }; Querystring: { retour?: string } }>(`${SWITCH_PATH}:code`, async (request, reply) => {
      const language = findLanguage(request.params.code);
      const back = returnPath(request.query.retour);
      if (!language) return reply.redirect(back, 303);
      reply.setCookie(LANGUAGE_COOKIE, language.code, {
        path: '/',
        maxAge: 365 * 24 * 3600,
        sameSite: 'lax',
        httpOnly: true,
        secure: opts.config.publicUrl.startsWith('https:'),
      });
      reply.header('Cache-Control', 'no-store');
      return reply.redirect(pathIn(language.code, back), 303);
    });
  },
  { name: 'language', dependencies: ['session'] },
);
