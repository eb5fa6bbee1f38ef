// The edition the public pages show. No HTTP here.
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { edition, event } from '../db/schema.ts';
import { runningOrNext } from '../domain/editions.ts';
import { dayKey } from '../lib/time.ts';

/** The SISM are national: "today", to choose the current edition, is judged in Paris. */
const NATIONAL_ZONE = 'Europe/Paris';

export type EditionSummary = Pick<typeof edition.$inferSelect, 'id' | 'year' | 'theme' | 'firstDay' | 'lastDay'> & {
  /** At least one published (or cancelled) event. */
  hasEvents: boolean;
};

/**
 * The edition the public pages show: among editions with published events, the one running or
 * the nearest to come; when all are past, the latest. With no published event anywhere, the
 * nearest edition to come (its programme is being prepared), else the latest.
 */
export function chooseCurrentEdition(editions: readonly EditionSummary[], today: string): EditionSummary | null {
  const withEvents = editions.filter((e) => e.hasEvents);
  return runningOrNext(withEvents.length > 0 ? withEvents : editions, today) ?? null;
}

export async function findCurrentEdition(db: Database, now: Date): Promise<EditionSummary | null> {
  const rows = await db
    .select({
      id: edition.id,
      year: edition.year,
      theme: edition.theme,
      firstDay: edition.firstDay,
      lastDay: edition.lastDay,
      hasEvents: sql<boolean>`exists (select 1 from ${event} where ${event.editionId} = ${edition.id} and ${event.state} in ('published', 'cancelled'))`,
    })
    .from(edition);
  return chooseCurrentEdition(rows, dayKey(now, NATIONAL_ZONE));
}
