// @databases: pglite
// The events pages in English (/en/…): the organiser's pages, the proposal form, its errors and
// redirects, the coordination's review, the moderation mail; and the organiser's own title and
// summary in English (« Dans d'autres langues »), saved in event.translations and shown back.
import t from 'tap';
import { asc, eq } from 'drizzle-orm';
import { outbox } from '../../server/db/schema.ts';
import { inLanguage } from '../../server/i18n/index.ts';
import { renderMail } from '../../server/mail-kinds.ts';
import { visibleText } from '../helpers/app.ts';
import { frenchLeft } from '../helpers/french-words.ts';
import { eventById, eventRows, eventsWorld, isMarkedInvalid, pageTitle, summaryLinks, validForm } from './helpers.ts';

/** The text a person reads, without what the organiser and the test world wrote (their French stays). */
function interfaceText(html: string, ownWords: string[]): string {
  let text = visibleText(html);
  for (const words of ownWords) text = text.split(words).join(' ');
  return text;
}

/**
 * A page in English, in one look (each part fails without the translation): its status, the
 * English words it must show that it lacks, the French interface words it still shows.
 */
function english(res: { statusCode: number; body: string }, words: string[], own: string[]) {
  const text = interfaceText(res.body, own);
  return { status: res.statusCode, missing: words.filter((w) => !text.includes(w)), french: frenchLeft(visibleText(res.body), { typed: own }) };
}
const ok = (status = 200) => ({ status, missing: [], french: [] });

const EVENT = {
  title: 'Café des aidants',
  summary: 'Un café pour parler ensemble de ce que l’on vit.',
  description: 'Autour d’une table, avec le GEM.',
};

async function englishWorld(t: Parameters<typeof eventsWorld>[0], state: 'draft' | 'submitted' = 'draft') {
  const w = await eventsWorld(t, { state, publishedAt: null, ...EVENT });
  const form = validForm(w.venue.id);
  const own = [
    ...[EVENT.title, EVENT.summary, EVENT.description, w.organisation.name, w.territory.name, w.venue.name, w.venue.address, w.venue.accessDirections ?? '', w.edition.theme, 'Échirolles'],
    // What the tests' proposals say (validForm), as the organiser wrote it.
    ...[form.title, form.summary, form.description, form.easyReadSummary, form.contentNote].map(String),
  ];
  return { ...w, own };
}

t.test('the proposal form in English, with the fields for the title and summary in English', async (t) => {
  const { member, organisation, own } = await englishWorld(t);
  const res = await member.get(`/en/espace/organisations/${organisation.id}/evenements/nouveau`);
  const words = ['Propose an event', 'Title', 'Summary', 'Easy read summary (FALC)', 'Date and times', 'Start time', 'Venue', 'New venue', 'Number of places', 'Free entry', 'Content warning', 'In other languages', 'Save draft', 'Send to the coordination team'];
  t.same(english(res, words, own), ok(), 'English words, no French interface words left');
  t.equal(pageTitle(res.body), 'Propose an event – Rassembler');
  t.match(res.body, '<label for="translations-en-title">Title in <span lang="en">English</span></label>', 'the language named in its own language, marked as such');
  t.match(res.body, /<input id="translations-en-title" name="translations\.en\.title" type="text" value="" lang="en" dir="ltr" aria-describedby="translations-en-title-hint">/);
  t.match(res.body, /<textarea id="translations-en-summary" name="translations\.en\.summary" rows="3" lang="en" dir="ltr"/);
  t.match(res.body, '<option value="new">New venue (describe it below)</option>');
  t.match(res.body, new RegExp(`action="/en/espace/organisations/${organisation.id}/evenements/nouveau" novalidate>[\\s\\S]*>Save draft</button>`), 'the English form posts under /en/');

  const french = await member.get(`/espace/organisations/${organisation.id}/evenements/nouveau`);
  t.match(visibleText(french.body), 'Dans d’autres langues');
  t.match(french.body, '<label for="translations-en-title">Titre en <span lang="en">English</span></label>', 'in French too: one title and summary per other language');
});

t.test('a validation error in English: 422, the English error summary, the field marked', async (t) => {
  const { member, organisation, venue, own } = await englishWorld(t);
  const res = await member.post(
    `/en/espace/organisations/${organisation.id}/evenements/nouveau`,
    validForm(venue.id, { title: '', capacity: '', 'translations.en.title': 'x'.repeat(151) }),
  );
  t.same(
    { status: res.statusCode, summary: summaryLinks(res.body) },
    {
      status: 422,
      summary: [
        ['#title', 'Enter the title of the event.'],
        ['#translations-en-title', 'The title in English must be 150 characters or fewer (it is 151 now).'],
        ['#capacity', 'Enter the number of places, or tick “Free entry”.'],
      ],
    },
  );
  t.equal(pageTitle(res.body), 'Error: Propose an event – Rassembler');
  t.ok(isMarkedInvalid(res.body, 'translations-en-title'), 'the English title is marked invalid and described by its error');
  t.match(res.body, new RegExp(`id="translations-en-title" name="translations\\.en\\.title" type="text" value="${'x'.repeat(151)}"`), 'what was typed is kept');
  t.same(frenchLeft(visibleText(res.body), { typed: own }), [], 'no French interface words left');
});

t.test('saving under /en/ stays under /en/; the English title and summary are stored and shown back', async (t) => {
  const { member, organisation, venue, db, own } = await englishWorld(t);
  const res = await member.post(
    `/en/espace/organisations/${organisation.id}/evenements/nouveau`,
    validForm(venue.id, { 'translations.en.title': ' Carers’ coffee morning ', 'translations.en.summary': 'A coffee to talk together about what we live through.' }),
  );
  const saved = (await eventRows(db)).at(-1)!;
  t.same(
    { status: res.statusCode, location: res.headers.location, translations: saved.translations },
    { status: 303, location: `/en/espace/evenements/${saved.id}`, translations: { en: { title: 'Carers’ coffee morning', summary: 'A coffee to talk together about what we live through.' } } },
    'saved with its English title and summary, and the redirect keeps the language',
  );

  const page = await member.get(res.headers.location as string);
  t.same(english(page, ['Draft saved.', 'Status: Draft', 'Draft created', 'In other languages'], own), ok(), 'the next page, its flash and history in English');
  const text = interfaceText(page.body, own);
  t.match(text, /History Draft created — .*, by Camille Membre/);
  t.match(text, 'In other languages Title in English Carers’ coffee morning Summary in English A coffee to talk together');
  t.match(page.body, '<dd lang="en" dir="ltr">Carers’ coffee morning</dd>');

  const edit = await member.get(`/en/espace/evenements/${saved.id}/modifier`);
  t.match(edit.body, /<input id="translations-en-title" name="translations\.en\.title" type="text" value="Carers’ coffee morning" lang="en"/, 'shown back in the form');
  t.match(edit.body, /lang="en" dir="ltr"[^>]*>A coffee to talk together about what we live through\.<\/textarea>/);

  // Emptied, the translation is gone: the French shows again.
  const cleared = await member.post(`/en/espace/evenements/${saved.id}/modifier`, validForm(venue.id, { 'translations.en.title': '', 'translations.en.summary': '' }));
  t.same(
    { status: cleared.statusCode, location: cleared.headers.location, before: saved.translations, after: (await eventById(db, saved.id)).translations },
    { status: 303, location: `/en/espace/evenements/${saved.id}`, before: { en: { title: 'Carers’ coffee morning', summary: 'A coffee to talk together about what we live through.' } }, after: {} },
  );
});

t.test('the organiser’s pages in English: the event, its edit form, the list, the venues', async (t) => {
  const { member, organisation, event: ev, own } = await englishWorld(t);
  const pages: Array<[string, string[]]> = [
    [`/en/espace/evenements/${ev.id}`, ['Status: Draft', 'Only your organisation can see this draft', 'Edit', 'Preview of the public page', 'Duplicate', 'The event', 'When', 'Accessibility offered', 'History', 'No changes recorded.']],
    [`/en/espace/evenements/${ev.id}/modifier`, ['Edit the event', 'Back to the event', 'In other languages', 'Save draft', 'Send to the coordination team']],
    [`/en/espace/evenements/${ev.id}/apercu`, ['Preview of the public page of', 'this is what the public will see once the event is published', 'Back to the event']],
    [`/en/espace/organisations/${organisation.id}/evenements`, ['Events of', 'Propose an event', 'Our venues', 'The organisation’s events, soonest first', 'Status']],
    [`/en/espace/organisations/${organisation.id}/lieux`, ['Venues of', 'Add a venue', 'Describe your usual venues', 'Edit']],
    [`/en/espace/organisations/${organisation.id}/lieux/nouveau`, ['Add a venue', 'Venue name', 'Postcode', 'Town', 'Venue accessibility', 'How to get there', 'Position on the map (optional)', 'Add the venue']],
  ];
  for (const [url, words] of pages) {
    const res = await member.get(url);
    // The preview holds the public page (the programme's words, not these pages').
    const body = url.endsWith('/apercu') ? res.body.replace(/<div class="preview">[\s\S]*$/, '') : res.body;
    t.same(english({ statusCode: res.statusCode, body }, words, own), ok(), url);
  }
});

t.test('the coordination in English: the overview, the queue, the review and its refusal messages', async (t) => {
  const { coordinator, territory, event: ev, own, db, config } = await englishWorld(t, 'submitted');
  const pages: Array<[string, string[]]> = [
    [`/en/coordination/${territory.id}`, ['Coordination:', '2026 edition', 'Proposals', '1 proposal to review', 'Events by day', 'Events by town']],
    [`/en/coordination/${territory.id}/propositions`, ['Proposals to review', 'One proposal is waiting for your review', 'First proposal.']],
    [`/en/coordination/evenements/${ev.id}`, ['Review:', 'Proposed by', 'The proposal', 'Your decision', 'Publish', 'Ask for changes', 'Turn down the proposal', 'History']],
  ];
  for (const [url, words] of pages) t.same(english(await coordinator.get(url), words, own), ok(), url);

  const empty = await coordinator.post(`/en/coordination/evenements/${ev.id}/refuser`, { refuseMessage: '' });
  t.same({ status: empty.statusCode, summary: summaryLinks(empty.body) }, { status: 422, summary: [['#refuseMessage', 'Tell the organiser why the proposal is turned down.']] });

  const refused = await coordinator.post(`/en/coordination/evenements/${ev.id}/refuser`, { refuseMessage: 'Hors du thème de cette année.' });
  const queue = await coordinator.get(refused.headers.location as string);
  t.same(
    { status: refused.statusCode, location: refused.headers.location, flash: visibleText(queue.body).includes(`“${EVENT.title}” has been turned down. The organisation has been told.`) },
    { status: 303, location: `/en/coordination/${territory.id}/propositions`, flash: true },
  );

  // The mail about it, written in English (as the worker does for an English outbox row).
  const [row] = await db.select().from(outbox).where(eq(outbox.kind, 'moderation_decision')).orderBy(asc(outbox.id));
  const mail = await inLanguage('en', () => renderMail(db, config, row!, new Date('2026-09-15T08:00:00Z')));
  if ('skip' in mail || 'sms' in mail) throw new Error('expected a mail');
  t.equal(mail.subject, `Proposal not accepted: ${EVENT.title}`);
  t.match(mail.text, 'The coordination team has not accepted your proposal for this edition.');
  t.match(mail.text, 'Message from the coordination team:\n“Hors du thème de cette année.”');
  t.match(mail.text, /When: .*October 2026/);
  t.match(mail.text, `The event in your space (not published yet): ${config.publicUrl}/en/espace/evenements/${ev.id}`);
  t.match(mail.text, `See the event in my space: ${config.publicUrl}/en/espace/evenements/${ev.id}`);
  t.notMatch(mail.text, /Quand|Organisé|Bonjour/, 'no French words in the mail’s own parts');
  t.match(mail.html, 'has <strong>not accepted</strong> your proposal');
});
