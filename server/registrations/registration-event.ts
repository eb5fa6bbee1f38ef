// The event, as registration sees it: what the pages and the rules read of it, whether the public
// may see it, and whether registration is open now.
import { eq } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { event, territory, venue } from '../db/schema.ts';
import type { AccessFeature, EventState } from '../domain/vocabulary.ts';

export interface RegistrationEvent {
  id: number;
  title: string;
  state: EventState;
  startsAt: Date;
  endsAt: Date;
  capacity: number | null;
  registrationOpensAt: Date | null;
  registrationClosesAt: Date | null;
  accessRequestDeadline: Date | null;
  accessibilityOffered: AccessFeature[];
  organisationId: number;
  territoryId: number;
  editionId: number;
  timeZone: string;
  venueName: string | null;
  venueAddress: string | null;
  commune: string | null;
  onlineUrl: string | null;
  cancellationReason: string | null;
  sequence: number;
}

const eventColumns = {
  id: event.id,
  title: event.title,
  state: event.state,
  startsAt: event.startsAt,
  endsAt: event.endsAt,
  capacity: event.capacity,
  registrationOpensAt: event.registrationOpensAt,
  registrationClosesAt: event.registrationClosesAt,
  accessRequestDeadline: event.accessRequestDeadline,
  accessibilityOffered: event.accessibilityOffered,
  organisationId: event.organisationId,
  territoryId: event.territoryId,
  editionId: event.editionId,
  timeZone: territory.timeZone,
  venueName: venue.name,
  venueAddress: venue.address,
  commune: venue.commune,
  onlineUrl: event.onlineUrl,
  cancellationReason: event.cancellationReason,
  sequence: event.sequence,
};

/** The event whatever its state, for the organiser's pages (the caller checks who asks). */
export async function getRegistrationEvent(db: Database, eventId: number): Promise<RegistrationEvent | null> {
  const [row] = await db
    .select(eventColumns)
    .from(event)
    .innerJoin(territory, eq(territory.id, event.territoryId))
    .leftJoin(venue, eq(venue.id, event.venueId))
    .where(eq(event.id, eventId));
  return row ?? null;
}

/** Drafts and proposals under review are not public: only published or cancelled events are. */
export function isPublic(state: EventState): boolean {
  return state === 'published' || state === 'cancelled';
}

/** The event for the resident's pages: null when unknown or not public (the same answer). */
export async function publicRegistrationEvent(db: Database, eventId: number): Promise<RegistrationEvent | null> {
  const ev = await getRegistrationEvent(db, eventId);
  return ev && isPublic(ev.state) ? ev : null;
}

export type WindowState = 'open' | 'not_published' | 'cancelled' | 'not_yet_open' | 'closed';

/**
 * Whether a resident may register now. Without an explicit closing time, registration closes
 * when the event starts (a registration is for coming from the beginning).
 */
export function registrationWindow(
  ev: Pick<RegistrationEvent, 'state' | 'registrationOpensAt' | 'registrationClosesAt' | 'startsAt'>,
  now: Date,
): WindowState {
  if (ev.state === 'cancelled') return 'cancelled';
  if (ev.state !== 'published') return 'not_published';
  if (ev.registrationOpensAt && now < ev.registrationOpensAt) return 'not_yet_open';
  if (now >= (ev.registrationClosesAt ?? ev.startsAt)) return 'closed';
  return 'open';
}

/** After the access-request deadline, needs the event does not already offer may not be met. */
export function deadlinePassed(ev: Pick<RegistrationEvent, 'accessRequestDeadline'>, now: Date): boolean {
  return ev.accessRequestDeadline !== null && now >= ev.accessRequestDeadline;
}
