// Read-side of events for organisers and coordinators: an event with what surrounds it, its
// history, an organisation's list and the coordinator's queue.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { appUser, edition, event, eventHistory, organisation, territory, venue } from '../db/schema.ts';
import type { EventState } from '../domain/vocabulary.ts';
import type { EventRow } from './history.ts';
import { SNAPSHOT_FIELDS, diff, snapshotOf, venueLabel, type Change, type EventSnapshot } from './rules.ts';

export type TerritoryRow = typeof territory.$inferSelect;
export type EditionRow = typeof edition.$inferSelect;
export type OrganisationRow = typeof organisation.$inferSelect;
type VenueRow = typeof venue.$inferSelect;

export interface EventContext {
  event: EventRow;
  territory: TerritoryRow;
  edition: EditionRow;
  organisation: OrganisationRow;
  venue: VenueRow | null;
}

export async function territoryById(db: Database, territoryId: number): Promise<TerritoryRow | undefined> {
  const [row] = await db.select().from(territory).where(eq(territory.id, territoryId));
  return row;
}

export async function organisationContext(db: Database, organisationId: number) {
  const [row] = await db
    .select({ organisation, territory })
    .from(organisation)
    .innerJoin(territory, eq(territory.id, organisation.territoryId))
    .where(eq(organisation.id, organisationId));
  return row;
}

export async function eventContext(db: Database, eventId: number): Promise<EventContext | undefined> {
  const [row] = await db
    .select({ event, territory, edition, organisation, venue })
    .from(event)
    .innerJoin(territory, eq(territory.id, event.territoryId))
    .innerJoin(edition, eq(edition.id, event.editionId))
    .innerJoin(organisation, eq(organisation.id, event.organisationId))
    .leftJoin(venue, eq(venue.id, event.venueId))
    .where(eq(event.id, eventId));
  return row;
}

export function currentSnapshot(context: Pick<EventContext, 'event' | 'venue'>): EventSnapshot {
  return snapshotOf(context.event, venueLabel(context.venue));
}

export interface HistoryRow {
  id: number;
  fromState: EventState | null;
  toState: EventState;
  message: string | null;
  changes: Record<string, unknown> | null;
  sequence: number;
  createdAt: Date;
  /** Name or email of who acted (read-only look at the accounts' users, for display). */
  actor: string | null;
}

/** The event's history, oldest first. */
export async function historyOf(db: Database, eventId: number): Promise<HistoryRow[]> {
  return db
    .select({
      id: eventHistory.id,
      fromState: eventHistory.fromState,
      toState: eventHistory.toState,
      message: eventHistory.message,
      changes: eventHistory.changes,
      sequence: eventHistory.sequence,
      createdAt: eventHistory.createdAt,
      actor: sql<string | null>`coalesce(${appUser.name}, ${appUser.email})`,
    })
    .from(eventHistory)
    .leftJoin(appUser, eq(appUser.id, eventHistory.actorUserId))
    .where(eq(eventHistory.eventId, eventId))
    .orderBy(asc(eventHistory.createdAt), asc(eventHistory.id));
}

/** The coordinator's last word on the event (changes asked, refusal, cancellation), if any. */
export function lastDecision(history: HistoryRow[]): HistoryRow | undefined {
  return history.findLast((h) => h.message !== null && ['changes_requested', 'refused', 'cancelled', 'published'].includes(h.toState));
}

function snapshotIn(row: { changes: Record<string, unknown> | null }): Partial<EventSnapshot> | undefined {
  const snapshot = row.changes?.snapshot;
  return snapshot && typeof snapshot === 'object' ? (snapshot as Partial<EventSnapshot>) : undefined;
}

/**
 * What changed since the coordinator last asked for changes: the current values against the
 * snapshot kept in history at that review. null when the proposal was never sent back.
 */
export function changesSinceLastReview(history: Array<{ toState: EventState; changes: Record<string, unknown> | null }>, current: EventSnapshot): Change<keyof EventSnapshot>[] | null {
  const reviewed = history.findLast((h) => h.toState === 'changes_requested');
  const before = reviewed && snapshotIn(reviewed);
  return before ? diff(before, current, SNAPSHOT_FIELDS) : null;
}

/** An organisation's events, the soonest first, with their place. */
export async function organisationEvents(db: Database, organisationId: number) {
  return db
    .select({
      id: event.id,
      title: event.title,
      state: event.state,
      startsAt: event.startsAt,
      endsAt: event.endsAt,
      venueName: venue.name,
      commune: venue.commune,
      onlineUrl: event.onlineUrl,
    })
    .from(event)
    .leftJoin(venue, eq(venue.id, event.venueId))
    .where(eq(event.organisationId, organisationId))
    .orderBy(asc(event.startsAt), asc(event.id));
}

export interface QueueItem {
  event: EventRow;
  organisationName: string;
  venue: VenueRow | null;
  submittedAt: Date;
  /** null: a first proposal; otherwise what changed since the last "changes requested". */
  changes: Change<keyof EventSnapshot>[] | null;
}

/** Proposals waiting for the territory's coordination, the longest-waiting first. */
export async function proposalQueue(db: Database, territoryId: number): Promise<QueueItem[]> {
  const submittedAt = sql<Date>`(select max(h.created_at) from event_history h where h.event_id = ${event.id} and h.to_state = 'submitted')`;
  const rows = await db
    .select({ event, organisationName: organisation.name, venue, submittedAt })
    .from(event)
    .innerJoin(organisation, eq(organisation.id, event.organisationId))
    .leftJoin(venue, eq(venue.id, event.venueId))
    .where(and(eq(event.territoryId, territoryId), eq(event.state, 'submitted')))
    .orderBy(sql`${submittedAt} asc nulls first`, asc(event.id));
  if (rows.length === 0) return [];
  const reviews = await db
    .select({ eventId: eventHistory.eventId, toState: eventHistory.toState, changes: eventHistory.changes })
    .from(eventHistory)
    .where(and(inArray(eventHistory.eventId, rows.map((r) => r.event.id)), eq(eventHistory.toState, 'changes_requested')))
    .orderBy(asc(eventHistory.createdAt), asc(eventHistory.id));
  return rows.map((r) => ({
    ...r,
    // Drivers differ on raw timestamp columns in subqueries (Date or string).
    submittedAt: new Date(r.submittedAt ?? r.event.updatedAt),
    changes: changesSinceLastReview(
      reviews.filter((h) => h.eventId === r.event.id),
      snapshotOf(r.event, venueLabel(r.venue)),
    ),
  }));
}
