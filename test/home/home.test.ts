// @databases: pglite
import t from 'tap';
import { buildTestApp, visibleText } from '../helpers/app.ts';
import { makeEdition, makeEvent, makeOrganisation, makeTerritory, makeVenue } from '../helpers/factory.ts';
import { chooseCurrentEdition, type EditionSummary } from '../../server/programme/current-edition.ts';

t.test('before any edition: the home page says the programme is coming', async (t) => {
  const { app } = await buildTestApp(t);
  const res = await app.inject({ url: '/' });
  t.equal(res.statusCode, 200);
  const text = visibleText(res.body);
  t.match(text, "Le programme des prochaines Semaines n'est pas encore publié.");
  t.match(text, "Les Semaines, c'est quoi ?");
  t.match(text, "Comment s'inscrire");
  t.notMatch(text, 'Ceci est une démonstration', 'no demo hint without demo data');

  const programme = await app.inject({ url: '/programme' });
  t.equal(programme.statusCode, 200);
  t.match(visibleText(programme.body), "Aucune édition des Semaines n'est encore publiée.");
});

t.test('the current edition, its dates in French and the ways into the programme', async (t) => {
  const { app, db } = await buildTestApp(t, { now: '2026-09-15T08:00:00Z' });
  const territory = await makeTerritory(db);
  const edition = await makeEdition(db);
  const organisation = await makeOrganisation(db, territory.id);
  const venue = await makeVenue(db, territory.id, organisation.id, { commune: 'Échirolles' });
  await makeEvent(db, { editionId: edition.id, territoryId: territory.id, organisationId: organisation.id, venueId: venue.id });
  await makeEvent(db, { editionId: edition.id, territoryId: territory.id, organisationId: organisation.id, venueId: venue.id }, { state: 'draft' });

  const res = await app.inject({ url: '/' });
  t.match(res.body, '<title>Semaines d&#39;information sur la santé mentale 2026 – Rassembler</title>');
  const text = visibleText(res.body);
  t.match(text, 'Semaines d\'information sur la santé mentale 2026 Partout en France, du lundi 5 octobre 2026 au dimanche 18 octobre 2026.');
  t.match(text, "Thème de l'année : « Pour notre santé mentale, réparons le lien social »");
  t.match(text, 'Voir le programme : 1 événement', 'drafts are not counted');
  t.match(res.body, '<a href="/programme?day=2026-10-06">Mardi 6 octobre</a>');
  t.match(res.body, /<a href="\/programme\?access=lsf"><svg class="icon" aria-hidden="true" focusable="false">.*<\/svg> Interprétation LSF<\/a>/);
  t.match(res.body, '<a href="/programme?commune=%C3%89chirolles">Échirolles</a>');
  t.match(res.body, '<a href="/comment-s-inscrire">');
  t.equal(res.headers['cache-control'], 'private, no-cache');
});

t.test('an edition being prepared, and the demo accounts when the demo is loaded', async (t) => {
  const { app, db } = await buildTestApp(t, { now: '2026-09-15T08:00:00Z', env: { DEMO_DATA: 'true' } });
  await makeEdition(db);
  const text = visibleText((await app.inject({ url: '/' })).body);
  t.match(text, 'Le programme de cette édition est en préparation');
  t.match(text, 'Ceci est une démonstration');
  t.match(text, 'admin@rassembler.example Administrateur·rice');
  t.match(text, 'boîte aux lettres locale');
});

t.test('which edition is current', async (t) => {
  const edition = (year: number, hasEvents: boolean): EditionSummary => ({
    id: year,
    year,
    theme: `Thème ${year}`,
    firstDay: `${year}-10-05`,
    lastDay: `${year}-10-18`,
    hasEvents,
  });
  const all = [edition(2025, true), edition(2026, true), edition(2027, false)];
  t.equal(chooseCurrentEdition(all, '2026-03-01')?.year, 2026, 'the nearest to come with a programme');
  t.equal(chooseCurrentEdition(all, '2026-10-10')?.year, 2026, 'the one running');
  t.equal(chooseCurrentEdition(all, '2026-11-22')?.year, 2026, 'all past: the latest with a programme, not the empty next one');
  t.equal(chooseCurrentEdition([edition(2025, true), edition(2026, true)], '2025-10-18')?.year, 2025, 'its last day is still its own');
  t.equal(chooseCurrentEdition([edition(2026, false), edition(2027, false)], '2026-11-01')?.year, 2027, 'no programme anywhere: the next one');
  t.equal(chooseCurrentEdition([], '2026-11-01'), null);
});

t.test('how to register, accessibility statement, personal data: real content in French', async (t) => {
  const { app } = await buildTestApp(t, { env: { NEEDS_RETENTION_DAYS: '45', IDENTITY_RETENTION_DAYS: '120' } });

  const register = await app.inject({ url: '/comment-s-inscrire' });
  t.equal(register.statusCode, 200);
  t.match(register.body, '<title>Comment s&#39;inscrire – Rassembler</title>');
  const r = visibleText(register.body);
  t.match(r, "liste d'attente");
  t.match(r, 'Gérer mon inscription');
  t.match(r, 'Demander un aménagement');
  t.match(register.body, 'aria-current="page">Comment s');

  const a11y = await app.inject({ url: '/accessibilite' });
  t.equal(a11y.statusCode, 200);
  const a = visibleText(a11y.body);
  t.match(a, 'Rassembler est partiellement conforme avec le référentiel général d\'amélioration de l\'accessibilité (RGAA), version 4.1');
  t.match(a, 'axe-core');
  t.match(a, 'Parcours au clavier seul');
  t.match(a, 'Parcours sans JavaScript');
  t.match(a, 'Défenseur des droits');
  t.match(a, 'Libre réponse 71120, 75342 Paris CEDEX 07');

  const privacy = await app.inject({ url: '/donnees-personnelles' });
  t.equal(privacy.statusCode, 200);
  const p = visibleText(privacy.body);
  t.match(p, "l'article 9 du Règlement général sur la protection des données");
  t.match(p, 'accord explicite, à part');
  t.match(p, 'seules les personnes qui organisent l\'événement et la coordination du territoire');
  t.match(p, 'effacés 45 jours après l\'événement', 'the configured retention of needs');
  t.match(p, 'effacés 120 jours après la fin de l\'édition', 'the configured retention of identities');
  t.match(p, '« Gérer mon inscription »');
  t.match(p, 'CNIL');
});
