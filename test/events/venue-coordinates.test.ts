// @databases: pglite, postgres
// A venue's position on the map (issue 19): typed by hand (French decimal comma accepted, both or
// neither, in range, French errors with a 422), or, left empty, looked up in the national address
// base (BAN protocol) — here a local stand-in speaking it — and never blocking the save when the
// lookup fails or is slow. The database refuses a half or impossible point on its own.
import t from 'tap';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { asc, eq } from 'drizzle-orm';
import { venue } from '../../server/db/schema.ts';
import { buildTestApp, visibleText } from '../helpers/app.ts';
import { makeMember, makeWorld } from '../helpers/factory.ts';
import { summaryLinks, validForm } from './helpers.ts';

// The stand-in answers like the BAN: a housenumber for a known street, nothing for an unknown one
// (then the commune's centre, type=municipality), a 500 for « panne », and too late for « lente ».
const asked: URLSearchParams[] = [];
const feature = (longitude: number, latitude: number, type: string, score: number) => ({
  type: 'Feature',
  geometry: { type: 'Point', coordinates: [longitude, latitude] },
  properties: { type, score, label: 'stand-in' },
});
const standIn = createServer((request: IncomingMessage, response: ServerResponse) => {
  const params = new URL(request.url!, 'http://stand-in').searchParams;
  asked.push(params);
  const q = params.get('q') ?? '';
  const answer = (features: unknown[]) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ type: 'FeatureCollection', features }));
  if (q.includes('panne')) return response.writeHead(500).end('oops');
  if (q.includes('lente')) return setTimeout(() => answer([feature(5.7, 45.1, 'housenumber', 0.9)]), 10_000).unref();
  if (params.get('type') === 'municipality') return answer([feature(5.7167, 45.1667, 'municipality', 0.9)]);
  if (q.includes('introuvable')) return answer([]);
  return answer([feature(5.7245, 45.1885, 'housenumber', 0.95)]);
});
await new Promise<void>((resolve) => standIn.listen(0, '127.0.0.1', resolve));
t.teardown(() => {
  standIn.closeAllConnections();
  standIn.close();
});
const lookupUrl = `http://127.0.0.1:${(standIn.address() as AddressInfo).port}/search/`;

const { db, agent } = await buildTestApp(t, { env: { ADDRESS_LOOKUP_URL: lookupUrl, ADDRESS_LOOKUP_TIMEOUT_MS: '1500' } });
const world = await makeWorld(db);
const member = agent();
await makeMember(db, await member.signInAs('membre@asso.example'), world.organisation.id);
const newVenue = `/espace/organisations/${world.organisation.id}/lieux/nouveau`;
const base = { venueName: 'Maison des habitant·es', venueAddress: '2 rue Jean-Jaurès', venuePostcode: '38000', venueCommune: 'Grenoble' };

const saved = async (name: string) => (await db.select().from(venue).where(eq(venue.name, name)).orderBy(asc(venue.id))).at(-1);
/** The flash message shown on the venues list after the redirect. */
const flash = async () => visibleText((await member.get(`/espace/organisations/${world.organisation.id}/lieux`)).body);

t.beforeEach(() => {
  asked.length = 0;
});

t.test('the form has latitude and longitude, labelled, with a hint that says the lookup is on', async (t) => {
  const page = await member.get(newVenue);
  t.match(page.body, '<legend>Position sur la carte (facultatif)</legend>');
  t.match(page.body, /<label for="venueLatitude">Latitude<\/label>[\s\S]*<input id="venueLatitude" name="venueLatitude" type="text" value="" inputmode="decimal"/);
  t.match(page.body, /<label for="venueLongitude">Longitude<\/label>/);
  t.match(visibleText(page.body), 'Laissez vide : la position sera cherchée d’après l’adresse dans la Base adresse nationale.');
});

t.test('the venue form alone allows the tile server’s images (its map), not the venues list', async (t) => {
  const csp = async (url: string) => String((await member.get(url)).headers['content-security-policy']);
  t.match(await csp(newVenue), /(^|;)img-src 'self' data: https:\/\/tile\.openstreetmap\.org(;|$)/);
  t.match(await csp(`/espace/organisations/${world.organisation.id}/lieux`), /(^|;)img-src 'self' data:(;|$)/);
});

t.test('typed by hand, with a decimal comma: stored as typed, nothing looked up', async (t) => {
  const res = await member.post(newVenue, { ...base, venueName: 'À la main', venueLatitude: '45,1921', venueLongitude: ' 5.7301' });
  t.equal(res.statusCode, 303);
  const row = await saved('À la main');
  t.same([row?.latitude, row?.longitude], [45.1921, 5.7301]);
  t.equal(asked.length, 0, 'the lookup is not asked');
  const edit = await member.get(`/espace/organisations/${world.organisation.id}/lieux/${row!.id}/modifier`);
  t.match(edit.body, 'id="venueLatitude" name="venueLatitude" type="text" value="45.1921"', 'shown again on the edit form');
});

t.test('wrong coordinates: a 422 with French errors in the summary, nothing stored', async (t) => {
  const cases: Array<[Record<string, string>, Array<[string, string]>]> = [
    [{ venueLatitude: 'nord', venueLongitude: '5,72' }, [['#venueLatitude', 'La latitude doit être un nombre en degrés décimaux, par exemple 45,1885.']]],
    [{ venueLatitude: '45,18', venueLongitude: '190' }, [['#venueLongitude', 'La longitude doit être comprise entre -180 et 180 degrés.']]],
    [{ venueLatitude: '91', venueLongitude: '5' }, [['#venueLatitude', 'La latitude doit être comprise entre -90 et 90 degrés.']]],
    [{ venueLatitude: '45,18', venueLongitude: '' }, [['#venueLongitude', 'Indiquez aussi la longitude, ou effacez la latitude.']]],
    [{ venueLatitude: '', venueLongitude: '5,72' }, [['#venueLatitude', 'Indiquez aussi la latitude, ou effacez la longitude.']]],
  ];
  for (const [coordinates, errors] of cases) {
    const res = await member.post(newVenue, { ...base, venueName: 'Refusé', ...coordinates });
    t.equal(res.statusCode, 422, JSON.stringify(coordinates));
    t.same(summaryLinks(res.body), errors);
    t.match(res.body, /<title>Erreur : /);
  }
  t.equal(await saved('Refusé'), undefined, 'nothing stored');
  t.equal(asked.length, 0);
});

t.test('left empty: looked up in the address base (address, commune and postcode asked)', async (t) => {
  t.equal((await member.post(newVenue, { ...base, venueName: 'Trouvé' })).statusCode, 303);
  const row = await saved('Trouvé');
  t.same([row?.latitude, row?.longitude], [45.1885, 5.7245]);
  t.same(
    asked.map((p) => Object.fromEntries(p)),
    [{ q: '2 rue Jean-Jaurès Grenoble', postcode: '38000', limit: '1' }],
  );
  t.match(await flash(), 'Le lieu « Trouvé » est ajouté. Sa position sur la carte a été trouvée dans la Base adresse nationale.');
});

t.test('an address not found: placed at the commune’s centre, and the organiser is told', async (t) => {
  t.equal((await member.post(newVenue, { ...base, venueName: 'Au centre', venueAddress: '1 impasse introuvable' })).statusCode, 303);
  const row = await saved('Au centre');
  t.same([row?.latitude, row?.longitude], [45.1667, 5.7167]);
  t.same(asked.map((p) => p.get('type')), [null, 'municipality']);
  t.match(await flash(), 'le lieu est placé au centre de la commune sur la carte');
});

t.test('a failing or slow lookup never blocks the save: stored without coordinates, with a French notice', async (t) => {
  for (const [name, address] of [
    ['Panne', '3 rue de la panne'],
    ['Lente', '4 rue lente'],
  ]) {
    const res = await member.post(newVenue, { ...base, venueName: name, venueAddress: address });
    t.equal(res.statusCode, 303, name!);
    const row = await saved(name!);
    t.same([row?.latitude, row?.longitude], [null, null]);
    t.match(await flash(), "Le service de recherche d'adresses n'a pas répondu : le lieu est enregistré sans position sur la carte.", name!);
  }
});

t.test('editing: coordinates erased are looked up again; typed ones replace them', async (t) => {
  await member.post(newVenue, { ...base, venueName: 'Modifié', venueLatitude: '45', venueLongitude: '5' });
  const row = await saved('Modifié');
  const edit = `/espace/organisations/${world.organisation.id}/lieux/${row!.id}/modifier`;
  t.equal((await member.post(edit, { ...base, venueName: 'Modifié' })).statusCode, 303);
  t.same([(await saved('Modifié'))?.latitude, (await saved('Modifié'))?.longitude], [45.1885, 5.7245]);
  t.equal((await member.post(edit, { ...base, venueName: 'Modifié', venueLatitude: '45.2', venueLongitude: '5.8' })).statusCode, 303);
  t.same([(await saved('Modifié'))?.latitude, (await saved('Modifié'))?.longitude], [45.2, 5.8]);
});

t.test('a new venue described in the event form is placed the same way', async (t) => {
  const url = `/espace/organisations/${world.organisation.id}/evenements/nouveau`;
  const inline = { venueName: 'Salle décrite dans l’événement', venueAddress: '5 place Notre-Dame', venuePostcode: '38000', venueCommune: 'Grenoble' };
  t.equal((await member.post(url, validForm('new', inline))).statusCode, 303);
  t.same([(await saved(inline.venueName))?.latitude, (await saved(inline.venueName))?.longitude], [45.1885, 5.7245]);
  t.same(asked.map((p) => p.get('q')), ['5 place Notre-Dame Grenoble']);
  t.equal((await member.post(url, validForm('new', { ...inline, venueName: 'Salle placée à la main', venueLatitude: '45,2', venueLongitude: '5,7' }))).statusCode, 303);
  t.same([(await saved('Salle placée à la main'))?.latitude], [45.2], 'typed coordinates kept');
});

t.test('another organisation’s venue cannot be given coordinates', async (t) => {
  const other = await makeWorld(db);
  const res = await member.post(`/espace/organisations/${world.organisation.id}/lieux/${other.venue.id}/modifier`, { ...base, venueLatitude: '1', venueLongitude: '1' });
  t.equal(res.statusCode, 404);
  t.same([(await saved(other.venue.name))?.latitude], [null]);
});

t.test('the database refuses half a point and impossible degrees', async (t) => {
  const insert = (latitude: number | null, longitude: number | null) =>
    db.insert(venue).values({ territoryId: world.territory.id, name: 'Direct', address: 'x', postcode: '38000', commune: 'Grenoble', latitude, longitude });
  await t.rejects(insert(45, null));
  await t.rejects(insert(null, 5));
  await t.rejects(insert(95, 5));
  await t.rejects(insert(45, -181));
  await t.resolves(insert(-20.88, 55.45));
});


