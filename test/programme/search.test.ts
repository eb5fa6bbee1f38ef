// @databases: pglite, postgres
// The programme search in the database (issue 15, item 9): an event is found by its own text, its
// venue's name and commune and its organiser's name, accents ignored either way, through the one
// indexed column the triggers keep — also after the venue or the organisation is renamed.
// Fails on the main before issue 15: only the title, summary and description were searched.
import t from 'tap';
import { eq, sql } from 'drizzle-orm';
import { organisation, venue } from '../../server/db/schema.ts';
import { NO_FILTERS } from '../../server/programme/filters.ts';
import { searchProgramme } from '../../server/programme/search.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { makeEdition, makeEvent, makeOrganisation, makeTerritory, makeVenue } from '../helpers/factory.ts';

const { db } = await createTestDatabase(t.teardown.bind(t));
const territory = await makeTerritory(db);
const edition = await makeEdition(db);
const gem = await makeOrganisation(db, territory.id, { name: 'GEM Les Écureuils' });
const mairie = await makeOrganisation(db, territory.id, { name: 'Ville de Seyssinet' });
const ecran = await makeVenue(db, territory.id, null, { name: "Cinéma L'Écran des Alpes", commune: 'Fontaine', address: '2 rue du Jardin' });
const salle = await makeVenue(db, territory.id, null, { name: 'Salle Poulat', commune: 'Seyssinet-Pariset' });
const refs = { editionId: edition.id, territoryId: territory.id };
const film = await makeEvent(db, { ...refs, organisationId: gem.id, venueId: ecran.id }, { title: 'Projection et échange', summary: 'Un film, puis on en parle.', description: '' });
const debat = await makeEvent(db, { ...refs, organisationId: mairie.id, venueId: salle.id }, { title: 'Débat citoyen', summary: 'Parler de santé mentale au travail.', description: '' });
const online = await makeEvent(db, { ...refs, organisationId: mairie.id, venueId: null }, { title: 'Webinaire', summary: 'En ligne.', description: '' });

const found = async (q: string) => (await searchProgramme(db, edition.id, { ...NO_FILTERS, q })).rows.map((r) => r.id).sort();

t.test('the venue, the commune and the organiser are searched, accents ignored either way', async (t) => {
  t.same(await found('cinema'), [film.id], 'venue name without its accent');
  t.same(await found('CINÉMA'), [film.id], 'venue name with it');
  t.same(await found('ecran alpes'), [film.id], 'words of the venue name');
  t.same(await found('Fontaine'), [film.id], 'the commune');
  t.same(await found('fontaine cinema'), [film.id], 'commune and venue together');
  t.same(await found('projection fontaine'), [film.id], "the event's title and its commune together");
  t.same(await found('ecureuils'), [film.id], 'the organiser, without the accent');
  t.same(await found('Écureuils'), [film.id], 'the organiser, with it');
  t.same(await found('seyssinet'), [debat.id, online.id].sort(), 'the organiser of the event without a venue too');
  t.same(await found('jardin'), [], "the street address is not searched (« rue du Jardin »)");
  t.same(await found('cinema seyssinet'), [], 'every word must match the same event');
});

t.test('renaming a venue or an organisation changes what finds its events', async (t) => {
  await db.update(venue).set({ name: 'Espace Aragon', commune: 'Villard-Bonnot' }).where(eq(venue.id, ecran.id));
  t.same(await found('cinema'), [], 'the old venue name no longer finds it');
  t.same(await found('aragon villard'), [film.id], 'the new one does');
  await db.update(organisation).set({ name: 'Unafam Isère' }).where(eq(organisation.id, gem.id));
  t.same(await found('ecureuils'), [], 'the old organiser name no longer finds it');
  t.same(await found('unafam isere'), [film.id], 'the new one does');
  t.same(await found('projection'), [film.id], "the event's own text still does");
});

t.test('the search uses the GIN index', async (t) => {
  const plan = await db.transaction(async (tx) => {
    // Sequential scans off: a table this small would otherwise never use an index.
    await tx.execute(sql`set local enable_seqscan = off`);
    return tx.execute(sql`explain select id from event where search_vector @@ websearch_to_tsquery('french_unaccent', 'fontaine')`);
  });
  t.match(JSON.stringify(plan), /event_search_idx/);
});
