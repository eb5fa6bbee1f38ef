// What the cockpit reads: for the events of a territory or an organisation that have not ended,
// each event's seats, waiting list and access needs by answer, in one statement of aggregates.
import { and, asc, eq, gt, inArray, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { accessNeed, event, organisation, registration } from '../db/schema.ts';

export type Scope = { territoryId: number } | { organisationId: number };

function inScope(scope: Scope): SQL {
  return 'territoryId' in scope ? eq(event.territoryId, scope.territoryId) : eq(event.organisationId, scope.organisationId);
}

const count = (condition: SQL) => sql<number>`count(*) filter (where ${condition})::int`.mapWith(Number);
const zero = (column: SQL.Aliased<number>) => sql<number>`coalesce(${column}, 0)`.mapWith(Number);
const seats = (condition: SQL) => sql<number>`coalesce(sum(${registration.seats}) filter (where ${condition}), 0)::int`.mapWith(Number);

/** Published events of the scope that have not ended, with their figures, in time order. */
export async function upcomingEventFigures(db: Database, scope: Scope, now: Date) {
  const events = db
    .select({ id: event.id })
    .from(event)
    .where(and(inScope(scope), eq(event.state, 'published'), gt(event.endsAt, now)));
  const registrations = db
    .select({
      eventId: registration.eventId,
      confirmedSeats: seats(sql`${registration.state} = 'confirmed'`).as('confirmed_seats'),
      waitingGroups: count(sql`${registration.state} = 'waitlisted'`).as('waiting_groups'),
      waitingSeats: seats(sql`${registration.state} = 'waitlisted'`).as('waiting_seats'),
    })
    .from(registration)
    .where(inArray(registration.eventId, events))
    .groupBy(registration.eventId)
    .as('registrations');
  // Needs of people still coming (confirmed or waiting): a cancelled registration needs nothing.
  const needs = db
    .select({
      eventId: registration.eventId,
      requested: count(sql`${accessNeed.status} = 'requested'`).as('requested'),
      planned: count(sql`${accessNeed.status} = 'planned'`).as('planned'),
      notPossible: count(sql`${accessNeed.status} = 'not_possible'`).as('not_possible'),
    })
    .from(accessNeed)
    .innerJoin(registration, eq(registration.id, accessNeed.registrationId))
    .where(and(inArray(registration.eventId, events), inArray(registration.state, ['confirmed', 'waitlisted'])))
    .groupBy(registration.eventId)
    .as('needs');
  const rows = await db
    .select({
      id: event.id,
      title: event.title,
      organisationName: organisation.name,
      startsAt: event.startsAt,
      accessRequestDeadline: event.accessRequestDeadline,
      capacity: event.capacity,
      accessibilityOffered: event.accessibilityOffered,
      // An event with no registration (or no need) has no row in the aggregates: zero, not null.
      confirmedSeats: zero(registrations.confirmedSeats),
      waitingGroups: zero(registrations.waitingGroups),
      waitingSeats: zero(registrations.waitingSeats),
      requested: zero(needs.requested),
      planned: zero(needs.planned),
      notPossible: zero(needs.notPossible),
    })
    .from(event)
    .innerJoin(organisation, eq(organisation.id, event.organisationId))
    .leftJoin(registrations, eq(registrations.eventId, event.id))
    .leftJoin(needs, eq(needs.eventId, event.id))
    .where(and(inScope(scope), eq(event.state, 'published'), gt(event.endsAt, now)))
    .orderBy(asc(event.startsAt), asc(event.id));
  return rows;
}

export type EventFigures = Awaited<ReturnType<typeof upcomingEventFigures>>[number];

/** The organisation's proposals sent back with requested changes, oldest first. */
export async function proposalsWithChangesRequested(db: Database, organisationId: number) {
  return db
    .select({ id: event.id, title: event.title, updatedAt: event.updatedAt })
    .from(event)
    .where(and(eq(event.organisationId, organisationId), eq(event.state, 'changes_requested')))
    .orderBy(asc(event.updatedAt), asc(event.id));
}
