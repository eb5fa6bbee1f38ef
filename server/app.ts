// buildApp: every plugin and route, used by main.ts and by the tests alike (same options).
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Config } from './config.ts';
import type { DatabaseHandle } from './db/client.ts';
import type { Clock } from './lib/clock.ts';
import { withoutTokens } from './lib/tokens.ts';
import viewsPlugin from './plugins/views.ts';
import securityPlugin from './plugins/security.ts';
import formsPlugin from './plugins/forms.ts';
import assetsPlugin from './plugins/assets.ts';
import sessionPlugin from './plugins/session.ts';
import errorsPlugin from './plugins/errors.ts';
import type { FeatureOptions } from './plugins/feature.ts';
import { homeRoutes } from './home/index.ts';
import { programmeRoutes } from './programme/index.ts';
import { calendarRoutes } from './calendar/index.ts';
import { accountsRoutes } from './accounts/index.ts';
import { eventsRoutes } from './events/index.ts';
import { registrationRoutes } from './registrations/index.ts';
import { mailRoutes } from './mail/index.ts';
import { mailKinds } from './mail-kinds.ts';

export interface AppDeps {
  database: DatabaseHandle;
  clock: Clock;
}

export function serverOptions(config: Config): FastifyServerOptions {
  return {
    logger:
      config.logLevel === 'silent'
        ? false
        : {
            level: config.logLevel,
            // A manage or confirmation link is a capability: the log keeps the route, not the key.
            serializers: { req: (request) => ({ method: request.method, url: withoutTokens(request.url), remoteAddress: request.ip }) },
          },
    trustProxy: config.trustProxy,
    bodyLimit: 256 * 1024,
    routerOptions: { ignoreTrailingSlash: true },
  };
}

export async function buildApp(config: Config, deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify(serverOptions(config));
  const { db } = deps.database;

  // Third-party plugins, configured from Config.
  await app.register(securityPlugin, { config });
  await app.register(assetsPlugin);
  await app.register(formsPlugin, { config });
  await app.register(sessionPlugin, { config, db, clock: deps.clock });
  // Our cross-cutting plugins.
  await app.register(viewsPlugin, { config });
  await app.register(errorsPlugin);

  // Features.
  const feature: FeatureOptions = { config, db, clock: deps.clock };
  await app.register(homeRoutes, feature);
  await app.register(programmeRoutes, feature);
  await app.register(calendarRoutes, feature);
  await app.register(accountsRoutes, feature);
  await app.register(eventsRoutes, feature);
  await app.register(registrationRoutes, feature);
  await app.register(mailRoutes, { ...feature, registry: mailKinds });

  return app;
}
