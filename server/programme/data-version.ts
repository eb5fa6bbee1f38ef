// What version of the public data a page was built from: the cheap checks of the public page
// cache (cache.ts, docs/decisions/0002) and of the feeds' ETags.
import { sql } from 'drizzle-orm';
import { localWriteCount, type Database } from '../db/client.ts';
import { edition, event, organisation, registration, territory, venue } from '../db/schema.ts';

function snapshotQuery(db: Database) {
  return db
    .select({ snapshot: sql<string>`pg_current_snapshot()::text` })
    .from(sql`(select 1) as one`)
    .prepare('public_snapshot');
}
const preparedSnapshot = new WeakMap<Database, ReturnType<typeof snapshotQuery>>();

function localSnapshot(db: Database): string | undefined {
  const writes = localWriteCount(db);
  return writes && `local:${writes()}`;
}

/**
 * The current snapshot (xmin:xmax:in-progress ids) of the PostgreSQL cluster. It changes
 * whenever any write transaction commits, in any process and any database of the cluster: the
 * cheap first check of the public page cache (see cache.ts and docs/decisions/0002). On PGlite,
 * this process's count of writing statements (localWriteCount): it alone writes there, and the
 * check then asks the database nothing — PGlite answers one query at a time, on this thread.
 */
export async function databaseSnapshot(db: Database): Promise<string> {
  const local = localSnapshot(db);
  if (local !== undefined) return local;
  let query = preparedSnapshot.get(db);
  if (!query) {
    query = snapshotQuery(db);
    preparedSnapshot.set(db, query);
  }
  const [row] = await query.execute();
  return row?.snapshot ?? '';
}

/** Row count and sum of row versions (xmin): any insert, update or delete changes one of them. */
const tableVersion = (table: typeof event | typeof registration | typeof venue | typeof organisation | typeof territory | typeof edition) =>
  sql`(select count(*) || '.' || coalesce(sum(xmin::text::bigint), 0) from ${table})`;

function fingerprintQuery(db: Database) {
  return db
    .select({
      // pg_current_snapshot() is the statement's own snapshot: the one the fingerprint is read in.
      snapshot: sql<string>`pg_current_snapshot()::text`,
      fingerprint: sql<string>`${tableVersion(event)} || '/' || ${tableVersion(registration)} || '/' || ${tableVersion(venue)} || '/' || ${tableVersion(organisation)} || '/' || ${tableVersion(territory)} || '/' || ${tableVersion(edition)}`,
    })
    .from(sql`(select 1) as one`)
    .prepare('public_fingerprint');
}
const preparedFingerprint = new WeakMap<Database, ReturnType<typeof fingerprintQuery>>();

/**
 * What the public pages are made of, in one string that changes whenever an event, a venue, an
 * organisation, a territory, an edition or a registration is inserted, updated or deleted —
 * whoever writes it, even a feature that forgets `updated_at`. Costs a scan of those tables:
 * run only when the snapshot moved.
 */
export async function publicDataFingerprint(db: Database): Promise<{ snapshot: string; fingerprint: string }> {
  let query = preparedFingerprint.get(db);
  if (!query) {
    query = fingerprintQuery(db);
    preparedFingerprint.set(db, query);
  }
  // PGlite: counted before the query, so that a write sent meanwhile is verified again.
  const local = localSnapshot(db);
  const [row] = await query.execute();
  return { snapshot: local ?? row?.snapshot ?? '', fingerprint: row?.fingerprint ?? '' };
}
