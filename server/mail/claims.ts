// The outbox rows' life in the worker's hands: claimed with a lease, then marked sent, retried,
// failed, or given back. Claiming is one short statement (`FOR UPDATE SKIP LOCKED`) that also bumps
// `attempts` and pushes `send_after` one lease ahead, and commits before anything is sent: several
// workers never claim the same row, and a worker that dies mid-batch leaves its rows to be claimed
// again once the lease is over.
import { and, asc, desc, eq, gte, inArray, lt, lte, sql } from 'drizzle-orm';
import type { Config } from '../config.ts';
import { pgArray, type Database } from '../db/client.ts';
import { outbox } from '../db/schema.ts';
import { groupCommit } from '../lib/group-commit.ts';
import type { MailRegistry } from './kinds.ts';

/** How long a claimed row is reserved for the worker that claimed it: renewed while the worker
 *  works on it (renewLease), so it only bounds what a crash costs — a sign-in link (valid
 *  10 minutes) held by a dead worker is due again a minute later, not five. */
export const LEASE_MS = 60_000;
/** After this many attempts a mail is marked failed (1 + 2 + 4 … 256 min: about 8 h of retries). */
export const MAX_ATTEMPTS = 10;
const MAX_BACKOFF_MS = 6 * 60 * 60_000;

/** Wait before the next attempt after `attempts` failed ones: 1, 2, 4, 8 … minutes, at most 6 h. */
export function backoffMs(attempts: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_MS);
}

export type OutboxRow = typeof outbox.$inferSelect;

/** The deterministic Message-ID of an outbox row: the same row always gives the same id. */
export function messageIdFor(config: Pick<Config, 'publicUrl'>, outboxId: number): string {
  return `<outbox-${outboxId}@${new URL(config.publicUrl).hostname}>`;
}

/** The payload without its secrets (each kind's secretPayloadKeys), as an SQL expression: once a
 *  mail is done with, its sign-in link must not stay at rest. */
export function payloadWithoutSecrets(registry: MailRegistry) {
  const cases = [...registry.kinds].flatMap(([kind, { secretPayloadKeys: keys }]) =>
    keys?.length ? [sql`when ${kind} then ${outbox.payload} - array[${sql.join(keys.map((k) => sql`${k}`), sql`, `)}]::text[]`] : [],
  );
  return cases.length === 0 ? sql`${outbox.payload}` : sql`case ${outbox.kind} ${sql.join(cases, sql` `)} else ${outbox.payload} end`;
}

/**
 * Marks failed the due rows whose attempts are used up: their last attempt ended with no verdict,
 * so the worker died while sending them (a mail that crashes it every time never loops forever).
 */
export async function abandonExhausted(db: Database, registry: MailRegistry, now: Date): Promise<OutboxRow[]> {
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(outbox)
      .set({
        status: 'failed',
        payload: payloadWithoutSecrets(registry),
        lastError: `abandonné après ${MAX_ATTEMPTS} tentatives (le processus s'est arrêté pendant l'envoi)`,
      })
      .where(and(eq(outbox.status, 'pending'), lte(outbox.sendAfter, now), gte(outbox.attempts, MAX_ATTEMPTS)))
      .returning();
    const texts = rows.filter((r) => r.channel === 'sms');
    if (texts.length > 0) await registry.onSmsFailed?.(tx, texts, now);
    return rows;
  });
}

/**
 * Claims up to `limit` due rows for this worker (committed before returning), the kinds in
 * `urgentKinds` first (a sign-in link expires in minutes; a digest can wait behind it), and
 * returns them in that order.
 */
export async function claimDue(db: Database, now: Date, limit: number, urgentKinds: readonly string[] = []): Promise<OutboxRow[]> {
  const order = [asc(outbox.sendAfter), asc(outbox.id)];
  if (urgentKinds.length > 0) order.unshift(desc(sql`(${outbox.kind} = any(${pgArray(urgentKinds)}::text[]))`));
  const due = db
    .select({ id: outbox.id })
    .from(outbox)
    .where(and(eq(outbox.status, 'pending'), lte(outbox.sendAfter, now), lt(outbox.attempts, MAX_ATTEMPTS)))
    .orderBy(...order)
    .limit(limit)
    .for('update', { skipLocked: true });
  const rows = await db
    .update(outbox)
    .set({ attempts: sql`${outbox.attempts} + 1`, sendAfter: new Date(now.getTime() + LEASE_MS) })
    .where(inArray(outbox.id, due))
    .returning();
  const urgent = new Set(urgentKinds);
  return rows.sort((a, b) => Number(urgent.has(b.kind)) - Number(urgent.has(a.kind)) || a.sendAfter.getTime() - b.sendAfter.getTime() || a.id - b.id);
}

/** Pushes the lease of rows this worker still holds one lease ahead (those another worker took
 *  over after a stall, or already marked, are left alone: claimedBy guards each). */
export async function renewLease(db: Database, rows: readonly OutboxRow[], now: Date): Promise<void> {
  if (rows.length === 0) return;
  const held = sql`(${outbox.id}, ${outbox.attempts}) in (${sql.join(rows.map((row) => sql`(${row.id}::int, ${row.attempts}::int)`), sql`, `)})`;
  await db
    .update(outbox)
    .set({ sendAfter: new Date(now.getTime() + LEASE_MS) })
    .where(and(eq(outbox.status, 'pending'), held));
}

// Every update of a claimed row is guarded by the attempt that claimed it: if this worker was so
// slow that its lease ran out and another worker took the row over, the later state wins.
export function claimedBy(row: OutboxRow) {
  return and(eq(outbox.id, row.id), eq(outbox.status, 'pending'), eq(outbox.attempts, row.attempts));
}

function markSentQuery(db: Database, registry: MailRegistry) {
  const claimed = sql`unnest(${sql.placeholder('ids')}::int[], ${sql.placeholder('attempts')}::int[], ${sql.placeholder('messageIds')}::text[]) as claimed(id, attempts, message_id)`;
  return db
    .update(outbox)
    .set({ status: 'sent', sentAt: sql`${sql.placeholder('now')}::timestamptz`, messageId: sql`claimed.message_id`, payload: payloadWithoutSecrets(registry), lastError: null })
    .from(claimed)
    .where(and(eq(outbox.status, 'pending'), sql`${outbox.id} = claimed.id and ${outbox.attempts} = claimed.attempts`))
    .prepare('outbox_mark_sent');
}
// Prepared once per database handle (and registry, whose secrets it erases): it runs every mail
// or two, and drizzle building its SQL text each time showed in profiles (npm run bench).
const preparedMarkSent = new WeakMap<MailRegistry, WeakMap<Database, ReturnType<typeof markSentQuery>>>();

/**
 * Marks sent, in one statement, the rows whose mails the SMTP server accepted while the previous
 * statement ran (group commit). Each lane waits for its row's statement before taking another
 * row, so at most `concurrency` mails are ever sent and not yet marked: what a crash can send
 * twice is what it could before, one mail per lane.
 */
export function sentMarker(db: Database, config: Pick<Config, 'publicUrl'>, registry: MailRegistry, now: Date): (row: OutboxRow) => Promise<void> {
  const byDb = preparedMarkSent.get(registry) ?? new WeakMap();
  preparedMarkSent.set(registry, byDb);
  const markSent = byDb.get(db) ?? markSentQuery(db, registry);
  byDb.set(db, markSent);
  return groupCommit(async (rows: OutboxRow[]) => {
    await markSent.execute({
      now: now.toISOString(),
      ids: pgArray(rows.map((r) => r.id)),
      attempts: pgArray(rows.map((r) => r.attempts)),
      messageIds: pgArray(rows.map((r) => messageIdFor(config, r.id))),
    });
    return [];
  });
}
