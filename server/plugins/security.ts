// Security headers, and rate limiting (opt-in per route: `config: { rateLimit: { max, timeWindow } }`).
// The CSP allows scripts and styles from this site only: there is no inline script or style to
// allow (JSON-LD is data, which CSP does not block), so no nonce either, and a page holds nothing
// per response: the same bytes can serve every anonymous visitor.
import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { Config } from '../config.ts';
import type { DatabaseHandle } from '../db/client.ts';
import { PostgresRateLimitStore } from './rate-limit-store.ts';
import { formatNumber, inLanguage, t } from '../i18n/index.ts';

/**
 * The origin the map tiles come from, as the CSP names it: `https://{s}.tile.example.org/…`
 * (Leaflet's subdomains) becomes `https://*.tile.example.org`.
 */
export function tileOrigin(config: Pick<Config, 'mapTileUrl'>): string {
  const origin = /^https?:\/\/[^/]+/i.exec(config.mapTileUrl)![0];
  return origin.replace(/\{s\}/g, '*').toLowerCase();
}

/**
 * The site's one CSP. A page with a map allows the tile server's images (route option
 * `helmet: { contentSecurityPolicy: contentSecurityPolicy(config, { mapTiles: true }) }`); only the
 * embedded programme may be framed (framableRouteConfig), every other page has frame-ancestors
 * 'none' with X-Frame-Options.
 */
export function contentSecurityPolicy(
  config: Pick<Config, 'publicUrl' | 'mapTileUrl'>,
  extra: { mapTiles?: boolean; frameAncestors?: readonly string[] } = {},
) {
  return {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:', ...(extra.mapTiles ? [tileOrigin(config)] : [])],
      fontSrc: ["'self'"],
      connectSrc: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: extra.frameAncestors ?? ["'none'"],
      baseUri: ["'self'"],
      objectSrc: ["'none'"],
      ...(config.publicUrl.startsWith('https:') ? { upgradeInsecureRequests: [] } : {}),
    },
  };
}

/**
 * Route config for the pages other sites may frame (the embedded programme): frame-ancestors
 * from EMBED_FRAME_ANCESTORS, and no X-Frame-Options, which cannot name several sites.
 */
export function framableRouteConfig(config: Config) {
  return {
    helmet: {
      contentSecurityPolicy: contentSecurityPolicy(config, { frameAncestors: config.embedFrameAncestors }),
      frameguard: false as const,
    },
  };
}

/** Route config for a script other sites load (the embed's resizer): not only same-origin. */
export const crossOriginScriptRouteConfig = { helmet: { crossOriginResourcePolicy: { policy: 'cross-origin' as const } } };

export default fp(
  async (app, opts: { config: Config; database: DatabaseHandle }) => {
    const https = opts.config.publicUrl.startsWith('https:');
    await app.register(helmet, {
      contentSecurityPolicy: contentSecurityPolicy(opts.config),
      hsts: https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
      referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
      crossOriginEmbedderPolicy: false,
    });
    const { db, kind } = opts.database;
    await app.register(rateLimit, {
      global: false,
      // On PostgreSQL, several app processes may serve one site: they share the counts. The
      // embedded database has one process, whose memory is enough.
      ...(kind === 'postgres'
        ? {
            store: class extends PostgresRateLimitStore {
              constructor() {
                super(db);
              }
            },
          }
        : {}),
      errorResponseBuilder: (request, context) => {
        const seconds = Math.ceil(context.ttl / 1000);
        const message = inLanguage(request.language?.code, () => t('errors:rateLimit.retryIn', { count: seconds, n: formatNumber(seconds) }));
        return { statusCode: 429, error: 'Too Many Requests', message };
      },
    });
  },
  { name: 'security' },
);
