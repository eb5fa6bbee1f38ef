// @databases: pglite
// The access journal: rows written by real page views, read and filtered by the territory's
// coordination (and exported as filtered), refused to anyone else; and the person's manage page,
// which says when the organisation last read their needs, never who.
import t, { type Test } from 'tap';
import { auditLog } from '../../server/db/schema.ts';
import { buildTestApp, visibleText } from '../helpers/app.ts';
import { cockpitFixture, NOW } from './fixture.ts';

/** The journal's table alone (the filter's options also name events and actions). */
function tableOf(html: string): string {
  return html.slice(html.indexOf('<tbody>'), html.indexOf('</tbody>'));
}

async function setup(t: Test) {
  const app = await buildTestApp(t, { now: NOW });
  const f = await cockpitFixture(app.db);
  const organiser = app.agent();
  await organiser.signInAs('jardins@example.org');
  const coordination = app.agent();
  await coordination.signInAs('coordination@clsm.example');
  return { ...app, f, organiser, coordination };
}

t.test('what the organiser reads is in the journal, newest first, filterable, exported as filtered', async (t) => {
  const { f, organiser, coordination, clock, db } = await setup(t);
  t.equal((await organiser.get(`/espace/evenements/${f.cine.id}/inscriptions`)).statusCode, 200);
  clock.advance(60 * 60_000);
  t.equal((await organiser.get(`/espace/evenements/${f.jardin.id}/inscriptions.csv`)).statusCode, 200);
  t.equal((await db.select().from(auditLog)).length, 2, 'two audit rows written by the pages');

  const page = await coordination.get(`/coordination/${f.territory.id}/journal`);
  t.equal(page.statusCode, 200);
  const text = visibleText(page.body);
  t.match(text, '2 lignes');
  const csvLine = text.indexOf('a téléchargé la liste (CSV) Jardin partagé');
  const viewLine = text.indexOf('a consulté la liste des inscriptions et des besoins Ciné-débat');
  t.ok(csvLine > 0 && viewLine > csvLine, 'newest first');
  t.match(text, 'Inès Jardin (jardins@example.org)');
  t.match(text, 'mardi 15 septembre 2026 à 11 h 00', 'in the territory time (09:00 UTC)');
  t.match(text, 'mardi 15 septembre 2026 à 10 h 00');

  const filtered = (await coordination.get(`/coordination/${f.territory.id}/journal?action=needs.view`)).body;
  t.match(visibleText(filtered), '1 ligne');
  t.notMatch(visibleText(tableOf(filtered)), 'Jardin partagé', 'the export is filtered out');
  const byEvent = visibleText((await coordination.get(`/coordination/${f.territory.id}/journal?evenement=${f.jardin.id}&du=2026-09-15&au=2026-09-15`)).body);
  t.match(byEvent, '1 ligne');
  t.match(byEvent, 'a téléchargé la liste (CSV)');
  t.match(visibleText((await coordination.get(`/coordination/${f.territory.id}/journal?du=2026-09-16`)).body), 'Aucune ligne');

  const csv = await coordination.get(`/coordination/${f.territory.id}/journal.csv?action=needs.export`);
  t.equal(csv.statusCode, 200);
  t.match(csv.headers['content-type'], 'text/csv');
  t.same(
    csv.body.replace(/^\uFEFF/, '').trim().split('\r\n'),
    ['Date;Personne;E-mail;Action;Événement', 'mardi 15 septembre 2026 à 11 h 00;Inès Jardin;jardins@example.org;a téléchargé la liste (CSV);Jardin partagé'],
  );
});

t.test('a filter that does not make sense is a French 400 with the values kept', async (t) => {
  const { f, coordination } = await setup(t);
  const res = await coordination.get(`/coordination/${f.territory.id}/journal?du=15%2F09%2F2026&action=effacer&evenement=${f.other.id}`);
  t.equal(res.statusCode, 400);
  const text = visibleText(res.body);
  t.match(text, 'La date de début doit être une date');
  t.match(text, 'Choisissez une action de la liste.');
  t.match(text, "Choisissez un événement de la liste.", "another territory's event is not in the list");
  t.match(res.body, 'value="15/09/2026"', 'the typed date is kept');
  t.equal((await coordination.get(`/coordination/${f.territory.id}/journal.csv?au=demain`)).statusCode, 400);
});

t.test("only the territory's coordination and administrators read its journal", async (t) => {
  const { f, organiser, agent } = await setup(t);
  for (const path of [`/coordination/${f.territory.id}/journal`, `/coordination/${f.territory.id}/journal.csv`]) {
    const other = agent();
    await other.signInAs('coordination@cayenne.example');
    t.equal((await other.get(path)).statusCode, 403, `another territory's coordinator: ${path}`);
    t.equal((await organiser.get(path)).statusCode, 403, `an organiser: ${path}`);
    t.equal((await agent().get(path)).statusCode, 303, `signed out: to sign in (${path})`);
    const admin = agent();
    await admin.signInAs('admin@example.org', { isAdmin: true });
    t.equal((await admin.get(path)).statusCode, 200, `an administrator: ${path}`);
  }
});

t.test('the person sees when the organisation read their needs, never who', async (t) => {
  const { f, organiser, agent, clock } = await setup(t);
  const person = agent();
  const before = visibleText((await person.get(`/inscription/${f.awa.token}`)).body);
  t.match(before, "Pas encore consultés par l'organisation.");
  clock.advance(30 * 60_000);
  t.equal((await organiser.get(`/espace/evenements/${f.cine.id}/inscriptions`)).statusCode, 200, 'the organiser reads the list');
  const after = (await person.get(`/inscription/${f.awa.token}`)).body;
  t.match(visibleText(after), "Consultés par l'organisation le mardi 15 septembre 2026 à 10 h 30.");
  t.notMatch(after, /Inès|jardins@example\.org/, 'no name, no address of who read them');
});
