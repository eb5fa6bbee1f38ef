// Entry point: config, database, migrations, demo data, listen, graceful shutdown.
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { configOrFail, openMigratedDatabase, runCommand } from './lib/command.ts';
import { ensureAdmin } from './accounts/index.ts';
import { configWarnings } from './config.ts';
import type { DatabaseHandle } from './db/client.ts';
import { systemClock } from './lib/clock.ts';
import { startMailWorker } from './mail/index.ts';
import { mailKinds } from './mail-kinds.ts';
import { startPurgeSchedule } from './registrations/index.ts';
import { seedDemo } from './demo/index.ts';

async function main() {
  const config = configOrFail();

  // Signals are handled from the moment the database is open: a Ctrl-C during the first (slow)
  // PGlite start, the migrations or the demo data still closes it cleanly. A second signal forces.
  let database: DatabaseHandle | undefined;
  let app: FastifyInstance | undefined;
  const stops: Array<() => Promise<void>> = [];
  let closing: Promise<never> | undefined;
  const shutdown = (signal: string) => {
    if (closing) {
      console.error(`${signal} reçu une seconde fois : arrêt immédiat.`);
      process.exit(1);
    }
    if (app) app.log.info({ signal }, 'arrêt en cours');
    else console.error(`${signal} reçu : arrêt en cours.`);
    const incomplete = (err: unknown) => (app ? app.log.error({ err }, 'arrêt incomplet') : console.error('Arrêt incomplet :', err));
    closing = (async () => {
      for (const stop of stops) await stop().catch(incomplete);
      await app?.close().catch(incomplete);
      await database?.close().catch(incomplete);
      process.exit(0);
    })();
    return closing;
  };
  const onSignal = (signal: string) => void shutdown(signal);
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  try {
    database = await openMigratedDatabase(
      config,
      "La base embarquée ne s'ouvre que dans un processus à la fois : une autre instance de l'application tourne-t-elle déjà ?",
      (opened) => (database = opened),
    );
    if (config.demoData) {
      const demo = await seedDemo(database.db, { now: systemClock.now(), theme: config.demoTheme });
      if (demo.created) console.log(`Programme de démonstration chargé : SISM ${demo.editionYear}, ${demo.events} événements.`);
    }
    // The first administrator (ADMIN_EMAIL): created or flagged at every start, idempotent.
    if (config.adminEmail) await ensureAdmin(database.db, config.adminEmail);
    app = await buildApp(config, { database, clock: systemClock });
    for (const warning of configWarnings(config)) app.log.warn(warning);

    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    // Interrupted while starting: the work in progress fails as the database closes; let the shutdown finish.
    if (closing) return closing;
    throw error;
  }
  if (config.mailWorker) {
    // The mail worker inside the app (MAIL_WORKER=false to run it alone with `npm run worker`).
    stops.push(startMailWorker({ db: database.db, config, clock: systemClock, registry: mailKinds, log: app.log.child({ module: 'mail' }) }));
  }
  // Retention purge of personal data, every hour (also `npm run purge`).
  stops.push(startPurgeSchedule(database.db, config, systemClock, app.log.child({ module: 'purge' })));
  app.log.info(`Rassembler écoute sur ${config.publicUrl} (base ${database.kind === 'pglite' ? `embarquée dans ${config.dataDir}` : 'PostgreSQL'})`);
}

runCommand(main);
