// The channel rule: how every notification to a registrant reaches them (decision 0011). By
// e-mail when the person, or the helper who registered them, gave an address; else by text when
// they agreed to receive texts at a mobile number; else as a line on the organiser's call list
// (« Personnes à prévenir par téléphone »). Always in the caller's transaction, with the notice's
// dedupe key on whichever channel it takes, so that each notice is given once.
import { and, eq, ne } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { callRequest, registration } from '../db/schema.ts';
import { enqueueMail, type MailRequest } from '../mail/index.ts';
import { recipientOf } from './links.ts';
import { isMobile } from './phone.ts';

/** What the rule reads of a registration (select these columns). */
export const reachColumns = {
  id: registration.id,
  email: registration.email,
  contactEmail: registration.contactEmail,
  phone: registration.phone,
  contactPhone: registration.contactPhone,
  onBehalf: registration.onBehalf,
  smsConsentAt: registration.smsConsentAt,
  /** Every message to the registrant is written in the language they registered in. */
  language: registration.language,
};
export type Reachable = Pick<typeof registration.$inferSelect, keyof typeof reachColumns>;

export type Channel = { channel: 'email'; to: string } | { channel: 'sms'; to: string } | { channel: 'call' };

/**
 * The person's address, else the helper's; else a text to the number of whoever filled the form
 * and agreed to texts (the helper's when registered on someone's behalf: their consent is not the
 * person's); else the call list.
 */
export function channelOf(r: Omit<Reachable, 'id' | 'language'>): Channel {
  const email = recipientOf(r);
  if (email) return { channel: 'email', to: email };
  const phone = r.onBehalf ? r.contactPhone : r.phone;
  if (r.smsConsentAt && isMobile(phone)) return { channel: 'sms', to: phone };
  return { channel: 'call' };
}

export interface Notice {
  /** A registrant kind of mail (mails.ts); its text is the SMS, its label the call list's « why ». */
  kind: string;
  /** Added to { registrationId }. */
  payload?: Record<string, unknown>;
  dedupeKey?: string;
  /** The caller's clock.now() for « right away ». */
  sendAfter: Date;
}

/** Queues each notice on its registration's channel; returns how many were queued or listed. */
export async function notifyEach(tx: Database, notices: ReadonlyArray<{ registration: Reachable; notice: Notice }>): Promise<number> {
  const messages: MailRequest[] = [];
  const calls: Array<typeof callRequest.$inferInsert> = [];
  for (const { registration: r, notice } of notices) {
    const route = channelOf(r);
    const payload = { ...notice.payload, registrationId: r.id };
    if (route.channel === 'call') calls.push({ registrationId: r.id, kind: notice.kind, dedupeKey: notice.dedupeKey ?? null, createdAt: notice.sendAfter });
    else {
      messages.push({
        kind: notice.kind,
        channel: route.channel,
        to: route.to,
        payload,
        sendAfter: notice.sendAfter,
        language: r.language,
        ...(notice.dedupeKey ? { dedupeKey: notice.dedupeKey } : {}),
      });
    }
  }
  let count = 0;
  // Chunks: bind-parameter limits (a notice to every registrant of a big event).
  for (let i = 0; i < messages.length; i += 1000) count += await enqueueMail(tx, ...messages.slice(i, i + 1000));
  for (let i = 0; i < calls.length; i += 1000) {
    count += (await tx.insert(callRequest).values(calls.slice(i, i + 1000)).onConflictDoNothing({ target: callRequest.dedupeKey }).returning({ id: callRequest.id })).length;
  }
  return count;
}

/** One notice to one registrant, on their channel; says which it took. */
export async function notifyRegistrant(tx: Database, r: Reachable, notice: Notice): Promise<Channel['channel']> {
  await notifyEach(tx, [{ registration: r, notice }]);
  return channelOf(r).channel;
}

/** Notices to everyone registered for an event (change, cancellation); the events feature calls this. */
export async function notifyRegistrants(
  tx: Database,
  eventId: number,
  kind: 'event_changed' | 'event_cancelled',
  payload: Record<string, unknown> & { sequence: number },
  now: Date,
): Promise<number> {
  const rows = await tx
    .select(reachColumns)
    .from(registration)
    .where(and(eq(registration.eventId, eventId), ne(registration.state, 'cancelled')));
  return notifyEach(
    tx,
    rows.map((r) => ({ registration: r, notice: { kind, payload: { ...payload, eventId }, sendAfter: now, dedupeKey: `${kind}:${r.id}:${payload.sequence}` } })),
  );
}
