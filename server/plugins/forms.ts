// Form bodies, cookies and CSRF protection. CSRF uses a signed double-submit cookie so that
// residents without an account are protected too, and every unsafe method is checked —
// forms send `_csrf`, htmx sends the `x-csrf-token` header set on <body>.
import fp from 'fastify-plugin';
import formbody from '@fastify/formbody';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import type { FastifyReply } from 'fastify';
import type { Config } from '../config.ts';

const CSRF_COOKIE = 'csrf';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export default fp(
  async (app, opts: { config: Config }) => {
    await app.register(formbody, { bodyLimit: 64 * 1024 });
    await app.register(cookie, { secret: opts.config.sessionSecret });
    await app.register(csrf, {
      sessionPlugin: '@fastify/cookie',
      cookieKey: CSRF_COOKIE,
      cookieOpts: {
        signed: true,
        httpOnly: true,
        sameSite: 'lax',
        path: '/',
        secure: opts.config.publicUrl.startsWith('https:'),
      },
    });
    app.addHook('preHandler', (request, reply, done) => {
      if (!UNSAFE.has(request.method)) return done();
      app.csrfProtection(request, reply, done);
    });
  },
  { name: 'forms' },
);

/**
 * Drops the CSRF secret when the person signs in or out: a secret planted or read before (by
 * someone who shared the browser, or set the cookie from a sibling site) is worth nothing after.
 * The next page the browser loads gets a new one, with its token.
 */
export function renewCsrfSecret(reply: FastifyReply): void {
  reply.clearCookie(CSRF_COOKIE, { path: '/' });
}
