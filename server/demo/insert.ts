// Inserting demo rows: in batches (one statement per few hundred rows), and looking up the ids of
// rows inserted before, which must exist.
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Database } from '../db/client.ts';

export const BATCH_SIZE = 500;

export function required<K, V>(map: Map<K, V>, key: K, what: string): V {
  const value = map.get(key);
  if (value === undefined) throw new Error(`Données de démonstration incohérentes : ${what} « ${String(key)} » inconnu.`);
  return value;
}

export async function insertInBatches<T extends PgTable>(db: Database, table: T, rows: T['$inferInsert'][]): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH_SIZE) {
    await db.insert(table).values(rows.slice(i, i + BATCH_SIZE));
  }
}
