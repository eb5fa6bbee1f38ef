import { readFileSync } from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { sql } from 'drizzle-orm';
import { queryRows, type Database, type DatabaseHandle } from './client.ts';
import { projectPath } from '../lib/project-path.ts';

export const migrationsFolder = projectPath('migrations');

// Any advisory lock key of our own: several app processes starting together migrate one at a time.
const MIGRATION_LOCK = 7_311_001;

/** Applies the committed drizzle-kit migrations; safe to call from several processes at once. */
export async function runMigrations(handle: DatabaseHandle): Promise<void> {
  if (handle.kind === 'pglite') {
    await migratePglite(handle.db as unknown as PgliteDatabase, { migrationsFolder });
    return;
  }
  // One connection holds a session advisory lock for the whole run (drizzle's migrator opens its
  // own transaction, so the lock cannot be transaction-scoped).
  const client = postgres(handle.url!, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await migratePostgres(drizzle(client), { migrationsFolder });
    await client`select pg_advisory_unlock(${MIGRATION_LOCK})`;
  } finally {
    await client.end({ timeout: 5 });
  }
}

/** The newest committed migration's timestamp: drizzle records it as `created_at` once applied. */
function newestMigration(): number {
  const journal = JSON.parse(readFileSync(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as { entries: Array<{ when: number }> };
  return Math.max(...journal.entries.map((entry) => entry.when));
}

/** Whether the database holds every migration this code was built with (a process started before
 *  an upgrade's migrations ran, or pointed at an old database, is not ready). */
export async function migrationsCurrent(db: Database): Promise<boolean> {
  const [row] = await queryRows<{ newest: string | number | null }>(db, sql`select max(created_at) as newest from drizzle.__drizzle_migrations`);
  return Number(row?.newest ?? 0) >= newestMigration();
}
