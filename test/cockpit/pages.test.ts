// @databases: pglite
// /espace/a-traiter as each person sees it: the counts at a glance and the lists linking to where
// each thing is resolved, for their own territories and organisations only.
import t, { type Test } from 'tap';
import { outbox } from '../../server/db/schema.ts';
import { buildTestApp, visibleText } from '../helpers/app.ts';
import { cockpitFixture, NOW } from './fixture.ts';

async function setup(t: Test) {
  const app = await buildTestApp(t, { now: NOW });
  const fixture = await cockpitFixture(app.db);
  return { ...app, f: fixture };
}

t.test('the coordinator sees what needs them, counted, each line linking to where it is resolved', async (t) => {
  const { agent, f } = await setup(t);
  const a = agent();
  await a.signInAs('coordination@clsm.example');
  const res = await a.get('/espace/a-traiter');
  t.equal(res.statusCode, 200);
  const text = visibleText(res.body);
  for (const count of [
    '1 proposition à relire',
    "3 besoins d'accessibilité sans réponse",
    '1 besoin répondu « pas possible »',
    '1 personne à prévenir par téléphone',
    "1 événement complet avec liste d'attente",
    "1 événement sans aucun aménagement d'accessibilité",
  ])
    t.match(text, count, count);
  t.notMatch(text, 'modifié après publication', 'no count for what is empty');
  t.match(text, "Jardin partagé : 2 besoins sans réponse — Les Jardins du Lien, date limite des besoins dépassée depuis 5 jours");
  t.match(text, 'Ciné-débat : 1 besoin sans réponse — Les Jardins du Lien, 7 jours avant la date limite des besoins');
  const jardinNeeds = res.body.indexOf(`href="/espace/evenements/${f.jardin.id}/inscriptions#besoins"`);
  const cineNeeds = res.body.indexOf(`href="/espace/evenements/${f.cine.id}/inscriptions#besoins"`);
  t.ok(jardinNeeds > 0 && cineNeeds > jardinNeeds, 'overdue first, each linking to the needs of its event');
  t.match(res.body, `href="/coordination/evenements/${f.proposal.id}"`, 'the proposal links to its review');
  t.match(res.body, `href="/espace/evenements/${f.jardin.id}/inscriptions#a-prevenir"`, 'the call links to the call list');
  t.notMatch(text, 'Cayenne', "nothing of another territory");
  t.notMatch(text, 'Atelier passé', 'nothing of an ended event');
});

t.test("another territory's coordinator sees their own territory only", async (t) => {
  const { agent } = await setup(t);
  const a = agent();
  await a.signInAs('coordination@cayenne.example');
  const text = visibleText((await a.get('/espace/a-traiter')).body);
  t.match(text, 'Coordination : Cayenne');
  t.match(text, "1 besoin d'accessibilité sans réponse");
  t.notMatch(text, 'Grenoble-Alpes');
  t.notMatch(text, 'Ciné-débat');
});

t.test("the organiser sees their organisation's events with their figures", async (t) => {
  const { agent } = await setup(t);
  const a = agent();
  await a.signInAs('jardins@example.org');
  const text = visibleText((await a.get('/espace/a-traiter')).body);
  t.match(text, "3 besoins d'accessibilité à répondre");
  t.match(text, '1 proposition à modifier à la demande de la coordination');
  t.match(text, "Ciné-débat mardi 6 octobre 2026 à 14 h 00");
  t.match(text, "4 / 4 1 inscription (3 places) 1 sans réponse, 1 prévu, 1 pas possible dans 7 jours");
  t.match(text, "1 (entrée libre) — 2 sans réponse, 0 prévu, 0 pas possible passée");
  t.notMatch(text, 'Coordination :', 'a member coordinates nothing');
});

t.test('an administrator sees the failed mails; a person with nothing to do is told so', async (t) => {
  const { agent, db } = await setup(t);
  await db.insert(outbox).values([
    { kind: 'registration_confirmed', recipient: 'a@example.org', status: 'failed' },
    { kind: 'registration_confirmed', recipient: 'b@example.org', status: 'failed' },
    { kind: 'registration_confirmed', recipient: 'c@example.org', status: 'sent' },
  ]);
  const admin = agent();
  await admin.signInAs('admin@example.org', { isAdmin: true });
  const page = await admin.get('/espace/a-traiter');
  t.match(visibleText(page.body), '2 courriels ou SMS en échec');
  t.match(page.body, 'href="/admin/courriels"');

  const nobody = agent();
  await nobody.signInAs('personne@example.org');
  const text = visibleText((await nobody.get('/espace/a-traiter')).body);
  t.match(text, "Vous ne coordonnez aucun territoire et n'êtes membre d'aucune organisation");
  t.notMatch(text, 'en échec', 'failed mails are for administrators');
});

t.test('signed out: sent to sign in, and back here after', async (t) => {
  const { agent } = await setup(t);
  const res = await agent().get('/espace/a-traiter');
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, `/connexion?retour=${encodeURIComponent('/espace/a-traiter')}`);
});
