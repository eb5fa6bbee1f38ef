// Notices to everyone registered for an event (change, cancellation), queued in the caller's
// transaction (the event's moderation work calls this; the registration rows stay this
// feature's), and the one door for a person's own notices (notifyPerson).
import { and, eq, ne } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { registration } from '../db/schema.ts';
import { enqueueMail } from '../mail/index.ts';
import { recipientOf } from './links.ts';

export async function notifyRegistrants(
  tx: Database,
  eventId: number,
  kind: 'event_changed' | 'event_cancelled',
  payload: Record<string, unknown> & { sequence: number },
  now: Date,
): Promise<number> {
  const rows = await tx
    .select({ id: registration.id, email: registration.email, contactEmail: registration.contactEmail })
    .from(registration)
    .where(and(eq(registration.eventId, eventId), ne(registration.state, 'cancelled')));
  const mails = rows.flatMap((r) => {
    const to = r.email ?? r.contactEmail;
    return to
      ? [{ kind, to, payload: { ...payload, eventId, registrationId: r.id }, sendAfter: now, dedupeKey: `${kind}:${r.id}:${payload.sequence}` }]
      : [];
  });
  return enqueueMail(tx, ...mails);
}

/**
 * One mail about a registration to wherever its person is reached (recipientOf), queued in the
 * caller's transaction: the one door for the person's own notices (registered, a change they made,
 * their new address), so that how a person is reached is decided in one place. `reg` is the
 * registration as it should be reached: as it was before, for a notice to an address just replaced.
 */
export async function notifyPerson(
  tx: Database,
  reg: { id: number; email: string | null; contactEmail: string | null },
  kind: string,
  now: Date,
  options: { payload?: Record<string, unknown>; dedupeKey?: string } = {},
): Promise<boolean> {
  const to = recipientOf(reg);
  if (!to) return false;
  const queued = await enqueueMail(tx, { kind, to, payload: { ...options.payload, registrationId: reg.id }, sendAfter: now, dedupeKey: options.dedupeKey });
  return queued > 0;
}
