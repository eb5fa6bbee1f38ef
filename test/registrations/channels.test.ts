// @databases: pglite
// Nobody left out (decision 0011): every notice to a registrant goes by e-mail, else by text when
// they agreed to texts at a mobile number, else on the organiser's call list « Personnes à
// prévenir par téléphone », ticked « prévenu·e » by the organiser (who and when kept).
import t from 'tap';
import { asc, eq } from 'drizzle-orm';
import { appUser, callRequest, outbox, registration } from '../../server/db/schema.ts';
import { renderMail } from '../../server/mail-kinds.ts';
import { cancelRegistration } from '../../server/registrations/manage.ts';
import { notifyRegistrants } from '../../server/registrations/notify.ts';
import { scheduleReminders } from '../../server/registrations/mails-schedule.ts';
import { purgeExpired } from '../../server/registrations/purge.ts';
import { fitSms, SMS_MAX, toGsm7 } from '../../server/registrations/sms-texts.ts';
import { buildTestApp, visibleText } from '../helpers/app.ts';
import { makeCoordinator, makeMember, makeUser, makeWorld } from '../helpers/factory.ts';
import { registrationsOf } from './helpers.ts';

const form = { nom: 'Awa Diallo', places: '1' };

async function calls(db: Parameters<typeof registrationsOf>[0]) {
  return db.select().from(callRequest).orderBy(asc(callRequest.id));
}
async function outboxRows(db: Parameters<typeof registrationsOf>[0]) {
  return db.select().from(outbox).orderBy(asc(outbox.id));
}

t.test('the channel of a registration: e-mail, else a text with consent at a mobile, else the call list', async (t) => {
  const { agent, db, config, clock } = await buildTestApp(t);
  const { event: ev } = await makeWorld(db);
  const a = agent();
  t.equal((await a.post(`/evenements/${ev.id}/inscription`, { ...form, email: 'awa@example.org', telephone: '06 12 34 56 78', 'sms-consentement': '1' })).statusCode, 303);
  t.equal((await a.post(`/evenements/${ev.id}/inscription`, { ...form, nom: 'Texto', telephone: '0692 12 34 56', 'sms-consentement': '1' })).statusCode, 303);
  t.equal((await a.post(`/evenements/${ev.id}/inscription`, { ...form, nom: 'Sans accord', telephone: '06 98 76 54 32' })).statusCode, 303);
  t.equal((await a.post(`/evenements/${ev.id}/inscription`, { ...form, nom: 'Fixe', telephone: '04 76 00 00 00', 'sms-consentement': '1' })).statusCode, 303);

  const [withMail, texted, noConsent, landline] = await registrationsOf(db, ev.id);
  t.match(texted, { phone: '+262692123456', smsConsentAt: clock.now() }, 'a Réunion mobile, stored in E.164 with the time of consent');
  t.equal(noConsent!.smsConsentAt, null, 'a phone given for contact is no consent to texts');
  t.same(
    (await outboxRows(db)).map((r) => [r.kind, r.channel, r.recipient]),
    [
      ['registration_confirmed', 'email', 'awa@example.org'],
      ['registration_confirmed', 'sms', '+262692123456'],
    ],
    'e-mail first, even with consent to texts; a text for the phone-only person who agreed',
  );
  t.same(
    (await calls(db)).map((c) => [c.registrationId, c.kind, c.doneAt]),
    [
      [noConsent!.id, 'registration_confirmed', null],
      [landline!.id, 'registration_confirmed', null],
    ],
    'no consent, or a landline: the organiser calls',
  );
  t.ok(withMail);

  const [, sms] = await outboxRows(db);
  const rendered = await renderMail(db, config, { id: sms!.id, kind: sms!.kind, channel: 'sms', recipient: sms!.recipient, payload: sms!.payload }, clock.now());
  if (!('sms' in rendered)) throw new Error('a text was expected');
  t.match(rendered.sms, new RegExp(`^Rassembler : votre inscription à "${ev.title}" \\(mar\\. 6 oct\\. à 14h00\\) est confirmée\\. Modifier ou annuler : http://localhost:3000/inscription/[\\w-]{43}$`));
  t.ok(rendered.sms.length <= SMS_MAX, 'two parts at most');
  t.notMatch(rendered.sms, /[êâîôûçœ«»]/, 'in the GSM 7-bit alphabet');
});

t.test('the form: phone formats, consent without a phone, organiser phone registrations', async (t) => {
  const { agent, db } = await buildTestApp(t);
  const { event: ev, organisation } = await makeWorld(db);
  const a = agent();
  const page = await a.get(`/evenements/${ev.id}/inscription`);
  t.match(page.body, /<input type="checkbox" id="sms-consentement" name="sms-consentement" value="1" aria-describedby="sms-consentement-hint">\s*<label for="sms-consentement">J&#39;accepte de recevoir des SMS sur le téléphone indiqué<\/label>/);

  const noPhone = await a.post(`/evenements/${ev.id}/inscription`, { ...form, email: 'x@example.org', 'sms-consentement': '1' });
  t.equal(noPhone.statusCode, 422);
  t.match(noPhone.body, /<li><a href="#sms-consentement">Vous avez accepté de recevoir des SMS sans indiquer de téléphone/);
  const bad = await a.post(`/evenements/${ev.id}/inscription`, { ...form, telephone: '06 12' });
  t.equal(bad.statusCode, 422);
  t.match(visibleText(bad.body), "Ce numéro de téléphone n'est pas valide : indiquez un numéro français ou d'outre-mer");
  t.equal((await registrationsOf(db, ev.id)).length, 0);

  for (const [typed, stored] of <Array<[string, string]>>[
    ['+33 6 12 34 56 78', '+33612345678'],
    ['0694 20 12 34', '+594694201234'],
    ['0696 12 34 56', '+596696123456'],
    ['0690 12 34 56', '+590690123456'],
    ['0639 40 12 34', '+262639401234'],
  ]) {
    t.equal((await a.post(`/evenements/${ev.id}/inscription`, { ...form, nom: typed, telephone: typed })).statusCode, 303, typed);
    const [row] = await db.select().from(registration).where(eq(registration.name, typed));
    t.equal(row?.phone, stored, `${typed} stored as ${stored}`);
  }

  // The organiser registers someone on the phone: they have just told them, nothing to call back.
  const member = await makeUser(db, { email: 'orga@example.org' });
  await makeMember(db, member.id, organisation.id);
  const o = agent();
  await o.signInAs('orga@example.org');
  const res = await o.post(`/espace/evenements/${ev.id}/inscriptions/nouvelle`, { nom: 'Jeanne', telephone: '04 76 00 00 00', places: '1' });
  t.equal(res.statusCode, 303);
  t.equal((await calls(db)).filter((c) => c.kind === 'registration_confirmed').length, 5, 'the five residents without texts, not Jeanne');
});

t.test('the call list: shown to the organiser, ticked « prévenu·e » with who and when, refused across organisations', async (t) => {
  const { agent, db, clock } = await buildTestApp(t);
  const w = await makeWorld(db, { capacity: 1 });
  const other = await makeWorld(db);
  const member = await makeUser(db, { email: 'orga@example.org' });
  await makeMember(db, member.id, w.organisation.id);
  const outsider = await makeUser(db, { email: 'autre@example.org' });
  await makeMember(db, outsider.id, other.organisation.id);
  const resident = agent();
  await resident.post(`/evenements/${w.event.id}/inscription`, { ...form, email: 'awa@example.org' });
  await resident.post(`/evenements/${w.event.id}/inscription`, { ...form, nom: 'Bruno', telephone: '06 98 76 54 32' });
  await resident.post(`/evenements/${other.event.id}/inscription`, { ...form, nom: 'Ailleurs', telephone: '06 11 11 11 11' });
  const [bruno] = await db.select().from(callRequest).orderBy(asc(callRequest.id));
  const [elsewhere] = (await calls(db)).slice(1);

  const o = agent();
  await o.signInAs('orga@example.org');
  const list = await o.get(`/espace/evenements/${w.event.id}/inscriptions`);
  const text = visibleText(list.body);
  t.match(text, "Personnes à prévenir par téléphone (1) Ces personnes n'ont ni adresse e-mail ni accord pour recevoir des SMS");
  t.match(text, "Bruno +33 6 98 76 54 32 Inscription sur liste d'attente : le lui dire mardi 15 septembre 2026 à 10 h 00 Marquer prévenu·e : Bruno");
  t.match(list.body, '<a href="tel:+33698765432">+33 6 98 76 54 32</a>');
  t.notMatch(text, 'Ailleurs', "another event's call list is not shown");
  const eventsPage = `/espace/organisations/${w.organisation.id}/evenements`;
  t.match(visibleText((await o.get(eventsPage)).body), `${w.event.title} 1 personne à prévenir par téléphone`, "counted in the organiser's list of events");
  const coordinator = agent();
  await coordinator.signInAs('clsm@example.org');
  await makeCoordinator(db, (await db.select().from(appUser).where(eq(appUser.email, 'clsm@example.org')))[0]!.id, w.territory.id);
  t.match(visibleText((await coordinator.get(`/coordination/${w.territory.id}`)).body), `${w.event.title} (${w.organisation.name}, mardi 6 octobre 2026 à 14 h 00) 1 personne à prévenir par téléphone`, "and in the coordinator's overview");

  // Another organisation's member may not tick it, nor may this organiser tick another event's entry.
  const intruder = agent();
  await intruder.signInAs('autre@example.org');
  t.equal((await intruder.post(`/espace/evenements/${w.event.id}/appels/${bruno!.id}`, {})).statusCode, 403);
  t.equal((await o.post(`/espace/evenements/${w.event.id}/appels/${elsewhere!.id}`, {})).statusCode, 404, "another event's entry through this event");
  t.equal((await o.post(`/espace/evenements/${w.event.id}/appels/${bruno!.id}`, {}, { csrf: false })).statusCode, 403, 'no CSRF token, no change');
  t.same((await calls(db)).map((c) => c.doneAt), [null, null], 'nothing ticked');

  clock.advance(60_000);
  const done = await o.post(`/espace/evenements/${w.event.id}/appels/${bruno!.id}`, {});
  t.equal(done.statusCode, 303);
  t.equal(done.headers.location, `/espace/evenements/${w.event.id}/inscriptions?prevenu=1#a-prevenir`);
  t.match((await calls(db))[0], { doneAt: clock.now(), doneByUserId: member.id }, 'who and when');
  const after = visibleText((await o.get(done.headers.location as string)).body);
  t.match(after, "C'est noté : la personne est marquée prévenue");
  t.match(after, 'Personnes à prévenir par téléphone Personne à appeler');
  t.notMatch(visibleText((await o.get(eventsPage)).body), 'à prévenir par téléphone', 'no count once done');
  t.notMatch(visibleText((await coordinator.get(`/coordination/${w.territory.id}`)).body), 'à prévenir par téléphone');
  t.equal((await o.post(`/espace/evenements/${w.event.id}/appels/${bruno!.id}`, {})).statusCode, 404, 'ticked once');
});

t.test('each notice exactly once on its channel: promotion, cancellation, event change, reminders, need answers', async (t) => {
  const { db, clock, config } = await buildTestApp(t, { now: '2026-09-15T08:00:00Z' });
  const { event: ev } = await makeWorld(db, { capacity: 1 });
  const insert = (values: Partial<typeof registration.$inferInsert>) =>
    db.insert(registration).values({ eventId: ev.id, name: 'x', seats: 1, state: 'waitlisted', createdAt: new Date('2026-09-02T00:00:00Z'), ...values }).returning().then((r) => r[0]!);
  const holder = await insert({ email: 'holder@example.org', state: 'confirmed' });
  const texted = await insert({ phone: '+33612345678', smsConsentAt: clock.now(), waitlistPosition: 1 });
  const called = await insert({ phone: '+33698765432', waitlistPosition: 2 });

  await cancelRegistration(db, clock.now(), holder.id);
  t.same(
    (await outboxRows(db)).map((r) => [r.kind, r.channel, r.recipient]),
    [
      ['registration_cancelled', 'email', 'holder@example.org'],
      ['waitlist_promoted', 'sms', '+33612345678'],
    ],
    'the promoted phone-only person gets one text',
  );
  await cancelRegistration(db, clock.now(), texted.id);
  t.same((await calls(db)).map((c) => [c.registrationId, c.kind]), [[called.id, 'waitlist_promoted']], 'the next one, without texts, is on the call list');
  t.equal((await outboxRows(db)).filter((r) => r.kind === 'registration_cancelled' && r.channel === 'sms').length, 1, 'the cancelled person told by text');

  await db.transaction((tx) => notifyRegistrants(tx, ev.id, 'event_changed', { sequence: 1, changes: { startsAt: ['a', 'b'] } }, clock.now()));
  await db.transaction((tx) => notifyRegistrants(tx, ev.id, 'event_changed', { sequence: 1, changes: { startsAt: ['a', 'b'] } }, clock.now()));
  t.same((await calls(db)).map((c) => c.kind), ['waitlist_promoted', 'event_changed'], 'the change on the call list, once');

  clock.set('2026-10-05T08:30:00Z'); // reminders of the day before are due at 10:00 Paris time
  const reminders = { reminderDays: [7, 1], reminderHour: 10 };
  t.equal(await scheduleReminders(db, reminders, clock.now()), 1);
  t.equal(await scheduleReminders(db, reminders, clock.now()), 0, 'not listed twice by the next run of the scheduler');
  t.same((await calls(db)).map((c) => [c.kind, c.dedupeKey]), [['waitlist_promoted', `waitlist_promoted:${called.id}`], ['event_changed', `event_changed:${called.id}:1`], ['reminder', `reminder:1:${called.id}`]]);

  // The identity purge leaves nobody to call, and no consent behind.
  await purgeExpired(db, { needsRetentionDays: 30, identityRetentionDays: 90, dataDir: config.dataDir }, new Date('2027-06-01T00:00:00Z'));
  t.same(await calls(db), [], 'the call list goes with the identity');
  t.same((await registrationsOf(db, ev.id)).map((r) => r.smsConsentAt), [null, null, null]);
});

t.test('the same phone twice, the second without texts agreed: told openly (decision 0014), with the neutral « receive my link again » answer', async (t) => {
  const { agent, db } = await buildTestApp(t);
  const { event: ev } = await makeWorld(db);
  const a = agent();
  t.equal((await a.post(`/evenements/${ev.id}/inscription`, { ...form, telephone: '06 12 34 56 78', 'sms-consentement': '1' })).statusCode, 303);
  t.equal((await a.post(`/evenements/${ev.id}/inscription`, { ...form, nom: 'Bruno', telephone: '06 98 76 54 32' })).statusCode, 303);
  const again = await a.post(`/evenements/${ev.id}/inscription`, { ...form, places: '3', telephone: '+33 6 12 34 56 78' });
  t.equal(again.statusCode, 409);
  const text = visibleText(again.body);
  t.match(text, 'Ce numéro de téléphone est déjà inscrit à cet événement.');
  t.match(text, 'Vous êtes déjà inscrit·e');
  t.match(again.body, /id="renvoi-contact" name="contact" type="text" value="\+33 6 12 34 56 78"/);
  t.equal((await registrationsOf(db, ev.id)).length, 2, 'no second registration, no extra seats');

  const before = (await outboxRows(db)).length;
  const resend = await a.post(`/evenements/${ev.id}/inscription/renvoyer-lien`, { contact: '06 12 34 56 78' });
  t.equal(resend.statusCode, 200);
  const neutral = visibleText(resend.body);
  t.match(neutral, `Si une inscription à « ${ev.title} » existe avec le numéro +33 6 12 34 56 78 , le lien pour la gérer part par SMS`);
  const unknown = await a.post(`/evenements/${ev.id}/inscription/renvoyer-lien`, { contact: '06 00 00 00 99' });
  t.equal(visibleText(unknown.body).replace('+33 6 00 00 00 99', '+33 6 12 34 56 78'), neutral, 'the same answer for an unknown phone');
  await a.post(`/evenements/${ev.id}/inscription/renvoyer-lien`, { contact: '06 98 76 54 32' });
  const sent = (await outboxRows(db)).slice(before);
  t.same(sent.map((r) => [r.kind, r.channel, r.recipient, r.payload.resent]), [['registration_confirmed', 'sms', '+33612345678', true]], 'by text to the person who agreed');
  t.same((await calls(db)).map((c) => c.kind), ['registration_confirmed', 'manage_link_requested'], 'the other one: the organiser calls back');
});

t.test('« Recevoir à nouveau mon lien » is reachable from the event page and from a dead manage link', async (t) => {
  const { agent, db } = await buildTestApp(t);
  const { event: ev } = await makeWorld(db);
  const a = agent();
  await a.post(`/evenements/${ev.id}/inscription`, { ...form, email: 'awa@example.org' });
  const page = await a.get(`/evenements/${ev.id}`);
  t.match(page.body, `<a href="/evenements/${ev.id}/inscription/renvoyer-lien">recevez à nouveau votre lien</a>`);
  const form1 = await a.get(`/evenements/${ev.id}/inscription/renvoyer-lien`);
  t.equal(form1.statusCode, 200);
  t.match(form1.body, /<label for="renvoi-contact">Adresse e-mail ou téléphone donné à l’inscription<\/label>/);

  const dead = await a.get(`/inscription/${'x'.repeat(43)}`);
  t.equal(dead.statusCode, 404);
  t.match(dead.body, '<a href="/inscription/recevoir-mon-lien">Recevoir à nouveau mon lien</a>');
  t.equal((await a.get('/inscription/recevoir-mon-lien')).statusCode, 200);
  const bad = await a.post('/inscription/recevoir-mon-lien', { contact: 'ni-l-un-ni-l-autre' });
  t.equal(bad.statusCode, 422);
  t.match(bad.body, /<li><a href="#renvoi-contact">Ce n&#39;est ni une adresse e-mail/);
  const ok = await a.post('/inscription/recevoir-mon-lien', { contact: 'AWA@example.org' });
  t.equal(ok.statusCode, 200);
  t.match(visibleText(ok.body), "Si une inscription à venir existe avec l'adresse AWA@example.org , un e-mail vient d'y être envoyé");
  t.same((await outboxRows(db)).filter((r) => r.payload.resent).map((r) => r.recipient), ['awa@example.org'], 'the link of each registration to come');
});

t.test('texts: a long title is shortened to fit two GSM-7 parts, the manage link kept whole', async (t) => {
  const url = `http://localhost:3000/inscription/${'a'.repeat(43)}`;
  const title = 'Ciné-débat « Être soi » : une très longue soirée d’échanges entre usager·es, soignant·es et proches, avec des associations du territoire, suivie d’un buffet partagé et d’une exposition photographique';
  const text = fitSms((x) => `Rassembler : votre inscription à "${x}" (mar. 6 oct. à 14h00) est confirmée. Modifier ou annuler : ${url}`, title);
  t.ok(text.length <= SMS_MAX);
  t.ok(text.endsWith(url), 'the link whole');
  t.match(text, 'Rassembler : votre inscription à "Ciné-débat " Etre soi " : une très longue soirée d\'échanges entre usager.es');
  t.equal(toGsm7('Fête à Noël, ça ôte « le cœur »'), 'Fete à Noel, ca ote " le coeur "');
});

t.test('a phone-only person changes their seats: the organiser is told why in words, never by a code name', async (t) => {
  const { agent, db } = await buildTestApp(t);
  const w = await makeWorld(db, { capacity: 10 });
  const member = await makeUser(db, { email: 'orga@example.org' });
  await makeMember(db, member.id, w.organisation.id);
  const resident = agent();
  const registered = await resident.post(`/evenements/${w.event.id}/inscription`, { ...form, nom: 'Bruno', telephone: '06 98 76 54 32', places: '2' });
  const manage = registered.headers.location!.replace(/\/confirmation.*$/, '');
  t.equal((await resident.post(`${manage}/places`, { places: '1' })).statusCode, 303);
  t.same((await calls(db)).map((c) => c.kind), ['registration_confirmed', 'seats_changed']);
  const o = agent();
  await o.signInAs('orga@example.org');
  const text = visibleText((await o.get(`/espace/evenements/${w.event.id}/inscriptions`)).body);
  t.match(text, 'Bruno +33 6 98 76 54 32 Nombre de places modifié : le lui confirmer');
  t.notMatch(text, 'seats_changed');
});
