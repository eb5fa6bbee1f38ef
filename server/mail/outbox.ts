// The only way the app sends mail (and texts): a row in `outbox`, written with the same database
// handle (the same transaction) as the change that causes it. The worker renders and sends it later.
import { currentLanguage } from '../i18n/index.ts';
import { sql } from 'drizzle-orm';
import { pgArray, queryRows, type Database } from '../db/client.ts';
import { outbox, type OutboxChannel } from '../db/schema.ts';

export interface MailRequest {
  /** One of the kinds the features define (server/mail-kinds.ts gathers them); a row of an
   *  unknown kind cannot be rendered: retried, then marked failed. */
  kind: string;
  /** 'sms': `to` is an E.164 number and the kind's `sms` text is sent instead of the mail. */
  channel?: OutboxChannel;
  to: string;
  /** Ids and values the template needs (e.g. { registrationId }); no secrets except sign-in links,
   *  listed in their kind's secretPayloadKeys so that the worker erases them once the mail is done with. */
  payload?: Record<string, unknown>;
  /** When to send: the caller's clock.now() for "right away" (the database clock is never used,
   *  so that tests and the worker agree on time). */
  sendAfter: Date;
  /** Same key twice → queued once (e.g. `reminder:7:<registrationId>`). */
  dedupeKey?: string;
  /** The language the message is written in when it is sent: the recipient's (a registrant's
   *  registration.language); when absent, the language of the person whose action queues it
   *  (the request's), which is the best guess for a team member (no language is stored for them). */
  language?: string;
}

/** Queues mails in the caller's transaction; returns how many rows were written. */
export async function enqueueMail(tx: Database, ...mails: MailRequest[]): Promise<number> {
  if (mails.length === 0) return 0;
  const rows = await tx
    .insert(outbox)
    .values(
      mails.map((m) => ({
        kind: m.kind,
        channel: m.channel ?? 'email',
        recipient: m.to,
        payload: m.payload ?? {},
        dedupeKey: m.dedupeKey ?? null,
        sendAfter: m.sendAfter,
        language: m.language ?? currentLanguage().code,
      })),
    )
    .onConflictDoNothing({ target: outbox.dedupeKey })
    .returning({ id: outbox.id });
  return rows.length;
}

/**
 * Deletes every mail, queued or sent, about these registrations (payload.registrationId), in the
 * caller's transaction: erasure and the identity purge leave no address or name behind. Returns
 * the deleted rows' ids (their local .eml files are removed with deleteLocalMails after commit).
 */
export async function deleteMailsAbout(tx: Database, registrationIds: number[]): Promise<number[]> {
  if (registrationIds.length === 0) return [];
  const ids = pgArray(registrationIds.map((id) => Math.trunc(id)));
  const rows = await queryRows<{ id: number | string }>(
    tx,
    sql`delete from ${outbox} where ${outbox.payload}->>'registrationId' = any(${ids}::text[]) returning ${outbox.id} as id`,
  );
  return rows.map((r) => Number(r.id));
}
