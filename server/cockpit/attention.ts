// « À traiter »: what needs a coordinator or an organiser now, each line with the page where it
// is resolved. Needs not answered come by their access-request deadline, overdue first: a need
// answered after the deadline is often a need that cannot be met any more.
import type { Database } from '../db/client.ts';
import { editsOfPublishedEvents, proposalQueue } from '../events/index.ts';
import { calendarDaysBetween } from '../lib/time.ts';
import { openCallCounts } from '../registrations/index.ts';
import { proposalsWithChangesRequested, upcomingEventFigures, type EventFigures, type Scope } from './queries.ts';

export interface EventLine extends EventFigures {
  /** Local calendar days to the access-request deadline (negative: past); null without one. */
  daysToDeadline: number | null;
  /** People to call (phone-only, no SMS) not yet reached. */
  openCalls: number;
}

/** Deadline first (overdue ones first, no deadline last), then the event's start. */
function byDeadline(a: EventLine, b: EventLine): number {
  const da = a.accessRequestDeadline?.getTime() ?? Infinity;
  const db = b.accessRequestDeadline?.getTime() ?? Infinity;
  return da - db || a.startsAt.getTime() - b.startsAt.getTime() || a.id - b.id;
}

async function eventLines(db: Database, scope: Scope, now: Date, zone: string): Promise<EventLine[]> {
  const figures = await upcomingEventFigures(db, scope, now);
  const calls = await openCallCounts(db, figures.map((f) => f.id));
  // Thousands of events on a large territory: each line is completed in place.
  return figures.map((f) => Object.assign(f, {
    daysToDeadline: f.accessRequestDeadline ? calendarDaysBetween(now, f.accessRequestDeadline, zone) : null,
    openCalls: calls.get(f.id) ?? 0,
  }));
}

/** The lists every scope has: needs to answer, needs refused, people to call, waiting lists. */
function eventLists(lines: EventLine[]) {
  const sum = (pick: (l: EventLine) => number) => lines.reduce((n, l) => n + pick(l), 0);
  return {
    unansweredNeeds: lines.filter((l) => l.requested > 0).sort(byDeadline),
    notPossible: lines.filter((l) => l.notPossible > 0),
    calls: lines.filter((l) => l.openCalls > 0),
    waitingLists: lines.filter((l) => l.waitingGroups > 0),
    /** What the counts at the top of each section add up. */
    totals: { requested: sum((l) => l.requested), notPossible: sum((l) => l.notPossible), openCalls: sum((l) => l.openCalls) },
  };
}

export async function territoryAttention(db: Database, territory: { id: number; name: string; timeZone: string }, now: Date) {
  const lines = await eventLines(db, { territoryId: territory.id }, now, territory.timeZone);
  const [queue, edits] = await Promise.all([proposalQueue(db, territory.id), editsOfPublishedEvents(db, lines.map((l) => l.id))]);
  return {
    territory,
    proposals: queue.map((q) => ({ id: q.event.id, title: q.event.title, organisationName: q.organisationName, waitingDays: Math.max(0, calendarDaysBetween(q.submittedAt, now, territory.timeZone)) })),
    ...eventLists(lines),
    withoutAccessibility: lines.filter((l) => l.accessibilityOffered.length === 0),
    edited: lines.flatMap((l) => {
      const edited = edits.get(l.id);
      return edited ? [{ ...l, ...edited }] : [];
    }),
  };
}

export async function organisationAttention(db: Database, organisation: { id: number; name: string; timeZone: string }, now: Date) {
  const [lines, changesRequested] = await Promise.all([eventLines(db, { organisationId: organisation.id }, now, organisation.timeZone), proposalsWithChangesRequested(db, organisation.id)]);
  return { organisation, events: lines, changesRequested, ...eventLists(lines) };
}

export type TerritoryAttention = Awaited<ReturnType<typeof territoryAttention>>;
export type OrganisationAttention = Awaited<ReturnType<typeof organisationAttention>>;
