// Check-in at the door, often on a phone: the confirmed people in alphabetical order, found by a
// part of their name as it is typed, a presence toggled per person, and how many have arrived.
// No HTTP; the caller has checked that the user may manage the event.
import { and, count, eq, isNotNull, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { formatNumber, t } from '../i18n/index.ts';
import { registration } from '../db/schema.ts';

/** Longest search kept: a name, not a text. */
export const CHECK_IN_QUERY_MAX = 100;

const collator = new Intl.Collator('fr', { sensitivity: 'base', numeric: true });

/** Lower case without accents or extra spaces: « Éloïse  » and « eloise » are one search. */
function folded(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** The search as typed, trimmed to a name's length (anything else in the address is ignored). */
export function checkInQuery(raw: unknown): string {
  return typeof raw === 'string' ? raw.trim().slice(0, CHECK_IN_QUERY_MAX) : '';
}

export interface CheckInList<R> {
  /** The people found, in alphabetical order of name (French collation), people without a name last. */
  rows: R[];
  /** Confirmed registrations in all, found or not. */
  total: number;
  /** Arrivals noted in all, found or not: the counter at the top of the page. */
  arrived: number;
  query: string;
}

export function checkInList<R extends { id: number; name: string | null; checkedInAt: Date | null }>(confirmed: readonly R[], query: string): CheckInList<R> {
  const wanted = folded(query);
  const rows = confirmed
    .filter((r) => wanted === '' || folded(r.name ?? '').includes(wanted))
    .sort((a, b) => Number(a.name === null) - Number(b.name === null) || collator.compare(a.name ?? '', b.name ?? '') || a.id - b.id);
  return { rows, total: confirmed.length, arrived: confirmed.filter((r) => r.checkedInAt !== null).length, query };
}

/** What a search found, as the page and the live region say it (« 2 personnes sur 12 pour « mar ». »), in the page's language. */
export function foundText(list: Pick<CheckInList<unknown>, 'rows' | 'total' | 'query'>): string {
  const found = list.query ? list.rows.length : list.total;
  const people = t('team:checkIn.found.people', { count: found, n: formatNumber(found) });
  return list.query
    ? t('team:checkIn.found.query', { people, total: formatNumber(list.total), query: list.query })
    : t('team:checkIn.found.all', { count: list.total, people });
}

/** Notes (or withdraws) a confirmed person's arrival; null when the id is not a confirmed registration of this event. */
export async function toggleCheckIn(
  db: Database,
  now: Date,
  eventId: number,
  registrationId: number,
): Promise<{ id: number; name: string | null; checkedInAt: Date | null; arrived: number } | null> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(registration)
      .set({ checkedInAt: sql`case when ${registration.checkedInAt} is null then ${now.toISOString()}::timestamptz else null end`, updatedAt: now })
      .where(and(eq(registration.id, registrationId), eq(registration.eventId, eventId), eq(registration.state, 'confirmed')))
      .returning({ id: registration.id, name: registration.name, checkedInAt: registration.checkedInAt });
    if (!row) return null;
    const [arrivals] = await tx
      .select({ arrived: count() })
      .from(registration)
      .where(and(eq(registration.eventId, eventId), eq(registration.state, 'confirmed'), isNotNull(registration.checkedInAt)));
    return { ...row, arrived: Number(arrivals!.arrived) };
  });
}
