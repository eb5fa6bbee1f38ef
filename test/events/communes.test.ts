// @databases: pglite
// A venue's commune is chosen from its territory's list, not typed: a select (working without
// JavaScript), any case or accents normalised to the list's spelling, a commune of elsewhere refused
// in French; a territory without a list still takes free text, and says so.
import t from 'tap';
import { asc, eq } from 'drizzle-orm';
import { territory, venue } from '../../server/db/schema.ts';
import { visibleText } from '../helpers/app.ts';
import { makeVenue } from '../helpers/factory.ts';
import { eventsWorld, summaryLinks, validForm } from './helpers.ts';

const venueForm = { venueName: 'Maison des associations', venueAddress: '12 rue Lallouette', venuePostcode: '97300', venueFacts: ['stepFreeEntrance'] };

async function cayenneWorld(t: Parameters<typeof eventsWorld>[0]) {
  const world = await eventsWorld(t);
  await world.db.update(territory).set({ name: 'CLSM de Cayenne', communes: ['Cayenne', 'Kourou', 'Rémire-Montjoly'] }).where(eq(territory.id, world.territory.id));
  return world;
}

const venuesNamed = async (db: Parameters<typeof makeVenue>[0], name: string) => db.select().from(venue).where(eq(venue.name, name)).orderBy(asc(venue.id));

t.test('the commune is a select of the territory’s communes, labelled, with a hint', async (t) => {
  const { member, organisation } = await cayenneWorld(t);
  const form = await member.get(`/espace/organisations/${organisation.id}/lieux/nouveau`);
  t.match(form.body, '<label for="venueCommune">Commune <span class="required">(obligatoire)</span></label>');
  const select = /<select id="venueCommune" name="venueCommune"[^>]*>([\s\S]*?)<\/select>/.exec(form.body);
  t.ok(select, 'a select, not a text input');
  t.match(select![0], 'aria-describedby="venueCommune-hint"');
  t.same([...select![1]!.matchAll(/<option value="([^"]*)"[^>]*>([^<]*)</g)].map((m) => [m[1], m[2]]), [
    ['', 'Choisissez une commune'],
    ['Cayenne', 'Cayenne'],
    ['Kourou', 'Kourou'],
    ['Rémire-Montjoly', 'Rémire-Montjoly'],
  ]);
  t.match(visibleText(form.body), 'Les communes du territoire. La vôtre n’y est pas ? Écrivez à la coordination du territoire.');
});

t.test('« cayenne » is Cayenne; « 75001 Paris » is refused in a Cayenne territory', async (t) => {
  const { member, organisation, db } = await cayenneWorld(t);
  const url = `/espace/organisations/${organisation.id}/lieux/nouveau`;
  const refused = await member.post(url, { ...venueForm, venueCommune: '75001 Paris' });
  t.equal(refused.statusCode, 422);
  t.same(summaryLinks(refused.body), [['#venueCommune', '« 75001 Paris » ne fait pas partie des communes du territoire. Choisissez la commune du lieu dans la liste ; si elle n’y est pas, écrivez à la coordination du territoire.']]);
  t.match(refused.body, 'value="Maison des associations"', 'the rest is kept');
  t.same(await venuesNamed(db, venueForm.venueName), [], 'nothing stored');

  t.equal((await member.post(url, { ...venueForm, venueCommune: '  cayenne ' })).statusCode, 303);
  t.same((await venuesNamed(db, venueForm.venueName)).map((v) => v.commune), ['Cayenne'], 'stored in the list’s spelling');

  const [saved] = await venuesNamed(db, venueForm.venueName);
  const edit = `/espace/organisations/${organisation.id}/lieux/${saved!.id}/modifier`;
  t.match((await member.get(edit)).body, '<option value="Cayenne" selected>Cayenne</option>', 'the edit form has it selected');
  t.equal((await member.post(edit, { ...venueForm, venueCommune: 'REMIRE MONTJOLY' })).statusCode, 303);
  t.same((await venuesNamed(db, venueForm.venueName)).map((v) => v.commune), ['Rémire-Montjoly'], 'no accent, capitals, a space for the hyphen: still one commune');
});

t.test('a venue described in the event form chooses its commune the same way', async (t) => {
  const { member, organisation, db } = await cayenneWorld(t);
  const url = `/espace/organisations/${organisation.id}/evenements/nouveau`;
  const inline = { venueName: 'Carbet de Kourou', venueAddress: '1 avenue des Roches', venuePostcode: '97310' };
  const refused = await member.post(url, validForm('new', { ...inline, venueCommune: 'Lyon' }));
  t.equal(refused.statusCode, 422);
  t.same(summaryLinks(refused.body).map(([href]) => href), ['#venueCommune']);
  t.equal((await member.post(url, validForm('new', { ...inline, venueCommune: 'kourou' }))).statusCode, 303);
  t.same((await venuesNamed(db, 'Carbet de Kourou')).map((v) => v.commune), ['Kourou']);
});

t.test('a commune typed before the list was kept is named on the edit form, to be chosen again', async (t) => {
  const { member, organisation, territory: ter, db } = await cayenneWorld(t);
  const old = await makeVenue(db, ter.id, organisation.id, { name: 'Ancienne salle', commune: '97300 Cayenne' });
  const page = await member.get(`/espace/organisations/${organisation.id}/lieux/${old.id}/modifier`);
  t.match(visibleText(page.body), 'La commune enregistrée, « 97300 Cayenne », n’est pas dans la liste des communes du territoire : choisissez-la dans la liste.');
  t.notMatch(page.body, /<option value="[^"]+" selected>/, 'no commune chosen for the person');
});

t.test('a territory without a commune list takes the commune as typed, and says so', async (t) => {
  const { member, organisation, territory: ter, db } = await eventsWorld(t);
  await db.update(territory).set({ communes: [] }).where(eq(territory.id, ter.id));
  const form = await member.get(`/espace/organisations/${organisation.id}/lieux/nouveau`);
  t.match(form.body, /<input id="venueCommune" name="venueCommune" type="text"/);
  t.match(visibleText(form.body), 'Le territoire n’a pas encore de liste de communes : écrivez le nom de la commune.');
  t.equal((await member.post(`/espace/organisations/${organisation.id}/lieux/nouveau`, { ...venueForm, venueCommune: 'Saint-Laurent-du-Maroni' })).statusCode, 303);
  t.same((await venuesNamed(db, venueForm.venueName)).map((v) => v.commune), ['Saint-Laurent-du-Maroni']);
});
