// @databases: pglite
import t from 'tap';
import { eq } from 'drizzle-orm';
import { appUser, edition, membership, outbox, territory } from '../../server/db/schema.ts';
import { makeEdition, makeTerritory, makeUser } from '../helpers/factory.ts';
import { buildTestApp, visibleText, type Agent } from '../helpers/app.ts';
import { lastMail } from './helpers.ts';

const NOW = '2026-03-02T09:00:00.000Z';

async function admin(agent: () => Agent) {
  const a = agent();
  const id = await a.signInAs('admin@example.org', { isAdmin: true, name: 'Alix Admin' });
  return { a, id };
}

t.test('the administration home lists territories, editions and administrators', async (t) => {
  const { db, agent } = await buildTestApp(t, { now: NOW });
  await makeTerritory(db, { name: 'CLSM de Grenoble', communes: ['Grenoble', 'Échirolles', 'Saint-Martin-d’Hères'] });
  await makeEdition(db, { year: 2026, theme: 'Réparons le lien social' });
  const { a } = await admin(agent);
  const home = await a.get('/espace');
  t.match(home.body, /<a href="\/admin">Territoires, éditions et coordinations<\/a>/);
  const res = await a.get('/admin');
  t.equal(res.statusCode, 200);
  const text = visibleText(res.body);
  t.match(text, /CLSM de Grenoble Europe\/Paris 3 personne/);
  t.match(text, /2026 Réparons le lien social du lundi 5 octobre 2026 au dimanche 18 octobre 2026 ouvertes/);
  t.match(text, /Alix Admin \(admin@example.org\)/);
  t.match(text, /npm run admin -- add/);
});

t.test('failed mails are reached from the administrator’s space and the administration, with their count; nobody else sees the way', async (t) => {
  const { db, agent } = await buildTestApp(t, { now: NOW });
  const { a } = await admin(agent);
  const none = await a.get('/espace');
  t.match(none.body, '<a href="/admin/courriels">Courriels non envoyés</a> — aucun en échec');

  await db.insert(outbox).values([
    { kind: 'registration_confirmation', recipient: 'alice@example.org', status: 'failed', attempts: 10, lastError: '550 boîte inconnue' },
    { kind: 'registration_confirmation', recipient: '+33612345678', channel: 'sms', status: 'failed', attempts: 10, lastError: '400' },
    { kind: 'registration_confirmation', recipient: 'bob@example.org', status: 'pending' },
  ]);
  t.match(visibleText((await a.get('/espace')).body), 'Courriels non envoyés — 2 en échec, à renvoyer');
  const administration = await a.get('/admin');
  t.match(administration.body, '<a href="/admin/courriels">Courriels non envoyés</a>');
  t.match(visibleText(administration.body), 'Envois Courriels non envoyés — 2 en échec, à renvoyer.');
  const page = await a.get('/admin/courriels');
  t.equal(page.statusCode, 200, 'the link leads to the page');
  t.match(visibleText(page.body), 'En échec : 2');

  const member = agent();
  await member.signInAs('membre@asso.example');
  const home = await member.get('/espace');
  t.notMatch(home.body, '/admin/courriels', 'not on the space of someone who is not an administrator');
  t.equal((await member.get('/admin/courriels')).statusCode, 403);
});

t.test('territories: every validation error, then created and edited', async (t) => {
  const { db, agent } = await buildTestApp(t, { now: NOW });
  await makeTerritory(db, { slug: 'grenoble', name: 'CLSM de Grenoble' });
  const { a } = await admin(agent);

  const form = await a.get('/admin/territoires/nouveau');
  t.match(form.body, /<input id="timeZone" name="timeZone" type="text" value="Europe\/Paris"/);

  const empty = await a.post('/admin/territoires/nouveau', { name: '', slug: '', communes: '  \n ', timeZone: '' });
  t.equal(empty.statusCode, 422);
  t.match(empty.body, /<title>Erreur : Nouveau territoire – Rassembler<\/title>/);
  const emptyText = visibleText(empty.body);
  t.match(emptyText, /Saisissez le nom du territoire/);
  t.match(emptyText, /Saisissez au moins une commune, une par ligne/);
  t.match(emptyText, /Saisissez le fuseau horaire du territoire/);

  const bad = await a.post('/admin/territoires/nouveau', { name: 'CLSM Nord', slug: 'CLSM Nord!', communes: 'Lille', timeZone: 'Europe/Pariss' });
  t.equal(bad.statusCode, 422);
  const badText = visibleText(bad.body);
  t.match(badText, /L'identifiant d'adresse ne peut contenir que des lettres minuscules/);
  t.match(badText, /« Europe\/Pariss » n'est pas un fuseau horaire connu/);
  t.match(bad.body, /value="CLSM Nord"/);
  t.match(bad.body, /value="Europe\/Pariss"/);

  const notZone = await a.post('/admin/territoires/nouveau', { name: 'CLSM Nord', communes: 'Lille', timeZone: 'Paris' });
  t.match(visibleText(notZone.body), /« Paris » n'est pas un fuseau horaire connu/);

  const taken = await a.post('/admin/territoires/nouveau', { name: 'Grenoble bis', slug: 'grenoble', communes: 'Grenoble', timeZone: 'Europe/Paris' });
  t.equal(taken.statusCode, 422);
  t.match(visibleText(taken.body), /L'identifiant d'adresse « grenoble » est déjà utilisé/);
  t.equal((await db.select().from(territory)).length, 1, 'nothing stored');

  const created = await a.post('/admin/territoires/nouveau', {
    name: 'CLSM Sud Réunion',
    slug: '',
    communes: 'Saint-Pierre\r\n  Le Tampon \n\nSaint-Pierre\nSaint-Joseph\nsaint pierre\nLE TAMPON',
    timeZone: 'Indian/Reunion',
  });
  t.equal(created.statusCode, 303);
  const [row] = await db.select().from(territory).where(eq(territory.slug, 'clsm-sud-reunion'));
  t.ok(row, 'slug made from the name');
  t.same(row!.communes, ['Saint-Pierre', 'Le Tampon', 'Saint-Joseph'], 'one per line, trimmed, no duplicates (nor the same commune in other capitals or without its hyphen)');
  t.equal(row!.timeZone, 'Indian/Reunion');
  t.equal(created.headers.location, `/admin/territoires/${row!.id}`);
  const page = await a.get(`/admin/territoires/${row!.id}`);
  t.match(visibleText(page.body), /Le territoire « CLSM Sud Réunion » est créé/);
  t.match(visibleText(page.body), /Personne ne coordonne encore ce territoire/);

  const badEdit = await a.post(`/admin/territoires/${row!.id}`, { name: 'CLSM Sud Réunion', slug: 'grenoble', communes: 'Saint-Pierre', timeZone: 'Indian/Reunion' });
  t.equal(badEdit.statusCode, 422);
  t.match(badEdit.body, /<title>Erreur : CLSM Sud Réunion/);
  t.match(visibleText(badEdit.body), /« grenoble » est déjà utilisé/);

  const edited = await a.post(`/admin/territoires/${row!.id}`, { name: 'CLSM Sud', slug: 'sud-reunion', communes: 'Saint-Pierre\nSaint-Louis', timeZone: 'Indian/Reunion' });
  t.equal(edited.statusCode, 303);
  const [after] = await db.select().from(territory).where(eq(territory.id, row!.id));
  t.match(after, { name: 'CLSM Sud', slug: 'sud-reunion', communes: ['Saint-Pierre', 'Saint-Louis'] });
});

t.test('editions: every validation error, then created and closed for proposals', async (t) => {
  const { db, agent } = await buildTestApp(t, { now: NOW });
  await makeEdition(db, { year: 2025, firstDay: '2025-10-06', lastDay: '2025-10-19' });
  const { a } = await admin(agent);

  const form = await a.get('/admin/editions/nouvelle');
  t.match(form.body, /value="2026"/, 'this year by default');
  t.match(form.body, /id="proposalsOpen" name="proposalsOpen" value="oui" checked/);

  const empty = await a.post('/admin/editions/nouvelle', { year: '', theme: '', firstDay: '', lastDay: '' });
  t.equal(empty.statusCode, 422);
  t.match(empty.body, /<title>Erreur : Nouvelle édition/);
  const emptyText = visibleText(empty.body);
  t.match(emptyText, /Le formulaire contient 4 erreurs/);
  t.match(emptyText, /Saisissez l'année de l'édition/);
  t.match(emptyText, /Saisissez le thème national de l'édition/);
  t.match(emptyText, /Saisissez le premier jour de l'édition/);
  t.match(emptyText, /Saisissez le dernier jour de l'édition/);

  const bad = await a.post('/admin/editions/nouvelle', { year: '26', theme: 'Thème', firstDay: '2026-02-30', lastDay: 'demain' });
  const badText = visibleText(bad.body);
  t.match(badText, /L'année doit être un nombre à quatre chiffres/);
  t.match(badText, /Saisissez le premier jour sous la forme JJ\/MM\/AAAA/);
  t.match(badText, /Saisissez le dernier jour sous la forme JJ\/MM\/AAAA/);

  const reversed = await a.post('/admin/editions/nouvelle', { year: '2026', theme: 'Thème', firstDay: '2026-10-19', lastDay: '2026-10-06' });
  t.equal(reversed.statusCode, 422);
  t.match(visibleText(reversed.body), /Le dernier jour doit être le même que le premier jour ou après/);
  t.match(reversed.body, /value="2026-10-19"/);

  const otherYear = await a.post('/admin/editions/nouvelle', { year: '2026', theme: 'Thème', firstDay: '2027-10-05', lastDay: '2026-10-18' });
  t.match(visibleText(otherYear.body), /Le premier jour doit tomber en 2026, l'année de l'édition/);

  const duplicate = await a.post('/admin/editions/nouvelle', { year: '2025', theme: 'Thème', firstDay: '2025-10-06', lastDay: '2025-10-19' });
  t.equal(duplicate.statusCode, 422);
  t.match(visibleText(duplicate.body), /Une édition 2025 existe déjà/);
  t.equal((await db.select().from(edition)).length, 1, 'nothing stored');

  const created = await a.post('/admin/editions/nouvelle', {
    year: '2026',
    theme: 'Pour notre santé mentale, réparons le lien social',
    firstDay: '05/10/2026',
    lastDay: '2026-10-18',
    proposalsOpen: 'oui',
  });
  t.equal(created.statusCode, 303);
  t.equal(created.headers.location, '/admin');
  const [row] = await db.select().from(edition).where(eq(edition.year, 2026));
  t.match(row, { firstDay: '2026-10-05', lastDay: '2026-10-18', proposalsOpen: true });
  t.match(visibleText((await a.get('/admin')).body), /L'édition 2026 est créée/);

  const editForm = await a.get(`/admin/editions/${row!.id}`);
  t.match(editForm.body, /<title>Édition 2026 – Rassembler<\/title>/);
  t.match(editForm.body, /value="2026-10-05"/);
  // Unticked box: proposals closed.
  const closed = await a.post(`/admin/editions/${row!.id}`, { year: '2026', theme: row!.theme, firstDay: '2026-10-05', lastDay: '2026-10-18' });
  t.equal(closed.statusCode, 303);
  const [after] = await db.select().from(edition).where(eq(edition.id, row!.id));
  t.equal(after!.proposalsOpen, false);
  t.match(visibleText((await a.get('/admin')).body), /2026 Pour notre santé mentale, réparons le lien social .* fermées/);

  const badEdit = await a.post(`/admin/editions/${row!.id}`, { year: '2025', theme: row!.theme, firstDay: '2025-10-05', lastDay: '2025-10-18' });
  t.equal(badEdit.statusCode, 422);
  t.match(visibleText(badEdit.body), /Une édition 2025 existe déjà/);
});

t.test('coordinators: named by email (account created, invitation), listed, removed', async (t) => {
  const { db, agent } = await buildTestApp(t, { now: NOW });
  const grenoble = await makeTerritory(db, { name: 'CLSM de Grenoble' });
  const { a, id: adminId } = await admin(agent);

  const bad = await a.post(`/admin/territoires/${grenoble.id}/coordinations`, { email: 'coord' });
  t.equal(bad.statusCode, 422);
  t.match(bad.body, /<title>Erreur : CLSM de Grenoble/);
  t.match(visibleText(bad.body), /L'adresse e-mail de la personne qui coordonne n'est pas valide : vérifiez-la/);

  const named = await a.post(`/admin/territoires/${grenoble.id}/coordinations`, { email: 'Coord@CLSM.example' });
  t.equal(named.statusCode, 303);
  const [coord] = await db.select().from(appUser).where(eq(appUser.email, 'coord@clsm.example'));
  t.ok(coord, 'account created');
  const rows = await db.select().from(membership).where(eq(membership.userId, coord!.id));
  t.same(
    rows.map((r) => [r.role, r.territoryId, r.organisationId]),
    [['coordinator', grenoble.id, null]],
  );
  const { row } = await lastMail(db, 'invitation', 'coord@clsm.example');
  t.equal(row.payload.territoryId, grenoble.id);
  t.equal(row.payload.invitedByUserId, adminId);
  t.match(String(row.payload.url), /^http:\/\/localhost:3000\/connexion\/lien\?jeton=[A-Za-z0-9_-]{43}$/);

  const page = await a.get(`/admin/territoires/${grenoble.id}`);
  t.match(visibleText(page.body), /coord@clsm.example coordonne maintenant ce territoire/);
  t.match(visibleText(page.body), /coord@clsm.example pas encore connecté·e Retirer/);

  const twice = await a.post(`/admin/territoires/${grenoble.id}/coordinations`, { email: 'coord@clsm.example' });
  t.equal(twice.statusCode, 422);
  t.match(visibleText(twice.body), /coord@clsm.example coordonne déjà ce territoire/);
  t.equal((await db.select().from(outbox)).length, 1);

  // The coordinator's space links to the territory's coordination pages.
  const c = agent();
  await c.signInAs('coord@clsm.example');
  const home = await c.get('/espace');
  t.match(home.body, new RegExp(`<a href="/coordination/${grenoble.id}">CLSM de Grenoble</a>`));
  t.notMatch(home.body, /href="\/admin"/, 'no administration link for a coordinator');

  const removed = await a.post(`/admin/territoires/${grenoble.id}/coordinations/${coord!.id}/retirer`);
  t.equal(removed.statusCode, 303);
  t.equal((await db.select().from(membership)).length, 0);
  t.match(visibleText((await a.get(`/admin/territoires/${grenoble.id}`)).body), /La personne ne coordonne plus ce territoire/);
  const again = await a.post(`/admin/territoires/${grenoble.id}/coordinations/${coord!.id}/retirer`);
  t.equal(again.statusCode, 404);
  t.notMatch((await c.get('/espace')).body, /\/coordination\//);
});

t.test('an unknown territory or edition is a 404 page, not an error', async (t) => {
  const { db, agent } = await buildTestApp(t, { now: NOW });
  await makeUser(db);
  const { a } = await admin(agent);
  for (const url of ['/admin/territoires/999999', '/admin/territoires/abc', '/admin/editions/999999', '/admin/editions/0', '/admin/territoires/99999999999999999999']) {
    const res = await a.get(url);
    t.equal(res.statusCode, 404, url);
    t.match(visibleText(res.body), /n'existe pas/);
  }
  const post = await a.post('/admin/territoires/999999/coordinations', { email: 'x@example.org' });
  t.equal(post.statusCode, 404);
});
