// « Personnes à prévenir par téléphone »: the notices that reached nobody (notify.ts put them
// there: no e-mail and no texts, or a text that failed for good), for the organiser to give by
// phone and tick « prévenu·e » (who and when are kept). No HTTP; the caller has checked that the
// user manages the event, and every function taking an entry id also takes the event id.
import { and, asc, count, eq, inArray, isNull, sql } from 'drizzle-orm';
import { pgArray, type Database } from '../db/client.ts';
import { callRequest, eventMessage, registration } from '../db/schema.ts';
import { payloadInt, type FailedSmsHandler } from '../mail/index.ts';
import { messageIdOfNoticeKey } from './messages.ts';
import { displayPhone } from './phone.ts';
import { t } from '../i18n/index.ts';

/** The notice kinds the organiser's call list words (team:callList.why.<kind>). */
const WHY_KINDS = new Set([
  'registration_confirmed',
  'registration_waitlisted',
  'waitlist_promoted',
  'registration_cancelled',
  'reminder',
  'event_changed',
  'event_cancelled',
  'access_need_answered',
  'manage_link_requested',
  'waitlist_passed_over',
  'seats_changed',
  'needs_changed',
  'contact_changed',
  'organiser_message',
]);

/** Why to call, by the notice's kind, in the organiser's words; a kind added later gets a general line, never its code name. */
function whyOf(kind: string): string {
  return WHY_KINDS.has(kind) ? t(`team:callList.why.${kind}`) : t('team:callList.whyOther');
}

/** Dedupe keys of the entries a failed text made (the text's outbox row id follows). */
const FAILED_SMS = 'sms-failed:';

export interface CallEntry {
  id: number;
  registrationId: number;
  name: string;
  /** The number to dial (the helper's when registered on someone's behalf), or null. */
  phone: string | null;
  phoneHref: string | null;
  why: string;
  createdAt: Date;
}

/** The event's open entries, oldest first. */
export async function openCalls(db: Database, eventId: number): Promise<CallEntry[]> {
  const rows = await db
    .select({
      id: callRequest.id,
      registrationId: callRequest.registrationId,
      kind: callRequest.kind,
      dedupeKey: callRequest.dedupeKey,
      createdAt: callRequest.createdAt,
      name: registration.name,
      phone: registration.phone,
      onBehalf: registration.onBehalf,
      contactName: registration.contactName,
      contactPhone: registration.contactPhone,
    })
    .from(callRequest)
    .innerJoin(registration, eq(registration.id, callRequest.registrationId))
    .where(and(eq(registration.eventId, eventId), isNull(callRequest.doneAt)))
    .orderBy(asc(callRequest.createdAt), asc(callRequest.id));
  // An organiser's message is told by phone in its own words: the caller reads its subject here, its text in « Messages ».
  const messageIds = [...new Set(rows.map((r) => messageIdOfNoticeKey(r.dedupeKey)).filter((id) => id !== null))];
  const subjects = new Map(
    messageIds.length === 0 ? [] : (await db.select({ id: eventMessage.id, subject: eventMessage.subject }).from(eventMessage).where(inArray(eventMessage.id, messageIds))).map((m) => [m.id, m.subject]),
  );
  const why = (kind: string, key: string | null) => {
    const subject = subjects.get(messageIdOfNoticeKey(key) ?? 0);
    return subject !== undefined ? t('team:callList.messageToRead', { subject }) : whyOf(kind);
  };
  return rows.map((r) => {
    const phone = (r.onBehalf ? r.contactPhone ?? r.phone : r.phone ?? r.contactPhone) ?? null;
    const name = r.name ?? t('team:callList.someone');
    return {
      id: r.id,
      registrationId: r.registrationId,
      name: r.onBehalf && r.contactName ? t('team:callList.registeredBy', { name, contact: r.contactName }) : name,
      phone: phone ? displayPhone(phone) : null,
      phoneHref: phone ? `tel:${phone.replace(/[^\d+]/g, '')}` : null,
      why: r.dedupeKey?.startsWith(FAILED_SMS) ? t('team:callList.smsFailed', { why: why(r.kind, r.dedupeKey) }) : why(r.kind, r.dedupeKey),
      createdAt: r.createdAt,
    };
  });
}

/** Ticks an open entry of this event « prévenu·e », with who and when; false if there is none. */
export async function markCalled(db: Database, now: Date, args: { eventId: number; callId: number; userId: number }): Promise<boolean> {
  const rows = await db
    .update(callRequest)
    .set({ doneAt: now, doneByUserId: args.userId })
    .where(
      and(
        eq(callRequest.id, args.callId),
        isNull(callRequest.doneAt),
        inArray(callRequest.registrationId, db.select({ id: registration.id }).from(registration).where(eq(registration.eventId, args.eventId))),
      ),
    )
    .returning({ id: callRequest.id });
  return rows.length > 0;
}

/** Open entries per event, for the lists of events (organisers', coordinators'). */
export async function openCallCounts(db: Database, eventIds: readonly number[]): Promise<Map<number, number>> {
  if (eventIds.length === 0) return new Map();
  const rows = await db
    .select({ eventId: registration.eventId, open: count() })
    .from(callRequest)
    .innerJoin(registration, eq(registration.id, callRequest.registrationId))
    .where(and(isNull(callRequest.doneAt), sql`${registration.eventId} = any(${pgArray([...eventIds])}::int[])`))
    .groupBy(registration.eventId);
  return new Map(rows.map((r) => [r.eventId, Number(r.open)]));
}

/** A text that will never leave (registry hook, in the transaction that marks it failed). */
export const listFailedSms: FailedSmsHandler = async (tx, rows, now) => {
  const calls = rows.flatMap((row) => {
    const registrationId = payloadInt(row.payload.registrationId);
    return registrationId === null ? [] : [{ registrationId, kind: row.kind, dedupeKey: `${FAILED_SMS}${row.id}`, createdAt: now }];
  });
  if (calls.length === 0) return;
  // A registration erased meanwhile has nobody left to call.
  const existing = await tx.select({ id: registration.id }).from(registration).where(inArray(registration.id, calls.map((c) => c.registrationId)));
  const alive = new Set(existing.map((r) => r.id));
  const wanted = calls.filter((c) => alive.has(c.registrationId));
  if (wanted.length > 0) await tx.insert(callRequest).values(wanted).onConflictDoNothing({ target: callRequest.dedupeKey });
};
