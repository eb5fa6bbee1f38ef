// Registering for an event (with the capacity and waitlist policy of capacity.ts) and sending a
// person their links again. No HTTP here.
//
// Waitlist policy — strict first come, first served:
//  - a group is never split: all its seats are confirmed together, or it waits;
//  - freed seats go to the head of the waitlist only; if the head does not fit, nobody behind it
//    is promoted (a big group is not overtaken by smaller ones that arrived later);
//  - for the same reason a newcomer is confirmed only when nobody is waiting;
//  - positions are renumbered 1..n after every change.
import { and, eq, ne, sql } from 'drizzle-orm';
import { queryRows, type Database } from '../db/client.ts';
import { accessNeed, registration } from '../db/schema.ts';
import { enqueueMail } from '../mail/index.ts';
import { lockEvent } from './capacity.ts';
import { linksRecipient, mintToken } from './links.ts';
import { noticeNewNeeds } from './need-notices.ts';
import { needRows } from './needs.ts';
import { notifyPerson } from './notify.ts';
import { registrationWindow, type WindowState } from './registration-event.ts';
import type { RegistrationInput } from './schemas.ts';

/**
 * The same email twice for one event: a violation of registration_event_email_key, whatever the
 * driver (postgres.js says `constraint_name`, PGlite `constraint`; drizzle may wrap it in `cause`).
 */
export function isDuplicateEmail(error: unknown): boolean {
  type PgError = { code?: string; constraint?: string; constraint_name?: string; cause?: unknown };
  for (let e = error as PgError | undefined; e; e = e.cause as PgError | undefined) {
    if (e.code === '23505') return (e.constraint ?? e.constraint_name ?? 'registration_event_email_key') === 'registration_event_email_key';
  }
  return false;
}

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
  /** Needs were ticked without the consent and left out (the form's « drop » mode). */
  needsDropped?: boolean;
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
      if (input.needs.length > 0) {
        const stored = await tx.insert(accessNeed).values(needRows(id, input.needs, ev.accessibilityOffered, now)).returning({ id: accessNeed.id, status: accessNeed.status });
        await noticeNewNeeds(tx, eventId, stored, now);
      }

      // needsDropped: the mail, too, says the ticked needs were not recorded (the person might
      // otherwise count on an interpreter) and where to add them.
      await notifyPerson(tx, { id, email: input.email, contactEmail: input.contactEmail }, state === 'confirmed' ? 'registration_confirmed' : 'registration_waitlisted', now, {
        payload: options.needsDropped ? { needsDropped: true } : {},
        dedupeKey: `registration:${id}`,
      });
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
