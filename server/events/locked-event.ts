// An event row under its lock (SELECT … FOR UPDATE) for the rest of a transaction, and what
// surrounds it, as moderation and editing both need them.
import { eq } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { edition, event, territory, venue } from '../db/schema.ts';
import type { EventRow } from './history.ts';
import { t } from '../i18n/index.ts';
import { EventRuleError } from './rule-error.ts';

/** Who acts, and when. */
export interface Acting {
  actorUserId: number;
  now: Date;
}

export async function lockEvent(tx: Database, eventId: number): Promise<EventRow> {
  const [row] = await tx.select().from(event).where(eq(event.id, eventId)).for('update');
  if (!row) throw new EventRuleError('not_found', t('events:errors.eventNotFound'));
  return row;
}

export async function contextOf(tx: Database, row: Pick<EventRow, 'editionId' | 'territoryId' | 'venueId'>) {
  const [ed] = await tx.select().from(edition).where(eq(edition.id, row.editionId));
  const [ter] = await tx.select().from(territory).where(eq(territory.id, row.territoryId));
  const [v] = row.venueId ? await tx.select().from(venue).where(eq(venue.id, row.venueId)) : [];
  return { edition: ed!, zone: ter!.timeZone, venue: v ?? null };
}
