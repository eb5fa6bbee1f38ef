// @databases: pglite
// The organisers' side in English (/en/…): sign-in pages and the sign-in mail, the signed-in home,
// an organisation, the administration and the local mailbox, error pages (404, 403, expired form,
// input refused) and form errors. Every page is checked for English words and for French ones left.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { desc, eq } from 'drizzle-orm';
import { outbox } from '../../server/db/schema.ts';
import { BUILT_IN_CATALOGUES, inLanguage, t as translate } from '../../server/i18n/index.ts';
import { mailKinds, renderMail } from '../../server/mail-kinds.ts';
import { buildTestApp, visibleText } from '../helpers/app.ts';
import { frenchLeft } from '../helpers/french-words.ts';
import { makeEdition, makeEvent, makeMember, makeOrganisation, makeTerritory, makeUser } from '../helpers/factory.ts';

const NOW = '2026-09-15T08:00:00.000Z';
const HTML = { accept: 'text/html,application/xhtml+xml' };

// Letters of French words, beyond the shared list of French interface words: no word of an English
// page of this side needs an accent, once the data shown on it (names, addresses, event titles) and
// « Français », the switch's name for French, are taken out.
const ACCENTED = /[éèêàâçùîôÉÈÀ]/giu;
// « Mon espace »: not on the shared list (« Mon » is Monday on the charts), but these pages write days in full.
const WORDS = ['mon'];

/** A step the test relies on (not what it checks): stops the test if it did not happen. */
function must(condition: boolean, what: string): void {
  if (!condition) throw new Error(`test setup: ${what}`);
}

/** A page's status and title (« Page not found – Rassembler »). */
function shown(res: { statusCode: number; body: string }) {
  return { status: res.statusCode, title: /<title>([^<]*)<\/title>/.exec(res.body)?.[1] ?? '' };
}

/** The French words (and accented letters) left on a page once `data` (what people typed) is removed. */
function frenchLeftOn(html: string, data: readonly string[] = []): string[] {
  return frenchLeft(visibleText(html), { typed: ['Français', ...data], words: WORDS, patterns: [ACCENTED] });
}

t.test('sign-in in English: the pages, the link mail in English, its link under /en/, then the home', async (t) => {
  const { db, config, clock, agent } = await buildTestApp(t, { now: NOW });
  const a = agent();

  const page = await a.get('/en/connexion', HTML);
  t.same(shown(page), { status: 200, title: 'Sign in – Rassembler' });
  const text = visibleText(page.body);
  t.match(text, "Sign in to the organisers' space");
  t.match(text, 'which works for 10 minutes and can be used only once');
  t.match(text, 'Email address (required)');
  t.match(text, 'Send me a sign-in link');
  t.match(page.body, 'href="/en/programme">see the programme</a>', 'the link inside a sentence keeps the language');
  t.same(frenchLeftOn(page.body), [], 'no French word left on the sign-in page');

  // A validation error: 422, the summary and the field's message in English.
  const empty = await a.post('/en/connexion', { email: 'not-an-address' });
  t.same(shown(empty), { status: 422, title: 'Error: Sign in – Rassembler' });
  t.match(visibleText(empty.body), 'There is one problem with the form');
  t.match(visibleText(empty.body), 'Error: Your email address is not valid: please check it');
  t.same(frenchLeftOn(empty.body, ['not-an-address']), [], 'no French word left on the refused form');

  const asked = await a.post('/en/connexion', { email: 'sam@example.org' });
  must(asked.statusCode === 303 && asked.headers.location === '/en/connexion/envoye', 'the link is asked for');
  const sent = await a.get('/en/connexion/envoye', HTML);
  t.match(visibleText(sent.body), 'Check your email');
  t.match(visibleText(sent.body), 'Open the email “Your sign-in link for Rassembler”');
  t.same(frenchLeftOn(sent.body), [], 'no French word left on the « check your email » page');

  const [row] = await db.select().from(outbox).where(eq(outbox.recipient, 'sam@example.org')).orderBy(desc(outbox.id)).limit(1);
  must(row?.kind === 'sign_in_link', 'the sign-in mail is queued');
  t.equal(row!.language, 'en', 'the mail is written in the language of the page that asked for it');
  const url = new URL(String(row!.payload.url));
  t.equal(url.origin + url.pathname, `${config.publicUrl}/en/connexion/lien`, 'its link opens in English');

  const mail = await inLanguage(row!.language, () => renderMail(db, config, row!, clock.now()));
  if (!('subject' in mail)) throw new Error('the sign-in mail was not rendered');
  t.equal(mail.subject, 'Your sign-in link for Rassembler');
  const [body = '', footer = ''] = mail.text.split('\n--\n');
  t.match(body, 'Hello,');
  t.match(body, 'To sign in to Rassembler, open this link before Tuesday, 15 September 2026 at 10:10 (Paris time). It works only once.');
  t.match(body, 'If the link has expired, ask for a new one on the sign-in page.');
  const reason = footer.split('\n')[0] ?? '';
  t.match(reason, 'You are receiving this message because someone asked to sign in');
  t.same(frenchLeft(`${body}\n${reason}`.replace(url.href, ' '), { words: WORDS, patterns: [ACCENTED] }), [], 'no French word in the mail written for the person');
  t.match(mail.html, '>Sign me in</a>');

  const link = await a.get(url.pathname + url.search, HTML);
  t.same(shown(link), { status: 200, title: 'Sign in – Rassembler' });
  t.match(visibleText(link.body), 'You are about to sign in with the address sam@example.org');
  t.match(link.body, 'action="/en/connexion/lien"');
  t.same(frenchLeftOn(link.body, ['sam@example.org']), [], 'no French word left on the link page');
  const signedIn = await a.post('/en/connexion/lien', { jeton: url.searchParams.get('jeton')! });
  must(signedIn.statusCode === 303, 'signed in');

  const used = await a.get(url.pathname + url.search, HTML);
  t.same(shown(used), { status: 410, title: 'This sign-in link has already been used – Rassembler' });
  t.match(visibleText(used.body), 'For your security, each link works only once.');
  t.same(frenchLeftOn(used.body), [], 'no French word left on the used link page');

  const home = await a.get('/en/espace', HTML);
  t.same(shown(home), { status: 200, title: 'My space – Rassembler' });
  const homeText = visibleText(home.body);
  t.match(homeText, 'You are signed in with the address sam@example.org');
  t.match(homeText, 'You are not a member of any organisation yet.');
  t.match(homeText, 'Create an organisation');
  t.match(homeText, 'Your name Shown to the other members of your organisations');
  t.same(frenchLeftOn(home.body, ['sam@example.org']), [], 'no French word left on the home page');

  const named = await a.post('/en/espace/profil', { name: 'Sam Taylor' });
  must(named.headers.location === '/en/espace', 'the name is saved');
  const again = await a.get('/en/espace', HTML);
  t.match(visibleText(again.body), 'Your name has been saved.', 'the one-time message in English');
  t.match(visibleText(again.body), 'You are signed in as Sam Taylor with the address sam@example.org');

  const tooLong = await a.post('/en/espace/profil', { name: 'x'.repeat(121) });
  t.same(shown(tooLong), { status: 422, title: 'Error: My space – Rassembler' });
  t.match(visibleText(tooLong.body), 'Your name must be 120 characters or fewer.');
  t.same(frenchLeftOn(tooLong.body, ['sam@example.org', 'Sam Taylor']), [], 'no French word left on the refused profile');
});

t.test('an organisation, its form, and another organisation (403) in English', async (t) => {
  const { db, agent } = await buildTestApp(t, { now: NOW });
  const area = await makeTerritory(db, { name: 'Grenoble Area' });
  const edition = await makeEdition(db);
  const mine = await makeOrganisation(db, area.id, { name: 'Open Minds Club', contactEmail: null });
  const theirs = await makeOrganisation(db, area.id, { name: 'Other Club' });
  const other = await makeUser(db, { email: 'kim@example.org', name: 'Kim' });
  await makeMember(db, other.id, mine.id);
  const event = await makeEvent(db, { editionId: edition.id, territoryId: area.id, organisationId: mine.id }, { title: 'Atelier théâtre' });
  const a = agent();
  const me = await a.signInAs('sam@example.org', { name: 'Sam' });
  await makeMember(db, me, mine.id);
  const data = ['Open Minds Club', 'Grenoble Area', 'sam@example.org', 'kim@example.org', 'Sam', 'Kim', event.title];

  const page = await a.get(`/en/espace/organisations/${mine.id}`, HTML);
  must(page.statusCode === 200, 'the organisation page opens');
  const text = visibleText(page.body);
  t.match(text, 'Type Association Area Grenoble Area Contact email not given');
  t.match(text, 'Edit the details');
  t.match(text, 'Members');
  t.match(text, 'Last signed in');
  t.match(text, 'not signed in yet');
  t.match(text, 'Leave the organisation');
  t.match(text, 'Invite someone');
  t.match(text, `Events ${event.title} — Tuesday, 6 October 2026 at 14:00, Published Propose an event Our venues`);
  t.match(page.body, `lang="fr">${event.title}</a>`, "the organiser's French title is marked as French");
  t.same(frenchLeftOn(page.body, data), [], 'no French word left on the organisation page');

  const invited = await a.post(`/en/espace/organisations/${mine.id}/invitations`, { email: 'kim@example.org' });
  must(invited.statusCode === 422, 'the invitation is refused');
  t.match(visibleText(invited.body), 'kim@example.org is already a member of the organisation.');

  const form = await a.get(`/en/espace/organisations/${mine.id}/modifier`, HTML);
  t.same(shown(form), { status: 200, title: 'Edit Open Minds Club – Rassembler' });
  t.match(visibleText(form.body), 'Area: Grenoble Area (the area does not change');
  t.same(frenchLeftOn(form.body, data), [], 'no French word left on the organisation form');

  // A validation error on creation: 422, the summary, each message.
  const empty = await a.post('/en/espace/organisations/nouvelle', { name: '', kind: '', territoryId: '' });
  t.same(shown(empty), { status: 422, title: 'Error: Create an organisation – Rassembler' });
  const emptyText = visibleText(empty.body);
  t.match(emptyText, 'There are 3 problems with the form');
  t.match(emptyText, 'Enter the name of the organisation.');
  t.match(emptyText, 'Choose the type of organisation.');
  t.match(emptyText, 'Choose the area where your organisation works.');
  t.match(emptyText, 'Name of the organisation (required)');
  t.match(empty.body, '>Choose a type</option>');
  t.same(frenchLeftOn(empty.body, data), [], 'no French word left on the refused form');

  const forbidden = await a.get(`/en/espace/organisations/${theirs.id}`, HTML);
  t.same(shown(forbidden), { status: 403, title: 'Access denied – Rassembler' });
  t.match(visibleText(forbidden.body), 'You are not a member of this organisation.');
  t.match(forbidden.body, 'href="/en/">Back to the home page</a>');
  t.same(frenchLeftOn(forbidden.body), [], 'no French word left on the 403 page');
});

t.test('the administration and the mails pages in English', async (t) => {
  const { db, agent } = await buildTestApp(t, { now: NOW });
  await makeTerritory(db, { name: 'Grenoble Area' });
  await makeEdition(db, { theme: 'Mental health and social ties' });
  const a = agent();
  await a.signInAs('admin@example.org', { isAdmin: true });
  const data = ['Grenoble Area', 'Mental health and social ties', 'admin@example.org', 'Europe/Paris'];

  const admin = await a.get('/en/admin', HTML);
  must(admin.statusCode === 200, 'the administration opens');
  const text = visibleText(admin.body);
  t.match(text, 'Areas An area is a local mental health council (CLSM)');
  t.match(text, 'Area Time zone Towns Coordinators Grenoble Area Europe/Paris 2 nobody');
  t.match(text, 'from Monday, 5 October 2026 to Sunday, 18 October 2026 open');
  t.match(text, 'Unsent emails — none failed');
  t.match(text, 'Administrators');
  t.same(frenchLeftOn(admin.body, data), [], 'no French word left on the administration page');

  const edition = await a.post('/en/admin/editions/nouvelle', { year: '2027', theme: '', firstDay: '2026-10-05', lastDay: '' });
  t.same(shown(edition), { status: 422, title: 'Error: New edition – Rassembler' });
  const editionText = visibleText(edition.body);
  t.match(editionText, 'Enter the national theme of the edition.');
  t.match(editionText, 'The first day must be in 2027, the year of the edition.');
  t.match(editionText, 'Enter the last day of the edition.');
  t.same(frenchLeftOn(edition.body, data), [], 'no French word left on the refused edition');

  const mails = await a.get('/en/admin/courriels', HTML);
  t.same(shown(mails), { status: 200, title: 'Unsent emails – Rassembler' });
  t.match(visibleText(mails.body), 'Waiting to be sent: 0');
  t.match(visibleText(mails.body), 'No failed emails.');
  t.same(frenchLeftOn(mails.body, data), [], 'no French word left on the unsent mails page');

  const mailbox = await a.get('/en/boite-aux-lettres', HTML);
  t.same(shown(mailbox), { status: 200, title: 'Local mailbox – Rassembler' });
  t.match(visibleText(mailbox.body), 'No emails yet.');
  t.same(frenchLeftOn(mailbox.body, [...data, `${mailbox.body.match(/<code>([^<]*\/mail)<\/code>/)?.[1]}`]), [], 'no French word left on the mailbox page');
});

t.test('error pages in English: 404, an expired form, a value no form sends', async (t) => {
  const { agent } = await buildTestApp(t, { now: NOW });
  const a = agent();

  const missing = await a.get('/en/nope', HTML);
  t.same(shown(missing), { status: 404, title: 'Page not found – Rassembler' });
  t.match(visibleText(missing.body), 'This page does not exist, or no longer exists.');
  t.match(missing.body, 'href="/en/programme">See the programme</a>');
  t.same(frenchLeftOn(missing.body), [], 'no French word left on the 404 page');

  await a.signInAs('sam@example.org');
  await a.get('/en/espace', HTML);
  const expired = await a.post('/en/espace/profil', { name: 'Sam', _csrf: 'stale-token' }, { csrf: false });
  t.same(shown(expired), { status: 403, title: 'Form expired – Rassembler' });
  t.match(visibleText(expired.body), 'This form has expired or did not come from this site.');
  t.same(frenchLeftOn(expired.body), [], 'no French word left on the expired form page');

  const long = await a.post('/en/connexion', { email: 'x'.repeat(20_001) });
  t.same(shown(long), { status: 400, title: 'Request not understood – Rassembler' });
  t.match(visibleText(long.body), 'A field is longer than 20,000 characters');
  t.same(frenchLeftOn(long.body), [], 'no French word left on the refused request');
});

t.test('too many links, too many requests: both refusals in English', async (t) => {
  const { agent } = await buildTestApp(t, { now: NOW });
  const a = agent();
  for (let i = 0; i < 5; i++) must((await a.post('/en/connexion', { email: 'sam@example.org' })).statusCode === 303, 'a link is sent');
  const sixth = await a.post('/en/connexion', { email: 'sam@example.org' });
  t.same(shown(sixth), { status: 429, title: 'Error: Sign in – Rassembler' });
  t.match(visibleText(sixth.body), 'Several links have already been requested for this address. Use the most recent one, or try again in');
  t.same(frenchLeftOn(sixth.body), [], 'no French word left on the refused request for a link');

  for (let i = 0; i < 4; i++) await a.post('/en/connexion', { email: `other${i}@example.org` });
  const limited = await a.post('/en/connexion', { email: 'last@example.org' });
  t.same(shown(limited), { status: 429, title: 'Too many requests – Rassembler' });
  t.match(visibleText(limited.body), /Too many requests in a short time\. Please try again in \d+ seconds?\./);
  t.same(frenchLeftOn(limited.body), [], 'no French word left on the rate limit page');
});

t.test('every kind of mail has its name for administrators in each language', async (t) => {
  const english = JSON.parse(readFileSync(path.join(BUILT_IN_CATALOGUES, 'en', 'mailbox.json'), 'utf8')) as { kinds: Record<string, string> };
  for (const [name, kind] of mailKinds.kinds) {
    t.equal(inLanguage('fr', () => translate(`mailbox:kinds.${name}`)), kind.label, `${name}: the French name is its label`);
    t.ok(english.kinds[name], `${name}: named in English`);
  }
});
