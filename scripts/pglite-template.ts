// The embedded database as a first `npm start` needs it, made once by scripts/build.mjs: PGlite's
// data directory, created and migrated, as a tarball. A fresh data directory is unpacked from it
// (server/db/client.ts) instead of running initdb and every migration at start (issue 18: first
// page ≤ 5 s). Written to the path given as argument.
import { writeFileSync } from 'node:fs';
import { createPglite, openPglite } from '../server/db/client.ts';
import { runMigrations } from '../server/db/migrate.ts';

async function main() {
  const target = process.argv[2];
  if (!target) throw new Error('Usage : pglite-template <fichier.tar.gz>');
  const client = await createPglite();
  await runMigrations(openPglite(client));
  const dump = await client.dumpDataDir('gzip');
  await client.close();
  writeFileSync(target, Buffer.from(await dump.arrayBuffer()));
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
