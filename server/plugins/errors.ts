// One error handler: 4xx keep a message meant for people, 5xx are logged with the request id and
// shown as a generic page, both in the request's language. If the error page itself fails to
// render, an escaped plain fallback is sent.
import fp from 'fastify-plugin';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable } from '../db/client.ts';
import { currentLanguage, inLanguage, localPath, t } from '../i18n/index.ts';
import { escapeHtml } from './views.ts';

/** A way out the error page offers first (e.g. « Recevoir à nouveau mon lien »). */
export interface ErrorLink {
  href: string;
  label: string;
}

/** An error a route or service throws on purpose: its message is shown as is. */
export class HttpError extends Error {
  constructor(
    public statusCode: number,
    message: string,
    public link?: ErrorLink,
  ) {
    super(message);
  }
}
// The default messages are read when the error is made, in the language of the request.
export const notFound = (message?: string, link?: ErrorLink) => new HttpError(404, message ?? t('errors:status.notFound.message'), link);
export const forbidden = (message?: string) => new HttpError(403, message ?? t('errors:status.forbidden.message'));

/** Each status's words, by their name in the errors catalogue (errors:status.<name>.title / .message). */
const STATUS_NAMES: Record<number, string> = {
  400: 'badRequest',
  401: 'signInNeeded',
  403: 'forbidden',
  404: 'notFound',
  405: 'methodNotAllowed',
  413: 'tooLarge',
  415: 'unsupportedType',
  429: 'tooManyRequests',
  503: 'unavailable',
  500: 'serverError',
};

function statusText(status: number): { title: string; message: string } {
  const name = STATUS_NAMES[status] ?? (status >= 500 ? 'serverError' : 'badRequest');
  return { title: t(`errors:status.${name}.title`), message: t(`errors:status.${name}.message`) };
}

function describe(status: number, error?: FastifyError | HttpError): { title: string; message: string } {
  const base = statusText(status);
  if (error instanceof HttpError) return { title: base.title, message: error.message };
  if ((error as FastifyError | undefined)?.code === 'FST_CSRF_INVALID_TOKEN' || (error as FastifyError | undefined)?.code === 'FST_CSRF_MISSING_SECRET')
    return { title: t('errors:formExpired.title'), message: t('errors:formExpired.message') };
  if (status === 429 && error?.message) return { title: base.title, message: error.message };
  return base;
}

export async function sendErrorPage(request: FastifyRequest, reply: FastifyReply, status: number, error?: FastifyError | HttpError) {
  // An error raised after the body parser (CSRF, input) may come without the language of the
  // moment: name the request's again.
  return inLanguage(request.language?.code, () => errorPage(request, reply, status, error));
}

async function errorPage(request: FastifyRequest, reply: FastifyReply, status: number, error?: FastifyError | HttpError) {
  const { title, message } = describe(status, error);
  reply.status(status);
  try {
    const link = error instanceof HttpError ? (error.link ?? null) : null;
    return await reply.page('errors/error', { status, heading: title, message, link }, { title, status, fullPage: true });
  } catch (renderError) {
    request.log.error({ err: renderError }, 'error page failed to render');
    const language = currentLanguage();
    return reply
      .status(status)
      .type('text/html; charset=utf-8')
      .send(
        `<!doctype html><html lang="${escapeHtml(language.code)}" dir="${escapeHtml(language.dir)}"><meta charset="utf-8"><title>${escapeHtml(title)}</title><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p><p><a href="${escapeHtml(localPath('/'))}">${escapeHtml(t('errors:page.backHome'))}</a></p></html>`,
      );
  }
}

export default fp(
  async (app) => {
    app.setNotFoundHandler((request, reply) => sendErrorPage(request, reply, 404));
    app.setErrorHandler((error: FastifyError | HttpError, request, reply) => {
      let status = error.statusCode ?? 500;
      if ((error as FastifyError).code === 'FST_CSRF_INVALID_TOKEN' || (error as FastifyError).code === 'FST_CSRF_MISSING_SECRET') status = 403;
      if (status < 400 || status > 599) status = 500;
      // The database is unreachable (an outage, a restart): say so at once, and when to come back.
      if (status === 500 && isDatabaseUnavailable(error)) {
        request.log.warn({ err: error }, 'database unavailable');
        reply.header('Retry-After', '30').header('Cache-Control', 'no-store');
        return sendErrorPage(request, reply, 503);
      }
      if (status >= 500) request.log.error({ err: error, reqId: request.id }, 'request failed');
      else request.log.info({ err: { message: error.message, code: (error as FastifyError).code }, status }, 'client error');
      return sendErrorPage(request, reply, status, error);
    });
  },
  { name: 'errors', dependencies: ['views'] },
);
