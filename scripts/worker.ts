// `npm run worker`: the mail worker alone, without the web app (run the app with
// MAIL_WORKER=false then). Several can run side by side, on one machine or several: they share
// the work through the database (FOR UPDATE SKIP LOCKED) and never send a mail twice.
import { configOrFail, openMigratedDatabase, runCommand } from '../server/lib/command.ts';
import { systemClock } from '../server/lib/clock.ts';
import { startMailWorker, type WorkerLog } from '../server/mail/worker.ts';
import { mailKinds } from '../server/mail-kinds.ts';
import { privateLogSerializers } from '../server/lib/log-privacy.ts';

async function main(): Promise<void> {
  const config = configOrFail();

  // One JSON line per event, like the app's logs (pino), without depending on pino directly.
  const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];
  const threshold = config.logLevel === 'silent' ? Infinity : LEVELS.indexOf(config.logLevel);
  const line = (level: string) => (obj: object, msg?: string) => {
    if (LEVELS.indexOf(level) < threshold) return;
    // Errors as the app logs them: a database error's values (addresses, names) never written.
    const fields = Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, v instanceof Error ? privateLogSerializers.err(v) : v]));
    console.log(JSON.stringify({ level, time: new Date().toISOString(), module: 'mail-worker', ...fields, msg }));
  };
  const log: WorkerLog = { info: line('info'), warn: line('warn'), error: line('error') };
  if (!config.databaseUrl) {
    log.warn({}, "sans DATABASE_URL, la base embarquée (PGlite) ne s'ouvre que dans un seul processus : arrêtez l'application ou lancez-la avec MAIL_WORKER=true");
  }
  const database = await openMigratedDatabase(config, "Arrêtez l'application, ou lancez-la avec MAIL_WORKER=true : elle envoie alors les courriels elle-même.");
  const stop = startMailWorker({ db: database.db, config, clock: systemClock, registry: mailKinds, log });
  log.info({ transport: config.smtpUrl ? 'smtp' : 'fichiers .eml' }, 'envoi des courriels démarré');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'arrêt en cours (le lot en cours est terminé)');
    await stop();
    await database.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

runCommand(main);
