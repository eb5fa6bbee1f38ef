// `npm run admin -- add|remove|list [adresse]`: manage administrators from the server's shell.
// Uses the same configuration as the app (DATABASE_URL or the embedded database in DATA_DIR).
// Exit codes: 0 done, 1 refused (unknown person, last administrator…), 2 usage or configuration.
import type { DatabaseHandle } from '../server/db/client.ts';
import { configOrFail, EXIT_USAGE, openMigratedDatabase, runCommand } from '../server/lib/command.ts';
import { isEmailAddress } from '../server/lib/email-address.ts';
import { ensureAdmin, listAdmins, removeAdmin } from '../server/accounts/people.ts';

const USAGE = `Utilisation :
  npm run admin -- add adresse@exemple.fr      nomme un·e administrateur·rice (le compte est créé s'il n'existe pas)
  npm run admin -- remove adresse@exemple.fr   retire le rôle d'administrateur·rice (le compte reste)
  npm run admin -- list                        liste les administrateur·rices`;

async function run(command: string | undefined, email: string | undefined, database: DatabaseHandle): Promise<number> {
  const { db } = database;
  switch (command) {
    case 'list': {
      const admins = await listAdmins(db);
      if (admins.length === 0) console.log("Aucun·e administrateur·rice. Ajoutez-en un·e avec : npm run admin -- add adresse@exemple.fr");
      for (const admin of admins) console.log(admin.name ? `${admin.email} (${admin.name})` : admin.email);
      return 0;
    }
    case 'add': {
      const { created, promoted } = await ensureAdmin(db, email!);
      if (created) console.log(`${email} est administrateur·rice (compte créé). Connexion : /connexion, le lien arrive par e-mail.`);
      else if (promoted) console.log(`${email} est maintenant administrateur·rice.`);
      else console.log(`${email} était déjà administrateur·rice : rien à faire.`);
      return 0;
    }
    case 'remove': {
      const result = await removeAdmin(db, email!);
      const messages = {
        removed: [0, `${email} n'est plus administrateur·rice (son compte reste).`],
        unknown: [1, `Aucun compte n'existe pour ${email}.`],
        not_admin: [1, `${email} n'est pas administrateur·rice : rien à faire.`],
        last_admin: [1, `${email} est le·la dernier·e administrateur·rice : nommez-en un·e autre avant de le·la retirer.`],
      } as const;
      const [code, message] = messages[result];
      (code === 0 ? console.log : console.error)(message);
      return code;
    }
    default:
      console.error(USAGE);
      return 2;
  }
}

async function main(): Promise<number> {
  const [command, email, ...rest] = process.argv.slice(2);
  const needsEmail = command === 'add' || command === 'remove';
  if (!['add', 'remove', 'list'].includes(command ?? '') || (needsEmail && !email) || (!needsEmail && email) || rest.length > 0) {
    console.error(USAGE);
    return EXIT_USAGE;
  }
  if (needsEmail && !isEmailAddress(email!.trim())) {
    console.error(`« ${email} » n'est pas une adresse e-mail valide.`);
    return 2;
  }

  const database = await openMigratedDatabase(
    configOrFail(),
    "La base embarquée ne s'ouvre que dans un processus à la fois : arrêtez l'application (ou utilisez ADMIN_EMAIL) puis réessayez.",
  );
  try {
    return await run(command, email?.trim(), database);
  } finally {
    await database.close();
  }
}

runCommand(main);
