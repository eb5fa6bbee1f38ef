// Access-need counts for the figures and the bilan (reports feature): the needs still stored plus
// the counts the retention purge kept in access_need_tally (purge.ts), so that a figure reads the
// same before and after the purge. Counts per territory and category only: nobody is named.
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Database } from '../db/client.ts';
import type { AccessFeature } from '../domain/vocabulary.ts';

/**
 * Whether a need was declared late and answered in time, as SQL over a need (alias `need`) and its
 * event (alias `ev`). The limit is the event's access-request deadline, or its start when it has
 * none (nothing can be arranged after the event has begun). Shared by the purge, which keeps these
 * counts, and the figures, which count the needs still stored the same way.
 */
export function needTiming(need: string, ev: string): { declaredLate: SQL; answeredInTime: SQL } {
  const limit = `coalesce(${ev}.access_request_deadline, ${ev}.starts_at)`;
  return {
    declaredLate: sql.raw(`(${need}.created_at > ${limit})`),
    answeredInTime: sql.raw(`(${need}.status <> 'requested' and ${need}.answered_at is not null and ${need}.answered_at <= ${limit})`),
  };
}

export interface NeedScope {
  editionId: number;
  /** null: every territory (the national figures). */
  territoryId: number | null;
}

export interface NeedCount {
  territoryId: number;
  category: AccessFeature;
  unanswered: number;
  planned: number;
  notPossible: number;
  declaredLate: number;
  answeredByDeadline: number;
}

/** Needs declared for the published events of an edition, per territory and category. */
export async function needCounts(db: Database, scope: NeedScope): Promise<NeedCount[]> {
  const inScope = sql`e.edition_id = ${scope.editionId} and e.state = 'published'${scope.territoryId === null ? sql`` : sql` and e.territory_id = ${scope.territoryId}`}`;
  const timing = needTiming('an', 'e');
  const rows = await queryRows<Record<keyof NeedCount, number | string>>(
    db,
    sql`
    select territory_id as "territoryId", category,
           sum(unanswered)::int as unanswered, sum(planned)::int as planned, sum(not_possible)::int as "notPossible",
           sum(declared_late)::int as "declaredLate", sum(answered_in_time)::int as "answeredByDeadline"
    from (
      select e.territory_id, an.category,
             (an.status = 'requested')::int as unanswered, (an.status = 'planned')::int as planned,
             (an.status = 'not_possible')::int as not_possible,
             ${timing.declaredLate}::int as declared_late, ${timing.answeredInTime}::int as answered_in_time
      from access_need an
      join registration r on r.id = an.registration_id
      join event e on e.id = r.event_id
      where ${inScope}
      union all
      select e.territory_id, t.category, t.requested, t.planned, t.not_possible, t.declared_late, t.answered_by_deadline
      from access_need_tally t
      join event e on e.id = t.event_id
      where ${inScope}
    ) needs
    group by territory_id, category`,
  );
  return rows.map((r) => ({
    territoryId: Number(r.territoryId),
    category: r.category as AccessFeature,
    unanswered: Number(r.unanswered),
    planned: Number(r.planned),
    notPossible: Number(r.notPossible),
    declaredLate: Number(r.declaredLate),
    answeredByDeadline: Number(r.answeredByDeadline),
  }));
}
