// @databases: pglite
// What the programme and event pages say (issue 15, item 10): grammar read aloud, a cancelled
// event that no longer invites requests, a printed programme a person without internet can use,
// a print button only where it works, and name fields that stop where the server would refuse.
// Each check fails on the main before issue 15.
import t from 'tap';
import { buildTestApp, visibleText } from '../helpers/app.ts';
import { makeEvent } from '../helpers/factory.ts';
import { makeProgramme } from './world.ts';

const { app, db } = await buildTestApp(t);
const w = await makeProgramme(db);
const get = (url: string) => app.inject({ url });
const html = (body: string) => body.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');

t.test('no result: « Aucun événement ne correspond », in the heading and in the status', async (t) => {
  const res = await get('/programme?access=lsf&access=quiet_space');
  t.match(visibleText(res.body), 'Aucun événement ne correspond à vos filtres');
  t.notMatch(res.body, 'correspondent');
  const hx = await app.inject({ url: '/programme?access=lsf&access=quiet_space', headers: { 'hx-request': 'true' } });
  t.match(hx.body, /<h2 id="resultats-titre" class="results-count">Aucun événement ne correspond à vos filtres<\/h2>/);
  t.match(hx.body, /hx-swap-oob="innerHTML">Aucun événement ne correspond à ces filtres\.<\/div>/);
});

t.test('a cancelled event no longer invites accommodation requests', async (t) => {
  const refs = { editionId: w.edition.id, territoryId: w.isere.id, organisationId: w.gem.id, venueId: w.jardinVenue.id };
  const cancelled = await makeEvent(db, refs, { title: 'Pique-nique annulé', state: 'cancelled', accessibilityOffered: [] });
  const open = await makeEvent(db, refs, { title: 'Pique-nique maintenu', accessibilityOffered: [] });
  const page = visibleText((await get(`/evenements/${cancelled.id}`)).body);
  t.match(page, "Aucun aménagement n'est annoncé pour l'instant.");
  t.notMatch(page, 'Vous pouvez en demander un', 'cancelled: no invitation');
  t.match(visibleText((await get(`/evenements/${open.id}`)).body), 'Vous pouvez en demander un', 'still there for an event that takes place');
});

t.test('the printed programme: the address of each event, whom to call, where the programme lives', async (t) => {
  const res = html((await get('/programme?tout=1')).body);
  t.match(res, '<p class="print-details">Programme en ligne et inscriptions : http://localhost:3000/programme. Sans internet : appelez l\'organisation indiquée sous chaque événement.</p>');
  const text = res.replace(/<[^>]+>/g, '');
  t.match(text, "Adresse : Jardin des Lilas, 12 rue des Lilas, 38000 Grenoble. Organisation : GEM L'Entre-Deux, tél. 04 76 44 12 87.");
  t.match(text, 'Adresse : Case Sainte-Anne, 3 rue Sainte-Anne, 97400 Saint-Denis. Organisation : Ville de Saint-Denis. S’inscrire', 'no phone given: none printed');
  t.match(res, '<button type="button" class="button button-secondary" data-print hidden>Imprimer le programme</button>', 'the print button is shown by the script only');
});

t.test('the name fields of the registration form stop at 120 characters', async (t) => {
  const res = await get(`/evenements/${w.jardin.id}/inscription`);
  t.match(res.body, /<input id="nom" name="nom" type="text" value=""[^>]* maxlength="120"/);
  t.match(res.body, /<input id="contact-nom" name="contact-nom" type="text" value=""[^>]* maxlength="120"/);
});
