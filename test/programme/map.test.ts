// @databases: pglite, postgres
// The programme beyond the list (issue 19, the map): the map page shows the same events as the
// programme for the same filters, with the events it cannot place listed and said so; its CSP
// allows the configured tile server and nothing else more, other pages unchanged; « près de chez
// moi » keeps the events within the radius of a commune's or postcode's known venues, on the list,
// the map and the calendar feed alike.
import t from 'tap';
import { buildTestApp, visibleText } from '../helpers/app.ts';
import { makeEdition, makeEvent, makeOrganisation, makeTerritory, makeVenue } from '../helpers/factory.ts';

const TILES = 'https://{s}.tuiles.example.org/carte/{z}/{x}/{y}.png';
const { app, db } = await buildTestApp(t, { env: { MAP_TILE_URL: TILES, MAP_ATTRIBUTION: '© Tuiles <Exemple>' } });

const isere = await makeTerritory(db, { communes: ['Grenoble', 'Échirolles', 'Voiron'] });
const edition = await makeEdition(db);
const org = await makeOrganisation(db, isere.id);
// Échirolles is 5 km south of central Grenoble, Voiron 24 km north-west.
const grenoble = await makeVenue(db, isere.id, org.id, { name: 'Maison des habitants', postcode: '38000', commune: 'Grenoble', latitude: 45.1885, longitude: 5.7245 });
const grenoble2 = await makeVenue(db, isere.id, org.id, { name: 'Bibliothèque', postcode: '38100', commune: 'Grenoble', latitude: 45.1765, longitude: 5.7355 });
const echirolles = await makeVenue(db, isere.id, org.id, { name: 'La Rampe', postcode: '38130', commune: 'Échirolles', latitude: 45.1436, longitude: 5.7186 });
const voiron = await makeVenue(db, isere.id, org.id, { name: 'Salle des fêtes', postcode: '38500', commune: 'Voiron', latitude: 45.364, longitude: 5.5897 });
const unplaced = await makeVenue(db, isere.id, org.id, { name: 'Local sans position', postcode: '38000', commune: 'Grenoble' });
const refs = { editionId: edition.id, territoryId: isere.id, organisationId: org.id };
const day = (d: number, h = 12) => ({ startsAt: new Date(`2026-10-${String(d).padStart(2, '0')}T${h}:00:00Z`), endsAt: new Date(`2026-10-${String(d).padStart(2, '0')}T${h + 1}:00:00Z`) });
const events = {
  grenoble: await makeEvent(db, { ...refs, venueId: grenoble.id }, { title: 'Café des familles', category: 'autre', ...day(6) }),
  grenoble2: await makeEvent(db, { ...refs, venueId: grenoble2.id }, { title: 'Lectures partagées', category: 'atelier_culturel', ...day(7) }),
  echirolles: await makeEvent(db, { ...refs, venueId: echirolles.id }, { title: 'Ciné-débat à La Rampe', category: 'cine_debat', ...day(8) }),
  voiron: await makeEvent(db, { ...refs, venueId: voiron.id }, { title: 'Bal de Voiron', category: 'autre', ...day(9) }),
  unplaced: await makeEvent(db, { ...refs, venueId: unplaced.id }, { title: 'Atelier au local', category: 'autre', ...day(10) }),
  online: await makeEvent(db, { ...refs, venueId: null }, { title: 'Conférence en ligne', category: 'conference', onlineUrl: 'https://visio.example.org/sism', ...day(11) }),
};
const titleOf = new Map(Object.values(events).map((e) => [e.id, e.title]));

/** The titles of the events linked from a page, in order. */
function listed(html: string): string[] {
  return [...html.matchAll(/<a href="\/evenements\/(\d+)">/g)].map((m) => titleOf.get(Number(m[1]))!).filter(Boolean);
}
const programme = async (query: string) => listed((await app.inject({ url: `/programme?tout=1${query ? `&${query}` : ''}` })).body);
const map = (query = '') => app.inject({ url: `/programme/carte${query ? `?${query}` : ''}` });
const markers = (html: string) => JSON.parse(/<script type="application\/json" id="carte-donnees">([\s\S]*?)<\/script>/.exec(html)![1]!) as {
  tileUrl: string;
  attribution: string;
  markers: Array<{ title: string; href: string; latitude: number; longitude: number }>;
};

t.test('the map lists the same events as the programme, for the same filters', async (t) => {
  for (const query of ['', 'category=autre', 'commune=Grenoble', 'day=2026-10-08', 'q=lectures', 'pres=Grenoble&rayon=10']) {
    const res = await map(query);
    t.equal(res.statusCode, 200, query);
    t.same(listed(res.body), await programme(query), `same events, same order: « ${query} »`);
  }
  t.same(listed((await map()).body).length, 6, 'every event, on one page');
});

t.test('markers for placed events only, in a JSON island; the others listed « hors carte »', async (t) => {
  const res = await map();
  const data = markers(res.body);
  t.same(
    data.markers.map((m) => [m.title, m.href, m.latitude, m.longitude]),
    [
      ['Café des familles', `/evenements/${events.grenoble.id}`, 45.1885, 5.7245],
      ['Lectures partagées', `/evenements/${events.grenoble2.id}`, 45.1765, 5.7355],
      ['Ciné-débat à La Rampe', `/evenements/${events.echirolles.id}`, 45.1436, 5.7186],
      ['Bal de Voiron', `/evenements/${events.voiron.id}`, 45.364, 5.5897],
    ],
  );
  t.equal(data.tileUrl, TILES);
  t.equal(data.attribution, '© Tuiles <Exemple>');
  t.notMatch(res.body, '<Exemple>', 'escaped in the island');
  const text = visibleText(res.body);
  t.match(text, '2 événements ne sont pas sur la carte (en ligne, ou lieu sans position connue)');
  t.match(text, /Atelier au local\s+[^·]*· Local sans position, Grenoble · hors carte/);
  t.match(text, /Conférence en ligne\s+[^·]*· En ligne · hors carte/);
  t.match(res.body, '<div class="map-panel" data-map hidden>', 'the map is hidden until the script shows it');
  t.match(res.body, '<script src="/static/vendor/leaflet/leaflet.js" defer></script>');
  t.match(res.body, '<link rel="stylesheet" href="/static/vendor/leaflet/leaflet.css">');
});

t.test('Leaflet is served from the site itself, with its marker images', async (t) => {
  for (const asset of ['/static/vendor/leaflet/leaflet.js', '/static/vendor/leaflet/leaflet.css', '/static/vendor/leaflet/images/marker-icon.png', '/static/js/map.js']) {
    t.equal((await app.inject({ url: asset })).statusCode, 200, asset);
  }
});

t.test('the programme links to its map with the same filters; the map links back', async (t) => {
  const list = await app.inject({ url: '/programme?category=autre' });
  t.match(list.body, '<a href="/programme/carte?category=autre">Voir ces événements sur une carte</a>');
  const page = await map('category=autre&page=2');
  t.match(page.body, '<a href="/programme?category=autre">Revenir à la liste avec ces filtres</a>');
  t.match(page.body, '<a href="/programme/carte">Retirer<span class="visually-hidden"> le filtre « Type : Autre »</span></a>', 'chips stay on the map');
});

t.test('the CSP of the map page allows the tile origin and nothing else more; other pages unchanged', async (t) => {
  const csp = (res: { headers: Record<string, unknown> }) => String(res.headers['content-security-policy']);
  const mapCsp = csp(await map());
  const listCsp = csp(await app.inject({ url: '/programme' }));
  t.match(mapCsp, /(^|;)img-src 'self' data: https:\/\/\*\.tuiles\.example\.org(;|$)/);
  t.equal(mapCsp.replace(' https://*.tuiles.example.org', ''), listCsp, 'only img-src differs');
  t.notMatch(listCsp, 'tuiles', 'the list does not allow the tiles');
  t.notMatch(csp(await app.inject({ url: `/evenements/${events.grenoble.id}` })), 'tuiles');
});

t.test('« près de chez moi »: within the radius of the commune’s or postcode’s known venues', async (t) => {
  t.same(await programme('pres=Grenoble&rayon=10'), ['Café des familles', 'Lectures partagées', 'Ciné-débat à La Rampe'], 'Voiron is too far; unplaced and online events are out');
  t.same(await programme('pres=grenoble&rayon=50'), ['Café des familles', 'Lectures partagées', 'Ciné-débat à La Rampe', 'Bal de Voiron']);
  t.same(await programme('pres=38500&rayon=5'), ['Bal de Voiron'], 'a postcode');
  t.same(await programme('pres=echirolles&rayon=2'), ['Ciné-débat à La Rampe'], 'accents and case ignored');
  t.same(await programme('pres=38130&rayon=5&category=cine_debat'), ['Ciné-débat à La Rampe'], 'with the other filters');

  const res = await app.inject({ url: '/programme?pres=%C3%A9chirolles&rayon=2' });
  const text = visibleText(res.body);
  t.match(text, 'Près de chez moi : Échirolles, 2 km', 'the chip, in the known spelling');
  t.match(res.body, '<a href="/programme" class="no-print">Retirer<span class="visually-hidden"> le filtre « Près de chez moi : Échirolles, 2 km »', 'removing it goes back to the whole programme');
  t.match(res.body, '/programme/agenda.ics?pres=%C3%89chirolles&amp;rayon=2"', 'the calendar feed gets it in canonical form');
  t.match(res.body, /<input type="text" id="filtre-pres" name="pres" value="Échirolles"/);
  t.match(res.body, '<option value="2" selected>Moins de 2 km</option>');
});

t.test('« près de »: an unknown place or a wrong radius is explained, never an error', async (t) => {
  const unknown = await app.inject({ url: '/programme?pres=Paris&rayon=10' });
  t.equal(unknown.statusCode, 200);
  t.match(visibleText(unknown.body), "Aucun lieu du programme n'est situé à « Paris » (commune ou code postal) : le filtre « près de chez moi » est ignoré.");
  t.same(listed(unknown.body).length, 6, 'the whole programme');
  const radius = await app.inject({ url: '/programme?pres=38000&rayon=loin' });
  t.match(visibleText(radius.body), "Le rayon « loin » n'est pas valide (attendu : un nombre de kilomètres entre 1 et 100) : 10 km sont utilisés.");
  t.match(visibleText(radius.body), 'Près de chez moi : 38000, 10 km');
  t.same(await programme('rayon=3'), (await programme('')), 'a radius alone (the form always sends one) changes nothing');
});

t.test('the calendar feed keeps the same events; refuses an unknown place', async (t) => {
  const feed = await app.inject({ url: '/programme/agenda.ics?pres=Grenoble&rayon=10' });
  t.equal(feed.statusCode, 200);
  const summaries = [...feed.body.matchAll(/^SUMMARY:(.*)$/gm)].map((m) => m[1]!.trim()).sort();
  t.same(summaries, ['Café des familles', 'Ciné-débat à La Rampe', 'Lectures partagées']);
  const refused = await app.inject({ url: '/programme/agenda.ics?pres=Paris' });
  t.equal(refused.statusCode, 400);
});

t.test('the map with « près de »: only the events around', async (t) => {
  const res = await map('pres=38500&rayon=5');
  t.same(markers(res.body).markers.map((m) => m.title), ['Bal de Voiron']);
  t.match(visibleText(res.body), 'Près de chez moi : 38500, 5 km');
});
