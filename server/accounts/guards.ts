// Route guards: a signed-out person is sent to the sign-in page (and back afterwards); a plugin
// whose routes all name one object checks, in one hook, that this person may act on it.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { forbidden } from '../plugins/errors.ts';
import type { SessionUser } from '../plugins/session.ts';
import { t } from '../i18n/index.ts';

/** preHandler: signed in, or redirected to /connexion?retour=… */
export async function requireSignIn(request: FastifyRequest, reply: FastifyReply) {
  if (request.user) return;
  const back = request.method === 'GET' ? request.url : '/espace';
  return reply.redirect(`/connexion?retour=${encodeURIComponent(back)}`, 303);
}

/** preHandler: an administrator. */
export async function requireAdmin(request: FastifyRequest, reply: FastifyReply) {
  if (!request.user) return requireSignIn(request, reply);
  if (!request.user.isAdmin) throw forbidden(t('accounts:admin.adminOnly'));
}

/** The signed-in user in a handler behind requireSignIn. */
export function currentUser(request: FastifyRequest): SessionUser {
  if (!request.user) throw forbidden();
  return request.user;
}

/**
 * A preHandler for a plugin whose every route names one object: signed in (or sent to sign in),
 * then `load` fetches the object and checks this person may act on it (404 or 403 otherwise).
 * Handlers read it back with `of(request)`, never loading or checking it again.
 */
export function signedInWith<T>(load: (request: FastifyRequest, user: SessionUser) => Promise<T>) {
  const loaded = new WeakMap<FastifyRequest, T>();
  return {
    hook: async (request: FastifyRequest, reply: FastifyReply) => {
      if (!request.user) return requireSignIn(request, reply);
      loaded.set(request, await load(request, request.user));
    },
    of(request: FastifyRequest): T {
      if (!loaded.has(request)) throw new Error('signedInWith: its hook did not run for this route');
      return loaded.get(request) as T;
    },
  };
}
