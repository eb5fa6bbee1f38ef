// One error handler: 4xx keep a French message meant for people, 5xx are logged with the
// request id and shown as a generic French page. If the error page itself fails to render,
// an escaped plain fallback is sent.
import fp from 'fastify-plugin';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable } from '../db/client.ts';
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
export const notFound = (message = "Cette page n'existe pas ou n'existe plus.", link?: ErrorLink) => new HttpError(404, message, link);
export const forbidden = (message = "Vous n'avez pas accès à cette page.") => new HttpError(403, message);

const MESSAGES: Record<number, { title: string; message: string }> = {
  400: { title: 'Demande incorrecte', message: "La demande n'a pas pu être comprise. Vérifiez l'adresse ou le formulaire et réessayez." },
  401: { title: 'Connexion nécessaire', message: 'Connectez-vous pour accéder à cette page.' },
  403: { title: 'Accès refusé', message: "Vous n'avez pas accès à cette page." },
  404: { title: 'Page introuvable', message: "Cette page n'existe pas ou n'existe plus." },
  405: { title: 'Action impossible', message: "Cette action n'est pas possible à cette adresse." },
  413: { title: 'Envoi trop volumineux', message: 'Le formulaire envoyé est trop volumineux.' },
  415: { title: 'Format non pris en charge', message: "Le format de l'envoi n'est pas pris en charge." },
  429: { title: 'Trop de demandes', message: 'Trop de demandes en peu de temps. Merci de patienter un peu avant de réessayer.' },
  503: { title: 'Service momentanément indisponible', message: "Le service ne peut pas lire ses données pour le moment. Rien de ce que vous aviez déjà enregistré n'est perdu. Réessayez dans une minute." },
  500: { title: 'Erreur du service', message: "Une erreur est survenue de notre côté. Rien de ce que vous aviez déjà enregistré n'est perdu. Réessayez dans quelques instants." },
};

function describe(status: number, error?: FastifyError | HttpError): { title: string; message: string } {
  const base = MESSAGES[status] ?? (status >= 500 ? MESSAGES[500]! : MESSAGES[400]!);
  if (error instanceof HttpError) return { title: base.title, message: error.message };
  if ((error as FastifyError | undefined)?.code === 'FST_CSRF_INVALID_TOKEN' || (error as FastifyError | undefined)?.code === 'FST_CSRF_MISSING_SECRET')
    return { title: 'Formulaire expiré', message: 'Ce formulaire a expiré ou ne vient pas de ce site. Rechargez la page et envoyez-le à nouveau.' };
  if (status === 429 && error?.message) return { title: base.title, message: error.message };
  return base;
}

export async function sendErrorPage(request: FastifyRequest, reply: FastifyReply, status: number, error?: FastifyError | HttpError) {
  const { title, message } = describe(status, error);
  reply.status(status);
  try {
    const link = error instanceof HttpError ? (error.link ?? null) : null;
    return await reply.page('errors/error', { status, heading: title, message, link }, { title, status, fullPage: true });
  } catch (renderError) {
    request.log.error({ err: renderError }, 'error page failed to render');
    return reply
      .status(status)
      .type('text/html; charset=utf-8')
      .send(`<!doctype html><html lang="fr"><meta charset="utf-8"><title>${escapeHtml(title)}</title><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p><p><a href="/">Retour à l'accueil</a></p></html>`);
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
