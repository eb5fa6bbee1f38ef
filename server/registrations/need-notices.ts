// New access needs reaching the organisation at once when waiting for the daily digest would be
// too late: the access-request deadline is near or past (or the event has none, so no digest
// ever comes). Queued in the transaction that stores the needs. Only needs awaiting an answer:
// one the event already offers is planned from the start (needs.ts) and asks nothing of anyone.
import { eq } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { event } from '../db/schema.ts';
import { organisationRecipients } from '../events/index.ts';
import { enqueueMail } from '../mail/index.ts';
import { SOURCE_LANGUAGE } from '../i18n/index.ts';

const DAY_MS = 86_400_000;
/** Closer than this to the access-request deadline, a new need is mailed at once. */
export const URGENT_DAYS_BEFORE_DEADLINE = 2;

export async function noticeNewNeeds(tx: Database, eventId: number, needs: ReadonlyArray<{ id: number; status: string }>, now: Date): Promise<number> {
  const needIds = needs.filter((n) => n.status === 'requested').map((n) => n.id).sort((a, b) => a - b);
  if (needIds.length === 0) return 0;
  const [ev] = await tx
    .select({ state: event.state, startsAt: event.startsAt, deadline: event.accessRequestDeadline, organisationId: event.organisationId })
    .from(event)
    .where(eq(event.id, eventId));
  if (!ev || ev.state !== 'published' || ev.startsAt <= now) return 0;
  const urgent = ev.deadline === null || ev.deadline.getTime() - now.getTime() <= URGENT_DAYS_BEFORE_DEADLINE * DAY_MS;
  if (!urgent) return 0; // the daily digest of the week before the deadline lists it
  const recipients = await organisationRecipients(tx, ev.organisationId);
  const key = needIds.join(',');
  return enqueueMail(
    tx,
    // Written in the team's language (the source), not in the language of the registrant whose need it is.
    ...recipients.map((to) => ({ kind: 'organiser_new_needs', to, payload: { eventId, needIds }, sendAfter: now, dedupeKey: `new_needs:${key}:${to.toLowerCase()}`, language: SOURCE_LANGUAGE })),
  );
}
