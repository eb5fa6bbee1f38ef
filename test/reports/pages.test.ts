// @databases: pglite
// The figures and the bilan over HTTP: what a coordinator and an administrator read (the charts
// with their name, description and data table, the tables counted by hand in fixtures.ts), the
// bilan's hidden small counts and its CSV files, and who may open them.
import t from 'tap';
import { buildTestApp, visibleText } from '../helpers/app.ts';
import { makeTerritory } from '../helpers/factory.ts';
import { reportsApp } from './fixtures.ts';
import { charts, tableRows } from './html.ts';

const setup = reportsApp;

t.test('the figures of a territory: charts with their data, every commune, needs exactly', async (t) => {
  const { f, as } = await setup(t);
  const coordinator = await as('coordination@cayenne.example');
  const res = await coordinator.get(`/coordination/${f.cayenne.id}/chiffres`);
  t.equal(res.statusCode, 200);
  t.equal(res.headers['cache-control'], 'no-store');
  const text = visibleText(res.body);
  t.match(text, 'Chiffres de l’édition 2026 : CLSM de Cayenne');
  t.match(text, 'Le bilan de l’édition');

  t.same(
    charts(res.body).map((c) => [c.role, c.title, c.nextTableId]),
    [
      ['img', 'Événements publiés par jour', 'evenements-par-jour'],
      ['img', 'Couverture du territoire : événements publiés par commune', 'couverture-communes'],
      ['img', 'Besoins d’accessibilité satisfaits ou non, par catégorie', 'besoins-par-categorie'],
    ],
    'three charts, each an image named by its title and followed by its data',
  );
  const [days, communes, needs] = charts(res.body);
  t.equal(days!.description, '5 événements publiés ; le jour le plus chargé est le mardi 6 octobre 2026 (2 événements). 1 événement a lieu hors des dates de l’édition.');
  t.equal(communes!.description, '2 communes sur 4 ont au moins un événement. Sans aucun événement : Matoury, Rémire-Montjoly.');
  t.equal(needs!.description, '6 besoins déclarés, dont 3 prévus (50 %).');

  const dayRows = tableRows(res.body, 'evenements-par-jour');
  t.same(dayRows[0], ['Jour', 'Événements']);
  t.same(dayRows.filter((r) => r[1] !== '0').slice(1), [
    ['lundi 5 octobre 2026', '1'],
    ['mardi 6 octobre 2026', '2'],
    ['samedi 10 octobre 2026', '1'],
    ['mardi 20 octobre 2026 (hors édition)', '1'],
    ['Total', '5'],
  ]);
  t.equal(dayRows.length, 1 + 15 + 1, 'header, every day of the edition and the one outside, total');
  t.same(tableRows(res.body, 'couverture-communes'), [
    ['Commune', 'Événements'],
    ['Cayenne', '2'],
    ['Kourou', '1'],
    ['Matoury', '0'],
    ['Rémire-Montjoly', '0'],
    ['97300 Cayenne (hors de la liste du territoire)', '1'],
    ['En ligne uniquement', '1'],
    ['Total', '5'],
  ]);
  const needRows = tableRows(res.body, 'besoins-par-categorie');
  t.same(needRows[0], ['Besoin', 'Déclarés', 'Prévus', 'Pas possibles', 'Sans réponse', 'Part des besoins satisfaits', 'Déclarés après la date limite', 'Répondus avant la date limite', 'Part répondue à temps (besoins déclarés à temps)']);
  t.same(needRows.find((r) => r[0] === 'Interprétation LSF'), ['Interprétation LSF', '3', '2', '1', '0', '67 %', '0', '2', '67 %'], 'exact on the coordination’s page');
  t.same(needRows.find((r) => r[0] === 'Espace calme'), ['Espace calme', '1', '0', '0', '1', '0 %', '1', '0', '—'], 'declared late: nothing to answer in time');
  t.same(needRows.at(-1), ['Tous les besoins', '6', '3', '1', '2', '50 %', '2', '2', '50 %']);
  t.same(tableRows(res.body, 'organisations').slice(1), [
    ['GEM Soleil', 'GEM (groupe d\'entraide mutuelle)', '3', 'oui'],
    ['Association Lien', 'Association', '2', 'non'],
    ['Total', '', '5', '1 nouvelle'],
  ]);
  const reached = Object.fromEntries(tableRows(res.body, 'public-touche').slice(1));
  t.same(
    [reached['Inscriptions confirmées'], reached['Places réservées (personnes et accompagnant·es)'], reached['Dont accompagnant·es'], reached['Arrivées notées'], reached['Taux de présence (arrivées / inscriptions confirmées, là où les arrivées ont été notées)'], reached['Inscriptions en liste d’attente'], reached['Inscriptions annulées']],
    ['5', '12', '7', '2', '67 %', '2', '2'],
  );
  t.equal(reached['Taux de remplissage (places réservées / places offertes)'], '10 %', '12 seats of 123');
});

t.test('the bilan: sections, small need counts hidden and said so, printable, one CSV per table', async (t) => {
  const { f, as } = await setup(t);
  const coordinator = await as('coordination@cayenne.example');
  const res = await coordinator.get(`/coordination/${f.cayenne.id}/bilan`);
  t.equal(res.statusCode, 200);
  const text = visibleText(res.body);
  t.match(text, 'Bilan des SISM 2026 : CLSM de Cayenne');
  for (const heading of ['Chiffres clés', 'Géographie des événements', 'Types d’événements', 'Partenaires', 'Public touché', 'Accessibilité demandée et apportée'])
    t.match(res.body, `>${heading}</h2>`, heading);
  t.match(text, 'les nombres de besoins de 1 à 4 sont remplacés par « < 5 »', 'the rule is written on the page');

  const needRows = tableRows(res.body, 'besoins-par-categorie');
  t.same(needRows.find((r) => r[0] === 'Interprétation LSF'), ['Interprétation LSF', '< 5', '< 5', '< 5', '0', 'masqué', '0', '< 5', 'masqué']);
  t.same(needRows.find((r) => r[0] === 'Boucle magnétique'), ['Boucle magnétique', '0', '0', '0', '0', '—', '0', '0', '—'], 'zero stays');
  t.same(needRows.at(-1), ['Tous les besoins', '6', '< 5', '< 5', '< 5', 'masqué', '< 5', '< 5', 'masqué']);
  t.notOk(charts(res.body).some((c) => c.nextTableId === 'besoins-par-categorie'), 'no need drawn: every category has a hidden count');
  const key = Object.fromEntries(tableRows(res.body, 'chiffres-cles').slice(1));
  t.same([key['Événements publiés'], key['Communes avec au moins un événement'], key['Besoins d’accessibilité déclarés'], key['Besoins satisfaits (aménagement prévu)']], ['5', '2', '6', '< 5']);

  const links = [...res.body.matchAll(/href="(\/coordination\/\d+\/bilan\/[^"]+\.csv\?annee=2026)"/g)].map((m) => m[1]!);
  t.same(
    links.map((l) => /bilan\/([^.]+)\.csv/.exec(l)![1]),
    ['chiffres-cles', 'couverture-communes', 'evenements-par-type', 'evenements-par-public', 'evenements-par-jour', 'partenaires-par-type', 'organisations', 'public-touche', 'besoins-par-categorie'],
  );
  for (const link of links) {
    const csv = await coordinator.get(link);
    t.equal(csv.statusCode, 200, link);
    t.equal(csv.headers['content-type'], 'text/csv; charset=utf-8');
    t.ok(csv.body.startsWith('\uFEFF'), 'BOM for Excel');
  }

  const needs = await coordinator.get(`/coordination/${f.cayenne.id}/bilan/besoins-par-categorie.csv?annee=2026`);
  t.equal(needs.headers['content-disposition'], 'attachment; filename="bilan-sism-2026-cayenne-besoins-par-categorie.csv"');
  const lines = needs.body.slice(1).split('\r\n');
  t.equal(lines[0], 'Besoin;Déclarés;Prévus;Pas possibles;Sans réponse;Part des besoins satisfaits (%);Déclarés après la date limite;Répondus avant la date limite;Part répondue à temps (besoins déclarés à temps) (%)');
  t.equal(lines[1], 'Interprétation LSF;< 5;< 5;< 5;0;masqué;0;< 5;masqué');
  t.equal(lines[2], 'Vélotypie / sous-titrage;0;0;0;0;;0;0;');
  t.equal(lines[11], 'Tous les besoins;6;< 5;< 5;< 5;masqué;< 5;< 5;masqué');
  t.equal(lines.length, 13, '10 categories, header, total, final line end');

  const communes = await coordinator.get(`/coordination/${f.cayenne.id}/bilan/couverture-communes.csv`);
  t.equal(communes.body, '\uFEFFCommune;Événements\r\nCayenne;2\r\nKourou;1\r\nMatoury;0\r\nRémire-Montjoly;0\r\n97300 Cayenne (hors de la liste du territoire);1\r\nEn ligne uniquement;1\r\nTotal;5\r\n');
  const reached = await coordinator.get(`/coordination/${f.cayenne.id}/bilan/public-touche.csv`);
  t.match(reached.body, '\r\nTaux de présence (arrivées / inscriptions confirmées, là où les arrivées ont été notées);66,7 %\r\n', 'a share among counts keeps its sign');
  t.match(reached.body, '\r\nPlaces réservées (personnes et accompagnant·es);12\r\n');

  t.equal((await coordinator.get(`/coordination/${f.cayenne.id}/bilan/inconnu.csv`)).statusCode, 404);
  t.equal((await coordinator.get(`/coordination/${f.cayenne.id}/bilan/besoins-par-categorie.xlsx`)).statusCode, 404);
});

t.test('another edition, asked by its year', async (t) => {
  const { f, as } = await setup(t);
  const coordinator = await as('coordination@cayenne.example');
  const res = await coordinator.get(`/coordination/${f.cayenne.id}/chiffres?annee=2025`);
  t.match(visibleText(res.body), 'Chiffres de l’édition 2025');
  t.same(tableRows(res.body, 'couverture-communes').slice(1, 3), [['Cayenne', '1'], ['Kourou', '0']]);
  t.match(res.body, `href="/coordination/${f.cayenne.id}/chiffres?annee=2026"`, 'links to the other editions');
});

t.test('the national figures and bilan, for administrators', async (t) => {
  const { f, as } = await setup(t);
  const admin = await as('admin@rassembler.example');
  const figures = await admin.get('/admin/chiffres');
  t.equal(figures.statusCode, 200);
  t.same(tableRows(figures.body, 'territoires'), [
    ['Territoire', 'Événements publiés', 'Communes touchées', 'Organisations partenaires', 'Inscriptions confirmées', 'Places réservées', 'Besoins déclarés', 'Besoins prévus', 'Part des besoins satisfaits'],
    ['CLSM de Cayenne', '5', '2', '2', '5', '12', '6', '3', '50 %'],
    ['CLSM de Grenoble', '1', '1', '1', '1', '2', '1', '1', '100 %'],
    ['Total national', '6', '3', '3', '6', '14', '7', '4', '57 %'],
  ]);
  t.same(charts(figures.body).find((c) => c.nextTableId === 'couverture-territoires')?.description, '3 communes sur 6 ont au moins un événement, dans 2 territoires.');
  const bilan = await admin.get('/admin/bilan');
  t.same(tableRows(bilan.body, 'territoires').slice(1), [
    // Grenoble's single need would be 7 − 6: Cayenne's count is hidden too.
    ['CLSM de Cayenne', '5', '2', '2', '5', '12', 'masqué', '< 5', 'masqué'],
    ['CLSM de Grenoble', '1', '1', '1', '1', '2', '< 5', '< 5', 'masqué'],
    ['Total national', '6', '3', '3', '6', '14', '7', '< 5', 'masqué'],
  ]);
  const csv = await admin.get('/admin/bilan/territoires.csv');
  t.equal(csv.headers['content-disposition'], 'attachment; filename="bilan-sism-2026-national-territoires.csv"');
  t.match(csv.body, '\r\nTotal national;6;3;3;6;14;7;< 5;masqué\r\n');
  t.equal((await admin.get(`/coordination/${f.cayenne.id}/bilan`)).statusCode, 200, 'an administrator may open a territory’s bilan');
});

t.test('only the territory’s coordination and administrators: 403 for others, sign-in first', async (t) => {
  const { f, app, as, agent } = await setup(t);
  const territoryUrls = [`/coordination/${f.cayenne.id}/chiffres`, `/coordination/${f.cayenne.id}/bilan`, `/coordination/${f.cayenne.id}/bilan/besoins-par-categorie.csv`];
  const nationalUrls = ['/admin/chiffres', '/admin/bilan', '/admin/bilan/territoires.csv'];
  const grenoble = await as('coordination@grenoble.example');
  const organiser = await as('organisation@lien.example');
  const cayenne = await as('coordination@cayenne.example');
  for (const url of territoryUrls) {
    t.equal((await grenoble.get(url)).statusCode, 403, `another territory’s coordinator: ${url}`);
    t.equal((await organiser.get(url)).statusCode, 403, `an organiser of the territory: ${url}`);
    const anonymous = await app.inject({ url });
    t.equal(anonymous.statusCode, 303, `signed out: ${url}`);
    t.equal(anonymous.headers.location, `/connexion?retour=${encodeURIComponent(url)}`);
  }
  for (const url of nationalUrls) {
    t.equal((await cayenne.get(url)).statusCode, 403, `a coordinator, national: ${url}`);
    t.equal((await organiser.get(url)).statusCode, 403, `an organiser, national: ${url}`);
    t.equal((await app.inject({ url })).statusCode, 303, `signed out: ${url}`);
  }
  const denied = await grenoble.get(territoryUrls[1]!);
  t.match(visibleText(denied.body), 'réservée à la coordination de ce territoire', 'a French reason');
  t.notMatch(denied.body, 'besoins-par-categorie', 'nothing of the bilan');
  t.equal((await (await as('admin@rassembler.example')).get('/coordination/9999/chiffres')).statusCode, 404);
  t.equal((await agent().get('/coordination/abc/bilan')).statusCode, 303, 'signed out first, whatever the id');
});

t.test('the coordination’s overview and the administration link to the figures and the bilan', async (t) => {
  const { f, as } = await setup(t);
  const overview = await (await as('coordination@cayenne.example')).get(`/coordination/${f.cayenne.id}`);
  t.match(overview.body, `href="/coordination/${f.cayenne.id}/chiffres?annee=2026">Chiffres de l’édition 2026</a>`);
  t.match(overview.body, `href="/coordination/${f.cayenne.id}/bilan?annee=2026">Bilan de l’édition 2026</a>`);
  const admin = await (await as('admin@rassembler.example')).get('/admin');
  t.match(admin.body, 'href="/admin/chiffres"');
  t.match(admin.body, 'href="/admin/bilan"');
});

t.test('an edition without events, a territory without a commune list: pages all the same, nothing drawn that is empty', async (t) => {
  const { f, as, db } = await setup(t);
  const admin = await as('admin@rassembler.example');
  const empty = await admin.get(`/coordination/${f.grenoble.id}/chiffres?annee=2025`);
  t.equal(empty.statusCode, 200);
  t.match(visibleText(empty.body), 'Les événements publiés (0) ; aucun n’a été annulé après publication.');
  t.same(tableRows(empty.body, 'couverture-communes').slice(1), [['Grenoble', '0'], ['Échirolles', '0'], ['Total', '0']]);
  t.same(charts(empty.body).map((c) => c.nextTableId), ['evenements-par-jour', 'couverture-communes'], 'no needs chart without needs');
  t.match(charts(empty.body)[0]!.description, 'Aucun événement publié pour cette édition.');

  const bare = await makeTerritory(db, { name: 'CLSM sans liste', communes: [] });
  const page = await admin.get(`/coordination/${bare.id}/bilan`);
  t.equal(page.statusCode, 200);
  t.match(visibleText(page.body), 'Ce territoire n’a pas encore de liste de communes');
  t.same(charts(page.body).map((c) => c.nextTableId), ['evenements-par-jour'], 'no commune to draw');
  t.same(tableRows(page.body, 'couverture-communes'), [['Commune', 'Événements'], ['Total', '0']]);
});
