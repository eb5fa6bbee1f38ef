// What the coordination reads before deciding on one event, and what the organiser reads on its
// own page: the history, and what the event's state allows each of them to do.
import type { Database } from '../db/client.ts';
import { changesSinceLastReview, currentSnapshot, historyOf, lastDecision, type EventContext } from './queries.ts';
import { coordinationActions, editsSincePublication, organiserActions } from './rules.ts';

/**
 * For the coordination: what changed since it last asked for changes (a proposal under review),
 * what was edited since publication (a published event), and the decisions the state allows.
 */
export async function reviewOf(db: Database, ctx: Pick<EventContext, 'event' | 'venue'>) {
  const history = await historyOf(db, ctx.event.id);
  const can = coordinationActions(ctx.event.state);
  return {
    history,
    changes: can.review ? changesSinceLastReview(history, currentSnapshot(ctx)) : null,
    editedSincePublication: ctx.event.state === 'published' ? editsSincePublication(history) : null,
    can,
  };
}

/** For the organiser: the coordination's last word, and what the state allows. */
export async function organiserViewOf(db: Database, ctx: Pick<EventContext, 'event'>) {
  const history = await historyOf(db, ctx.event.id);
  return { history, decision: lastDecision(history), can: organiserActions(ctx.event.state) };
}
