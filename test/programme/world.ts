// A small public programme for the programme and event page tests: two territories (Paris time
// and La Réunion), one 2026 edition, events of several kinds, states and fill levels.
import type { Database } from '../../server/db/client.ts';
import { makeEdition, makeEvent, makeOrganisation, makeRegistration, makeTerritory, makeVenue } from '../helpers/factory.ts';

export const FILLERS = 33;

export async function makeProgramme(db: Database) {
  const isere = await makeTerritory(db, { name: 'CLSM Grenoble-Alpes', timeZone: 'Europe/Paris', communes: ['Grenoble', 'Échirolles'] });
  const reunion = await makeTerritory(db, { name: 'CLSM Saint-Denis de La Réunion', timeZone: 'Indian/Reunion', communes: ['Saint-Denis'] });
  const ed = await makeEdition(db);
  const older = await makeEdition(db, { year: 2025, firstDay: '2025-10-06', lastDay: '2025-10-19' });

  const gem = await makeOrganisation(db, isere.id, { name: "GEM L'Entre-Deux", kind: 'gem', contactEmail: 'bonjour@gem.example', contactPhone: '04 76 44 12 87', website: 'https://gem.example' });
  const ville = await makeOrganisation(db, reunion.id, { name: 'Ville de Saint-Denis', kind: 'service_municipal' });

  const jardinVenue = await makeVenue(db, isere.id, gem.id, {
    name: 'Jardin des Lilas',
    address: '12 rue des Lilas',
    postcode: '38000',
    commune: 'Grenoble',
    latitude: 45.18,
    longitude: 5.72,
    stepFreeEntrance: true,
    accessibleToilets: true,
    quietRoom: true,
    accessDirections: 'Entrée par le portail vert, allée stabilisée.',
  });
  const cinema = await makeVenue(db, isere.id, null, { name: 'Cinéma Le Club', address: '9 rue du Phalanstère', postcode: '38130', commune: 'Échirolles' });
  const case_ = await makeVenue(db, reunion.id, ville.id, { name: 'Case Sainte-Anne', address: '3 rue Sainte-Anne', postcode: '97400', commune: 'Saint-Denis' });

  const isereRefs = { editionId: ed.id, territoryId: isere.id, organisationId: gem.id };
  const reunionRefs = { editionId: ed.id, territoryId: reunion.id, organisationId: ville.id, venueId: case_.id };

  // Tuesday 6 October 2026, 14:00–16:00 Paris.
  const jardin = await makeEvent(db, { ...isereRefs, venueId: jardinVenue.id }, {
    title: 'Jardin partagé des Lilas',
    summary: 'Planter, arroser et goûter ensemble au jardin.',
    description: 'Un après-midi au jardin pour semer les graines de l’hiver.\n\nOutils prêtés sur place.',
    easyReadSummary: 'On jardine ensemble. C’est gratuit. Vous pouvez venir avec une personne.',
    category: 'jardin_partage',
    audience: 'familles',
    accessibilityOffered: ['wheelchair', 'quiet_space'],
    capacity: 20,
  });
  await makeRegistration(db, jardin.id, { seats: 2 });
  await makeRegistration(db, jardin.id, { seats: 1, state: 'cancelled' });

  // Wednesday 7 October 2026, 20:00 Paris: full.
  const cine = await makeEvent(db, { ...isereRefs, venueId: cinema.id }, {
    title: 'Ciné-débat : « Le Cyclone intérieur »',
    summary: 'Un film puis une discussion avec une psychiatre et un pair-aidant.',
    category: 'cine_debat',
    audience: 'adultes',
    accessibilityOffered: ['lsf', 'captioning'],
    contentNote: 'Le film évoque le suicide.',
    startsAt: new Date('2026-10-07T18:00:00Z'),
    endsAt: new Date('2026-10-07T20:30:00Z'),
    capacity: 2,
  });
  await makeRegistration(db, cine.id, { seats: 2 });

  // Tuesday 6 October, 09:00 Paris: free entry.
  const balade = await makeEvent(db, { ...isereRefs, venueId: jardinVenue.id }, {
    title: 'Balade contée au parc',
    summary: 'Une marche lente, des histoires.',
    category: 'balade',
    audience: 'tout_public',
    accessibilityOffered: [],
    capacity: null,
    startsAt: new Date('2026-10-06T07:00:00Z'),
    endsAt: new Date('2026-10-06T08:30:00Z'),
  });

  // Tuesday 6 October, 10:00 at La Réunion (06:00 UTC).
  const conference = await makeEvent(db, reunionRefs, {
    title: 'Conférence : réparer le lien social',
    summary: 'Une sociologue et des habitants racontent.',
    category: 'conference',
    audience: 'tout_public',
    accessibilityOffered: ['lsf'],
    capacity: 50,
    startsAt: new Date('2026-10-06T06:00:00Z'),
    endsAt: new Date('2026-10-06T08:00:00Z'),
  });

  // 00:30 on Wednesday 7 October at La Réunion — still Tuesday 6 October in UTC and in Paris.
  const veillee = await makeEvent(db, reunionRefs, {
    title: 'Veillée sous les étoiles',
    summary: 'Contes et tisane tard dans la nuit.',
    category: 'autre',
    accessibilityOffered: ['companion'],
    capacity: 30,
    startsAt: new Date('2026-10-06T20:30:00Z'),
    endsAt: new Date('2026-10-06T22:30:00Z'),
  });

  const cancelled = await makeEvent(db, { ...isereRefs, venueId: jardinVenue.id }, {
    title: 'Tournoi de football solidaire',
    summary: 'Des équipes mixtes.',
    category: 'sport',
    accessibilityOffered: ['wheelchair'],
    state: 'cancelled',
    sequence: 1,
    cancellationReason: 'Le terrain est inondé.',
    startsAt: new Date('2026-10-08T12:00:00Z'),
    endsAt: new Date('2026-10-08T15:00:00Z'),
  });

  const draft = await makeEvent(db, { ...isereRefs, venueId: jardinVenue.id }, { title: 'Brouillon secret', state: 'draft', publishedAt: null });
  const submitted = await makeEvent(db, { ...isereRefs, venueId: jardinVenue.id }, { title: 'Proposition en relecture', state: 'submitted', publishedAt: null });
  const lastYear = await makeEvent(db, { ...isereRefs, editionId: older.id, venueId: jardinVenue.id }, {
    title: 'Pique-nique de l’an dernier',
    startsAt: new Date('2025-10-07T10:00:00Z'),
    endsAt: new Date('2025-10-07T12:00:00Z'),
  });

  // Enough for a second page: all on Monday 12 October, Paris.
  for (let i = 1; i <= FILLERS; i++) {
    await makeEvent(db, { ...isereRefs, venueId: jardinVenue.id }, {
      title: `Groupe de parole n° ${String(i).padStart(2, '0')}`,
      summary: 'Un temps d’échange entre pairs.',
      category: 'groupe_de_parole',
      audience: 'adultes',
      accessibilityOffered: ['wheelchair'],
      startsAt: new Date(Date.UTC(2026, 9, 12, 7, i)),
      endsAt: new Date(Date.UTC(2026, 9, 12, 9, i)),
    });
  }

  return { isere, reunion, edition: ed, older, gem, ville, jardinVenue, cinema, jardin, cine, balade, conference, veillee, cancelled, draft, submitted, lastYear };
}

/** Public events of the 2026 edition in the world above. */
export const PUBLIC_2026 = 6 + FILLERS;
