// A territory counted by hand for the cockpit's tests (now: 15 September 2026, 08:00 UTC, Paris).
//   « Ciné-débat » (capacity 4, needs deadline 22 Sept: 7 days left): Awa 2 seats confirmed, LSF
//     requested + wheelchair planned; Bruno 2 seats confirmed; Chloé 3 seats waiting, CAA « pas
//     possible »; Denis cancelled, LSF requested (not counted: he is not coming).
//   « Jardin partagé » (free entry, no accessibility offered, deadline 10 Sept: 5 days past): Émile,
//     phone only, confirmed, LSF and CAA requested, one call not made.
//   « Atelier passé » (ended on 1 Sept): a need never answered, no longer anyone's concern.
//   A proposal sent on 12 Sept (3 days waiting), a proposal sent back for changes.
//   Another territory: an event with a need, that the first territory's people never see.
//   Every need was declared on 14 Sept; the organisation's member is Inès Jardin.
import { eq } from 'drizzle-orm';
import type { Database } from '../../server/db/client.ts';
import { accessNeed, callRequest, eventHistory } from '../../server/db/schema.ts';
import { makeCoordinator, makeEdition, makeEvent, makeMember, makeOrganisation, makeRegistration, makeTerritory, makeUser, makeVenue } from '../helpers/factory.ts';

export const NOW = new Date('2026-09-15T08:00:00Z');

export async function cockpitFixture(db: Database) {
  const territory = await makeTerritory(db, { name: 'Grenoble-Alpes' });
  const edition = await makeEdition(db);
  const organisation = await makeOrganisation(db, territory.id, { name: 'Les Jardins du Lien' });
  const venue = await makeVenue(db, territory.id, organisation.id);
  const refs = { editionId: edition.id, territoryId: territory.id, organisationId: organisation.id, venueId: venue.id };

  const cine = await makeEvent(db, refs, { title: 'Ciné-débat', capacity: 4, accessRequestDeadline: new Date('2026-09-22T10:00:00Z') });
  const awa = await makeRegistration(db, cine.id, { name: 'Awa', seats: 2 }, [{ category: 'lsf' }, { category: 'wheelchair' }]);
  await db.update(accessNeed).set({ status: 'planned' }).where(eq(accessNeed.category, 'wheelchair'));
  await makeRegistration(db, cine.id, { name: 'Bruno', seats: 2 });
  await makeRegistration(db, cine.id, { name: 'Chloé', seats: 3, state: 'waitlisted', waitlistPosition: 1 }, [{ category: 'caa' }]);
  await db.update(accessNeed).set({ status: 'not_possible' }).where(eq(accessNeed.category, 'caa'));
  await makeRegistration(db, cine.id, { name: 'Denis', seats: 1, state: 'cancelled' }, [{ category: 'lsf' }]);

  const jardin = await makeEvent(db, refs, { title: 'Jardin partagé', capacity: null, accessibilityOffered: [], accessRequestDeadline: new Date('2026-09-10T10:00:00Z') });
  const emile = await makeRegistration(db, jardin.id, { name: 'Émile', email: null, phone: '+33612345678' }, [{ category: 'lsf' }, { category: 'caa' }]);
  await db.insert(callRequest).values({ registrationId: emile.registration.id, kind: 'registration_confirmed' });

  const past = await makeEvent(db, refs, { title: 'Atelier passé', startsAt: new Date('2026-09-01T12:00:00Z'), endsAt: new Date('2026-09-01T14:00:00Z') });
  await makeRegistration(db, past.id, {}, [{ category: 'lsf' }]);

  const proposal = await makeEvent(db, refs, { title: 'Marche douce', state: 'submitted', publishedAt: null });
  await db.insert(eventHistory).values({ eventId: proposal.id, fromState: 'draft', toState: 'submitted', createdAt: new Date('2026-09-12T09:00:00Z') });
  const sentBack = await makeEvent(db, refs, { title: 'Concert', state: 'changes_requested', publishedAt: null });

  const coordinator = await makeUser(db, { email: 'coordination@clsm.example' });
  await makeCoordinator(db, coordinator.id, territory.id);
  const member = await makeUser(db, { email: 'jardins@example.org', name: 'Inès Jardin' });
  await makeMember(db, member.id, organisation.id);

  const elsewhere = await makeTerritory(db, { name: 'Cayenne' });
  const elsewhereOrg = await makeOrganisation(db, elsewhere.id, { name: 'Association de Cayenne' });
  const other = await makeEvent(db, { editionId: edition.id, territoryId: elsewhere.id, organisationId: elsewhereOrg.id }, { title: 'Débat à Cayenne' });
  await makeRegistration(db, other.id, {}, [{ category: 'lsf' }]);
  const otherCoordinator = await makeUser(db, { email: 'coordination@cayenne.example' });
  await makeCoordinator(db, otherCoordinator.id, elsewhere.id);

  // Needs declared the day before « now » (the database's clock would put them in December).
  await db.update(accessNeed).set({ createdAt: new Date('2026-09-14T10:00:00Z') });

  return { territory, organisation, cine, jardin, past, proposal, sentBack, other, awa, coordinator, member, otherCoordinator };
}
