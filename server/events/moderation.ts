// The moderation state machine
//   draft → submitted → (changes_requested ↔ submitted) → published → cancelled; submitted → refused.
// Each transition locks the event row, checks the current state, writes its history row and
// queues its mails in one transaction. No HTTP here: routes check who may act, then call these.
import { eq } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { event } from '../db/schema.ts';
import { EVENT_STATE_LABELS, type EventState } from '../domain/vocabulary.ts';
import { notifyRegistrants } from '../registrations/index.ts';
import { mailDecision, recordHistory, type Decision, type EventRow } from './history.ts';
import { contextOf, lockEvent, type Acting } from './locked-event.ts';
import { EventRuleError } from './rule-error.ts';
import { TRANSITIONS, canTransition, isOutsideEdition, snapshotOf, venueLabel, type Transition } from './rules.ts';

/** A coordinator's decision, with the version of the event they read (its updated_at), when known. */
interface Reviewing extends Acting {
  seenVersion?: Date;
}

const CHANGED_SINCE_SEEN_MESSAGE =
  "L'organisation a modifié cet événement pendant votre relecture : relisez la version actuelle ci-dessous avant de décider.";

/** The organisation may edit a proposal under review: a decision is only about the version the coordinator read. */
function assertUnchanged(row: EventRow, seenVersion: Date | undefined) {
  if (seenVersion && seenVersion.getTime() !== row.updatedAt.getTime()) throw new EventRuleError('changed_since_seen', CHANGED_SINCE_SEEN_MESSAGE);
}

const VERBS: Record<Transition, string> = {
  submit: 'proposer à la coordination',
  requestChanges: 'demander des modifications sur',
  publish: 'publier',
  refuse: 'refuser',
  cancel: 'annuler',
};

function assertTransition(row: EventRow, transition: Transition) {
  if (!canTransition(transition, row.state))
    throw new EventRuleError('invalid_transition', `Impossible de ${VERBS[transition]} un événement à l'état « ${EVENT_STATE_LABELS[row.state]} ».`);
}

function requiredText(value: string | null | undefined, message: string, field = 'message'): string {
  const text = (value ?? '').trim();
  if (!text) throw new EventRuleError('message_required', message, field);
  if (text.length > 4000) throw new EventRuleError('message_required', 'Le message est trop long (4 000 caractères au plus).', field);
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
        if (!ed.proposalsOpen) throw new EventRuleError('proposals_closed', `Les propositions sont closes pour l'édition ${ed.year}. Contactez la coordination de votre territoire.`);
      }
      return {};
    },
  });
}

export async function requestChanges(db: Database, eventId: number, acting: Reviewing & { message: string }): Promise<EventRow> {
  const message = requiredText(acting.message, "Écrivez à l'organisateur·rice ce qu'il faut modifier.");
  return review(db, eventId, 'requestChanges', acting, { message, decision: 'changes_requested' });
}

export async function refuse(db: Database, eventId: number, acting: Reviewing & { message: string }): Promise<EventRow> {
  const message = requiredText(acting.message, "Écrivez à l'organisateur·rice pourquoi la proposition est refusée.");
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
        throw new EventRuleError(
          'outside_edition',
          `Les dates sont en dehors de l'édition ${ed.year} : cochez « J'accepte des dates hors édition » pour publier quand même.`,
          'outsideEditionApproved',
        );
      return { publishedAt: row.publishedAt ?? acting.now, outsideEditionApproved: row.outsideEditionApproved || outside };
    },
  });
}

/** Cancels a published event: the reason is shown publicly, registrants are told, the sequence moves. */
export async function cancel(db: Database, eventId: number, acting: Acting & { reason: string }): Promise<EventRow> {
  const reason = requiredText(acting.reason, "Indiquez la raison de l'annulation : elle sera affichée sur la page de l'événement.", 'reason');
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
