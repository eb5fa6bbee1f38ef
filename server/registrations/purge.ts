// Retention of personal data (DESIGN.md, Security and privacy):
//  - access-need details and consents are deleted NEEDS_RETENTION_DAYS after the event's end,
//    their counts first added to access_need_tally (per event and category: by status, declared
//    late, answered in time) so that the figures and the bilan survive (need-figures.ts);
//  - identities (name, email, phone, the helper's contact) are nulled IDENTITY_RETENTION_DAYS
//    after the edition's last day (or the event's end, if later): the registration's links
//    (manage, feed) stop working and every mail about it leaves the outbox;
//  - mails already sent are deleted from the outbox NEEDS_RETENTION_DAYS after they were sent
//    (they hold addresses, and nothing reads them once sent).
// The local mailbox's .eml files of deleted outbox rows are removed after the commit.
// The schedule (and `npm run purge`) also deletes spent credentials: expired sessions and used or
// expired sign-in links (accounts feature, purgeSpentCredentials).
// Idempotent: a second run finds nothing left to do and changes no count. Safe with several app
// processes: the tally is fed by the rows each DELETE actually removed (a CTE), so a need is
// counted once even if two purges overlap.
import type { FastifyBaseLogger } from 'fastify';
import { and, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Config } from '../config.ts';
import { queryRows, type Database } from '../db/client.ts';
import { callRequest, outbox, registrationToken } from '../db/schema.ts';
import { deleteLocalMails, deleteMailsAbout } from '../mail/index.ts';
import type { Clock } from '../lib/clock.ts';
import { purgeSpentCredentials } from '../accounts/index.ts';
import { forgetEndedRateLimits } from '../plugins/rate-limit-store.ts';
import { needTiming } from './need-figures.ts';

export interface PurgeResult {
  needsDeleted: number;
  consentsCleared: number;
  identitiesPurged: number;
  mailsDeleted: number;
}

type PurgeConfig = Pick<Config, 'needsRetentionDays' | 'identityRetentionDays' | 'dataDir'>;

/** Edition days are national (metropolitan) dates: a day ends at midnight, Paris time. */
const EDITION_ZONE = 'Europe/Paris';

export async function purgeExpired(db: Database, config: PurgeConfig, now: Date): Promise<PurgeResult> {
  const nowIso = now.toISOString();
  const { mails, ...result } = await db.transaction(async (tx) => {
    // Whole days of 24 hours, added in hours so that the result does not depend on the session's
    // time zone (adding '1 day' to a timestamptz follows DST in the session zone).
    const needsHours = config.needsRetentionDays * 24;
    const identityHours = config.identityRetentionDays * 24;
    const timing = needTiming('an', 'e');
    const [needs] = await queryRows<{ deleted: number }>(
      tx,
      sql`
      with gone as (
        delete from access_need an
        using registration r, event e
        where an.registration_id = r.id and r.event_id = e.id
          and e.ends_at + make_interval(hours => ${needsHours}::int) <= ${nowIso}::timestamptz
        returning r.event_id, an.category, an.status,
                  ${timing.declaredLate} as declared_late, ${timing.answeredInTime} as answered_in_time
      ), tallied as (
        insert into access_need_tally as t (event_id, category, requested, planned, not_possible, declared_late, answered_by_deadline)
        select event_id, category,
               (count(*) filter (where status = 'requested'))::int,
               (count(*) filter (where status = 'planned'))::int,
               (count(*) filter (where status = 'not_possible'))::int,
               (count(*) filter (where declared_late))::int,
               (count(*) filter (where answered_in_time))::int
        from gone group by event_id, category
        on conflict (event_id, category) do update set
          requested = t.requested + excluded.requested,
          planned = t.planned + excluded.planned,
          not_possible = t.not_possible + excluded.not_possible,
          declared_late = t.declared_late + excluded.declared_late,
          answered_by_deadline = t.answered_by_deadline + excluded.answered_by_deadline
        returning 1
      )
      select (select count(*) from gone)::int as deleted, (select count(*) from tallied)::int as tallied`,
    );
    const [consents] = await queryRows<{ cleared: number }>(
      tx,
      sql`
      with cleared as (
        update registration r set needs_consent_at = null
        from event e
        where r.event_id = e.id and r.needs_consent_at is not null
          and e.ends_at + make_interval(hours => ${needsHours}::int) <= ${nowIso}::timestamptz
        returning 1
      ) select count(*)::int as cleared from cleared`,
    );
    const purged = await queryRows<{ id: number }>(
      tx,
      sql`
      update registration r set
        name = null, email = null, phone = null,
        contact_name = null, contact_email = null, contact_phone = null, sms_consent_at = null,
        identity_purged_at = ${nowIso}::timestamptz
      from event e, edition ed
      where r.event_id = e.id and e.edition_id = ed.id and r.identity_purged_at is null
        and greatest(e.ends_at, ((ed.last_day + 1)::timestamp at time zone ${EDITION_ZONE}::text))
            + make_interval(hours => ${identityHours}::int) <= ${nowIso}::timestamptz
      returning r.id`,
    );
    const purgedIds = purged.map((r) => Number(r.id));
    if (purgedIds.length > 0) {
      await tx.delete(registrationToken).where(inArray(registrationToken.registrationId, purgedIds));
      // Nobody left to call: no name, no number.
      await tx.delete(callRequest).where(inArray(callRequest.registrationId, purgedIds));
    }
    const aboutPurged = await deleteMailsAbout(tx, purgedIds);
    const sent = await tx
      .delete(outbox)
      .where(and(eq(outbox.status, 'sent'), lte(outbox.sentAt, new Date(now.getTime() - needsHours * 3_600_000))))
      .returning({ id: outbox.id });
    return {
      needsDeleted: Number(needs?.deleted ?? 0),
      consentsCleared: Number(consents?.cleared ?? 0),
      identitiesPurged: purgedIds.length,
      mailsDeleted: aboutPurged.length + sent.length,
      mails: [...aboutPurged, ...sent.map((r) => r.id)],
    };
  });
  await deleteLocalMails(config, mails);
  return result;
}

export interface FullPurgeResult extends PurgeResult {
  sessionsDeleted: number;
  signInLinksDeleted: number;
  rateLimitCountsDeleted: number;
}

/** What the hourly schedule and `npm run purge` run: expired personal data, then spent credentials
 *  and the rate limits' ended counts (addresses). */
export async function purgeAll(db: Database, config: PurgeConfig, now: Date): Promise<FullPurgeResult> {
  const result = await purgeExpired(db, config, now);
  const credentials = await purgeSpentCredentials(db, now);
  const rateLimitCountsDeleted = await forgetEndedRateLimits(db);
  return { ...result, sessionsDeleted: credentials.sessions, signInLinksDeleted: credentials.signInTokens, rateLimitCountsDeleted };
}

export type PurgeLog = Pick<FastifyBaseLogger, 'info' | 'error'>;

/**
 * Runs the purge in the app process: shortly after start, then every `intervalMs` (default one
 * hour). Returns a stop function that waits for a run in progress.
 */
export function startPurgeSchedule(
  db: Database,
  config: PurgeConfig,
  clock: Clock,
  log: PurgeLog,
  options: { intervalMs?: number; firstRunMs?: number } = {},
): () => Promise<void> {
  let running: Promise<void> | null = null;
  const run = () => {
    if (running) return;
    running = purgeAll(db, config, clock.now())
      .then((result) => {
        if (Object.values(result).some((n) => n > 0)) log.info({ purge: result }, 'données personnelles expirées effacées');
      })
      .catch((err: unknown) => log.error({ err }, 'purge des données personnelles en échec'))
      .finally(() => {
        running = null;
      });
  };
  const first = setTimeout(run, options.firstRunMs ?? 10_000);
  const timer = setInterval(run, options.intervalMs ?? 60 * 60 * 1000);
  first.unref();
  timer.unref();
  return async () => {
    clearTimeout(first);
    clearInterval(timer);
    if (running) await running;
  };
}
