// @databases: pglite, postgres
// Issue 18: the programme's counts come from the edition's count cube (count-cube.ts) for every
// filter but the text search and the distance. Checked against the database's own count
// (countProgramme, programmeConditions) over every combination of filters on a fixture made to
// catch the edges: two territories in two time zones, an exhibition over several days, an event
// ending at midnight, an online event, a cancelled one, a full one, free entry.
import t from 'tap';
import { countFromCube, loadCountCube } from '../../server/programme/count-cube.ts';
import { NO_FILTERS, type ProgrammeFilters } from '../../server/programme/filters.ts';
import { countProgramme } from '../../server/programme/search.ts';
import type { AccessFeature, Audience, EventCategory } from '../../server/domain/vocabulary.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { makeEdition, makeEvent, makeOrganisation, makeRegistration, makeTerritory, makeVenue } from '../helpers/factory.ts';

const { db } = await createTestDatabase(t.teardown.bind(t));
const isere = await makeTerritory(db, { slug: 'isere', name: 'Isère' });
const guyane = await makeTerritory(db, { slug: 'guyane', name: 'Guyane', timeZone: 'America/Cayenne', communes: ['Cayenne'] });
const edition = await makeEdition(db);
const gem = await makeOrganisation(db, isere.id);
const cayenneOrg = await makeOrganisation(db, guyane.id);
const grenoble = await makeVenue(db, isere.id, gem.id, { commune: 'Grenoble' });
const echirolles = await makeVenue(db, isere.id, gem.id, { commune: 'Échirolles' });
const cayenne = await makeVenue(db, guyane.id, cayenneOrg.id, { commune: 'Cayenne', postcode: '97300' });
const inIsere = { editionId: edition.id, territoryId: isere.id, organisationId: gem.id };
const inGuyane = { editionId: edition.id, territoryId: guyane.id, organisationId: cayenneOrg.id };
const at = (iso: string) => new Date(iso);

await makeEvent(db, { ...inIsere, venueId: grenoble.id }, { category: 'sport', accessibilityOffered: ['wheelchair'], startsAt: at('2026-10-06T08:00:00Z'), endsAt: at('2026-10-06T10:00:00Z') });
// An exhibition over three days, in Échirolles.
await makeEvent(db, { ...inIsere, venueId: echirolles.id }, { category: 'exposition', audience: 'jeunes', accessibilityOffered: ['lsf', 'wheelchair'], startsAt: at('2026-10-06T08:00:00Z'), endsAt: at('2026-10-08T16:00:00Z') });
// Ends at midnight, Paris time: not on the 8th.
await makeEvent(db, { ...inIsere, venueId: grenoble.id }, { category: 'cine_debat', accessibilityOffered: [], startsAt: at('2026-10-07T18:00:00Z'), endsAt: at('2026-10-07T22:00:00Z') });
// Online.
await makeEvent(db, { ...inIsere, venueId: null }, { category: 'conference', onlineUrl: 'https://visio.example.org/a', accessibilityOffered: ['captioning'], startsAt: at('2026-10-08T12:00:00Z'), endsAt: at('2026-10-08T13:00:00Z') });
// Cancelled, and a draft (never counted).
await makeEvent(db, { ...inIsere, venueId: grenoble.id }, { category: 'sport', state: 'cancelled', startsAt: at('2026-10-07T08:00:00Z'), endsAt: at('2026-10-07T09:00:00Z') });
await makeEvent(db, { ...inIsere, venueId: grenoble.id }, { category: 'sport', state: 'draft', publishedAt: null });
// Full, and free entry.
const full = await makeEvent(db, { ...inIsere, venueId: echirolles.id }, { category: 'atelier_culturel', capacity: 2, accessibilityOffered: ['caa'], startsAt: at('2026-10-07T12:00:00Z'), endsAt: at('2026-10-07T14:00:00Z') });
await makeRegistration(db, full.id, { seats: 2 });
await makeEvent(db, { ...inIsere, venueId: grenoble.id }, { category: 'atelier_culturel', capacity: null, startsAt: at('2026-10-07T12:00:00Z'), endsAt: at('2026-10-07T14:00:00Z') });
// Guyane: 02:30 UTC on the 7th is still the 6th in Cayenne.
await makeEvent(db, { ...inGuyane, venueId: cayenne.id }, { category: 'sport', accessibilityOffered: ['wheelchair', 'lsf'], startsAt: at('2026-10-07T02:30:00Z'), endsAt: at('2026-10-07T03:30:00Z') });

const cube = await loadCountCube(db, edition.id);
const territories = [null, { slug: 'isere', name: 'Isère' }, { slug: 'guyane', name: 'Guyane' }];
const days = [null, '2026-10-05', '2026-10-06', '2026-10-07', '2026-10-08'];
const communes = [null, 'Grenoble', 'Échirolles', 'Cayenne'];
const categories: Array<EventCategory | null> = [null, 'sport', 'atelier_culturel'];
const audiences: Array<Audience | null> = [null, 'jeunes'];
const accesses: AccessFeature[][] = [[], ['wheelchair'], ['lsf', 'wheelchair'], ['caa']];

t.test('the cube counts what the database counts, for every combination of filters', async (t) => {
  let compared = 0;
  const differences: string[] = [];
  for (const territory of territories)
    for (const day of days)
      for (const commune of communes)
        for (const category of categories)
          for (const access of accesses)
            for (const placesLeft of [false, true]) {
              // The audience crossed with the other filters every other time: enough to catch it.
              const audience = audiences[compared % audiences.length]!;
              const filters: ProgrammeFilters = { ...NO_FILTERS, territory, day, commune, category, audience, access, placesLeft };
              const expected = await countProgramme(db, edition.id, filters);
              const counted = countFromCube(cube, filters);
              if (counted !== expected) differences.push(`${JSON.stringify({ territory: territory?.slug, day, commune, category, audience, access, placesLeft })}: ${counted} ≠ ${expected}`);
              compared++;
            }
  t.same(differences, [], `${compared} combinations`);
  t.equal(countFromCube(cube, NO_FILTERS), 8, 'the edition: 8 public events (the draft is not)');
  t.equal(countFromCube(cube, { ...NO_FILTERS, day: '2026-10-08' }), 2, 'on the 8th: the exhibition and the online event, not the film ending at midnight');
  t.equal(countFromCube(cube, { ...NO_FILTERS, day: '2026-10-06', territory: { slug: 'guyane', name: 'Guyane' } }), 1, 'in Cayenne, the 6th still');
  t.equal(countFromCube(cube, { ...NO_FILTERS, placesLeft: true, category: 'atelier_culturel' }), 1, 'the full workshop is left out, free entry kept');
});
