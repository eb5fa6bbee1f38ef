// What the browser suite needs beyond the demo programme, in every state the issue lists: an
// open event offering LSF, a full one, a cancelled one, a proposal waiting for review, enough
// events to paginate, registrations with access needs, an organiser and a coordinator.
import { eq } from 'drizzle-orm';
import type { Database } from '../../server/db/client.ts';
import {
  makeCoordinator,
  makeEdition,
  makeEvent,
  makeMember,
  makeOrganisation,
  makeRegistration,
  makeTerritory,
  makeUser,
  makeVenue,
} from '../helpers/factory.ts';
import { edition as editionTable } from '../../server/db/schema.ts';

export const ORGANISER_EMAIL = 'organisatrice.navigateur@example.org';
export const COORDINATOR_EMAIL = 'coordination.navigateur@example.org';
export const ADMIN_EMAIL = 'admin.navigateur@example.org';
export const OPEN_TITLE = 'Atelier chant partagé au jardin';
export const FULL_TITLE = 'Ciné-débat complet';
export const CANCELLED_TITLE = 'Balade annulée des berges';
export const SUBMITTED_TITLE = 'Portes ouvertes du GEM Arc-en-ciel';
export const FILLER_COUNT = 30;

export interface Fixtures {
  territoryId: number;
  territorySlug: string;
  editionId: number;
  organisationId: number;
  organiserId: number;
  coordinatorId: number;
  openEventId: number;
  fullEventId: number;
  cancelledEventId: number;
  submittedEventId: number;
  /** A confirmed registration with an LSF need on the open event, and its manage token. */
  registrationId: number;
  manageToken: string;
}

export async function loadFixtures(db: Database): Promise<Fixtures> {
  const territory = await makeTerritory(db, { slug: 'clsm-navigateur', name: 'CLSM Vallée du Navigateur', communes: ['Grenoble', 'Échirolles', 'Meylan'] });
  // The demo seed may already have created the 2026 edition (the year is unique).
  const edition = (await db.select().from(editionTable).where(eq(editionTable.year, 2026)))[0] ?? (await makeEdition(db));
  const organisation = await makeOrganisation(db, territory.id, { name: 'Les Voix du Parc', kind: 'association', contactEmail: 'contact@voixduparc.example.org' });
  const venue = await makeVenue(db, territory.id, organisation.id, { name: 'Maison des habitants Teisseire', commune: 'Grenoble', accessibleToilets: true, inductionLoop: true });
  const organiser = await makeUser(db, { email: ORGANISER_EMAIL, name: 'Odile Organisatrice' });
  await makeMember(db, organiser.id, organisation.id);
  const coordinator = await makeUser(db, { email: COORDINATOR_EMAIL, name: 'Claude Coordination' });
  await makeCoordinator(db, coordinator.id, territory.id);
  await makeUser(db, { email: ADMIN_EMAIL, name: 'Ada Administratrice', isAdmin: true });

  const refs = { editionId: edition.id, territoryId: territory.id, organisationId: organisation.id, venueId: venue.id };
  const open = await makeEvent(db, refs, {
    title: OPEN_TITLE,
    summary: 'Chanter ensemble, sans niveau requis, dans le jardin partagé.',
    category: 'atelier_culturel',
    capacity: 20,
    accessibilityOffered: ['lsf', 'wheelchair', 'companion'],
    startsAt: new Date('2026-10-07T12:00:00Z'),
    endsAt: new Date('2026-10-07T14:00:00Z'),
  });
  const full = await makeEvent(db, refs, {
    title: FULL_TITLE,
    summary: 'Projection suivie d’un échange avec le public.',
    category: 'cine_debat',
    capacity: 2,
    startsAt: new Date('2026-10-08T17:00:00Z'),
    endsAt: new Date('2026-10-08T19:30:00Z'),
  });
  await makeRegistration(db, full.id, { seats: 2 });
  const cancelled = await makeEvent(db, refs, {
    title: CANCELLED_TITLE,
    summary: 'Une balade le long de l’Isère.',
    category: 'balade',
    state: 'cancelled',
    sequence: 1,
    cancellationReason: 'La crue de l’Isère rend les berges impraticables.',
    startsAt: new Date('2026-10-09T08:00:00Z'),
    endsAt: new Date('2026-10-09T10:00:00Z'),
  });
  const submitted = await makeEvent(db, refs, {
    title: SUBMITTED_TITLE,
    summary: 'Venez découvrir le groupe d’entraide mutuelle.',
    category: 'portes_ouvertes',
    state: 'submitted',
    publishedAt: null,
    startsAt: new Date('2026-10-10T12:00:00Z'),
    endsAt: new Date('2026-10-10T15:00:00Z'),
  });
  // Enough published events to need more than one page of programme.
  for (let i = 1; i <= FILLER_COUNT; i++) {
    const day = 5 + (i % 14);
    await makeEvent(db, refs, {
      title: `Rencontre de quartier n° ${i}`,
      summary: 'Un moment convivial pour se rencontrer.',
      category: i % 2 ? 'groupe_de_parole' : 'sport',
      capacity: i % 3 ? 25 : null,
      accessibilityOffered: i % 4 ? ['wheelchair'] : ['lsf', 'captioning'],
      startsAt: new Date(`2026-10-${String(day).padStart(2, '0')}T14:00:00Z`),
      endsAt: new Date(`2026-10-${String(day).padStart(2, '0')}T16:00:00Z`),
    });
  }

  // A registration with needs (for the organiser's list and the manage page).
  const { registration: reg, token: manageToken } = await makeRegistration(
    db,
    open.id,
    { name: 'Samia Besoins', email: 'samia.besoins@example.org', seats: 2 },
    [{ category: 'lsf' }, { category: 'wheelchair', detail: 'Fauteuil électrique, 70 cm de large' }],
  );

  return {
    territoryId: territory.id,
    territorySlug: territory.slug,
    editionId: edition.id,
    organisationId: organisation.id,
    organiserId: organiser.id,
    coordinatorId: coordinator.id,
    openEventId: open.id,
    fullEventId: full.id,
    cancelledEventId: cancelled.id,
    submittedEventId: submitted.id,
    registrationId: reg.id,
    manageToken,
  };
}
