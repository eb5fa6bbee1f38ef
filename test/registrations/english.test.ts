// @databases: pglite, postgres
// Registering in English: the public form, its answer, the result and manage pages under /en/;
// the registration keeps its language, and everything written to that person afterwards — the
// confirmation, a text, the answer to a need, a reminder — is in English, whoever causes it (an
// organiser working in French, the scheduler) and whenever it is sent.
import t, { type Test } from 'tap';
import { eq } from 'drizzle-orm';
import type { Database } from '../../server/db/client.ts';
import { buildTestApp, visibleText } from '../helpers/app.ts';
import { frenchLeft, typedTexts } from '../helpers/french-words.ts';
import { makeUser, makeWorld, makeMember } from '../helpers/factory.ts';
import { outbox, registration } from '../../server/db/schema.ts';
import { inLanguage } from '../../server/i18n/index.ts';
import { renderMail } from '../../server/mail-kinds.ts';
import { answerNeed } from '../../server/registrations/organiser.ts';
import { scheduleDueMails } from '../../server/registrations/mails-schedule.ts';
import { linksOf, mailWith, startInbox, workerFor } from '../mail/helpers.ts';
import { needsOf, registrationsOf } from './helpers.ts';

/** No French interface word in `text` once what people typed (read from the database) is out. */
async function noFrench(t: Test, db: Database, text: string, what: string) {
  t.same(frenchLeft(text, { typed: await typedTexts(db) }), [], `no French interface words in ${what}`);
}

t.test('registering through /en/: English pages, the language stored, English mails and texts whoever sends them', async (t) => {
  const app = await buildTestApp(t);
  const { agent, db, config, clock } = app;
  const inbox = await startInbox(t);
  const worker = workerFor(t, app, inbox);
  // No deadline for access requests: a new need is urgent, told to the organisers at once.
  const world = await makeWorld(db, { title: 'Atelier peinture et lien social', accessRequestDeadline: null });
  const ev = world.event;
  await makeMember(db, (await makeUser(db)).id, world.organisation.id);
  const a = agent();

  // The form, in English.
  const form = await a.get(`/en/evenements/${ev.id}/inscription`);
  t.equal(form.statusCode, 200);
  const formText = visibleText(form.body);
  t.match(formText, `Register: ${ev.title}`);
  t.match(formText, 'Access needs (optional)');
  t.match(formText, 'Consent to record access needs');
  t.match(formText, 'French Sign Language (LSF)');
  t.match(form.body, new RegExp(`action="/en/evenements/${ev.id}/inscription"`), 'the form posts to the English address');
  await noFrench(t, db, formText, 'the form');

  // A validation error, in English.
  const invalid = await a.post(`/en/evenements/${ev.id}/inscription`, { nom: '', email: 'awa@example.org', places: '1' });
  t.equal(invalid.statusCode, 422);
  t.match(visibleText(invalid.body), 'Enter the name of the person attending.');
  await noFrench(t, db, visibleText(invalid.body), 'the form with its errors');

  // Registering with an access need the event does not offer.
  const res = await a.post(`/en/evenements/${ev.id}/inscription`, {
    nom: 'Awa Diallo',
    email: 'awa@example.org',
    places: '1',
    besoins: ['caa'],
    'precision-caa': 'pictograms',
    consentement: '1',
  });
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, `/en/evenements/${ev.id}/inscription/demande-envoyee?par=e-mail`, 'the answer page in English');
  const answer = await a.get(res.headers.location as string);
  t.equal(answer.statusCode, 200);
  const answerText = visibleText(answer.body);
  t.match(answerText, 'Registration request received');
  t.match(answerText, `Your request to register for “${ev.title}” has been received.`);
  await noFrench(t, db, answerText, 'the answer page');

  // The registration keeps its language, and so does every message queued for it.
  const [row] = await registrationsOf(db, ev.id);
  t.equal(row!.language, 'en', 'registration.language');
  const teamNotices = await db.select().from(outbox).where(eq(outbox.kind, 'organiser_new_needs'));
  t.ok(teamNotices.length > 0, 'the organisers are told of the new need at once');
  t.same([...new Set(teamNotices.map((q) => q.language))], ['fr'], 'in the team’s language, not the registrant’s');
  const queued = await db.select().from(outbox).where(eq(outbox.kind, 'registration_confirmed'));
  t.same(
    queued.map((q) => q.language),
    ['en'],
    'the confirmation row is in English',
  );

  // The confirmation, as the worker sends it.
  const run = await worker.run();
  t.same({ ...run, claimed: 0, sent: 0 }, { claimed: 0, sent: 0, skipped: 0, retried: 0, failed: 0 }, 'nothing fails');
  t.equal(run.sent, 1 + teamNotices.length, 'the confirmation and the organisers’ notices');
  const mail = mailWith(inbox, 'awa@example.org', `Registration confirmed: ${ev.title}`);
  const text = mail.parsed.text ?? '';
  t.match(text, /Hello Awa Diallo,/);
  t.match(text, /Your registration is confirmed/);
  t.match(text, /When: Tuesday, 6 October 2026, 14:00 – 16:00/);
  t.match(text, /Alternative communication aids \(AAC, pictograms\)|pictograms/);
  t.match(text, /open your personal link/);
  await noFrench(t, db, text, 'the confirmation (text)');
  const html = String(mail.parsed.html);
  t.match(html, /<html lang="en">/);
  await noFrench(t, db, visibleText(html), 'the confirmation (HTML)');
  const links = linksOf(mail).filter((l) => l.startsWith('http://localhost:3000'));
  t.ok(links.length >= 2, 'links to the site');
  t.same(
    links.filter((l) => !l.startsWith('http://localhost:3000/en/')),
    [],
    'every link to the site opens it in English',
  );
  const manage = links.find((l) => l.includes('/inscription/'))!;
  t.match(manage, /^http:\/\/localhost:3000\/en\/inscription\/[A-Za-z0-9_-]{43}$/);

  // The manage page and the result page, in English.
  const manageUrl = new URL(manage).pathname;
  const page = await a.get(manageUrl);
  t.equal(page.statusCode, 200);
  const pageText = visibleText(page.body);
  t.match(pageText, `My registration: ${ev.title}`);
  t.match(pageText, 'Cancel my registration');
  t.match(pageText, 'My access needs');
  await noFrench(t, db, pageText.replace('Awa Diallo', ' ').replace('pictograms', ' '), 'the manage page');
  const result = await a.get(`${manageUrl}/confirmation`);
  t.equal(result.statusCode, 200);
  t.match(visibleText(result.body), 'Your registration is confirmed');
  t.match(result.body, `href="http://localhost:3000${manageUrl}"`, 'the manage address in English');
  await noFrench(t, db, visibleText(result.body), 'the result page');

  // A change on the manage page: back to the page in English, with its notice; the mail too.
  const changed = await a.post(`${manageUrl}/places`, { places: '2' });
  t.equal(changed.statusCode, 303);
  t.equal(changed.headers.location, `${manageUrl}?fait=places`, 'back to the English page');
  const after = await a.get(changed.headers.location as string);
  t.match(visibleText(after.body), 'The number of places has been changed.');
  await worker.run();
  const seatsMail = mailWith(inbox, 'awa@example.org', `Number of places changed: ${ev.title}`);
  t.match(seatsMail.parsed.text ?? '', /The change is saved: your registration is now for 2 places \(including companions\)\./);
  await noFrench(t, db, seatsMail.parsed.text ?? '', 'the seats change mail');

  // A text, for someone who registered in English with a phone only.
  const bySms = await a.post(`/en/evenements/${ev.id}/inscription`, { nom: 'Sam Lee', telephone: '06 12 34 56 78', 'sms-consentement': '1', places: '2' });
  t.equal(bySms.statusCode, 303);
  const [smsRow] = await db.select().from(outbox).where(eq(outbox.channel, 'sms'));
  t.equal(smsRow!.language, 'en', 'the text is queued in English');
  const sms = await renderMail(db, config, smsRow!, clock.now());
  t.ok('sms' in sms);
  const smsText = 'sms' in sms ? sms.sms : '';
  t.match(smsText, /is confirmed/);
  t.match(smsText, /http:\/\/localhost:3000\/en\/inscription\//);
  await noFrench(t, db, smsText, 'the text');

  // An organiser answers the need, working in French: the person still reads English.
  const organiser = await makeUser(db);
  const [need] = await needsOf(db, row!.id);
  await inLanguage('fr', () =>
    answerNeed(db, clock.now(), { eventId: ev.id, needId: need!.id, userId: organiser.id, answer: { status: 'planned', response: 'Classeur prêt.' } }),
  );
  await worker.run();
  const answered = mailWith(inbox, 'awa@example.org', `Your access request is arranged: ${ev.title}`);
  t.match(answered.parsed.text ?? '', /Good news/);
  await noFrench(t, db, (answered.parsed.text ?? '').replace('Classeur prêt.', ' '), 'the answer to the need');

  // The reminder, queued by the scheduler (in French, outside any request).
  clock.set('2026-09-29T08:00:00Z');
  t.equal((await inLanguage('fr', () => scheduleDueMails(db, config, clock.now()))).reminders, 2);
  await worker.run();
  const reminder = mailWith(inbox, 'awa@example.org', `Reminder: ${ev.title}, in 7 days`);
  t.match(reminder.parsed.text ?? '', /Hello Awa Diallo,/);
  await noFrench(t, db, (reminder.parsed.text ?? '').replace('Classeur prêt.', ' '), 'the reminder');
  t.same(
    (await db.select({ language: registration.language }).from(registration).where(eq(registration.eventId, ev.id))).map((r) => r.language),
    ['en', 'en'],
  );
});

t.test('registering without a prefix stays French: the language stored is fr, the mail French', async (t) => {
  const app = await buildTestApp(t);
  const { agent, db } = app;
  const inbox = await startInbox(t);
  const worker = workerFor(t, app, inbox);
  const { event: ev } = await makeWorld(db, { title: 'Café rencontre' });
  const res = await agent().post(`/evenements/${ev.id}/inscription`, { nom: 'Awa Diallo', email: 'awa@example.org', places: '1' });
  t.equal(res.statusCode, 303);
  const [row] = await registrationsOf(db, ev.id);
  t.equal(row!.language, 'fr');
  await worker.run();
  const mail = mailWith(inbox, 'awa@example.org', 'Inscription confirmée : Café rencontre');
  t.match(String(mail.parsed.html), /<html lang="fr">/);
  t.ok(linksOf(mail).some((l) => /^http:\/\/localhost:3000\/inscription\//.test(l)), 'French links have no prefix');
});

t.test('« get my link again » in English: the form, its error, its answer', async (t) => {
  const { agent, db } = await buildTestApp(t);
  const world = await makeWorld(db, { title: 'Café rencontre' });
  const a = agent();
  const form = await a.get(`/en/evenements/${world.event.id}/inscription/renvoyer-lien`);
  t.equal(form.statusCode, 200);
  t.match(visibleText(form.body), 'To change or cancel your registration for “Café rencontre”, give the email address or phone number you used to register.');
  await noFrench(t, db, visibleText(form.body), 'the resend form');
  const invalid = await a.post(`/en/evenements/${world.event.id}/inscription/renvoyer-lien`, { contact: 'nobody' });
  t.equal(invalid.statusCode, 422);
  t.match(visibleText(invalid.body), 'This is neither an email address (name@example.org) nor a valid phone number');
  const sent = await a.post(`/en/evenements/${world.event.id}/inscription/renvoyer-lien`, { contact: 'awa@example.org' });
  t.equal(sent.statusCode, 200);
  t.match(visibleText(sent.body), /If there is a registration for “Café rencontre” with the address awa@example.org ?, an email has just been sent there/);
  await noFrench(t, db, visibleText(sent.body), 'the resend answer');
});

t.test('one worker batch with mails in French and in English: each in its own language, down to the needs', async (t) => {
  const app = await buildTestApp(t);
  const { agent, db } = app;
  const inbox = await startInbox(t);
  const worker = workerFor(t, app, inbox);
  const { event: ev } = await makeWorld(db, { title: 'Café rencontre' });
  const need = { besoins: ['caa'], 'precision-caa': 'pictos', consentement: '1', places: '1' };
  t.equal((await agent().post(`/en/evenements/${ev.id}/inscription`, { ...need, nom: 'Sam Lee', email: 'sam@example.org' })).statusCode, 303);
  t.equal((await agent().post(`/evenements/${ev.id}/inscription`, { ...need, nom: 'Awa Diallo', email: 'awa@example.org' })).statusCode, 303);
  t.same(await worker.run(), { claimed: 2, sent: 2, skipped: 0, retried: 0, failed: 0 }, 'one batch');
  const english = mailWith(inbox, 'sam@example.org', 'Registration confirmed: Café rencontre').parsed.text ?? '';
  const french = mailWith(inbox, 'awa@example.org', 'Inscription confirmée : Café rencontre').parsed.text ?? '';
  t.match(english, /Augmentative and alternative communication materials \(AAC, pictograms\) \(pictos\): passed on to the organisers, waiting for their answer\./);
  t.match(french, /Supports de communication alternative \(CAA, pictogrammes\) \(pictos\) : transmis à l'organisation, en attente de sa réponse\./);
});
