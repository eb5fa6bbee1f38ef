// Capacity and waitlist: the event's row lock, the seat counts, and the promotion from the
// waitlist. No HTTP here. Every change that touches seats runs in ONE transaction that first locks the
// event row (SELECT … FOR UPDATE, docs/decisions/0006-capacity-lock.md), so two registrations
// for the same event are serialised and the count of confirmed seats can be trusted.
//
// Waitlist policy — strict first come, first served:
//  - a group is never split: all its seats are confirmed together, or it waits;
//  - freed seats go to the head of the waitlist only; if the head does not fit, nobody behind it
//    is promoted (a big group is not overtaken by smaller ones that arrived later);
//  - for the same reason a newcomer is confirmed only when nobody is waiting;
//  - positions are renumbered 1..n after every change.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { event, registration } from '../db/schema.ts';
import { notifyEach, reachColumns } from './notify.ts';

export /** Takes the event's row lock for the rest of the transaction; returns what the rules need. */
async function lockEvent(tx: Database, eventId: number) {
  const [row] = await tx
    .select({
      id: event.id,
      state: event.state,
      capacity: event.capacity,
      startsAt: event.startsAt,
      registrationOpensAt: event.registrationOpensAt,
      registrationClosesAt: event.registrationClosesAt,
      accessibilityOffered: event.accessibilityOffered,
    })
    .from(event)
    .where(eq(event.id, eventId))
    .for('update');
  return row ?? null;
}
export type LockedEvent = NonNullable<Awaited<ReturnType<typeof lockEvent>>>;

export interface SeatCounts {
  confirmedSeats: number;
  waitlisted: number;
  lastPosition: number;
}

export async function seatCounts(tx: Database, eventId: number): Promise<SeatCounts> {
  const [row] = await tx
    .select({
      confirmedSeats: sql<number>`(coalesce(sum(${registration.seats}) filter (where ${registration.state} = 'confirmed'), 0))::int`,
      waitlisted: sql<number>`(count(*) filter (where ${registration.state} = 'waitlisted'))::int`,
      lastPosition: sql<number>`(coalesce(max(${registration.waitlistPosition}), 0))::int`,
    })
    .from(registration)
    .where(eq(registration.eventId, eventId));
  return { confirmedSeats: Number(row?.confirmedSeats ?? 0), waitlisted: Number(row?.waitlisted ?? 0), lastPosition: Number(row?.lastPosition ?? 0) };
}

export interface SeatsSummary extends SeatCounts {
  capacity: number | null;
  /** Seats a newcomer can still get right away (null: free entry). */
  remaining: number | null;
}

/** For pages that show « N places restantes » (event page, organiser view). */
export async function seatsSummary(db: Database, ev: { id: number; capacity: number | null }): Promise<SeatsSummary> {
  const counts = await seatCounts(db, ev.id);
  const remaining = ev.capacity === null ? null : counts.waitlisted > 0 ? 0 : Math.max(0, ev.capacity - counts.confirmedSeats);
  return { ...counts, capacity: ev.capacity, remaining };
}

export /** Renumbers the waitlist 1..n in position order (no gaps after a departure). */
async function renumberWaitlist(tx: Database, eventId: number): Promise<void> {
  await tx.execute(sql`
    update ${registration} as r set waitlist_position = s.rn
    from (
      select id, row_number() over (order by waitlist_position, id) as rn
      from ${registration}
      where event_id = ${eventId} and state = 'waitlisted'
    ) as s
    where r.id = s.id and r.waitlist_position is distinct from s.rn`);
}

/**
 * Gives free seats to the waitlist, strictly in order (see the policy at the top), renumbers
 * what remains and tells each promoted person on their channel (notify.ts). The caller holds
 * the event lock: here after a cancellation or a change of seats, and in the events feature
 * after the capacity of a published event grows. Returns the promoted registration ids.
 */
export async function promoteFromWaitlist(tx: Database, ev: { id: number; capacity: number | null }, now: Date): Promise<number[]> {
  const waiting = await tx
    .select({ ...reachColumns, seats: registration.seats })
    .from(registration)
    .where(and(eq(registration.eventId, ev.id), eq(registration.state, 'waitlisted')))
    .orderBy(asc(registration.waitlistPosition), asc(registration.id));
  if (waiting.length === 0) return [];
  const { confirmedSeats } = await seatCounts(tx, ev.id);
  let free = ev.capacity === null ? Number.POSITIVE_INFINITY : ev.capacity - confirmedSeats;
  const promoted: typeof waiting = [];
  for (const r of waiting) {
    if (r.seats > free) break;
    free -= r.seats;
    promoted.push(r);
  }
  if (promoted.length === 0) return [];
  await tx
    .update(registration)
    .set({ state: 'confirmed', waitlistPosition: null, updatedAt: now })
    .where(inArray(registration.id, promoted.map((r) => r.id)));
  await notifyEach(
    tx,
    promoted.map((r) => ({ registration: r, notice: { kind: 'waitlist_promoted', sendAfter: now, dedupeKey: `waitlist_promoted:${r.id}` } })),
  );
  await renumberWaitlist(tx, ev.id);
  return promoted.map((r) => r.id);
}
