// The organiser's side of registrations: the lists with their needs, answers to needs, and the
// audit trail of who looked at health data (written by the reads themselves). No HTTP; the caller has already checked that
// the user may manage the event (canManageEvent). Every function that takes a need or a
// registration id also takes the event id and refuses ids of another event (no IDOR).
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { accessNeed, auditLog, registration } from '../db/schema.ts';
import { ACCESS_FEATURES, ACCESS_FEATURE_INFO, type AccessFeature, type NeedStatus } from '../domain/vocabulary.ts';
import type { NeedAnswer } from './schemas.ts';
import { notifyRegistrant, reachColumns, type Channel } from './notify.ts';
import { registrationDetailColumns, type RegistrationDetails } from './manage.ts';
import { needColumns, shownResponse, type ManagedNeed } from './needs.ts';
import type { RegistrationEvent } from './registration-event.ts';
import type { AuditAction } from './audit-journal.ts';

/** How long before the access-request deadline an unanswered need is flagged as urgent. */
export const URGENT_BEFORE_DEADLINE_MS = 7 * 24 * 60 * 60 * 1000;

export interface OrganiserNeed extends ManagedNeed {
  /** 'late': deadline passed and still requested; 'soon': within 7 days of it. */
  urgency: 'late' | 'soon' | null;
}

export interface OrganiserRegistration extends RegistrationDetails {
  createdByUserId: number | null;
  needs: OrganiserNeed[];
}

export interface NeedCount {
  category: AccessFeature;
  label: string;
  count: number;
  requested: number;
}

export interface RegistrationLists {
  confirmed: OrganiserRegistration[];
  waitlisted: OrganiserRegistration[];
  cancelled: OrganiserRegistration[];
  confirmedSeats: number;
  waitlistedSeats: number;
  /** Needs of people still coming (confirmed and waitlisted), per category, in vocabulary order. */
  needsAggregate: NeedCount[];
  urgentNeeds: number;
}

/** The deadline that matters for a need: the event's access-request deadline, else its start. */
export function needUrgency(status: NeedStatus, ev: Pick<RegistrationEvent, 'accessRequestDeadline' | 'startsAt'>, now: Date): OrganiserNeed['urgency'] {
  if (status !== 'requested') return null;
  const deadline = ev.accessRequestDeadline ?? ev.startsAt;
  if (now >= deadline) return 'late';
  if (deadline.getTime() - now.getTime() <= URGENT_BEFORE_DEADLINE_MS) return 'soon';
  return null;
}

/**
 * The event's registrations with their access needs (health data), for the person `reader`:
 * the read is audited here (who, when, which event, why), so that no caller can forget it.
 */
export async function readRegistrations(
  db: Database,
  ev: RegistrationEvent,
  reader: { userId: number; action: Exclude<AuditAction, 'needs.answer'> },
  now: Date,
): Promise<RegistrationLists> {
  await recordAudit(db, { actorUserId: reader.userId, action: reader.action, eventId: ev.id, at: now });
  return listRegistrations(db, ev, now);
}

async function listRegistrations(db: Database, ev: RegistrationEvent, now: Date): Promise<RegistrationLists> {
  const rows = await db
    .select({ ...registrationDetailColumns, createdByUserId: registration.createdByUserId })
    .from(registration)
    .where(eq(registration.eventId, ev.id))
    .orderBy(asc(registration.waitlistPosition), asc(registration.createdAt), asc(registration.id));
  const ids = rows.map((r) => r.id);
  const needs =
    ids.length === 0
      ? []
      : await db
          .select({ ...needColumns, registrationId: accessNeed.registrationId })
          .from(accessNeed)
          .where(inArray(accessNeed.registrationId, ids))
          .orderBy(asc(accessNeed.id));
  const byRegistration = new Map<number, OrganiserNeed[]>();
  for (const { registrationId, ...need } of needs) {
    const list = byRegistration.get(registrationId) ?? [];
    list.push({ ...need, response: shownResponse(need.response), urgency: needUrgency(need.status, ev, now) });
    byRegistration.set(registrationId, list);
  }
  const all = rows.map((r) => ({ ...r, needs: byRegistration.get(r.id) ?? [] }));
  const coming = all.filter((r) => r.state !== 'cancelled');
  const needsAggregate = ACCESS_FEATURES.map((category) => {
    const matching = coming.flatMap((r) => r.needs).filter((n) => n.category === category);
    return { category, label: ACCESS_FEATURE_INFO[category].label, count: matching.length, requested: matching.filter((n) => n.status === 'requested').length };
  }).filter((c) => c.count > 0);
  const sumSeats = (list: OrganiserRegistration[]) => list.reduce((total, r) => total + r.seats, 0);
  const confirmed = all.filter((r) => r.state === 'confirmed');
  const waitlisted = all.filter((r) => r.state === 'waitlisted');
  return {
    confirmed,
    waitlisted,
    cancelled: all.filter((r) => r.state === 'cancelled'),
    confirmedSeats: sumSeats(confirmed),
    waitlistedSeats: sumSeats(waitlisted),
    needsAggregate,
    urgentNeeds: coming.flatMap((r) => r.needs).filter((n) => n.urgency !== null).length,
  };
}

/** « LSF : 2, fauteuil : 1 » */
export function aggregateText(counts: NeedCount[]): string {
  return counts.map((c) => `${c.label} : ${c.count}`).join(', ');
}

/**
 * The organiser marks a need `planned` or `not_possible`; the person is told through the outbox
 * and the answer is audited (who, when, which registration) in the same transaction (on their
 * channel: mail, text, or the call list).
 */
export async function answerNeed(
  db: Database,
  now: Date,
  args: { eventId: number; needId: number; userId: number; answer: NeedAnswer },
): Promise<{ ok: true; channel: Channel['channel'] } | { ok: false }> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ ...reachColumns, needId: accessNeed.id })
      .from(accessNeed)
      .innerJoin(registration, eq(registration.id, accessNeed.registrationId))
      .where(and(eq(accessNeed.id, args.needId), eq(registration.eventId, args.eventId), sql`${registration.state} <> 'cancelled'`));
    if (!row) return { ok: false as const };
    await tx
      .update(accessNeed)
      .set({ status: args.answer.status, response: args.answer.response, answeredAt: now, answeredByUserId: args.userId })
      .where(eq(accessNeed.id, row.needId));
    await recordAudit(tx, { actorUserId: args.userId, action: 'needs.answer', eventId: args.eventId, registrationId: row.id, at: now });
    const channel = await notifyRegistrant(tx, row, { kind: 'access_need_answered', payload: { needId: row.needId }, sendAfter: now });
    return { ok: true as const, channel };
  });
}


/** Who saw or exported health data, when, for which event — never the data itself. */
async function recordAudit(db: Database, entry: { actorUserId: number; action: AuditAction; eventId: number; registrationId?: number; at: Date }): Promise<void> {
  await db.insert(auditLog).values({
    actorUserId: entry.actorUserId,
    action: entry.action,
    eventId: entry.eventId,
    registrationId: entry.registrationId ?? null,
    createdAt: entry.at,
  });
}
