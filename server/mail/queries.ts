// What administrators see of the outbox (failed mails, mails waiting for another attempt) and
// the one action they have on it: send a failed mail again.
import { and, desc, eq, isNotNull, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { outbox, type OutboxStatus } from '../db/schema.ts';
import type { MailRegistry } from './kinds.ts';

export async function outboxCounts(db: Database): Promise<Record<OutboxStatus, number>> {
  const rows = await db.select({ status: outbox.status, count: sql<number>`count(*)::int` }).from(outbox).groupBy(outbox.status);
  const counts: Record<OutboxStatus, number> = { pending: 0, sent: 0, failed: 0 };
  for (const row of rows) counts[row.status] = Number(row.count);
  return counts;
}

const listColumns = {
  id: outbox.id,
  kind: outbox.kind,
  recipient: outbox.recipient,
  attempts: outbox.attempts,
  lastError: outbox.lastError,
  sendAfter: outbox.sendAfter,
  createdAt: outbox.createdAt,
};

export async function failedMails(db: Database, limit = 200) {
  return db.select(listColumns).from(outbox).where(eq(outbox.status, 'failed')).orderBy(desc(outbox.id)).limit(limit);
}

/** Pending mails whose last attempt failed: they will be tried again at `sendAfter`. */
export async function retryingMails(db: Database, limit = 200) {
  return db
    .select(listColumns)
    .from(outbox)
    .where(and(eq(outbox.status, 'pending'), isNotNull(outbox.lastError)))
    .orderBy(outbox.sendAfter)
    .limit(limit);
}

/**
 * A failed mail back in the queue, due now, with a fresh count of attempts. Not if it is not failed,
 * nor if its sign-in link was erased when it failed (a new link must be asked for instead).
 */
export async function resendFailedMail(db: Database, registry: MailRegistry, id: number, now: Date): Promise<'queued' | 'not_failed' | 'link_erased'> {
  const [row] = await db.select({ kind: outbox.kind, payload: outbox.payload }).from(outbox).where(and(eq(outbox.id, id), eq(outbox.status, 'failed')));
  if (!row) return 'not_failed';
  const secrets = registry.kinds.get(row.kind)?.secretPayloadKeys ?? [];
  if (secrets.some((key) => !(key in row.payload))) return 'link_erased';
  const rows = await db
    .update(outbox)
    .set({ status: 'pending', attempts: 0, sendAfter: now, lastError: null })
    .where(and(eq(outbox.id, id), eq(outbox.status, 'failed')))
    .returning({ id: outbox.id });
  return rows.length > 0 ? 'queued' : 'not_failed';
}
