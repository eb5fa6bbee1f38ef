// `npm run purge`: deletes the personal data whose retention has expired (access-need details and
// consents NEEDS_RETENTION_DAYS after each event, identities IDENTITY_RETENTION_DAYS after the
// edition), sent mails, expired sessions and spent sign-in links, keeping aggregate counts. The
// app also runs it every hour; this is for cron or a
// one-off run. Idempotent. Exit codes: 0 done, 1 failure, 2 configuration.
import { configOrFail, openMigratedDatabase, runCommand } from '../server/lib/command.ts';
import { systemClock } from '../server/lib/clock.ts';
import { purgeAll } from '../server/registrations/purge.ts';

async function main(): Promise<number> {
  const config = configOrFail();
  const database = await openMigratedDatabase(
    config,
    "La base embarquée ne s'ouvre que dans un processus à la fois : l'application en marche fait déjà cette purge toutes les heures.",
  );
  try {
    const result = await purgeAll(database.db, config, systemClock.now());
    console.log(
      `Purge terminée : ${result.needsDeleted} besoin(s) d'accessibilité et ${result.consentsCleared} accord(s) effacés ` +
        `(plus de ${config.needsRetentionDays} jours après l'événement), ${result.identitiesPurged} identité(s) effacée(s) ` +
        `(plus de ${config.identityRetentionDays} jours après l'édition), ${result.mailsDeleted} courriel(s) effacé(s) de la file d'envoi, ` +
        `${result.sessionsDeleted} session(s) expirée(s), ${result.signInLinksDeleted} lien(s) de connexion périmé(s) et ${result.rateLimitCountsDeleted} compteur(s) de limite par adresse terminés supprimés.`,
    );
    return 0;
  } finally {
    await database.close();
  }
}

runCommand(main);
