// Route guards: a signed-out person is sent to the sign-in page (and back afterwards).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { forbidden } from '../plugins/errors.ts';
import type { SessionUser } from '../plugins/session.ts';

/** preHandler: signed in, or redirected to /connexion?retour=… */
export async function requireSignIn(request: FastifyRequest, reply: FastifyReply) {
  if (request.user) return;
  const back = request.method === 'GET' ? request.url : '/espace';
  return reply.redirect(`/connexion?retour=${encodeURIComponent(back)}`, 303);
}

/** preHandler: an administrator. */
export async function requireAdmin(request: FastifyRequest, reply: FastifyReply) {
  if (!request.user) return requireSignIn(request, reply);
  if (!request.user.isAdmin) throw forbidden('Cette page est réservée aux administrateur·rices.');
}

/** The signed-in user in a handler behind requireSignIn. */
export function currentUser(request: FastifyRequest): SessionUser {
  if (!request.user) throw forbidden();
  return request.user;
}
