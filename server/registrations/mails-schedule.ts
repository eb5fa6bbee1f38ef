// Mails nobody's click causes: reminders before an event, the organisers' daily digest of access
// needs from the week before the access-request deadline, and the coordinators' alerts for needs
// unanswered at the deadline or answered « pas possible ». The mail worker calls scheduleDueMails (a scheduler in server/mail-kinds.ts) every
// minute or so; it only queues outbox rows, each with a dedupe key, so running it twice (or in
// several workers at once) queues nothing twice.
//
// Times are civil times in the territory's zone, computed with Luxon: « 7 days before at 10:00 »
// is 10:00 on the local calendar day seven days before the event's local day, whatever the DST
// change in between.
import { createHash } from 'node:crypto';
import { and, eq, gt, lte, ne, or, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import { accessNeed, appUser, event, membership, registration, territory } from '../db/schema.ts';
import { organisationRecipients } from '../events/index.ts';
import { enqueueMail, type MailRequest } from '../mail/index.ts';
import { notifyEach, reachColumns, type Notice, type Reachable } from './notify.ts';

const DAY_MS = 86_400_000;
/** Organisers get a daily digest during this many days before the access-request deadline. */
export const DIGEST_DAYS_BEFORE_DEADLINE = 7;

/** `hour`:00 local time on the local calendar day `days` before `instant`'s local day. */
export function localHourBefore(instant: Date, days: number, hour: number, zone: string): Date {
  return DateTime.fromJSDate(instant, { zone }).startOf('day').minus({ days }).set({ hour, minute: 0, second: 0, millisecond: 0 }).toJSDate();
}

export function reminderKey(daysBefore: number, registrationId: number): string {
  return `reminder:${daysBefore}:${registrationId}`;
}

export interface Scheduled {
  reminders: number;
  digests: number;
  alerts: number;
  total: number;
}

export async function scheduleDueMails(db: Database, config: Pick<Config, 'reminderDays' | 'reminderHour'>, now: Date): Promise<Scheduled> {
  const reminders = await scheduleReminders(db, config, now);
  const digests = await scheduleDigests(db, config, now);
  const alerts = await scheduleAlerts(db, now);
  return { reminders, digests, alerts, total: reminders + digests + alerts };
}

/**
 * For each confirmed registration of a published event, the reminder whose time has come: the
 * closest one only (a worker that was down for days sends « tomorrow », not « in 7 days » too),
 * never one whose time was before the registration itself.
 */
export async function scheduleReminders(db: Database, config: Pick<Config, 'reminderDays' | 'reminderHour'>, now: Date): Promise<number> {
  const offsets = [...config.reminderDays].sort((a, b) => a - b); // closest first
  if (offsets.length === 0) return 0;
  const horizon = new Date(now.getTime() + (offsets[offsets.length - 1]! + 1) * DAY_MS);
  const queued = Object.fromEntries(
    // Given on whichever channel: a mail or a text in the outbox, or a line on the call list.
    offsets.map((d) => {
      const key = sql`${`reminder:${d}:`} || ${registration.id}::text`;
      return [`d${d}`, sql<boolean>`(exists (select 1 from outbox where outbox.dedupe_key = ${key}) or exists (select 1 from call_request where call_request.dedupe_key = ${key}))`];
    }),
  );
  const rows = await db
    .select({
      ...reachColumns,
      createdAt: registration.createdAt,
      startsAt: event.startsAt,
      zone: territory.timeZone,
      ...queued,
    })
    .from(registration)
    .innerJoin(event, eq(event.id, registration.eventId))
    .innerJoin(territory, eq(territory.id, event.territoryId))
    .where(and(eq(registration.state, 'confirmed'), eq(event.state, 'published'), gt(event.startsAt, now), lte(event.startsAt, horizon)));

  const notices: Array<{ registration: Reachable; notice: Notice }> = [];
  for (const row of rows) {
    const record = row as unknown as Record<string, unknown>;
    // The closest reminder whose time has passed; if it is queued already, nothing to do.
    const due = offsets.find((d) => localHourBefore(row.startsAt, d, config.reminderHour, row.zone) <= now);
    if (due === undefined || record[`d${due}`] === true) continue;
    const at = localHourBefore(row.startsAt, due, config.reminderHour, row.zone);
    if (row.createdAt > at) continue; // registered after the reminder time: the confirmation said it all
    notices.push({ registration: row, notice: { kind: 'reminder', payload: { daysBefore: due }, sendAfter: now, dedupeKey: reminderKey(due, row.id) } });
  }
  return notifyEach(db, notices);
}

/** Published, upcoming events with at least one access need still `requested`. */
async function eventsWithOpenNeeds(db: Database, deadlineCondition: ReturnType<typeof and>) {
  return db
    .selectDistinct({ id: event.id, organisationId: event.organisationId, territoryId: event.territoryId, deadline: event.accessRequestDeadline, zone: territory.timeZone })
    .from(event)
    .innerJoin(territory, eq(territory.id, event.territoryId))
    .innerJoin(registration, and(eq(registration.eventId, event.id), ne(registration.state, 'cancelled')))
    .innerJoin(accessNeed, and(eq(accessNeed.registrationId, registration.id), eq(accessNeed.status, 'requested')))
    .where(and(eq(event.state, 'published'), deadlineCondition));
}

/**
 * Every day at the reminder hour (territory time) from the week before the access-request
 * deadline until the event (a need declared late must reach the organiser too), each organisation member of an event with unanswered needs gets the list of what to
 * prepare. Keyed by local day, so one digest per person, event and day.
 */
export async function scheduleDigests(db: Database, config: Pick<Config, 'reminderHour'>, now: Date): Promise<number> {
  const events = await eventsWithOpenNeeds(
    db,
    and(lte(event.accessRequestDeadline, new Date(now.getTime() + (DIGEST_DAYS_BEFORE_DEADLINE + 1) * DAY_MS)), gt(event.startsAt, now)),
  );
  const mails: MailRequest[] = [];
  for (const ev of events) {
    const today = DateTime.fromJSDate(now, { zone: ev.zone });
    const digestAt = today.set({ hour: config.reminderHour, minute: 0, second: 0, millisecond: 0 }).toJSDate();
    const windowStart = DateTime.fromJSDate(ev.deadline!, { zone: ev.zone }).minus({ days: DIGEST_DAYS_BEFORE_DEADLINE }).toJSDate();
    if (digestAt > now || digestAt < windowStart) continue;
    const day = today.toFormat('yyyy-MM-dd');
    for (const to of await organisationRecipients(db, ev.organisationId)) {
      mails.push({ kind: 'organiser_needs_digest', to, payload: { eventId: ev.id, day }, sendAfter: now, dedupeKey: `digest:${ev.id}:${day}:${to.toLowerCase()}` });
    }
  }
  return enqueueInChunks(db, mails);
}

/**
 * The territory's coordinators hear of needs still unanswered once the access-request deadline has
 * passed, and of needs answered « pas possible »: each need once per state, so a new one (declared
 * late, or just refused) brings a new alert, listing the event's current counts. What was told is
 * read from the alerts already queued (their payload lists « needId:status »).
 */
export async function scheduleAlerts(db: Database, now: Date): Promise<number> {
  const alerted = sql`${accessNeed.id}::text || ':' || ${accessNeed.status}`;
  const rows = await db
    .select({ alerted: sql<string>`${alerted}`, eventId: event.id, territoryId: event.territoryId })
    .from(accessNeed)
    .innerJoin(registration, and(eq(registration.id, accessNeed.registrationId), ne(registration.state, 'cancelled')))
    .innerJoin(event, eq(event.id, registration.eventId))
    .where(
      and(
        eq(event.state, 'published'),
        gt(event.startsAt, now),
        or(and(eq(accessNeed.status, 'requested'), lte(event.accessRequestDeadline, now)), eq(accessNeed.status, 'not_possible')),
        sql`not exists (select 1 from outbox where outbox.kind = 'coordinator_unmet_needs_alert' and outbox.payload -> 'alerted' @> to_jsonb(${alerted}))`,
      ),
    );
  const byEvent = new Map<number, { territoryId: number; alerted: string[] }>();
  for (const row of rows) {
    const entry = byEvent.get(row.eventId) ?? { territoryId: row.territoryId, alerted: [] };
    entry.alerted.push(row.alerted);
    byEvent.set(row.eventId, entry);
  }
  const mails: MailRequest[] = [];
  for (const [eventId, { territoryId, alerted: list }] of byEvent) {
    list.sort();
    // The same news twice (two schedulers at once) is queued once.
    const news = createHash('sha256').update(list.join(',')).digest('base64url').slice(0, 16);
    const coordinators = await db
      .select({ email: appUser.email })
      .from(membership)
      .innerJoin(appUser, eq(appUser.id, membership.userId))
      .where(and(eq(membership.role, 'coordinator'), eq(membership.territoryId, territoryId)));
    for (const { email } of coordinators) {
      mails.push({ kind: 'coordinator_unmet_needs_alert', to: email, payload: { eventId, alerted: list }, sendAfter: now, dedupeKey: `alert:${eventId}:${news}:${email.toLowerCase()}` });
    }
  }
  return enqueueInChunks(db, mails);
}

/** Inserts in chunks (bind-parameter limits); rows already queued are skipped by their dedupe key. */
async function enqueueInChunks(db: Database, mails: MailRequest[]): Promise<number> {
  let count = 0;
  for (let i = 0; i < mails.length; i += 1000) count += await enqueueMail(db, ...mails.slice(i, i + 1000));
  return count;
}
