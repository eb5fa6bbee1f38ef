// The moderation state machine
//   draft → submitted → (changes_requested ↔ submitted) → published → cancelled; submitted → refused.
// Each transition locks the event row, checks the current state, writes its history row and
// queues its mails in one transaction. No HTTP here: routes check who may act, then call these.
import { eq } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { event } from '../db/schema.ts';
import { EVENT_STATE_LABELS, type EventState } from '../domain/vocabulary.ts';
import { t } from '../i18n/index.ts';
import { notifyRegistrants } from '../registrations/index.ts';
import { mailDecision, recordHistory, type Decision, type EventRow } from './history.ts';
import { contextOf, lockEvent, type Acting } from './locked-event.ts';
import { EventRuleError } from './rule-error.ts';
import { TRANSITIONS, canTransition, isOutsideEdition, snapshotOf, venueLabel, type Transition } from './rules.ts';

/** A coordinator's decision, with the version of the event they read (its updated_at), when known. */
interface Reviewing extends Acting {
  seenVersion?: Date;
}

/** The organisation may edit a proposal under review: a decision is only about the version the coordinator read. */
function assertUnchanged(row: EventRow, seenVersion: Date | undefined) {
  if (seenVersion && seenVersion.getTime() !== row.updatedAt.getTime()) throw new EventRuleError('changed_since_seen', t('events:moderation.changedSinceSeen'));
}

function assertTransition(row: EventRow, transition: Transition) {
  if (!canTransition(transition, row.state))
    throw new EventRuleError('invalid_transition', t(`events:moderation.invalidTransition.${transition}`, { state: EVENT_STATE_LABELS[row.state] }));
}

function requiredText(value: string | null | undefined, message: string, field = 'message'): string {
  const text = (value ?? '').trim();
  if (!text) throw new EventRuleError('message_required', message, field);
  if (text.length > 4000) throw new EventRuleError('message_required', t('events:moderation.messageTooLong'), field);
  return text;
}

async function snapshot(tx: Database, row: EventRow) {
  const { venue: v } = await contextOf(tx, row);
  return snapshotOf(row, venueLabel(v));
}

async function setState(tx: Database, row: EventRow, to: EventState, now: Date, extra: Partial<typeof event.$inferInsert> = {}) {
  const [updated] = await tx
    .update(event)
    .set({ state: to, updatedAt: now, ...extra })
    .where(eq(event.id, row.id))
    .returning();
  return updated!;
}

/** A review (or a resubmission): state moves, a snapshot of what was reviewed is kept, the organisation is told. */
async function review(db: Database, eventId: number, transition: Transition, acting: Reviewing, options: { message?: string | null; decision?: Decision; extra?: (row: EventRow, tx: Database) => Promise<Partial<typeof event.$inferInsert>> }) {
  return db.transaction(async (tx) => {
    const row = await lockEvent(tx, eventId);
    assertTransition(row, transition);
    assertUnchanged(row, acting.seenVersion);
    const extra = options.extra ? await options.extra(row, tx) : {};
    const updated = await setState(tx, row, TRANSITIONS[transition].to, acting.now, extra);
    const historyId = await recordHistory(tx, {
      eventId,
      actorUserId: acting.actorUserId,
      fromState: row.state,
      toState: updated.state,
      message: options.message ?? null,
      changes: { snapshot: await snapshot(tx, updated) },
      sequence: updated.sequence,
      now: acting.now,
    });
    if (options.decision) await mailDecision(tx, updated, options.decision, options.message ?? null, historyId, acting.now);
    return updated;
  });
}

/** The organisation proposes its event to the territory's coordination. */
export async function submit(db: Database, eventId: number, acting: Acting): Promise<EventRow> {
  return review(db, eventId, 'submit', acting, {
    extra: async (row, tx) => {
      // A first proposal needs the edition open; an answer to "changes requested" is always welcome.
      if (row.state === 'draft') {
        const { edition: ed } = await contextOf(tx, row);
        if (!ed.proposalsOpen) throw new EventRuleError('proposals_closed', t('events:moderation.proposalsClosed', { year: ed.year }));
      }
      return {};
    },
  });
}

export async function requestChanges(db: Database, eventId: number, acting: Reviewing & { message: string }): Promise<EventRow> {
  const message = requiredText(acting.message, t('events:moderation.changesMessageRequired'));
  return review(db, eventId, 'requestChanges', acting, { message, decision: 'changes_requested' });
}

export async function refuse(db: Database, eventId: number, acting: Reviewing & { message: string }): Promise<EventRow> {
  const message = requiredText(acting.message, t('events:moderation.refuseMessageRequired'));
  return review(db, eventId, 'refuse', acting, { message, decision: 'refused' });
}

/**
 * Publishes a submitted proposal. Dates outside the edition need the coordinator's explicit
 * agreement (`outsideEditionApproved`), which stays on the event.
 */
export async function publish(db: Database, eventId: number, acting: Reviewing & { outsideEditionApproved?: boolean; message?: string | null }): Promise<EventRow> {
  const message = acting.message?.trim() || null;
  return review(db, eventId, 'publish', acting, {
    message,
    decision: 'published',
    extra: async (row, tx) => {
      const { edition: ed, zone } = await contextOf(tx, row);
      const outside = isOutsideEdition(row.startsAt, row.endsAt, ed, zone);
      if (outside && !row.outsideEditionApproved && !acting.outsideEditionApproved)
        throw new EventRuleError('outside_edition', t('events:moderation.outsideEditionNotApproved', { year: ed.year }), 'outsideEditionApproved');
      return { publishedAt: row.publishedAt ?? acting.now, outsideEditionApproved: row.outsideEditionApproved || outside };
    },
  });
}

/** Cancels a published event: the reason is shown publicly, registrants are told, the sequence moves. */
export async function cancel(db: Database, eventId: number, acting: Acting & { reason: string }): Promise<EventRow> {
  const reason = requiredText(acting.reason, t('events:moderation.reasonRequired'), 'reason');
  return db.transaction(async (tx) => {
    const row = await lockEvent(tx, eventId);
    assertTransition(row, 'cancel');
    const sequence = row.sequence + 1;
    const updated = await setState(tx, row, 'cancelled', acting.now, { sequence, cancellationReason: reason });
    const historyId = await recordHistory(tx, { eventId, actorUserId: acting.actorUserId, fromState: row.state, toState: 'cancelled', message: reason, sequence, now: acting.now });
    await notifyRegistrants(tx, eventId, 'event_cancelled', { sequence, reason }, acting.now);
    await mailDecision(tx, updated, 'cancelled', reason, historyId, acting.now);
    return updated;
  });
}
