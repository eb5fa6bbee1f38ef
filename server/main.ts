// Entry point: config, database, migrations, demo data, listen, graceful shutdown.
import { buildApp } from './app.ts';
import { configOrFail, openMigratedDatabase, runCommand } from './lib/command.ts';
import { ensureAdmin } from './accounts/service.ts';
import { systemClock } from './lib/clock.ts';
import { startMailWorker } from './mail/worker.ts';
import { startPurgeSchedule } from './registrations/purge.ts';
import { seedDemo } from './demo/seed.ts';

async function main() {
  const config = configOrFail();
  const database = await openMigratedDatabase(config, "La base embarquée ne s'ouvre que dans un processus à la fois : une autre instance de l'application tourne-t-elle déjà ?");
  if (config.demoData) {
    const demo = await seedDemo(database.db, { now: systemClock.now(), theme: config.demoTheme });
    if (demo.created) console.log(`Programme de démonstration chargé : SISM ${demo.editionYear}, ${demo.events} événements.`);
  }
  // The first administrator (ADMIN_EMAIL): created or flagged at every start, idempotent.
  if (config.adminEmail) await ensureAdmin(database.db, config.adminEmail);
  const app = await buildApp(config, { database, clock: systemClock });

  const stops: Array<() => Promise<void>> = [];
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'arrêt en cours');
    for (const stop of stops) await stop().catch((err) => app.log.error({ err }, 'arrêt incomplet'));
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  if (config.mailWorker) {
    // The mail worker inside the app (MAIL_WORKER=false to run it alone with `npm run worker`).
    stops.push(startMailWorker({ db: database.db, config, clock: systemClock, log: app.log.child({ module: 'mail' }) }));
  }
  // Retention purge of personal data, every hour (also `npm run purge`).
  stops.push(startPurgeSchedule(database.db, config, systemClock, app.log.child({ module: 'purge' })));
  app.log.info(`Rassembler écoute sur ${config.publicUrl} (base ${database.kind === 'pglite' ? `embarquée dans ${config.dataDir}` : 'PostgreSQL'})`);
}

runCommand(main);
