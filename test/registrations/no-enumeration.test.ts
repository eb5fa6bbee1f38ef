// @databases: pglite
// The registration form never tells whether an address or a phone is registered to an event
// (issue 16 item 10, docs/decisions/0014): for a mental-health event that is itself sensitive.
// When a mail or a text carries the link, a known and an unknown contact get the same answer, byte
// for byte; the owner of the known one gets their link again on their own channel, and their
// registration is left exactly as it was. A phone without texts keeps the open answer: the page is
// that person's only way to their link.
import t, { type Test } from 'tap';
import { eq } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { accessNeed, callRequest, registration } from '../../server/db/schema.ts';
import { renderMail } from '../../server/mail-kinds.ts';
import { buildTestApp, visibleText, type Agent, type TestApp } from '../helpers/app.ts';
import { makeWorld } from '../helpers/factory.ts';
import { manageTokenSentTo } from '../helpers/manage-link.ts';
import { mails, registrationsOf } from './helpers.ts';

/** What a registration is, as stored: the row and its needs. */
async function stored(db: TestApp['db'], id: number) {
  const [row] = await db.select().from(registration).where(eq(registration.id, id));
  const needs = await db.select().from(accessNeed).where(eq(accessNeed.registrationId, id));
  return { row, needs };
}

/** A page as compared between two visitors: their CSRF tokens are theirs, the rest must be equal. */
const withoutCsrf = (body: string) => body.replace(/(csrf-token" content="|"x-csrf-token": "|name="_csrf" value=")[^"]+/g, '$1…');

/** Posts the form as a new visitor (without and with htmx), and follows the answer as a browser does. */
async function answer(agent: Agent, eventId: number, form: Record<string, string | string[]>) {
  const plain = await agent.post(`/evenements/${eventId}/inscription`, form);
  const page = plain.headers.location ? await agent.get(String(plain.headers.location)) : null;
  return { plain, page };
}

function same(t: Test, known: { plain: LightMyRequestResponse; page: LightMyRequestResponse | null }, unknown: typeof known, what: string) {
  t.equal(known.plain.statusCode, unknown.plain.statusCode, `${what}: the same status`);
  t.equal(known.plain.headers.location, unknown.plain.headers.location, `${what}: the same Location`);
  t.equal(withoutCsrf(known.plain.body), withoutCsrf(unknown.plain.body), `${what}: the same body`);
  t.ok(known.page && unknown.page, `${what}: a page to follow`);
  t.equal(known.page!.statusCode, 200);
  t.equal(withoutCsrf(known.page!.body), withoutCsrf(unknown.page!.body), `${what}: the page after it, byte for byte`);
  t.same(comparedHeaders(known.page!), comparedHeaders(unknown.page!), `${what}: the same headers`);
}

/** The headers of a page, but for those that differ between any two requests. */
function comparedHeaders(res: LightMyRequestResponse) {
  const { date, 'set-cookie': cookie, 'content-length': length, ...rest } = res.headers;
  return rest;
}

t.test('an address: a known and an unknown one get the same answer; the known one gets its link again, untouched', async (t) => {
  const app = await buildTestApp(t);
  const { agent, db } = app;
  const { event: ev } = await makeWorld(db, { capacity: 10 });
  // Awa registered herself: two seats, an interpreter.
  await agent().post(`/evenements/${ev.id}/inscription`, { nom: 'Awa Diallo', email: 'awa@example.org', places: '2', besoins: 'lsf', consentement: '1' });
  const [awa] = await registrationsOf(db, ev.id);
  const before = await stored(db, awa!.id);
  t.equal(before.needs.length, 1);

  // Someone tries her address (typed differently), and an address nobody registered, with the same form.
  const form = { nom: 'Quelqu’un', places: '3', besoins: 'caa', consentement: '1' };
  const known = await answer(agent(), ev.id, { ...form, email: 'AWA@Example.org' });
  const unknown = await answer(agent(), ev.id, { ...form, email: 'inconnue@example.org' });
  t.equal(known.plain.statusCode, 303);
  t.equal(known.plain.headers.location, `/evenements/${ev.id}/inscription/demande-envoyee?par=e-mail`);
  same(t, known, unknown, 'without JavaScript');
  t.match(visibleText(known.page!.body), "Si cette adresse ou ce téléphone était déjà inscrit à cet événement, aucune seconde inscription n'est créée");
  t.notMatch(known.page!.body, /déjà inscrite|Vous êtes déjà inscrit|awa|inconnue/i, 'neither the answer nor the address');

  // With htmx too (the unknown address is registered now: a third one stands in for it).
  const hx = { 'hx-request': 'true' };
  const knownHx = await agent().post(`/evenements/${ev.id}/inscription`, { ...form, email: 'awa@example.org' }, { headers: hx });
  const unknownHx = await agent().post(`/evenements/${ev.id}/inscription`, { ...form, email: 'autre-inconnue@example.org' }, { headers: hx });
  t.same([knownHx.statusCode, knownHx.headers['hx-redirect'], knownHx.body], [204, known.plain.headers.location, '']);
  t.same([unknownHx.statusCode, unknownHx.headers['hx-redirect'], unknownHx.body], [knownHx.statusCode, knownHx.headers['hx-redirect'], knownHx.body], 'with htmx: the same answer');

  // Awa's registration is exactly as it was; the others are new.
  t.same(await stored(db, awa!.id), before, 'seats, needs, state, contact: untouched');
  t.same(
    (await registrationsOf(db, ev.id)).map((r) => [r.email, r.seats]),
    [
      ['awa@example.org', 2],
      ['inconnue@example.org', 3],
      ['autre-inconnue@example.org', 3],
    ],
    'no second registration with her address',
  );

  // Awa gets her link again, once (at most one an hour, whichever form asked), by mail to her address.
  const resent = (await mails(db)).filter((m) => m.payload.resent);
  t.same(
    resent.map((m) => [m.kind, m.channel, m.recipient, m.payload]),
    [['registration_confirmed', 'email', 'awa@example.org', { registrationId: awa!.id, resent: true, secondRegistration: true }]],
    'one mail to the owner of the address, on her own channel',
  );
  const mail = await renderMail(db, app.config, resent[0]!, app.clock.now());
  if (!('text' in mail)) throw new Error('a mail was expected');
  t.match(mail.text, "Une nouvelle demande d'inscription à cet événement vient d'être faite avec les mêmes coordonnées. Votre inscription n'a pas changé et aucune seconde inscription n'a été créée. Pour ajouter des places ou des besoins, utilisez le lien en bas de ce message.");
  t.notMatch(mail.text, /Comme demandé|Quelqu’un|CAA/, 'nothing of the attempt, and not « as asked »');
  const token = await manageTokenSentTo(app, 'awa@example.org');
  t.match(visibleText((await agent().get(`/inscription/${token}`)).body), 'Awa Diallo', 'its link opens her registration');

  // An hour later, another attempt sends it again.
  app.clock.set(new Date(app.clock.now().getTime() + 3_600_000));
  await agent().post(`/evenements/${ev.id}/inscription`, { ...form, email: 'awa@example.org' });
  t.equal((await mails(db)).filter((m) => m.payload.secondRegistration).length, 2);
  t.same(await stored(db, awa!.id), before, 'still untouched');
});

t.test('a phone with texts agreed: the same answer for a known and an unknown number; the known one gets its link by text', async (t) => {
  const app = await buildTestApp(t);
  const { agent, db } = app;
  const { event: ev } = await makeWorld(db, { capacity: 10 });
  await agent().post(`/evenements/${ev.id}/inscription`, { nom: 'Bruno', telephone: '06 12 34 56 78', places: '1', 'sms-consentement': '1' });
  const [bruno] = await registrationsOf(db, ev.id);
  const before = await stored(db, bruno!.id);

  const form = { nom: 'Quelqu’un', places: '2', 'sms-consentement': '1' };
  const known = await answer(agent(), ev.id, { ...form, telephone: '+33 6 12 34 56 78' });
  const unknown = await answer(agent(), ev.id, { ...form, telephone: '06 98 76 54 32' });
  t.equal(known.plain.statusCode, 303);
  t.equal(known.plain.headers.location, `/evenements/${ev.id}/inscription/demande-envoyee?par=sms`, 'worded for texts: the form gave no address');
  same(t, known, unknown, 'a phone with texts');
  const said = visibleText(known.page!.body);
  t.match(said, "Un SMS part au numéro indiqué : il confirme votre place ou votre rang sur la liste d'attente et contient le lien pour modifier ou annuler votre inscription.");
  t.match(said, "Si ce numéro était déjà inscrit à cet événement, aucune seconde inscription n'est créée : c'est le lien de l'inscription existante qui vous est renvoyé.");
  t.notMatch(said, /e-mail part|12 34|98 76/);

  t.same(await stored(db, bruno!.id), before, 'untouched');
  t.equal((await registrationsOf(db, ev.id)).length, 2, 'the unknown number is registered, the known one is not twice');
  const resent = (await mails(db)).filter((m) => m.payload.resent);
  t.same(resent.map((m) => [m.kind, m.channel, m.recipient, m.payload.registrationId, m.payload.secondRegistration]), [['registration_confirmed', 'sms', '+33612345678', bruno!.id, true]], 'by text, to him');
  const text = await renderMail(db, app.config, resent[0]!, app.clock.now());
  if (!('sms' in text)) throw new Error('a text was expected');
  t.match(text.sms, new RegExp(`^Rassembler : nouvelle demande d'inscription avec les coordonnées de votre inscription à "${ev.title}" \\(mar\\. 6 oct\\. à 14h00\\)\\. Rien n'a changé, aucune seconde inscription\\. Pour ajouter des places ou des besoins : http://localhost:3000/inscription/[\\w-]{43}$`));
  t.equal(await manageTokenSentTo(app, '+33612345678').then((token) => agent().get(`/inscription/${token}`)).then((r) => r.statusCode), 200, 'the link works');
});

t.test('a phone without texts: a new registration shows its link, a second one is told openly (the residual of decision 0014)', async (t) => {
  const { agent, db } = await buildTestApp(t);
  const { event: ev } = await makeWorld(db, { capacity: 10 });
  const a = agent();
  const first = await a.post(`/evenements/${ev.id}/inscription`, { nom: 'Jeanne', telephone: '06 12 34 56 78', places: '1' });
  t.match(first.headers.location, /^\/inscription\/[A-Za-z0-9_-]{43}\/confirmation$/, 'the result page with the manage link: her only copy');
  const [jeanne] = await registrationsOf(db, ev.id);
  const before = await stored(db, jeanne!.id);

  const again = await agent().post(`/evenements/${ev.id}/inscription`, { nom: 'Quelqu’un', telephone: '+33 6 12 34 56 78', places: '3' });
  t.equal(again.statusCode, 409);
  const text = visibleText(again.body);
  t.match(text, 'Ce numéro de téléphone est déjà inscrit à cet événement.');
  t.match(text, "Vous êtes déjà inscrit·e Une inscription existe déjà avec ce numéro de téléphone pour cet événement.");
  t.match(again.body, /id="renvoi-contact" name="contact" type="text" value="\+33 6 12 34 56 78"/);
  t.same(await stored(db, jeanne!.id), before, 'untouched');
  t.equal((await registrationsOf(db, ev.id)).length, 1);
  t.same((await mails(db)).filter((m) => m.payload.resent), [], 'nothing sent again by itself');
  t.same((await db.select().from(callRequest)).map((c) => c.kind), ['registration_confirmed'], 'nor a call asked for');
});
