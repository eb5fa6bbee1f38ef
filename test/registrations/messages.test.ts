// @databases: pglite
// « Écrire aux personnes inscrites » over HTTP: the form says who gets the message and how; sending
// keeps the message once and tells each confirmed or waiting person on their own channel
// (e-mail, SMS, call list: decision 0011), never a cancelled one; the mail and the text as sent;
// every validation error; only the event's managers may write.
import t from 'tap';
import { asc, eq } from 'drizzle-orm';
import { callRequest, eventMessage, outbox, registration } from '../../server/db/schema.ts';
import { renderMail } from '../../server/mail-kinds.ts';
import { register } from '../../server/registrations/register.ts';
import { SMS_MAX } from '../../server/registrations/sms-texts.ts';
import { buildTestApp, visibleText } from '../helpers/app.ts';
import { makeCoordinator, makeMember, makeTerritory, makeUser, makeWorld } from '../helpers/factory.ts';
import { person } from './helpers.ts';

const now = new Date('2026-09-20T08:00:00Z');

async function setup(t: Parameters<typeof buildTestApp>[0]) {
  const app = await buildTestApp(t, { now });
  const { db } = app;
  const w = await makeWorld(app.db, { title: 'Atelier chant partagé', capacity: 4 });
  const other = await makeWorld(db);
  const member = await makeUser(db, { email: 'orga@example.org', name: 'Odile Orga' });
  await makeMember(db, member.id, w.organisation.id);
  const stranger = await makeUser(db, { email: 'autre-asso@example.org' });
  await makeMember(db, stranger.id, other.organisation.id);
  const farCoordinator = await makeUser(db, { email: 'autre-clsm@example.org' });
  await makeCoordinator(db, farCoordinator.id, (await makeTerritory(db)).id);
  const reg = async (values: Parameters<typeof person>[0]) => {
    const r = await register(db, now, w.event.id, person(values));
    if (!r.ok) throw new Error('setup');
    return r.registrationId;
  };
  const ids = {
    mail: await reg({ name: 'Awa Mail', email: 'awa@example.org' }),
    text: await reg({ name: 'Bruno Texto', email: null, phone: '+33612345678', smsConsent: true }),
    call: await reg({ name: 'Chloé Appel', email: null, phone: '+33476000000' }),
    waiting: await reg({ name: 'Driss Attente', email: 'driss@example.org', seats: 2 }),
    cancelled: await reg({ name: 'Eve Annulée', email: 'eve@example.org' }),
  };
  const otherReg = await register(db, now, other.event.id, person({ name: 'Ailleurs', email: 'ailleurs@example.org' }));
  if (!otherReg.ok) throw new Error('setup');
  await db.update(registration).set({ state: 'cancelled', waitlistPosition: null, cancelledAt: now }).where(eq(registration.id, ids.cancelled));
  // Only the registrations' own notices so far: the test looks at what the message adds.
  await db.delete(outbox);
  await db.delete(callRequest);
  const a = app.agent();
  await a.signInAs('orga@example.org');
  return { ...app, w, other, member, ids, a };
}

const rows = async (db: Awaited<ReturnType<typeof setup>>['db']) => ({
  outbox: await db.select().from(outbox).orderBy(asc(outbox.id)),
  calls: await db.select().from(callRequest).orderBy(asc(callRequest.id)),
  messages: await db.select().from(eventMessage).orderBy(asc(eventMessage.id)),
});

t.test('the form says who gets the message and how; sending reaches each confirmed or waiting person on their channel', async (t) => {
  const { a, db, w, ids, member, config, clock } = await setup(t);
  const list = await a.get(`/espace/evenements/${w.event.id}/inscriptions`);
  t.match(list.body, `<a class="button button-secondary" href="/espace/evenements/${w.event.id}/message">Écrire aux personnes inscrites</a>`);
  t.match(visibleText(list.body), "Messages aux personnes inscrites Aucun message envoyé pour l'instant.");

  const form = await a.get(`/espace/evenements/${w.event.id}/message`);
  t.equal(form.statusCode, 200);
  const text = visibleText(form.body);
  t.match(text, 'Le message part à 4 personnes inscrites (confirmées ou en liste d’attente ; pas aux inscriptions annulées)');
  t.match(text, '2 personnes par e-mail');
  t.match(text, '1 personne par SMS');
  t.match(text, '1 personne à prévenir par téléphone');
  t.match(form.body, '<label for="objet">Objet <span class="required">(obligatoire)</span></label>');
  t.match(form.body, '<label for="message">Message <span class="required">(obligatoire)</span></label>');
  t.match(form.body, '<input type="hidden" name="_csrf"');

  const body = 'Bonjour à toutes et à tous,\n\nL’atelier a lieu salle B, au premier étage (ascenseur à gauche de l’accueil).';
  const sent = await a.post(`/espace/evenements/${w.event.id}/message`, { objet: 'Changement de salle', message: body });
  t.equal(sent.statusCode, 303);
  const { outbox: queued, calls, messages } = await rows(db);
  t.match(messages, [{ eventId: w.event.id, authorUserId: member.id, subject: 'Changement de salle', body, emails: 2, texts: 1, calls: 1, createdAt: now }], 'kept once, with who wrote it');
  const messageId = messages[0]!.id;
  t.equal(sent.headers.location, `/espace/evenements/${w.event.id}/inscriptions?message=${messageId}#messages`);
  t.same(
    queued.map((r) => [r.kind, r.channel, r.recipient, r.payload, r.dedupeKey]),
    [
      ['organiser_message', 'email', 'awa@example.org', { messageId, registrationId: ids.mail }, `organiser_message:${messageId}:${ids.mail}`],
      ['organiser_message', 'sms', '+33612345678', { messageId, registrationId: ids.text }, `organiser_message:${messageId}:${ids.text}`],
      ['organiser_message', 'email', 'driss@example.org', { messageId, registrationId: ids.waiting }, `organiser_message:${messageId}:${ids.waiting}`],
    ],
    'e-mail, else a text with consent; the waiting list too; never the cancelled registration nor another event’s',
  );
  t.same(calls.map((c) => [c.registrationId, c.kind]), [[ids.call, 'organiser_message']], 'no e-mail, no texts: on the call list');

  const page = await a.get(sent.headers.location as string);
  const after = visibleText(page.body);
  t.match(after, 'Message « Changement de salle » envoyé : 2 par e-mail, 1 par SMS, 1 à prévenir par téléphone (ci-dessous).');
  t.match(after, "Chloé Appel +33 4 76 00 00 00 Message de l'organisation à lui lire : « Changement de salle » (texte complet dans « Messages aux personnes inscrites »)");
  t.match(after, 'Changement de salle Envoyé le dimanche 20 septembre 2026 à 10 h 00 par Odile Orga : 2 par e-mail, 1 par SMS, 1 à prévenir par téléphone.');
  t.match(after, 'salle B, au premier étage');

  // The mail and the text, as the worker renders them.
  const mail = await renderMail(db, config, queued[0]!, clock.now());
  if (!('text' in mail)) throw new Error('a mail was expected');
  t.equal(mail.subject, 'Changement de salle – Atelier chant partagé');
  t.match(mail.text, `${w.organisation.name} écrit aux personnes inscrites à l'événement ci-dessous :\n\nChangement de salle\n\n${body}`);
  t.match(mail.text, /Pour changer le nombre de places[^\n]*\n[^\n]*http:\/\/localhost:3000\/inscription\/[\w-]{43}/, 'with the manage link');
  t.match(mail.html, 'white-space:pre-wrap;">Bonjour à toutes et à tous,\n\nL’atelier');
  const sms = await renderMail(db, config, queued[1]!, clock.now());
  if (!('sms' in sms)) throw new Error('a text was expected');
  t.equal(sms.sms, `Rassembler, message pour "Atelier chant partagé" : Changement de salle. Bonjour à toutes et à tous, L'atelier a lieu salle B, au premier étage (ascenseur à gauche de l'accueil).`);

  // A message too long for a text keeps its beginning, in two parts at most.
  const long = await a.post(`/espace/evenements/${w.event.id}/message`, { objet: 'Programme détaillé', message: 'Le déroulé de l’après-midi. '.repeat(60) });
  t.equal(long.statusCode, 303);
  const [longText] = (await rows(db)).outbox.filter((r) => r.channel === 'sms' && r.payload.messageId !== messageId);
  const cut = await renderMail(db, config, longText!, clock.now());
  if (!('sms' in cut)) throw new Error('a text was expected');
  t.ok(cut.sms.length <= SMS_MAX && cut.sms.endsWith('...'), `cut to ${cut.sms.length} characters`);
  t.equal((await rows(db)).messages.length, 2);
});

t.test('every mistake in the form is explained, nothing is sent; with nobody registered there is nobody to write to', async (t) => {
  const { a, db, w, other, agent } = await setup(t);
  const url = `/espace/evenements/${w.event.id}/message`;
  const empty = await a.post(url, { objet: '  ', message: '' });
  t.equal(empty.statusCode, 422);
  t.match(visibleText(empty.body), 'Indiquez l’objet du message, par exemple « Changement de salle ».');
  t.match(visibleText(empty.body), 'Écrivez le message aux personnes inscrites.');
  t.match(empty.body, /<title>Erreur : /);
  const tooLong = await a.post(url, { objet: 'x'.repeat(121), message: 'y'.repeat(2001) });
  t.equal(tooLong.statusCode, 422);
  t.match(visibleText(tooLong.body), 'L’objet doit faire au plus 120 caractères.');
  t.match(visibleText(tooLong.body), 'Le message doit faire au plus 2 000 caractères (il en fait 2001).');
  t.match(tooLong.body, 'y'.repeat(2001), 'what was typed is kept');
  const noCsrf = await a.post(url, { objet: 'Objet', message: 'Texte' }, { csrf: false });
  t.equal(noCsrf.statusCode, 403);
  t.same(await rows(db), { outbox: [], calls: [], messages: [] }, 'nothing sent, nothing kept');

  // Another organisation's event with nobody left registered.
  await db.update(registration).set({ state: 'cancelled', waitlistPosition: null }).where(eq(registration.eventId, other.event.id));
  const otherOrga = agent();
  await otherOrga.signInAs('autre-asso@example.org');
  t.match(visibleText((await otherOrga.get(`/espace/evenements/${other.event.id}/message`)).body), 'Personne n’est inscrit·e pour l’instant');
  const nobody = await otherOrga.post(`/espace/evenements/${other.event.id}/message`, { objet: 'Objet', message: 'Texte' });
  t.equal(nobody.statusCode, 409);
  t.match(visibleText(nobody.body), "Personne n'est inscrit·e à cet événement (ni confirmé·e, ni en liste d'attente) : il n'y a personne à qui écrire.");
  t.same((await rows(db)).messages, []);
});

t.test('only the event’s organisation and its territory’s coordination may write to its registrants', async (t) => {
  const { db, w, agent } = await setup(t);
  const url = `/espace/evenements/${w.event.id}/message`;
  const signedOut = await agent().post(url, { objet: 'Objet', message: 'Texte' });
  t.equal(signedOut.statusCode, 303);
  t.match(signedOut.headers.location, /^\/connexion/);
  for (const email of ['autre-asso@example.org', 'autre-clsm@example.org']) {
    const someone = agent();
    await someone.signInAs(email);
    t.equal((await someone.get(url)).statusCode, 403, `${email}: the form`);
    t.equal((await someone.post(url, { objet: 'Objet', message: 'Texte' })).statusCode, 403, `${email}: sending`);
  }
  const nobody = agent();
  await nobody.signInAs('orga@example.org');
  t.equal((await nobody.get('/espace/evenements/999999/message')).statusCode, 404);
  t.same(await rows(db), { outbox: [], calls: [], messages: [] });

  const coordinator = agent();
  const coordinatorId = await coordinator.signInAs('clsm@example.org');
  await makeCoordinator(db, coordinatorId, w.territory.id);
  t.equal((await coordinator.post(url, { objet: 'Objet', message: 'Texte' })).statusCode, 303, 'the coordination may');
  t.match((await rows(db)).messages, [{ authorUserId: coordinatorId }]);
});
