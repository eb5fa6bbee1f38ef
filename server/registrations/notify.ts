// Notices to everyone registered for an event (change, cancellation), queued in the caller's
// transaction. The event's moderation work calls this; the registration rows stay this feature's.
import { and, eq, ne } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { registration } from '../db/schema.ts';
import { enqueueMail } from '../mail/index.ts';

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
