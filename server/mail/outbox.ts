// The only way the app sends mail: a row in `outbox`, written with the same database handle
// (the same transaction) as the change that causes it. The worker renders and sends it later.
import { sql } from 'drizzle-orm';
import { pgArray, queryRows, type Database } from '../db/client.ts';
import { outbox } from '../db/schema.ts';

/** Every kind of mail the product sends; each has a template pair in views/emails/<kind>. */
export const MAIL_KINDS = [
  'sign_in_link',
  'invitation',
  'moderation_decision',
  'registration_confirmed',
  'registration_waitlisted',
  'waitlist_promoted',
  'registration_cancelled',
  'reminder',
  'event_changed',
  'event_cancelled',
  'access_need_answered',
  'organiser_needs_digest',
  'coordinator_unmet_needs_alert',
] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

/** What each kind is, in words an administrator reads (failed mails page). */
export const MAIL_KIND_LABELS: Record<MailKind, string> = {
  sign_in_link: 'Lien de connexion',
  invitation: 'Invitation',
  moderation_decision: 'Décision de la coordination',
  registration_confirmed: "Confirmation d'inscription",
  registration_waitlisted: "Liste d'attente",
  waitlist_promoted: "Place libérée (liste d'attente)",
  registration_cancelled: "Annulation d'inscription",
  reminder: 'Rappel',
  event_changed: "Changement d'événement",
  event_cancelled: "Annulation d'événement",
  access_need_answered: "Réponse à un besoin d'accessibilité",
  organiser_needs_digest: 'Synthèse des besoins (organisation)',
  coordinator_unmet_needs_alert: 'Alerte besoins sans réponse (coordination)',
};

/**
 * Payload keys that carry a secret (a sign-in link is a password for a while): the worker removes
 * them once the mail is sent, skipped or failed, so they do not stay at rest in the outbox.
 */
export const SECRET_PAYLOAD_KEYS: Partial<Record<MailKind, readonly string[]>> = {
  sign_in_link: ['url'],
  invitation: ['url'],
};

export function isMailKind(value: string): value is MailKind {
  return (MAIL_KINDS as readonly string[]).includes(value);
}

export interface MailRequest {
  kind: MailKind;
  to: string;
  /** Ids and values the template needs (e.g. { registrationId }); no secrets except sign-in links,
   *  listed in SECRET_PAYLOAD_KEYS so that the worker erases them once the mail is done with. */
  payload?: Record<string, unknown>;
  /** When to send: the caller's clock.now() for "right away" (the database clock is never used,
   *  so that tests and the worker agree on time). */
  sendAfter: Date;
  /** Same key twice → queued once (e.g. `reminder:7:<registrationId>`). */
  dedupeKey?: string;
}

/** Queues mails in the caller's transaction; returns how many rows were written. */
export async function enqueueMail(tx: Database, ...mails: MailRequest[]): Promise<number> {
  if (mails.length === 0) return 0;
  const rows = await tx
    .insert(outbox)
    .values(
      mails.map((m) => ({
        kind: m.kind,
        recipient: m.to,
        payload: m.payload ?? {},
        dedupeKey: m.dedupeKey ?? null,
        sendAfter: m.sendAfter,
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
