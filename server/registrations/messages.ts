// Writing to everyone registered for an event (confirmed or on the waiting list): the message is
// kept once (event_message, with who wrote it and when), and each person is told on their own
// channel by the one rule of decision 0011 (e-mail, else SMS, else the organiser's call list).
// No HTTP; the caller has checked that the user may manage the event.
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { appUser, eventMessage, registration } from '../db/schema.ts';
import { channelOf, notifyEach, reachColumns } from './notify.ts';

export const MESSAGE_KIND = 'organiser_message';

export interface MessageInput {
  subject: string;
  body: string;
}

export type EventMessage = typeof eventMessage.$inferSelect;

/** The notice of message `messageId` to registration `registrationId`: each person gets a message once. */
export const messageNoticeKey = (messageId: number, registrationId: number) => `${MESSAGE_KIND}:${messageId}:${registrationId}`;

/** The message a notice's key names (see messageNoticeKey), or null for any other key. */
export function messageIdOfNoticeKey(key: string | null): number | null {
  const match = key ? new RegExp(`^${MESSAGE_KIND}:(\\d+):\\d+$`).exec(key) : null;
  return match ? Number(match[1]) : null;
}

/** Who a message would reach now, by channel (the form says it before sending). */
export async function messageAudience(db: Database, eventId: number) {
  const rows = await db.select(reachColumns).from(registration).where(and(eq(registration.eventId, eventId), inArray(registration.state, ['confirmed', 'waitlisted'])));
  const by = (channel: string) => rows.filter((r) => channelOf(r).channel === channel).length;
  return { rows, total: rows.length, emails: by('email'), texts: by('sms'), calls: by('call') };
}

/** Sends the message to every confirmed and waiting registrant; null when there is nobody to write to. */
export async function writeToRegistrants(db: Database, now: Date, args: { eventId: number; authorUserId: number; message: MessageInput }): Promise<EventMessage | null> {
  return db.transaction(async (tx) => {
    const audience = await messageAudience(tx, args.eventId);
    if (audience.total === 0) return null;
    const [message] = await tx
      .insert(eventMessage)
      .values({ eventId: args.eventId, authorUserId: args.authorUserId, ...args.message, emails: audience.emails, texts: audience.texts, calls: audience.calls, createdAt: now })
      .returning();
    await notifyEach(
      tx,
      audience.rows.map((r) => ({ registration: r, notice: { kind: MESSAGE_KIND, payload: { messageId: message!.id }, sendAfter: now, dedupeKey: messageNoticeKey(message!.id, r.id) } })),
    );
    return message!;
  });
}

/** The event's messages, the latest first, with their author's name. */
export async function messagesOf(db: Database, eventId: number) {
  return db
    .select({ message: eventMessage, authorName: appUser.name, authorEmail: appUser.email })
    .from(eventMessage)
    .leftJoin(appUser, eq(appUser.id, eventMessage.authorUserId))
    .where(eq(eventMessage.eventId, eventId))
    .orderBy(desc(eventMessage.createdAt), desc(eventMessage.id));
}
