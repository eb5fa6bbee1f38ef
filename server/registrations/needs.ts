// Access needs as the registration stores them: the rows written for a person's needs (planned
// at once when the event offers them), and what the pages read of them.
import { asc, eq } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { t } from '../i18n/index.ts';
import { accessNeed } from '../db/schema.ts';
import type { NeedStatus } from '../domain/vocabulary.ts';
import type { NeedInput } from './schemas.ts';

/** The response an organiser's « planned » gets automatically when the event already offers the need (stored as is). */
export const OFFERED_RESPONSE = "Proposé par l'organisateur pour cet événement.";

/** A need's response as people read it: the automatic one in the language of the moment, an organiser's as they wrote it. */
export function shownResponse(response: string | null): string | null {
  return response === OFFERED_RESPONSE ? t('registrations:needs.offeredResponse') : response;
}

export function needRows(registrationId: number, needs: NeedInput[], offered: readonly string[], now: Date) {
  return needs.map((need) => {
    const isOffered = offered.includes(need.category);
    return {
      registrationId,
      category: need.category,
      detail: need.detail,
      // A need the event already offers is planned from the start; the organiser may still change it.
      status: (isOffered ? 'planned' : 'requested') as NeedStatus,
      response: isOffered ? OFFERED_RESPONSE : null,
      answeredAt: isOffered ? now : null,
    };
  });
}

/** What the person's page and the organiser's lists read of a need. */
export const needColumns = {
  id: accessNeed.id,
  category: accessNeed.category,
  detail: accessNeed.detail,
  status: accessNeed.status,
  response: accessNeed.response,
  answeredAt: accessNeed.answeredAt,
};

export type ManagedNeed = { [K in keyof typeof needColumns]: (typeof accessNeed.$inferSelect)[K] };

export async function needsOf(db: Database, registrationId: number): Promise<ManagedNeed[]> {
  const rows = await db.select(needColumns).from(accessNeed).where(eq(accessNeed.registrationId, registrationId)).orderBy(asc(accessNeed.id));
  return rows.map((n) => ({ ...n, response: shownResponse(n.response) }));
}
