// `npm run purge`: deletes the personal data whose retention has expired (access-need details and
// consents NEEDS_RETENTION_DAYS after each event, identities IDENTITY_RETENTION_DAYS after the
// edition), keeping aggregate counts. The app also runs it every hour; this is for cron or a
// one-off run. Idempotent. Exit codes: 0 done, 1 failure, 2 configuration.
import { ConfigError, loadConfig } from '../server/config.ts';
import { openDatabase } from '../server/db/client.ts';
import { runMigrations } from '../server/db/migrate.ts';
import { systemClock } from '../server/lib/clock.ts';
import { purgeExpired } from '../server/registrations/purge.ts';

async function main(): Promise<number> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  let database;
  try {
    database = await openDatabase(config);
  } catch (error) {
    console.error(
      config.databaseUrl
        ? `Impossible d'ouvrir la base PostgreSQL (DATABASE_URL) : ${(error as Error).message}`
        : `Impossible d'ouvrir la base embarquée dans ${config.dataDir} : ${(error as Error).message}\n` +
            "La base embarquée ne s'ouvre que dans un processus à la fois : l'application en marche fait déjà cette purge toutes les heures.",
    );
    return 1;
  }
  try {
    await runMigrations(database);
    const result = await purgeExpired(database.db, config, systemClock.now());
    console.log(
      `Purge terminée : ${result.needsDeleted} besoin(s) d'accessibilité et ${result.consentsCleared} accord(s) effacés ` +
        `(plus de ${config.needsRetentionDays} jours après l'événement), ${result.identitiesPurged} identité(s) effacée(s) ` +
        `(plus de ${config.identityRetentionDays} jours après l'édition).`,
    );
    return 0;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
