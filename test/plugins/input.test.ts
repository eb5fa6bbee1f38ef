// @databases: pglite
// Hostile input: NUL bytes, JSON bodies, over-long values. Never a 500; a French 4xx or the
// value cleaned, and nothing already stored lost.
import t from 'tap';
import { buildTestApp, visibleText } from '../helpers/app.ts';
import { makeWorld } from '../helpers/factory.ts';
import { outbox, registration } from '../../server/db/schema.ts';

t.test('a NUL byte in a query: the page and the feed answer, the byte ignored', async (t) => {
  const { agent, db } = await buildTestApp(t);
  const { event: ev } = await makeWorld(db, { title: 'Atelier jardin partagé' });
  const a = agent();
  const page = await a.get('/programme?q=jardin%00');
  t.equal(page.statusCode, 200);
  t.match(visibleText(page.body), ev.title, 'searched as « jardin »');
  const feed = await a.get('/programme/agenda.ics?q=%00');
  t.equal(feed.statusCode, 200);
  t.match(feed.body, 'BEGIN:VCALENDAR');
});

t.test('a NUL byte in a form: the registration goes through, stored without it', async (t) => {
  const { agent, db } = await buildTestApp(t);
  const { event: ev } = await makeWorld(db, { capacity: 10 });
  const res = await agent().post(`/evenements/${ev.id}/inscription`, { nom: 'Awa\u0000 Diallo', email: 'awa@example.org', places: '1' });
  t.equal(res.statusCode, 303);
  const rows = await db.select({ name: registration.name }).from(registration);
  t.same(rows, [{ name: 'Awa Diallo' }]);
});

t.test('a JSON body to a form route: 415 in French, nothing stored', async (t) => {
  const { agent, db } = await buildTestApp(t);
  const { event: ev } = await makeWorld(db, { capacity: 10 });
  const a = agent();
  const csrf = await a.ensureCsrf();
  const res = await a.request({
    method: 'POST',
    url: `/evenements/${ev.id}/inscription`,
    payload: JSON.stringify({ _csrf: csrf, nom: 42, email: ['a@example.org'], places: 1 }),
    headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
  });
  t.equal(res.statusCode, 415);
  t.match(visibleText(res.body), "Le format de l'envoi n'est pas pris en charge.");
  t.equal((await db.select().from(registration)).length, 0);
});

t.test('a value a form cannot send, or too long: 400 in French', async (t) => {
  const { agent, db } = await buildTestApp(t);
  const { event: ev } = await makeWorld(db, { capacity: 10 });
  const long = await agent().get(`/programme?q=${'a'.repeat(20_001)}`);
  t.equal(long.statusCode, 400);
  t.match(visibleText(long.body), 'Un champ dépasse 20 000 caractères');
  const a = agent();
  const res = await a.post(`/evenements/${ev.id}/inscription`, { nom: 'x'.repeat(20_001), email: 'awa@example.org', places: '1' });
  t.equal(res.statusCode, 400);
  t.match(res.body, /<html lang="fr" dir="ltr">/);
  t.equal((await db.select().from(registration)).length, 0);
});

t.test('an address with a display name or a second address is refused (422), nothing stored or sent', async (t) => {
  const { agent, db } = await buildTestApp(t);
  const { event: ev } = await makeWorld(db, { capacity: 10 });
  for (const email of ['a<victim@evil.example>', 'victim@evil.example,x']) {
    const res = await agent().post(`/evenements/${ev.id}/inscription`, { nom: 'Awa Diallo', email, places: '1' });
    t.equal(res.statusCode, 422, `registration: ${email}`);
    t.match(visibleText(res.body), "L'adresse e-mail n'est pas valide", `registration: ${email}`);
    const signIn = await agent().post('/connexion', { email });
    t.equal(signIn.statusCode, 422, `sign-in: ${email}`);
  }
  t.equal((await db.select().from(registration)).length, 0);
  t.equal((await db.select().from(outbox)).length, 0, 'no mail queued');
});
