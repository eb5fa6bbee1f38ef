// @databases: pglite
import t from 'tap';
import { and, eq } from 'drizzle-orm';
import { appUser, membership, organisation, outbox, signInToken } from '../../server/db/schema.ts';
import { hashToken } from '../../server/lib/tokens.ts';
import { makeEdition, makeEvent, makeMember, makeOrganisation, makeTerritory, makeUser } from '../helpers/factory.ts';
import { buildTestApp, visibleText } from '../helpers/app.ts';
import { lastMail } from './helpers.ts';

const NOW = '2026-09-15T08:00:00.000Z';

t.test('creating an organisation: every validation error, values kept, then created with its creator as member', async (t) => {
  const { db, agent } = await buildTestApp(t, { now: NOW });
  const grenoble = await makeTerritory(db, { name: 'CLSM de Grenoble' });
  await makeTerritory(db, { name: 'CLSM Sud Réunion', timeZone: 'Indian/Reunion' });
  const a = agent();
  const userId = await a.signInAs('fondatrice@example.org');

  const home = await a.get('/espace');
  t.match(home.body, /href="\/espace\/organisations\/nouvelle">Créer une organisation/);

  const form = await a.get('/espace/organisations/nouvelle');
  t.equal(form.statusCode, 200);
  t.match(visibleText(form.body), /Territoire \(CLSM\)/);
  t.match(form.body, /<option value="\d+">CLSM de Grenoble<\/option>/);
  t.match(form.body, /<option value="gem">GEM \(groupe d&#39;entraide mutuelle\)<\/option>/);

  const empty = await a.post('/espace/organisations/nouvelle', { name: '', kind: '', territoryId: '' });
  t.equal(empty.statusCode, 422);
  t.match(empty.body, /<title>Erreur : Créer une organisation – Rassembler<\/title>/);
  const emptyText = visibleText(empty.body);
  t.match(emptyText, /Le formulaire contient 3 erreurs/);
  t.match(emptyText, /Saisissez le nom de l'organisation\./);
  t.match(emptyText, /Choisissez le type d'organisation\./);
  t.match(emptyText, /Choisissez le territoire où agit votre organisation\./);
  for (const id of ['name', 'kind', 'territoryId']) t.match(empty.body, new RegExp(`<a href="#${id}">`), `summary links to ${id}`);

  const bad = await a.post('/espace/organisations/nouvelle', {
    name: 'GEM Les Amis du Lien',
    kind: 'club_de_petanque',
    territoryId: '999999',
    contactEmail: 'contact@',
    contactPhone: 'appelez-nous',
    website: 'pas un site',
  });
  t.equal(bad.statusCode, 422);
  const badText = visibleText(bad.body);
  t.match(badText, /Choisissez le type d'organisation\./);
  t.match(badText, /Choisissez le territoire où agit votre organisation\./, 'an unknown territory is refused');
  t.match(badText, /L'adresse e-mail de contact n'est pas valide/);
  t.match(badText, /Saisissez un numéro de téléphone valide/);
  t.match(badText, /Saisissez une adresse de site web valide/);
  t.match(bad.body, /value="GEM Les Amis du Lien"/, 'values kept');
  t.match(bad.body, /value="appelez-nous"/);
  t.match(bad.body, /<input id="contactEmail" name="contactEmail" type="email" value="contact@"[^>]*aria-describedby="contactEmail-error" aria-invalid="true"/);
  t.equal((await db.select().from(organisation)).length, 0, 'nothing stored');

  const created = await a.post('/espace/organisations/nouvelle', {
    name: 'GEM Les Amis du Lien',
    kind: 'gem',
    territoryId: String(grenoble.id),
    contactEmail: 'Contact@Amis-du-lien.example',
    contactPhone: '04 76 12 34 56',
    website: 'www.amis-du-lien.example',
  });
  t.equal(created.statusCode, 303);
  const [org] = await db.select().from(organisation);
  t.equal(created.headers.location, `/espace/organisations/${org!.id}`);
  t.match(org, {
    name: 'GEM Les Amis du Lien',
    kind: 'gem',
    territoryId: grenoble.id,
    contactEmail: 'contact@amis-du-lien.example',
    contactPhone: '04 76 12 34 56',
    website: 'https://www.amis-du-lien.example/',
  });
  const members = await db.select().from(membership).where(eq(membership.organisationId, org!.id));
  t.same(
    members.map((m) => [m.userId, m.role]),
    [[userId, 'member']],
    'the creator is its member',
  );

  const page = await a.get(`/espace/organisations/${org!.id}`);
  const text = visibleText(page.body);
  t.match(text, /L'organisation « GEM Les Amis du Lien » est créée/);
  t.match(text, /Type GEM \(groupe d'entraide mutuelle\)/);
  t.match(text, /Territoire CLSM de Grenoble/);
  t.match(text, /fondatrice@example.org \(vous\)/);
  t.match(text, /Seul membre/);
  t.match(page.body, new RegExp(`href="/espace/organisations/${org!.id}/evenements/nouveau">Proposer un événement`));

  const again = await a.get('/espace');
  t.match(again.body, new RegExp(`<a href="/espace/organisations/${org!.id}">GEM Les Amis du Lien</a>`));
});

t.test('without any territory, the form says whom to contact', async (t) => {
  const { agent } = await buildTestApp(t, { now: NOW });
  const a = agent();
  await a.signInAs('fondatrice@example.org');
  const form = await a.get('/espace/organisations/nouvelle');
  t.match(visibleText(form.body), /Aucun territoire n'est encore ouvert/);
  t.notMatch(form.body, /<form method="post" action="\/espace\/organisations\/nouvelle"/);
});

t.test('editing an organisation keeps its territory', async (t) => {
  const { db, agent } = await buildTestApp(t, { now: NOW });
  const territory = await makeTerritory(db, { name: 'CLSM de Grenoble' });
  const other = await makeTerritory(db);
  const org = await makeOrganisation(db, territory.id, { name: 'Ancien nom' });
  const a = agent();
  const userId = await a.signInAs('membre@example.org');
  await makeMember(db, userId, org.id);

  const form = await a.get(`/espace/organisations/${org.id}/modifier`);
  t.match(form.body, /value="Ancien nom"/);
  t.match(visibleText(form.body), /Territoire : CLSM de Grenoble/);

  const bad = await a.post(`/espace/organisations/${org.id}/modifier`, { name: '', kind: 'association', website: 'ftp://x.example' });
  t.equal(bad.statusCode, 422);
  t.match(bad.body, /<title>Erreur : Modifier/);
  t.match(visibleText(bad.body), /Saisissez le nom de l'organisation\..*Saisissez une adresse de site web valide/);

  const ok = await a.post(`/espace/organisations/${org.id}/modifier`, { name: 'Nouveau nom', kind: 'bibliotheque', territoryId: String(other.id) });
  t.equal(ok.statusCode, 303);
  const [row] = await db.select().from(organisation).where(eq(organisation.id, org.id));
  t.match(row, { name: 'Nouveau nom', kind: 'bibliotheque', territoryId: territory.id, contactEmail: null, website: null });
  const page = await a.get(`/espace/organisations/${org.id}`);
  t.match(visibleText(page.body), /Les informations de l’organisation sont enregistrées/);
});

t.test('inviting a member: account created, membership, invitation mail with a week-long link', async (t) => {
  const { db, agent, clock } = await buildTestApp(t, { now: NOW });
  const territory = await makeTerritory(db);
  const org = await makeOrganisation(db, territory.id, { name: 'Club Sport Ensemble' });
  const a = agent();
  const inviterId = await a.signInAs('membre@example.org');
  await makeMember(db, inviterId, org.id);

  const bad = await a.post(`/espace/organisations/${org.id}/invitations`, { email: 'collegue@' });
  t.equal(bad.statusCode, 422);
  t.match(bad.body, /<title>Erreur : Club Sport Ensemble/);
  t.match(visibleText(bad.body), /L'adresse e-mail de la personne à inviter n'est pas valide/);
  t.match(bad.body, /value="collegue@"/);

  const res = await a.post(`/espace/organisations/${org.id}/invitations`, { email: 'Collegue@Example.org' });
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, `/espace/organisations/${org.id}`);
  const [invited] = await db.select().from(appUser).where(eq(appUser.email, 'collegue@example.org'));
  t.ok(invited, 'account created');
  const memberships = await db.select().from(membership).where(and(eq(membership.organisationId, org.id), eq(membership.userId, invited!.id)));
  t.equal(memberships.length, 1);

  const { row, url, token } = await lastMail(db, 'invitation', 'collegue@example.org');
  t.same(Object.keys(row.payload).sort(), ['expiresAt', 'invitedByUserId', 'organisationId', 'url']);
  t.equal(row.payload.organisationId, org.id);
  t.equal(row.payload.invitedByUserId, inviterId);
  t.equal(row.payload.expiresAt, '2026-09-22T08:00:00.000Z');
  t.equal(url.pathname, '/connexion/lien');
  const [stored] = await db.select().from(signInToken).where(eq(signInToken.email, 'collegue@example.org'));
  t.equal(stored!.tokenHash, hashToken(token), 'only the hash is stored');

  const page = await a.get(`/espace/organisations/${org.id}`);
  const text = visibleText(page.body);
  t.match(text, /Invitation envoyée à collegue@example.org/);
  t.match(text, /collegue@example.org pas encore connecté·e/);

  const twice = await a.post(`/espace/organisations/${org.id}/invitations`, { email: 'collegue@example.org' });
  t.equal(twice.statusCode, 422);
  t.match(visibleText(twice.body), /collegue@example.org est déjà membre de l'organisation/);
  t.equal((await db.select().from(outbox)).length, 1, 'no second mail');

  // Six days later the invited person uses the link and finds the organisation.
  clock.advance(6 * 24 * 60 * 60 * 1000);
  const b = agent();
  const open = await b.get(url.pathname + url.search);
  t.equal(open.statusCode, 200);
  const signed = await b.post('/connexion/lien', { jeton: token });
  t.equal(signed.statusCode, 303);
  const home = await b.get('/espace');
  t.match(home.body, new RegExp(`<a href="/espace/organisations/${org.id}">Club Sport Ensemble</a>`));
});

t.test('removing members: never the last one; leaving sends you home', async (t) => {
  const { db, agent } = await buildTestApp(t, { now: NOW });
  const territory = await makeTerritory(db);
  const org = await makeOrganisation(db, territory.id, { name: 'Médiathèque' });
  const a = agent();
  const meId = await a.signInAs('moi@example.org');
  await makeMember(db, meId, org.id);

  const alone = await a.post(`/espace/organisations/${org.id}/membres/${meId}/retirer`);
  t.equal(alone.statusCode, 422);
  t.match(visibleText(alone.body), /Une organisation garde au moins un membre/);
  t.match(alone.body, /<a href="#membres">/);
  t.equal((await db.select().from(membership)).length, 1);

  const other = await makeUser(db, { email: 'autre@example.org' });
  await makeMember(db, other.id, org.id);
  const stranger = await makeUser(db);
  const notMember = await a.post(`/espace/organisations/${org.id}/membres/${stranger.id}/retirer`);
  t.equal(notMember.statusCode, 404);

  const removed = await a.post(`/espace/organisations/${org.id}/membres/${other.id}/retirer`);
  t.equal(removed.statusCode, 303);
  t.same(
    (await db.select().from(membership)).map((m) => m.userId),
    [meId],
  );
  const page = await a.get(`/espace/organisations/${org.id}`);
  t.match(visibleText(page.body), /La personne a été retirée de l’organisation/);
  t.notMatch(visibleText(page.body), /autre@example.org/);

  await makeMember(db, other.id, org.id);
  const leave = await a.post(`/espace/organisations/${org.id}/membres/${meId}/retirer`);
  t.equal(leave.statusCode, 303);
  t.equal(leave.headers.location, '/espace');
  const home = await a.get('/espace');
  t.match(visibleText(home.body), /Vous avez quitté l'organisation « Médiathèque »/);
  t.equal((await a.get(`/espace/organisations/${org.id}`)).statusCode, 403, 'no longer theirs');
});

t.test("the organisation page lists the organisation's events, in the territory's time", async (t) => {
  const { db, agent } = await buildTestApp(t, { now: NOW });
  const territory = await makeTerritory(db, { timeZone: 'Indian/Reunion' });
  const ed = await makeEdition(db);
  const org = await makeOrganisation(db, territory.id);
  const a = agent();
  await makeMember(db, await a.signInAs('membre@example.org'), org.id);
  const ev = await makeEvent(db, { editionId: ed.id, territoryId: territory.id, organisationId: org.id }, { title: 'Balade du lien', state: 'submitted' });
  const page = await a.get(`/espace/organisations/${org.id}`);
  t.match(page.body, new RegExp(`<a href="/espace/evenements/${ev.id}">Balade du lien</a>`));
  t.match(visibleText(page.body), /mardi 6 octobre 2026 à 16 h 00, Proposé, en attente de relecture/);
});

t.test('profile: a name, or an error when too long', async (t) => {
  const { db, agent } = await buildTestApp(t, { now: NOW });
  const a = agent();
  const id = await a.signInAs('moi@example.org');
  const long = await a.post('/espace/profil', { name: 'x'.repeat(121) });
  t.equal(long.statusCode, 422);
  t.match(long.body, /<title>Erreur : Mon espace/);
  t.match(visibleText(long.body), /Votre nom doit faire au plus 120 caractères/);
  const ok = await a.post('/espace/profil', { name: '  Camille Martin ' });
  t.equal(ok.statusCode, 303);
  const [row] = await db.select().from(appUser).where(eq(appUser.id, id));
  t.equal(row!.name, 'Camille Martin');
  t.match(visibleText((await a.get('/espace')).body), /en tant que Camille Martin/);
});
