// A small edition counted by hand, for the figures, the bilan and their pages. Two territories:
// Cayenne (America/Cayenne, UTC−3: an evening event is on the next day in UTC) and Grenoble.
// Every figure the tests expect is derived in the comments next to the rows that make it.
import type { Database } from '../../server/db/client.ts';
import { accessNeed } from '../../server/db/schema.ts';
import type { AccessFeature } from '../../server/domain/vocabulary.ts';
import { makeCoordinator, makeEdition, makeEvent, makeMember, makeOrganisation, makeRegistration, makeTerritory, makeUser, makeVenue } from '../helpers/factory.ts';
import { buildTestApp } from '../helpers/app.ts';

const at = (iso: string) => new Date(iso);

async function need(db: Database, registrationId: number, category: AccessFeature, declared: string, answer?: { status: 'planned' | 'not_possible'; at: string }) {
  await db.insert(accessNeed).values({ registrationId, category, createdAt: at(declared), status: answer?.status ?? 'requested', answeredAt: answer ? at(answer.at) : null });
}

export async function reportFixtures(db: Database) {
  const earlier = await makeEdition(db, { year: 2025, firstDay: '2025-10-06', lastDay: '2025-10-19' });
  const edition = await makeEdition(db); // 2026-10-05 … 2026-10-18
  const cayenne = await makeTerritory(db, { name: 'CLSM de Cayenne', slug: 'cayenne', timeZone: 'America/Cayenne', communes: ['Cayenne', 'Kourou', 'Matoury', 'Rémire-Montjoly'] });
  const grenoble = await makeTerritory(db, { name: 'CLSM de Grenoble', slug: 'grenoble', communes: ['Grenoble', 'Échirolles'] });

  // Partners of Cayenne: « Association Lien » (already there in 2025: not new), « GEM Soleil » (new),
  // « Médiathèque » (only a proposal and a draft: not a partner of the edition).
  const lien = await makeOrganisation(db, cayenne.id, { name: 'Association Lien', kind: 'association' });
  const soleil = await makeOrganisation(db, cayenne.id, { name: 'GEM Soleil', kind: 'gem' });
  const media = await makeOrganisation(db, cayenne.id, { name: 'Médiathèque', kind: 'bibliotheque' });
  const mairie = await makeOrganisation(db, grenoble.id, { name: 'Ville de Grenoble', kind: 'service_municipal' });

  const vCayenne = await makeVenue(db, cayenne.id, lien.id, { commune: 'Cayenne', postcode: '97300' });
  const vLower = await makeVenue(db, cayenne.id, lien.id, { commune: 'cayenne', postcode: '97300' }); // typed before the list: folds into Cayenne
  const vKourou = await makeVenue(db, cayenne.id, soleil.id, { commune: 'Kourou', postcode: '97310' });
  const vOld = await makeVenue(db, cayenne.id, soleil.id, { commune: '97300 Cayenne', postcode: '97300' }); // not in the list
  const vGrenoble = await makeVenue(db, grenoble.id, mairie.id, { commune: 'Grenoble' });

  const c = { editionId: edition.id, territoryId: cayenne.id };
  await makeEvent(db, { editionId: earlier.id, territoryId: cayenne.id, organisationId: lien.id, venueId: vCayenne.id }, { startsAt: at('2025-10-07T15:00:00Z'), endsAt: at('2025-10-07T17:00:00Z') });
  // Published, Cayenne:            day (local)  category    audience     commune        capacity  access
  const e1 = await makeEvent(db, { ...c, organisationId: lien.id, venueId: vCayenne.id }, // 2026-10-05  ciné-débat  tout public  Cayenne        10        yes
    { category: 'cine_debat', audience: 'tout_public', startsAt: at('2026-10-06T01:30:00Z'), endsAt: at('2026-10-06T03:00:00Z'), capacity: 10 });
  const e2 = await makeEvent(db, { ...c, organisationId: lien.id, venueId: vLower.id }, //    2026-10-06  sport       jeunes       Cayenne        5         yes
    { category: 'sport', audience: 'jeunes', startsAt: at('2026-10-06T15:00:00Z'), endsAt: at('2026-10-06T17:00:00Z'), capacity: 5 });
  await makeEvent(db, { ...c, organisationId: soleil.id, venueId: vKourou.id }, //            2026-10-06  ciné-débat  tout public  Kourou         free      none
    { category: 'cine_debat', audience: 'tout_public', startsAt: at('2026-10-06T18:00:00Z'), endsAt: at('2026-10-06T20:00:00Z'), capacity: null, accessibilityOffered: [] });
  const e4 = await makeEvent(db, { ...c, organisationId: soleil.id, venueId: null }, //        2026-10-10  conférence  adultes      (online)       100       yes
    { category: 'conference', audience: 'adultes', startsAt: at('2026-10-10T20:00:00Z'), endsAt: at('2026-10-10T22:00:00Z'), capacity: 100, onlineUrl: 'https://visio.example/salle' });
  await makeEvent(db, { ...c, organisationId: soleil.id, venueId: vOld.id }, //               2026-10-20  balade      familles     97300 Cayenne  8         yes  (outside the edition)
    { category: 'balade', audience: 'familles', startsAt: at('2026-10-20T14:00:00Z'), endsAt: at('2026-10-20T16:00:00Z'), capacity: 8, outsideEditionApproved: true });
  // Not published: counted apart (cancelled) or not at all.
  const cancelled = await makeEvent(db, { ...c, organisationId: lien.id, venueId: vCayenne.id }, { state: 'cancelled', cancellationReason: 'Salle indisponible' });
  await makeEvent(db, { ...c, organisationId: media.id, venueId: vCayenne.id }, { state: 'submitted', publishedAt: null });
  await makeEvent(db, { ...c, organisationId: media.id, venueId: vKourou.id }, { state: 'draft', publishedAt: null });
  // Grenoble: one published event.
  const g1 = await makeEvent(db, { editionId: edition.id, territoryId: grenoble.id, organisationId: mairie.id, venueId: vGrenoble.id }, { category: 'conference', audience: 'tout_public', capacity: 30 });

  // Registrations, Cayenne: confirmed R1 (2 seats, arrived), R2 (1), R3 (3, on behalf, arrived) on e1, R5 (5) on e2,
  // R8 (1) on e4 → 5 confirmed, 12 seats, 7 companions; arrivals noted on e1 only: 2 of its 3 → 67 %.
  // Waiting: R6 (2 seats), R7 (1) on e2. Cancelled: R4 on e1, R9 on e4. R10 on the cancelled event: not counted.
  const r1 = (await makeRegistration(db, e1.id, { seats: 2, checkedInAt: at('2026-10-06T01:20:00Z') })).registration;
  const r2 = (await makeRegistration(db, e1.id)).registration;
  const r3 = (await makeRegistration(db, e1.id, { seats: 3, onBehalf: true, contactName: 'Aidant', checkedInAt: at('2026-10-06T01:25:00Z') })).registration;
  await makeRegistration(db, e1.id, { state: 'cancelled', cancelledAt: at('2026-09-20T10:00:00Z') });
  const r5 = (await makeRegistration(db, e2.id, { seats: 5 })).registration;
  const r6 = (await makeRegistration(db, e2.id, { seats: 2, state: 'waitlisted', waitlistPosition: 1 })).registration;
  await makeRegistration(db, e2.id, { state: 'waitlisted', waitlistPosition: 2 });
  await makeRegistration(db, e4.id);
  await makeRegistration(db, e4.id, { state: 'cancelled', cancelledAt: at('2026-09-20T10:00:00Z') });
  const r10 = (await makeRegistration(db, cancelled.id)).registration;
  const g = (await makeRegistration(db, g1.id, { seats: 2 })).registration;

  // Needs, Cayenne (deadlines: 22 September 12:00 UTC):
  //   lsf: R1 planned in time, R2 not possible (answered late), R5 planned in time → 3 declared, 2 planned, 1 not possible, 2 answered in time
  //   wheelchair: R1 unanswered · caa: R3 declared late, planned · quiet_space: R6 declared late, unanswered
  //   → 6 declared, 3 planned (50 %), 1 not possible, 2 unanswered, 2 declared late, 2 answered in time.
  await need(db, r1.id, 'lsf', '2026-09-10T10:00:00Z', { status: 'planned', at: '2026-09-20T10:00:00Z' });
  await need(db, r1.id, 'wheelchair', '2026-09-10T10:00:00Z');
  await need(db, r2.id, 'lsf', '2026-09-15T10:00:00Z', { status: 'not_possible', at: '2026-09-25T10:00:00Z' });
  await need(db, r3.id, 'caa', '2026-09-25T10:00:00Z', { status: 'planned', at: '2026-09-26T10:00:00Z' });
  await need(db, r5.id, 'lsf', '2026-09-01T10:00:00Z', { status: 'planned', at: '2026-09-02T10:00:00Z' });
  await need(db, r6.id, 'quiet_space', '2026-09-30T10:00:00Z');
  await need(db, r10.id, 'lsf', '2026-09-10T10:00:00Z'); // cancelled event: not counted
  await need(db, g.id, 'lsf', '2026-09-10T10:00:00Z', { status: 'planned', at: '2026-09-11T10:00:00Z' }); // Grenoble

  // People: a coordinator of each territory, an organiser of Cayenne, an administrator.
  const coordinatorCayenne = await makeUser(db, { email: 'coordination@cayenne.example' });
  await makeCoordinator(db, coordinatorCayenne.id, cayenne.id);
  const coordinatorGrenoble = await makeUser(db, { email: 'coordination@grenoble.example' });
  await makeCoordinator(db, coordinatorGrenoble.id, grenoble.id);
  const organiser = await makeUser(db, { email: 'organisation@lien.example' });
  await makeMember(db, organiser.id, lien.id);
  const admin = await makeUser(db, { email: 'admin@rassembler.example', isAdmin: true });

  return { edition, earlier, cayenne, grenoble, lien, soleil, mairie, users: { coordinatorCayenne, coordinatorGrenoble, organiser, admin } };
}

/** The real app on the fixtures, and a signed-in agent per e-mail (for the page and PDF tests). */
export async function reportsApp(t: Parameters<typeof buildTestApp>[0]) {
  const built = await buildTestApp(t);
  const f = await reportFixtures(built.db);
  const as = async (email: string) => {
    const agent = built.agent();
    await agent.signInAs(email);
    return agent;
  };
  return { ...built, f, as };
}
