// The event's history and the notices that go with it, always written inside the caller's
// transaction: a state change, its history row and its mails commit together or not at all.
import { eq } from 'drizzle-orm';
import { listMembers } from '../accounts/index.ts';
import type { Database } from '../db/client.ts';
import { event, eventHistory, organisation } from '../db/schema.ts';
import type { EventState } from '../domain/vocabulary.ts';
import { enqueueMail } from '../mail/index.ts';
import { notifyRegistrants } from '../registrations/index.ts';
import type { Change } from './rules.ts';

export type EventRow = typeof event.$inferSelect;

export async function recordHistory(
  tx: Database,
  row: { eventId: number; actorUserId: number | null; fromState: EventState | null; toState: EventState; message?: string | null; changes?: Record<string, unknown> | null; sequence: number; now: Date },
): Promise<number> {
  const [inserted] = await tx
    .insert(eventHistory)
    .values({
      eventId: row.eventId,
      actorUserId: row.actorUserId,
      fromState: row.fromState,
      toState: row.toState,
      message: row.message ?? null,
      changes: row.changes ?? null,
      sequence: row.sequence,
      createdAt: row.now,
    })
    .returning({ id: eventHistory.id });
  return inserted!.id;
}

/** Pairs { field: [before, after] }, the shape stored in history and sent to registrants. */
export function changePairs(changes: Change[]): Record<string, [unknown, unknown]> {
  return Object.fromEntries(changes.map((c) => [c.field, [c.before, c.after]]));
}

/**
 * A change that matters to the people registered for a published event (time, place, link, an
 * accessibility feature withdrawn): bump the iTIP sequence, keep the old and new values in history
 * (`recorded`: these changes and any others saved with them), and queue a notice listing `changes`
 * to every registrant. The event row must already be locked by the caller.
 */
export async function announcePublishedChange(
  tx: Database,
  current: EventRow,
  changes: Change[],
  actorUserId: number | null,
  now: Date,
  recorded: Change[] = changes,
): Promise<number> {
  const sequence = current.sequence + 1;
  await tx.update(event).set({ sequence, updatedAt: now }).where(eq(event.id, current.id));
  await recordHistory(tx, { eventId: current.id, actorUserId, fromState: 'published', toState: 'published', changes: changePairs(recorded), sequence, now });
  await notifyRegistrants(tx, current.id, 'event_changed', { sequence, changes: changePairs(changes) }, now);
  return sequence;
}

/** An edit of a published event nobody needs to be told about (a reworded text): history only. */
export async function recordPublishedEdit(tx: Database, current: EventRow, changes: Change[], actorUserId: number | null, now: Date): Promise<void> {
  await recordHistory(tx, { eventId: current.id, actorUserId, fromState: 'published', toState: 'published', changes: changePairs(changes), sequence: current.sequence, now });
}

/** Who hears about a moderation decision: the organisation's contact address and its members. */
export async function organisationRecipients(tx: Database, organisationId: number): Promise<string[]> {
  const [org] = await tx.select({ contactEmail: organisation.contactEmail }).from(organisation).where(eq(organisation.id, organisationId));
  const members = await listMembers(tx, organisationId);
  const seen = new Map<string, string>();
  for (const email of [org?.contactEmail, ...members.map((m) => m.email)]) {
    if (email && !seen.has(email.toLowerCase())) seen.set(email.toLowerCase(), email);
  }
  return [...seen.values()];
}

export type Decision = 'changes_requested' | 'published' | 'refused' | 'cancelled';

/** Queues the moderation decision to the organisation, in the transaction of the decision. */
export async function mailDecision(tx: Database, ev: { id: number; organisationId: number }, decision: Decision, message: string | null, historyId: number, now: Date) {
  const recipients = await organisationRecipients(tx, ev.organisationId);
  return enqueueMail(
    tx,
    ...recipients.map((to) => ({
      kind: 'moderation_decision' as const,
      to,
      payload: { eventId: ev.id, decision, message },
      sendAfter: now,
      dedupeKey: `moderation_decision:${historyId}:${to.toLowerCase()}`,
    })),
  );
}
