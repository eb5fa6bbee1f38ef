// Security headers, and rate limiting (opt-in per route: `config: { rateLimit: { max, timeWindow } }`).
// The CSP allows scripts and styles from this site only: there is no inline script or style to
// allow (JSON-LD is data, which CSP does not block), so no nonce either, and a page holds nothing
// per response: the same bytes can serve every anonymous visitor.
import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { Config } from '../config.ts';

export default fp(
  async (app, opts: { config: Config }) => {
    const https = opts.config.publicUrl.startsWith('https:');
    await app.register(helmet, {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          baseUri: ["'self'"],
          objectSrc: ["'none'"],
          ...(https ? { upgradeInsecureRequests: [] } : {}),
        },
      },
      hsts: https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
      referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
      crossOriginEmbedderPolicy: false,
    });
    await app.register(rateLimit, {
      global: false,
      errorResponseBuilder: (_request, context) => ({
        statusCode: 429,
        error: 'Too Many Requests',
        message: `Trop de demandes en peu de temps. Merci de réessayer dans ${Math.ceil(context.ttl / 1000)} secondes.`,
      }),
    });
  },
  { name: 'security' },
);
