// A one-time message carried across a POST → 303 → GET (« Invitation envoyée… »), kept in the
// server-side session and shown once in the page and the role="status" region.
import type { FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface Session {
    flash?: string;
  }
}

export function setFlash(request: FastifyRequest, message: string): void {
  // The session is null after a sign-out or a timed-out session was destroyed.
  if (request.session) request.session.flash = message;
}

export function takeFlash(request: FastifyRequest): string | undefined {
  const message = request.session?.flash;
  if (message !== undefined) delete request.session.flash;
  return message;
}
