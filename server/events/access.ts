// Object-level authorisation for the events pages: every route loads its object by the ids in
// the URL and asks here whether this person may act on it. Unknown ids → 404, others' → 403.
// Administrators may act everywhere: they set territories up and stand in for an absent
// coordinator; their actions are recorded in the history under their own name.
import { canManageEvent, isOrganisationMember, isTerritoryCoordinator } from '../accounts/index.ts';
import type { Database } from '../db/client.ts';
import { t } from '../i18n/index.ts';
import { forbidden, notFound } from '../plugins/errors.ts';
import type { SessionUser } from '../plugins/session.ts';
import { eventContext, organisationContext, territoryById, type EventContext } from './queries.ts';
import { getVenue, type VenueRow } from './venues.ts';

export async function organisationForMember(db: Database, user: SessionUser, organisationId: number) {
  const context = await organisationContext(db, organisationId);
  if (!context) throw notFound();
  if (!user.isAdmin && !(await isOrganisationMember(db, user, organisationId)))
    throw forbidden(t('events:errors.membersOnly'));
  return context;
}

/** Organiser pages of an event: its organisation's members (and its territory's coordinators). */
export async function eventForOrganiser(db: Database, user: SessionUser, eventId: number): Promise<EventContext> {
  const context = await eventContext(db, eventId);
  if (!context) throw notFound();
  if (!user.isAdmin && !(await canManageEvent(db, user, context.event)))
    throw forbidden(t('events:errors.otherOrganisation'));
  return context;
}

export async function territoryForCoordinator(db: Database, user: SessionUser, territoryId: number) {
  const territory = await territoryById(db, territoryId);
  if (!territory) throw notFound();
  if (!user.isAdmin && !(await isTerritoryCoordinator(db, user, territoryId)))
    throw forbidden(t('events:errors.coordinationOnly'));
  return territory;
}

export async function eventForCoordinator(db: Database, user: SessionUser, eventId: number): Promise<EventContext> {
  const context = await eventContext(db, eventId);
  if (!context) throw notFound();
  if (!user.isAdmin && !(await isTerritoryCoordinator(db, user, context.event.territoryId)))
    throw forbidden(t('events:errors.otherTerritory'));
  return context;
}

/** A venue of this organisation (whose membership the caller checked); another's is "not found" here. */
export async function venueOfOrganisation(db: Database, organisationId: number, venueId: number): Promise<VenueRow> {
  const venue = await getVenue(db, venueId);
  if (!venue || venue.organisationId !== organisationId) throw notFound(t('events:errors.venueNotFound'));
  return venue;
}
