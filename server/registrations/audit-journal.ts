// Reading the access journal (audit_log): who viewed, exported, printed or answered access needs,
// when, for which event — for the coordination (the journal page) and, without any name, for the
// person whose needs they are (« consultés par l'organisation le … » on their manage page).
import { and, desc, eq, gte, inArray, lt, max, min, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { accessNeed, appUser, auditLog, event, registration } from '../db/schema.ts';
import { t } from '../i18n/index.ts';

/** What is written to the audit log (organiser.ts writes it). */
export type AuditAction = 'needs.view' | 'needs.export' | 'needs.print' | 'needs.answer';

export const AUDIT_ACTIONS: AuditAction[] = ['needs.view', 'needs.export', 'needs.print', 'needs.answer'];

/** What each action says after a person's name (« a consulté … »), in the language of the moment. */
export const AUDIT_ACTION_LABELS: Record<AuditAction, string> = Object.freeze(
  Object.defineProperties(
    {} as Record<AuditAction, string>,
    Object.fromEntries(AUDIT_ACTIONS.map((action) => [action, { enumerable: true, get: () => t(`team:auditAction.${action.slice('needs.'.length)}`) }])),
  ),
);

/** What reads a person's needs (answering one is not reading the others). */
const READING: AuditAction[] = ['needs.view', 'needs.export', 'needs.print'];

export interface JournalFilter {
  territoryId: number;
  eventId?: number;
  action?: AuditAction;
  /** Inclusive start and exclusive end, as instants. */
  from?: Date;
  until?: Date;
}

export const JOURNAL_LIMIT = 1000;

/** The territory's journal, newest first, at most JOURNAL_LIMIT lines (`more`: there are others). */
export async function accessJournal(db: Database, filter: JournalFilter) {
  const conditions: SQL[] = [eq(event.territoryId, filter.territoryId)];
  if (filter.eventId !== undefined) conditions.push(eq(auditLog.eventId, filter.eventId));
  if (filter.action !== undefined) conditions.push(eq(auditLog.action, filter.action));
  if (filter.from) conditions.push(gte(auditLog.createdAt, filter.from));
  if (filter.until) conditions.push(lt(auditLog.createdAt, filter.until));
  const rows = await db
    .select({ id: auditLog.id, at: auditLog.createdAt, action: auditLog.action, eventId: auditLog.eventId, eventTitle: event.title, userName: appUser.name, userEmail: appUser.email })
    .from(auditLog)
    .innerJoin(event, eq(event.id, auditLog.eventId))
    .leftJoin(appUser, eq(appUser.id, auditLog.actorUserId))
    .where(and(...conditions))
    .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
    .limit(JOURNAL_LIMIT + 1);
  return { lines: rows.slice(0, JOURNAL_LIMIT).map((r) => ({ ...r, action: r.action as AuditAction })), more: rows.length > JOURNAL_LIMIT };
}

/** The territory's events that appear in its journal, for the filter. */
export async function journalEvents(db: Database, territoryId: number) {
  return db
    .selectDistinct({ id: event.id, title: event.title, startsAt: event.startsAt })
    .from(auditLog)
    .innerJoin(event, eq(event.id, auditLog.eventId))
    .where(eq(event.territoryId, territoryId))
    .orderBy(event.startsAt, event.id);
}

/**
 * When the organisation last read this registration's needs (its event's list, export or sheet,
 * since the needs were declared); null if never, or without needs.
 */
export async function needsConsultedAt(db: Database, registrationId: number): Promise<Date | null> {
  const declared = db.select({ at: min(accessNeed.createdAt) }).from(accessNeed).where(eq(accessNeed.registrationId, registrationId));
  const [row] = await db
    .select({ at: max(auditLog.createdAt) })
    .from(auditLog)
    .innerJoin(registration, eq(registration.eventId, auditLog.eventId))
    .where(and(eq(registration.id, registrationId), inArray(auditLog.action, READING), sql`${auditLog.createdAt} >= (${declared})`));
  return row?.at ? new Date(row.at) : null;
}
