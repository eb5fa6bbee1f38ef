// The embedded database as a first `npm start` needs it, made once by scripts/build.mjs: PGlite's
// data directory, created and migrated. A fresh data directory is a copy of it
// (server/db/client.ts) instead of running initdb and every migration at start (issue 18: first
// page ≤ 5 s). Made in the (new) directory given as argument.
import { createPglite, openPglite } from '../server/db/client.ts';
import { runMigrations } from '../server/db/migrate.ts';

async function main() {
  const target = process.argv[2];
  if (!target) throw new Error('Usage : pglite-template <dossier>');
  const client = await createPglite({ dataDir: target });
  await runMigrations(openPglite(client));
  await client.close();
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
