// @databases: none
import t from 'tap';
import { activeFilters, filtersQueryString, parseProgrammeFilters, programmeHref } from '../../server/programme/filters.ts';

const scope = { firstDay: '2026-10-05', lastDay: '2026-10-18', communes: ['Échirolles', 'Grenoble', "Saint-Martin-d'Hères"], territories: [] };

t.test('valid values are read, and written back in one canonical order', async (t) => {
  const { filters, notices } = parseProgrammeFilters(
    { q: '  atelier   écriture ', page: '3', places: 'oui', access: ['wheelchair', 'lsf,captioning', 'lsf'], audience: 'jeunes', category: 'sport', commune: 'saint-martin-d’heres'.replace('’', "'"), day: '2026-10-06' },
    scope,
  );
  t.same(notices, []);
  t.same(filters, {
    territory: null,
    day: '2026-10-06',
    commune: "Saint-Martin-d'Hères",
    category: 'sport',
    audience: 'jeunes',
    access: ['lsf', 'captioning', 'wheelchair'],
    placesLeft: true,
    q: 'atelier écriture',
    near: null,
    page: 3,
    all: false,
  });
  t.equal(
    filtersQueryString(filters),
    'day=2026-10-06&commune=Saint-Martin-d%27H%C3%A8res&category=sport&audience=jeunes&access=lsf&access=captioning&access=wheelchair&places=1&q=atelier+%C3%A9criture&page=3',
  );
  t.equal(filtersQueryString(filters, { page: false }).includes('page='), false);
  const all = parseProgrammeFilters({ category: 'sport', tout: '1' }, scope);
  t.equal(all.filters.all, true);
  t.equal(filtersQueryString(all.filters), 'category=sport&tout=1', 'the printable programme is a shareable address');
  t.equal(filtersQueryString(all.filters, { page: false }), 'category=sport', 'feeds ignore paging');
  const again = parseProgrammeFilters(Object.fromEntries(new URLSearchParams(filtersQueryString(filters)).entries()), scope);
  t.equal(again.filters.commune, filters.commune, 'round trip');
});

t.test('« près de »: the mean of the known venues of the commune or postcode, weighed by their number', async (t) => {
  const places = [
    { commune: 'Grenoble', postcode: '38000', latitude: 45, longitude: 5, venues: 3 },
    { commune: 'Grenoble', postcode: '38100', latitude: 46, longitude: 6, venues: 1 },
    { commune: 'Échirolles', postcode: '38130', latitude: 45.14, longitude: 5.72, venues: 2 },
  ];
  const withPlaces = { ...scope, places };
  const { filters, notices } = parseProgrammeFilters({ pres: ' GRENOBLE ', rayon: '20' }, withPlaces);
  t.same(notices, []);
  t.same(filters.near, { place: 'Grenoble', latitude: 45.25, longitude: 5.25, radiusKm: 20 });
  t.equal(filtersQueryString(filters), 'pres=Grenoble&rayon=20');
  t.same(parseProgrammeFilters({ pres: '38 100' }, withPlaces).filters.near, { place: '38100', latitude: 46, longitude: 6, radiusKm: 10 }, 'a postcode; 10 km by default');
  for (const rayon of ['0', '101', '2.5', 'loin']) {
    const wrong = parseProgrammeFilters({ pres: 'Grenoble', rayon }, withPlaces);
    t.equal(wrong.filters.near?.radiusKm, 10, rayon);
    t.equal(wrong.notices.length, 1);
  }
  const unknown = parseProgrammeFilters({ pres: 'Grenoble' }, scope);
  t.equal(unknown.filters.near, null, 'no known place: dropped');
  t.same(unknown.notices, ["Aucun lieu du programme n'est situé à « Grenoble » (commune ou code postal) : le filtre « près de chez moi » est ignoré."]);
  t.same(parseProgrammeFilters({ rayon: '5' }, withPlaces), { filters: parseProgrammeFilters({}, withPlaces).filters, notices: [] }, 'a radius alone means nothing');
  t.same(activeFilters(filters).map((f) => [f.label, f.removeHref]), [['Près de chez moi : Grenoble, 20 km', '/programme']]);
  t.same(activeFilters({ ...filters, category: 'sport' }, '/programme/carte').map((f) => f.removeHref), ['/programme/carte?pres=Grenoble&rayon=20', '/programme/carte?category=sport']);
});

t.test('empty values are absent, not errors', async (t) => {
  const { filters, notices } = parseProgrammeFilters({ day: '', commune: '', category: '', audience: '', q: '  ', places: '', page: '' }, scope);
  t.same(notices, []);
  t.equal(programmeHref(filters), '/programme');
  t.same(activeFilters(filters), []);
});

t.test('a date that is not a date, or outside the edition', async (t) => {
  for (const day of ['2026-02-30', '06/10/2026', 'demain', '2026-10-6']) {
    const { filters, notices } = parseProgrammeFilters({ day }, scope);
    t.equal(filters.day, null, day);
    t.match(notices[0], "n'est pas une date valide", day);
  }
  const { notices } = parseProgrammeFilters({ day: '2026-10-19' }, scope);
  t.match(notices[0], 'ne fait pas partie des Semaines');
  t.match(parseProgrammeFilters({ day: '2026-10-06' }, null).notices[0], 'Aucune édition');
});

t.test('each filter removal link keeps the others', async (t) => {
  const { filters } = parseProgrammeFilters({ day: '2026-10-06', access: ['lsf', 'wheelchair'], q: 'jardin', page: '2' }, scope);
  t.same(
    activeFilters(filters).map((f) => [f.label, f.removeHref]),
    [
      ['Jour : mardi 6 octobre 2026', '/programme?access=lsf&access=wheelchair&q=jardin'],
      ['Accessibilité : Interprétation LSF', '/programme?day=2026-10-06&access=wheelchair&q=jardin'],
      ['Accessibilité : Accès fauteuil', '/programme?day=2026-10-06&access=lsf&q=jardin'],
      ['Recherche : « jardin »', '/programme?day=2026-10-06&access=lsf&access=wheelchair'],
    ],
  );
});

t.test('a very long value is cut in the notice', async (t) => {
  const { notices } = parseProgrammeFilters({ category: 'x'.repeat(500) }, scope);
  t.ok(notices[0]!.length < 150);
});

t.test('the territory filter: a slug of the edition, first in the address, with its name in the chip', async (t) => {
  const territories = [
    { slug: 'grenoble-alpes', name: 'CLSM Grenoble-Alpes' },
    { slug: 'saint-denis', name: 'CLSM Saint-Denis' },
  ];
  const withTerritories = { ...scope, territories };
  const { filters, notices } = parseProgrammeFilters({ category: 'sport', territoire: ' Saint-Denis ' }, withTerritories);
  t.same(notices, []);
  t.same(filters.territory, territories[1]);
  t.equal(filtersQueryString(filters), 'territoire=saint-denis&category=sport');
  const [chip] = activeFilters(filters);
  t.equal(chip?.label, 'Territoire : CLSM Saint-Denis');
  t.equal(chip?.removeHref, '/programme?category=sport');

  const unknown = parseProgrammeFilters({ territoire: 'atlantide' }, withTerritories);
  t.equal(unknown.filters.territory, null);
  t.same(unknown.notices, ["Aucun événement du programme n'a lieu sur le territoire « atlantide » : ce filtre est ignoré."]);
  t.equal(parseProgrammeFilters({ territoire: 'saint-denis' }, null).filters.territory, null, 'no edition, no territory');
});
