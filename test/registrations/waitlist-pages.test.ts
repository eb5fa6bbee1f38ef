// @databases: pglite
// What a waiting person sees and does (docs/decisions/0010): the free seats their group does not
// fit in, on their page and in the mail that tells them; lowering their seats to get in; leaving
// the waiting list. And the places left that the public pages show while a group waits.
import t from 'tap';
import { renderMail } from '../../server/mail-kinds.ts';
import { cancelRegistration } from '../../server/registrations/manage.ts';
import { register } from '../../server/registrations/register.ts';
import { buildTestApp, visibleText } from '../helpers/app.ts';
import { makeRegistration, makeWorld } from '../helpers/factory.ts';
import { mails, occupancy, person } from './helpers.ts';

const now = new Date('2026-09-15T08:00:00Z');

/** The event after A cancelled: C (1 seat) promoted, 1 seat free, B (3 seats) waits first, E (2 seats) behind. */
async function setup(t: Parameters<typeof buildTestApp>[0]) {
  const app = await buildTestApp(t);
  const { event: ev } = await makeWorld(app.db, { capacity: 10, title: 'Café-rencontre' });
  await makeRegistration(app.db, ev.id, { seats: 8 });
  const a = await register(app.db, now, ev.id, person({ seats: 2 }));
  const b = await register(app.db, now, ev.id, person({ name: 'Bintou', email: 'bintou@example.org', seats: 3 }));
  const c = await register(app.db, now, ev.id, person({ seats: 1 }));
  const e = await register(app.db, now, ev.id, person({ name: 'Élise', seats: 2 }));
  if (!a.ok || !b.ok || !c.ok || !e.ok) throw new Error('setup');
  await cancelRegistration(app.db, now, a.registrationId);
  return { ...app, ev, b, c, e };
}

t.test('the public pages count the free seats while a larger group waits', async (t) => {
  const { agent, ev } = await setup(t);
  const a = agent();
  t.match(visibleText((await a.get(`/evenements/${ev.id}`)).body), 'Places 1 place restante (10 places en tout)', 'not « Complet »');
  t.match(visibleText((await a.get(`/evenements/${ev.id}/inscription`)).body), '1 place restante sur 10.');
  const programme = visibleText((await a.get('/programme')).body);
  t.match(programme, /Café-rencontre .* 1 place restante/);
  t.notMatch(programme, /Café-rencontre [^»]* Complet/);
  t.match(visibleText((await a.get('/programme?places=1')).body), 'Café-rencontre', 'kept by « Seulement les événements avec des places »');
});

t.test("the waiting group's page says why it waits and how to get in; lowering its seats confirms it at once", async (t) => {
  const { agent, db, ev, b } = await setup(t);
  const c = agent();
  const page = await c.get(`/inscription/${b.token}`);
  const text = visibleText(page.body);
  t.match(text, "Sur liste d'attente, position 1");
  t.match(text, "1 place est libre, mais votre groupe de 3 personnes n'y tient pas. Un groupe n'est jamais séparé : les places libres vont, dans l'ordre de la liste, aux inscriptions qui y tiennent. Vous gardez votre position.");
  t.match(text, 'Si 1 seule personne de votre groupe peut venir, réduisez le nombre de places à 1 : votre inscription sera confirmée aussitôt.');
  t.match(page.body, '<a href="#places">réduisez le nombre de places à 1</a>');
  t.match(page.body, /<input[^>]* id="places"/, 'the link leads to the seats field');

  const tooMany = await c.post(`/inscription/${b.token}/places`, { places: '2' });
  t.equal(tooMany.statusCode, 303, 'fewer seats are always accepted…');
  const still = await c.get(tooMany.headers.location as string);
  t.match(visibleText(still.body), 'Le nombre de places a été modifié.');
  t.match(visibleText(still.body), "1 place est libre, mais votre groupe de 2 personnes n'y tient pas.", '…but 2 still do not fit in 1');

  const res = await c.post(`/inscription/${b.token}/places`, { places: '1' });
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, `/inscription/${b.token}?fait=places-confirmee`);
  const done = await c.get(res.headers.location as string);
  t.match(done.body, /role="status" aria-live="polite">Le nombre de places a été modifié et votre groupe tient dans les places libres : vous quittez la liste d&#39;attente, votre inscription est confirmée\.</);
  t.match(visibleText(done.body), 'État Confirmée Places 1');
  t.notMatch(visibleText(done.body), "n'y tient pas");
  t.match((await occupancy(db, ev.id)).rows.find((r) => r.id === b.registrationId), { state: 'confirmed', seats: 1, waitlistPosition: null });
  t.same((await mails(db, 'waitlist_promoted')).map((m) => m.payload.registrationId).slice(-1), [b.registrationId]);
});

t.test('the passed-over mail: in French, the free seats, the group size and a link to change the seat count', async (t) => {
  const { db, config, ev, b } = await setup(t);
  const [row] = await mails(db, 'waitlist_passed_over');
  t.same(row!.payload, { registrationId: b.registrationId, freeSeats: 1 });
  t.equal(row!.recipient, 'bintou@example.org');
  const mail = await renderMail(db, config, row!, now);
  if ('skip' in mail || !('text' in mail)) throw new Error(`not a mail: ${'skip' in mail ? mail.skip : 'a text'}`);
  t.equal(mail.subject, '1 place libre, mais pas pour 3 : Café-rencontre');
  t.match(mail.text, 'Bonjour Bintou,');
  t.match(mail.text, "1 place est libre à l'événement ci-dessous, mais votre inscription compte 3 places : le groupe n'y tient pas.");
  t.match(mail.text, 'Votre inscription garde sa position (1).');
  t.match(mail.text, 'Si 1 seule personne du groupe peut venir, réduisez le nombre de places à 1');
  t.match(mail.text, /Changer le nombre de places :\nhttp:\/\/localhost:3000\/inscription\/[A-Za-z0-9_-]{43}#places\n/);
  t.match(visibleText(mail.html), 'Changer le nombre de places');
  t.match(mail.html, /href="http:\/\/localhost:3000\/inscription\/[A-Za-z0-9_-]{43}#places"/);

  // Sent later, when the seat has been taken meanwhile: nothing left to say.
  await register(db, now, ev.id, person({ seats: 1 }));
  t.match(await renderMail(db, config, row!, now), { skip: 'plus de place libre' });
});

t.test("leaving the waiting list: a confirmed choice, the registration cancelled, the positions behind move up", async (t) => {
  const { agent, db, ev, b, e } = await setup(t);
  const c = agent();
  const page = await c.get(`/inscription/${b.token}`);
  const text = visibleText(page.body);
  t.match(text, "Quitter la liste d'attente Vous ne recevrez plus de place pour cet événement : votre inscription sera annulée et les personnes après vous sur la liste avanceront d'un rang.");
  t.match(page.body, /<label for="confirmer-annulation">Je confirme quitter la liste d&#39;attente<\/label>/);
  t.match(page.body, /<button type="submit" class="button-danger">Quitter la liste d&#39;attente<\/button>/);
  t.notMatch(text, 'Annuler mon inscription');

  t.equal((await c.post(`/inscription/${b.token}/annuler`, { confirmer: '1' }, { csrf: false })).statusCode, 403, 'no CSRF token: refused');
  const unconfirmed = await c.post(`/inscription/${b.token}/annuler`, {});
  t.equal(unconfirmed.statusCode, 422);
  t.match(unconfirmed.body, '<li><a href="#confirmer-annulation">');
  t.match(visibleText(unconfirmed.body), "Cochez « Je confirme quitter la liste d'attente » pour la quitter.");
  t.match((await occupancy(db, ev.id)).rows.find((r) => r.id === b.registrationId), { state: 'waitlisted', waitlistPosition: 1 }, 'nothing changed yet');

  const res = await c.post(`/inscription/${b.token}/annuler`, { confirmer: '1' });
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, `/inscription/${b.token}?fait=liste-attente-quittee`);
  const done = await c.get(res.headers.location as string);
  t.match(done.body, /role="status" aria-live="polite">Vous avez quitté la liste d&#39;attente : votre inscription est annulée\.</);
  t.match(visibleText(done.body), 'État Annulée le');
  t.notMatch(done.body, `action="/inscription/${b.token}/annuler"`, 'nothing left to leave');

  const o = await occupancy(db, ev.id);
  t.match(o.rows.find((r) => r.id === b.registrationId), { state: 'cancelled', waitlistPosition: null });
  t.match(o.rows.find((r) => r.id === e.registrationId), { state: 'waitlisted', waitlistPosition: 1 }, 'Élise moves up from 2 to 1');
  t.equal(o.confirmedSeats, 9, 'no seat was held: nothing to give');
  t.same((await mails(db, 'registration_cancelled')).map((m) => m.payload).slice(-1), [{ registrationId: b.registrationId, wasConfirmed: false }]);
});
