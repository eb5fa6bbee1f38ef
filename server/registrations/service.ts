// Registrations: the rules of capacity, waitlist, access needs and the person's own changes.
// No HTTP here. Every change that touches seats runs in ONE transaction that first locks the
// event row (SELECT … FOR UPDATE, docs/decisions/0006-capacity-lock.md), so two registrations
// for the same event are serialised and the count of confirmed seats can be trusted.
//
// Waitlist policy — strict first come, first served:
//  - a group is never split: all its seats are confirmed together, or it waits;
//  - freed seats go to the head of the waitlist only; if the head does not fit, nobody behind it
//    is promoted (a big group is not overtaken by smaller ones that arrived later);
//  - for the same reason a newcomer is confirmed only when nobody is waiting;
//  - positions are renumbered 1..n after every change.
import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Config } from '../config.ts';
import { queryRows, type Database } from '../db/client.ts';
import { accessNeed, event, registration, territory, venue } from '../db/schema.ts';
import type { AccessFeature, EventState, NeedStatus, RegistrationState } from '../domain/vocabulary.ts';
import { ACCESS_FEATURE_INFO } from '../domain/vocabulary.ts';
import { deleteLocalMails } from '../mail/mailbox.ts';
import { deleteMailsAbout, enqueueMail } from '../mail/outbox.ts';
import { linksRecipient, mintToken, recipientOf, registrationIdForToken } from './links.ts';
import type { NeedInput, RegistrationInput } from './schemas.ts';

/** The response an organiser's « planned » gets automatically when the event already offers the need. */
export const OFFERED_RESPONSE = "Proposé par l'organisateur pour cet événement.";

// ——— The event, as registration sees it ———

export interface RegistrationEvent {
  id: number;
  title: string;
  state: EventState;
  startsAt: Date;
  endsAt: Date;
  capacity: number | null;
  registrationOpensAt: Date | null;
  registrationClosesAt: Date | null;
  accessRequestDeadline: Date | null;
  accessibilityOffered: AccessFeature[];
  organisationId: number;
  territoryId: number;
  editionId: number;
  timeZone: string;
  venueName: string | null;
  venueAddress: string | null;
  commune: string | null;
  onlineUrl: string | null;
  cancellationReason: string | null;
  sequence: number;
}

const eventColumns = {
  id: event.id,
  title: event.title,
  state: event.state,
  startsAt: event.startsAt,
  endsAt: event.endsAt,
  capacity: event.capacity,
  registrationOpensAt: event.registrationOpensAt,
  registrationClosesAt: event.registrationClosesAt,
  accessRequestDeadline: event.accessRequestDeadline,
  accessibilityOffered: event.accessibilityOffered,
  organisationId: event.organisationId,
  territoryId: event.territoryId,
  editionId: event.editionId,
  timeZone: territory.timeZone,
  venueName: venue.name,
  venueAddress: venue.address,
  commune: venue.commune,
  onlineUrl: event.onlineUrl,
  cancellationReason: event.cancellationReason,
  sequence: event.sequence,
};

export async function getRegistrationEvent(db: Database, eventId: number): Promise<RegistrationEvent | null> {
  const [row] = await db
    .select(eventColumns)
    .from(event)
    .innerJoin(territory, eq(territory.id, event.territoryId))
    .leftJoin(venue, eq(venue.id, event.venueId))
    .where(eq(event.id, eventId));
  return row ?? null;
}

/** Takes the event's row lock for the rest of the transaction; returns what the rules need. */
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
type LockedEvent = NonNullable<Awaited<ReturnType<typeof lockEvent>>>;

export type WindowState = 'open' | 'not_published' | 'cancelled' | 'not_yet_open' | 'closed';

/**
 * Whether a resident may register now. Without an explicit closing time, registration closes
 * when the event starts (a registration is for coming from the beginning).
 */
export function registrationWindow(
  ev: Pick<RegistrationEvent, 'state' | 'registrationOpensAt' | 'registrationClosesAt' | 'startsAt'>,
  now: Date,
): WindowState {
  if (ev.state === 'cancelled') return 'cancelled';
  if (ev.state !== 'published') return 'not_published';
  if (ev.registrationOpensAt && now < ev.registrationOpensAt) return 'not_yet_open';
  if (now >= (ev.registrationClosesAt ?? ev.startsAt)) return 'closed';
  return 'open';
}

/** After the access-request deadline, needs the event does not already offer may not be met. */
export function deadlinePassed(ev: Pick<RegistrationEvent, 'accessRequestDeadline'>, now: Date): boolean {
  return ev.accessRequestDeadline !== null && now >= ev.accessRequestDeadline;
}

export interface SeatCounts {
  confirmedSeats: number;
  waitlisted: number;
  lastPosition: number;
}

async function seatCounts(tx: Database, eventId: number): Promise<SeatCounts> {
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

// ——— Helpers shared by the changes ———


function needRows(registrationId: number, needs: NeedInput[], offered: readonly string[], now: Date) {
  return needs.map((need) => {
    const isOffered = offered.includes(need.category);
    return {
      registrationId,
      category: need.category,
      detail: need.detail,
      // A need the event already offers is planned from the start; the organiser may still change it.
      status: (isOffered ? 'planned' : 'requested') as NeedStatus,
      response: isOffered ? OFFERED_RESPONSE : null,
      answeredAt: isOffered ? now : null,
    };
  });
}

/** Renumbers the waitlist 1..n in position order (no gaps after a departure). */
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
 * what remains and queues a 'waitlist_promoted' mail for each promoted person. The caller holds
 * the event lock: here after a cancellation or a change of seats, and in the events feature
 * after the capacity of a published event grows. Returns the promoted registration ids.
 */
export async function promoteFromWaitlist(tx: Database, ev: { id: number; capacity: number | null }, now: Date): Promise<number[]> {
  const waiting = await tx
    .select({ id: registration.id, seats: registration.seats, email: registration.email, contactEmail: registration.contactEmail })
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
  await enqueueMail(
    tx,
    ...promoted.flatMap((r) => {
      const to = recipientOf(r);
      return to
        ? [{ kind: 'waitlist_promoted' as const, to, payload: { registrationId: r.id }, sendAfter: now, dedupeKey: `waitlist_promoted:${r.id}` }]
        : [];
    }),
  );
  await renumberWaitlist(tx, ev.id);
  return promoted.map((r) => r.id);
}

/**
 * The same email twice for one event: a violation of registration_event_email_key, whatever the
 * driver (postgres.js says `constraint_name`, PGlite `constraint`; drizzle may wrap it in `cause`).
 */
function isDuplicateEmail(error: unknown): boolean {
  type PgError = { code?: string; constraint?: string; constraint_name?: string; cause?: unknown };
  for (let e = error as PgError | undefined; e; e = e.cause as PgError | undefined) {
    if (e.code === '23505') return (e.constraint ?? e.constraint_name ?? 'registration_event_email_key') === 'registration_event_email_key';
  }
  return false;
}

// ——— Registering ———

export type RegisterRefusal = 'event_not_found' | Exclude<WindowState, 'open'> | 'duplicate_email' | 'needs_without_consent';

export type RegisterResult =
  | { ok: true; registrationId: number; token: string; state: 'confirmed' | 'waitlisted'; waitlistPosition: number | null; seats: number }
  | { ok: false; reason: RegisterRefusal };

class Refused extends Error {
  constructor(readonly reason: RegisterRefusal) {
    super(reason);
  }
}

export interface RegisterOptions {
  /** An organiser registering someone by phone: their id is kept, and the window does not apply. */
  createdByUserId?: number;
}

/**
 * Registers a person (and their companions) for an event, in one locked transaction: checks the
 * state and window, refuses the same email twice, confirms when the whole group fits and nobody
 * is waiting, otherwise waitlists it at the end; stores the needs only with consent; queues the
 * confirmation mail in the same transaction.
 */
export async function register(
  db: Database,
  now: Date,
  eventId: number,
  input: RegistrationInput,
  options: RegisterOptions = {},
): Promise<RegisterResult> {
  // Health data is never stored without consent, whatever the caller does.
  if (input.needs.length > 0 && !input.needsConsent) return { ok: false, reason: 'needs_without_consent' };
  const nowIso = now.toISOString();
  try {
    return await db.transaction(async (tx) => {
      const ev = await lockEvent(tx, eventId);
      if (!ev) throw new Refused('event_not_found');
      const window = registrationWindow(ev, now);
      const organiserOverride = options.createdByUserId !== undefined && (window === 'not_yet_open' || window === 'closed');
      if (window !== 'open' && !organiserOverride) throw new Refused(window);

      // Counted and inserted in ONE statement, whose snapshot is taken after the lock was granted,
      // so it sees every registration committed before. Confirmed only when the whole group fits
      // and nobody is waiting; otherwise at the end of the waitlist. The same email twice is
      // stopped by the unique index (caught below): the lock makes that check race-free too.
      // Raw SQL: one INSERT … SELECT over the counts, which drizzle's builder cannot write.
      const [row] = await queryRows<{ id: number; state: 'confirmed' | 'waitlisted'; waitlist_position: number | null }>(
        tx,
        sql`
        with counts as (
          select coalesce(sum(seats) filter (where state = 'confirmed'), 0) as confirmed_seats,
                 count(*) filter (where state = 'waitlisted') as waiting,
                 coalesce(max(waitlist_position), 0) as last_position
          from registration where event_id = ${eventId}
        ), decision as (
          select (${ev.capacity}::int is null or (waiting = 0 and confirmed_seats + ${input.seats}::int <= ${ev.capacity}::int)) as fits,
                 last_position
          from counts
        )
        insert into registration (event_id, name, email, phone, seats, on_behalf, contact_name, contact_email, contact_phone,
                                  needs_consent_at, state, waitlist_position, created_by_user_id, created_at, updated_at)
        select ${eventId}::int, ${input.name}, ${input.email}, ${input.phone}, ${input.seats}::int, ${input.onBehalf}::boolean,
               ${input.contactName}, ${input.contactEmail}, ${input.contactPhone},
               ${input.needs.length > 0 ? nowIso : null}::timestamptz,
               case when fits then 'confirmed' else 'waitlisted' end,
               case when fits then null else last_position + 1 end,
               ${options.createdByUserId ?? null}::int, ${nowIso}::timestamptz, ${nowIso}::timestamptz
        from decision
        returning id, state, waitlist_position`,
      );
      const id = Number(row!.id);
      const state = row!.state;
      const waitlistPosition = row!.waitlist_position === null ? null : Number(row!.waitlist_position);
      if (input.needs.length > 0) await tx.insert(accessNeed).values(needRows(id, input.needs, ev.accessibilityOffered, now));

      const to = recipientOf(input);
      if (to) {
        await enqueueMail(tx, {
          kind: state === 'confirmed' ? 'registration_confirmed' : 'registration_waitlisted',
          to,
          payload: { registrationId: id },
          sendAfter: now,
          dedupeKey: `registration:${id}`,
        });
      }
      // The manage link shown on the result page; mails mint their own when they are rendered.
      const token = await mintToken(tx, id, 'manage', now);
      return { ok: true as const, registrationId: id, token, state, waitlistPosition, seats: input.seats };
    });
  } catch (error) {
    if (error instanceof Refused) return { ok: false, reason: error.reason };
    if (isDuplicateEmail(error)) return { ok: false, reason: 'duplicate_email' };
    throw error;
  }
}

/**
 * « Renvoyer le lien »: queues the confirmation mail again (it carries the manage link) for the
 * active registration with this email. Says nothing about whether one exists: the page shows the
 * same neutral answer either way.
 */
export async function resendManageLink(db: Database, now: Date, eventId: number, email: string): Promise<void> {
  const [row] = await db
    .select({ id: registration.id })
    .from(registration)
    .where(and(eq(registration.eventId, eventId), ne(registration.state, 'cancelled'), sql`lower(${registration.email}) = lower(${email})`));
  if (row) await resendLinks(db, now, row.id);
}

/**
 * Queues the confirmation mail again, with `resent`, to the registration's own address: it
 * carries a fresh manage link and the personal calendar feed link (render.ts mints both). At most
 * one an hour per registration, whichever page asked. Refused when there is nowhere to send it
 * (see linksRecipient).
 */
export async function resendLinks(db: Database, now: Date, registrationId: number): Promise<ReturnType<typeof linksRecipient>> {
  const [row] = await db
    .select({ id: registration.id, state: registration.state, email: registration.email, contactEmail: registration.contactEmail })
    .from(registration)
    .where(eq(registration.id, registrationId));
  if (!row) return { refused: 'cancelled' };
  const recipient = linksRecipient(row);
  if ('refused' in recipient) return recipient;
  await enqueueMail(db, {
    kind: row.state === 'confirmed' ? 'registration_confirmed' : 'registration_waitlisted',
    to: recipient.to,
    payload: { registrationId: row.id, resent: true },
    sendAfter: now,
    dedupeKey: `manage_link:${row.id}:${now.toISOString().slice(0, 13)}`,
  });
  return recipient;
}

// ——— The person's own page ———

export interface ManagedNeed {
  id: number;
  category: AccessFeature;
  detail: string | null;
  status: NeedStatus;
  response: string | null;
  answeredAt: Date | null;
}

/** The columns of ManagedNeed (also read by the organiser's lists). */
export const needColumns = {
  id: accessNeed.id,
  category: accessNeed.category,
  detail: accessNeed.detail,
  status: accessNeed.status,
  response: accessNeed.response,
  answeredAt: accessNeed.answeredAt,
};

/** What both the person's own page and the organiser's lists read of a registration. */
export interface RegistrationDetails {
  id: number;
  name: string | null;
  email: string | null;
  phone: string | null;
  seats: number;
  onBehalf: boolean;
  contactName: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
  state: RegistrationState;
  waitlistPosition: number | null;
  checkedInAt: Date | null;
  createdAt: Date;
  cancelledAt: Date | null;
}

/** The columns of RegistrationDetails. */
export const registrationDetailColumns = {
  id: registration.id,
  name: registration.name,
  email: registration.email,
  phone: registration.phone,
  seats: registration.seats,
  onBehalf: registration.onBehalf,
  contactName: registration.contactName,
  contactEmail: registration.contactEmail,
  contactPhone: registration.contactPhone,
  state: registration.state,
  waitlistPosition: registration.waitlistPosition,
  checkedInAt: registration.checkedInAt,
  createdAt: registration.createdAt,
  cancelledAt: registration.cancelledAt,
};

export interface ManagedRegistration extends RegistrationDetails {
  eventId: number;
  needsConsentAt: Date | null;
  needs: ManagedNeed[];
  event: RegistrationEvent;
}

const registrationColumns = {
  ...registrationDetailColumns,
  eventId: registration.eventId,
  needsConsentAt: registration.needsConsentAt,
};

async function needsOf(db: Database, registrationId: number): Promise<ManagedNeed[]> {
  return db.select(needColumns).from(accessNeed).where(eq(accessNeed.registrationId, registrationId)).orderBy(asc(accessNeed.id));
}

/** The registration a manage link points to (by the SHA-256 of its token), or null. */
export async function findByToken(db: Database, token: string): Promise<ManagedRegistration | null> {
  const id = await registrationIdForToken(db, token, 'manage');
  if (id === null) return null;
  const [row] = await db.select(registrationColumns).from(registration).where(eq(registration.id, id));
  if (!row) return null;
  const ev = await getRegistrationEvent(db, row.eventId);
  if (!ev) return null;
  return { ...row, needs: await needsOf(db, row.id), event: ev };
}

/** Re-reads the registration once the event lock is held (it may have changed meanwhile). */
async function lockedRegistration(tx: Database, registrationId: number) {
  const [first] = await tx.select({ eventId: registration.eventId }).from(registration).where(eq(registration.id, registrationId));
  if (!first) return null;
  const ev = await lockEvent(tx, first.eventId);
  if (!ev) return null;
  const [reg] = await tx
    .select({ id: registration.id, state: registration.state, seats: registration.seats, email: registration.email, contactEmail: registration.contactEmail })
    .from(registration)
    .where(eq(registration.id, registrationId));
  return reg ? { ev, reg } : null;
}

export type SeatsChangeResult =
  | { ok: true; state: RegistrationState; waitlistPosition: number | null }
  | { ok: false; reason: 'not_found' | 'cancelled' | 'closed' }
  | { ok: false; reason: 'no_room'; available: number; waiting: number };

/**
 * Changes the number of seats. Fewer seats: always, and the freed ones go to the waitlist. More
 * seats for a confirmed person: only if they fit now and nobody is waiting (the waitlist comes
 * first); otherwise refused, and the person keeps the seats they have — moving them to the
 * waitlist would take away seats they already hold. A waitlisted person keeps their position.
 */
export async function changeSeats(db: Database, now: Date, registrationId: number, seats: number): Promise<SeatsChangeResult> {
  return db.transaction(async (tx): Promise<SeatsChangeResult> => {
    const locked = await lockedRegistration(tx, registrationId);
    if (!locked) return { ok: false, reason: 'not_found' };
    const { ev, reg } = locked;
    if (reg.state === 'cancelled') return { ok: false, reason: 'cancelled' };
    if (seats > reg.seats && registrationWindow(ev, now) !== 'open') return { ok: false, reason: 'closed' };
    if (seats > reg.seats && reg.state === 'confirmed' && ev.capacity !== null) {
      const counts = await seatCounts(tx, ev.id);
      const available = counts.waitlisted > 0 ? 0 : Math.max(0, ev.capacity - counts.confirmedSeats);
      if (seats - reg.seats > available) return { ok: false, reason: 'no_room', available, waiting: counts.waitlisted };
    }
    if (seats !== reg.seats) {
      await tx.update(registration).set({ seats, updatedAt: now }).where(eq(registration.id, reg.id));
      await promoteFromWaitlist(tx, ev, now);
    }
    const [after] = await tx.select({ state: registration.state, waitlistPosition: registration.waitlistPosition }).from(registration).where(eq(registration.id, reg.id));
    return { ok: true, state: after!.state, waitlistPosition: after!.waitlistPosition };
  });
}

/**
 * Replaces the person's needs. A need kept with the same detail keeps the organiser's answer;
 * a new or reworded one goes back to « requested » (or « planned » when the event offers it).
 * With no needs left, the consent is withdrawn; with needs, it must be given again.
 */
export async function changeNeeds(
  db: Database,
  now: Date,
  registrationId: number,
  needs: NeedInput[],
  consent: boolean,
): Promise<{ ok: true } | { ok: false; reason: 'not_found' | 'cancelled' | 'needs_without_consent' }> {
  if (needs.length > 0 && !consent) return { ok: false, reason: 'needs_without_consent' };
  return db.transaction(async (tx) => {
    const locked = await lockedRegistration(tx, registrationId);
    if (!locked) return { ok: false as const, reason: 'not_found' as const };
    if (locked.reg.state === 'cancelled') return { ok: false as const, reason: 'cancelled' as const };
    const current = await needsOf(tx, registrationId);
    const wanted = new Map(needs.map((n) => [n.category, n]));
    const unchanged = current.filter((c) => wanted.get(c.category)?.detail === c.detail);
    const keep = new Set(unchanged.map((c) => c.category));
    const drop = current.filter((c) => !keep.has(c.category)).map((c) => c.id);
    if (drop.length > 0) await tx.delete(accessNeed).where(inArray(accessNeed.id, drop));
    const fresh = needs.filter((n) => !keep.has(n.category));
    if (fresh.length > 0) await tx.insert(accessNeed).values(needRows(registrationId, fresh, locked.ev.accessibilityOffered, now));
    await tx
      .update(registration)
      .set({ needsConsentAt: needs.length > 0 ? now : null, updatedAt: now })
      .where(eq(registration.id, registrationId));
    return { ok: true as const };
  });
}

/**
 * Cancels: frees the seats and promotes from the waitlist in the same locked transaction. The
 * needs and the consent are deleted at once (the person is no longer coming: no reason to keep
 * health data); the name stays in the organiser's « cancelled » list until the identity purge.
 */
export async function cancelRegistration(
  db: Database,
  now: Date,
  registrationId: number,
): Promise<{ ok: true; promoted: number[] } | { ok: false; reason: 'not_found' | 'already_cancelled' }> {
  return db.transaction(async (tx) => {
    const locked = await lockedRegistration(tx, registrationId);
    if (!locked) return { ok: false as const, reason: 'not_found' as const };
    const { ev, reg } = locked;
    if (reg.state === 'cancelled') return { ok: false as const, reason: 'already_cancelled' as const };
    await tx
      .update(registration)
      .set({ state: 'cancelled', waitlistPosition: null, cancelledAt: now, needsConsentAt: null, updatedAt: now })
      .where(eq(registration.id, reg.id));
    await tx.delete(accessNeed).where(eq(accessNeed.registrationId, reg.id));
    const to = recipientOf(reg);
    // wasConfirmed: only then did the person get a calendar invite that the mail must withdraw.
    if (to) {
      const payload = { registrationId: reg.id, wasConfirmed: reg.state === 'confirmed' };
      await enqueueMail(tx, { kind: 'registration_cancelled', to, payload, sendAfter: now, dedupeKey: `registration_cancelled:${reg.id}` });
    }
    const promoted = reg.state === 'confirmed' ? await promoteFromWaitlist(tx, ev, now) : [];
    if (reg.state === 'waitlisted') await renumberWaitlist(tx, ev.id);
    return { ok: true as const, promoted };
  });
}

/**
 * Erases the registration for good, with its needs and tokens (cascade) and every mail about it,
 * queued or sent (the outbox keeps the address and the local mailbox the whole message); its
 * seats are freed as by a cancellation.
 */
export async function eraseRegistration(
  db: Database,
  config: Pick<Config, 'dataDir'>,
  now: Date,
  registrationId: number,
): Promise<{ ok: boolean; eventId?: number; promoted: number[] }> {
  const result = await db.transaction(async (tx) => {
    const locked = await lockedRegistration(tx, registrationId);
    if (!locked) return { ok: false, promoted: [], mails: [] };
    const { ev, reg } = locked;
    await tx.delete(registration).where(eq(registration.id, reg.id));
    const mails = await deleteMailsAbout(tx, [reg.id]);
    const promoted = reg.state === 'confirmed' ? await promoteFromWaitlist(tx, ev, now) : [];
    if (reg.state === 'waitlisted') await renumberWaitlist(tx, ev.id);
    return { ok: true, eventId: ev.id, promoted, mails };
  });
  // Files go once the rows are gone for good (after the commit).
  await deleteLocalMails(config, result.mails);
  const { mails: _mails, ...rest } = result;
  return rest;
}

/** Everything stored about the registration, for « Télécharger mes données » (GDPR art. 15/20). */
export function personalData(r: ManagedRegistration, exportedAt: Date): Record<string, unknown> {
  return {
    exporteLe: exportedAt.toISOString(),
    evenement: { id: r.event.id, titre: r.event.title, debut: r.event.startsAt.toISOString(), fin: r.event.endsAt.toISOString() },
    inscription: {
      id: r.id,
      nom: r.name,
      email: r.email,
      telephone: r.phone,
      places: r.seats,
      inscriptionPourUnTiers: r.onBehalf,
      contact: r.onBehalf ? { nom: r.contactName, email: r.contactEmail, telephone: r.contactPhone } : null,
      etat: r.state,
      positionListeAttente: r.waitlistPosition,
      creeeLe: r.createdAt.toISOString(),
      annuleeLe: r.cancelledAt?.toISOString() ?? null,
      presenceNoteeLe: r.checkedInAt?.toISOString() ?? null,
      accordBesoinsDonneLe: r.needsConsentAt?.toISOString() ?? null,
    },
    besoinsAccessibilite: r.needs.map((n) => ({
      categorie: n.category,
      libelle: ACCESS_FEATURE_INFO[n.category].requestLabel,
      precision: n.detail,
      statut: n.status,
      reponseOrganisateur: n.response,
      reponduLe: n.answeredAt?.toISOString() ?? null,
    })),
  };
}
