// Capacity and waitlist: the event's row lock, the seat counts, and the promotion from the
// waitlist. No HTTP here. Every change that touches seats runs in ONE transaction that first locks the
// event row (SELECT … FOR UPDATE, docs/decisions/0006-capacity-lock.md), so two registrations
// for the same event are serialised and the count of confirmed seats can be trusted.
//
// Waitlist policy — no seat stays empty while a waiting registration fits
// (docs/decisions/0010-waitlist-fills-every-seat.md):
//  - a group is never split: all its seats are confirmed together, or it waits;
//  - whenever seats are freed, the waitlist is walked in order and every registration that fits in
//    the free seats is promoted; a group that does not fit is skipped but keeps its position, and
//    is told how many seats are free (it may lower its seat count to get in);
//  - so no waiting registration ever fits in the free seats, and a newcomer is confirmed when their
//    group fits in them (free = capacity − confirmed seats), otherwise waitlisted at the end;
//  - positions are renumbered 1..n after every change.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { event, registration } from '../db/schema.ts';
import { notifyEach, notifyRegistrant, reachColumns, type Reachable } from './notify.ts';

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
  /** Free seats: what a newcomer can get right away (null: free entry). */
  remaining: number | null;
}

/** Seats nobody holds (null: free entry). No waiting registration fits in them (see the policy). */
function freeOf(capacity: number | null, confirmedSeats: number): number | null {
  return capacity === null ? null : Math.max(0, capacity - confirmedSeats);
}

/** For pages that show « N places restantes » (event page, organiser view). */
export async function seatsSummary(db: Database, ev: { id: number; capacity: number | null }): Promise<SeatsSummary> {
  const counts = await seatCounts(db, ev.id);
  return { ...counts, capacity: ev.capacity, remaining: freeOf(ev.capacity, counts.confirmedSeats) };
}

/** The event's free seats as stored now (null: free entry or no such event), for a waiting person's page and mail. */
export async function freeSeats(db: Database, eventId: number): Promise<number | null> {
  const [row] = await db.select({ capacity: event.capacity }).from(event).where(eq(event.id, eventId));
  if (!row) return null;
  return freeOf(row.capacity, (await seatCounts(db, eventId)).confirmedSeats);
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

type Waiting = Reachable & { seats: number };

/**
 * Gives free seats to the waitlist (see the policy at the top): walks it in order and promotes
 * every registration that fits, renumbers what remains, queues a 'waitlist_promoted' mail for each
 * promoted person on their channel (notify.ts), and tells each group still waiting while seats are free why (notifyPassedOver)
 * — unless the caller freed nothing and nobody was promoted (`seatsFreed: false`, a newcomer's
 * check), since then nothing new happened to them. The caller holds the event lock: here after a
 * cancellation, an erasure or fewer seats, and in the events feature after the capacity of a
 * published event grows. Returns the promoted registration ids.
 */
export async function promoteFromWaitlist(
  tx: Database,
  ev: { id: number; capacity: number | null },
  now: Date,
  options: { seatsFreed?: boolean } = {},
): Promise<number[]> {
  const counts = await seatCounts(tx, ev.id);
  let free = freeOf(ev.capacity, counts.confirmedSeats) ?? Number.POSITIVE_INFINITY;
  if (counts.waitlisted === 0 || free === 0) return [];
  const waiting: Waiting[] = await tx
    .select({ ...reachColumns, seats: registration.seats })
    .from(registration)
    .where(and(eq(registration.eventId, ev.id), eq(registration.state, 'waitlisted')))
    .orderBy(asc(registration.waitlistPosition), asc(registration.id));
  const promoted: Waiting[] = [];
  const passedOver: Waiting[] = [];
  for (const r of waiting) {
    if (r.seats > free) {
      passedOver.push(r);
      continue;
    }
    free -= r.seats;
    promoted.push(r);
  }
  if (promoted.length > 0) {
    await tx
      .update(registration)
      .set({ state: 'confirmed', waitlistPosition: null, updatedAt: now })
      .where(inArray(registration.id, promoted.map((r) => r.id)));
    await notifyEach(
      tx,
      promoted.map((r) => ({ registration: r, notice: { kind: 'waitlist_promoted', sendAfter: now, dedupeKey: `waitlist_promoted:${r.id}` } })),
    );
    await renumberWaitlist(tx, ev.id);
  }
  // Every group still waiting is larger than what is left: when something is left, say so.
  const tell = free > 0 && (options.seatsFreed !== false || promoted.length > 0);
  if (tell) for (const r of passedOver) await notifyPassedOver(tx, r, free, now);
  return promoted.map((r) => r.id);
}

/**
 * Tells a waiting group that `free` seats are free but that it does not fit in them, and that
 * fewer seats would let it in (its manage page says the same). Once per registration and number of
 * free seats, so repeated changes do not repeat the message.
 */
async function notifyPassedOver(tx: Database, r: Waiting, free: number, now: Date): Promise<void> {
  await notifyRegistrant(tx, r, { kind: 'waitlist_passed_over', payload: { freeSeats: free }, sendAfter: now, dedupeKey: `waitlist_passed_over:${r.id}:${free}` });
}
