// @databases: pglite
// The team's pages in English (/en/…): the attention page, the access journal and its CSV, the
// figures and the bilan with its PDF and CSV files, the organiser's registrations, call list,
// check-in sheet and attendee CSV; the team's mails about access needs. Each is read as a person reads it, the texts people and
// organisers typed (titles, names, places, theme) taken out first: no French interface word is left.
import t, { type Test } from 'tap';
import type { Database } from '../../server/db/client.ts';
import { accessNeed } from '../../server/db/schema.ts';
import { inLanguage } from '../../server/i18n/index.ts';
import { renderMail } from '../../server/mail-kinds.ts';
import { buildTestApp, visibleText } from '../helpers/app.ts';
import { frenchLeft, typedTexts } from '../helpers/french-words.ts';
import { readPdf } from '../helpers/pdf-text.ts';
import { reportsApp } from '../reports/fixtures.ts';
import { tableRows } from '../reports/html.ts';
import { cockpitFixture, NOW } from './fixture.ts';

/** `text` holds no French interface word once what people typed (read from the database) is out. */
async function assertEnglish(t: Test, db: Database, text: string, what: string) {
  t.same(frenchLeft(text, { typed: await typedTexts(db) }), [], `${what}: no French interface word`);
}

async function cockpit(t: Test) {
  const app = await buildTestApp(t, { now: NOW });
  return { ...app, f: await cockpitFixture(app.db) };
}

t.test('the attention page in English, for a coordinator and for an organiser', async (t) => {
  const { agent, db, f } = await cockpit(t);
  const coordinator = agent();
  await coordinator.signInAs('coordination@clsm.example');
  const res = await coordinator.get('/en/espace/a-traiter');
  const text = visibleText(res.body);
  t.match(res.body, '<h1>To do</h1>');
  for (const words of [
    'Coordination: Grenoble-Alpes',
    '1 proposal to review',
    '3 access needs with no answer',
    '1 need answered “not possible”',
    '1 person to tell by phone',
    '1 full event with a waiting list',
    '1 event with no accessibility arrangements at all',
    'Jardin partagé : 2 needs with no answer — Les Jardins du Lien, access needs deadline passed 5 days ago',
    'Ciné-débat : 1 need with no answer — Les Jardins du Lien, 7 days before the access needs deadline',
    'Access needs log : who viewed, downloaded or printed the access needs, and when.',
    'Ciné-débat : 4 / 4 places, 1 registration waiting (3 places)',
  ])
    t.match(text, words, words);
  t.match(res.body, `<a href="/en/espace/evenements/${f.jardin.id}/inscriptions#besoins">Jardin partagé</a>: <strong>2 needs with no answer</strong>`, 'English punctuation, links kept in English');
  t.notMatch(res.body, '</a> : ', 'no French colon');
  await assertEnglish(t, db, text, 'coordinator');

  const organiser = agent();
  await organiser.signInAs('jardins@example.org');
  const mine = visibleText((await organiser.get('/en/espace/a-traiter')).body);
  for (const words of ['3 access needs to answer', '1 proposal to change at the coordinators\' request', 'Upcoming events', 'Needs: requested, arranged, not possible', '(free entry)', '1 with no answer, 1 arranged, 1 not possible'])
    t.match(mine, words, words);
  await assertEnglish(t, db, mine, 'organiser');
});

t.test('the access journal and its CSV in English', async (t) => {
  const { agent, db, f } = await cockpit(t);
  const organiser = agent();
  await organiser.signInAs('jardins@example.org');
  await organiser.get(`/espace/evenements/${f.cine.id}/inscriptions`);
  await organiser.get(`/espace/evenements/${f.cine.id}/inscriptions.csv`);
  const coordinator = agent();
  await coordinator.signInAs('coordination@clsm.example');
  const res = await coordinator.get(`/en/coordination/${f.territory.id}/journal`);
  const text = visibleText(res.body);
  for (const words of ['Access needs log: Grenoble-Alpes', 'Filter the log', 'All events', 'All actions', 'Viewed the list of registrations and needs', '2 lines', 'Download these lines (CSV)', 'downloaded the list (CSV)'])
    t.match(text, words, words);
  await assertEnglish(t, db, text, 'journal');

  const empty = visibleText((await coordinator.get(`/en/coordination/${f.territory.id}/journal?du=2026-09-16`)).body);
  t.match(empty, 'No lines');
  const wrong = await coordinator.get(`/en/coordination/${f.territory.id}/journal?du=demain`);
  t.match(visibleText(wrong.body), 'The start date must be a date, for example 2026-10-05.');

  const csv = await coordinator.get(`/en/coordination/${f.territory.id}/journal.csv`);
  t.equal(csv.headers['content-disposition'], `attachment; filename="access-needs-log-${f.territory.slug}.csv"`);
  const [header, ...lines] = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
  t.equal(header, 'Date;Person;Email;Action;Event');
  t.match(lines.join('\n'), 'downloaded the list (CSV)');
  await assertEnglish(t, db, csv.body, 'journal CSV');
});

t.test("the organiser's registrations, call list, check-in sheet and attendee CSV in English", async (t) => {
  const { agent, db, f } = await cockpit(t);
  const organiser = agent();
  await organiser.signInAs('jardins@example.org');

  const cine = await organiser.get(`/en/espace/evenements/${f.cine.id}/inscriptions`);
  const list = visibleText(cine.body);
  for (const words of [
    'Registrations: Ciné-débat',
    'Download the list (CSV)',
    'Sign-in sheet',
    'Register someone (by phone)',
    'Confirmed places 4 of 4, for 2 registrations',
    'Access needs to meet',
    'Your answer for “French Sign Language',
    'Save the answer',
    'Confirmed (2)',
    'Waiting list (1)',
    'Cancelled (1)',
    'Messages to registered people',
  ])
    t.match(list, words, words);
  await assertEnglish(t, db, list, 'registrations');

  const jardin = visibleText((await organiser.get(`/en/espace/evenements/${f.jardin.id}/inscriptions`)).body);
  t.match(jardin, 'People to tell by phone (1)');
  t.match(jardin, 'Registration confirmed: confirm their place', 'why to call, in English');
  t.match(jardin, 'Mark as told');
  await assertEnglish(t, db, jardin, 'call list');
  const called = await organiser.get(`/en/espace/evenements/${f.jardin.id}/inscriptions?prevenu=1`);
  t.match(visibleText(called.body), 'Done: the person is marked as told');

  const sheet = await organiser.get(`/en/espace/evenements/${f.cine.id}/emargement`);
  const sheetText = visibleText(sheet.body);
  for (const words of ['Sign-in sheet: Ciné-débat', '2 confirmed registrations, 4 places.', 'Arrivals noted: 0.', 'Search for a name', 'Note arrival', 'Not arrived yet', 'Attendance'])
    t.match(sheetText, words, words);
  await assertEnglish(t, db, sheetText, 'check-in sheet');

  const found = await organiser.get(`/en/espace/evenements/${f.cine.id}/emargement?q=aw`, { 'hx-request': 'true' });
  t.match(visibleText(found.body), '1 person of 2 for “aw”.');
  const toggled = await organiser.post(`/en/espace/evenements/${f.cine.id}/emargement/${f.awa.registration.id}`, {}, { headers: { 'hx-request': 'true' } });
  const toggledText = visibleText(toggled.body);
  t.match(toggledText, 'Awa: arrival noted. Arrivals noted: 1.');
  t.match(toggledText, 'Here (arrival noted at');
  t.match(toggledText, 'Remove arrival');
  await assertEnglish(t, db, toggledText, 'check-in toggle');

  const csv = await organiser.get(`/en/espace/evenements/${f.cine.id}/inscriptions.csv`);
  t.equal(csv.headers['content-disposition'], `attachment; filename="registrations-event-${f.cine.id}.csv"`);
  const [header, ...rows] = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
  t.equal(
    header,
    'Status;Waiting list position;Name;Email;Phone;Places;Registered by someone else;Contact: name;Contact: email;Contact: phone;Access needs;Attendance;Registered on',
  );
  const awa = rows.find((r) => r.includes(';Awa;'))!;
  t.match(awa, /;no;/, 'yes or no in English');
  t.match(awa, /present \(/, 'the arrival in English');
  await assertEnglish(t, db, csv.body, 'attendee CSV');
});

t.test('the figures, the bilan, its PDF and its CSV files in English', async (t) => {
  const { f, as, db } = await reportsApp(t);
  const coordinator = await as('coordination@cayenne.example');

  const figures = await coordinator.get(`/en/coordination/${f.cayenne.id}/chiffres`);
  const figuresText = visibleText(figures.body);
  t.match(figuresText, 'Figures for the 2026 edition: CLSM de Cayenne');
  t.match(figuresText, '6 needs declared, of which 3 arranged (50%).');
  t.same(tableRows(figures.body, 'evenements-par-jour')[0], ['Day', 'Events']);
  await assertEnglish(t, db, figuresText, 'figures');

  const page = await coordinator.get(`/en/coordination/${f.cayenne.id}/bilan`);
  const text = visibleText(page.body);
  for (const words of [
    'Mental Health Information Weeks 2026 report: CLSM de Cayenne',
    'Key figures',
    'Download the report (PDF)',
    'Published events per day',
    'Accessibility requested and provided',
    'So that no one can be identified',
    '(data in the table below)',
  ])
    t.match(text, words, words);
  t.match(page.body, `<a href="/en/coordination/${f.cayenne.id}/bilan.pdf?annee=2026" download>Download the report (PDF)</a>`, 'the PDF in English too');
  t.match(page.body, '>Events</text>', 'the charts’ axis titles in English');
  t.notMatch(page.body, '>Événements</text>');
  t.match(tableRows(page.body, 'besoins-par-categorie')[0]!.join(' | '), 'Need | Declared | Arranged | Not possible | No answer');
  await assertEnglish(t, db, text, 'bilan');

  const pdf = await coordinator.get(`/en/coordination/${f.cayenne.id}/bilan.pdf?annee=2026`);
  t.equal(pdf.headers['content-disposition'], `attachment; filename="report-mhiw-2026-cayenne.pdf"`);
  const read = await readPdf(pdf.rawPayload);
  t.equal(read.title, 'Mental Health Information Weeks 2026 report: CLSM de Cayenne');
  const lines = read.pages.flat().join('\n');
  t.match(lines, 'Key figures');
  t.match(lines, 'Published events per day (data in the table below)');
  // The footer (« page 1 sur 4 ») is lib/pdf.ts's own until it takes the bilan's words.
  await assertEnglish(t, db, lines.replace(/page \d+ sur \d+/g, ''), 'bilan PDF');

  const csv = await coordinator.get(`/en/coordination/${f.cayenne.id}/bilan/besoins-par-categorie.csv?annee=2026`);
  t.equal(csv.headers['content-disposition'], `attachment; filename="report-mhiw-2026-cayenne-besoins-par-categorie.csv"`);
  const [header, ...rows] = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
  t.equal(header!.split(';')[0], 'Need');
  t.match(header, 'Share of needs met');
  t.match(rows.at(-1), /^All needs;6;< 5;/);
  t.match(rows.at(-1), ';hidden', 'hidden counts said in English');
  await assertEnglish(t, db, csv.body, 'bilan CSV');

  const reached = await coordinator.get(`/en/coordination/${f.cayenne.id}/bilan/public-touche.csv?annee=2026`);
  const reachedRows = reached.body.replace(/^\uFEFF/, '').trim().split('\r\n');
  t.equal(reachedRows[0], 'Indicator;Value');
  t.ok(reachedRows.includes('Attendance rate (arrivals / confirmed registrations, where arrivals were noted);66.7%'), 'a share with a decimal point and no space before the sign');
  await assertEnglish(t, db, reached.body, 'bilan CSV of people reached');

  const days = await coordinator.get(`/en/coordination/${f.cayenne.id}/bilan/evenements-par-jour.csv?annee=2026`);
  t.equal(days.body.replace(/^\uFEFF/, '').split('\r\n')[0], 'Day;Events');
});

t.test("the team's mails about access needs, in English", async (t) => {
  const { db, config, f } = await cockpit(t);
  /** The mail of an outbox row written in English (the row's language, as the worker renders it). */
  const mail = async (kind: string, payload: Record<string, unknown>) => {
    const row = { id: 1, kind, recipient: 'orga@example.org', payload, language: 'en' };
    const rendered = await inLanguage('en', () => renderMail(db, config, row as Parameters<typeof renderMail>[2], NOW));
    if (!('subject' in rendered)) throw new Error(`no mail for ${kind}`);
    return rendered;
  };
  const needsPage = (id: number) => `${config.publicUrl}/en/espace/evenements/${id}/inscriptions`;

  const digest = await mail('organiser_needs_digest', { eventId: f.cine.id });
  t.equal(digest.subject, 'Access needs to prepare: Ciné-débat');
  t.match(digest.text, 'Hello,');
  t.match(digest.text, '1 access request is waiting for your answer for the event below. The deadline for requests is Tuesday, 22 September 2026 at 12:00.');
  t.match(digest.text, `Answer the requests: ${needsPage(f.cine.id)}`, 'the registrations page in English');
  t.match(digest.html, '<strong>1 access request is waiting for your answer</strong>');
  t.match(digest.text, 'To protect this health information, this message contains no names or details');
  t.match(digest.text, 'You are receiving this message as a member of Les Jardins du Lien on Rassembler.');

  const needIds = (await db.select({ id: accessNeed.id }).from(accessNeed)).map((n) => n.id);
  const fresh = await mail('organiser_new_needs', { eventId: f.cine.id, needIds });
  t.equal(fresh.subject, 'New access request: Ciné-débat');
  t.match(fresh.text, 'Someone registered for the event below has just asked for an arrangement:');
  t.match(fresh.text, 'The deadline for requests is close (Tuesday, 22 September 2026 at 12:00): let them know quickly whether it will be possible.');
  t.match(fresh.html, '>Answer the requests<');

  const alert = await mail('coordinator_unmet_needs_alert', { eventId: f.jardin.id, alerted: [] });
  t.equal(alert.subject, 'Access needs with no answer: Jardin partagé');
  t.match(alert.text, 'The deadline for access requests (Thursday, 10 September 2026 at 12:00) has passed and 2 requests still have no answer from the organisation for the event below.');
  t.match(alert.html, '<strong>2 requests still have no answer</strong>');
  t.match(alert.text, `See the needs and the answers: ${needsPage(f.jardin.id)}`);
  t.match(alert.text, 'You are receiving this message as a coordinator of Grenoble-Alpes on Rassembler.');
});
