// What the registrations' mails of one worker batch share: its registrations (with their needs)
// read in one statement (two), their events through the batch's events, and the tokens of all its
// mails stored in one statement. Each rendered mail mints its own tokens (only their hashes are
// stored), so no raw token ever sits in the outbox.
import { asc, sql } from 'drizzle-orm';
import { pgArray, type Database } from '../db/client.ts';
import { accessNeed, registration } from '../db/schema.ts';
import { ACCESS_FEATURE_INFO, NEED_STATUS_LABELS, type AccessFeature, type NeedStatus, type RegistrationTokenKind } from '../domain/vocabulary.ts';
import type { CalendarEvent } from '../calendar/index.ts';
import { eventsOfBatch } from '../events/index.ts';
import { groupCommit } from '../lib/group-commit.ts';
import { randomToken } from '../lib/tokens.ts';
import { memoById, type BatchShare, payloadInt } from '../mail/index.ts';
import { storeTokens, type TokenToStore } from './links.ts';
import { shownResponse } from './needs.ts';

export interface EmailNeed {
  category: AccessFeature;
  label: string;
  detail: string | null;
  status: NeedStatus;
  /** « en attente de réponse de l'organisation », « prévu », « pas possible » */
  statusText: string;
  response: string | null;
}

export type RegistrationRow = typeof registration.$inferSelect;
export type LoadedRegistration = { reg: RegistrationRow; needs: EmailNeed[] };

/** The labels are read when a mail uses them, in its language: a batch's registrations are read
 *  once for mails in several languages. */
export function emailNeed(n: typeof accessNeed.$inferSelect): EmailNeed {
  return {
    category: n.category,
    get label() {
      return ACCESS_FEATURE_INFO[n.category]?.requestLabel ?? n.category;
    },
    detail: n.detail,
    status: n.status,
    get statusText() {
      return NEED_STATUS_LABELS[n.status]?.mail ?? n.status;
    },
    response: shownResponse(n.response),
  };
}

/** Registrations with their needs (in the order they were declared), by id; erased or purged ones are absent. */
async function loadRegistrations(db: Database, ids: number[]): Promise<Map<number, LoadedRegistration>> {
  const regs = await db.select().from(registration).where(sql`${registration.id} = any(${pgArray(ids)}::int[])`);
  const found = new Map<number, LoadedRegistration>(regs.filter((reg) => !reg.identityPurgedAt).map((reg) => [reg.id, { reg, needs: [] }]));
  if (found.size === 0) return found;
  const needs = await db.select().from(accessNeed).where(sql`${accessNeed.registrationId} = any(${pgArray([...found.keys()])}::int[])`).orderBy(asc(accessNeed.id));
  for (const need of needs) found.get(need.registrationId)!.needs.push(emailNeed(need));
  return found;
}

export interface RegistrationMailBatch {
  /** The event as calendars and mails describe it. */
  event(eventId: number): Promise<CalendarEvent | null>;
  /** The registration with its needs; null once erased or its identity purged. */
  registration(registrationId: number): Promise<LoadedRegistration | null>;
  /** A new token of this kind (only its hash is stored); null if the registration is gone. */
  mint(registrationId: number, kind: RegistrationTokenKind, now: Date): Promise<string | null>;
}

export const registrationMailBatch: BatchShare<RegistrationMailBatch> = (db, _config, payloads, batch) => {
  const events = batch.shared(eventsOfBatch);
  const registrations = memoById(async (ids) => {
    const found = await loadRegistrations(db, ids);
    events.preload([...found.values()].map((r) => r.reg.eventId));
    return found;
  });
  let unread: number[] = payloads.map((p) => payloadInt(p.registrationId)).filter((id) => id !== null);
  const store = groupCommit((tokens: TokenToStore[]) => storeTokens(db, tokens));
  return {
    event: events.get,
    registration(registrationId) {
      // The first one asked for is read with every other one of the batch.
      registrations.preload([registrationId, ...unread]);
      unread = [];
      return registrations.get(registrationId);
    },
    async mint(registrationId, kind, now) {
      const token = randomToken();
      return (await store({ token, registrationId, kind, createdAt: now })) ? token : null;
    },
  };
};
