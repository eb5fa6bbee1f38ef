// Registering for an event (with the capacity and waitlist policy of capacity.ts: a newcomer is
// confirmed when their group fits in the free seats, otherwise waitlisted at the end), the public
// form's answer that never tells whether an address is registered (docs/decisions/0014), and
// sending a person their links again. No HTTP here.
import { and, eq, ne, sql } from 'drizzle-orm';
import { queryRows, type Database } from '../db/client.ts';
import { currentLanguage } from '../i18n/index.ts';
import { accessNeed, registration } from '../db/schema.ts';
import { lockEvent, promoteFromWaitlist } from './capacity.ts';
import { linksRecipient, mintToken } from './links.ts';
import { noticeNewNeeds } from './need-notices.ts';
import { needRows } from './needs.ts';
import { channelOf, notifyEach, reachColumns, type Notice, type Reachable } from './notify.ts';
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

export type RegisterRefusal = 'event_not_found' | Exclude<WindowState, 'open'> | 'duplicate_email' | 'duplicate_phone' | 'needs_without_consent';

export type Recorded = { ok: true; registrationId: number; state: 'confirmed' | 'waitlisted'; waitlistPosition: number | null; seats: number };

export type RegisterResult = (Recorded & { token: string }) | { ok: false; reason: RegisterRefusal };

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
  /** The language the person's mails and texts are written in: the page's (the request's) when absent. */
  language?: string;
}

/**
 * Registers a person (and their companions) for an event, with the manage link that the page right
 * after shows, minted in the same transaction (the registration never exists without it). See
 * recordRegistration.
 */
export async function register(db: Database, now: Date, eventId: number, input: RegistrationInput, options: RegisterOptions = {}): Promise<RegisterResult> {
  // Mails mint their own links when they are rendered.
  return recordThen(db, now, eventId, input, options, async (tx, id) => ({ token: await mintToken(tx, id, 'manage', now) }));
}

/**
 * Records a registration, in one locked transaction: checks the state and window, refuses the same
 * email or phone twice, confirms when the whole group fits in the free seats, otherwise waitlists
 * it at the end; stores the needs only with consent; queues the confirmation in the same
 * transaction. No link for a page: the confirmation carries it.
 */
export async function recordRegistration(db: Database, now: Date, eventId: number, input: RegistrationInput, options: RegisterOptions = {}): Promise<Recorded | { ok: false; reason: RegisterRefusal }> {
  return recordThen(db, now, eventId, input, options, async () => ({}));
}

/** The one transaction of both; `andThen` adds its part before it commits. */
async function recordThen<T extends object>(
  db: Database,
  now: Date,
  eventId: number,
  input: RegistrationInput,
  options: RegisterOptions,
  andThen: (tx: Database, registrationId: number) => Promise<T>,
): Promise<(Recorded & T) | { ok: false; reason: RegisterRefusal }> {
  // Health data is never stored without consent, whatever the caller does.
  if (input.needs.length > 0 && !input.needsConsent) return { ok: false, reason: 'needs_without_consent' };
  const nowIso = now.toISOString();
  // The language of the form the person filled in: every message about this registration uses it.
  const language = options.language ?? currentLanguage().code;
  try {
    return await db.transaction(async (tx) => {
      const ev = await lockEvent(tx, eventId);
      if (!ev) throw new Refused('event_not_found');
      const window = registrationWindow(ev, now);
      const organiserOverride = options.createdByUserId !== undefined && (window === 'not_yet_open' || window === 'closed');
      if (window !== 'open' && !organiserOverride) throw new Refused(window);
      // The same phone twice is the same person twice (as the same e-mail is, by its unique index).
      // Checked under the event lock, so two submits at once cannot both pass.
      if (input.phone) {
        const [same] = await tx
          .select({ id: registration.id })
          .from(registration)
          .where(and(eq(registration.eventId, eventId), ne(registration.state, 'cancelled'), eq(registration.phone, input.phone)));
        if (same) throw new Refused('duplicate_phone');
      }

      // Free seats go to the waitlist before any newcomer. After every change that frees seats no
      // waiting registration fits, so this promotes nobody — except on an event left by the old
      // strict-FIFO rule with seats empty behind a group (docs/decisions/0010), which it repairs.
      await promoteFromWaitlist(tx, ev, now, { seatsFreed: false });
      // Counted and inserted in ONE statement, whose snapshot is taken after the lock was granted,
      // so it sees every registration committed before. Confirmed when the whole group fits in the
      // free seats; otherwise at the end of the waitlist. The same email twice is stopped by the
      // unique index (caught below): the lock makes that check race-free too.
      // Raw SQL: one INSERT … SELECT over the counts, which drizzle's builder cannot write.
      const [row] = await queryRows<{ id: number; state: 'confirmed' | 'waitlisted'; waitlist_position: number | null }>(
        tx,
        sql`
        with counts as (
          select coalesce(sum(seats) filter (where state = 'confirmed'), 0) as confirmed_seats,
                 coalesce(max(waitlist_position), 0) as last_position
          from registration where event_id = ${eventId}
        ), decision as (
          select (${ev.capacity}::int is null or confirmed_seats + ${input.seats}::int <= ${ev.capacity}::int) as fits,
                 last_position
          from counts
        )
        insert into registration (event_id, name, email, phone, seats, on_behalf, contact_name, contact_email, contact_phone,
                                  sms_consent_at, needs_consent_at, state, waitlist_position, created_by_user_id, language, created_at, updated_at)
        select ${eventId}::int, ${input.name}, ${input.email}, ${input.phone}, ${input.seats}::int, ${input.onBehalf}::boolean,
               ${input.contactName}, ${input.contactEmail}, ${input.contactPhone},
               ${input.smsConsent ? nowIso : null}::timestamptz,
               ${input.needs.length > 0 ? nowIso : null}::timestamptz,
               case when fits then 'confirmed' else 'waitlisted' end,
               case when fits then null else last_position + 1 end,
               ${options.createdByUserId ?? null}::int, ${language}, ${nowIso}::timestamptz, ${nowIso}::timestamptz
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

      const reach: Reachable = { id, ...input, smsConsentAt: input.smsConsent ? now : null, language };
      // Registered by an organiser on the phone: they have just told the person; no call to list.
      if (!(options.createdByUserId !== undefined && channelOf(reach).channel === 'call')) {
        // needsDropped: the notice, too, says the ticked needs were not recorded (the person might
        // otherwise count on an interpreter) and where to add them.
        const notice: Notice = {
          kind: state === 'confirmed' ? 'registration_confirmed' : 'registration_waitlisted',
          payload: options.needsDropped ? { needsDropped: true } : {},
          sendAfter: now,
          dedupeKey: `registration:${id}`,
        };
        await notifyEach(tx, [{ registration: reach, notice }]);
      }
      return { ok: true as const, registrationId: id, state, waitlistPosition, seats: input.seats, ...(await andThen(tx, id)) };
    });
  } catch (error) {
    if (error instanceof Refused) return { ok: false, reason: error.reason };
    if (isDuplicateEmail(error)) return { ok: false, reason: 'duplicate_email' };
    throw error;
  }
}

export type ResidentAnswer =
  /** Registered, or registered already (left as it is, its link sent again): one answer for both. */
  | { answer: 'link_sent'; channel: 'email' | 'sms' }
  /** Registered; the link is for the page, the person gave no other way to reach them. */
  | { answer: 'link_shown'; token: string }
  | { answer: 'refused'; reason: RegisterRefusal };

/**
 * A resident's own registration, from the public form, whose answer must not tell whether an
 * address is registered to the event (for a mental-health event that is itself sensitive). When a
 * message will carry the link (the form gave an address, or a mobile with texts agreed: read from
 * the form, never from what is stored), the same address or phone registered already is answered
 * as a newcomer is: that registration is left as it is and gets its link again on its own channel
 * (at most one an hour, as « Recevoir à nouveau mon lien »). Otherwise the page is the person's
 * only way to their link, and a second registration is refused openly (docs/decisions/0014).
 */
export async function registerResident(db: Database, now: Date, eventId: number, input: RegistrationInput, options: RegisterOptions = {}): Promise<ResidentAnswer> {
  const route = channelOf({ ...input, smsConsentAt: input.smsConsent ? now : null });
  if (route.channel === 'call') {
    const shown = await register(db, now, eventId, input, options);
    return shown.ok ? { answer: 'link_shown', token: shown.token } : { answer: 'refused', reason: shown.reason };
  }
  const result = await recordRegistration(db, now, eventId, input, options);
  if (result.ok) return { answer: 'link_sent', channel: route.channel };
  if (result.reason !== 'duplicate_email' && result.reason !== 'duplicate_phone') return { answer: 'refused', reason: result.reason };
  // The refusal names what matched, so it is set in the form.
  await resendManageLink(db, now, result.reason === 'duplicate_phone' ? { phone: input.phone! } : { email: input.email! }, eventId, 'second_registration');
  return { answer: 'link_sent', channel: route.channel };
}

/** How the person asking for their link again said who they are: an address, or a phone (E.164). */
export type LinkRequest = { email: string } | { phone: string };

/** Why a link goes again: the person asked for it, or someone registered again with the same address or phone. */
export type ResendReason = 'asked' | 'second_registration';

/**
 * « Recevoir à nouveau mon lien »: the manage link again, on the person's channel, for each active
 * registration with this address or phone (of this event, or of any event still to come). Says
 * nothing about whether one exists: the page shows the same neutral answer either way.
 */
export async function resendManageLink(db: Database, now: Date, who: LinkRequest, eventId?: number, reason: ResendReason = 'asked'): Promise<void> {
  const rows = await db
    .select({ id: registration.id })
    .from(registration)
    .where(
      and(
        eventId === undefined ? sql`${registration.eventId} in (select id from event where ends_at > ${now.toISOString()}::timestamptz)` : eq(registration.eventId, eventId),
        ne(registration.state, 'cancelled'),
        'email' in who ? sql`lower(${registration.email}) = lower(${who.email})` : eq(registration.phone, who.phone),
      ),
    )
    .limit(20);
  for (const row of rows) await resendLinks(db, now, row.id, { anyChannel: true, reason });
}

/**
 * The confirmation again, with `resent` (and `secondRegistration` when that is why): by mail to the
 * registration's own address it carries a fresh manage link and the personal calendar feed link
 * (render.ts mints both); by text, the manage link only. At most one an hour per registration,
 * whichever page asked. Refused when there is no address (see linksRecipient) — unless
 * `anyChannel`, where a person with neither address nor texts goes on the call list (the organiser
 * manages the registration with them).
 */
export async function resendLinks(
  db: Database,
  now: Date,
  registrationId: number,
  options: { anyChannel?: boolean; reason?: ResendReason } = {},
): Promise<ReturnType<typeof linksRecipient>> {
  const [row] = await db
    .select({ ...reachColumns, state: registration.state })
    .from(registration)
    .where(eq(registration.id, registrationId));
  if (!row) return { refused: 'cancelled' };
  const recipient = linksRecipient(row);
  if ('refused' in recipient && !(options.anyChannel && recipient.refused === 'no_address')) return recipient;
  const route = channelOf(row);
  const kind = route.channel === 'call' ? 'manage_link_requested' : row.state === 'confirmed' ? 'registration_confirmed' : 'registration_waitlisted';
  const payload = options.reason === 'second_registration' ? { resent: true, secondRegistration: true } : { resent: true };
  await notifyEach(db, [{ registration: row, notice: { kind, payload, sendAfter: now, dedupeKey: `manage_link:${row.id}:${now.toISOString().slice(0, 13)}` } }]);
  return recipient;
}
