// buildApp: every plugin and route, used by main.ts and by the tests alike (same options).
import type { Server } from 'node:http';
import Fastify, { type FastifyHttpOptions, type FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import type { DatabaseHandle } from './db/client.ts';
import type { Clock } from './lib/clock.ts';
import { privateLogHooks, privateLogSerializers } from './lib/log-privacy.ts';
import viewsPlugin from './plugins/views.ts';
import securityPlugin from './plugins/security.ts';
import formsPlugin from './plugins/forms.ts';
import inputPlugin from './plugins/input.ts';
import assetsPlugin from './plugins/assets.ts';
import sessionPlugin from './plugins/session.ts';
import languagePlugin, { stripLanguagePrefix } from './plugins/language.ts';
import { useCatalogues } from './i18n/index.ts';
import errorsPlugin from './plugins/errors.ts';
import type { FeatureOptions } from './plugins/feature.ts';
import { healthRoutes } from './health/index.ts';
import { homeRoutes } from './home/index.ts';
import { embedRoutes, programmeRoutes } from './programme/index.ts';
import { calendarRoutes } from './calendar/index.ts';
import { bookletRoutes } from './booklet/index.ts';
import { openDataRoutes } from './open-data/index.ts';
import { accountsRoutes } from './accounts/index.ts';
import { eventsRoutes } from './events/index.ts';
import { registrationRoutes } from './registrations/index.ts';
import { mailRoutes } from './mail/index.ts';
import { cockpitRoutes } from './cockpit/index.ts';
import { reportsRoutes } from './reports/index.ts';
import { mailKinds } from './mail-kinds.ts';

export interface AppDeps {
  database: DatabaseHandle;
  clock: Clock;
  /** Where log lines go (standard output when absent); tests read them here. */
  logStream?: { write(line: string): void };
}

function serverOptions(config: Config, logStream: AppDeps['logStream']): FastifyHttpOptions<Server> {
  return {
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel, serializers: privateLogSerializers, hooks: privateLogHooks, ...(logStream ? { stream: logStream } : {}) },
    // A hop count trusts the n nearest hops (0: the socket's peer), as proxy-addr counts them;
    // Fastify 5 itself would trust no hop for a number.
    trustProxy: typeof config.trustProxy === 'number' ? ((_address: string, hop: number) => hop < (config.trustProxy as number)) : config.trustProxy,
    bodyLimit: 256 * 1024,
    // Fastify waits for a body forever by default; Node checks its own limits every 30 s, so a
    // short limit needs a shorter check to be kept.
    requestTimeout: config.requestTimeoutSeconds * 1000,
    connectionTimeout: config.connectionTimeoutSeconds * 1000,
    http: {
      requestTimeout: config.requestTimeoutSeconds * 1000,
      headersTimeout: Math.min(config.requestTimeoutSeconds, 60) * 1000,
      connectionsCheckingInterval: Math.min(config.requestTimeoutSeconds * 250, 5000),
    },
    routerOptions: { ignoreTrailingSlash: true },
    // A request that reached the process while it stops is answered as usual (the database closes
    // after the server): behind the proxy, a 503 there would reach the visitor, since nginx does not
    // send a POST to another process once it has sent it to this one. Idle keep-alive connections
    // are still closed at once (forceCloseConnections: 'idle', the default).
    return503OnClosing: false,
    // « /en/programme » is routed as « /programme », answered in English (plugins/language.ts).
    rewriteUrl: (raw) => stripLanguagePrefix(raw),
  };
}

export async function buildApp(config: Config, deps: AppDeps): Promise<FastifyInstance> {
  useCatalogues(config.cataloguesExtraDir);
  const app = Fastify(serverOptions(config, deps.logStream));
  const { db } = deps.database;

  // Third-party plugins, configured from Config.
  await app.register(securityPlugin, { config, database: deps.database });
  await app.register(assetsPlugin);
  await app.register(formsPlugin, { config });
  await app.register(inputPlugin);
  await app.register(sessionPlugin, { config, db, clock: deps.clock });
  await app.register(languagePlugin, { config });
  // Our cross-cutting plugins.
  await app.register(viewsPlugin, { config });
  await app.register(errorsPlugin);

  // Features.
  const feature: FeatureOptions = { config, db, clock: deps.clock };
  await app.register(healthRoutes, feature);
  await app.register(homeRoutes, feature);
  await app.register(programmeRoutes, feature);
  await app.register(embedRoutes, feature);
  await app.register(calendarRoutes, feature);
  await app.register(bookletRoutes, feature);
  await app.register(openDataRoutes, feature);
  await app.register(accountsRoutes, feature);
  await app.register(eventsRoutes, feature);
  await app.register(registrationRoutes, feature);
  await app.register(mailRoutes, { ...feature, registry: mailKinds });
  await app.register(cockpitRoutes, feature);
  await app.register(reportsRoutes, feature);

  return app;
}
