// @databases: pglite
// The person's own page, reached by the manage link (a capability: the token is the key).
import t from 'tap';
import { eq } from 'drizzle-orm';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { accessNeed, registration, registrationToken } from '../../server/db/schema.ts';
import { enqueueMail } from '../../server/mail/outbox.ts';
import { runWorkerOnce } from '../../server/mail/worker.ts';
import { mailKinds } from '../../server/mail-kinds.ts';
import { randomToken } from '../../server/lib/tokens.ts';
import { register } from '../../server/registrations/register.ts';
import { buildTestApp, visibleText } from '../helpers/app.ts';
import { makeWorld } from '../helpers/factory.ts';
import { mails, needsOf, person, registrationsOf } from './helpers.ts';

const now = new Date('2026-09-15T08:00:00Z');

async function setup(t: Parameters<typeof buildTestApp>[0], capacity = 4) {
  const app = await buildTestApp(t);
  const { event: ev } = await makeWorld(app.db, { capacity });
  const a = await register(app.db, now, ev.id, person({ name: 'Awa', seats: 3, needs: [{ category: 'lsf', detail: null }, { category: 'caa', detail: 'pictos' }], needsConsent: true }));
  const b = await register(app.db, now, ev.id, person({ name: 'Bruno', seats: 2 })); // waitlisted 1
  if (!a.ok || !b.ok) throw new Error('setup');
  return { ...app, ev, a, b };
}

t.test('the page: registration, needs with their status and answer; private headers', async (t) => {
  const { agent, db, ev, a } = await setup(t);
  const [, caa] = await needsOf(db, a.registrationId);
  await db.update(accessNeed).set({ status: 'not_possible', response: 'Pas de classeur CAA cette fois' }).where(eq(accessNeed.id, caa!.id));
  const res = await agent().get(`/inscription/${a.token}`);
  t.equal(res.statusCode, 200);
  const text = visibleText(res.body);
  t.match(text, `Mon inscription : ${ev.title}`);
  t.match(text, 'État Confirmée Places 3 Nom Awa');
  t.match(text, "Interprète en langue des signes (LSF) Réponse : Prévu — « Proposé par l'organisateur pour cet événement. »");
  t.match(text, 'Supports de communication alternative (CAA, pictogrammes) — « pictos » Réponse : Pas possible — « Pas de classeur CAA cette fois »');
  t.match(res.body, `href="/inscription/${a.token}/agenda.ics"`, "« Ajouter à mon agenda »: this registration's own file");
  t.notMatch(res.body, '/agenda/personnel/', 'the personal feed link is never shown on a page');
  t.match(text, "Mon agenda personnel Pour voir toutes les inscriptions faites avec l'adresse");
  t.match(text, "son lien est dans l'e-mail de confirmation.");
  t.match(res.body, `<form method="post" action="/inscription/${a.token}/agenda-personnel">`);
  t.equal(res.headers['cache-control'], 'no-store');
  t.equal(res.headers['referrer-policy'], 'no-referrer');
  t.match(res.body, /<body [^>]*hx-history="false"/);
  t.match(res.body, /<input type="checkbox" id="besoin-caa" name="besoins" value="caa"[^>]* checked>/, 'the needs form starts from the stored needs');
  t.match(res.body, /<input type="checkbox" id="consentement"[^>]* checked>/);
});

t.test('token tampering: unknown, altered, truncated or padded tokens are 404', async (t) => {
  const { agent, a } = await setup(t);
  const c = agent();
  const altered = a.token.slice(0, 10) + (a.token[10] === 'x' ? 'y' : 'x') + a.token.slice(11);
  for (const token of [altered, a.token.slice(0, 42), `${a.token}A`, randomToken(), 'abc']) {
    const res = await c.get(`/inscription/${token}`);
    t.equal(res.statusCode, 404);
    t.match(visibleText(res.body), "Ce lien de gestion n'existe pas ou n'est plus valable.");
    t.equal((await c.post(`/inscription/${token}/annuler`, { confirmer: '1' })).statusCode, 404);
  }
});

t.test('fewer seats: saved, and the freed seats promote the waitlist (mail queued)', async (t) => {
  const { agent, db, ev, a, b } = await setup(t);
  const c = agent();
  const res = await c.post(`/inscription/${a.token}/places`, { places: '2' });
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, `/inscription/${a.token}?fait=places`);
  const page = await c.get(res.headers.location as string);
  t.match(visibleText(page.body), 'Le nombre de places a été modifié.');
  const rows = await registrationsOf(db, ev.id);
  t.match(rows.find((r) => r.id === a.registrationId), { seats: 2, state: 'confirmed' });
  t.match(rows.find((r) => r.id === b.registrationId), { state: 'confirmed', waitlistPosition: null }, 'Bruno (2 seats) now fits');
  t.same((await mails(db, 'waitlist_promoted')).map((m) => m.payload.registrationId), [b.registrationId]);
});

t.test('more seats than are left: refused with an explanation, seats kept', async (t) => {
  const { agent, db, ev, a } = await setup(t, 5);
  const c = agent();
  const res = await c.post(`/inscription/${a.token}/places`, { places: '6' });
  t.equal(res.statusCode, 409);
  t.match(visibleText(res.body), 'Il ne reste que 0 place(s) libre(s) : impossible de passer à 6 places. Vous gardez vos 3 place(s).');
  t.match(res.body, '<li><a href="#places">');
  const bad = await c.post(`/inscription/${a.token}/places`, { places: '0' });
  t.equal(bad.statusCode, 422);
  t.match(bad.body, /<title>Erreur : Mon inscription/);
  t.equal((await registrationsOf(db, ev.id)).find((r) => r.id === a.registrationId)!.seats, 3);
});

t.test('changing needs asks for consent again; removing them all withdraws it', async (t) => {
  const { agent, db, a } = await setup(t);
  const c = agent();
  const noConsent = await c.post(`/inscription/${a.token}/besoins`, { besoins: ['lsf', 'falc'], 'precision-falc': 'gros caractères' });
  t.equal(noConsent.statusCode, 422);
  t.match(visibleText(noConsent.body), "Vous avez coché des besoins d'accessibilité sans donner votre accord");
  t.match(noConsent.body, 'value="gros caractères"', 'what was typed is kept');
  t.match(noConsent.body, /name="sans-besoins" value="1"[^>]*>Enregistrer sans déclarer de besoins</);
  t.same((await needsOf(db, a.registrationId)).map((n) => n.category), ['lsf', 'caa'], 'nothing changed');

  const ok = await c.post(`/inscription/${a.token}/besoins`, { besoins: ['lsf', 'falc'], 'precision-falc': 'gros caractères', consentement: '1' });
  t.equal(ok.statusCode, 303);
  t.equal(ok.headers.location, `/inscription/${a.token}?fait=besoins`);
  t.same((await needsOf(db, a.registrationId)).map((n) => [n.category, n.detail, n.status]), [
    ['lsf', null, 'planned'],
    ['falc', 'gros caractères', 'requested'],
  ]);

  const none = await c.post(`/inscription/${a.token}/besoins`, {});
  t.equal(none.headers.location, `/inscription/${a.token}?fait=besoins-effaces`);
  t.equal((await needsOf(db, a.registrationId)).length, 0);
  t.equal((await db.select().from(registration).where(eq(registration.id, a.registrationId)))[0]!.needsConsentAt, null);
  t.match(visibleText((await c.get(none.headers.location as string)).body), "Vos besoins d'accessibilité ont été effacés. ");
});

t.test('cancel: needs a confirmation; frees the seats, promotes, notifies', async (t) => {
  const { agent, db, ev, a, b } = await setup(t);
  const c = agent();
  const unconfirmed = await c.post(`/inscription/${a.token}/annuler`, {});
  t.equal(unconfirmed.statusCode, 422);
  t.match(unconfirmed.body, '<li><a href="#confirmer-annulation">');
  t.match((await registrationsOf(db, ev.id))[0], { state: 'confirmed' });

  const res = await c.post(`/inscription/${a.token}/annuler`, { confirmer: '1' });
  t.equal(res.statusCode, 303);
  const page = await c.get(res.headers.location as string);
  const text = visibleText(page.body);
  t.match(text, 'Votre inscription est annulée.');
  t.match(text, 'État Annulée le');
  t.notMatch(page.body, 'action="/inscription/' + a.token + '/annuler"', 'no second cancel');
  const rows = await registrationsOf(db, ev.id);
  t.match(rows.find((r) => r.id === a.registrationId), { state: 'cancelled', needsConsentAt: null });
  t.equal((await needsOf(db, a.registrationId)).length, 0, 'needs deleted with the cancellation');
  t.match(rows.find((r) => r.id === b.registrationId), { state: 'confirmed' });
  t.same((await mails(db)).filter((m) => m.kind !== 'registration_confirmed' && m.kind !== 'registration_waitlisted').map((m) => [m.kind, m.payload.registrationId]), [
    ['registration_cancelled', a.registrationId],
    ['waitlist_promoted', b.registrationId],
  ]);
});

t.test('download my data: a JSON attachment with everything stored', async (t) => {
  const { agent, ev, a } = await setup(t);
  const res = await agent().post(`/inscription/${a.token}/mes-donnees`);
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], 'application/json');
  t.equal(res.headers['content-disposition'], `attachment; filename="mes-donnees-inscription-${a.registrationId}.json"`);
  t.equal(res.headers['cache-control'], 'no-store');
  const data = JSON.parse(res.body);
  t.match(data, {
    evenement: { id: ev.id, titre: ev.title },
    inscription: { id: a.registrationId, nom: 'Awa', places: 3, etat: 'confirmed' },
    besoinsAccessibilite: [
      { categorie: 'lsf', statut: 'planned' },
      { categorie: 'caa', precision: 'pictos', statut: 'requested' },
    ],
  });
});

t.test('erase my data: confirmation, then the registration and its needs are gone, seats freed', async (t) => {
  const { agent, db, ev, a, b } = await setup(t);
  const c = agent();
  t.equal((await c.post(`/inscription/${a.token}/effacer`, {})).statusCode, 422);
  const res = await c.post(`/inscription/${a.token}/effacer`, { confirmer: '1' });
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, '/inscription/effacee');
  t.match(visibleText((await c.get('/inscription/effacee')).body), 'Votre inscription et vos besoins d\'accessibilité ont été effacés définitivement.');
  const rows = await registrationsOf(db, ev.id);
  t.same(rows.map((r) => [r.id, r.state]), [[b.registrationId, 'confirmed']], 'gone, and Bruno promoted');
  t.equal((await db.select().from(accessNeed)).length, 0);
  t.equal((await c.get(`/inscription/${a.token}`)).statusCode, 404, 'the link is dead');
});

t.test('erase my data: every mail about the registration goes too, queued or sent, with its local .eml file', async (t) => {
  const { agent, db, config, clock, a, b } = await setup(t);
  // The confirmations are sent (written as .eml files: no SMTP_URL), then a mail is queued.
  t.same(await runWorkerOnce({ db, config, clock, registry: mailKinds }), { claimed: 2, sent: 2, skipped: 0, retried: 0, failed: 0 });
  const c = agent();
  await c.post(`/inscription/${a.token}/places`, { places: '1' }); // promotes Bruno: one more mail, for him
  const aboutA = (await mails(db)).filter((m) => m.payload.registrationId === a.registrationId);
  const aboutB = (await mails(db)).filter((m) => m.payload.registrationId === b.registrationId);
  t.equal(aboutA.length, 2, 'her confirmation, sent, and the seats change confirmation, queued');
  const eml = (id: number) => path.join(config.dataDir, 'mail', `outbox-${id}.eml`);
  t.ok(existsSync(eml(aboutA[0]!.id)), "Awa's confirmation is in the local mailbox");
  // Something waiting for Awa: her (hypothetical) reminder.
  await enqueueMail(db, { kind: 'reminder', to: 'awa@example.org', payload: { registrationId: a.registrationId, daysBefore: 7 }, sendAfter: clock.now() });

  t.equal((await c.post(`/inscription/${a.token}/effacer`, { confirmer: '1' })).statusCode, 303);
  const left = await mails(db);
  t.same(left.filter((m) => m.payload.registrationId === a.registrationId), [], 'no mail about her is left, sent or queued');
  t.notOk(existsSync(eml(aboutA[0]!.id)), 'her .eml file is deleted');
  t.same(left.map((m) => m.id), aboutB.map((m) => m.id), "Bruno's mails stay");
  t.ok(existsSync(eml(aboutB[0]!.id)), "and Bruno's .eml file");
  t.same(await db.select().from(registrationToken).where(eq(registrationToken.registrationId, a.registrationId)), [], 'her tokens are gone');
});

t.test("one registration's link cannot act on another's (no ids in the forms)", async (t) => {
  const { agent, db, ev, a, b } = await setup(t);
  const c = agent();
  // Extra fields naming B are ignored: the token alone says which registration.
  await c.post(`/inscription/${a.token}/places`, { places: '1', registrationId: String(b.registrationId), id: String(b.registrationId) });
  await c.post(`/inscription/${a.token}/annuler`, { confirmer: '1', registrationId: String(b.registrationId) });
  const rows = await registrationsOf(db, ev.id);
  t.match(rows.find((r) => r.id === a.registrationId), { state: 'cancelled', seats: 1 });
  t.match(rows.find((r) => r.id === b.registrationId), { seats: 2, state: 'confirmed' }, 'B only changed by the promotion');
  const pageB = await c.get(`/inscription/${b.token}`);
  t.match(visibleText(pageB.body), 'Nom Bruno');
  t.notMatch(visibleText(pageB.body), 'Awa');
});
